package sql

import (
	"context"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/sql/parser"
)

// PIVOT and UNPIVOT are rewritten into queries the binder already runs, as
// DuckDB defines them: PIVOT is a grouped aggregate with one FILTERed
// aggregate per (IN value, USING aggregate) pair, UNPIVOT a UNION ALL with
// one branch per unpivoted column.

// sourceColumns binds a FROM item into a throwaway scope to learn its
// visible columns (the rewritten query binds it again).
func (b *binder) sourceColumns(te ast.TableExpr) (*scope, []string, error) {
	sc := &scope{}
	if _, err := b.bindTableExpr(te, sc); err != nil {
		return nil, nil, err
	}
	var names []string
	for _, c := range sc.cols {
		if !c.hidden {
			names = append(names, c.meta.Name)
		}
	}
	return sc, names, nil
}

func colRefAST(at ast.At, name string) *ast.ColumnRef {
	return &ast.ColumnRef{At: at, Parts: []ast.Ident{{At: at, Name: name, Quoted: true}}}
}

// derived binds body as a FROM item named alias (def when there is none).
func (b *binder) derived(at ast.At, body ast.QueryBody, alias *ast.Alias, def string, sc *scope) (planner.Node, error) {
	if alias == nil {
		alias = &ast.Alias{At: at, Name: ast.Ident{At: at, Name: def}}
	}
	return b.bindTableExpr(&ast.DerivedTable{At: at, Query: &ast.Query{At: at, Body: body}, Alias: alias}, sc)
}

// pivotValue is one IN value of a PIVOT ON column: the condition's
// constant and the output name.
type pivotValue struct {
	val  ast.Expr
	name string
}

func (b *binder) bindPivot(pv *ast.Pivot, sc *scope) (planner.Node, error) {
	_, cols, err := b.sourceColumns(pv.Source)
	if err != nil {
		return nil, err
	}
	using := pv.Using
	if len(using) == 0 {
		using = []*ast.SelectItem{{At: pv.At, Expr: &ast.FuncCall{At: pv.At, Name: &ast.Name{Parts: []ast.Ident{{Name: "count"}}}, Star: true}}}
	}
	for _, u := range using {
		if !isAggregate(u.Expr) {
			return nil, binderErr(u.Expr, "Columns can only be referenced within the aggregate of a PIVOT expression")
		}
	}
	// The combinations of the ON columns' values, in order.
	combos := [][]pivotValue{{}}
	for _, on := range pv.On {
		vals, err := b.pivotValues(pv, on)
		if err != nil {
			return nil, err
		}
		var next [][]pivotValue
		for _, c := range combos {
			for _, v := range vals {
				next = append(next, append(append([]pivotValue{}, c...), v))
			}
		}
		combos = next
	}
	sel := &ast.Select{At: pv.At, From: []ast.TableExpr{pv.Source}}
	groups := pv.GroupBy
	if len(groups) == 0 {
		// Every column neither pivoted on nor aggregated.
		used := map[string]bool{}
		for _, on := range pv.On {
			markColumns(on.Expr, used)
		}
		for _, u := range using {
			markColumns(u.Expr, used)
		}
		for _, c := range cols {
			if !used[strings.ToLower(c)] {
				groups = append(groups, colRefAST(pv.At, c))
			}
		}
	}
	for _, g := range groups {
		sel.Items = append(sel.Items, &ast.SelectItem{At: pv.At, Expr: g})
	}
	if len(groups) > 0 {
		sel.GroupBy = &ast.GroupBy{At: pv.At, Items: groups}
	}
	for _, combo := range combos {
		var conds []ast.Expr
		var names []string
		for i, v := range combo {
			conds = append(conds, &ast.Binary{At: pv.At, Op: "=", L: pv.On[i].Expr, R: v.val})
			names = append(names, v.name)
		}
		name := strings.Join(names, "_")
		for _, u := range using {
			call := *u.Expr.(*ast.FuncCall)
			filter := conds
			if call.Filter != nil {
				filter = append([]ast.Expr{call.Filter}, conds...)
			}
			if len(filter) == 1 {
				call.Filter = filter[0]
			} else {
				call.Filter = &ast.And{At: pv.At, Terms: filter}
			}
			col := name
			if len(using) > 1 || u.Alias != nil {
				suffix := outputName(u.Expr)
				if u.Alias != nil {
					suffix = u.Alias.Name
				}
				col += "_" + suffix
			}
			sel.Items = append(sel.Items, &ast.SelectItem{At: pv.At, Expr: &call, Alias: &ast.Ident{At: pv.At, Name: col}})
		}
	}
	return b.derived(pv.At, sel, pv.Alias, "unnamed_pivot", sc)
}

// markColumns adds the lower-cased names of the columns e reads to used.
func markColumns(e ast.Node, used map[string]bool) {
	ast.Inspect(e, func(n ast.Node) bool {
		if c, ok := n.(*ast.ColumnRef); ok {
			used[strings.ToLower(c.Parts[len(c.Parts)-1].Name)] = true
		}
		return true
	})
}

// pivotValues are an ON column's IN list, or, without one, its distinct
// values in the source, sorted (DuckDB runs that query first as well).
func (b *binder) pivotValues(pv *ast.Pivot, on *ast.PivotOn) ([]pivotValue, error) {
	if len(on.In) == 0 {
		return b.distinctPivotValues(pv, on)
	}
	var out []pivotValue
	for _, it := range on.In {
		v := pivotValue{val: it.Expr, name: valueName(it.Expr)}
		if it.Alias != nil {
			v.name = it.Alias.Name
		}
		out = append(out, v)
	}
	return out, nil
}

