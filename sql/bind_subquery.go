package sql

import (
	"errors"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// pendingJoin is a decorrelated subquery waiting to be joined onto the plan
// of the clause that contains it.
type pendingJoin struct {
	right planner.Node
	typ   planner.JoinType
	cond  expr.Expr
	// dep, when set, builds a dependent join (decorrelate.go) instead.
	dep func(left planner.Node) (planner.Node, error)
}

func attach(node planner.Node, joins []pendingJoin) (planner.Node, error) {
	for _, j := range joins {
		if j.dep != nil {
			var err error
			if node, err = j.dep(node); err != nil {
				return nil, err
			}
			continue
		}
		node = &planner.Join{Left: node, Right: j.right, Type: j.typ, Cond: j.cond}
	}
	return node, nil
}

// hasDependent reports a dependent join among joins.
func hasDependent(joins []pendingJoin) bool {
	for _, j := range joins {
		if j.dep != nil {
			return true
		}
	}
	return false
}

// splitAndAST returns the conjuncts of a WHERE or HAVING condition.
func splitAndAST(e ast.Expr) []ast.Expr {
	if a, ok := e.(*ast.And); ok {
		return a.Terms
	}
	return []ast.Expr{e}
}

// nullRejecting reports whether sub is an operand of the conjunct conj
// being a comparison: a missing row (NULL) then rejects the row anyway, so
// the subquery may join with an inner join.
func nullRejecting(conj ast.Expr, sub *ast.Subquery) bool {
	c, ok := conj.(*ast.Binary)
	if !ok {
		return false
	}
	if _, ok = comparisonOps[c.Op]; !ok {
		return false
	}
	return c.L == ast.Expr(sub) || c.R == ast.Expr(sub)
}

func isTrue(e expr.Expr) bool {
	c, ok := e.(*expr.Const)
	return ok && c.Typ.ID == coldata.Bool && !c.Val.Null && c.Val.B
}

var errNotFound = errors.New("not found")

// correlated binds conj if it references the outer scope (and is not
// resolvable in the inner scope alone), over the IDs of both scopes.
func (b *binder) correlated(conj ast.Expr, inner, outer *scope) (expr.Expr, bool, error) {
	refsOuter, subquery := false, false
	ast.Inspect(conj, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Query:
			subquery = true
			return false
		case *ast.ColumnRef:
			table, name := "", x.Parts[len(x.Parts)-1].Name
			if len(x.Parts) > 1 {
				table = x.Parts[len(x.Parts)-2].Name
			}
			if _, err := inner.lookup(table, name); err != nil {
				if _, err := outer.lookup(table, name); err == nil {
					refsOuter = true
				}
			}
		}
		return true
	})
	if !refsOuter {
		return nil, false, nil
	}
	if subquery {
		return nil, false, notImplemented(conj, "a correlated condition containing a subquery")
	}
	both := &scope{cols: append(append([]scopeCol{}, inner.cols...), outer.cols...)}
	ctx := &exprCtx{b: b, sc: both, clause: "WHERE", innerFirst: inner}
	e, err := ctx.bindBool(conj)
	return e, err == nil, err
}

// isInnerOuterEq reports `inner expr = outer expr` (either order).
func isInnerOuterEq(e expr.Expr, inner *scope) bool {
	f, ok := e.(*expr.Func)
	if !ok || f.Op != expr.OpEq {
		return false
	}
	a, b := covers(inner, f.Args[0]), covers(inner, f.Args[1])
	return a != b && len(expr.Columns(f.Args[0])) > 0 && len(expr.Columns(f.Args[1])) > 0
}

// covers reports whether every column of e is in sc.
func covers(sc *scope, e expr.Expr) bool {
	ids := map[int]bool{}
	for _, c := range sc.cols {
		ids[c.meta.ID] = true
	}
	for c := range expr.Columns(e) {
		if !ids[c] {
			return false
		}
	}
	return true
}

// exists decorrelates [NOT] EXISTS (subquery) into a semi or anti join.
func (c *exprCtx) exists(ex *ast.Exists, not bool) (expr.Expr, error) {
	if c.pending == nil || c.conj == nil || (c.conj != ast.Expr(ex) && !not) || c.agg != nil {
		return c.existsValue(ex, not)
	}
	res, err := c.bindSub(ex.Query, selectOpts{outer: c.sc})
	if err != nil {
		// The fast path's correlation extraction refuses some shapes (a
		// correlated set operation); the general path binds them.
		return c.existsValue(ex, not)
	}
	if res.aggregated || res.limited || c.reads(res.plain) {
		return c.existsValue(ex, not)
	}
	typ := planner.JoinSemi
	if not {
		typ = planner.JoinAnti
	}
	*c.pending = append(*c.pending, pendingJoin{right: res.plain, typ: typ, cond: expr.And(res.corr...)})
	return trueConst(), nil
}

