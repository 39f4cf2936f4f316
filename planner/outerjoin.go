package planner

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// Outer joins written where inner or anti joins are meant. Star-schema
// queries often LEFT JOIN a table and then filter or join on its columns
// (TPC-DS Q93: store_sales LEFT JOIN store_returns, then an inner join on
// sr_reason_sk), or keep only the unmatched rows with WHERE right.key IS
// NULL (Q78). Left as written, the first joins the whole fact table before
// the filter that would have shrunk it, and the second estimates its IS
// NULL filter from the column's stored nulls (none) at one row, so every
// plan above it is built for the wrong sizes.

// simplifyOuterJoins turns a LEFT join into an inner join when something
// above it rejects the rows it pads with NULLs: a filter or inner join
// condition that cannot be true when a column of its right side is NULL.
// Such rows would be dropped anyway, and the inner join can be reordered
// with its neighbours.
func simplifyOuterJoins(n Node) Node { return simplifyOuter(n, map[ColID]bool{}) }

func simplifyOuter(n Node, rejected map[ColID]bool) Node {
	switch x := n.(type) {
	case *DistinctOn:
		// A filter above does not decide which row of a key comes first.
		d := *x
		d.Input = simplifyOuter(x.Input, map[ColID]bool{})
		return &d
	case *Filter:
		f := *x
		f.Input = simplifyOuter(x.Input, withRejected(rejected, x.Pred))
		return &f
	case *Join:
		j := *x
		if j.Type == JoinLeft && anyOf(rejected, j.Right.Cols()) {
			j.Type = JoinInner
		}
		cond := withRejected(map[ColID]bool{}, j.Cond)
		for i := range j.LeftKeys {
			cond = withRejected(cond, &expr.Func{Op: expr.OpEq, Args: []expr.Expr{j.LeftKeys[i], j.RightKeys[i]}, Typ: coldata.TypeBool})
		}
		switch j.Type {
		case JoinPositional:
			// Dropping a row below would shift every later position.
			j.Left, j.Right = simplifyOuter(j.Left, map[ColID]bool{}), simplifyOuter(j.Right, map[ColID]bool{})
		case JoinFull:
			// Both sides are preserved: only what is rejected above
			// carries down (a padded row has NULLs there anyway).
			j.Left, j.Right = simplifyOuter(j.Left, rejected), simplifyOuter(j.Right, rejected)
		case JoinInner:
			both := union(rejected, cond)
			j.Left, j.Right = simplifyOuter(j.Left, both), simplifyOuter(j.Right, both)
		default:
			// The preserved side keeps what is rejected above; the other
			// side only what its own condition rejects.
			j.Left, j.Right = simplifyOuter(j.Left, rejected), simplifyOuter(j.Right, cond)
		}
		return &j
	case *Project:
		// Only columns passed through unchanged carry a rejection down.
		below := map[ColID]bool{}
		for i, e := range x.Exprs {
			if c, ok := e.(*expr.Column); ok && i < len(x.Out) && rejected[x.Out[i].ID] {
				below[c.Index] = true
			}
		}
		p := *x
		p.Input = simplifyOuter(x.Input, below)
		return &p
	case *Aggregate:
		// A rejected group key: its NULL group is dropped above, so its
		// rows may be dropped below.
		below := map[ColID]bool{}
		for _, g := range x.Groups {
			if rejected[g.ID] {
				below[g.ID] = true
			}
		}
		a := *x
		a.Input = simplifyOuter(x.Input, below)
		return &a
	case *Sort:
		s := *x
		s.Input = simplifyOuter(x.Input, rejected)
		return &s
	case *Limit:
		// A filter above a LIMIT does not decide which rows it keeps.
		l := *x
		l.Input = simplifyOuter(x.Input, map[ColID]bool{})
		return &l
	case *Window:
		// Only filters over partition keys would reach below; none are
		// passed through by this rule.
		w := *x
		w.Input = simplifyOuter(x.Input, map[ColID]bool{})
		return &w
	case *Repeat:
		r := *x
		r.Input = simplifyOuter(x.Input, rejected)
		return &r
	case *Unnest:
		u := *x
		u.Input = simplifyOuter(x.Input, map[ColID]bool{})
		return &u
	case *Union:
		// Filters above are not pushed through a union by this rule.
		return mapUnion(x, func(in Node) Node { return simplifyOuter(in, map[ColID]bool{}) })
	}
	return n
}

