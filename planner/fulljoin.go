package planner

import "github.com/peregrinedb/peregrine/planner/expr"

// pushFullJoin plans a FULL OUTER join: both sides are preserved, so no
// predicate above it and no conjunct of its ON condition may filter either
// input (a row filtered out below would come back NULL-padded instead of
// going away). The equalities between the sides become hash keys, the rest
// a residual the pairs are checked against. The join is a barrier to join
// ordering: each side is ordered on its own.
//
// POSITIONAL joins pair rows by position, so nothing may filter their
// inputs either. An ASOF join matches each left row on its own: filters
// of the left side alone may go below it, not the right side's (they
// would change which right row is the nearest).
func (o *optimizer) pushFullJoin(n *Join, preds []expr.Expr) Node {
	var toLeft []expr.Expr
	if n.Type == JoinAsof || n.Type == JoinAsofLeft {
		leftIDs := IDs(n.Left.Cols())
		var above []expr.Expr
		for _, p := range preds {
			if covers(leftIDs, p) {
				toLeft = append(toLeft, p)
			} else {
				above = append(above, p)
			}
		}
		preds = above
	}
	j := &Join{Type: n.Type, Left: o.pushDown(n.Left, toLeft), Right: o.pushDown(n.Right, nil)}
	cond := joinConjuncts(n)
	j.LeftKeys, j.RightKeys, j.Cond = splitKeys(cond, IDs(j.Left.Cols()), IDs(j.Right.Cols()))
	return filterOver(j, preds)
}
