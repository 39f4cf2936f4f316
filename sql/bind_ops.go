package sql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

var comparisonOps = map[string]expr.Op{
	"=": expr.OpEq, "<>": expr.OpNe, "<": expr.OpLt, "<=": expr.OpLe, ">": expr.OpGt, ">=": expr.OpGe,
}

var arithOps = map[string]expr.Op{
	"+": expr.OpAdd, "-": expr.OpSub, "*": expr.OpMul, "/": expr.OpDiv, "%": expr.OpMod, "//": expr.OpIntDiv,
}

var bitOps = map[string]expr.Op{
	"&": expr.OpBitAnd, "|": expr.OpBitOr, "#": expr.OpBitXor, "<<": expr.OpShiftLeft, ">>": expr.OpShiftRight,
}

// likeOps are the operator spellings of LIKE and friends.
var likeOps = map[string]struct {
	op  ast.LikeOp
	not bool
}{
	"~~": {ast.OpLike, false}, "!~~": {ast.OpLike, true}, "~~*": {ast.OpILike, false}, "!~~*": {ast.OpILike, true},
	"~~~": {ast.OpGlob, false}, "!~~~": {ast.OpGlob, true},
}

func (c *exprCtx) binary(e *ast.Binary) (expr.Expr, error) {
	if l, ok := likeOps[e.Op]; ok {
		return c.like(&ast.Like{At: e.At, Op: l.op, Not: l.not, X: e.L, Pattern: e.R})
	}
	switch e.Op {
	case "||":
		return c.concat(e.L, e.R)
	case "->", "->>":
		return c.jsonArrow(e)
	case "~", "!~":
		l, err := c.bind(e.L)
		if err != nil {
			return nil, err
		}
		r, err := c.bind(e.R)
		if err != nil {
			return nil, err
		}
		return similarTo(l, r, e.Op == "!~")
	case "~*", "!~*":
		return nil, errAt(e, "Catalog", "Scalar Function with name %s does not exist!", e.Op)
	case "@>", "<@", "&&":
		return nil, notImplemented(e, "the list operator "+e.Op)
	}
	if iv, ok := e.L.(*ast.Interval); ok && e.Op == "+" {
		r, err := c.bind(e.R)
		if err != nil {
			return nil, err
		}
		return c.dateInterval(r, iv, false)
	}
	l, err := c.bind(e.L)
	if err != nil {
		return nil, err
	}
	if iv, ok := e.R.(*ast.Interval); ok && (e.Op == "+" || e.Op == "-") {
		return c.dateInterval(l, iv, e.Op == "-")
	}
	r, err := c.bind(e.R)
	if err != nil {
		return nil, err
	}
	if op, ok := comparisonOps[e.Op]; ok {
		return c.compare(op, l, r)
	}
	if op, ok := arithOps[e.Op]; ok {
		if op == expr.OpDiv && c.b.integerDivision() {
			op = expr.OpIntDiv // integer_division: / on integers is //
		}
		return arithmetic(op, l, r, isNumberLit(e.L), isNumberLit(e.R))
	}
	if op, ok := bitOps[e.Op]; ok {
		return bitwise(op, e.Op, l, r)
	}
	switch e.Op {
	case "**", "^":
		return power(l, r)
	case "^@":
		a, b, err := castBoth(l, r, coldata.TypeString)
		if err != nil {
			return nil, err
		}
		return &expr.Func{Op: expr.OpStartsWith, Args: []expr.Expr{a, b}, Typ: coldata.TypeBool}, nil
	}
	if e.Op == "!" {
		// No infix ! in DuckDB either (5 ! + 1 is 5 ! (+1)).
		return nil, errAt(e, "Catalog", "Scalar Function with name ! does not exist!")
	}
	return nil, notImplemented(e, "the operator "+e.Op)
}

