package sql

import (
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// bindDistinctOn binds DISTINCT ON's keys as ORDER BY binds its keys:
// output columns, ordinals, or expressions added as hidden columns.
func (b *binder) bindDistinctOn(keys []ast.Expr, sc *scope, agg *aggState, items *boundItems, win *winState) ([]orderItem, error) {
	for len(items.origin) < len(items.exprs) {
		items.origin = append(items.origin, itemOrigin{}) // ORDER BY's hidden columns
	}
	fake := make([]*ast.OrderItem, len(keys))
	for i, k := range keys {
		fake[i] = &ast.OrderItem{At: ast.At{Pos: k.Position()}, Expr: k}
	}
	return b.bindOrderBy(fake, sc, agg, items, false, win, nil)
}

// distinctOn plans DISTINCT ON over node (whose columns are out): a sort by
// the keys and then the ORDER BY, the first row of each key's run, and the
// ORDER BY's sort again unless its leading keys are the DISTINCT ON keys
// (then the first sort already is the final order). It returns the sort
// still to apply.
func distinctOn(node planner.Node, out []planner.ColMeta, keys, orders []orderItem) (planner.Node, []orderItem, error) {
	for _, k := range keys {
		if c := out[k.outIdx]; c.Type.IsNested() {
			return nil, nil, errAt(k.item, "Not implemented", "DISTINCT ON the nested column %s (%s) is not supported", c.Name, c.Type)
		}
	}
	covered := len(orders) >= len(keys)
	for i := 0; covered && i < len(keys); i++ {
		found := false
		for _, o := range orders[:len(keys)] {
			found = found || o.outIdx == keys[i].outIdx
		}
		covered = found
	}
	s := &planner.Sort{Input: node}
	if !covered {
		for _, k := range keys {
			s.Keys = append(s.Keys, planner.SortKey{Col: out[k.outIdx].ID})
		}
	}
	for _, o := range orders {
		s.Keys = append(s.Keys, planner.SortKey{Col: out[o.outIdx].ID, Desc: o.desc, NullsFirst: o.nullsFirst})
	}
	d := &planner.DistinctOn{Input: s}
	for _, k := range keys {
		d.Keys = append(d.Keys, out[k.outIdx].ID)
	}
	if covered {
		return d, nil, nil
	}
	return d, orders, nil
}
