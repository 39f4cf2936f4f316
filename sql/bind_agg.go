package sql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xwb1989/sqlparser"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
)

var aggNames = map[string]planner.AggFunc{
	"count": planner.AggCount, "sum": planner.AggSum, "avg": planner.AggAvg, "mean": planner.AggAvg,
	"min": planner.AggMin, "max": planner.AggMax,
}

func isAggregate(e sqlparser.Expr) bool {
	fe, ok := e.(*sqlparser.FuncExpr)
	if !ok || !fe.Qualifier.IsEmpty() {
		return false
	}
	_, ok = aggNames[fe.Name.Lowered()]
	return ok
}

func containsAggregate(node sqlparser.SQLNode) bool {
	found := false
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		if _, ok := n.(*sqlparser.Subquery); ok {
			return false, nil
		}
		if e, ok := n.(sqlparser.Expr); ok && isAggregate(e) {
			found = true
			return false, nil
		}
		return true, nil
	}, node)
	return found
}

func hasAggregate(sel *sqlparser.Select) bool {
	if containsAggregate(sel.SelectExprs) {
		return true
	}
	return sel.OrderBy != nil && containsAggregate(sel.OrderBy)
}

// aggState collects the groups and aggregates of one SELECT while its
// clauses are bound, then builds Project → Aggregate.
type aggState struct {
	groups    []expr.Expr // bound over the FROM scope
	groupKeys []string
	groupCols []planner.ColMeta
	aggs      []aggEntry
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
	pre := &planner.Project{Input: input}
	for i, g := range a.groups {
		pre.Exprs = append(pre.Exprs, g)
		pre.Out = append(pre.Out, a.groupCols[i])
	}
	ag := &planner.Aggregate{Input: pre, Groups: a.groupCols}
	argCols := map[string]planner.ColMeta{}
	for _, e := range a.aggs {
		call := e.call
		if call.Arg != nil {
			k := exprKey(call.Arg)
			col, ok := argCols[k]
			if !ok {
				col = b.newCol(call.Arg.String(), "", call.Arg.Type())
				pre.Exprs = append(pre.Exprs, call.Arg)
				pre.Out = append(pre.Out, col)
				argCols[k] = col
			}
			call.Arg = colExpr(col)
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
func (c *exprCtx) bindAgg(fe *sqlparser.FuncExpr) (expr.Expr, error) {
	name := fe.Name.Lowered()
	fn := aggNames[name]
	call := planner.AggCall{Func: fn, Distinct: fe.Distinct}
	inner := &exprCtx{b: c.b, sc: c.sc, clause: "aggregate " + name}
	switch {
	case len(fe.Exprs) == 1 && isStar(fe.Exprs[0]):
		if fn != planner.AggCount {
			return nil, fmt.Errorf("Binder Error: %s(*) is not allowed; only count(*)", name)
		}
		call.Func = planner.AggCountStar
		call.Distinct = false
	case len(fe.Exprs) == 1:
		ae, ok := fe.Exprs[0].(*sqlparser.AliasedExpr)
		if !ok {
			return nil, fmt.Errorf("Binder Error: bad argument to %s", name)
		}
		if containsAggregate(ae.Expr) {
			return nil, fmt.Errorf("Binder Error: aggregate function calls cannot be nested")
		}
		arg, err := inner.bind(ae.Expr)
		if err != nil {
			return nil, err
		}
		if arg.Type().IsNested() && fn != planner.AggCount {
			return nil, fmt.Errorf("Not implemented Error: %s on the nested value %s (%s) is not supported", sqlparser.String(fe), arg, arg.Type())
		}
		if arg.Type().IsNested() && fe.Distinct {
			arg = nestedEncode(arg) // equal values encode alike
		}
		call.Arg = arg
	default:
		return nil, fmt.Errorf("Binder Error: %s takes exactly one argument", name)
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
				return nil, fmt.Errorf("Binder Error: No function matches %s(%s). You might need to add explicit type casts.", name, t)
			}
		}
	}
	switch call.Func {
	case planner.AggCountStar, planner.AggCount:
		call.Typ = coldata.TypeInt64
	case planner.AggSum:
		switch t := call.Arg.Type(); t.ID {
		case coldata.Decimal:
			call.Typ = coldata.DecimalType(coldata.MaxDecimalPrecision, int(t.Scale))
		case coldata.Float64:
			call.Typ = coldata.TypeFloat64
		default:
			call.Typ = coldata.TypeInt64
		}
	case planner.AggAvg:
		call.Typ = coldata.TypeFloat64
	default:
		call.Typ = call.Arg.Type()
	}
	key := call.Func.String() + strconv.FormatBool(call.Distinct) + "(" + keyOrStar(call.Arg) + ")"
	for _, e := range c.agg.aggs {
		if e.key == key {
			return colExpr(e.out), nil
		}
	}
	out := c.b.newCol(sqlparser.String(fe), "", call.Typ)
	c.agg.aggs = append(c.agg.aggs, aggEntry{call: call, key: key, out: out})
	return colExpr(out), nil
}

func keyOrStar(e expr.Expr) string {
	if e == nil {
		return "*"
	}
	return exprKey(e)
}

func isStar(se sqlparser.SelectExpr) bool {
	_, ok := se.(*sqlparser.StarExpr)
	return ok
}

// bindGroupExpr binds a GROUP BY item: an ordinal or alias of a select item,
// or an expression over the FROM clause.
func (b *binder) bindGroupExpr(g sqlparser.Expr, items sqlparser.SelectExprs, sc *scope) (expr.Expr, error) {
	ctx := &exprCtx{b: b, sc: sc, clause: "GROUP BY"}
	if v, ok := g.(*sqlparser.SQLVal); ok && v.Type == sqlparser.IntVal {
		k, _ := strconv.Atoi(string(v.Val))
		if k < 1 || k > len(items) {
			return nil, fmt.Errorf("Binder Error: GROUP BY term out of range - should be between 1 and %d", len(items))
		}
		ae, ok := items[k-1].(*sqlparser.AliasedExpr)
		if !ok || containsAggregate(ae.Expr) {
			return nil, fmt.Errorf("Binder Error: GROUP BY %d refers to an aggregate or star", k)
		}
		return ctx.bind(ae.Expr)
	}
	if cn, ok := g.(*sqlparser.ColName); ok && cn.Qualifier.IsEmpty() {
		if _, err := sc.lookup("", cn.Name.String()); err != nil {
			for _, it := range items {
				if ae, ok := it.(*sqlparser.AliasedExpr); ok && strings.EqualFold(ae.As.String(), cn.Name.String()) {
					return ctx.bind(ae.Expr)
				}
			}
		}
	}
	if containsAggregate(g) {
		return nil, fmt.Errorf("Binder Error: GROUP BY clause cannot contain aggregates")
	}
	return ctx.bind(g)
}
