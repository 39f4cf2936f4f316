package planner

import (
	"strconv"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// factorOr rewrites disjunctions so joins and scans can use them:
//
//   - a term present in every branch is pulled out as its own conjunct:
//     (a AND b) OR (a AND c) → a AND (b OR c); TPC-H Q19's join key
//     p_partkey = l_partkey hides this way.
//   - for each relation whose columns every branch constrains, the OR of
//     those constraints is implied and added as a conjunct it can filter
//     on early: (p.x = 1 AND l.y < 5) OR (p.x = 2 AND l.y < 9) implies
//     (p.x = 1 OR p.x = 2) on p and (l.y < 5 OR l.y < 9) on l.
//
// The original disjunction stays, so the rewrite never changes results;
// implied records each implied conjunct against it, so estimates count the
// filtering once (see estimator.implied).
func factorOr(conds []expr.Expr, rels []map[ColID]bool, implied map[string][]expr.Expr) []expr.Expr {
	var out []expr.Expr
	for _, c := range conds {
		f, ok := c.(*expr.Func)
		if !ok || f.Op != expr.OpOr {
			out = append(out, c)
			continue
		}
		branches := splitOr(c)
		terms := make([][]expr.Expr, len(branches))
		for i, b := range branches {
			terms[i] = expr.SplitAnd(b)
		}
		common := commonTerms(terms)
		out = append(out, common...)
		if len(common) > 0 {
			rest := make([]expr.Expr, len(branches))
			for i, ts := range terms {
				rest[i] = expr.And(without(ts, common)...)
			}
			if hasNil(rest) {
				// One branch was only the common terms: the OR is true.
				continue
			}
			for i := range terms {
				terms[i] = expr.SplitAnd(rest[i])
			}
			c = orOf(rest)
		}
		out = append(out, c)
		for _, ids := range rels {
			if im := impliedOn(terms, ids); im != nil {
				out = append(out, im)
				if implied != nil {
					k := exprKey(c)
					implied[k] = append(implied[k], im)
				}
			}
		}
	}
	return out
}

func splitOr(e expr.Expr) []expr.Expr {
	if f, ok := e.(*expr.Func); ok && f.Op == expr.OpOr {
		return append(splitOr(f.Args[0]), splitOr(f.Args[1])...)
	}
	return []expr.Expr{e}
}

func orOf(es []expr.Expr) expr.Expr {
	out := es[0]
	for _, e := range es[1:] {
		out = &expr.Func{Op: expr.OpOr, Args: []expr.Expr{out, e}, Typ: coldata.TypeBool}
	}
	return out
}

// impliedOn returns the OR over branches of each branch's terms on ids only,
// or nil when some branch says nothing about those columns.
func impliedOn(terms [][]expr.Expr, ids map[ColID]bool) expr.Expr {
	parts := make([]expr.Expr, len(terms))
	for i, ts := range terms {
		var mine []expr.Expr
		for _, t := range ts {
			if len(expr.Columns(t)) > 0 && covers(ids, t) {
				mine = append(mine, t)
			}
		}
		if len(mine) == 0 {
			return nil
		}
		parts[i] = expr.And(mine...)
	}
	// Implying exactly the original (all terms on one relation) adds nothing.
	if len(parts) == len(terms) {
		same := true
		for i := range parts {
			if len(expr.SplitAnd(parts[i])) != len(terms[i]) {
				same = false
			}
		}
		if same {
			return nil
		}
	}
	return orOf(parts)
}

func commonTerms(terms [][]expr.Expr) []expr.Expr {
	var out []expr.Expr
	for _, t := range terms[0] {
		k := exprKey(t)
		inAll := true
		for _, other := range terms[1:] {
			if !containsKey(other, k) {
				inAll = false
				break
			}
		}
		if inAll && !containsKey(out, k) {
			out = append(out, t)
		}
	}
	return out
}

func without(ts, drop []expr.Expr) []expr.Expr {
	var out []expr.Expr
	for _, t := range ts {
		if !containsKey(drop, exprKey(t)) {
			out = append(out, t)
		}
	}
	return out
}

func containsKey(ts []expr.Expr, k string) bool {
	for _, t := range ts {
		if exprKey(t) == k {
			return true
		}
	}
	return false
}

func hasNil(es []expr.Expr) bool {
	for _, e := range es {
		if e == nil {
			return true
		}
	}
	return false
}

// exprKey identifies an expression structurally, columns by ID.
func exprKey(e expr.Expr) string {
	return expr.Rewrite(e, func(x expr.Expr) expr.Expr {
		if c, ok := x.(*expr.Column); ok {
			c.Name = "#" + strconv.Itoa(c.Index)
		}
		return x
	}).String()
}
