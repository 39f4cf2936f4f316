package sql

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/xwb1989/sqlparser"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/exec/kernel"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
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
	conj sqlparser.Expr
	// innerFirst resolves names in this scope before the rest of sc
	// (correlated conditions: the subquery's columns shadow the outer ones).
	innerFirst *scope
}

func (c *exprCtx) bindBool(e sqlparser.Expr) (expr.Expr, error) {
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
	return nil, fmt.Errorf("Binder Error: %s clause must be a BOOLEAN expression, got %s: %s", c.clause, x.Type(), sqlparser.String(e))
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
		return nil, fmt.Errorf("Binder Error: column %q must appear in the GROUP BY clause or must be part of an aggregate function.", m.Name)
	}
	return colExpr(m), nil
}

func (c *exprCtx) bind(e sqlparser.Expr) (expr.Expr, error) {
	x, err := c.bindRaw(e)
	if err != nil {
		return nil, err
	}
	return fold(x)
}

// fold evaluates an expression without column references to a constant,
// with the executor's own kernels so folding cannot disagree with run time.
func fold(e expr.Expr) (expr.Expr, error) {
	switch e.(type) {
	case *expr.Const, *expr.Column:
		return e, nil
	}
	if len(expr.Columns(e)) > 0 || e.Type().ID == coldata.Interval {
		return e, nil
	}
	v, err := kernel.EvalConst(e)
	if err != nil {
		return nil, err
	}
	return &expr.Const{Val: v, Typ: e.Type()}, nil
}

