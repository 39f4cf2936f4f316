package planner

import "github.com/peregrinedb/peregrine/planner/expr"

// pushFullJoin plans a FULL OUTER join: both sides are preserved, so no
// predicate above it and no conjunct of its ON condition may filter either
// input (a row filtered out below would come back NULL-padded instead of
// going away). The equalities between the sides become hash keys, the rest
// a residual the pairs are checked against. The join is a barrier to join
// ordering: each side is ordered on its own.
func (o *optimizer) pushFullJoin(n *Join, preds []expr.Expr) Node {
	j := &Join{Type: JoinFull, Left: o.pushDown(n.Left, nil), Right: o.pushDown(n.Right, nil)}
	cond := joinConjuncts(n)
	j.LeftKeys, j.RightKeys, j.Cond = splitKeys(cond, IDs(j.Left.Cols()), IDs(j.Right.Cols()))
	return filterOver(j, preds)
}
