package sql

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// outerScope is the scope of an enclosing query, with its grouping when
// the subquery is evaluated after it (HAVING, a grouped SELECT list).
type outerScope struct {
	sc  *scope
	agg *aggState
}

// withOuter returns a binder whose column names may also resolve in sc, a
// scope enclosing the query it binds: such references are the free
// columns decorrelation removes.
func (b *binder) withOuter(sc *scope, agg *aggState) *binder {
	nb := *b
	nb.outer = append(append([]outerScope(nil), b.outer...), outerScope{sc, agg})
	return &nb
}

// outerColumn resolves a name in the enclosing scopes, innermost first.
func (b *binder) outerColumn(table, name string) (expr.Expr, bool, error) {
	for i := len(b.outer) - 1; i >= 0; i-- {
		o := b.outer[i]
		m, err := o.sc.lookup(table, name)
		if err != nil {
			continue
		}
		if o.agg != nil {
			e, err := (&exprCtx{b: b, sc: o.sc, agg: o.agg}).colRef(m)
			return e, true, err
		}
		return colExpr(m), true, nil
	}
	return nil, false, nil
}

// bindSub binds a subquery of this expression's scope, with the fast
// path's options.
func (c *exprCtx) bindSub(q *ast.Query, opts selectOpts) (*selectResult, error) {
	return c.b.withOuter(c.sc, c.agg).bindQueryOpts(q, opts)
}

// bindDependent binds a subquery for general decorrelation: every
// reference to the enclosing scopes stays a free column.
func (c *exprCtx) bindDependent(q *ast.Query) (*selectResult, error) {
	return c.bindSub(q, selectOpts{})
}

// reads reports whether n reads a column of this expression's scope (or
// of its grouping) from outside.
func (c *exprCtx) reads(n planner.Node) bool {
	free := freeCols(n)
	for _, col := range c.sc.cols {
		if free[col.meta.ID] {
			return true
		}
	}
	if c.agg != nil {
		for _, g := range c.agg.groupCols {
			if free[g.ID] {
				return true
			}
		}
		for _, a := range c.agg.aggs {
			if free[a.out.ID] {
				return true
			}
		}
	}
	return false
}

// dependent queues a dependent join of the clause's plan with sub; build
// makes the join once the plan (the outer side) is known.
func (c *exprCtx) dependent(at ast.Node, sub planner.Node, build func(d *decor, r planner.Node, m colMap) (planner.Node, error)) error {
	if c.pending == nil {
		return errAt(at, "Not implemented", "a correlated subquery in %s is not supported yet", c.clause)
	}
	sc := c.sc
	*c.pending = append(*c.pending, pendingJoin{dep: func(left planner.Node) (planner.Node, error) {
		corr := correlation(sub, left)
		have := planner.IDs(left.Cols())
		for _, col := range sc.cols {
			if freeCols(sub)[col.meta.ID] && !have[col.meta.ID] {
				return nil, errAt(at, "Not implemented", "a subquery correlated with %s in %s is not supported yet", col.meta.Name, c.clause)
			}
		}
		d := c.b.newDecor(left, corr)
		r, m, err := d.push(sub)
		if err != nil {
			return nil, at2(err, at)
		}
		return build(d, r, m)
	}})
	return nil
}

func at2(err error, n ast.Node) error { return at(err, n) }

// joinBack joins the decorrelated r to the outer plan on the correlated
// columns; an uncorrelated r (one row) joins as a cross product.
func (d *decor) joinBack(left, r planner.Node, m colMap) (planner.Node, error) {
	if len(d.corr) == 0 {
		return &planner.Join{Left: left, Right: r, Type: planner.JoinInner}, nil
	}
	cond, err := d.nsEq(d.identity(), m)
	if err != nil {
		return nil, err
	}
	return &planner.Join{Left: left, Right: r, Type: planner.JoinLeft, Cond: cond}, nil
}

