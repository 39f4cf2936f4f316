package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// dateFuncNames are the calendar functions dateFunction binds.
var dateFuncNames = map[string]bool{
	"date_trunc": true, "datetrunc": true, "date_diff": true, "datediff": true, "last_day": true,
	"dayname": true, "monthname": true, "make_date": true, "strftime": true,
}

// dateFunction binds date_trunc, date_diff, last_day, dayname, monthname
// and make_date; ok is false for other names.
func dateFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	if !dateFuncNames[name] {
		return nil, false, nil
	}
	n := map[string]int{"date_trunc": 2, "datetrunc": 2, "date_diff": 3, "datediff": 3, "make_date": 3, "strftime": 2}[name]
	if n == 0 {
		n = 1
	}
	if len(args) != n {
		return nil, true, binderErr(e, "function %s does not take %d arguments", name, len(args))
	}
	cast := func(i int, t coldata.Type) (expr.Expr, error) {
		a := args[i]
		if p, ok := a.(*expr.Param); ok {
			p.Typ = t
		}
		if at := a.Type().ID; at != coldata.Date && at != coldata.Timestamp && at != coldata.String && at != coldata.Unknown && t.ID != coldata.Int64 {
			return nil, binderErr(e, "function %s needs a DATE or TIMESTAMP, got %s", name, a.Type())
		}
		return castTo(a, t)
	}
	// part checks a date part argument: a constant DuckDB knows.
	part := func() (*expr.Const, error) {
		x, err := castTo(args[0], coldata.TypeString)
		if err != nil {
			return nil, err
		}
		k, ok := x.(*expr.Const)
		if !ok && (name == "date_trunc" || name == "datetrunc") {
			return nil, nil // a part per row
		}
		if !ok {
			return nil, notImplemented(e, name+" with a part that is not a constant")
		}
		if _, known := expr.DatePart(k.Val.S); !known && !k.Val.Null {
			return nil, &Error{Kind: "Conversion", Msg: "extract specifier \"" + clip(k.Val.S) + "\" not recognized", Pos: -1}
		}
		return k, nil
	}
	var out []expr.Expr
	var op expr.Op
	typ := coldata.TypeDate
	switch name {
	case "date_trunc", "datetrunc":
		p, err := part()
		if err != nil {
			return nil, true, err
		}
		x, err := cast(1, coldata.TypeTimestamp)
		if err != nil {
			return nil, true, err
		}
		if p == nil {
			s, err := castTo(args[0], coldata.TypeString)
			return &expr.Func{Op: expr.OpDateTrunc, Args: []expr.Expr{x, s}, Typ: coldata.TypeTimestamp}, true, err
		}
		if p.Val.Null {
			return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeTimestamp}, true, nil
		}
		op, typ, out = expr.OpDateTrunc, coldata.TypeTimestamp, []expr.Expr{x, p}
	case "date_diff", "datediff":
		p, err := part()
		if err != nil {
			return nil, true, err
		}
		if p.Val.Null {
			return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeInt64}, true, nil
		}
		op, typ, out = expr.OpDateDiff, coldata.TypeInt64, []expr.Expr{p}
		for i := 1; i < 3; i++ {
			x, err := cast(i, coldata.TypeTimestamp)
			if err != nil {
				return nil, true, err
			}
			out = append(out, x)
		}
	case "strftime":
		// strftime(value, format); DuckDB also takes strftime(format, value).
		if args[0].Type().ID == coldata.String && args[1].Type().ID != coldata.String {
			args[0], args[1] = args[1], args[0]
		}
		t := coldata.TypeTimestamp
		if args[0].Type().ID == coldata.Date {
			t = coldata.TypeDate
		}
		x, err := cast(0, t)
		if err != nil {
			return nil, true, err
		}
		f, err := castTo(args[1], coldata.TypeString)
		if err != nil {
			return nil, true, err
		}
		if _, ok := f.(*expr.Const); !ok {
			return nil, true, notImplemented(e, "strftime with a format that is not a constant")
		}
		op, typ, out = expr.OpStrftime, coldata.TypeString, []expr.Expr{x, f}
	case "make_date":
		op = expr.OpMakeDate
		for i := range args {
			if t := args[i].Type(); !t.IsInteger() && t.ID != coldata.Unknown && t.ID != coldata.String {
				return nil, true, binderErr(e, "function make_date needs integers, got %s", t)
			}
			x, err := cast(i, coldata.TypeInt64)
			if err != nil {
				return nil, true, err
			}
			out = append(out, x)
		}
	default:
		x, err := cast(0, coldata.TypeDate)
		if err != nil {
			return nil, true, err
		}
		op = map[string]expr.Op{"last_day": expr.OpLastDay, "dayname": expr.OpDayName, "monthname": expr.OpMonthName}[name]
		if op != expr.OpLastDay {
			typ = coldata.TypeString
		}
		out = []expr.Expr{x}
	}
	return &expr.Func{Op: op, Args: out, Typ: typ}, true, nil
}
