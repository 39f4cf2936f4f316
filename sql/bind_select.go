package sql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// selectOpts bind a SELECT that is a subquery.
type selectOpts struct {
	// outer is the enclosing query's scope: WHERE conjuncts that reference
	// it are correlations, returned rather than applied.
	outer *scope
	// groupCorrelated turns correlations `inner = outer` into GROUP BY keys
	// of the subquery (a scalar aggregate subquery becomes a join with the
	// subquery grouped by its correlation keys).
	groupCorrelated bool
}

// selectResult is a bound SELECT.
type selectResult struct {
	node  planner.Node
	names []string
	// plain is the FROM + local WHERE plan, before grouping and projection
	// (an EXISTS subquery joins with it directly).
	plain planner.Node
	// corr are correlated conjuncts over inner and outer columns.
	corr []expr.Expr
	// keys pair an output column of node (a grouped correlation key) with
	// the outer expression it must equal.
	keys []corrKey
	// aggregated: grouping or aggregates; oneRow: an ungrouped aggregate,
	// which returns exactly one row.
	aggregated, oneRow, limited bool
	// sel is the SELECT block bound, when the query was one.
	sel *ast.Select
}

type corrKey struct {
	inner planner.ColMeta
	outer expr.Expr
}

// tail is what follows a query body: ORDER BY and LIMIT/OFFSET.
type tail struct {
	orderBy       []*ast.OrderItem
	limit, offset ast.Expr
	percent       bool
}

func (b *binder) bindQuery(q *ast.Query) (planner.Node, []string, error) {
	res, err := b.bindQueryOpts(q, selectOpts{})
	if err != nil {
		return nil, nil, err
	}
	return res.node, res.names, nil
}

// bindQueryOpts binds a whole query: its WITH clause is visible to its body.
func (b *binder) bindQueryOpts(q *ast.Query, opts selectOpts) (*selectResult, error) {
	q, err := b.expandMacros(q)
	if err != nil {
		return nil, err
	}
	if q.With != nil {
		for _, c := range q.With.CTEs {
			if len(c.UsingKey) > 0 {
				return nil, notImplemented(c, "USING KEY")
			}
		}
	}
	if q.LimitPercent {
		pq, err := limitPercentQuery(q)
		if err != nil {
			return nil, err
		}
		return b.bindQueryOpts(pq, opts)
	}
	nb := b.withCTEs(q.With)
	t := tail{orderBy: q.OrderBy, limit: q.Limit, offset: q.Offset, percent: q.LimitPercent}
	return nb.bindBody(q.Body, t, opts)
}

func (b *binder) bindBody(body ast.QueryBody, t tail, opts selectOpts) (*selectResult, error) {
	switch x := body.(type) {
	case *ast.Select:
		return b.bindSelect(x, t, opts)
	case *ast.SetOp:
		return b.bindSetOpQuery(x, t, opts)
	case *ast.Values, *ast.Query:
		// VALUES and a parenthesized query with its own ORDER BY or LIMIT
		// are read as SELECT * FROM (body).
		at := ast.At{Pos: body.Position()}
		inner, ok := body.(*ast.Query)
		if !ok {
			inner = &ast.Query{At: at, Body: body}
		}
		sel := &ast.Select{At: at, Items: []*ast.SelectItem{{At: at, Expr: &ast.Star{At: at}}},
			From: []ast.TableExpr{&ast.DerivedTable{At: at, Query: inner, Alias: &ast.Alias{At: at, Name: ast.Ident{Name: "unnamed_subquery"}}}}}
		return b.bindSelect(sel, t, opts)
	}
	return nil, notImplemented(body, "this query form")
}

