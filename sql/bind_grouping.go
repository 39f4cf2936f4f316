package sql

import (
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// GROUPING SETS, ROLLUP and CUBE expand into a list of grouping sets; a
// query with more than one is planned as one hash aggregate per set over a
// shared input, the branches concatenated by a Union in which the keys a
// set does not group by are NULL.
//
// The shared input is chosen by cost. When every aggregate decomposes
// (count, sum, min, max, avg, and their DISTINCT forms) the input is itself
// an aggregate by the union of all sets' keys plus every DISTINCT
// aggregate's argument, computing partial states (avg as a sum and a
// count); each set re-aggregates its far fewer rows (sums of the partial
// counts and sums, DISTINCT over the argument column). The base table is
// thus scanned and hashed once, in parallel and spilling like any
// aggregate, and the per-set work is proportional to the finest groups,
// not to the input. A single aggregate keyed by (grouping id, keys) over
// the input replicated once per set would hash every input row once per
// set instead. Aggregates that do not decompose (none among the built-in
// ones; named aggregates such as list or median) fall back to materializing
// the projected input once, as a shared CTE that spills past the memory
// limit, which each set aggregates.

// materializeSets makes every grouping-sets query take the materialized-
// input plan (tests: the built-in aggregates all decompose).
var materializeSets = false

// maxCubeItems bounds CUBE's 2^n sets.
const maxCubeItems = 12

// expandGroupBy returns the grouping sets of a GROUP BY list, and whether
// the list used ROLLUP, CUBE, GROUPING SETS or the empty set ().
func expandGroupBy(items []ast.Expr) ([][]ast.Expr, bool, error) {
	sets := [][]ast.Expr{{}}
	multi := false
	for _, g := range items {
		var alts [][]ast.Expr
		switch x := g.(type) {
		case *ast.Rollup, *ast.Cube, *ast.GroupingSets:
			multi = true
			var err error
			if alts, err = setsOf(g); err != nil {
				return nil, false, err
			}
		case *ast.RowExpr:
			if len(x.Items) == 0 {
				multi = true
				alts = [][]ast.Expr{{}}
			} else {
				alts = [][]ast.Expr{{g}}
			}
		default:
			alts = [][]ast.Expr{{g}}
		}
		var next [][]ast.Expr
		for _, s := range sets {
			for _, a := range alts {
				next = append(next, append(append([]ast.Expr{}, s...), a...))
			}
		}
		sets = next
	}
	return sets, multi, nil
}

// members are the expressions of one ROLLUP/CUBE element or grouping set:
// (a, b) groups by both, () by none.
func members(e ast.Expr) []ast.Expr {
	if r, ok := e.(*ast.RowExpr); ok && !r.Keyword {
		return r.Items
	}
	return []ast.Expr{e}
}

func setsOf(g ast.Expr) ([][]ast.Expr, error) {
	switch x := g.(type) {
	case *ast.Rollup:
		// ROLLUP (a, b, c): (a, b, c), (a, b), (a), ().
		var sets [][]ast.Expr
		for k := len(x.Items); k >= 0; k-- {
			var s []ast.Expr
			for _, it := range x.Items[:k] {
				s = append(s, members(it)...)
			}
			sets = append(sets, s)
		}
		return sets, nil
	case *ast.Cube:
		if len(x.Items) > maxCubeItems {
			return nil, binderErr(x, "CUBE can have at most %d columns", maxCubeItems)
		}
		var sets [][]ast.Expr
		for mask := (1 << len(x.Items)) - 1; mask >= 0; mask-- {
			var s []ast.Expr
			for i, it := range x.Items {
				if mask&(1<<(len(x.Items)-1-i)) != 0 {
					s = append(s, members(it)...)
				}
			}
			sets = append(sets, s)
		}
		return sets, nil
	case *ast.GroupingSets:
		var sets [][]ast.Expr
		for _, s := range x.Sets {
			switch s.(type) {
			case *ast.Rollup, *ast.Cube, *ast.GroupingSets:
				inner, err := setsOf(s)
				if err != nil {
					return nil, err
				}
				sets = append(sets, inner...)
			default:
				sets = append(sets, members(s))
			}
		}
		return sets, nil
	}
	return [][]ast.Expr{{g}}, nil
}

// bindSets binds the keys of several grouping sets into agg.
func (b *binder) bindSets(agg *aggState, sel *ast.Select, sc *scope, sets [][]ast.Expr) error {
	for _, s := range sets {
		var idx []int
		for _, g := range s {
			ge, err := b.bindGroupExpr(g, sel.Items, sc)
			if err != nil {
				return err
			}
			if ge.Type().IsNested() {
				ge = nestedEncode(ge)
			}
			agg.addGroup(b, ge, outputName(g))
			i := agg.groupIdx(exprKey(ge))
			if !containsInt(idx, i) {
				idx = append(idx, i)
			}
		}
		agg.sets = append(agg.sets, idx)
	}
	return nil
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (a *aggState) groupIdx(key string) int {
	for i, k := range a.groupKeys {
		if k == key {
			return i
		}
	}
	return -1
}

// groupingEntry is one GROUPING(...) call: its arguments' group indexes.
type groupingEntry struct {
	args []int
	out  planner.ColMeta
}

func isGroupingCall(e ast.Expr) bool {
	f, ok := e.(*ast.FuncCall)
	if !ok || f.Over != nil || f.Receiver != nil {
		return false
	}
	name, _ := funcName(f)
	return name == "grouping" || name == "grouping_id"
}

// groupingCall binds GROUPING(a, b, ...): a bit per argument, the first
// the most significant, set when the row's grouping set rolls it up.
func (c *exprCtx) groupingCall(fe *ast.FuncCall) (expr.Expr, error) {
	if c.agg == nil || len(c.agg.groups) == 0 {
		return nil, binderErr(fe, "GROUPING statement cannot be used without groups")
	}
	_, args := funcName(fe)
	if len(args) == 0 || fe.Star {
		return nil, binderErr(fe, "GROUPING requires at least one child")
	}
	plain := &exprCtx{b: c.b, sc: c.sc, clause: c.clause, columns: c.columns}
	ent := groupingEntry{}
	for _, a := range args {
		be, err := plain.bind(a)
		if err != nil {
			return nil, err
		}
		if be.Type().IsNested() {
			be = nestedEncode(be)
		}
		i := c.agg.groupIdx(exprKey(be))
		if i < 0 {
			return nil, binderErr(fe, "GROUPING child \"%s\" must be a grouping column", clip(a.String()))
		}
		ent.args = append(ent.args, i)
	}
	if len(ent.args) > 62 {
		return nil, binderErr(fe, "GROUPING statement cannot have more than 62 groups")
	}
	if c.agg.sets == nil {
		// One grouping set: nothing is rolled up.
		return &expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt64}, nil
	}
	name := "GROUPING(" + strings.TrimPrefix(fe.String(), "grouping(")
	ent.out = c.b.newCol(name, "", coldata.TypeInt64)
	c.agg.groupings = append(c.agg.groupings, ent)
	return colExpr(ent.out), nil
}

// groupingValue is GROUPING(args) in the grouping set set.
func groupingValue(args []int, set []int) int64 {
	var v int64
	for _, a := range args {
		v <<= 1
		if !containsInt(set, a) {
			v |= 1
		}
	}
	return v
}

// decomposable reports whether every aggregate can be computed from
// per-finest-group partial results. A DISTINCT aggregate can: its argument
// joins the finest groups' keys, and each set aggregates DISTINCT over them.
func (a *aggState) decomposable() bool {
	for _, e := range a.aggs {
		switch e.call.Func {
		case planner.AggCountStar, planner.AggCount, planner.AggSum, planner.AggAvg, planner.AggMin, planner.AggMax:
		default:
			return false
		}
	}
	return true
}

// buildSets plans the grouping sets: a Union of one aggregate per set over
// a shared input, whose columns are the groups, the aggregates and the
// GROUPING values.
func (a *aggState) buildSets(b *binder, input planner.Node) planner.Node {
	pre := &planner.Project{Input: input}
	keys := make([]planner.ColMeta, len(a.groups))
	for i, g := range a.groups {
		keys[i] = b.newCol(a.groupCols[i].Name, "", g.Type())
		pre.Exprs = append(pre.Exprs, g)
		pre.Out = append(pre.Out, keys[i])
	}
	args := make([]int, len(a.aggs)) // position of each aggregate's argument in pre
	argPos := map[string]int{}
	project := func(x expr.Expr) int {
		k := exprKey(x)
		p, ok := argPos[k]
		if !ok {
			p = len(pre.Out)
			pre.Exprs = append(pre.Exprs, x)
			pre.Out = append(pre.Out, b.newCol(x.String(), "", x.Type()))
			argPos[k] = p
		}
		return p
	}
	extras := make([][]int, len(a.aggs)) // positions of Arg2, ORDER BY keys, FILTER
	for i, e := range a.aggs {
		args[i] = -1
		if e.call.Arg == nil {
			continue
		}
		args[i] = project(e.call.Arg)
		for _, x := range e.call.Extra() {
			extras[i] = append(extras[i], project(*x))
		}
	}
	var shared planner.Node = pre
	var merge func(ref []planner.ColMeta) ([]planner.AggCall, func([]planner.ColMeta) []expr.Expr)
	if a.decomposable() && !materializeSets {
		shared, merge = a.partials(b, pre, keys, args)
	} else {
		merge = func(ref []planner.ColMeta) ([]planner.AggCall, func([]planner.ColMeta) []expr.Expr) {
			calls := make([]planner.AggCall, len(a.aggs))
			for i, e := range a.aggs {
				calls[i] = e.call
				if args[i] >= 0 {
					calls[i].Arg = colExpr(ref[args[i]])
				}
				calls[i].Order = append([]planner.AggOrder(nil), e.call.Order...)
				for k, x := range calls[i].Extra() {
					*x = colExpr(ref[extras[i][k]])
				}
			}
			return calls, columnsOf
		}
	}
	sh := &planner.SharedCTE{Name: "grouping sets", Plan: shared, Width: len(shared.Cols())}
	u := &planner.Union{}
	u.Out = append(append(append(u.Out, a.groupCols...), outCols(a.aggs)...), a.groupingCols()...)
	for _, set := range a.sets {
		ref := &planner.CTERef{Shared: sh}
		for i, c := range shared.Cols() {
			ref.Out = append(ref.Out, b.newCol(c.Name, "", c.Type))
			ref.ColIdx = append(ref.ColIdx, i)
		}
		calls, final := merge(ref.Out)
		ag := &planner.Aggregate{Input: ref}
		for _, k := range set {
			ag.Groups = append(ag.Groups, ref.Out[k])
		}
		ag.Aggs = calls
		ag.Out = append([]planner.ColMeta{}, ag.Groups...)
		for _, c := range calls {
			ag.Out = append(ag.Out, b.newCol("agg", "", c.Typ))
		}
		proj := &planner.Project{Input: ag}
		for i, g := range a.groupCols {
			if containsInt(set, i) {
				proj.Exprs = append(proj.Exprs, colExpr(ref.Out[i]))
			} else {
				proj.Exprs = append(proj.Exprs, &expr.Const{Val: coldata.NullDatum, Typ: g.Type})
			}
		}
		proj.Exprs = append(proj.Exprs, final(ag.Out[len(ag.Groups):])...)
		for _, g := range a.groupings {
			proj.Exprs = append(proj.Exprs, &expr.Const{Val: coldata.Datum{I: groupingValue(g.args, set)}, Typ: coldata.TypeInt64})
		}
		for i, e := range proj.Exprs {
			proj.Out = append(proj.Out, b.newCol(u.Out[i].Name, "", e.Type()))
		}
		u.Ins = append(u.Ins, proj)
	}
	return u
}

func columnsOf(cols []planner.ColMeta) []expr.Expr {
	out := make([]expr.Expr, len(cols))
	for i, c := range cols {
		out[i] = colExpr(c)
	}
	return out
}

func (a *aggState) groupingCols() []planner.ColMeta {
	out := make([]planner.ColMeta, len(a.groupings))
	for i, g := range a.groupings {
		out[i] = g.out
	}
	return out
}

// partials returns the aggregate by every key computing partial states
// (avg as a sum and a count), and how each set merges them.
func (a *aggState) partials(b *binder, pre *planner.Project, keys []planner.ColMeta, args []int) (planner.Node, func([]planner.ColMeta) ([]planner.AggCall, func([]planner.ColMeta) []expr.Expr)) {
	fin := &planner.Aggregate{Input: pre, Groups: append([]planner.ColMeta{}, keys...)}
	type part struct{ a, b int } // positions in fin.Out (b: avg's count)
	parts := make([]part, len(a.aggs))
	for i, e := range a.aggs {
		if !e.call.Distinct {
			continue
		}
		col := pre.Out[args[i]]
		parts[i].a = -1
		for k, g := range fin.Groups {
			if g.ID == col.ID {
				parts[i].a = k
			}
		}
		if parts[i].a < 0 {
			fin.Groups = append(fin.Groups, col)
			parts[i].a = len(fin.Groups) - 1
		}
	}
	fin.Out = append([]planner.ColMeta{}, fin.Groups...)
	add := func(f planner.AggFunc, arg expr.Expr, t coldata.Type) int {
		fin.Aggs = append(fin.Aggs, planner.AggCall{Func: f, Arg: arg, Typ: t})
		fin.Out = append(fin.Out, b.newCol(f.String(), "", t))
		return len(fin.Out) - 1
	}
	for i, e := range a.aggs {
		if e.call.Distinct {
			continue
		}
		var arg expr.Expr
		if args[i] >= 0 {
			arg = colExpr(pre.Out[args[i]])
		}
		switch e.call.Func {
		case planner.AggAvg:
			parts[i] = part{add(planner.AggSum, arg, coldata.SumType(arg.Type())), add(planner.AggCount, arg, coldata.TypeInt64)}
		default:
			parts[i] = part{a: add(e.call.Func, arg, e.call.Typ)}
		}
	}
	merge := func(ref []planner.ColMeta) ([]planner.AggCall, func([]planner.ColMeta) []expr.Expr) {
		var calls []planner.AggCall
		sum := func(c planner.ColMeta) int {
			calls = append(calls, planner.AggCall{Func: planner.AggSum, Arg: colExpr(c), Typ: coldata.SumType(c.Type)})
			return len(calls) - 1
		}
		type fpos struct{ a, b int }
		pos := make([]fpos, len(a.aggs))
		for i, e := range a.aggs {
			if e.call.Distinct {
				calls = append(calls, planner.AggCall{Func: e.call.Func, Distinct: true, Arg: colExpr(ref[parts[i].a]), Typ: e.call.Typ})
				pos[i].a = len(calls) - 1
				continue
			}
			switch e.call.Func {
			case planner.AggCountStar, planner.AggCount, planner.AggSum:
				pos[i].a = sum(ref[parts[i].a])
			case planner.AggAvg:
				pos[i] = fpos{sum(ref[parts[i].a]), sum(ref[parts[i].b])}
			default:
				calls = append(calls, planner.AggCall{Func: e.call.Func, Arg: colExpr(ref[parts[i].a]), Typ: e.call.Typ})
				pos[i].a = len(calls) - 1
			}
		}
		final := func(out []planner.ColMeta) []expr.Expr {
			res := make([]expr.Expr, len(a.aggs))
			for i, e := range a.aggs {
				x := colExpr(out[pos[i].a])
				if e.call.Distinct {
					res[i] = x
					continue
				}
				switch e.call.Func {
				case planner.AggCountStar, planner.AggCount:
					// A sum of no counts is NULL; the count is 0.
					res[i] = &expr.Func{Op: expr.OpCoalesce, Typ: coldata.TypeInt64, Args: []expr.Expr{
						&expr.Cast{Arg: x, Typ: coldata.TypeInt64}, &expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt64}}}
				case planner.AggAvg:
					n := colExpr(out[pos[i].b])
					res[i] = &expr.Func{Op: expr.OpDiv, Typ: coldata.TypeFloat64, Args: []expr.Expr{
						&expr.Cast{Arg: x, Typ: coldata.TypeFloat64}, &expr.Cast{Arg: n, Typ: coldata.TypeFloat64}}}
				default:
					if x.Type() != e.call.Typ {
						res[i] = &expr.Cast{Arg: x, Typ: e.call.Typ}
					} else {
						res[i] = x
					}
				}
			}
			return res
		}
		return calls, final
	}
	return fin, merge
}

