package sql

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/exec/kernel"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// exprCtx binds expressions of one clause. With agg set, the clause is
// evaluated after aggregation: aggregate calls become columns of the
// aggregate's output and other column references must be grouped.
type exprCtx struct {
	b       *binder
	sc      *scope
	agg     *aggState
	clause  string
	aliases map[string]expr.Expr
	// pending collects subqueries decorrelated into joins; nil where
	// subqueries are not supported.
	pending *[]pendingJoin
	// conj is the WHERE/HAVING conjunct being bound: EXISTS and IN
	// subqueries become joins only when they are the whole conjunct.
	conj ast.Expr
	// innerFirst resolves names in this scope before the rest of sc
	// (correlated conditions: the subquery's columns shadow the outer ones).
	innerFirst *scope
	// columns maps each COLUMNS(...) of the select item being expanded to
	// the column it stands for in this expansion.
	columns map[*ast.Columns]starCol
	// itemAliases are the select list's aliases a name may refer to when
	// no column has it (DuckDB's reusable aliases: in WHERE, and in later
	// items of the list), by lower-case alias.
	itemAliases map[string]ast.Expr
	// win collects window functions where they are allowed (SELECT,
	// QUALIFY, ORDER BY); nil elsewhere.
	win *winState
}

func (c *exprCtx) bindBool(e ast.Expr) (expr.Expr, error) {
	x, err := c.bind(e)
	if err != nil {
		return nil, err
	}
	switch x.Type().ID {
	case coldata.Bool:
		return x, nil
	case coldata.Unknown:
		return castTo(x, coldata.TypeBool)
	}
	// DuckDB casts numbers (non-zero is true) and strings ('true', 't',
	// '1', ...) to BOOLEAN where a condition is expected.
	if t := x.Type(); t.IsNumeric() || t.ID == coldata.String {
		b, err := castTo(x, coldata.TypeBool)
		return b, at(err, e)
	}
	return nil, errAt(e, "Conversion", "Unimplemented type for cast (%s -> BOOLEAN)", x.Type())
}

// colRef references a FROM column, honouring aggregation.
func (c *exprCtx) colRef(m planner.ColMeta) (expr.Expr, error) {
	if c.agg != nil {
		if g, ok := c.agg.group(exprKey(colExpr(m))); ok {
			return colExpr(g), nil
		}
		if x, ok := c.nestedGroup(colExpr(m)); ok {
			return x, nil
		}
		return nil, &Error{Kind: "Binder", Msg: fmt.Sprintf("column %q must appear in the GROUP BY clause or must be part of an aggregate function.", clip(m.Name)), Pos: -1}
	}
	return colExpr(m), nil
}

func (c *exprCtx) bind(e ast.Expr) (expr.Expr, error) {
	x, err := c.bindRaw(e)
	if err != nil {
		return nil, at(err, e)
	}
	x, err = fold(x)
	return x, at(err, e)
}

// fold evaluates an expression without column references or parameters to
// a constant, with the executor's own kernels so folding cannot disagree
// with run time.
func fold(e expr.Expr) (expr.Expr, error) {
	switch e.(type) {
	case *expr.Const, *expr.Column, *expr.Param:
		return e, nil
	}
	if e.Type().ID == coldata.Interval || !constant(e) {
		return e, nil
	}
	v, err := kernel.EvalConst(e)
	if err != nil {
		return nil, err
	}
	return &expr.Const{Val: v, Typ: e.Type()}, nil
}

// constant reports whether e reads no column and no parameter.
func constant(e expr.Expr) bool {
	ok := true
	expr.Walk(e, func(x expr.Expr) bool {
		switch x := x.(type) {
		case *expr.Column, *expr.Param:
			ok = false
		case *expr.Func:
			if x.Op.IsVolatile() {
				ok = false // random() is a new value per row
			}
		}
		return ok
	})
	return ok
}