func anyOf(set map[ColID]bool, cols []ColMeta) bool {
	for _, c := range cols {
		if set[c.ID] {
			return true
		}
	}
	return false
}

// withRejected returns set plus the columns a NULL in which makes
// predicate p not true.
func withRejected(set map[ColID]bool, p expr.Expr) map[ColID]bool {
	if p == nil {
		return set
	}
	out := make(map[ColID]bool, len(set))
	for k := range set {
		out[k] = true
	}
	for _, t := range expr.SplitAnd(p) {
		for c := range nullRejects(t) {
			out[c] = true
		}
	}
	return out
}

// nullRejects returns the columns whose NULL makes p NULL or false: the
// columns of a comparison, IN, LIKE or IS NOT NULL whose operands are
// strict (NULL in, NULL out); for an OR, those every branch rejects.
func nullRejects(p expr.Expr) map[ColID]bool {
	out := map[ColID]bool{}
	switch p := p.(type) {
	case *expr.Func:
		switch {
		case p.Op.IsComparison():
			for _, a := range p.Args {
				strictColumns(a, out)
			}
		case p.Op == expr.OpAnd:
			for _, a := range p.Args {
				for c := range nullRejects(a) {
					out[c] = true
				}
			}
		case p.Op == expr.OpOr:
			for i, a := range p.Args {
				r := nullRejects(a)
				if i == 0 {
					out = r
					continue
				}
				for c := range out {
					if !r[c] {
						delete(out, c)
					}
				}
			}
		}
	case *expr.In:
		strictColumns(p.Arg, out)
	case *expr.Like:
		strictColumns(p.Arg, out)
	case *expr.IsNull:
		if p.Not {
			strictColumns(p.Arg, out)
		}
	}
	return out
}

// strictColumns adds the columns of e when e is NULL whenever one of them
// is: columns, constants, casts and functions other than COALESCE, CASE,
// AND/OR and IS [NOT] NULL.
func strictColumns(e expr.Expr, out map[ColID]bool) {
	strict := true
	expr.Walk(e, func(x expr.Expr) bool {
		switch x := x.(type) {
		case *expr.Case, *expr.IsNull:
			strict = false
		case *expr.Func:
			if x.Op == expr.OpCoalesce || x.Op == expr.OpAnd || x.Op == expr.OpOr || x.Op == expr.OpSingleRow {
				strict = false
			}
		}
		return strict
	})
	if !strict {
		return
	}
	for c := range expr.Columns(e) {
		out[c] = true
	}
}

// leftToAnti rewrites L LEFT JOIN R ON cond, filtered by r IS NULL for a
// column r of R that cond rejects (a matched row has r non-NULL, so the
// filter keeps exactly the unmatched rows), into L ANTI JOIN R ON cond,
// with R's columns NULL above it. It returns the remaining filters, or ok
// false when no such filter is there.
func leftToAnti(n *Join, above []expr.Expr) (*Join, []expr.Expr, bool) {
	if n.Type != JoinLeft {
		return nil, above, false
	}
	right := IDs(n.Right.Cols())
	cond := withRejected(map[ColID]bool{}, n.Cond)
	for i := range n.LeftKeys {
		cond = withRejected(cond, &expr.Func{Op: expr.OpEq, Args: []expr.Expr{n.LeftKeys[i], n.RightKeys[i]}, Typ: coldata.TypeBool})
	}
	var rest []expr.Expr
	found := false
	for _, p := range above {
		if isNull, ok := p.(*expr.IsNull); ok && !isNull.Not {
			if c, ok := isNull.Arg.(*expr.Column); ok && right[c.Index] && cond[c.Index] {
				found = true
				continue
			}
		}
		rest = append(rest, p)
	}
	if !found {
		return nil, above, false
	}
	j := *n
	j.Type = JoinAnti
	return &j, rest, true
}

// nullPadded projects an anti join's output (its left columns) back to
// the LEFT join's layout, the right columns NULL.
func nullPadded(anti Node, right []ColMeta) Node {
	left := anti.Cols()
	p := &Project{Input: anti}
	for _, c := range left {
		p.Exprs = append(p.Exprs, &expr.Column{Index: c.ID, Typ: c.Type, Name: c.Name})
		p.Out = append(p.Out, c)
	}
	for _, c := range right {
		p.Exprs = append(p.Exprs, &expr.Const{Val: coldata.Datum{Null: true}, Typ: c.Type})
		p.Out = append(p.Out, c)
	}
	return p
}

func union(a, b map[ColID]bool) map[ColID]bool {
	out := make(map[ColID]bool, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
