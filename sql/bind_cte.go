package sql

import (
	"strings"

	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// cteShare decides which WITH queries are computed once per statement: those
// read more than once whose body aggregates (DuckDB materializes such CTEs
// too). A body without aggregation is inlined at each reference instead,
// where filters can reach its scans.
type cteShare struct {
	refs map[string]int // references per lower-cased CTE name, all levels
	done map[cteKey]*planner.SharedCTE
	no   map[cteKey]bool
	// colNames are the bodies' output names, which references take (the
	// body's ColMeta names may be expressions).
	colNames map[*planner.SharedCTE][]string
}

type cteKey struct {
	with *ast.With
	idx  int
}

func newCTEShare(q *ast.Query) *cteShare {
	c := &cteShare{refs: map[string]int{}, done: map[cteKey]*planner.SharedCTE{}, no: map[cteKey]bool{}}
	c.count(q)
	return c
}

// count adds the statement's table references (CTE bodies included, at
// any depth) to refs. A name shadowed by an inner WITH counts for both:
// sharing is only a choice of plan, never of results.
func (c *cteShare) count(q *ast.Query) {
	ast.Inspect(q, func(n ast.Node) bool {
		if t, ok := n.(*ast.TableName); ok && len(t.Name.Parts) == 1 {
			c.refs[strings.ToLower(t.Name.Parts[0].Name)]++
		}
		return true
	})
}

// sharedCTERef returns a reference to cte's shared result, or nil when cte
// is inlined instead.
func (b *binder) sharedCTERef(cte visibleCTE, alias string, colNames []ast.Ident, sc *scope, at ast.Node) (planner.Node, error) {
	c := b.shared
	if c == nil || c.refs[strings.ToLower(cte.cte.Name.Name)] < 2 {
		return nil, nil
	}
	key := cteKey{cte.with, cte.idx}
	if c.no[key] {
		return nil, nil
	}
	sh := c.done[key]
	if sh == nil {
		cb := &binder{cat: b.cat, ids: b.ids, ctes: ctesBefore(b.ctes, cte), shared: c, params: b.params}
		n, names, err := cb.bindQuery(cte.cte.Query)
		if err != nil && len(b.outer) > 0 {
			// The body may read an enclosing query's columns: inlined
			// where it is read, it is correlated like any subquery.
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if !aggregates(n) {
			c.no[key] = true
			return nil, nil
		}
		sh = &planner.SharedCTE{Name: cte.cte.Name.Name, Plan: n, Width: len(names)}
		c.done[key] = sh
		c.names(sh, names)
	}
	cols := sh.Plan.Cols()[:sh.Width]
	rename := cteRename(cte.cte.Columns, colNames)
	ref := &planner.CTERef{Shared: sh, Alias: alias}
	for i, col := range cols {
		ref.Out = append(ref.Out, b.newCol(c.nameOf(sh, i), alias, col.Type))
		ref.ColIdx = append(ref.ColIdx, i)
	}
	if err := renameCols(ref.Out, rename, alias, at); err != nil {
		return nil, err
	}
	sc.add(alias, ref.Out)
	return ref, nil
}

func (c *cteShare) names(sh *planner.SharedCTE, names []string) {
	if c.colNames == nil {
		c.colNames = map[*planner.SharedCTE][]string{}
	}
	c.colNames[sh] = names
}

func (c *cteShare) nameOf(sh *planner.SharedCTE, i int) string { return c.colNames[sh][i] }

// aggregates reports whether n groups or aggregates anywhere: the bodies
// worth computing once.
func aggregates(n planner.Node) bool {
	if _, ok := n.(*planner.Aggregate); ok {
		return true
	}
	for _, in := range n.Inputs() {
		if aggregates(in) {
			return true
		}
	}
	return false
}

// cteRename is a CTE reference's column names: the reference's alias
// list, then the CTE's own column list for the columns it leaves out
// (`WITH c(x, y) AS (...) SELECT y FROM c t(z)` keeps y).
func cteRename(cteCols, refCols []ast.Ident) []ast.Ident {
	if len(refCols) >= len(cteCols) {
		return refCols
	}
	return append(append([]ast.Ident(nil), refCols...), cteCols[len(refCols):]...)
}