func (c *exprCtx) bindRaw(e ast.Expr) (expr.Expr, error) {
	if isGroupingCall(e) {
		return c.groupingCall(e.(*ast.FuncCall))
	}
	if c.agg != nil {
		if isAggregate(e) {
			return c.bindAgg(e.(*ast.FuncCall))
		}
		if !containsAggregate(e) {
			if _, isCol := e.(*ast.ColumnRef); !isCol {
				plain := &exprCtx{b: c.b, sc: c.sc, clause: c.clause, columns: c.columns}
				if be, err := plain.bind(e); err == nil {
					if g, ok := c.agg.group(exprKey(be)); ok {
						return colExpr(g), nil
					}
					if len(expr.Columns(be)) == 0 {
						return be, nil
					}
				}
			}
		}
	}
	switch e.(type) {
	case *ast.Binary, *ast.InList, *ast.InSubquery, *ast.Quantified:
		if x, ok, err := c.rowValue(e); ok { // bind_rowvalue.go
			return x, err
		}
	}
	switch x := e.(type) {
	case *ast.ColumnRef:
		return c.column(x)
	case *ast.NumberLit:
		return numberLiteral(x)
	case *ast.StringLit:
		return &expr.Const{Val: coldata.Datum{S: x.Value}, Typ: coldata.TypeString}, nil
	case *ast.BoolLit:
		return &expr.Const{Val: coldata.Datum{B: x.Value}, Typ: coldata.TypeBool}, nil
	case *ast.NullLit:
		return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeUnknown}, nil
	case *ast.TypedLit:
		t, err := parseType(x.Type)
		if err != nil {
			return nil, err
		}
		return castTo(&expr.Const{Val: coldata.Datum{S: x.Value}, Typ: coldata.TypeString}, t)
	case *ast.Param:
		return c.b.params.bind(x)
	case *ast.And:
		return c.logical(expr.OpAnd, x.Terms)
	case *ast.Or:
		return c.logical(expr.OpOr, x.Terms)
	case *ast.Unary:
		return c.unary(x)
	case *ast.Binary:
		return c.binary(x)
	case *ast.IsNull:
		a, err := c.bind(x.X)
		if err != nil {
			return nil, err
		}
		return &expr.IsNull{Arg: a, Not: x.Not}, nil
	case *ast.IsBool:
		return c.isBool(x)
	case *ast.IsDistinct:
		return c.isDistinct(x)
	case *ast.Between:
		return c.between(x)
	case *ast.InList:
		l, err := c.bind(x.X)
		if err != nil {
			return nil, err
		}
		return c.inList(l, x.List, x.Not)
	case *ast.InSubquery:
		return c.inSubqueryExpr(x, x.X, x.Query, x.Not)
	case *ast.Quantified:
		return c.quantified(x)
	case *ast.Like:
		return c.like(x)
	case *ast.Exists:
		return c.exists(x, false)
	case *ast.Subquery:
		if x.Array {
			return nil, notImplemented(x, "ARRAY(subquery)")
		}
		return c.scalar(x)
	case *ast.Case:
		return c.caseExpr(x)
	case *ast.Cast:
		a, err := c.bind(x.X)
		if err != nil {
			return nil, err
		}
		t, err := parseType(x.Type)
		if err != nil {
			return nil, err
		}
		if x.Try {
			return tryCastTo(a, t)
		}
		return castTo(a, t)
	case *ast.FuncCall:
		return c.function(x)
	case *ast.Index:
		return c.index(x)
	case *ast.Field:
		s, err := c.bind(x.X)
		if err != nil {
			return nil, err
		}
		return structExtract(s, x.Name.Name)
	case *ast.Columns:
		col, ok := c.columns[x]
		if !ok {
			return nil, binderErr(x, "COLUMNS expressions are only allowed in the SELECT list")
		}
		return c.starColumn(col)
	case *ast.Star:
		return nil, binderErr(x, "a star expression is only allowed in the SELECT list and in count(*)")
	case *ast.PositionalRef:
		// #n: the n-th column of the FROM clause.
		if x.Index > len(c.sc.cols) {
			return nil, binderErr(x, "Positional reference %d out of range (total %d columns)", x.Index, len(c.sc.cols))
		}
		return c.colRef(c.sc.cols[x.Index-1].meta)
	case *ast.Interval:
		return nil, binderErr(x, "an INTERVAL can only be added to or subtracted from a date (%s)", clip(x.String()))
	case *ast.Lambda:
		if !x.Keyword && len(x.Params) == 1 {
			// Outside a list function, x -> y is JSON extraction from the column x.
			return c.jsonArrow(&ast.Binary{At: x.At, Op: "->", L: &ast.ColumnRef{At: x.Params[0].At, Parts: x.Params[:1]}, R: x.Body})
		}
	}
	if x, ok, err := c.nestedExpr(e); ok {
		return x, err
	}
	return nil, notImplemented(e, constructName(e))
}

