package sql

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xwb1989/sqlparser"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

var reDecimalType = regexp.MustCompile(`^(?:DECIMAL|NUMERIC)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$`)
var reSizedType = regexp.MustCompile(`^([A-Z ]+?)\s*\(\s*\d+\s*\)$`)

// parseType parses a SQL type name as written in CAST.
func parseType(s string) (coldata.Type, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	if m := reDecimalType.FindStringSubmatch(u); m != nil {
		p, sc := 18, 3
		if m[1] != "" {
			p, _ = strconv.Atoi(m[1])
			sc = 0
		}
		if m[2] != "" {
			sc, _ = strconv.Atoi(m[2])
		}
		if p < 1 || p > coldata.MaxDecimalPrecision || sc > p {
			return coldata.Type{}, fmt.Errorf("Binder Error: invalid DECIMAL(%d,%d): width must be between 1 and 38 and scale at most the width", p, sc)
		}
		if sc > 18 {
			return coldata.Type{}, fmt.Errorf("Not implemented Error: DECIMAL scale above 18 is not supported")
		}
		return coldata.DecimalType(p, sc), nil
	}
	if m := reSizedType.FindStringSubmatch(u); m != nil {
		u = m[1] // VARCHAR(25) → VARCHAR
	}
	if t, ok := coldata.ParseTypeName(u); ok {
		return t, nil
	}
	return coldata.Type{}, fmt.Errorf("Catalog Error: Type with name %s does not exist!", s)
}