// scalarDependent binds a scalar subquery anywhere: per D row, the count
// of rows (which must not pass 1) and the value.
func (c *exprCtx) scalarDependent(sub *ast.Subquery) (expr.Expr, error) {
	res, err := c.bindDependent(sub.Query)
	if err != nil {
		return nil, err
	}
	if len(res.names) != 1 {
		return nil, errSubqueryColumns(len(res.names))
	}
	val := res.node.Cols()[0]
	if res.oneRow && res.sel != nil && res.sel.Having == nil {
		// An ungrouped aggregate has one row per D row already.
		err := c.dependent(sub, res.node, func(d *decor, r planner.Node, m colMap) (planner.Node, error) {
			return d.joinBack(d.outer, r, m)
		})
		return colExpr(val), err
	}
	if node, agg, ok := firstRow(res.node); ok {
		// LIMIT 1: the least or greatest value by its ORDER BY, any
		// value without one; never the many-rows error.
		v := c.b.newCol(val.Name, "", val.Type)
		err := c.dependent(sub, node, func(d *decor, r planner.Node, m colMap) (planner.Node, error) {
			mc := d.cols(m)
			a := &planner.Aggregate{Input: r, Groups: mc, Aggs: []planner.AggCall{{Func: agg, Arg: colExpr(val), Typ: val.Type}}}
			a.Out = append(append(a.Out, mc...), v)
			return d.joinBack(d.outer, d.byD(a), m)
		})
		return colExpr(v), err
	}
	cnt, v := c.b.newCol("__rows", "", coldata.TypeInt64), c.b.newCol(val.Name, "", val.Type)
	err = c.dependent(sub, res.node, func(d *decor, r planner.Node, m colMap) (planner.Node, error) {
		mc := d.cols(m)
		agg := &planner.Aggregate{Input: r, Groups: mc, Aggs: []planner.AggCall{
			{Func: planner.AggCountStar, Typ: coldata.TypeInt64},
			{Func: planner.AggMin, Arg: colExpr(val), Typ: val.Type},
		}}
		agg.Out = append(append(agg.Out, mc...), cnt, v)
		return d.joinBack(d.outer, d.byD(agg), m)
	})
	if err != nil {
		return nil, err
	}
	return &expr.Func{Op: expr.OpSingleRow, Args: []expr.Expr{colExpr(cnt), colExpr(v)}, Typ: val.Type}, nil
}

// existsDependent binds EXISTS anywhere: the count of the subquery's rows
// per D row, TRUE when above zero.
func (c *exprCtx) existsDependent(ex *ast.Exists) (expr.Expr, error) {
	res, err := c.bindDependent(ex.Query)
	if err != nil {
		return nil, err
	}
	node := res.node
	// LIMIT n (n > 0) does not change whether there are rows.
	if l, ok := node.(*planner.Limit); ok && l.Offset == 0 && l.Count != 0 {
		node = l.Input
	}
	cnt := c.b.newCol("__rows", "", coldata.TypeInt64)
	err = c.dependent(ex, node, func(d *decor, r planner.Node, m colMap) (planner.Node, error) {
		mc := d.cols(m)
		agg := &planner.Aggregate{Input: r, Groups: mc, Aggs: []planner.AggCall{{Func: planner.AggCountStar, Typ: coldata.TypeInt64}}}
		agg.Out = append(append(agg.Out, mc...), cnt)
		return d.joinBack(d.outer, d.byD(agg), m)
	})
	if err != nil {
		return nil, err
	}
	zero := &expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt64}
	n := &expr.Func{Op: expr.OpCoalesce, Args: []expr.Expr{colExpr(cnt), zero}, Typ: coldata.TypeInt64}
	return &expr.Func{Op: expr.OpGt, Args: []expr.Expr{n, zero}, Typ: coldata.TypeBool}, nil
}