// constructName names an expression form the binder does not run yet.
func constructName(e ast.Expr) string {
	switch e.(type) {
	case *ast.Lambda:
		return "a lambda function"
	case *ast.ListComprehension:
		return "a list comprehension"
	case *ast.ListLit:
		return "a list literal"
	case *ast.StructLit:
		return "a struct literal"
	case *ast.MapLit:
		return "a MAP literal"
	case *ast.RowExpr:
		return "a row value"
	case *ast.Slice:
		return "slicing"
	case *ast.Collate:
		return "COLLATE"
	case *ast.AtTimeZone:
		return "AT TIME ZONE"
	case *ast.Default:
		return "DEFAULT outside INSERT and UPDATE"
	case *ast.NamedArg:
		return "a named argument"
	case *ast.Rollup, *ast.Cube, *ast.GroupingSets:
		return "a grouping set outside GROUP BY"
	}
	return "this expression"
}

// column resolves a (possibly qualified) name: table.column, a struct field
// path (s.a.b, t.s.a), or an output alias where the clause sees them.
func (c *exprCtx) column(x *ast.ColumnRef) (expr.Expr, error) {
	parts := x.Parts
	n := len(parts)
	table := ""
	if n >= 2 {
		table = parts[n-2].Name
	}
	m, err := c.lookupCol(table, parts[n-1].Name)
	if err == nil {
		return c.colRef(m)
	}
	if n > 1 {
		if e, ok, ferr := c.structField(x); ok {
			return e, ferr
		}
	}
	if a, ok := c.aliases[strings.ToLower(parts[0].Name)]; ok && n == 1 {
		return a, nil
	}
	if fn, ok := clockNames[strings.ToLower(parts[0].Name)]; ok && n == 1 && !parts[0].Quoted {
		x, _ := clockValue(c.b.params.statementClock(), fn)
		return x, nil
	}
	if a, ok := c.itemAliases[strings.ToLower(parts[0].Name)]; ok && n == 1 {
		if containsAggregate(a) && c.agg == nil {
			return nil, binderErr(x, "%s clause cannot contain aggregates!", c.clause)
		}
		// Bind the aliased expression here, without this alias (no cycles).
		sub := *c
		sub.itemAliases = map[string]ast.Expr{}
		for k, v := range c.itemAliases {
			if k != strings.ToLower(parts[0].Name) {
				sub.itemAliases[k] = v
			}
		}
		return sub.bind(a)
	}
	if e, ok, oerr := c.b.outerColumn(table, parts[n-1].Name); ok {
		return e, oerr
	}
	return nil, at(err, x)
}

