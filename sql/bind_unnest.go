package sql

import (
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// unnest(list) in a SELECT list and in FROM: a planner.Unnest below the
// projection turns each row into one row per element; the unnests of one
// SELECT list are zipped (NULL past the end of the shorter lists).

// selectUnnests plans the unnest calls of a SELECT list over node and
// records the element column each call stands for (b.unnests), which
// binding the call then reads.
func (b *binder) selectUnnests(items []*ast.SelectItem, node planner.Node, sc *scope, grouped bool) (planner.Node, error) {
	var calls []*ast.FuncCall
	for _, it := range items {
		ast.Inspect(it.Expr, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.Subquery, *ast.Exists, *ast.InSubquery:
				return false
			case *ast.FuncCall:
				if name, _ := funcName(x); name == "unnest" && x.Over == nil {
					calls = append(calls, x)
					return false
				}
			}
			return true
		})
	}
	if len(calls) == 0 {
		return node, nil
	}
	if grouped {
		return nil, notImplemented(calls[0], "unnest with GROUP BY or aggregates")
	}
	ctx := &exprCtx{b: b, sc: sc, clause: "SELECT"}
	var exprs []expr.Expr
	var out []planner.ColMeta
	for _, c := range node.Cols() {
		exprs, out = append(exprs, colExpr(c)), append(out, c)
	}
	var lists, elems []planner.ColMeta
	if b.unnests == nil {
		b.unnests = map[*ast.FuncCall]planner.ColMeta{}
		b.structUnnests = map[*ast.FuncCall]expr.Expr{}
	}
	for _, call := range calls {
		x, recursive, err := ctx.unnestArg(call)
		if err != nil {
			return nil, err
		}
		if x.Type().ID == coldata.Struct {
			// unnest(struct): its fields become columns, no rows added.
			b.structUnnests[call] = x
			continue
		}
		lc := b.newCol("unnest", "", x.Type())
		ec := b.newCol("unnest", "", x.Type().Nest.Elem)
		exprs, out = append(exprs, x), append(out, lc)
		lists, elems = append(lists, lc), append(elems, ec)
		b.unnests[call] = ec
		if recursive && ec.Type.ID == coldata.Struct {
			b.structUnnests[call] = colExpr(ec)
		}
	}
	if len(lists) == 0 {
		return node, nil
	}
	p := &planner.Project{Input: node, Exprs: exprs, Out: out}
	return &planner.Unnest{Input: p, Lists: lists, Out: elems}, nil
}

// unnestArg binds unnest's list, flattened when recursive := true (or
// max_depth := n levels deep).
func (c *exprCtx) unnestArg(call *ast.FuncCall) (expr.Expr, bool, error) {
	x, depth, err := c.unnestList(call)
	if err != nil || x.Type().ID != coldata.List {
		return x, depth < 0, err
	}
	for d := 1; (depth < 0 || d < depth) && x.Type().Nest.Elem.ID == coldata.List; d++ {
		if x, err = listCall("flatten", []expr.Expr{x}); err != nil {
			return nil, false, err
		}
	}
	return x, depth < 0, nil
}