// compare builds l op r, casting operands to a common type. A constant is
// cast to the other side's type when that loses nothing, so `col < 24`
// stays a column-vs-constant predicate the scanner can use; a parameter
// takes the other side's type too.
func (c *exprCtx) compare(op expr.Op, l, r expr.Expr) (expr.Expr, error) {
	if (op == expr.OpEq || op == expr.OpNe) && (l.Type().IsNested() || r.Type().IsNested()) {
		return nestedEquality(op, l, r) // bind_nested_more.go
	}
	if err := checkNotNested("comparison", l); err != nil {
		return nil, err
	}
	if err := checkNotNested("comparison", r); err != nil {
		return nil, err
	}
	lt, rt := l.Type(), r.Type()
	var t coldata.Type
	switch {
	case isParam(r) && lt.ID != coldata.Unknown:
		t = lt
	case isParam(l) && rt.ID != coldata.Unknown:
		t = rt
	case lt != rt && constFitsExpr(r, lt):
		t = lt
	case lt != rt && constFitsExpr(l, rt):
		t = rt
	default:
		var err error
		if t, err = commonType(lt, rt); err != nil {
			return nil, &Error{Kind: "Binder", Msg: fmt.Sprintf("Cannot compare values of type %s and type %s (%s %s %s)", lt, rt, clip(l.String()), op, clip(r.String())), Pos: -1}
		}
		if t.ID == coldata.Decimal && t.Precision > 18 && lt != rt {
			// Decimals are 64-bit: a common type wider than 18 digits (e.g.
			// DECIMAL(38,2) vs DECIMAL(38,12)) cannot hold both sides'
			// values, so such comparisons run in DOUBLE.
			t = coldata.TypeFloat64
		}
	}
	l, r, err := castBoth(l, r, t)
	if err != nil {
		return nil, err
	}
	return &expr.Func{Op: op, Args: []expr.Expr{l, r}, Typ: coldata.TypeBool}, nil
}

func isParam(e expr.Expr) bool { _, ok := e.(*expr.Param); return ok }

func constFitsExpr(e expr.Expr, t coldata.Type) bool {
	k, ok := e.(*expr.Const)
	return ok && constFits(k, t)
}

// inList binds l [NOT] IN (items). Constant items (and parameters) become
// an expr.In; others a disjunction of equalities.
func (c *exprCtx) inList(l expr.Expr, list []ast.Expr, not bool) (expr.Expr, error) {
	items := make([]expr.Expr, len(list))
	allConst := true
	t := l.Type()
	for i, it := range list {
		x, err := c.bind(it)
		if err != nil {
			return nil, err
		}
		items[i] = x
		k, isConst := x.(*expr.Const)
		switch {
		case isParam(x):
			continue
		case !isConst:
			allConst = false
		}
		if x.Type() != t && !(isConst && constFits(k, l.Type())) {
			if t, err = commonType(t, x.Type()); err != nil {
				return nil, binderErr(it, "Cannot compare values of type %s and type %s in IN list", l.Type(), x.Type())
			}
		}
	}
	if !allConst {
		// Non-constant lists become a disjunction of equalities.
		terms := make([]expr.Expr, 0, len(items))
		for _, x := range items {
			eq, err := c.compare(expr.OpEq, l, x)
			if err != nil {
				return nil, err
			}
			terms = append(terms, eq)
		}
		out := expr.Or(terms...)
		if not {
			out = &expr.Func{Op: expr.OpNot, Args: []expr.Expr{out}, Typ: coldata.TypeBool}
		}
		return out, nil
	}
	arg, err := castTo(l, t)
	if err != nil {
		return nil, err
	}
	in := &expr.In{Arg: arg, Not: not}
	seen := make(map[coldata.Datum]bool, len(items))
	var params []*expr.Param
	for _, x := range items {
		k, err := castTo(x, t)
		if err != nil {
			return nil, err
		}
		if p, ok := k.(*expr.Param); ok {
			params = append(params, p)
			continue
		}
		v := k.(*expr.Const).Val
		if v.Null {
			in.HasNull = true
			continue
		}
		if !seen[v] {
			seen[v] = true
			in.List = append(in.List, v)
		}
	}
	if len(params) > 0 {
		c.b.params.inList(in, params)
	}
	return in, nil
}