// numberLiteral types a numeric literal as DuckDB does: INTEGER, BIGINT,
// DECIMAL(p,s) for digits with a point, DOUBLE with an exponent.
func numberLiteral(x *ast.NumberLit) (expr.Expr, error) {
	s := strings.ReplaceAll(x.Text, "_", "")
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	if len(digits) > 2 && digits[0] == '0' && (digits[1]|0x20 == 'x' || digits[1]|0x20 == 'b') {
		base := 16
		if digits[1]|0x20 == 'b' {
			base = 2
		}
		v, err := strconv.ParseInt(digits[2:], base, 64)
		if err != nil {
			return nil, errAt(x, "Conversion", "hexadecimal or binary literal %s does not fit in BIGINT", clip(x.Text))
		}
		if neg {
			v = -v
		}
		return intConst(v), nil
	}
	if !strings.ContainsAny(s, ".eE") {
		// INTEGER, BIGINT, HUGEINT or DOUBLE by magnitude, as DuckDB
		// (PostgreSQL's lexer) types them: -2147483648 is a BIGINT.
		t, v, err := coldata.ParseIntegerLiteral(s)
		if err != nil {
			return nil, errAt(x, "Conversion", "could not read the number %s", clip(x.Text))
		}
		return &expr.Const{Val: v, Typ: t}, nil
	}
	if !strings.ContainsAny(s, "eE") {
		p, sc := coldata.DecimalDigits(s)
		if p <= coldata.MaxDecimalPrecision {
			if d, err := coldata.ParseDecimal(s, sc); err == nil {
				return &expr.Const{Val: coldata.Datum{I: d}, Typ: coldata.DecimalType(max(p, 1), sc)}, nil
			}
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return nil, errAt(x, "Conversion", "could not read the number %s", clip(x.Text))
	}
	return &expr.Const{Val: coldata.Datum{F: f}, Typ: coldata.TypeFloat64}, nil
}

func intConst(i int64) expr.Expr {
	if i >= math.MinInt32 && i <= math.MaxInt32 {
		return &expr.Const{Val: coldata.Datum{I: i}, Typ: coldata.TypeInt32}
	}
	return &expr.Const{Val: coldata.Datum{I: i}, Typ: coldata.TypeInt64}
}

// logical binds an n-ary AND or OR.
func (c *exprCtx) logical(op expr.Op, terms []ast.Expr) (expr.Expr, error) {
	args := make([]expr.Expr, len(terms))
	for i, t := range terms {
		x, err := c.bindBool(t)
		if err != nil {
			return nil, err
		}
		args[i] = x
	}
	return &expr.Func{Op: op, Args: args, Typ: coldata.TypeBool}, nil
}

func (c *exprCtx) unary(x *ast.Unary) (expr.Expr, error) {
	if x.Op == "NOT" {
		if ex, ok := x.X.(*ast.Exists); ok && c.conj == ast.Expr(x) {
			return c.exists(ex, true)
		}
		a, err := c.bindBool(x.X)
		if err != nil {
			return nil, err
		}
		return &expr.Func{Op: expr.OpNot, Args: []expr.Expr{a}, Typ: coldata.TypeBool}, nil
	}
	if x.Op == "!" {
		a, err := c.bind(x.X)
		if err != nil {
			return nil, err
		}
		return c.bindScalarOp(x, "!", scalarOpFuncs["factorial"], []expr.Expr{a})
	}
	a, err := c.bind(x.X)
	if err != nil {
		return nil, err
	}
	t := a.Type()
	if t.ID == coldata.Unknown {
		return a, nil
	}
	switch x.Op {
	case "+":
		if !t.IsNumeric() {
			return nil, binderErr(x, "No function matches the given name and argument types '+(%s)'. You might need to add explicit type casts.", t)
		}
		return a, nil
	case "-", "@":
		if t.ID == coldata.String {
			return nil, unaryMinusError(x, a)
		}
		if !t.IsNumeric() {
			return nil, binderErr(x, "No function matches the given name and argument types '%s(%s)'. You might need to add explicit type casts.", x.Op, t)
		}
		op := expr.OpNeg
		if x.Op == "@" {
			op = expr.OpAbs
		}
		return &expr.Func{Op: op, Args: []expr.Expr{a}, Typ: t}, nil
	case "~":
		if !t.IsInteger() {
			return nil, binderErr(x, "No function matches the given name and argument types '~(%s)'. You might need to add explicit type casts.", t)
		}
		return &expr.Func{Op: expr.OpBitNot, Args: []expr.Expr{a}, Typ: t}, nil
	}
	return nil, notImplemented(x, "the prefix operator "+x.Op)
}

// unaryMinusError is DuckDB's error for negating a string.
func unaryMinusError(x *ast.Unary, a expr.Expr) error {
	if _, lit := a.(*expr.Const); lit {
		return binderErr(x, "Could not choose a best candidate function for the function call \"-(STRING_LITERAL)\". In order to select one, please add explicit type casts.\n\tCandidate functions:\n%s", candidates(minusLiteralCandidates))
	}
	return binderErr(x, "No function matches the given name and argument types '-(VARCHAR)'. You might need to add explicit type casts.\n\tCandidate functions:\n%s", candidates(minusCandidates))
}

func candidates(list string) string {
	var sb strings.Builder
	for _, l := range strings.Split(list, ";") {
		sb.WriteString("\t" + strings.TrimSpace(l) + "\n")
	}
	return sb.String()
}

// DuckDB's candidate lists for '-' (facts about its messages).
const minusLiteralCandidates = `-(SMALLINT) -> SMALLINT; -(INTEGER) -> INTEGER; -(BIGINT) -> BIGINT; -(HUGEINT) -> HUGEINT;
-(FLOAT) -> FLOAT; -(DOUBLE) -> DOUBLE; -(UTINYINT) -> UTINYINT; -(USMALLINT) -> USMALLINT; -(UINTEGER) -> UINTEGER;
-(UBIGINT) -> UBIGINT; -(UHUGEINT) -> UHUGEINT; -(BIGNUM) -> BIGNUM; -(INTERVAL) -> INTERVAL; -(TINYINT) -> TINYINT`

const minusCandidates = `-(TINYINT) -> TINYINT; -(TINYINT, TINYINT) -> TINYINT; -(SMALLINT) -> SMALLINT;
-(SMALLINT, SMALLINT) -> SMALLINT; -(INTEGER) -> INTEGER; -(INTEGER, INTEGER) -> INTEGER; -(BIGINT) -> BIGINT;
-(BIGINT, BIGINT) -> BIGINT; -(HUGEINT) -> HUGEINT; -(HUGEINT, HUGEINT) -> HUGEINT; -(FLOAT) -> FLOAT;
-(FLOAT, FLOAT) -> FLOAT; -(DOUBLE) -> DOUBLE; -(DOUBLE, DOUBLE) -> DOUBLE; -(DECIMAL) -> DECIMAL;
-(DECIMAL, DECIMAL) -> DECIMAL; -(UTINYINT) -> UTINYINT; -(UTINYINT, UTINYINT) -> UTINYINT; -(USMALLINT) -> USMALLINT;
-(USMALLINT, USMALLINT) -> USMALLINT; -(UINTEGER) -> UINTEGER; -(UINTEGER, UINTEGER) -> UINTEGER; -(UBIGINT) -> UBIGINT;
-(UBIGINT, UBIGINT) -> UBIGINT; -(UHUGEINT) -> UHUGEINT; -(UHUGEINT, UHUGEINT) -> UHUGEINT; -(BIGNUM) -> BIGNUM;
-(BIGNUM, BIGNUM) -> BIGNUM; -(DATE, DATE) -> BIGINT; -(DATE, INTEGER) -> DATE; -(TIMESTAMP, TIMESTAMP) -> INTERVAL;
-(INTERVAL, INTERVAL) -> INTERVAL; -(DATE, INTERVAL) -> TIMESTAMP; -(TIME, INTERVAL) -> TIME;
-(TIMESTAMP, INTERVAL) -> TIMESTAMP; -(TIME WITH TIME ZONE, INTERVAL) -> TIME WITH TIME ZONE; -(INTERVAL) -> INTERVAL;
-(TIMESTAMP WITH TIME ZONE, INTERVAL) -> TIMESTAMP WITH TIME ZONE;
-(TIMESTAMP WITH TIME ZONE, TIMESTAMP WITH TIME ZONE) -> INTERVAL`

// isBool binds x IS [NOT] TRUE / FALSE / UNKNOWN, which never yield NULL.
func (c *exprCtx) isBool(x *ast.IsBool) (expr.Expr, error) {
	a, err := c.bind(x.X)
	if err != nil {
		return nil, err
	}
	if a, err = castTo(a, coldata.TypeBool); err != nil {
		return nil, err
	}
	if x.Value == nil {
		return &expr.IsNull{Arg: a, Not: x.Not}, nil
	}
	eq := &expr.Func{Op: expr.OpEq, Args: []expr.Expr{a, boolConst(*x.Value)}, Typ: coldata.TypeBool}
	is := &expr.Func{Op: expr.OpCoalesce, Args: []expr.Expr{eq, boolConst(false)}, Typ: coldata.TypeBool}
	if x.Not {
		return &expr.Func{Op: expr.OpNot, Args: []expr.Expr{is}, Typ: coldata.TypeBool}, nil
	}
	return is, nil
}

func boolConst(b bool) expr.Expr { return &expr.Const{Val: coldata.Datum{B: b}, Typ: coldata.TypeBool} }

// isDistinct binds l IS [NOT] DISTINCT FROM r: a comparison where NULLs
// are equal to each other and never make the result NULL.
func (c *exprCtx) isDistinct(x *ast.IsDistinct) (expr.Expr, error) {
	l, err := c.bind(x.L)
	if err != nil {
		return nil, err
	}
	r, err := c.bind(x.R)
	if err != nil {
		return nil, err
	}
	op := expr.OpNe
	if x.Not {
		op = expr.OpEq
	}
	cmp, err := c.compare(op, l, r)
	if err != nil {
		return nil, err
	}
	return &expr.Case{Typ: coldata.TypeBool, Else: cmp, Whens: []expr.When{
		{Cond: &expr.IsNull{Arg: l}, Then: &expr.IsNull{Arg: r, Not: !x.Not}},
		{Cond: &expr.IsNull{Arg: r}, Then: boolConst(!x.Not)},
	}}, nil
}

func (c *exprCtx) between(x *ast.Between) (expr.Expr, error) {
	v, err := c.bind(x.X)
	if err != nil {
		return nil, err
	}
	lo, err := c.bind(x.Lo)
	if err != nil {
		return nil, err
	}
	hi, err := c.bind(x.Hi)
	if err != nil {
		return nil, err
	}
	in := func(lo, hi expr.Expr) (expr.Expr, error) {
		ge, err := c.compare(expr.OpGe, v, lo)
		if err != nil {
			return nil, err
		}
		le, err := c.compare(expr.OpLe, v, hi)
		if err != nil {
			return nil, err
		}
		return expr.And(ge, le), nil
	}
	out, err := in(lo, hi)
	if err != nil {
		return nil, err
	}
	if x.Symmetric {
		swapped, err := in(hi, lo)
		if err != nil {
			return nil, err
		}
		out = expr.Or(out, swapped)
	}
	if x.Not {
		return &expr.Func{Op: expr.OpNot, Args: []expr.Expr{out}, Typ: coldata.TypeBool}, nil
	}
	return out, nil
}

func (c *exprCtx) caseExpr(e *ast.Case) (expr.Expr, error) {
	var subject expr.Expr
	var err error
	if e.Operand != nil {
		if subject, err = c.bind(e.Operand); err != nil {
			return nil, err
		}
	}
	out := &expr.Case{}
	var thens []expr.Expr
	for _, w := range e.Whens {
		var cond expr.Expr
		if subject != nil {
			v, err := c.bind(w.Cond)
			if err != nil {
				return nil, err
			}
			if cond, err = c.compare(expr.OpEq, subject, v); err != nil {
				return nil, at(err, w.Cond)
			}
		} else if cond, err = c.bindBool(w.Cond); err != nil {
			return nil, err
		}
		then, err := c.bind(w.Then)
		if err != nil {
			return nil, err
		}
		out.Whens = append(out.Whens, expr.When{Cond: cond, Then: then})
		thens = append(thens, then)
	}
	if e.Else != nil {
		if out.Else, err = c.bind(e.Else); err != nil {
			return nil, err
		}
		thens = append(thens, out.Else)
	}
	t := coldata.TypeUnknown
	for _, x := range thens {
		if t, err = resultType(t, x.Type()); err != nil {
			return nil, binderErr(e, "CASE branches have incompatible types: %v", err)
		}
	}
	out.Typ = t
	for i := range out.Whens {
		if out.Whens[i].Then, err = castTo(out.Whens[i].Then, t); err != nil {
			return nil, err
		}
	}
	if out.Else != nil {
		if out.Else, err = castTo(out.Else, t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// resultType unifies branch types (CASE, COALESCE). Unlike comparisons,
// strings do not convert to the other type.
func resultType(a, b coldata.Type) (coldata.Type, error) {
	if (a.ID == coldata.String) != (b.ID == coldata.String) && a.ID != coldata.Unknown && b.ID != coldata.Unknown {
		return coldata.Type{}, fmt.Errorf("%s and %s", a, b)
	}
	return commonType(a, b)
}