func (c *exprCtx) args(e *sqlparser.FuncExpr) ([]expr.Expr, error) {
	out := make([]expr.Expr, 0, len(e.Exprs))
	for _, se := range e.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return nil, fmt.Errorf("Binder Error: * is not a valid argument to %s", e.Name.String())
		}
		x, err := c.bind(ae.Expr)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func (c *exprCtx) function(e *sqlparser.FuncExpr) (expr.Expr, error) {
	name := e.Name.Lowered()
	if _, ok := aggNames[name]; ok {
		return nil, fmt.Errorf("Binder Error: aggregate function %s is not allowed in %s", name, c.clause)
	}
	if e.Distinct {
		return nil, fmt.Errorf("Binder Error: DISTINCT is only allowed in aggregate functions")
	}
	args, err := c.args(e)
	if err != nil {
		return nil, err
	}
	want := func(n ...int) error {
		for _, k := range n {
			if len(args) == k {
				return nil
			}
		}
		return fmt.Errorf("Binder Error: function %s does not take %d arguments", name, len(args))
	}
	call := func(op expr.Op, t coldata.Type, xs ...expr.Expr) expr.Expr {
		return &expr.Func{Op: op, Args: xs, Typ: t}
	}
	str := func(i int) (expr.Expr, error) { return castTo(args[i], coldata.TypeString) }
	if x, ok, err := nestedFunction(name, args); ok {
		return x, err
	}
	switch name {
	case "__cast":
		if err := want(2); err != nil {
			return nil, err
		}
		tn, _ := args[1].(*expr.Const)
		t, err := parseType(tn.Val.S)
		if err != nil {
			return nil, err
		}
		return castTo(args[0], t)
	case "__extract_year", "year", "__extract_month", "month", "__extract_day", "day":
		if err := want(1); err != nil {
			return nil, err
		}
		op := map[string]expr.Op{"year": expr.OpExtractYear, "month": expr.OpExtractMonth, "day": expr.OpExtractDay}[strings.TrimPrefix(name, "__extract_")]
		a := args[0]
		if a.Type().ID == coldata.String {
			if a, err = castTo(a, coldata.TypeDate); err != nil {
				return nil, err
			}
		}
		if a.Type().ID != coldata.Date && a.Type().ID != coldata.Timestamp {
			return nil, fmt.Errorf("Binder Error: %s needs a DATE or TIMESTAMP, got %s", strings.TrimPrefix(name, "__extract_"), a.Type())
		}
		return call(op, coldata.TypeInt64, a), nil
	case "upper", "ucase", "lower", "lcase", "trim":
		if err := want(1); err != nil {
			return nil, err
		}
		a, err := str(0)
		if err != nil {
			return nil, err
		}
		op := map[string]expr.Op{"upper": expr.OpUpper, "ucase": expr.OpUpper, "lower": expr.OpLower, "lcase": expr.OpLower, "trim": expr.OpTrim}[name]
		return call(op, coldata.TypeString, a), nil
	case "length", "char_length", "character_length", "len", "strlen":
		if err := want(1); err != nil {
			return nil, err
		}
		a, err := str(0)
		if err != nil {
			return nil, err
		}
		return call(expr.OpLength, coldata.TypeInt64, a), nil
	case "substring", "substr", "__substring":
		if len(args) < 2 || len(args) > 3 {
			return nil, want(2, 3)
		}
		return c.substringBound(args[0], args[1:])
	case "concat":
		var out expr.Expr
		for i := range args {
			a, err := str(i)
			if err != nil {
				return nil, err
			}
			// concat() skips NULLs, unlike ||.
			a = call(expr.OpCoalesce, coldata.TypeString, a, &expr.Const{Val: coldata.Datum{S: ""}, Typ: coldata.TypeString})
			if out == nil {
				out = a
			} else {
				out = call(expr.OpConcat, coldata.TypeString, out, a)
			}
		}
		if out == nil {
			return nil, want(1)
		}
		return out, nil
	case "starts_with", "prefix", "contains":
		if err := want(2); err != nil {
			return nil, err
		}
		a, err := str(0)
		if err != nil {
			return nil, err
		}
		b, err := str(1)
		if err != nil {
			return nil, err
		}
		op := expr.OpStartsWith
		if name == "contains" {
			op = expr.OpContains
		}
		return call(op, coldata.TypeBool, a, b), nil
	case "abs":
		if err := want(1); err != nil {
			return nil, err
		}
		if !args[0].Type().IsNumeric() {
			return nil, fmt.Errorf("Binder Error: abs needs a number, got %s", args[0].Type())
		}
		return call(expr.OpAbs, args[0].Type(), args[0]), nil
	case "round":
		if err := want(1, 2); err != nil {
			return nil, err
		}
		if !args[0].Type().IsNumeric() {
			return nil, fmt.Errorf("Binder Error: round needs a number, got %s", args[0].Type())
		}
		digits := expr.Expr(&expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt64})
		if len(args) == 2 {
			if digits, err = castTo(args[1], coldata.TypeInt64); err != nil {
				return nil, err
			}
		}
		r := call(expr.OpRound, args[0].Type(), args[0], digits)
		// DuckDB types round(DECIMAL(p,s), d) with a constant d as
		// DECIMAL(p, max(d,0)): the rounded-off digits are dropped.
		t := args[0].Type()
		if k, ok := digits.(*expr.Const); ok && !k.Val.Null && t.ID == coldata.Decimal {
			d := max(k.Val.I, 0)
			if d < int64(t.Scale) {
				return castTo(r, coldata.DecimalType(int(t.Precision), int(d)))
			}
		}
		return r, nil
	case "nullif":
		// NULLIF(a, b) = CASE WHEN a = b THEN NULL ELSE a END, typed as a.
		if err := want(2); err != nil {
			return nil, err
		}
		eq, err := c.compare(expr.OpEq, args[0], args[1])
		if err != nil {
			return nil, err
		}
		return &expr.Case{Whens: []expr.When{{Cond: eq, Then: &expr.Const{Val: coldata.NullDatum, Typ: args[0].Type()}}}, Else: args[0], Typ: args[0].Type()}, nil
	case "coalesce", "ifnull":
		if len(args) == 0 {
			return nil, want(1)
		}
		t := coldata.TypeUnknown
		for _, a := range args {
			if t, err = resultType(t, a.Type()); err != nil {
				return nil, fmt.Errorf("Binder Error: %s arguments have incompatible types: %v", name, err)
			}
		}
		for i := range args {
			if args[i], err = castTo(args[i], t); err != nil {
				return nil, err
			}
		}
		return call(expr.OpCoalesce, t, args...), nil
	}
	return nil, fmt.Errorf("Catalog Error: Scalar Function with name %s does not exist!", name)
}

func (c *exprCtx) substring(s expr.Expr, rest []sqlparser.Expr) (expr.Expr, error) {
	var args []expr.Expr
	for _, r := range rest {
		x, err := c.bind(r)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	return c.substringBound(s, args)
}

func (c *exprCtx) substringBound(s expr.Expr, rest []expr.Expr) (expr.Expr, error) {
	s, err := castTo(s, coldata.TypeString)
	if err != nil {
		return nil, err
	}
	args := []expr.Expr{s}
	for _, r := range rest {
		if !r.Type().IsInteger() {
			return nil, fmt.Errorf("Binder Error: substring positions must be integers, got %s", r.Type())
		}
		x, err := castTo(r, coldata.TypeInt64)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	return &expr.Func{Op: expr.OpSubstring, Args: args, Typ: coldata.TypeString}, nil
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func dateOf(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
