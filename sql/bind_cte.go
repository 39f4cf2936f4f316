package sql

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/planner"
	"github.com/xwb1989/sqlparser"
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
	with *Query
	idx  int
}

func newCTEShare(q *Query) *cteShare {
	c := &cteShare{refs: map[string]int{}, done: map[cteKey]*planner.SharedCTE{}, no: map[cteKey]bool{}}
	c.count(q)
	return c
}

// count adds q's table references, and those of its CTE bodies, to refs. A
// name shadowed by an inner WITH counts for both: sharing is only a choice
// of plan, never of results.
func (c *cteShare) count(q *Query) {
	if q == nil {
		return
	}
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		if te, ok := n.(*sqlparser.AliasedTableExpr); ok {
			if tn, ok := te.Expr.(sqlparser.TableName); ok && tn.Qualifier.IsEmpty() {
				c.refs[strings.ToLower(tn.Name.String())]++
			}
		}
		return true, nil
	}, q.AST)
	for _, cte := range q.CTEs {
		c.count(cte.Query)
	}
}

// sharedCTERef returns a reference to cte's shared result, or nil when cte
// is inlined instead.
func (b *binder) sharedCTERef(cte visibleCTE, alias string, sc *scope) (planner.Node, error) {
	c := b.shared
	if c == nil || c.refs[strings.ToLower(cte.Name)] < 2 {
		return nil, nil
	}
	key := cteKey{cte.with, cte.idx}
	if c.no[key] {
		return nil, nil
	}
	sh := c.done[key]
	if sh == nil {
		cb := &binder{cat: b.cat, ids: b.ids, ctes: ctesBefore(b.ctes, cte), shared: c}
		cb = cb.forQuery(cte.Query)
		n, names, err := cb.bindStatement(cte.Query.AST)
		if err != nil {
			return nil, err
		}
		if !aggregates(n) {
			c.no[key] = true
			return nil, nil
		}
		sh = &planner.SharedCTE{Name: cte.Name, Plan: n, Width: len(names)}
		c.done[key] = sh
		c.names(sh, names)
	}
	cols := sh.Plan.Cols()[:sh.Width]
	if len(cte.Columns) > len(cols) {
		return nil, fmt.Errorf("Binder Error: table %q has %d columns available but %d columns specified", alias, len(cols), len(cte.Columns))
	}
	ref := &planner.CTERef{Shared: sh, Alias: alias}
	for i, col := range cols {
		name := c.nameOf(sh, i)
		if i < len(cte.Columns) {
			name = cte.Columns[i]
		}
		ref.Out = append(ref.Out, b.newCol(name, alias, col.Type))
		ref.ColIdx = append(ref.ColIdx, i)
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
