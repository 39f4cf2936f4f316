package planner

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// prune removes columns nobody reads, so scans decode only what the query
// needs (projection pushdown). need holds the IDs required above n.
func prune(n Node, need map[ColID]bool) Node {
	switch n := n.(type) {
	case *DistinctOn:
		used := copySet(need)
		for _, k := range n.Keys {
			used[k] = true
		}
		return &DistinctOn{Input: prune(n.Input, used), Keys: n.Keys}
	case *Scan:
		s := *n
		s.Out, s.ColIdx = nil, nil
		used := copySet(need)
		for _, f := range n.Filters {
			addCols(used, f)
		}
		for i, c := range n.Out {
			if used[c.ID] {
				s.Out = append(s.Out, c)
				s.ColIdx = append(s.ColIdx, n.ColIdx[i])
			}
		}
		if len(s.Out) == 0 && len(n.Out) > 0 {
			// COUNT(*) still needs row counts: read the cheapest column.
			k := cheapestColumn(n)
			s.Out, s.ColIdx = []ColMeta{n.Out[k]}, []int{n.ColIdx[k]}
		}
		return &s
	case *Filter:
		used := copySet(need)
		addCols(used, n.Pred)
		return &Filter{Input: prune(n.Input, used), Pred: n.Pred}
	case *Project:
		p := &Project{}
		used := map[ColID]bool{}
		for i, c := range n.Out {
			if need[c.ID] {
				p.Out = append(p.Out, c)
				p.Exprs = append(p.Exprs, n.Exprs[i])
				addCols(used, n.Exprs[i])
			}
		}
		p.Input = prune(n.Input, used)
		return p
	case *Join:
		used := copySet(need)
		for _, k := range n.LeftKeys {
			addCols(used, k)
		}
		for _, k := range n.RightKeys {
			addCols(used, k)
		}
		if n.Cond != nil {
			addCols(used, n.Cond)
		}
		j := *n
		j.Left = narrow(prune(n.Left, used), used)
		j.Right = narrow(prune(n.Right, used), used)
		return &j
	case *Aggregate:
		a := &Aggregate{Groups: n.Groups}
		used := IDs(n.Groups)
		a.Out = append(a.Out, n.Groups...)
		for i, call := range n.Aggs {
			out := n.Out[len(n.Groups)+i]
			if !need[out.ID] && len(n.Aggs) > 1 {
				continue
			}
			a.Aggs = append(a.Aggs, call)
			a.Out = append(a.Out, out)
			if call.Arg != nil {
				addCols(used, call.Arg)
			}
			for _, x := range call.Extra() {
				addCols(used, *x)
			}
		}
		a.Input = prune(n.Input, used)
		return a
	case *Sort:
		used := copySet(need)
		for _, k := range n.Keys {
			used[k.Col] = true
		}
		return &Sort{Input: narrow(prune(n.Input, used), used), Keys: n.Keys}
	case *Limit:
		return &Limit{Input: prune(n.Input, need), Offset: n.Offset, Count: n.Count}
	case *Union:
		return pruneUnion(n, need)
	case *Window:
		return pruneWindow(n, need)
	case *Values:
		if n.Source != nil {
			return pruneExternal(n, need)
		}
	case *Repeat:
		used := copySet(need)
		used[n.Count.ID] = true
		return &Repeat{Input: prune(n.Input, used), Count: n.Count}
	case *Unnest:
		used := copySet(need)
		for _, l := range n.Lists {
			used[l.ID] = true
		}
		return &Unnest{Input: prune(n.Input, used), Lists: n.Lists, Out: n.Out}
	}
	return n
}

// narrow drops the columns of n that nothing above reads. A scan or filter
// keeps the columns its own predicate reads (o_comment in Q13's
// `o_comment NOT LIKE …`); below a join or sort they would otherwise be
// buffered with every row, so they go right after the filter.
func narrow(n Node, used map[ColID]bool) Node {
	cols := n.Cols()
	p := &Project{Input: n}
	for _, c := range cols {
		if used[c.ID] {
			p.Out = append(p.Out, c)
			p.Exprs = append(p.Exprs, &expr.Column{Index: c.ID, Typ: c.Type, Name: c.Name})
		}
	}
	if len(p.Out) == len(cols) || len(p.Out) == 0 {
		return n
	}
	return p
}

// cheapestColumn picks a fixed-width column when there is one.
func cheapestColumn(s *Scan) int {
	for i, c := range s.Out {
		if c.Type.ID != coldata.Unknown && c.Type.ID != coldata.String {
			return i
		}
	}
	return 0
}

func copySet(m map[ColID]bool) map[ColID]bool {
	out := make(map[ColID]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

func addCols(set map[ColID]bool, e expr.Expr) {
	for c := range expr.Columns(e) {
		set[c] = true
	}
}

// pushLimit lets a LIMIT without ORDER BY stop the scan early: a limit over
// a filter-free scan (through projections) caps the rows the scan produces.
func pushLimit(n Node) Node {
	if l, ok := n.(*Limit); ok && l.Count >= 0 {
		if s := scanBelow(l.Input); s != nil && len(s.Filters) == 0 {
			s.Limit = l.Offset + l.Count
		}
	}
	mapInputs(n, pushLimit)
	return n
}

func scanBelow(n Node) *Scan {
	for {
		switch x := n.(type) {
		case *Scan:
			return x
		case *Project:
			n = x.Input
		default:
			return nil
		}
	}
}
