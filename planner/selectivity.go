package planner

import (
	"math"
	"slices"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// selectivity estimates the fraction of rows satisfying p.
func (e *estimator) selectivity(p expr.Expr) float64 {
	switch p := p.(type) {
	case *expr.Func:
		switch p.Op {
		case expr.OpAnd:
			return e.conjunctionSel(expr.SplitAnd(p))
		case expr.OpOr:
			return e.disjunctionSel(p)
		case expr.OpNot:
			return 1 - e.selectivity(p.Args[0])
		case expr.OpEq, expr.OpNe, expr.OpLt, expr.OpLe, expr.OpGt, expr.OpGe:
			return e.compareSel(p)
		}
	case *expr.In:
		// Each listed value matches 1/ndv of the rows (the values are
		// assumed distinct and present); without a distinct count, each
		// matches selEq, as for =.
		s := selEq * float64(len(p.List))
		if c, ok := p.Arg.(*expr.Column); ok {
			if d, ok := e.knownNDV(c.Index); ok {
				s = float64(len(p.List)) / d
			}
		}
		s = math.Min(1, s)
		if p.Not {
			return 1 - s
		}
		return s
	case *expr.Like:
		s := selLike
		if !strings.ContainsAny(p.Pattern, "%_") {
			s = selEq
		}
		if p.Not {
			return 1 - s
		}
		return s
	case *expr.IsNull:
		frac := 0.05
		if c, ok := p.Arg.(*expr.Column); ok {
			if f, ok := e.nullFraction(c.Index); ok {
				frac = f
			}
		}
		if p.Not {
			return 1 - frac
		}
		return frac
	}
	return selDefault
}

// conjunctionSel estimates a conjunction. Comparisons of one column with
// constants are one interval (x >= 5 AND x <= 9 keeps the rows between,
// not a fraction of a fraction); the remaining per-column selectivities
// are combined with exponential backoff, most selective first:
// s1 · s2^(1/2) · s3^(1/4) · s4^(1/8). Columns of one table filtered
// together are often correlated (a month and its year, a city and its
// nation), and the independence product of their selectivities sinks a
// handful of ordinary predicates to a row where thousands qualify; the
// backoff keeps the most selective predicate whole and lets each further
// one count for less.
func (e *estimator) conjunctionSel(terms []expr.Expr) float64 {
	type bound struct {
		lo, hi       float64
		hasLo, hasHi bool
		col          *expr.Column
	}
	ranges := map[ColID]*bound{}
	var order []ColID
	var sels []float64
	for _, t := range terms {
		f, ok := t.(*expr.Func)
		if ok && (f.Op == expr.OpLt || f.Op == expr.OpLe || f.Op == expr.OpGt || f.Op == expr.OpGe) {
			if col, k, op, ok := columnVsConst(f); ok && !k.Val.Null && e.colRange(col.Index).ok && rangeType(col.Typ) {
				b := ranges[col.Index]
				if b == nil {
					b = &bound{col: col}
					ranges[col.Index] = b
					order = append(order, col.Index)
				}
				v := asFloat(col.Typ, k.Val)
				switch op {
				case expr.OpGt, expr.OpGe:
					if !b.hasLo || v > b.lo {
						b.lo, b.hasLo = v, true
					}
				default:
					if !b.hasHi || v < b.hi {
						b.hi, b.hasHi = v, true
					}
				}
				continue
			}
		}
		sels = append(sels, e.selectivity(t))
	}
	for _, id := range order {
		b := ranges[id]
		rg := e.colRange(id)
		lo, hi := rg.lo, rg.hi
		if b.hasLo {
			lo = math.Max(lo, b.lo)
		}
		if b.hasHi {
			hi = math.Min(hi, b.hi)
		}
		s := 0.001
		if rg.hi > rg.lo && hi >= lo {
			// An integer or date interval holds hi-lo+1 values of the
			// range's; a continuous one its share of the width.
			width, span := hi-lo, rg.hi-rg.lo
			if b.col.Typ.IsInteger() || b.col.Typ.ID == coldata.Date {
				width, span = width+1, span+1
			}
			s = math.Max(width/span, 0.001)
		} else if rg.hi == rg.lo && hi >= lo {
			s = 1
		}
		sels = append(sels, math.Min(s, 1))
	}
	return backoff(sels)
}

// backoff combines selectivities with exponential backoff (see
// conjunctionSel).
func backoff(sels []float64) float64 {
	slices.Sort(sels)
	out, exp := 1.0, 1.0
	for i, s := range sels {
		if i >= 4 {
			break // further predicates count for less than 1/16th: nothing
		}
		out *= math.Pow(s, exp)
		exp /= 2
	}
	return out
}

// rangeType reports types whose comparisons conjunctionSel turns into
// intervals.
func rangeType(t coldata.Type) bool {
	return t.IsNumeric() || t.ID == coldata.Date || t.ID == coldata.Timestamp
}

// disjunctionSel estimates an OR. Equalities and IN lists on one column
// select disjoint values, so their selectivities add up; other branches
// are taken as independent. Conjuncts factorOr derived from the OR filter
// before it, so given them it keeps that much more (estimator.implied).
func (e *estimator) disjunctionSel(p expr.Expr) float64 {
	branches := splitOr(p)
	var s float64
	if sameColumnValues(branches) {
		for _, b := range branches {
			s += e.selectivity(b)
		}
	} else {
		keep := 1.0
		for _, b := range branches {
			keep *= 1 - e.selectivity(b)
		}
		s = 1 - keep
	}
	s = math.Min(1, s)
	if im := e.implied[exprKey(p)]; len(im) > 0 {
		given := 1.0
		for _, x := range im {
			given *= e.selectivity(x)
		}
		if given > 0 {
			s = math.Min(1, s/given)
		}
	}
	return s
}

// sameColumnValues reports whether every branch is col = const or col IN
// (...) on one column.
func sameColumnValues(branches []expr.Expr) bool {
	id := ColID(-1)
	for _, b := range branches {
		var c *expr.Column
		switch b := b.(type) {
		case *expr.In:
			if b.Not {
				return false
			}
			c, _ = b.Arg.(*expr.Column)
		case *expr.Func:
			if b.Op == expr.OpEq {
				c, _, _, _ = columnVsConst(b)
			}
		}
		if c == nil || (id >= 0 && c.Index != id) {
			return false
		}
		id = c.Index
	}
	return true
}

func (e *estimator) compareSel(f *expr.Func) float64 {
	col, k, op, ok := columnVsConst(f)
	if !ok || k.Val.Null {
		if f.Op == expr.OpEq {
			return selEq
		}
		return selDefault
	}
	// 1/ndv for a column whose distinct values are known (measured, or an
	// integer or date range); otherwise selEq, assuming few distinct
	// values. (The join order's cost model charges build sides for their
	// width, so an accurate estimate on a wide dimension no longer turns it
	// into a hash table: see joinGraph.width.)
	eq := selEq
	if d, ok := e.knownNDV(col.Index); ok {
		eq = 1 / d
	}
	switch op {
	case expr.OpEq:
		return eq
	case expr.OpNe:
		return 1 - eq
	}
	rg := e.colRange(col.Index)
	if !rg.ok || rg.hi <= rg.lo {
		return 1.0 / 3
	}
	v := asFloat(col.Typ, k.Val)
	frac := (v - rg.lo) / (rg.hi - rg.lo)
	frac = math.Max(0, math.Min(1, frac))
	if op == expr.OpGt || op == expr.OpGe {
		frac = 1 - frac
	}
	return math.Max(frac, 0.001)
}
