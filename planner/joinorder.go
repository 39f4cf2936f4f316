package planner

import (
	"math"

	"github.com/peregrinedb/peregrine/planner/expr"
)

// orderJoins plans a region of inner joins: predicates on one relation are
// pushed into it, then the join order is chosen by dynamic programming over
// connected subsets (up to maxDPRelations relations) or greedily beyond.
// The smaller side of each join becomes the hash table's build side.
func (o *optimizer) orderJoins(rels []Node, conds []expr.Expr) Node {
	ids := make([]map[ColID]bool, len(rels))
	for i, r := range rels {
		ids[i] = IDs(r.Cols())
	}
	conds = factorOr(conds, ids)
	// Single-relation predicates go into their relation.
	var multi []expr.Expr
	perRel := make([][]expr.Expr, len(rels))
	for _, c := range conds {
		placed := false
		if len(expr.Columns(c)) > 0 {
			for i := range rels {
				if covers(ids[i], c) {
					perRel[i] = append(perRel[i], c)
					placed = true
					break
				}
			}
		}
		if !placed {
			multi = append(multi, c)
		}
	}
	for i := range rels {
		rels[i] = o.pushDown(rels[i], perRel[i])
		ids[i] = IDs(rels[i].Cols())
	}
	if len(rels) == 1 {
		return filterOver(rels[0], multi)
	}

	card := make([]float64, len(rels))
	for i, r := range rels {
		card[i] = o.est.rows(r)
	}
	if len(rels) <= maxDPRelations {
		if n := o.dpJoins(rels, ids, card, multi); n != nil {
			return n
		}
	}
	return o.greedyJoins(rels, ids, card, multi)
}

// greedyJoins orders joins greedily: the largest relation is the probe
// pipeline; at each step the connected relation that yields the smallest
// estimated result joins next.
func (o *optimizer) greedyJoins(rels []Node, ids []map[ColID]bool, card []float64, multi []expr.Expr) Node {
	start := 0
	for i := range rels {
		if card[i] > card[start] {
			start = i
		}
	}
	used := make([]bool, len(rels))
	used[start] = true
	cur, curIDs, curCard := rels[start], ids[start], card[start]
	pending := multi
	for step := 1; step < len(rels); step++ {
		best, bestCard := -1, math.Inf(1)
		for pass := 0; pass < 2 && best < 0; pass++ {
			for i := range rels {
				if used[i] {
					continue
				}
				lk, rk := connecting(pending, curIDs, ids[i])
				if pass == 0 && len(lk) == 0 {
					continue // prefer relations connected by an equi-join
				}
				c := o.est.joinRows(curCard, card[i], lk, rk)
				if c < bestCard || (c == bestCard && best >= 0 && card[i] < card[best]) {
					best, bestCard = i, c
				}
			}
		}
		used[best] = true
		merged := union(curIDs, ids[best])
		var here, later []expr.Expr
		for _, c := range pending {
			if covers(merged, c) {
				here = append(here, c)
			} else {
				later = append(later, c)
			}
		}
		pending = later
		left, right, lIDs, rIDs := cur, rels[best], curIDs, ids[best]
		if card[best] > curCard {
			// Build the hash table on the smaller input.
			left, right, lIDs, rIDs = right, left, rIDs, lIDs
		}
		j := &Join{Type: JoinInner, Left: left, Right: right}
		j.LeftKeys, j.RightKeys, j.Cond = splitKeys(here, lIDs, rIDs)
		o.est.set(j, bestCard)
		cur, curIDs, curCard = j, merged, bestCard
	}
	return filterOver(cur, pending)
}

// connecting returns the equi-join key pairs among conds between two sets.
func connecting(conds []expr.Expr, a, b map[ColID]bool) (ak, bk []expr.Expr) {
	both := union(a, b)
	var eqs []expr.Expr
	for _, c := range conds {
		if covers(both, c) {
			eqs = append(eqs, c)
		}
	}
	ak, bk, _ = splitKeys(eqs, a, b)
	return ak, bk
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
