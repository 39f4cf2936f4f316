package planner

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// LEFT joins inside join regions. A star-schema query often LEFT JOINs a
// returns table to its fact table and then joins the dimensions (TPC-DS
// Q40: catalog_sales LEFT JOIN catalog_returns, then warehouse, item and
// date_dim). Kept as a barrier, the LEFT join runs on every fact row
// before the filtered dimensions have dropped any; yet the dimensions may
// join first. The valid moves are those of Moerkotte and Neumann's core
// search space ("On the Correct and Complete Enumeration of the Core
// Search Space", SIGMOD 2013) for left outer joins whose ON condition
// reads only the preserved side and the right side:
//
//	(A ⟕p B) ⋈q C  ≡  (A ⋈q C) ⟕p B      when q does not read B
//	(A ⟕p B) ⟕r C  ≡  (A ⟕r C) ⟕p B      when r does not read B
//
// and a condition from above the LEFT join that reads B (one that does not
// reject NULLs, or the join would have become an inner join, outerjoin.go)
// is evaluated above it wherever it goes. Not valid: joining anything to
// B before B is joined (B ⋈ C ⟕ A changes which rows are padded), moving a
// condition that reads B into the ON condition or below it, or putting B
// on the left. So the region's ordering treats B as one relation that
// joins only as the build side of a LEFT join, to a plan holding every
// relation its ON condition reads (a hyperedge from those relations to B),
// and the conditions that read B go into a filter over that LEFT join or
// into the joins above it.

// leftUnit is the right side of a LEFT join flattened into a region:
// relation rel of the region, joined by the ON conjuncts on.
type leftUnit struct {
	rel  int
	on   []expr.Expr
	join *Join
}

// joinRegion collects the relations and conditions of the region of joins
// rooted at n, with preds from above it: the inner joins' inputs, and the
// LEFT joins among them whose ON condition reads their left side (their
// left side joins the region and their right side becomes a unit). A
// LEFT join that a filter on its right side's NULLs makes an anti join
// (leftToAnti) stays one relation, to become that anti join.
func joinRegion(n Node, preds []expr.Expr) (rels []Node, conds []expr.Expr, units []leftUnit) {
	keep := map[*Join]bool{}
	for {
		rels, conds, units = flattenRegion(n, keep)
		all := append(append([]expr.Expr{}, conds...), preds...)
		again := false
		for _, u := range units {
			if _, _, anti := leftToAnti(u.join, all); anti {
				keep[u.join], again = true, true
			}
		}
		if !again {
			return rels, append(conds, preds...), units
		}
	}
}

// flattenRegion collects the relations and conditions of a tree of inner
// joins, as flattenInner does, and also descends into LEFT joins (but those
// in keep) whose ON condition reads their left side.
func flattenRegion(n Node, keep map[*Join]bool) (rels []Node, conds []expr.Expr, units []leftUnit) {
	var walk func(n Node)
	walk = func(n Node) {
		switch j := n.(type) {
		case *Filter:
			if _, isJoin := j.Input.(*Join); isJoin {
				walk(j.Input)
				conds = append(conds, expr.SplitAnd(j.Pred)...)
				return
			}
		case *Join:
			switch {
			case j.Type == JoinInner:
				walk(j.Left)
				walk(j.Right)
				conds = append(conds, joinConjuncts(j)...)
				return
			case j.Type == JoinLeft && !keep[j] && readsLeft(j):
				walk(j.Left)
				units = append(units, leftUnit{rel: len(rels), on: joinConjuncts(j), join: j})
				rels = append(rels, j.Right)
				return
			}
		}
		rels = append(rels, n)
	}
	walk(n)
	return rels, conds, units
}

// joinConjuncts is a join's condition as conjuncts, its keys as
// equalities.
func joinConjuncts(j *Join) []expr.Expr {
	var out []expr.Expr
	if j.Cond != nil {
		out = append(out, expr.SplitAnd(j.Cond)...)
	}
	for i := range j.LeftKeys {
		out = append(out, &expr.Func{Op: expr.OpEq, Args: []expr.Expr{j.LeftKeys[i], j.RightKeys[i]}, Typ: coldata.TypeBool})
	}
	return out
}

// readsLeft reports a join whose condition reads its left input.
func readsLeft(j *Join) bool {
	left := IDs(j.Left.Cols())
	for _, c := range joinConjuncts(j) {
		for col := range expr.Columns(c) {
			if left[col] {
				return true
			}
		}
	}
	return false
}

// unitConds splits a LEFT join's ON conjuncts into those over its right
// side alone (they filter it before the join) and the rest.
func unitConds(on []expr.Expr, right map[ColID]bool) (toRight, rest []expr.Expr) {
	for _, c := range on {
		if len(expr.Columns(c)) > 0 && covers(right, c) {
			toRight = append(toRight, c)
		} else {
			rest = append(rest, c)
		}
	}
	return toRight, rest
}