// arithmetic types l op r (see the typing contract in planner/expr).
func arithmetic(op expr.Op, l, r expr.Expr, litL, litR bool) (expr.Expr, error) {
	lt, rt := l.Type(), r.Type()
	// Date ± integer days.
	if lt.ID == coldata.Date && rt.IsInteger() && (op == expr.OpAdd || op == expr.OpSub) {
		n, err := castTo(r, coldata.TypeInt64)
		if err != nil {
			return nil, err
		}
		if op == expr.OpSub {
			n = &expr.Func{Op: expr.OpNeg, Args: []expr.Expr{n}, Typ: coldata.TypeInt64}
		}
		return &expr.Func{Op: expr.OpDateAddDays, Args: []expr.Expr{l, n}, Typ: coldata.TypeDate}, nil
	}
	// DATE - DATE is the days between them, as DuckDB: date_diff('day', r, l).
	if lt.ID == coldata.Date && rt.ID == coldata.Date && op == expr.OpSub {
		a, b, err := castBoth(l, r, coldata.TypeTimestamp)
		if err != nil {
			return nil, err
		}
		day := &expr.Const{Val: coldata.Datum{S: "day"}, Typ: coldata.TypeString}
		return &expr.Func{Op: expr.OpDateDiff, Args: []expr.Expr{day, b, a}, Typ: coldata.TypeInt64}, nil
	}
	if lt.ID == coldata.Unknown || rt.ID == coldata.Unknown {
		t := lt
		if t.ID == coldata.Unknown {
			t = rt
		}
		return &expr.Const{Val: coldata.NullDatum, Typ: t}, nil
	}
	if lt.ID == coldata.String || rt.ID == coldata.String {
		return nil, &Error{Kind: "Binder", Msg: fmt.Sprintf("No function matches the given name and argument types '%s(%s, %s)'. You might need to add explicit type casts.", op, lt, rt), Pos: -1}
	}
	if !lt.IsNumeric() || !rt.IsNumeric() {
		return nil, &Error{Kind: "Binder", Msg: fmt.Sprintf("No function matches the given name and argument types '%s(%s, %s)'. You might need to add explicit type casts.", op, lt, rt), Pos: -1}
	}
	if op == expr.OpIntDiv {
		if !integral(lt) || !integral(rt) {
			// DuckDB's // divides other numbers as / does.
			op = expr.OpDiv
		} else {
			t, err := commonType(lt, rt)
			if err != nil {
				return nil, err
			}
			t = kindArithType(t, l, r, litL, litR)
			a, b, err := castBoth(l, r, t)
			if err != nil {
				return nil, err
			}
			return &expr.Func{Op: op, Args: []expr.Expr{a, b}, Typ: t}, nil
		}
	}
	switch op {
	case expr.OpDiv:
		dt := divType(lt, rt)
		a, b, err := castBoth(l, r, dt)
		if err != nil {
			return nil, err
		}
		return &expr.Func{Op: op, Args: []expr.Expr{a, b}, Typ: dt}, nil
	case expr.OpMul:
		if lt.ID == coldata.Decimal || rt.ID == coldata.Decimal {
			if lt.ID == coldata.Float64 || rt.ID == coldata.Float64 {
				break
			}
			a, err := castTo(trimConstScale(l), asDecimal(lt, l))
			if err != nil {
				return nil, err
			}
			b, err := castTo(trimConstScale(r), asDecimal(rt, r))
			if err != nil {
				return nil, err
			}
			at, bt := a.Type(), b.Type()
			scale := int(at.Scale) + int(bt.Scale)
			if scale > 18 {
				return nil, fmt.Errorf("Binder Error: decimal multiplication result scale %d exceeds 18 (%s * %s); cast to DOUBLE", scale, l, r)
			}
			res := decimalOf(int(at.Precision)-int(at.Scale)+int(bt.Precision)-int(bt.Scale), scale)
			return &expr.Func{Op: op, Args: []expr.Expr{a, b}, Typ: fitInt64Decimal(res, lt, rt)}, nil
		}
	}
	t, err := commonType(lt, rt)
	if err != nil {
		return nil, err
	}
	t = kindArithType(t, l, r, litL, litR)
	// A constant operand takes the column's type when it fits, so that
	// 1 - l_discount stays DECIMAL(15,2)-sized rather than widening.
	// A DOUBLE constant keeps DOUBLE arithmetic, as in DuckDB.
	if k, ok := l.(*expr.Const); ok && constFits(k, rt) && rt.ID == coldata.Decimal && lt.ID != coldata.Float64 {
		t = rt
	} else if k, ok := r.(*expr.Const); ok && constFits(k, lt) && lt.ID == coldata.Decimal && rt.ID != coldata.Float64 {
		t = lt
	}
	a, b, err := castBoth(l, r, t)
	if err != nil {
		return nil, err
	}
	res := t
	if t.ID == coldata.Decimal && (op == expr.OpAdd || op == expr.OpSub) {
		res = fitInt64Decimal(decimalOf(int(t.Precision)-int(t.Scale)+1, int(t.Scale)), lt, rt)
	}
	return &expr.Func{Op: op, Args: []expr.Expr{a, b}, Typ: res}, nil
}