func (c *exprCtx) bindRaw(e sqlparser.Expr) (expr.Expr, error) {
	if c.agg != nil {
		if isAggregate(e) {
			return c.bindAgg(e.(*sqlparser.FuncExpr))
		}
		if !containsAggregate(e) {
			if _, isCol := e.(*sqlparser.ColName); !isCol {
				plain := &exprCtx{b: c.b, sc: c.sc, clause: c.clause}
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
	switch e := e.(type) {
	case *sqlparser.ParenExpr:
		return c.bind(e.Expr)
	case *sqlparser.ColName:
		var m planner.ColMeta
		var err error
		if c.innerFirst != nil {
			m, err = c.innerFirst.lookup(e.Qualifier.Name.String(), e.Name.String())
		}
		if c.innerFirst == nil || err != nil {
			m, err = c.sc.lookup(e.Qualifier.Name.String(), e.Name.String())
		}
		if err != nil {
			if x, ok, ferr := c.structField(e); ok {
				return x, ferr
			}
			if x, ok := c.aliases[strings.ToLower(e.Name.String())]; ok && e.Qualifier.IsEmpty() {
				return x, nil
			}
			return nil, err
		}
		return c.colRef(m)
	case *sqlparser.SQLVal:
		return bindLiteral(e)
	case *sqlparser.NullVal:
		return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeUnknown}, nil
	case sqlparser.BoolVal:
		return &expr.Const{Val: coldata.Datum{B: bool(e)}, Typ: coldata.TypeBool}, nil
	case *sqlparser.AndExpr:
		return c.logical(expr.OpAnd, e.Left, e.Right)
	case *sqlparser.OrExpr:
		return c.logical(expr.OpOr, e.Left, e.Right)
	case *sqlparser.NotExpr:
		if ex, ok := e.Expr.(*sqlparser.ExistsExpr); ok && c.conj == sqlparser.Expr(e) {
			return c.exists(ex, true)
		}
		x, err := c.bindBool(e.Expr)
		if err != nil {
			return nil, err
		}
		return &expr.Func{Op: expr.OpNot, Args: []expr.Expr{x}, Typ: coldata.TypeBool}, nil
	case *sqlparser.ComparisonExpr:
		return c.comparison(e)
	case *sqlparser.RangeCond:
		x, err := c.bind(e.Left)
		if err != nil {
			return nil, err
		}
		lo, err := c.bind(e.From)
		if err != nil {
			return nil, err
		}
		hi, err := c.bind(e.To)
		if err != nil {
			return nil, err
		}
		ge, err := c.compare(expr.OpGe, x, lo)
		if err != nil {
			return nil, err
		}
		le, err := c.compare(expr.OpLe, x, hi)
		if err != nil {
			return nil, err
		}
		if e.Operator == sqlparser.NotBetweenStr {
			return &expr.Func{Op: expr.OpNot, Args: []expr.Expr{expr.And(ge, le)}, Typ: coldata.TypeBool}, nil
		}
		return expr.And(ge, le), nil
	case *sqlparser.IsExpr:
		x, err := c.bind(e.Expr)
		if err != nil {
			return nil, err
		}
		switch e.Operator {
		case sqlparser.IsNullStr:
			return &expr.IsNull{Arg: x}, nil
		case sqlparser.IsNotNullStr:
			return &expr.IsNull{Arg: x, Not: true}, nil
		case sqlparser.IsTrueStr, sqlparser.IsNotFalseStr, sqlparser.IsFalseStr, sqlparser.IsNotTrueStr:
			x, err := castTo(x, coldata.TypeBool)
			if err != nil {
				return nil, err
			}
			want := e.Operator == sqlparser.IsTrueStr || e.Operator == sqlparser.IsNotTrueStr
			eq := &expr.Func{Op: expr.OpEq, Args: []expr.Expr{x, &expr.Const{Val: coldata.Datum{B: want}, Typ: coldata.TypeBool}}, Typ: coldata.TypeBool}
			// IS [NOT] TRUE never yields NULL.
			isTrue := &expr.Func{Op: expr.OpCoalesce, Args: []expr.Expr{eq, &expr.Const{Val: coldata.Datum{B: false}, Typ: coldata.TypeBool}}, Typ: coldata.TypeBool}
			if e.Operator == sqlparser.IsNotTrueStr || e.Operator == sqlparser.IsNotFalseStr {
				return &expr.Func{Op: expr.OpNot, Args: []expr.Expr{isTrue}, Typ: coldata.TypeBool}, nil
			}
			return isTrue, nil
		}
	case *sqlparser.BinaryExpr:
		return c.arith(e)
	case *sqlparser.UnaryExpr:
		x, err := c.bind(e.Expr)
		if err != nil {
			return nil, err
		}
		switch e.Operator {
		case sqlparser.UPlusStr:
			return x, nil
		case sqlparser.UMinusStr:
			if k, ok := x.(*expr.Const); ok && !k.Val.Null {
				v := k.Val
				v.I, v.F = -v.I, -v.F
				return &expr.Const{Val: v, Typ: k.Typ}, nil
			}
			if !x.Type().IsNumeric() {
				return nil, fmt.Errorf("Binder Error: cannot negate a value of type %s", x.Type())
			}
			return &expr.Func{Op: expr.OpNeg, Args: []expr.Expr{x}, Typ: x.Type()}, nil
		}
	case *sqlparser.CaseExpr:
		return c.caseExpr(e)
	case *sqlparser.FuncExpr:
		return c.function(e)
	case *sqlparser.SubstrExpr:
		s, err := c.bind(e.Name)
		if err != nil {
			return nil, err
		}
		args := []sqlparser.Expr{e.From}
		if e.To != nil {
			args = append(args, e.To)
		}
		return c.substring(s, args)
	case *sqlparser.ConvertExpr:
		x, err := c.bind(e.Expr)
		if err != nil {
			return nil, err
		}
		t, err := parseType(sqlparser.String(e.Type))
		if err != nil {
			return nil, err
		}
		return castTo(x, t)
	case *sqlparser.IntervalExpr:
		return nil, fmt.Errorf("Binder Error: an INTERVAL can only be added to or subtracted from a date (%s)", sqlparser.String(e))
	case *sqlparser.ExistsExpr:
		return c.exists(e, false)
	case *sqlparser.Subquery:
		return c.scalar(e)
	}
	return nil, fmt.Errorf("Not implemented Error: unsupported expression %s", sqlparser.String(e))
}

func bindLiteral(v *sqlparser.SQLVal) (expr.Expr, error) {
	s := string(v.Val)
	switch v.Type {
	case sqlparser.StrVal:
		return &expr.Const{Val: coldata.Datum{S: s}, Typ: coldata.TypeString}, nil
	case sqlparser.IntVal:
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			f, _ := strconv.ParseFloat(s, 64)
			return &expr.Const{Val: coldata.Datum{F: f}, Typ: coldata.TypeFloat64}, nil
		}
		if i >= math.MinInt32 && i <= math.MaxInt32 {
			return &expr.Const{Val: coldata.Datum{I: i}, Typ: coldata.TypeInt32}, nil
		}
		return &expr.Const{Val: coldata.Datum{I: i}, Typ: coldata.TypeInt64}, nil
	case sqlparser.FloatVal:
		if !strings.ContainsAny(s, "eE") {
			p, sc := coldata.DecimalDigits(s)
			if p <= 18 {
				d, err := coldata.ParseDecimal(s, sc)
				if err == nil {
					return &expr.Const{Val: coldata.Datum{I: d}, Typ: coldata.DecimalType(p, sc)}, nil
				}
			}
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("Parser Error: bad number %q", s)
		}
		return &expr.Const{Val: coldata.Datum{F: f}, Typ: coldata.TypeFloat64}, nil
	}
	return nil, fmt.Errorf("Not implemented Error: unsupported literal %s", sqlparser.String(v))
}

func (c *exprCtx) logical(op expr.Op, l, r sqlparser.Expr) (expr.Expr, error) {
	a, err := c.bindBool(l)
	if err != nil {
		return nil, err
	}
	b, err := c.bindBool(r)
	if err != nil {
		return nil, err
	}
	return &expr.Func{Op: op, Args: []expr.Expr{a, b}, Typ: coldata.TypeBool}, nil
}

var comparisonOps = map[string]expr.Op{
	sqlparser.EqualStr: expr.OpEq, sqlparser.NotEqualStr: expr.OpNe, sqlparser.LessThanStr: expr.OpLt,
	sqlparser.LessEqualStr: expr.OpLe, sqlparser.GreaterThanStr: expr.OpGt, sqlparser.GreaterEqualStr: expr.OpGe,
}

func (c *exprCtx) comparison(e *sqlparser.ComparisonExpr) (expr.Expr, error) {
	l, err := c.bind(e.Left)
	if err != nil {
		return nil, err
	}
	if op, ok := comparisonOps[e.Operator]; ok {
		r, err := c.bind(e.Right)
		if err != nil {
			return nil, err
		}
		return c.compare(op, l, r)
	}
	switch e.Operator {
	case sqlparser.InStr, sqlparser.NotInStr:
		if sub, ok := e.Right.(*sqlparser.Subquery); ok {
			if c.conj != sqlparser.Expr(e) {
				return c.inSubqueryValue(l, sub, e.Operator == sqlparser.NotInStr)
			}
			return c.inSubquery(l, sub, e.Operator == sqlparser.NotInStr)
		}
		tuple, ok := e.Right.(sqlparser.ValTuple)
		if !ok {
			return nil, fmt.Errorf("Not implemented Error: IN needs a list or a subquery: %s", sqlparser.String(e))
		}
		return c.inList(l, tuple, e.Operator == sqlparser.NotInStr)
	case sqlparser.LikeStr, sqlparser.NotLikeStr:
		var esc byte
		if e.Escape != nil {
			x, err := c.bind(e.Escape)
			if err != nil {
				return nil, err
			}
			k, ok := x.(*expr.Const)
			if !ok || k.Typ.ID != coldata.String || len(k.Val.S) != 1 {
				return nil, fmt.Errorf("Binder Error: the ESCAPE of LIKE must be a single character: %s", sqlparser.String(e.Escape))
			}
			esc = k.Val.S[0]
		}
		r, err := c.bind(e.Right)
		if err != nil {
			return nil, err
		}
		pat, ok := r.(*expr.Const)
		if !ok || pat.Typ.ID != coldata.String {
			return nil, fmt.Errorf("Not implemented Error: LIKE needs a constant string pattern: %s", sqlparser.String(e))
		}
		if l, err = castTo(l, coldata.TypeString); err != nil {
			return nil, err
		}
		p, err := likePattern(pat.Val.S, esc)
		if err != nil {
			return nil, err
		}
		return &expr.Like{Arg: l, Pattern: p, Not: e.Operator == sqlparser.NotLikeStr}, nil
	}
	return nil, fmt.Errorf("Not implemented Error: operator %s is not supported", e.Operator)
}

// compare builds l op r, casting operands to a common type. A constant is
// cast to the other side's type when that loses nothing, so `col < 24`
// stays a column-vs-constant predicate the scanner can use.
func (c *exprCtx) compare(op expr.Op, l, r expr.Expr) (expr.Expr, error) {
	if err := checkNotNested("comparison", l); err != nil {
		return nil, err
	}
	if err := checkNotNested("comparison", r); err != nil {
		return nil, err
	}
	lt, rt := l.Type(), r.Type()
	var t coldata.Type
	if k, ok := r.(*expr.Const); ok && lt != rt && constFits(k, lt) {
		t = lt
	} else if k, ok := l.(*expr.Const); ok && lt != rt && constFits(k, rt) {
		t = rt
	} else {
		var err error
		if t, err = commonType(lt, rt); err != nil {
			return nil, fmt.Errorf("Binder Error: Cannot compare values of type %s and type %s (%s %s %s)", lt, rt, l, op, r)
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

func (c *exprCtx) inList(l expr.Expr, tuple sqlparser.ValTuple, not bool) (expr.Expr, error) {
	items := make([]expr.Expr, len(tuple))
	allConst := true
	t := l.Type()
	for i, it := range tuple {
		x, err := c.bind(it)
		if err != nil {
			return nil, err
		}
		items[i] = x
		k, isConst := x.(*expr.Const)
		if !isConst {
			allConst = false
		}
		if x.Type() != t && !(isConst && constFits(k, l.Type())) {
			if t, err = commonType(t, x.Type()); err != nil {
				return nil, fmt.Errorf("Binder Error: Cannot compare values of type %s and type %s in IN list", l.Type(), x.Type())
			}
		}
	}
	if !allConst {
		// Non-constant lists become a disjunction of equalities.
		var out expr.Expr
		for _, x := range items {
			eq, err := c.compare(expr.OpEq, l, x)
			if err != nil {
				return nil, err
			}
			if out == nil {
				out = eq
			} else {
				out = &expr.Func{Op: expr.OpOr, Args: []expr.Expr{out, eq}, Typ: coldata.TypeBool}
			}
		}
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
	seen := map[coldata.Datum]bool{}
	for _, x := range items {
		k, err := castTo(x, t)
		if err != nil {
			return nil, err
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
	return in, nil
}

var arithOps = map[string]expr.Op{
	sqlparser.PlusStr: expr.OpAdd, sqlparser.MinusStr: expr.OpSub, sqlparser.MultStr: expr.OpMul,
	sqlparser.DivStr: expr.OpDiv, sqlparser.ModStr: expr.OpMod, sqlparser.IntDivStr: expr.OpIntDiv,
}

func (c *exprCtx) arith(e *sqlparser.BinaryExpr) (expr.Expr, error) {
	if e.Operator == sqlparser.BitOrStr {
		return c.concat(e.Left, e.Right)
	}
	op, ok := arithOps[e.Operator]
	if !ok {
		return nil, fmt.Errorf("Not implemented Error: operator %s is not supported", e.Operator)
	}
	l, err := c.bind(e.Left)
	if err != nil {
		return nil, err
	}
	if iv, ok := e.Right.(*sqlparser.IntervalExpr); ok && (op == expr.OpAdd || op == expr.OpSub) {
		return c.dateInterval(l, iv, op == expr.OpSub)
	}
	r, err := c.bind(e.Right)
	if err != nil {
		return nil, err
	}
	return arithmetic(op, l, r)
}

// arithmetic types l op r (see the typing contract in planner/expr).
func arithmetic(op expr.Op, l, r expr.Expr) (expr.Expr, error) {
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
	if lt.ID == coldata.Unknown || rt.ID == coldata.Unknown {
		t := lt
		if t.ID == coldata.Unknown {
			t = rt
		}
		return &expr.Const{Val: coldata.NullDatum, Typ: t}, nil
	}
	if lt.ID == coldata.String || rt.ID == coldata.String {
		return nil, fmt.Errorf("Binder Error: No function matches the given name and argument types '%s(%s, %s)'", op, lt, rt)
	}
	if !lt.IsNumeric() || !rt.IsNumeric() {
		return nil, fmt.Errorf("Binder Error: cannot apply %s to %s and %s", op, lt, rt)
	}
	if op == expr.OpIntDiv {
		if !lt.IsInteger() || !rt.IsInteger() {
			// DuckDB's // divides other numbers as / does.
			op = expr.OpDiv
		} else {
			t, err := commonType(lt, rt)
			if err != nil {
				return nil, err
			}
			a, b, err := castBoth(l, r, t)
			if err != nil {
				return nil, err
			}
			return &expr.Func{Op: op, Args: []expr.Expr{a, b}, Typ: t}, nil
		}
	}
	switch op {
	case expr.OpDiv:
		a, b, err := castBoth(l, r, coldata.TypeFloat64)
		if err != nil {
			return nil, err
		}
		return &expr.Func{Op: op, Args: []expr.Expr{a, b}, Typ: coldata.TypeFloat64}, nil
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
			return &expr.Func{Op: op, Args: []expr.Expr{a, b}, Typ: decimalOf(int(at.Precision)-int(at.Scale)+int(bt.Precision)-int(bt.Scale), scale)}, nil
		}
	}
	t, err := commonType(lt, rt)
	if err != nil {
		return nil, err
	}
	// A constant operand takes the column's type when it fits, so that
	// 1 - l_discount stays DECIMAL(15,2)-sized rather than widening.
	if k, ok := l.(*expr.Const); ok && constFits(k, rt) && rt.ID == coldata.Decimal {
		t = rt
	} else if k, ok := r.(*expr.Const); ok && constFits(k, lt) && lt.ID == coldata.Decimal {
		t = lt
	}
	a, b, err := castBoth(l, r, t)
	if err != nil {
		return nil, err
	}
	res := t
	if t.ID == coldata.Decimal && (op == expr.OpAdd || op == expr.OpSub) {
		res = decimalOf(int(t.Precision)-int(t.Scale)+1, int(t.Scale))
	}
	return &expr.Func{Op: op, Args: []expr.Expr{a, b}, Typ: res}, nil
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
	return coldata.DecimalType(intDigits(t), 0)
}

func (c *exprCtx) dateInterval(l expr.Expr, iv *sqlparser.IntervalExpr, sub bool) (expr.Expr, error) {
	n, err := c.bind(iv.Expr)
	if err != nil {
		return nil, err
	}
	if !n.Type().IsInteger() {
		return nil, fmt.Errorf("Binder Error: INTERVAL needs an integer count, got %s", n.Type())
	}
	if l.Type().ID == coldata.String {
		if l, err = castTo(l, coldata.TypeDate); err != nil {
			return nil, err
		}
	}
	if l.Type().ID != coldata.Date {
		return nil, fmt.Errorf("Not implemented Error: INTERVAL arithmetic on %s is not supported yet", l.Type())
	}
	if n, err = castTo(n, coldata.TypeInt64); err != nil {
		return nil, err
	}
	op, mult := expr.OpDateAddDays, int64(1)
	switch strings.ToLower(iv.Unit) {
	case "day":
	case "week":
		mult = 7
	case "month":
		op = expr.OpDateAddMonths
	case "quarter":
		op, mult = expr.OpDateAddMonths, 3
	case "year":
		op, mult = expr.OpDateAddMonths, 12
	default:
		return nil, fmt.Errorf("Not implemented Error: INTERVAL unit %s on a DATE is not supported", iv.Unit)
	}
	if sub {
		mult = -mult
	}
	if mult != 1 {
		if k, ok := n.(*expr.Const); ok {
			n = &expr.Const{Val: coldata.Datum{I: k.Val.I * mult}, Typ: coldata.TypeInt64}
		} else {
			n = &expr.Func{Op: expr.OpMul, Args: []expr.Expr{n, &expr.Const{Val: coldata.Datum{I: mult}, Typ: coldata.TypeInt64}}, Typ: coldata.TypeInt64}
		}
	}
	out := &expr.Func{Op: op, Args: []expr.Expr{l, n}, Typ: coldata.TypeDate}
	if d, ok := l.(*expr.Const); ok {
		if k, ok := n.(*expr.Const); ok && !d.Val.Null && !k.Val.Null {
			return &expr.Const{Val: coldata.Datum{I: int64(foldDateAdd(int32(d.Val.I), k.Val.I, op == expr.OpDateAddMonths))}, Typ: coldata.TypeDate}, nil
		}
	}
	return out, nil
}

// foldDateAdd adds days or months (clamping to month end, like DuckDB).
func foldDateAdd(days int32, n int64, months bool) int32 {
	if !months {
		return days + int32(n)
	}
	t := coldata.DateToTime(days)
	y, m, d := t.Date()
	total := int64(y)*12 + int64(m-1) + n
	ny, nm := int(total/12), int(total%12)+1
	last := daysIn(ny, nm)
	if d > last {
		d = last
	}
	return coldata.DaysFromTime(dateOf(ny, nm, d))
}

func (c *exprCtx) caseExpr(e *sqlparser.CaseExpr) (expr.Expr, error) {
	var subject expr.Expr
	var err error
	if e.Expr != nil {
		if subject, err = c.bind(e.Expr); err != nil {
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
				return nil, err
			}
		} else if cond, err = c.bindBool(w.Cond); err != nil {
			return nil, err
		}
		then, err := c.bind(w.Val)
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
			return nil, fmt.Errorf("Binder Error: CASE branches have incompatible types: %v", err)
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

// concat is a || b: NULL if either is NULL; non-strings are cast to text.
func (c *exprCtx) concat(l, r sqlparser.Expr) (expr.Expr, error) {
	a, err := c.bind(l)
	if err != nil {
		return nil, err
	}
	b, err := c.bind(r)
	if err != nil {
		return nil, err
	}
	if a, err = castTo(a, coldata.TypeString); err != nil {
		return nil, err
	}
	if b, err = castTo(b, coldata.TypeString); err != nil {
		return nil, err
	}
	return &expr.Func{Op: expr.OpConcat, Args: []expr.Expr{a, b}, Typ: coldata.TypeString}, nil
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
				return "", fmt.Errorf("Invalid Input Error: LIKE pattern must not end with the escape character: %q", p)
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