func (b *binder) bindSelect(sel *ast.Select, t tail, opts selectOpts) (*selectResult, error) {
	switch {
	case t.percent:
		return nil, notImplemented(t.limit, "LIMIT with a percentage")
	}
	if len(sel.DistinctOn) > 0 {
		plain := *sel // DISTINCT ON is not also a DISTINCT over every column
		plain.Distinct = false
		sel = &plain
	}
	res := &selectResult{sel: sel}
	var (
		node planner.Node
		sc   = &scope{}
	)
	if len(sel.From) == 0 {
		node = &planner.Values{Rows: [][]coldata.Datum{{}}}
	}
	for _, te := range sel.From {
		n, err := b.lateralBinder(te, sc).bindTableExpr(te, sc)
		if err != nil {
			return nil, err
		}
		if node == nil {
			node = n
		} else if node, err = b.lateralJoin(node, n, planner.JoinInner, nil); err != nil {
			return nil, err
		}
	}
	if sel.Sample != nil {
		var err error
		if node, err = b.sample(sel.Sample, node); err != nil {
			return nil, err
		}
	}
	var corrEq []expr.Expr // correlations to group by
	if sel.Where != nil {
		var err error
		if node, corrEq, err = b.bindWhere(sel.Where, sel.Items, node, sc, opts, res); err != nil {
			return nil, err
		}
	}
	res.plain = node

	// Aggregation: GROUP BY, or aggregates anywhere in SELECT/HAVING/ORDER BY.
	var agg *aggState
	if sel.GroupBy != nil || hasAggregate(sel, t.orderBy) || sel.Having != nil || len(corrEq) > 0 {
		var err error
		if agg, err = b.bindGrouping(sel, sc, corrEq, res); err != nil {
			return nil, err
		}
	}
	node, uerr := b.selectUnnests(sel.Items, node, sc, agg != nil)
	if uerr != nil {
		return nil, uerr
	}
	win, err := newWinState(sel)
	if err != nil {
		return nil, err
	}
	ctx := &exprCtx{b: b, sc: sc, agg: agg, clause: "SELECT", win: win}
	// Subqueries in the SELECT list join onto the rows before the
	// projection; over aggregates, after the grouping (postJoins), and
	// those inside aggregate arguments before it.
	var selectJoins, postJoins []pendingJoin
	ctx.pending = &selectJoins
	if agg != nil {
		ctx.pending, agg.pre = &postJoins, &selectJoins
	}
	items, err := ctx.bindItems(sel.Items)
	if err != nil {
		return nil, err
	}
	exprs, names := items.exprs, items.names

	var having expr.Expr
	var havingJoins []pendingJoin
	if sel.Having != nil {
		hctx := &exprCtx{b: b, sc: sc, agg: agg, clause: "HAVING", aliases: aliasMap(names, exprs), pending: &havingJoins, conj: sel.Having}
		if having, err = hctx.bindBool(sel.Having); err != nil {
			return nil, err
		}
	}

	qualify, err := ctx.bindQualify(sel)
	if err != nil {
		return nil, err
	}
	nVisible := len(exprs)
	orders, err := b.bindOrderBy(t.orderBy, sc, agg, items, sel.Distinct && len(sel.DistinctOn) == 0, win, ctx.pending)
	if err != nil {
		return nil, err
	}
	var don []orderItem
	if len(sel.DistinctOn) > 0 {
		if don, err = b.bindDistinctOn(sel.DistinctOn, sc, agg, items, win); err != nil {
			return nil, err
		}
	}
	exprs, names = items.exprs, items.names
	nHidden := len(exprs) - nVisible
	// Grouped correlation keys are outputs the enclosing query joins on.
	for i, k := range res.keys {
		exprs = append(exprs, colExpr(k.inner))
		names = append(names, fmt.Sprintf("__corr%d", i))
	}

	if node, err = attach(node, selectJoins); err != nil {
		return nil, err
	}
	if agg != nil {
		node = agg.build(b, node)
		if node, err = attach(node, havingJoins); err != nil {
			return nil, err
		}
		if having != nil {
			node = &planner.Filter{Input: node, Pred: having}
		}
		if node, err = attach(node, postJoins); err != nil {
			return nil, err
		}
	}
	node = win.build(node)
	if qualify != nil {
		node = &planner.Filter{Input: node, Pred: qualify}
	}
	proj := &planner.Project{Input: node, Exprs: exprs}
	for i, e := range exprs {
		proj.Out = append(proj.Out, b.newCol(names[i], "", e.Type()))
	}
	for i := range res.keys {
		res.keys[i].inner = proj.Out[len(exprs)-len(res.keys)+i]
	}
	node = proj
	if sel.Distinct {
		node = b.distinct(node, proj.Out)
	}
	if len(don) > 0 {
		if node, orders, err = distinctOn(node, proj.Out, don, orders); err != nil {
			return nil, err
		}
	}
	if len(orders) > 0 {
		s := &planner.Sort{Input: node}
		keyed := b.nestedSortKeys(node) // bind_nested_more.go
		for _, o := range orders {
			c := proj.Out[o.outIdx]
			if c.Type.IsNested() {
				if c, err = keyed.key(c, o.item); err != nil {
					return nil, err
				}
			}
			// DuckDB's default: NULLs sort last in both directions.
			s.Keys = append(s.Keys, planner.SortKey{Col: c.ID, Desc: o.desc, NullsFirst: o.nullsFirst})
		}
		s.Input = keyed.input()
		node = keyed.drop(s)
	}
	if t.limit != nil || t.offset != nil {
		lim, err := b.bindLimit(t)
		if err != nil {
			return nil, err
		}
		lim.Input = node
		node = lim
		res.limited = true
	}
	if nHidden > 0 {
		keep := append(append([]planner.ColMeta{}, proj.Out[:nVisible]...), proj.Out[nVisible+nHidden:]...)
		final := &planner.Project{Input: node, Out: keep}
		for _, c := range keep {
			final.Exprs = append(final.Exprs, colExpr(c))
		}
		node = final
	}
	res.node = node
	res.names = names[:nVisible]
	return res, nil
}