// bitwise types the integer operators & | # << >>: both operands in their
// common integer type, which is also the result's.
func bitwise(op expr.Op, spelling string, l, r expr.Expr) (expr.Expr, error) {
	lt, rt := l.Type(), r.Type()
	if lt.ID == coldata.Unknown || rt.ID == coldata.Unknown {
		return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeInt32}, nil
	}
	// A string constant is read as the other operand's type (DuckDB casts
	// string literals implicitly).
	if lt.ID == coldata.String && rt.IsInteger() {
		lt = rt
	}
	if rt.ID == coldata.String && lt.IsInteger() {
		rt = lt
	}
	if !lt.IsInteger() || !rt.IsInteger() {
		return nil, &Error{Kind: "Binder", Msg: fmt.Sprintf("No function matches the given name and argument types '%s(%s, %s)'. You might need to add explicit type casts.", spelling, l.Type(), r.Type()), Pos: -1}
	}
	t := lt
	if op != expr.OpShiftLeft && op != expr.OpShiftRight {
		t, _ = commonType(lt, rt)
	}
	a, err := castTo(l, t)
	if err != nil {
		return nil, err
	}
	b, err := castTo(r, t)
	if err != nil {
		return nil, err
	}
	return &expr.Func{Op: op, Args: []expr.Expr{a, b}, Typ: t}, nil
}

// power is x ** y (also ^): DOUBLE.
func power(l, r expr.Expr) (expr.Expr, error) {
	for _, x := range []expr.Expr{l, r} {
		if t := x.Type(); !t.IsNumeric() && t.ID != coldata.Unknown {
			return nil, &Error{Kind: "Binder", Msg: fmt.Sprintf("No function matches the given name and argument types '**(%s, %s)'. You might need to add explicit type casts.", l.Type(), r.Type()), Pos: -1}
		}
	}
	a, b, err := castBoth(l, r, coldata.TypeFloat64)
	if err != nil {
		return nil, err
	}
	return &expr.Func{Op: expr.OpPow, Args: []expr.Expr{a, b}, Typ: coldata.TypeFloat64}, nil
}

