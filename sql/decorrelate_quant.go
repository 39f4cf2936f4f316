package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// quantifiedDependent binds x op ANY|ALL (subquery) for the operators IN
// and NOT IN do not cover. One aggregate per D row (min, max, the row and
// non-NULL counts) decides it: x > ANY holds when x > min, x > ALL fails
// when x <= max, and what is left is NULL when x or some value is NULL,
// else the quantifier's answer for no counterexample.
func (c *exprCtx) quantifiedDependent(e *ast.Quantified, op expr.Op) (expr.Expr, error) {
	x, err := c.bind(e.X)
	if err != nil {
		return nil, err
	}
	res, err := c.bindDependent(e.Query)
	if err != nil {
		return nil, err
	}
	if len(res.names) != 1 {
		return nil, errSubqueryColumns(len(res.names))
	}
	v := res.node.Cols()[0]
	mn, mx := c.b.newCol("__min", "", v.Type), c.b.newCol("__max", "", v.Type)
	rows, vals := c.b.newCol("__rows", "", coldata.TypeInt64), c.b.newCol("__values", "", coldata.TypeInt64)
	err = c.dependent(e, res.node, func(d *decor, r planner.Node, m colMap) (planner.Node, error) {
		mc := d.cols(m)
		agg := &planner.Aggregate{Input: r, Groups: mc, Aggs: []planner.AggCall{
			{Func: planner.AggMin, Arg: colExpr(v), Typ: v.Type},
			{Func: planner.AggMax, Arg: colExpr(v), Typ: v.Type},
			{Func: planner.AggCountStar, Typ: coldata.TypeInt64},
			{Func: planner.AggCount, Arg: colExpr(v), Typ: coldata.TypeInt64},
		}}
		agg.Out = append(append(agg.Out, mc...), mn, mx, rows, vals)
		return d.joinBack(d.outer, d.byD(agg), m)
	})
	if err != nil {
		return nil, err
	}
	all := e.Quant == "ALL"
	// decisive is true for a value settling the answer: one that
	// satisfies op for ANY, one that fails it for ALL.
	var decisive expr.Expr
	switch op {
	case expr.OpEq, expr.OpNe:
		// = ALL fails and <> ANY holds when x differs from min or max.
		a, err := c.compare(expr.OpNe, x, colExpr(mn))
		if err != nil {
			return nil, err
		}
		b, err := c.compare(expr.OpNe, x, colExpr(mx))
		if err != nil {
			return nil, err
		}
		decisive = expr.Or(a, b)
	default:
		ext := mn // x > ANY: x > min; x < ALL fails: x >= min
		if (op == expr.OpLt || op == expr.OpLe) != all {
			ext = mx
		}
		cmp := op
		if all {
			cmp = op.Negate()
		}
		if decisive, err = c.compare(cmp, x, colExpr(ext)); err != nil {
			return nil, err
		}
	}
	boolc := func(b bool) expr.Expr { return &expr.Const{Val: coldata.Datum{B: b}, Typ: coldata.TypeBool} }
	zero := &expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt64}
	empty := expr.Or(&expr.IsNull{Arg: colExpr(rows)},
		&expr.Func{Op: expr.OpEq, Args: []expr.Expr{colExpr(rows), zero}, Typ: coldata.TypeBool})
	hasNull := expr.Or(&expr.IsNull{Arg: x},
		&expr.Func{Op: expr.OpNe, Args: []expr.Expr{colExpr(rows), colExpr(vals)}, Typ: coldata.TypeBool})
	return &expr.Case{Typ: coldata.TypeBool, Else: boolc(all), Whens: []expr.When{
		{Cond: empty, Then: boolc(all)},
		{Cond: decisive, Then: boolc(!all)},
		{Cond: hasNull, Then: &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeBool}},
	}}, nil
}