// unnestList binds unnest's argument and its depth (-1: recursive).
func (c *exprCtx) unnestList(call *ast.FuncCall) (expr.Expr, int, error) {
	_, argList := funcName(call)
	var list ast.Expr
	depth := 1
	for _, a := range argList {
		na, ok := a.(*ast.NamedArg)
		if !ok {
			if list != nil {
				return nil, 0, binderErr(call, "UNNEST() requires a single argument")
			}
			list = a
			continue
		}
		v, err := c.bind(na.Value)
		if err != nil {
			return nil, 0, err
		}
		k, isConst := v.(*expr.Const)
		switch strings.ToLower(na.Name.Name) {
		case "recursive":
			if !isConst || k.Typ.ID != coldata.Bool {
				return nil, 0, binderErr(na, "UNNEST: recursive must be a constant BOOLEAN")
			}
			if k.Val.B && !k.Val.Null {
				depth = -1
			}
		case "max_depth":
			if !isConst || !k.Typ.IsInteger() || k.Val.Null || k.Val.I < 1 {
				return nil, 0, binderErr(na, "UNNEST: max_depth must be a positive integer constant")
			}
			depth = int(k.Val.I)
		default:
			return nil, 0, binderErr(na, "Unsupported parameter %q for unnest", na.Name.Name)
		}
	}
	if list == nil {
		return nil, 0, binderErr(call, "UNNEST() requires a single argument")
	}
	x, err := c.bind(list)
	if err != nil {
		return nil, 0, err
	}
	switch x.Type().ID {
	case coldata.Unknown:
		x, err = castTo(x, coldata.ListType(coldata.TypeUnknown))
	case coldata.List, coldata.Struct:
	default:
		return nil, 0, binderErr(call, "UNNEST() can only be applied to lists, structs and NULL")
	}
	return x, depth, err
}

// unnestRef binds a call of unnest as the element column selectUnnests
// planned for it.
func (c *exprCtx) unnestRef(e *ast.FuncCall) (expr.Expr, error) {
	if x, ok := c.b.structUnnests[e]; ok && c.clause == "SELECT" {
		return x, nil
	}
	m, ok := c.b.unnests[e]
	if !ok || c.clause != "SELECT" {
		return nil, binderErr(e, "UNNEST not supported here")
	}
	return colExpr(m), nil
}

// fromUnnest binds unnest(list) in FROM: one row per element, the column
// named unnest (or as the alias names it).
func (b *binder) fromUnnest(call *ast.FuncCall, alias string, colNames []ast.Ident, sc *scope) (planner.Node, error) {
	ctx := &exprCtx{b: b, sc: &scope{}, clause: "FROM"}
	x, _, err := ctx.unnestArg(call)
	if err != nil {
		return nil, err
	}
	if x.Type().ID != coldata.List {
		return nil, notImplemented(call, "unnest of a STRUCT in FROM")
	}
	lc := b.newCol("unnest", "", x.Type())
	p := &planner.Project{Input: &planner.Values{Rows: [][]coldata.Datum{{}}}, Exprs: []expr.Expr{x}, Out: []planner.ColMeta{lc}}
	name := "unnest"
	if len(colNames) > 1 {
		return nil, binderErr(call, "table %q has 1 columns available but %d columns specified", alias, len(colNames))
	}
	if len(colNames) == 1 {
		name = colNames[0].Name
	}
	if alias == "" {
		alias = "unnest"
	}
	ec := b.newCol(name, alias, x.Type().Nest.Elem)
	u := &planner.Unnest{Input: p, Lists: []planner.ColMeta{lc}, Out: []planner.ColMeta{ec}}
	sc.add(alias, []planner.ColMeta{ec})
	return &planner.Project{Input: u, Exprs: []expr.Expr{colExpr(ec)}, Out: []planner.ColMeta{ec}}, nil
}

// unnestFields expands a SELECT item unnest(struct) (or a recursive
// unnest of a list of structs) into one item per field, named as the
// fields; ok is false for other items.
func (c *exprCtx) unnestFields(it *ast.SelectItem, e expr.Expr, out *boundItems) (bool, error) {
	call, isCall := it.Expr.(*ast.FuncCall)
	if !isCall || c.b.structUnnests == nil || e.Type().ID != coldata.Struct {
		return false, nil
	}
	if _, ok := c.b.structUnnests[call]; !ok {
		return false, nil
	}
	for _, f := range e.Type().Nest.Fields {
		x, err := structExtract(e, f.Name)
		if err != nil {
			return true, err
		}
		out.exprs, out.names, out.origin = append(out.exprs, x), append(out.names, f.Name), append(out.origin, itemOrigin{})
	}
	return true, nil
}