// bindWhere binds WHERE's conjuncts onto node. In a subquery, conjuncts
// over the outer scope are correlations: returned in res.corr, or, when
// grouping by them, as corrEq.
func (b *binder) bindWhere(where ast.Expr, items []*ast.SelectItem, node planner.Node, sc *scope, opts selectOpts, res *selectResult) (planner.Node, []expr.Expr, error) {
	var preds, corrEq, depPreds []expr.Expr
	var deps []pendingJoin
	for _, conj := range splitAndAST(where) {
		if opts.outer != nil {
			if ce, ok, err := b.correlated(conj, sc, opts.outer); err != nil {
				return nil, nil, err
			} else if ok {
				if opts.groupCorrelated && isInnerOuterEq(ce, sc) {
					corrEq = append(corrEq, ce)
				} else {
					res.corr = append(res.corr, ce)
				}
				continue
			}
		}
		var pending []pendingJoin
		ctx := &exprCtx{b: b, sc: sc, clause: "WHERE", pending: &pending, conj: conj, itemAliases: itemAliases(items)}
		pred, err := ctx.bindBool(conj)
		if err != nil {
			return nil, nil, err
		}
		if hasDependent(pending) {
			// Dependent joins follow the other conditions: the outer plan
			// they copy is then filtered.
			deps = append(deps, pending...)
			depPreds = append(depPreds, pred)
			continue
		}
		if node, err = attach(node, pending); err != nil {
			return nil, nil, err
		}
		if !isTrue(pred) {
			preds = append(preds, pred)
		}
	}
	if len(preds) > 0 {
		node = &planner.Filter{Input: node, Pred: expr.And(preds...)}
	}
	if len(deps) > 0 {
		var err error
		if node, err = attach(node, deps); err != nil {
			return nil, nil, err
		}
		node = &planner.Filter{Input: node, Pred: expr.And(depPreds...)}
	}
	return node, corrEq, nil
}

