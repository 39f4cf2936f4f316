package sql

import (
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// intervalUnit says what one unit of an interval adds to a date.
type intervalUnit struct {
	months bool  // months (else days)
	mult   int64 // how many months or days
	us     int64 // for the units below a day: how many microseconds (months and mult unused)
}

var intervalUnits = map[string]intervalUnit{
	"hour": {us: 3_600_000_000}, "minute": {us: 60_000_000}, "second": {us: 1_000_000},
	"millisecond": {us: 1000}, "microsecond": {us: 1},
	"day": {false, 1, 0}, "week": {false, 7, 0}, "month": {true, 1, 0}, "quarter": {true, 3, 0}, "year": {true, 12, 0},
	"decade": {true, 120, 0}, "century": {true, 1200, 0}, "centurie": {true, 1200, 0}, "millennium": {true, 12000, 0},
	"millennia": {true, 12000, 0},
}

// unitOf normalizes an interval unit (DAYS, Day, d...) to its singular.
func unitOf(s string) (intervalUnit, string, bool) {
	u := strings.ToLower(s)
	if v, ok := intervalUnits[u]; ok {
		return v, u, true
	}
	if v, ok := intervalUnits[strings.TrimSuffix(u, "s")]; ok {
		return v, strings.TrimSuffix(u, "s"), true
	}
	return intervalUnit{}, u, false
}

// intervalPart is one `count unit` of an interval.
type intervalPart struct {
	n    expr.Expr // BIGINT count
	unit intervalUnit
}

// intervalParts reads an interval literal: INTERVAL n unit, INTERVAL (e)
// unit, INTERVAL 'n' unit, or INTERVAL 'n unit [n unit ...]'.
func (c *exprCtx) intervalParts(iv *ast.Interval) ([]intervalPart, error) {
	if iv.ToUnit != "" {
		return nil, notImplemented(iv, "INTERVAL ... TO ...")
	}
	if iv.Unit == "" {
		s, ok := iv.Value.(*ast.StringLit)
		if !ok {
			return nil, binderErr(iv, "an INTERVAL needs a unit")
		}
		f := strings.Fields(s.Value)
		if len(f) == 0 || len(f)%2 != 0 {
			return nil, errAt(iv.Value, "Conversion", "Could not convert string '%s' to INTERVAL", clip(s.Value))
		}
		var out []intervalPart
		for k := 0; k < len(f); k += 2 {
			n, err := strconv.ParseInt(f[k], 10, 64)
			u, name, ok := unitOf(f[k+1])
			if err != nil || !ok {
				if _, perr := strconv.ParseFloat(f[k], 64); perr == nil && !ok {
					return nil, errAt(iv, "Not implemented", "INTERVAL unit %s on a DATE is not supported", clip(name))
				}
				return nil, errAt(iv.Value, "Conversion", "Could not convert string '%s' to INTERVAL", clip(s.Value))
			}
			out = append(out, intervalPart{n: &expr.Const{Val: coldata.Datum{I: n}, Typ: coldata.TypeInt64}, unit: u})
		}
		return out, nil
	}
	u, name, ok := unitOf(iv.Unit)
	if !ok {
		return nil, errAt(iv, "Not implemented", "INTERVAL unit %s on a DATE is not supported", name)
	}
	var n expr.Expr
	if s, isStr := iv.Value.(*ast.StringLit); isStr {
		k, err := strconv.ParseInt(strings.TrimSpace(s.Value), 10, 64)
		if err != nil {
			return nil, errAt(iv.Value, "Conversion", "Could not convert string '%s' to INTERVAL", clip(s.Value))
		}
		n = &expr.Const{Val: coldata.Datum{I: k}, Typ: coldata.TypeInt64}
	} else {
		var err error
		if n, err = c.bind(iv.Value); err != nil {
			return nil, err
		}
		if p, ok := n.(*expr.Param); ok {
			p.Typ = coldata.TypeInt64
		}
		if !n.Type().IsInteger() {
			return nil, binderErr(iv.Value, "INTERVAL needs an integer count, got %s", n.Type())
		}
		if n, err = castTo(n, coldata.TypeInt64); err != nil {
			return nil, err
		}
	}
	return []intervalPart{{n: n, unit: u}}, nil
}

// dateInterval binds date ± interval: a TIMESTAMP, as DuckDB gives.
func (c *exprCtx) dateInterval(l expr.Expr, iv *ast.Interval, sub bool) (expr.Expr, error) {
	parts, err := c.intervalParts(iv)
	if err != nil {
		return nil, err
	}
	if l.Type().ID == coldata.String {
		if l, err = castTo(l, coldata.TypeDate); err != nil {
			return nil, err
		}
	}
	if l.Type().ID == coldata.Timestamp || l.Type().ID == coldata.Date && subDay(parts) {
		return timestampInterval(l, parts, sub)
	}
	if l.Type().ID != coldata.Date {
		return nil, errAt(iv, "Not implemented", "INTERVAL arithmetic on %s is not supported yet", l.Type())
	}
	out := l
	for _, p := range parts {
		op, mult := expr.OpDateAddDays, p.unit.mult
		if p.unit.months {
			op = expr.OpDateAddMonths
		}
		if sub {
			mult = -mult
		}
		n := p.n
		if mult != 1 {
			if k, ok := n.(*expr.Const); ok {
				n = &expr.Const{Val: coldata.Datum{I: k.Val.I * mult}, Typ: coldata.TypeInt64}
			} else {
				n = &expr.Func{Op: expr.OpMul, Args: []expr.Expr{n, &expr.Const{Val: coldata.Datum{I: mult}, Typ: coldata.TypeInt64}}, Typ: coldata.TypeInt64}
			}
		}
		// Constant dates fold with the executor's kernel (fold, in bind).
		out = &expr.Func{Op: op, Args: []expr.Expr{out, n}, Typ: coldata.TypeDate}
	}
	// DuckDB's DATE ± INTERVAL is a TIMESTAMP. Compared with a DATE, a
	// constant one at midnight is compared as a DATE again (constFits in
	// compare), so TPC-H's date filters keep their DATE kernels and pruning.
	return castTo(out, coldata.TypeTimestamp)
}