// castBoth casts both operands of a binary operator to t.
func castBoth(l, r expr.Expr, t coldata.Type) (expr.Expr, expr.Expr, error) {
	a, err := castTo(l, t)
	if err != nil {
		return nil, nil, err
	}
	b, err := castTo(r, t)
	if err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

// trimConstScale drops trailing fractional zeros of a decimal constant
// (0.0001000000 → 0.0001). The value is unchanged, and a product's scale is
// the sum of its operands' scales: with 64-bit decimals, needless scale is
// needless overflow (TPC-H Q11 multiplies a sum by 0.0001000000).
func trimConstScale(e expr.Expr) expr.Expr {
	k, ok := e.(*expr.Const)
	if !ok || k.Val.Null || k.Typ.ID != coldata.Decimal {
		return e
	}
	v, s, p := k.Val.I, int(k.Typ.Scale), int(k.Typ.Precision)
	for s > 0 && v%10 == 0 {
		v, s, p = v/10, s-1, p-1
	}
	return &expr.Const{Val: coldata.Datum{I: v}, Typ: coldata.DecimalType(max(p, s, 1), s)}
}

// asDecimal is the decimal type an operand of a decimal product takes; a
// constant gets just the digits it needs.
func asDecimal(t coldata.Type, e expr.Expr) coldata.Type {
	if k, ok := e.(*expr.Const); ok && t.ID == coldata.Decimal {
		return trimConstScale(k).Type()
	}
	if t.ID == coldata.Decimal {
		return t
	}
	if k, ok := e.(*expr.Const); ok && t.IsInteger() {
		d := len(strconv.FormatInt(max(k.Val.I, -k.Val.I), 10))
		return coldata.DecimalType(d, 0)
	}
	return coldata.DecimalType(min(intDigits(t), coldata.MaxDecimalPrecision), 0)
}

// concat is a || b: NULL if either is NULL; non-strings are cast to text.
func (c *exprCtx) concat(l, r ast.Expr) (expr.Expr, error) {
	a, err := c.bind(l)
	if err != nil {
		return nil, err
	}
	b, err := c.bind(r)
	if err != nil {
		return nil, err
	}
	if a.Type().ID == coldata.List || b.Type().ID == coldata.List {
		return listConcatOp(a, b)
	}
	if a.Type().Kind == coldata.KindBlob && b.Type().Kind == coldata.KindBlob {
		// Bytes joined as bytes; with any other operand DuckDB joins text.
		return &expr.Func{Op: expr.OpConcat, Args: []expr.Expr{a, b}, Typ: coldata.TypeBlob}, nil
	}
	if a, err = castTo(a, coldata.TypeString); err != nil {
		return nil, err
	}
	if b, err = castTo(b, coldata.TypeString); err != nil {
		return nil, err
	}
	return &expr.Func{Op: expr.OpConcat, Args: []expr.Expr{a, b}, Typ: coldata.TypeString}, nil
}

// like binds [NOT] LIKE / ILIKE / GLOB with a constant (or parameter)
// pattern; ILIKE compares lower-cased text, GLOB is translated to LIKE.
func (c *exprCtx) like(e *ast.Like) (expr.Expr, error) {
	if e.Op == ast.OpSimilarTo {
		if e.Escape != nil {
			return nil, errAt(e, "Not implemented", "Custom escape in SIMILAR TO")
		}
		l, err := c.bind(e.X)
		if err != nil {
			return nil, err
		}
		p, err := c.bind(e.Pattern)
		if err != nil {
			return nil, err
		}
		return similarTo(l, p, e.Not)
	}
	l, err := c.bind(e.X)
	if err != nil {
		return nil, err
	}
	var esc byte
	if e.Escape != nil {
		x, err := c.bind(e.Escape)
		if err != nil {
			return nil, err
		}
		k, ok := x.(*expr.Const)
		if !ok || k.Typ.ID != coldata.String || len(k.Val.S) != 1 {
			return nil, binderErr(e.Escape, "the ESCAPE of LIKE must be a single character: %s", clip(e.Escape.String()))
		}
		esc = k.Val.S[0]
	}
	r, err := c.bind(e.Pattern)
	if err != nil {
		return nil, err
	}
	if l, err = castTo(l, coldata.TypeString); err != nil {
		return nil, err
	}
	if e.Op == ast.OpILike {
		l = &expr.Func{Op: expr.OpLower, Args: []expr.Expr{l}, Typ: coldata.TypeString}
	}
	out := &expr.Like{Arg: l, Not: e.Not}
	if p, ok := r.(*expr.Param); ok {
		p.Typ = coldata.TypeString
		c.b.params.like(out, p, esc, e.Op)
		return out, nil
	}
	pat, ok := r.(*expr.Const)
	if !ok || pat.Typ.ID != coldata.String && pat.Typ.ID != coldata.Unknown {
		return nil, notImplemented(e.Pattern, fmt.Sprintf("%s with a pattern that is not a constant string", e.Op))
	}
	if pat.Val.Null {
		return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeBool}, nil
	}
	if e.Op == ast.OpGlob && strings.ContainsAny(pat.Val.S, `[\`) {
		return similarTo(l, &expr.Const{Val: coldata.Datum{S: globFullRegexp(pat.Val.S)}, Typ: coldata.TypeString}, e.Not)
	}
	if out.Pattern, err = likeOf(pat.Val.S, esc, e.Op); err != nil {
		return nil, at(err, e.Pattern)
	}
	return out, nil
}

// likeOf turns a pattern of op into expr.Like's form.
func likeOf(p string, esc byte, op ast.LikeOp) (string, error) {
	switch op {
	case ast.OpILike:
		p = strings.ToLower(p)
	case ast.OpGlob:
		return globLike(p)
	}
	return likePattern(p, esc)
}

// globLike translates a GLOB pattern (* and ?) into expr.Like's form.
func globLike(p string) (string, error) {
	var sb strings.Builder
	for _, r := range p {
		switch r {
		case '*':
			sb.WriteByte('%')
		case '?':
			sb.WriteByte('_')
		case '%', '_', '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case '[':
			return "", &Error{Kind: "Not implemented", Msg: "GLOB character classes ([...]) are not supported yet", Pos: -1}
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String(), nil
}

// likePattern turns a SQL LIKE pattern into expr.Like's form, where '\'
// escapes the next character. In SQL a backslash is an ordinary character
// unless named by ESCAPE (esc, 0 for none), as in DuckDB and PostgreSQL.
func likePattern(p string, esc byte) (string, error) {
	if esc == 0 && !strings.Contains(p, `\`) {
		return p, nil
	}
	var sb strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case esc != 0 && c == esc:
			if i+1 == len(p) {
				return "", &Error{Kind: "Invalid Input", Msg: fmt.Sprintf("LIKE pattern must not end with the escape character: %q", clip(p)), Pos: -1}
			}
			i++
			sb.WriteByte('\\')
			sb.WriteByte(p[i])
		case c == '\\':
			sb.WriteString(`\\`)
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String(), nil
}

// quantified binds x = ANY (subquery) as IN and x <> ALL (subquery) as NOT IN.
func (c *exprCtx) quantified(e *ast.Quantified) (expr.Expr, error) {
	switch {
	case e.Query == nil:
		return nil, notImplemented(e, e.Quant+" over a list")
	case e.Op == "=" && e.Quant == "ANY":
		return c.inSubqueryExpr(e, e.X, e.Query, false)
	case e.Op == "<>" && e.Quant == "ALL":
		return c.inSubqueryExpr(e, e.X, e.Query, true)
	}
	if op, ok := comparisonOps[e.Op]; ok && (e.Quant == "ANY" || e.Quant == "ALL") {
		return c.quantifiedDependent(e, op)
	}
	return nil, notImplemented(e, fmt.Sprintf("%s %s (subquery)", e.Op, e.Quant))
}

// inSubqueryExpr binds x [NOT] IN (subquery): a join when the whole
// conjunct, else a value.
func (c *exprCtx) inSubqueryExpr(e ast.Expr, x ast.Expr, q *ast.Query, not bool) (expr.Expr, error) {
	l, err := c.bind(x)
	if err != nil {
		return nil, err
	}
	if c.conj != e {
		return c.inSubqueryValue(l, q, not)
	}
	return c.inSubquery(l, q, not)
}
