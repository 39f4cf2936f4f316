package sql

import (
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

var aggNames = map[string]planner.AggFunc{
	"count": planner.AggCount, "sum": planner.AggSum, "avg": planner.AggAvg, "mean": planner.AggAvg,
	"min": planner.AggMin, "max": planner.AggMax, "count_star": planner.AggCount,
}

func isAggName(name string) bool {
	if _, ok := aggNames[name]; ok {
		return true
	}
	_, ok := namedAggs[name]
	return ok
}

// isAggregate reports a call of an aggregate function (not a window
// function).
func isAggregate(e ast.Expr) bool {
	f, ok := e.(*ast.FuncCall)
	if !ok || f.Over != nil || f.Receiver != nil {
		return false
	}
	name, _ := funcName(f)
	return isAggName(name)
}

// containsAggregate reports an aggregate in n outside its subqueries.
func containsAggregate(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		switch y := x.(type) {
		case *ast.Query:
			return false
		case ast.Expr:
			if isAggregate(y) {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

func hasAggregate(sel *ast.Select, order []*ast.OrderItem) bool {
	for _, it := range sel.Items {
		if containsAggregate(it) {
			return true
		}
	}
	for _, o := range order {
		if containsAggregate(o) {
			return true
		}
	}
	return false
}

// aggState collects the groups and aggregates of one SELECT while its
// clauses are bound, then builds Project → Aggregate.
type aggState struct {
	// sets are the grouping sets by index into groups (nil: one set of all
	// of them); groupings the GROUPING(...) calls (bind_grouping.go).
	sets      [][]int
	groupings []groupingEntry
	groups    []expr.Expr // bound over the FROM scope
	groupKeys []string
	groupCols []planner.ColMeta
	aggs      []aggEntry
	// pre collects subqueries inside aggregate arguments, joined before
	// the grouping.
	pre *[]pendingJoin
}

type aggEntry struct {
	call planner.AggCall // Arg still over the FROM scope
	key  string
	out  planner.ColMeta
}

func (a *aggState) addGroup(b *binder, e expr.Expr, name string) {
	key := exprKey(e)
	for _, k := range a.groupKeys {
		if k == key {
			return
		}
	}
	if c, ok := e.(*expr.Column); ok {
		name = c.Name
	}
	a.groups = append(a.groups, e)
	a.groupKeys = append(a.groupKeys, key)
	a.groupCols = append(a.groupCols, b.newCol(name, "", e.Type()))
}

func (a *aggState) group(key string) (planner.ColMeta, bool) {
	for i, k := range a.groupKeys {
		if k == key {
			return a.groupCols[i], true
		}
	}
	return planner.ColMeta{}, false
}

// build returns Aggregate over a projection computing group keys and
// aggregate arguments from input.
func (a *aggState) build(b *binder, input planner.Node) planner.Node {
	if a.sets != nil {
		return a.buildSets(b, input)
	}
	pre := &planner.Project{Input: input}
	for i, g := range a.groups {
		pre.Exprs = append(pre.Exprs, g)
		pre.Out = append(pre.Out, a.groupCols[i])
	}
	ag := &planner.Aggregate{Input: pre, Groups: a.groupCols}
	argCols := map[string]planner.ColMeta{}
	column := func(arg expr.Expr) expr.Expr {
		k := exprKey(arg)
		col, ok := argCols[k]
		if !ok {
			col = b.newCol(arg.String(), "", arg.Type())
			pre.Exprs = append(pre.Exprs, arg)
			pre.Out = append(pre.Out, col)
			argCols[k] = col
		}
		return colExpr(col)
	}
	for _, e := range a.aggs {
		call := e.call
		if call.Arg != nil {
			call.Arg = column(call.Arg)
		}
		call.Order = append([]planner.AggOrder(nil), call.Order...)
		for _, x := range call.Extra() {
			*x = column(*x)
		}
		ag.Aggs = append(ag.Aggs, call)
	}
	ag.Out = append(append([]planner.ColMeta{}, a.groupCols...), outCols(a.aggs)...)
	return ag
}

func outCols(aggs []aggEntry) []planner.ColMeta {
	out := make([]planner.ColMeta, len(aggs))
	for i, a := range aggs {
		out[i] = a.out
	}
	return out
}

// bindAgg binds an aggregate call, registering it once per distinct call.
func (c *exprCtx) bindAgg(fe *ast.FuncCall) (expr.Expr, error) {
	name, args := funcName(fe)
	switch {
	case len(fe.OrderBy) > 0 && !orderInsensitive(name) && !isNamedAgg(name):
		return nil, notImplemented(fe.OrderBy[0], "ORDER BY inside an aggregate")
	case len(fe.WithinGroup) > 0:
		return nil, notImplemented(fe, "WITHIN GROUP")
	case fe.IgnoreNulls != nil:
		return nil, notImplemented(fe, "IGNORE NULLS")
	}
	fn := aggNames[name]
	call := planner.AggCall{Func: fn, Distinct: fe.Distinct}
	inner := &exprCtx{b: c.b, sc: c.sc, clause: "aggregate " + name, columns: c.columns, pending: c.agg.pre}
	_, named := namedAggs[name]
	if name == "count_star" && len(args) > 0 {
		return nil, noAggMatch(fe, name, args, inner)
	}
	switch {
	case named:
		if fe.Star {
			return nil, binderErr(fe, "No function matches the given name and argument types '%s()'. You might need to add explicit type casts.", name)
		}
		var err error
		if call, err = c.namedAgg(fe, name, args, inner); err != nil {
			return nil, err
		}
	case fe.Star || fn == planner.AggCount && len(args) == 0:
		if fn != planner.AggCount {
			return nil, binderErr(fe, "%s(*) is not allowed; only count(*)", name)
		}
		call.Func = planner.AggCountStar
		call.Distinct = false
	case len(args) == 1:
		if _, ok := args[0].(*ast.NamedArg); ok {
			return nil, binderErr(args[0], "%s does not take named arguments", name)
		}
		if containsAggregate(args[0]) {
			return nil, binderErr(fe, "aggregate function calls cannot be nested")
		}
		arg, err := inner.bind(args[0])
		if err != nil {
			return nil, err
		}
		if arg.Type().IsNested() && fn != planner.AggCount {
			return nil, errAt(fe, "Not implemented", "%s on the nested value %s (%s) is not supported", clip(fe.String()), clip(arg.String()), arg.Type())
		}
		if arg.Type().IsNested() && fe.Distinct {
			arg = nestedEncode(arg) // equal values encode alike
		}
		call.Arg = arg
	default:
		return nil, binderErr(fe, "%s takes exactly one argument", name)
	}
	if call.Arg != nil {
		t := call.Arg.Type()
		switch call.Func {
		case planner.AggCount:
		case planner.AggSum, planner.AggAvg:
			if t.ID == coldata.Unknown {
				call.Arg = &expr.Cast{Arg: call.Arg, Typ: coldata.TypeInt32}
				t = coldata.TypeInt32
			}
			if !t.IsNumeric() {
				return nil, binderErr(fe, "No function matches %s(%s). You might need to add explicit type casts.", name, t)
			}
			if call.Func == planner.AggAvg && t.ID == coldata.Hugeint {
				// AVG is a DOUBLE; the executor averages HUGEINTs as such.
				call.Arg = &expr.Cast{Arg: call.Arg, Typ: coldata.TypeFloat64}
			}
		}
	}
	if call.Func == planner.AggNamed {
		if err := inner.orderNamedAgg(fe, args, &call); err != nil {
			return nil, err
		}
		if fe.Filter != nil {
			if err := inner.filterNamedAgg(fe, &call); err != nil {
				return nil, err
			}
		}
	} else {
		if fe.Filter != nil {
			if err := inner.filterArg(fe, &call); err != nil {
				return nil, err
			}
		}
		if err := inner.checkOrder(fe.OrderBy); err != nil {
			return nil, err
		}
	}
	switch call.Func {
	case planner.AggNamed:
	case planner.AggCountStar, planner.AggCount:
		call.Typ = coldata.TypeInt64
	case planner.AggSum:
		// HUGEINT over integers (a sum of BIGINTs cannot overflow),
		// DECIMAL(38, s) over decimals, DOUBLE over DOUBLE.
		call.Typ = coldata.SumType(call.Arg.Type())
	case planner.AggAvg:
		call.Typ = coldata.TypeFloat64
	default:
		call.Typ = call.Arg.Type()
	}
	key := call.Func.String() + call.Name + strconv.FormatBool(call.Distinct) + "(" + keyOrStar(call.Arg) + ")"
	if call.Arg2 != nil {
		key += "," + exprKey(call.Arg2)
	}
	for _, p := range call.Params {
		key += "," + paramKey(p)
	}
	key += aggExtraKey(call)
	for _, e := range c.agg.aggs {
		if e.key == key {
			return colExpr(e.out), nil
		}
	}
	out := c.b.newCol(outputName(fe), "", call.Typ)
	c.agg.aggs = append(c.agg.aggs, aggEntry{call: call, key: key, out: out})
	return colExpr(out), nil
}

func keyOrStar(e expr.Expr) string {
	if e == nil {
		return "*"
	}
	return exprKey(e)
}

// bindGroupExpr binds a GROUP BY item: an ordinal or alias of a select item,
// or an expression over the FROM clause.
func (b *binder) bindGroupExpr(g ast.Expr, items []*ast.SelectItem, sc *scope) (expr.Expr, error) {
	ctx := &exprCtx{b: b, sc: sc, clause: "GROUP BY"}
	if n, ok := g.(*ast.NumberLit); ok {
		if k, err := strconv.Atoi(n.Text); err == nil {
			if k < 1 || k > len(items) {
				return nil, binderErr(g, "GROUP BY term out of range - should be between 1 and %d", len(items))
			}
			it := items[k-1]
			if _, star := it.Expr.(*ast.Star); star || containsAggregate(it.Expr) {
				return nil, binderErr(g, "GROUP BY %d refers to an aggregate or star", k)
			}
			return ctx.bind(it.Expr)
		}
	}
	if cn, ok := g.(*ast.ColumnRef); ok && len(cn.Parts) == 1 {
		if _, err := sc.lookup("", cn.Parts[0].Name); err != nil {
			for _, it := range items {
				if it.Alias != nil && strings.EqualFold(it.Alias.Name, cn.Parts[0].Name) {
					return ctx.bind(it.Expr)
				}
			}
		}
	}
	if containsAggregate(g) {
		return nil, binderErr(g, "GROUP BY clause cannot contain aggregates!")
	}
	return ctx.bind(g)
}
