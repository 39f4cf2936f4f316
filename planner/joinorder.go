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
	conds = factorOr(conds, ids, o.est.implied)
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
	for i, im := range o.est.impliedRanges(ids, multi) {
		perRel[i] = append(perRel[i], im...)
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
	if len(rels) > maxGreedyRelations {
		// Beyond what a set of relations fits in: join in the written
		// order, each join taking the conditions it can.
		var cur Node = rels[0]
		for _, r := range rels[1:] {
			cur = &Join{Type: JoinInner, Left: cur, Right: r}
		}
		return filterOver(cur, multi)
	}
	g := newJoinGraph(o.est, rels, ids, card, multi)
	if len(rels) <= maxDPRelations {
		if n := o.dpJoins(g, rels); n != nil {
			return n
		}
	}
	return o.greedyJoins(g, rels)
}

// maxGreedyRelations is the most relations a join region is ordered over
// (sets of them are bit masks).
const maxGreedyRelations = 64

// greedyJoins orders joins greedily: the largest relation is the probe
// pipeline; at each step the relation that yields the smallest estimated
// result joins next, preferring those linked by a hash key, then those
// linked by any condition, and only then (a disconnected query) a cross
// product.
func (o *optimizer) greedyJoins(g *joinGraph, rels []Node) Node {
	start := 0
	for i := range rels {
		if g.card[i] > g.card[start] {
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