// filterArg applies the FILTER (WHERE p) of count, sum, avg, min or max:
// they all skip NULLs, so the argument becomes CASE WHEN p THEN arg END,
// and count(*) counts CASE WHEN p THEN true END. Named aggregates filter
// their rows instead (filterNamedAgg).
func (c *exprCtx) filterArg(fe *ast.FuncCall, call *planner.AggCall) error {
	switch call.Func {
	case planner.AggCountStar, planner.AggCount, planner.AggSum, planner.AggAvg, planner.AggMin, planner.AggMax:
	default:
		// An aggregate that may keep NULLs (list, first) needs the filter
		// in the aggregate itself.
		name, _ := funcName(fe)
		return notImplemented(fe.Filter, "FILTER on the aggregate "+name)
	}
	if containsAggregate(fe.Filter) {
		return binderErr(fe.Filter, "aggregate function calls cannot be nested")
	}
	fc := *c
	fc.clause = "FILTER"
	p, err := fc.bind(fe.Filter)
	if err != nil {
		return err
	}
	if p.Type().ID != coldata.Bool {
		if p, err = castTo(p, coldata.TypeBool); err != nil {
			return at(err, fe.Filter)
		}
	}
	if call.Func == planner.AggCountStar {
		call.Func = planner.AggCount
		call.Arg = &expr.Const{Val: coldata.Datum{B: true}, Typ: coldata.TypeBool}
	}
	call.Arg = &expr.Case{Whens: []expr.When{{Cond: p, Then: call.Arg}}, Typ: call.Arg.Type()}
	return nil
}

// orderInsensitive reports the aggregates whose result ORDER BY inside the
// call cannot change (DuckDB drops it for them too); ordered aggregates
// (string_agg, list, first ...) need the rows in order and are refused.
func orderInsensitive(name string) bool {
	switch aggNames[name] {
	case planner.AggCount, planner.AggSum, planner.AggAvg, planner.AggMin, planner.AggMax:
		_, ok := aggNames[name]
		return ok
	}
	return false
}

// checkOrder binds an order-insensitive aggregate's ORDER BY keys for their
// errors only.
func (c *exprCtx) checkOrder(order []*ast.OrderItem) error {
	for _, o := range order {
		if containsAggregate(o.Expr) {
			return binderErr(o.Expr, "aggregate function calls cannot be nested")
		}
		if _, err := c.bind(o.Expr); err != nil {
			return err
		}
	}
	return nil
}
