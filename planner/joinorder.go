package planner

import (
	"math"

	"github.com/peregrinedb/peregrine/planner/expr"
)

// orderJoins plans a region of inner joins (and the LEFT joins flattened
// into it, units; see joinregion.go): predicates on one relation are
// pushed into it, then the join order is chosen by dynamic programming
// over connected subgraphs or, past its budget or for a disconnected
// region, greedily. The smaller side of each inner join becomes the hash
// table's build side.
func (o *optimizer) orderJoins(rels []Node, conds []expr.Expr, units []leftUnit) Node {
	ids := make([]map[ColID]bool, len(rels))
	for i, r := range rels {
		ids[i] = IDs(r.Cols())
	}
	// The right side of a LEFT join takes no predicate from above it
	// (one there would pad the rows it rejects instead of dropping them),
	// only its ON conjuncts over itself alone.
	perRel := make([][]expr.Expr, len(rels))
	inner := append([]map[ColID]bool{}, ids...)
	for k, u := range units {
		inner[u.rel] = map[ColID]bool{}
		perRel[u.rel], units[k].on = unitConds(u.on, ids[u.rel])
	}
	conds = factorOr(conds, inner, o.est.implied)
	// Single-relation predicates go into their relation.
	var multi []expr.Expr
	for _, c := range conds {
		placed := false
		if len(expr.Columns(c)) > 0 {
			for i := range rels {
				if covers(inner[i], c) {
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
	for i, im := range o.est.impliedRanges(inner, multi) {
		perRel[i] = append(perRel[i], im...)
	}
	for i := range rels {
		rels[i] = o.pushDown(rels[i], perRel[i])
		ids[i] = IDs(rels[i].Cols())
	}
	if len(rels) == 1 {
		return filterOver(rels[0], multi)
	}
	if len(rels) > maxGreedyRelations {
		return writtenOrder(rels, multi, units)
	}
	card := make([]float64, len(rels))
	for i, r := range rels {
		card[i] = o.est.rows(r)
	}
	return o.orderRegion(newJoinGraph(o.est, rels, ids, card, multi, units), rels)
}

// maxGreedyRelations is the most relations a join region is ordered over
// (sets of them are bit masks).
const maxGreedyRelations = 64

// writtenOrder joins a region too large to order in the written order,
// each LEFT join on its ON condition, the other conditions above.
func writtenOrder(rels []Node, conds []expr.Expr, units []leftUnit) Node {
	on := map[int][]expr.Expr{}
	for _, u := range units {
		on[u.rel] = u.on
	}
	cur := rels[0]
	for i, r := range rels[1:] {
		j := &Join{Type: JoinInner, Left: cur, Right: r}
		if c, ok := on[i+1]; ok {
			j.Type = JoinLeft
			j.LeftKeys, j.RightKeys, j.Cond = splitKeys(c, IDs(cur.Cols()), IDs(r.Cols()))
		}
		cur = j
	}
	return filterOver(cur, conds)
}

// greedyJoins orders joins greedily: the largest relation is the probe
// pipeline; at each step the relation that yields the smallest estimated
// result joins next, preferring those linked by a hash key, then those
// linked by any condition, and only then (a disconnected query) a cross
// product.
func (o *optimizer) greedyJoins(g *joinGraph, rels []Node) Node {
	start := -1
	for i := range rels {
		if g.unitOf[i] < 0 && (start < 0 || g.card[i] > g.card[start]) {
			start = i
		}
	}
	cur := uint64(1) << start
	splits := map[uint64][2]uint64{}
	for step := 1; step < len(rels); step++ {
		best, bestRows, bestRank := -1, math.Inf(1), 3
		for i := range rels {
			bit := uint64(1) << i
			if cur&bit != 0 {
				continue
			}
			if k := g.unitOf[i]; k >= 0 && g.units[k].t&^cur != 0 {
				continue // a LEFT join waits for the relations it reads
			}
			hash, theta := g.link(cur, bit)
			rank := 2
			switch {
			case hash:
				rank = 0
			case theta:
				rank = 1
			}
			r := g.rows(cur | bit)
			if rank < bestRank || (rank == bestRank && (r < bestRows || (r == bestRows && g.card[i] < g.card[best]))) {
				best, bestRows, bestRank = i, r, rank
			}
		}
		next := cur | 1<<best
		splits[next] = [2]uint64{cur, 1 << best}
		cur = next
	}
	return o.buildTree(g, rels, cur, func(set uint64) (uint64, uint64) {
		s := splits[set]
		return s[0], s[1]
	})
}