// bindGrouping collects GROUP BY keys (and grouped correlation keys).
func (b *binder) bindGrouping(sel *ast.Select, sc *scope, corrEq []expr.Expr, res *selectResult) (*aggState, error) {
	agg := &aggState{}
	res.aggregated = true
	var groupBy []ast.Expr
	if g := sel.GroupBy; g != nil {
		groupBy = g.Items
		if g.All {
			// GROUP BY ALL: every select item without an aggregate.
			groupBy = nil
			for _, it := range sel.Items {
				if _, star := it.Expr.(*ast.Star); !star && !containsAggregate(it.Expr) {
					groupBy = append(groupBy, it.Expr)
				}
			}
		}
	}
	sets, multi, err := expandGroupBy(groupBy)
	if err != nil {
		return nil, err
	}
	if len(sets) == 1 {
		groupBy, multi = sets[0], false
	}
	res.oneRow = len(groupBy) == 0 && len(corrEq) == 0 && !multi
	if multi {
		if len(corrEq) > 0 {
			return nil, notImplemented(sel.GroupBy, "grouping sets in a correlated subquery")
		}
		return agg, b.bindSets(agg, sel, sc, sets)
	}
	for _, g := range groupBy {
		ge, err := b.bindGroupExpr(g, sel.Items, sc)
		if err != nil {
			return nil, err
		}
		if ge.Type().IsNested() {
			// Grouped by its encoding; references decode it (nestedGroup).
			ge = nestedEncode(ge)
		}
		agg.addGroup(b, ge, outputName(g))
	}
	for _, ce := range corrEq {
		f := ce.(*expr.Func)
		in, out := f.Args[0], f.Args[1]
		if !covers(sc, in) {
			in, out = out, in
		}
		agg.addGroup(b, in, in.String())
		g, _ := agg.group(exprKey(in))
		res.keys = append(res.keys, corrKey{inner: g, outer: out})
	}
	return agg, nil
}

// boundItems are a SELECT list's bound expressions and names. origin
// tells for each whether it is aliased (a name ORDER BY may use), a plain
// column, or from a star.
type boundItems struct {
	exprs  []expr.Expr
	names  []string
	origin []itemOrigin
}

type itemOrigin struct {
	aliased bool
	column  string // the column name a plain column item reads
	star    bool
}

func (c *exprCtx) bindItems(items []*ast.SelectItem) (*boundItems, error) {
	out := &boundItems{}
	// Later items may use the aliases of earlier ones.
	lateral := *c
	lateral.itemAliases = map[string]ast.Expr{}
	c = &lateral
	for _, it := range items {
		switch x := it.Expr.(type) {
		case *ast.Star:
			if it.Alias != nil {
				return nil, binderErr(it.Alias, "a star expression cannot have an alias")
			}
			if err := c.expandStar(x, out); err != nil {
				return nil, err
			}
			continue
		}
		if found := columnsIn(it.Expr); len(found) > 0 {
			if err := c.expandColumns(it, found, out); err != nil {
				return nil, err
			}
			continue
		}
		e, err := c.bind(it.Expr)
		if err != nil {
			return nil, err
		}
		if ok, err := c.unnestFields(it, e, out); ok || err != nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		o := itemOrigin{aliased: it.Alias != nil}
		name := outputName(it.Expr)
		if it.Alias != nil {
			name = it.Alias.Name
		}
		if cr, ok := it.Expr.(*ast.ColumnRef); ok {
			o.column = cr.Parts[len(cr.Parts)-1].Name
		}
		out.exprs, out.names, out.origin = append(out.exprs, e), append(out.names, name), append(out.origin, o)
		if it.Alias != nil {
			c.itemAliases[strings.ToLower(it.Alias.Name)] = it.Expr
		}
	}
	return out, nil
}

// itemAliases maps a select list's aliases to their expressions.
func itemAliases(items []*ast.SelectItem) map[string]ast.Expr {
	m := map[string]ast.Expr{}
	for _, it := range items {
		if it.Alias != nil {
			m[strings.ToLower(it.Alias.Name)] = it.Expr
		}
	}
	return m
}

// orderItem is a bound ORDER BY key: an output column of the projection.
type orderItem struct {
	item       ast.Node
	outIdx     int
	desc       bool
	nullsFirst bool
}