// inSubquery decorrelates x [NOT] IN (subquery) into a semi join or a
// NULL-aware anti join.
func (c *exprCtx) inSubquery(x expr.Expr, sub *ast.Query, not bool) (expr.Expr, error) {
	if c.pending == nil || c.conj == nil {
		return nil, errAt(sub, "Not implemented", "IN (subquery) is only supported in WHERE and HAVING conditions")
	}
	res, err := c.bindSub(sub, selectOpts{outer: c.sc})
	// A NULL-aware anti join decides NOT IN over all of its right side:
	// a right side that reads any enclosing query is decorrelated instead,
	// so that NULLs count per outer row.
	if err != nil || len(res.corr) > 0 || len(freeCols(res.node)) > 0 {
		return c.inDependentCond(x, sub, not)
	}
	cols := res.node.Cols()
	if len(res.names) != 1 {
		return nil, errSubqueryColumns(len(res.names))
	}
	cond, err := c.compare(expr.OpEq, x, colExpr(cols[0]))
	if err != nil {
		return nil, err
	}
	typ := planner.JoinSemi
	if not {
		typ = planner.JoinAntiNull
	}
	*c.pending = append(*c.pending, pendingJoin{right: res.node, typ: typ, cond: cond})
	return trueConst(), nil
}

// inSubqueryValue binds x [NOT] IN (subquery) as a value, for where it is
// not a whole condition (inside OR, NOT, CASE, a SELECT list): a left join
// with the subquery's distinct values marks the rows that match, and a
// one-row aggregate of the subquery's row and NULL counts settles the
// three-valued rest: no rows gives FALSE, else no match is NULL when x or
// some value is NULL.
func (c *exprCtx) inSubqueryValue(x expr.Expr, sub *ast.Query, not bool) (expr.Expr, error) {
	if c.pending == nil {
		return nil, errAt(sub, "Not implemented", "IN (subquery) is only supported in WHERE, HAVING and SELECT lists without aggregation")
	}
	res, err := c.bindSub(sub, selectOpts{outer: c.sc})
	if err != nil || len(res.corr) > 0 || c.reads(res.node) {
		return c.inDependent(x, sub, not)
	}
	if len(res.names) != 1 {
		return nil, errSubqueryColumns(len(res.names))
	}
	b := c.b
	v := res.node.Cols()[0]
	distinct := b.distinct(res.node, []planner.ColMeta{v}) // a nested v by its encoding
	match, err := c.compare(expr.OpEq, x, colExpr(v))
	if err != nil {
		return nil, err
	}
	// The counts read the subquery again, bound afresh: a plan is a tree.
	again, err := c.bindSub(sub, selectOpts{outer: c.sc})
	if err != nil {
		return nil, err
	}
	counts := &planner.Aggregate{Input: again.node, Aggs: []planner.AggCall{
		{Func: planner.AggCountStar, Typ: coldata.TypeInt64},
		{Func: planner.AggCount, Arg: colExpr(again.node.Cols()[0]), Typ: coldata.TypeInt64},
	}}
	rows, vals := b.newCol("__rows", "", coldata.TypeInt64), b.newCol("__values", "", coldata.TypeInt64)
	counts.Out = []planner.ColMeta{rows, vals}
	*c.pending = append(*c.pending,
		pendingJoin{right: distinct, typ: planner.JoinLeft, cond: match},
		pendingJoin{right: counts, typ: planner.JoinInner})
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
		{Cond: eq(colExpr(rows), zero), Then: boolc(not)},
		{Cond: hasNull, Then: null},
	}}, nil
}

