package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// subDay reports whether an interval has a part below a day, which makes
// DATE ± INTERVAL a TIMESTAMP.
func subDay(parts []intervalPart) bool {
	for _, p := range parts {
		if p.unit.us != 0 {
			return true
		}
	}
	return false
}

// timestampInterval binds timestamp ± interval (and date ± an interval
// with hours, minutes, ...): one OpTSAddInterval of the summed months,
// days and microseconds.
func timestampInterval(l expr.Expr, parts []intervalPart, sub bool) (expr.Expr, error) {
	l, err := castTo(l, coldata.TypeTimestamp)
	if err != nil {
		return nil, err
	}
	var sums [3]expr.Expr // months, days, microseconds
	for _, p := range parts {
		field, mult := 1, p.unit.mult
		switch {
		case p.unit.us != 0:
			field, mult = 2, p.unit.us
		case p.unit.months:
			field = 0
		}
		if sub {
			mult = -mult
		}
		term := scaleConst(p.n, mult)
		if sums[field] == nil {
			sums[field] = term
		} else {
			sums[field] = &expr.Func{Op: expr.OpAdd, Args: []expr.Expr{sums[field], term}, Typ: coldata.TypeInt64}
		}
	}
	for i := range sums {
		if sums[i] == nil {
			sums[i] = &expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt64}
		}
	}
	return &expr.Func{Op: expr.OpTSAddInterval, Args: []expr.Expr{l, sums[0], sums[1], sums[2]}, Typ: coldata.TypeTimestamp}, nil
}

// scaleConst is n * k, folded when n is a constant.
func scaleConst(n expr.Expr, k int64) expr.Expr {
	if k == 1 {
		return n
	}
	if c, ok := n.(*expr.Const); ok && !c.Val.Null {
		if v, ok := mulNoOverflow(c.Val.I, k); ok {
			return &expr.Const{Val: coldata.Datum{I: v}, Typ: coldata.TypeInt64}
		}
	}
	return &expr.Func{Op: expr.OpMul, Args: []expr.Expr{n, &expr.Const{Val: coldata.Datum{I: k}, Typ: coldata.TypeInt64}}, Typ: coldata.TypeInt64}
}

func mulNoOverflow(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	p := a * b
	return p, p/b == a && !(a == -1 && b == -1<<63) && !(b == -1 && a == -1<<63)
}
