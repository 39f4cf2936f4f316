package sql

import (
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

func init() { dateFuncNames["time_bucket"], dateFuncNames["date_add"] = true, true }

// intervalFunction binds the functions taking INTERVAL literals:
// time_bucket, and date_add(x, interval) = x + interval as a TIMESTAMP.
func (c *exprCtx) intervalFunction(e *ast.FuncCall, name string, argList []ast.Expr) (expr.Expr, error) {
	if name == "time_bucket" {
		return c.timeBucket(e, argList)
	}
	if len(argList) != 2 {
		return nil, binderErr(e, "function %s does not take %d arguments", name, len(argList))
	}
	iv, null := intervalLiteral(argList[1])
	if null {
		return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeTimestamp}, nil
	}
	if iv == nil {
		return nil, notImplemented(e, "date_add with an interval that is not an INTERVAL literal")
	}
	x, err := c.bind(argList[0])
	if err != nil {
		return nil, err
	}
	if x, err = datePartArg(e, x); err != nil {
		return nil, err
	}
	parts, err := c.intervalParts(iv)
	if err != nil {
		return nil, err
	}
	return timestampInterval(x, parts, false)
}

// timeBucket binds time_bucket(width, x [, offset | origin]): width and
// offset are constant INTERVALs, x a DATE (the result a DATE) or TIMESTAMP,
// origin a DATE or TIMESTAMP expression.
func (c *exprCtx) timeBucket(e *ast.FuncCall, argList []ast.Expr) (expr.Expr, error) {
	if len(argList) < 2 || len(argList) > 3 {
		return nil, binderErr(e, "function time_bucket does not take %d arguments", len(argList))
	}
	iv, null := intervalLiteral(argList[0])
	if null {
		return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeTimestamp}, nil
	}
	if iv == nil {
		return nil, notImplemented(e, "time_bucket with a width that is not an INTERVAL literal")
	}
	w, err := c.constInterval(iv)
	if err != nil {
		return nil, err
	}
	if w.I != 0 && (w.I2 != 0 || w.I3 != 0) {
		return nil, errAt(e, "Not implemented", "Month intervals cannot have day or time component")
	}
	if w.I < 0 || w.I == 0 && (w.I2 < 0 || w.I3 < 0 || w.I2 == 0 && w.I3 == 0) {
		return nil, errAt(e, "Not implemented", "Period must be greater than 0")
	}
	x, err := c.bind(argList[1])
	if err != nil {
		return nil, err
	}
	if x, err = datePartArg(e, x); err != nil {
		return nil, err
	}
	resT := x.Type()
	if resT.ID == coldata.Unknown {
		return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeTimestamp}, nil
	}
	k := func(v int64) expr.Expr { return &expr.Const{Val: coldata.Datum{I: v}, Typ: coldata.TypeInt64} }
	// Default origins: a Monday for day and time widths, 2000-01-01 for months.
	origin := &expr.Const{Val: coldata.Datum{I: 946_857_600_000_000}, Typ: coldata.TypeTimestamp}
	if w.I != 0 {
		origin = &expr.Const{Val: coldata.Datum{I: 946_684_800_000_000}, Typ: coldata.TypeTimestamp}
	}
	var org expr.Expr = origin
	var off coldata.Datum
	if len(argList) == 3 {
		if oiv, null := intervalLiteral(argList[2]); null {
			return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeTimestamp}, nil
		} else if oiv != nil {
			if off, err = c.constInterval(oiv); err != nil {
				return nil, err
			}
		} else {
			o, err := c.bind(argList[2])
			if err != nil {
				return nil, err
			}
			if o, err = datePartArg(e, o); err != nil {
				return nil, err
			}
			if org, err = castTo(o, coldata.TypeTimestamp); err != nil {
				return nil, err
			}
		}
	}
	ts, err := castTo(x, coldata.TypeTimestamp)
	if err != nil {
		return nil, err
	}
	out := expr.Expr(&expr.Func{Op: expr.OpTimeBucket, Typ: coldata.TypeTimestamp,
		Args: []expr.Expr{ts, org, k(w.I), k(w.I2*86_400_000_000 + w.I3), k(off.I), k(off.I2), k(off.I3)}})
	if resT.ID == coldata.Date {
		return castTo(out, coldata.TypeDate)
	}
	return out, nil
}

// intervalLiteral reads a constant INTERVAL written as a literal or as
// 'text'::INTERVAL; null reports NULL::INTERVAL.
func intervalLiteral(a ast.Expr) (iv *ast.Interval, null bool) {
	switch x := a.(type) {
	case *ast.Interval:
		return x, false
	case *ast.Cast:
		if x.Type == nil || !strings.EqualFold(x.Type.Name, "INTERVAL") || x.Try {
			return nil, false
		}
		switch v := x.X.(type) {
		case *ast.StringLit:
			return &ast.Interval{At: x.At, Value: v}, false
		case *ast.NullLit:
			return nil, true
		}
	}
	return nil, false
}