// bindOrderBy binds ORDER BY keys to output columns: ordinals, output
// names, or expressions (added as hidden columns).
func (b *binder) bindOrderBy(order []*ast.OrderItem, sc *scope, agg *aggState, items *boundItems, distinct bool, win *winState, pending *[]pendingJoin) ([]orderItem, error) {
	var out []orderItem
	nVisible := len(items.exprs)
	for _, o := range order {
		if o.Using != "" {
			return nil, notImplemented(o, "ORDER BY ... USING "+o.Using)
		}
		nullsFirst := b.nullsFirst(o)
		if o.All {
			for i := 0; i < nVisible; i++ {
				out = append(out, orderItem{item: o, outIdx: i, desc: o.Desc, nullsFirst: nullsFirst})
			}
			continue
		}
		idx := -1
		if n, ok := o.Expr.(*ast.NumberLit); ok {
			if k, err := strconv.Atoi(n.Text); err == nil {
				if k < 1 || k > nVisible {
					return nil, binderErr(o, "ORDER term out of range - should be between 1 and %d", nVisible)
				}
				idx = k - 1
			}
		} else if cn, ok := o.Expr.(*ast.ColumnRef); ok && len(cn.Parts) == 1 {
			name := cn.Parts[0].Name
			for i := 0; i < nVisible; i++ {
				org := items.origin[i]
				if strings.EqualFold(items.names[i], name) && (org.aliased || org.star || strings.EqualFold(org.column, name)) {
					idx = i
					break
				}
			}
		}
		if idx < 0 {
			octx := &exprCtx{b: b, sc: sc, agg: agg, clause: "ORDER BY", win: win, pending: pending}
			e, err := octx.bind(o.Expr)
			if err != nil {
				return nil, err
			}
			key := exprKey(e)
			for i, x := range items.exprs {
				if exprKey(x) == key {
					idx = i
					break
				}
			}
			if idx < 0 {
				if distinct {
					return nil, binderErr(o, "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
				}
				items.exprs = append(items.exprs, e)
				items.names = append(items.names, outputName(o.Expr))
				idx = len(items.exprs) - 1
			}
		}
		out = append(out, orderItem{item: o, outIdx: idx, desc: o.Desc, nullsFirst: nullsFirst})
	}
	return out, nil
}

// bindLimit binds LIMIT and OFFSET: integer constants or parameters.
func (b *binder) bindLimit(t tail) (*planner.Limit, error) {
	lim := &planner.Limit{Count: -1}
	for _, part := range []struct {
		e   ast.Expr
		dst *int64
	}{{t.limit, &lim.Count}, {t.offset, &lim.Offset}} {
		if part.e == nil {
			continue
		}
		ctx := &exprCtx{b: b, sc: &scope{}, clause: "LIMIT"}
		x, err := ctx.bind(part.e)
		if err != nil {
			return nil, err
		}
		switch k := x.(type) {
		case *expr.Param:
			b.params.limit(lim, part.dst == &lim.Count, k, part.e)
			continue
		case *expr.Const:
			if k.Val.Null {
				continue // LIMIT NULL: no limit
			}
			if !k.Typ.IsInteger() {
				// Any constant DuckDB casts to BIGINT: LIMIT 2.5 is 3, LIMIT '3' is 3.
				v, err := castConst(k.Val, k.Typ, coldata.TypeInt64)
				if err != nil {
					return nil, at(err, part.e)
				}
				k = &expr.Const{Val: v, Typ: coldata.TypeInt64}
			}
			if k.Typ.IsInteger() {
				if k.Val.I < 0 {
					return nil, binderErr(part.e, "LIMIT/OFFSET cannot be negative")
				}
				*part.dst = k.Val.I
				continue
			}
		}
		return nil, errAt(part.e, "Not implemented", "LIMIT/OFFSET must be an integer constant or a parameter, got %s", clip(part.e.String()))
	}
	return lim, nil
}