func valueName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StringLit:
		return x.Value
	case *ast.NumberLit:
		return x.Text
	case *ast.ColumnRef:
		return x.Parts[len(x.Parts)-1].Name
	}
	return e.String()
}

func (b *binder) bindUnpivot(u *ast.Unpivot, sc *scope) (planner.Node, error) {
	src, cols, err := b.sourceColumns(u.Source)
	if err != nil {
		return nil, err
	}
	if len(u.Values) > 1 {
		return nil, notImplemented(u, "UNPIVOT into several value columns")
	}
	for _, it := range u.On {
		if c, ok := it.Expr.(*ast.ColumnRef); ok {
			if _, err := src.lookup("", c.Parts[len(c.Parts)-1].Name); err != nil {
				return nil, binderErr(c, "Column \"%s\" referenced in UNPIVOT but no matching entry was found in the table", clip(c.Parts[len(c.Parts)-1].Name))
			}
		}
	}
	ctx := &exprCtx{b: b, sc: src, clause: "UNPIVOT"}
	items, err := ctx.bindItems(u.On)
	if err != nil {
		return nil, err
	}
	on := map[string]bool{}
	var onCols []string
	for _, e := range items.exprs {
		c, ok := e.(*expr.Column)
		if !ok {
			return nil, notImplemented(u, "UNPIVOT on an expression that is not a column")
		}
		on[strings.ToLower(c.Name)] = true
		onCols = append(onCols, c.Name)
	}
	nameCol, valueCol := "name", "value"
	if u.Name.Name != "" {
		nameCol = u.Name.Name
	}
	if len(u.Values) == 1 {
		valueCol = u.Values[0].Name
	}
	var body ast.QueryBody
	for i, c := range onCols {
		sel := &ast.Select{At: u.At, From: []ast.TableExpr{u.Source}}
		for _, k := range cols {
			if !on[strings.ToLower(k)] {
				sel.Items = append(sel.Items, &ast.SelectItem{At: u.At, Expr: colRefAST(u.At, k)})
			}
		}
		sel.Items = append(sel.Items,
			&ast.SelectItem{At: u.At, Expr: &ast.StringLit{At: u.At, Value: items.names[i]}, Alias: &ast.Ident{At: u.At, Name: nameCol}},
			&ast.SelectItem{At: u.At, Expr: colRefAST(u.At, c), Alias: &ast.Ident{At: u.At, Name: valueCol}})
		if !u.IncludeNulls {
			sel.Where = &ast.IsNull{At: u.At, X: colRefAST(u.At, c), Not: true}
		}
		if body == nil {
			body = sel
		} else {
			body = &ast.SetOp{At: u.At, Op: "UNION", All: true, L: body, R: sel}
		}
	}
	return b.derived(u.At, body, u.Alias, "unnamed_unpivot", sc)
}

// PlanRunner runs a bound plan to its rows. The embedding API provides one
// through the catalog's context (WithRunner): PIVOT without an IN list reads
// its ON column's distinct values before it can bind, as DuckDB does.
type PlanRunner interface {
	RunPlan(ctx context.Context, plan planner.Node) ([][]coldata.Datum, error)
}

type runnerKey struct{}

// WithRunner returns ctx carrying r for the binder.
func WithRunner(ctx context.Context, r PlanRunner) context.Context {
	return context.WithValue(ctx, runnerKey{}, r)
}

func (b *binder) distinctPivotValues(pv *ast.Pivot, on *ast.PivotOn) ([]pivotValue, error) {
	cc, ok := b.cat.(interface{ Context() context.Context })
	if !ok {
		return nil, notImplemented(on.Expr, "PIVOT without an IN list here")
	}
	ctx := cc.Context()
	r, ok := ctx.Value(runnerKey{}).(PlanRunner)
	if !ok {
		return nil, notImplemented(on.Expr, "PIVOT without an IN list here")
	}
	at := pv.At
	sel := &ast.Select{At: at, Distinct: true, Items: []*ast.SelectItem{{At: at, Expr: on.Expr}},
		From: []ast.TableExpr{pv.Source}, Where: &ast.IsNull{At: at, X: on.Expr, Not: true}}
	q := &ast.Query{At: at, Body: sel, OrderBy: []*ast.OrderItem{{At: at, Expr: &ast.NumberLit{At: at, Text: "1"}}}}
	plan, _, err := b.bindQuery(q)
	if err != nil {
		return nil, err
	}
	rows, err := r.RunPlan(ctx, plan)
	if err != nil {
		return nil, err
	}
	t := plan.Cols()[0].Type
	if t.IsNested() {
		return nil, notImplemented(on.Expr, "PIVOT on a nested column")
	}
	out := make([]pivotValue, len(rows))
	for i, row := range rows {
		text := coldata.Format(t, row[0])
		v := pivotValue{name: text, val: &ast.StringLit{At: at, Value: text}}
		if t.ID != coldata.String {
			// The value as a constant of the column's type.
			if v.val, err = parser.ParseExpr("CAST('" + strings.ReplaceAll(text, "'", "''") + "' AS " + t.String() + ")"); err != nil {
				return nil, err
			}
		}
		out[i] = v
	}
	return out, nil
}
