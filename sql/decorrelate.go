package sql

import (
	"fmt"
	"sort"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// General decorrelation, after Neumann and Kemper, "Unnesting Arbitrary
// Queries" (BTW 2015). A subquery bound inside an outer scope reads the
// outer columns as free column references. Joining it with its outer plan
// L is a dependent join: the subquery evaluated once per outer row. It is
// eliminated by computing D, the distinct values of the free columns F over
// L, and pushing D down the subquery's plan until no operator below it
// reads F: there a plain cross product with D supplies the values, and the
// operators above carry D's columns along (grouping by them, joining on
// them). The result, one evaluation per D row, joins back to L on
// F IS NOT DISTINCT FROM D's columns, which hash joins as two keys per
// column (IS NULL and COALESCE with the type's zero).
//
// The fast paths of bind_subquery.go (semi/anti joins for whole WHERE
// conjuncts, scalar aggregates grouped by equality correlations) stay in
// front: they are what TPC-H's plans use, and decorrelating them generally
// would repeat the outer plan.

// freeCols returns the IDs of the columns n's expressions read that no node
// of n produces: references to an enclosing query.
func freeCols(n planner.Node) map[int]bool {
	produced, read := map[int]bool{}, map[int]bool{}
	var walk func(n planner.Node)
	addExpr := func(e expr.Expr) {
		if e == nil {
			return
		}
		for c := range expr.Columns(e) {
			read[c] = true
		}
	}
	walk = func(n planner.Node) {
		for _, c := range n.Cols() {
			produced[c.ID] = true
		}
		for _, e := range nodeExprs(n) {
			addExpr(e)
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
		if r, ok := n.(*planner.RecursiveCTE); ok {
			// Its bodies are planned apart, but read the same outer columns.
			walk(r.Anchor)
			walk(r.Step)
		}
	}
	walk(n)
	free := map[int]bool{}
	for c := range read {
		if !produced[c] {
			free[c] = true
		}
	}
	return free
}

// nodeExprs lists the expressions of one node (not of its inputs).
func nodeExprs(n planner.Node) []expr.Expr {
	var out []expr.Expr
	switch x := n.(type) {
	case *planner.Scan:
		out = append(out, x.Filters...)
	case *planner.Filter:
		out = append(out, x.Pred)
	case *planner.Project:
		out = append(out, x.Exprs...)
	case *planner.Join:
		out = append(out, x.Cond)
		out = append(out, x.LeftKeys...)
		out = append(out, x.RightKeys...)
	case *planner.Aggregate:
		for _, g := range x.Groups {
			out = append(out, colExpr(g))
		}
		for _, a := range x.Aggs {
			out = append(out, a.Arg)
		}
	case *planner.Sort:
		for _, k := range x.Keys {
			out = append(out, &expr.Column{Index: k.Col})
		}
	case *planner.Repeat:
		out = append(out, colExpr(x.Count))
	case *planner.Unnest:
		for _, l := range x.Lists {
			out = append(out, colExpr(l))
		}
	case *planner.Window:
		for _, c := range x.Partition {
			out = append(out, colExpr(c))
		}
		for _, call := range x.Calls {
			for _, a := range call.Args {
				out = append(out, colExpr(a))
			}
		}
		for _, k := range x.Order {
			out = append(out, &expr.Column{Index: k.Col})
		}
	}
	return out
}

// hasFreeIn reports whether n reads any of the columns ids from outside.
func hasFreeIn(n planner.Node, ids map[int]bool) bool {
	for c := range freeCols(n) {
		if ids[c] {
			return true
		}
	}
	return false
}

// correlation returns the columns of outer that sub reads from outside,
// in ID order.
func correlation(sub, outer planner.Node) []planner.ColMeta {
	free := freeCols(sub)
	var out []planner.ColMeta
	for _, c := range outer.Cols() {
		if free[c.ID] {
			out = append(out, c)
			delete(free, c.ID) // a column listed twice by a join
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// colMap maps each correlated column's ID to the column standing for it.
type colMap map[int]planner.ColMeta

func (m colMap) remap(e expr.Expr) expr.Expr {
	if e == nil || len(m) == 0 {
		return e
	}
	ids := make(map[int]int, len(m))
	for k, v := range m {
		ids[k] = v.ID
	}
	return expr.Remap(e, ids)
}

// decor eliminates the dependent join of an outer plan and a subquery.
type decor struct {
	b     *binder
	outer planner.Node
	corr  []planner.ColMeta
	ids   map[int]bool
}

func (b *binder) newDecor(outer planner.Node, corr []planner.ColMeta) *decor {
	ids := map[int]bool{}
	for _, c := range corr {
		ids[c.ID] = true
	}
	return &decor{b: b, outer: outer, corr: corr, ids: ids}
}

// domain returns a fresh D: the distinct correlated values over a copy of
// the outer plan (its columns renamed, so that the plan holds each ID
// once), with new column IDs, and the map from F to them.
func (d *decor) domain() (planner.Node, colMap, error) {
	cp, ren, err := d.b.freshCopy(d.outer)
	if err != nil {
		return nil, nil, err
	}
	groups := make([]planner.ColMeta, len(d.corr))
	for i, c := range d.corr {
		groups[i] = c
		groups[i].ID = ren[c.ID]
	}
	// Nested values are grouped by their encoding (bind_nested.go).
	proj := &planner.Project{Input: d.b.distinct(cp, groups)}
	m := colMap{}
	for i, c := range d.corr {
		g := groups[i]
		nc := d.b.newCol(c.Name, c.Table, c.Type)
		proj.Exprs = append(proj.Exprs, colExpr(g))
		proj.Out = append(proj.Out, nc)
		m[c.ID] = nc
	}
	return proj, m, nil
}

// freshCopy clones n with a new ID for every column it produces; column
// references it reads from outside keep theirs.
func (b *binder) freshCopy(n planner.Node) (planner.Node, map[int]int, error) {
	ren := map[int]int{}
	var collect func(n planner.Node)
	collect = func(n planner.Node) {
		for _, c := range n.Cols() {
			if _, ok := ren[c.ID]; !ok {
				*b.ids++
				ren[c.ID] = *b.ids
			}
		}
		for _, in := range n.Inputs() {
			collect(in)
		}
	}
	collect(n)
	cols := func(cs []planner.ColMeta) {
		for i := range cs {
			if id, ok := ren[cs[i].ID]; ok {
				cs[i].ID = id
			}
		}
	}
	cp, err := planner.Clone(n, func(e expr.Expr) (expr.Expr, error) { return expr.Remap(e, ren), nil },
		func(_, cp planner.Node) error {
			switch x := cp.(type) {
			case *planner.Scan:
				cols(x.Out)
			case *planner.Project:
				cols(x.Out)
			case *planner.Aggregate:
				cols(x.Groups)
				cols(x.Out)
			case *planner.Values:
				cols(x.Out)
			case *planner.Union:
				cols(x.Out)
			case *planner.CTERef:
				cols(x.Out)
			case *planner.RecursiveCTE:
				cols(x.Out)
			case *planner.WorkScan, *planner.Series, *planner.Unnest, *planner.Window:
				renameMore(cp, cols, ren)
			case *planner.Sort:
				for i, k := range x.Keys {
					if id, ok := ren[k.Col]; ok {
						x.Keys[i].Col = id
					}
				}
			case *planner.Repeat:
				c := []planner.ColMeta{x.Count}
				cols(c)
				x.Count = c[0]
			}
			return nil
		})
	return cp, ren, err
}

// nsEq is `a IS NOT DISTINCT FROM b` for every correlated column, as
// equalities a hash join takes as keys.
func (d *decor) nsEq(a, b colMap) (expr.Expr, error) {
	var terms []expr.Expr
	for _, c := range d.corr {
		x, y := a[c.ID], b[c.ID]
		if x.ID == 0 {
			x = c
		}
		zero := &expr.Const{Typ: x.Type}
		eq := func(l, r expr.Expr) expr.Expr {
			return &expr.Func{Op: expr.OpEq, Args: []expr.Expr{l, r}, Typ: coldata.TypeBool}
		}
		coalesce := func(c planner.ColMeta) expr.Expr {
			return &expr.Func{Op: expr.OpCoalesce, Args: []expr.Expr{colExpr(c), zero}, Typ: c.Type}
		}
		if x.Type.ID == coldata.Unknown {
			// An untyped NULL column: every value is NULL.
			terms = append(terms, eq(&expr.IsNull{Arg: colExpr(x)}, &expr.IsNull{Arg: colExpr(y)}))
			continue
		}
		if x.Type.IsNested() {
			// Equal nested values have equal encodings, a flat key.
			zero = &expr.Const{Typ: coldata.TypeString}
			coalesce = func(c planner.ColMeta) expr.Expr {
				return &expr.Func{Op: expr.OpCoalesce, Args: []expr.Expr{nestedEncode(colExpr(c)), zero}, Typ: coldata.TypeString}
			}
		}
		terms = append(terms,
			eq(coalesce(x), coalesce(y)),
			eq(&expr.IsNull{Arg: colExpr(x)}, &expr.IsNull{Arg: colExpr(y)}))
	}
	return expr.And(terms...), nil
}

// identity maps every correlated column to itself (the outer plan's side).
func (d *decor) identity() colMap {
	m := colMap{}
	for _, c := range d.corr {
		m[c.ID] = c
	}
	return m
}

// cols lists m's columns in the order of the correlated columns.
func (d *decor) cols(m colMap) []planner.ColMeta {
	out := make([]planner.ColMeta, len(d.corr))
	for i, c := range d.corr {
		out[i] = m[c.ID]
	}
	return out
}

func notImplementedCorr(what string) error {
	return fmt.Errorf("Not implemented Error: %s in a correlated subquery is not supported yet", what)
}

// renameMore gives the copies of the nodes that produce columns other than
// through Out alone their new IDs (the clone shares the column lists of
// some: they are copied first).
func renameMore(cp planner.Node, cols func([]planner.ColMeta), ren map[int]int) {
	fresh := func(cs *[]planner.ColMeta) {
		*cs = append([]planner.ColMeta(nil), (*cs)...)
		cols(*cs)
	}
	switch x := cp.(type) {
	case *planner.WorkScan:
		fresh(&x.Out)
	case *planner.Series:
		fresh(&x.Out)
	case *planner.Unnest:
		fresh(&x.Lists)
		fresh(&x.Out)
	case *planner.Window:
		fresh(&x.Partition)
		fresh(&x.Out)
		for i, k := range x.Order {
			if id, ok := ren[k.Col]; ok {
				x.Order[i].Col = id
			}
		}
		for i := range x.Calls {
			fresh(&x.Calls[i].Args)
			f := &x.Calls[i].Frame
			k := []planner.ColMeta{f.RangeKey, f.Start.Value, f.End.Value}
			cols(k)
			f.RangeKey, f.Start.Value, f.End.Value = k[0], k[1], k[2]
		}
	}
}