// inDependent binds x [NOT] IN (correlated subquery) anywhere, with
// three-valued results: a LEFT join with the distinct (value, D row)
// pairs finds matches, and the subquery's row and non-NULL counts per D
// row tell FALSE (no rows) from NULL (x or some value NULL).
func (c *exprCtx) inDependent(x expr.Expr, sub *ast.Query, not bool) (expr.Expr, error) {
	res, err := c.bindDependent(sub)
	if err != nil {
		return nil, err
	}
	if len(res.names) != 1 {
		return nil, errSubqueryColumns(len(res.names))
	}
	again, err := c.bindDependent(sub)
	if err != nil {
		return nil, err
	}
	v, v2 := res.node.Cols()[0], again.node.Cols()[0]
	match, err := c.compare(expr.OpEq, x, colExpr(v))
	if err != nil {
		return nil, err
	}
	err = c.dependent(sub, res.node, func(d *decor, r planner.Node, m colMap) (planner.Node, error) {
		mc := d.cols(m)
		// Nested values are grouped by their encoding.
		distinct := d.b.distinct(r, append([]planner.ColMeta{v}, mc...))
		cond := match
		if len(d.corr) > 0 {
			eq, err := d.nsEq(d.identity(), m)
			if err != nil {
				return nil, err
			}
			cond = expr.And(match, eq)
		}
		return &planner.Join{Left: d.outer, Right: distinct, Type: planner.JoinLeft, Cond: cond}, nil
	})
	if err != nil {
		return nil, err
	}
	rows, vals := c.b.newCol("__rows", "", coldata.TypeInt64), c.b.newCol("__values", "", coldata.TypeInt64)
	err = c.dependent(sub, again.node, func(d *decor, r planner.Node, m colMap) (planner.Node, error) {
		mc := d.cols(m)
		counts := &planner.Aggregate{Input: r, Groups: mc, Aggs: []planner.AggCall{
			{Func: planner.AggCountStar, Typ: coldata.TypeInt64},
			{Func: planner.AggCount, Arg: colExpr(v2), Typ: coldata.TypeInt64},
		}}
		counts.Out = append(append(counts.Out, mc...), rows, vals)
		return d.joinBack(d.outer, d.byD(counts), m)
	})
	if err != nil {
		return nil, err
	}
	return inMarks(x, v, rows, vals, not), nil
}

// inMarks is the three-valued result of x [NOT] IN from the match column
// (NULL: no match) and the subquery's row and non-NULL value counts (NULL
// or 0 rows: empty).
func inMarks(x expr.Expr, v, rows, vals planner.ColMeta, not bool) expr.Expr {
	boolc := func(b bool) expr.Expr { return &expr.Const{Val: coldata.Datum{B: b}, Typ: coldata.TypeBool} }
	null := &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeBool}
	zero := &expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt64}
	eq := func(a, b expr.Expr) expr.Expr {
		return &expr.Func{Op: expr.OpEq, Args: []expr.Expr{a, b}, Typ: coldata.TypeBool}
	}
	hasNull := &expr.Func{Op: expr.OpOr, Typ: coldata.TypeBool, Args: []expr.Expr{
		&expr.IsNull{Arg: x},
		&expr.Func{Op: expr.OpNe, Args: []expr.Expr{colExpr(rows), colExpr(vals)}, Typ: coldata.TypeBool},
	}}
	return &expr.Case{Typ: coldata.TypeBool, Else: boolc(not), Whens: []expr.When{
		{Cond: &expr.IsNull{Arg: colExpr(v), Not: true}, Then: boolc(!not)},
		{Cond: &expr.IsNull{Arg: colExpr(rows)}, Then: boolc(not)},
		{Cond: eq(colExpr(rows), zero), Then: boolc(not)},
		{Cond: hasNull, Then: null},
	}}
}

// existsValue binds [NOT] EXISTS where it is not a whole WHERE or HAVING
// condition, or is one the semi join cannot take.
func (c *exprCtx) existsValue(ex *ast.Exists, not bool) (expr.Expr, error) {
	e, err := c.existsDependent(ex)
	if err != nil || !not {
		return e, err
	}
	return &expr.Func{Op: expr.OpNot, Args: []expr.Expr{e}, Typ: coldata.TypeBool}, nil
}

// inDependentCond binds a correlated x [NOT] IN (subquery) that is a whole
// condition: its three-valued mark, filtered on.
func (c *exprCtx) inDependentCond(x expr.Expr, sub *ast.Query, not bool) (expr.Expr, error) {
	return c.inDependent(x, sub, not)
}

func errSubqueryColumns(n int) error {
	return fmt.Errorf("Binder Error: Subquery returns %d columns - expected 1", n)
}

// firstRow recognises a scalar subquery's `LIMIT 1`, unordered or ordered
// (NULLs last) by the value itself: its answer is the value's min or max
// over the rows below the LIMIT.
func firstRow(n planner.Node) (planner.Node, planner.AggFunc, bool) {
	l, ok := n.(*planner.Limit)
	if !ok || l.Count != 1 || l.Offset != 0 {
		return nil, 0, false
	}
	s, ok := l.Input.(*planner.Sort)
	if !ok {
		return l.Input, planner.AggMin, true
	}
	val := n.Cols()[0]
	if len(s.Keys) == 0 || s.Keys[0].Col != val.ID || s.Keys[0].NullsFirst {
		return nil, 0, false
	}
	if s.Keys[0].Desc {
		return s.Input, planner.AggMax, true
	}
	return s.Input, planner.AggMin, true
}