// scalar decorrelates a scalar subquery: an ungrouped aggregate joins as a
// single row; a correlated one is grouped by its correlation keys and
// joined on them.
func (c *exprCtx) scalar(sub *ast.Subquery) (expr.Expr, error) {
	if c.pending == nil {
		return nil, errAt(sub, "Not implemented", "scalar subqueries are only supported in SELECT lists without aggregation and in WHERE and HAVING conditions")
	}
	res, err := c.bindSub(sub.Query, selectOpts{outer: c.sc, groupCorrelated: true})
	if err != nil {
		// Grouping by the correlations fails for a subquery without
		// aggregates: the general path binds it as written.
		return c.scalarDependent(sub)
	}
	if len(res.names) != 1 {
		return nil, errSubqueryColumns(len(res.names))
	}
	// A HAVING can filter the one row of an ungrouped aggregate away
	// (the answer is then NULL, not a lost outer row or a COUNT of 0).
	having := res.sel != nil && res.sel.Having != nil
	// A LIMIT would apply to all groups of correlation keys at once.
	limitedGroups := res.limited && len(res.keys) > 0
	if len(res.corr) > 0 || limitedGroups || c.reads(res.node) || (c.agg != nil && len(res.keys) > 0) || having || (len(res.keys) > 0 && res.sel != nil &&
		containsCount(res.sel.Items) && !isBareCount(res.sel.Items)) {
		return c.scalarDependent(sub)
	}
	val := res.node.Cols()[0]
	if len(res.keys) == 0 {
		node := res.node
		var v expr.Expr = colExpr(val)
		if !res.oneRow {
			// Any number of rows: one aggregate row carries the count, which
			// must not pass 1, and the value (NULL without rows).
			node, v = c.b.singleRow(res.node, val)
		}
		// An ungrouped aggregate returns exactly one row: an inner join
		// keeps every outer row.
		*c.pending = append(*c.pending, pendingJoin{right: node, typ: planner.JoinInner})
		return v, nil
	}
	// A correlated COUNT has no row for an outer row without matches,
	// where the answer is 0 (the "COUNT bug"): the left join's NULL is
	// turned back into 0. Other expressions over COUNT are refused.
	countOnly := false
	if sel := res.sel; sel != nil && containsCount(sel.Items) {
		countOnly = true
	}
	var conds []expr.Expr
	for _, k := range res.keys {
		eq, err := c.compare(expr.OpEq, k.outer, colExpr(k.inner))
		if err != nil {
			return nil, err
		}
		conds = append(conds, eq)
	}
	typ := planner.JoinLeft
	if nullRejecting(c.conj, sub) && !countOnly {
		typ = planner.JoinInner
	}
	*c.pending = append(*c.pending, pendingJoin{right: res.node, typ: typ, cond: expr.And(conds...)})
	if countOnly {
		zero := &expr.Const{Val: coldata.Datum{I: 0}, Typ: val.Type}
		return &expr.Func{Op: expr.OpCoalesce, Args: []expr.Expr{colExpr(val), zero}, Typ: val.Type}, nil
	}
	return colExpr(val), nil
}

// isBareCount reports a select list that is exactly one COUNT call.
func isBareCount(items []*ast.SelectItem) bool {
	if len(items) != 1 {
		return false
	}
	f, ok := items[0].Expr.(*ast.FuncCall)
	return ok && strings.EqualFold(f.Name.Last(), "count")
}

// singleRow aggregates a subquery's rows into one: their count and the
// value (min over at most one row), checked at run time by OpSingleRow.
func (b *binder) singleRow(n planner.Node, val planner.ColMeta) (planner.Node, expr.Expr) {
	agg := &planner.Aggregate{Input: n, Aggs: []planner.AggCall{
		{Func: planner.AggCountStar, Typ: coldata.TypeInt64},
		{Func: planner.AggMin, Arg: colExpr(val), Typ: val.Type},
	}}
	cnt, v := b.newCol("__rows", "", coldata.TypeInt64), b.newCol(val.Name, "", val.Type)
	agg.Out = []planner.ColMeta{cnt, v}
	return agg, &expr.Func{Op: expr.OpSingleRow, Args: []expr.Expr{colExpr(cnt), colExpr(v)}, Typ: val.Type}
}

func containsCount(items []*ast.SelectItem) bool {
	found := false
	for _, it := range items {
		ast.Inspect(it, func(n ast.Node) bool {
			if f, ok := n.(*ast.FuncCall); ok && strings.EqualFold(f.Name.Last(), "count") {
				found = true
			}
			return !found
		})
	}
	return found
}

func trueConst() expr.Expr {
	return &expr.Const{Val: coldata.Datum{B: true}, Typ: coldata.TypeBool}
}
