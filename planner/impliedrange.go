package planner

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// impliedRanges derives range filters from equi-join keys and the value
// ranges in the files' footers: when a = b, a row of a's relation whose key
// lies outside b's range can never match, so a's relation may drop it
// first. A star schema's date dimension spans two centuries while the
// fact table's dates cover five years; filtering the dimension to those
// five years shrinks the hash table and, more to the point, lets the
// estimates (and the plan-time measurement of small filtered dimensions,
// sample.go) see that only those years' attributes occur: grouping by
// d_year then expects six groups, not two hundred.
//
// For each equivalence class of integer or date join columns, the
// intersection R of the base columns' ranges becomes lo <= col <= hi on
// every relation whose column ranges at least twice as wide as R. It
// returns the filters by relation.
func (e *estimator) impliedRanges(ids []map[ColID]bool, conds []expr.Expr) map[int][]expr.Expr {
	relOf := func(col ColID) int {
		for i := range ids {
			if ids[i][col] {
				return i
			}
		}
		return -1
	}
	cls := newClasses()
	for _, c := range conds {
		if a, b, ok := colEquality(c); ok && a.Typ == b.Typ && keyType(a.Typ) {
			if ra, rb := relOf(a.Index), relOf(b.Index); ra >= 0 && rb >= 0 && ra != rb {
				cls.union(a, b)
			}
		}
	}
	out := map[int][]expr.Expr{}
	for _, cols := range cls.groups() {
		lo, hi, known := math.Inf(-1), math.Inf(1), 0
		for _, c := range cols {
			if _, base := e.cols[c.Index]; !base {
				continue
			}
			if rg := e.colRange(c.Index); rg.ok {
				lo, hi, known = math.Max(lo, rg.lo), math.Min(hi, rg.hi), known+1
			}
		}
		if known < 2 || hi < lo {
			continue
		}
		for _, c := range cols {
			rg := e.colRange(c.Index)
			if _, base := e.cols[c.Index]; !base || !rg.ok || rg.hi-rg.lo+1 < 2*(hi-lo+1) {
				continue
			}
			r := relOf(c.Index)
			k := func(v float64) *expr.Const {
				return &expr.Const{Val: coldata.Datum{I: int64(v)}, Typ: c.Typ}
			}
			out[r] = append(out[r],
				&expr.Func{Op: expr.OpGe, Args: []expr.Expr{c, k(lo)}, Typ: coldata.TypeBool},
				&expr.Func{Op: expr.OpLe, Args: []expr.Expr{c, k(hi)}, Typ: coldata.TypeBool})
		}
	}
	return out
}
