package planner

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// pushDown moves the conjuncts preds (and those of Filters it meets) as far
// down as they can go: into scans, below projections and grouping, and into
// join inputs. Regions of inner joins are flattened and re-ordered by
// orderJoins once their single-relation predicates have been pushed.
func (o *optimizer) pushDown(n Node, preds []expr.Expr) Node {
	switch n := n.(type) {
	case *DistinctOn:
		d := *n
		d.Input = o.pushDown(n.Input, nil)
		return filterOver(&d, preds)
	case *Filter:
		return o.pushDown(n.Input, append(preds, expr.SplitAnd(n.Pred)...))
	case *Scan:
		s := *n
		s.Filters = append(append([]expr.Expr{}, n.Filters...), preds...)
		if err := o.prunePartitions(&s); err != nil {
			o.err = err
		}
		return &s
	case *Project:
		// Substitute the projection's expressions so the predicate can be
		// evaluated below it.
		defs := map[ColID]expr.Expr{}
		for i, c := range n.Out {
			defs[c.ID] = n.Exprs[i]
		}
		var below, above []expr.Expr
		for _, p := range preds {
			// A predicate on a random() column stays above: copied below,
			// it would test another value than the one output.
			if s := substitute(p, defs); !expr.HasVolatile(s) || expr.HasVolatile(p) {
				below = append(below, s)
			} else {
				above = append(above, p)
			}
		}
		p := *n
		p.Input = o.pushDown(n.Input, below)
		return filterOver(&p, above)
	case *Aggregate:
		groups := IDs(n.Groups)
		var below, above []expr.Expr
		for _, p := range preds {
			if len(n.Groups) > 0 && covers(groups, p) {
				below = append(below, p)
			} else {
				above = append(above, p)
			}
		}
		a := *n
		a.Input = o.pushDown(n.Input, below)
		return filterOver(&a, above)
	case *Sort:
		s := *n
		s.Input = o.pushDown(n.Input, preds)
		return &s
	case *Limit:
		l := *n
		l.Input = o.pushDown(n.Input, nil)
		return filterOver(&l, preds)
	case *Join:
		if n.Type == JoinInner {
			return o.orderJoins(joinRegion(n, preds))
		}
		return o.pushOuterJoin(n, preds)
	case *Union:
		return o.pushUnion(n, preds)
	case *Window:
		return o.pushWindow(n, preds)
	case *Repeat:
		// A row passes a filter however often it is repeated.
		r := *n
		r.Input = o.pushDown(n.Input, preds)
		return &r
	}
	// Values and anything else: evaluate above.
	return filterOver(n, preds)
}

// pushOuterJoin pushes through LEFT/SEMI/ANTI joins: predicates above the
// join may only go to the preserved (left) side; ON conjuncts that touch only
// the right side filter the right input.
func (o *optimizer) pushOuterJoin(n *Join, preds []expr.Expr) Node {
	switch n.Type {
	case JoinFull, JoinPositional, JoinAsof, JoinAsofLeft:
		return o.pushFullJoin(n, preds)
	}
	leftIDs, rightIDs := IDs(n.Left.Cols()), IDs(n.Right.Cols())
	var toLeft, above, toRight, cond []expr.Expr
	for _, p := range preds {
		if covers(leftIDs, p) {
			toLeft = append(toLeft, p)
		} else {
			above = append(above, p)
		}
	}
	if anti, rest, ok := leftToAnti(n, above); ok {
		return filterOver(nullPadded(o.pushOuterJoin(anti, toLeft), n.Right.Cols()), rest)
	}
	if n.Type == JoinLeft {
		// A LEFT join over a region of joins is ordered with it.
		if rels, conds, units := joinRegion(n, preds); len(rels)-len(units) >= 2 {
			return o.orderJoins(rels, conds, units)
		}
	}
	if n.Type.LeftOnly() {
		if j := o.pushSemiIntoRegion(n, toLeft); j != nil {
			return filterOver(j, above)
		}
	}
	if n.Cond != nil {
		for _, c := range expr.SplitAnd(n.Cond) {
			if covers(rightIDs, c) && len(expr.Columns(c)) > 0 {
				toRight = append(toRight, c)
			} else {
				cond = append(cond, c)
			}
		}
	}
	j := &Join{Type: n.Type, Left: o.pushDown(n.Left, toLeft), Right: o.pushDown(n.Right, toRight)}
	j.LeftKeys, j.RightKeys, j.Cond = splitKeys(cond, IDs(j.Left.Cols()), IDs(j.Right.Cols()))
	return filterOver(j, above)
}

