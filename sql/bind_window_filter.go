package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// windowFilter applies an aggregate's FILTER (WHERE f) inside a window:
// the window aggregates (count, sum, avg, min, max) all skip NULLs, so
// agg(x) FILTER (WHERE f) is agg(CASE WHEN f THEN x END), and count(*)
// counts CASE WHEN f THEN 1 END. It returns the call to bind in place of fe
// and its arguments.
func (c *exprCtx) windowFilter(fe *ast.FuncCall, fn planner.AggFunc, bound []expr.Expr) (*ast.FuncCall, []expr.Expr, error) {
	switch fn {
	case planner.AggCount, planner.AggCountStar, planner.AggSum, planner.AggAvg, planner.AggMin, planner.AggMax:
	default:
		return nil, nil, notImplemented(fe.Filter, "FILTER on this window function")
	}
	f, err := c.bind(fe.Filter)
	if err != nil {
		return nil, nil, err
	}
	if f, err = castTo(f, coldata.TypeBool); err != nil {
		return nil, nil, at(err, fe.Filter)
	}
	fc := *fe
	fc.Filter = nil
	if fe.Star || len(bound) == 0 {
		fc.Star = false
		bound = []expr.Expr{&expr.Const{Val: coldata.Datum{I: 1}, Typ: coldata.TypeInt32}}
	}
	out := make([]expr.Expr, len(bound))
	for i, a := range bound {
		out[i] = &expr.Case{Whens: []expr.When{{Cond: f, Then: a}}, Typ: a.Type()}
	}
	return &fc, out, nil
}