// pushSemiIntoRegion moves a semi or anti join below a region of inner
// joins, onto the one relation its condition reads (R1 ⋈ R2) ⋉ S =
// (R1 ⋉ S) ⋈ R2, when that relation is estimated to have no more rows than
// the region's result: the join then probes fewer rows and, being a filter,
// shrinks what the region joins. TPC-H Q18's IN (subquery) on o_orderkey is
// the case: probing 15M orders beats probing the 60M-row three-way join, and
// the region then joins a handful of orders. When the region filters its
// relations down instead (Q21's EXISTS on lineitem after a one-nation
// supplier join), the join stays on top. toLeft are the predicates above
// the join that read only its left side. It returns nil to keep the join
// where it is.
func (o *optimizer) pushSemiIntoRegion(n *Join, toLeft []expr.Expr) Node {
	rels, conds := flattenInner(n.Left)
	if len(rels) < 2 {
		return nil
	}
	conds = append(conds, toLeft...)
	leftIDs := IDs(n.Left.Cols())
	refs := map[ColID]bool{}
	note := func(e expr.Expr) {
		for c := range expr.Columns(e) {
			if leftIDs[c] {
				refs[c] = true
			}
		}
	}
	for _, k := range n.LeftKeys {
		note(k)
	}
	if n.Cond != nil {
		note(n.Cond)
	}
	if len(refs) == 0 {
		return nil
	}
	target := -1
	for i, r := range rels {
		ids := IDs(r.Cols())
		all := true
		for c := range refs {
			if !ids[c] {
				all = false
				break
			}
		}
		if all {
			target = i
			break
		}
	}
	if target < 0 {
		return nil
	}
	// Estimate both placements on the same footing: the relation with its
	// own predicates, and the region as planned without the semi join.
	ids := IDs(rels[target].Cols())
	var own []expr.Expr
	for _, c := range conds {
		if len(expr.Columns(c)) > 0 && covers(ids, c) {
			own = append(own, c)
		}
	}
	relRows := o.est.rows(o.pushDown(rels[target], own))
	regionRows := o.est.rows(o.pushDown(n.Left, append([]expr.Expr{}, toLeft...)))
	if o.err != nil || relRows > regionRows {
		return nil
	}
	moved := append([]Node{}, rels...)
	moved[target] = &Join{Type: n.Type, Left: rels[target], Right: n.Right, LeftKeys: n.LeftKeys, RightKeys: n.RightKeys, Cond: n.Cond}
	var region Node = moved[0]
	for _, r := range moved[1:] {
		region = &Join{Type: JoinInner, Left: region, Right: r}
	}
	return o.pushDown(region, conds)
}

// flattenInner collects the inputs and conditions of a tree of inner joins.
func flattenInner(n Node) ([]Node, []expr.Expr) {
	j, ok := n.(*Join)
	if !ok || j.Type != JoinInner {
		if f, ok := n.(*Filter); ok {
			if _, isJoin := f.Input.(*Join); isJoin {
				rels, conds := flattenInner(f.Input)
				return rels, append(conds, expr.SplitAnd(f.Pred)...)
			}
		}
		return []Node{n}, nil
	}
	lr, lc := flattenInner(j.Left)
	rr, rc := flattenInner(j.Right)
	conds := append(lc, rc...)
	if j.Cond != nil {
		conds = append(conds, expr.SplitAnd(j.Cond)...)
	}
	for i := range j.LeftKeys {
		conds = append(conds, &expr.Func{Op: expr.OpEq, Args: []expr.Expr{j.LeftKeys[i], j.RightKeys[i]}, Typ: coldata.TypeBool})
	}
	return append(lr, rr...), conds
}

// splitKeys separates equi-join conditions (left expr = right expr) from the
// residual.
func splitKeys(conds []expr.Expr, left, right map[ColID]bool) (lk, rk []expr.Expr, residual expr.Expr) {
	var rest []expr.Expr
	for _, c := range conds {
		if f, ok := c.(*expr.Func); ok && f.Op == expr.OpEq {
			a, b := f.Args[0], f.Args[1]
			if len(expr.Columns(a)) > 0 && len(expr.Columns(b)) > 0 {
				if covers(left, a) && covers(right, b) {
					lk, rk = append(lk, a), append(rk, b)
					continue
				}
				if covers(left, b) && covers(right, a) {
					lk, rk = append(lk, b), append(rk, a)
					continue
				}
			}
		}
		rest = append(rest, c)
	}
	return lk, rk, expr.And(rest...)
}

func filterOver(n Node, preds []expr.Expr) Node {
	if len(preds) == 0 {
		return n
	}
	return &Filter{Input: n, Pred: expr.And(preds...)}
}

// substitute replaces column references by their definitions.
func substitute(e expr.Expr, defs map[ColID]expr.Expr) expr.Expr {
	return expr.Rewrite(e, func(x expr.Expr) expr.Expr {
		if c, ok := x.(*expr.Column); ok {
			if d, ok := defs[c.Index]; ok {
				return d
			}
		}
		return x
	})
}
