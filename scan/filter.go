package scan

import (
	"math"
	"slices"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Predicates are evaluated on decoded vectors (and once on dictionaries) to
// narrow a selection. A filter may keep rows that fail the predicate (the
// executor re-applies its full filter) but must never drop one that passes:
// whenever a case is not handled exactly, rows are kept.

// filterVec keeps in sel (row indexes into v, ascending) the rows that may
// satisfy p and returns the shortened slice. n is the number of rows in v;
// sel == nil means all of them, and out receives the result. set, when not
// nil, is p's long integer IN list already hashed (inSetFor).
func filterVec(p *Predicate, typ coldata.Type, v *coldata.Vec, n int, sel, out []int32, set *intSet) []int32 {
	out = out[:0]
	var nulls []bool
	if v.Nulls != nil {
		nulls = v.Nulls[:n]
	}
	switch p.Op {
	case OpIsNull, OpIsNotNull:
		want := p.Op == OpIsNull
		return filterFunc(out, sel, n, func(i int32) bool { return (nulls != nil && nulls[i]) == want })
	case OpInSet:
		if p.Set == nil {
			return keepAll(out, sel, n)
		}
		if sel != nil {
			return p.Set.Filter(v, sel, len(sel), out)
		}
		return p.Set.Filter(v, nil, n, out)
	}
	if !predUsable(p, typ) {
		return keepAll(out, sel, n)
	}
	switch typ.ID {
	case coldata.Int32, coldata.Date:
		k := makeConsts(p, func(d coldata.Datum) int32 { return int32(d.I) })
		return filterOrdered(out, sel, n, v.I32[:n], nulls, p.Op, k, set)
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		k := makeConsts(p, func(d coldata.Datum) int64 { return d.I })
		return filterOrdered(out, sel, n, v.I64[:n], nulls, p.Op, k, set)
	case coldata.Float64:
		k := makeConsts(p, func(d coldata.Datum) float64 { return d.F })
		out = filterOrdered(out, sel, n, v.F64[:n], nulls, p.Op, k, nil)
		// NaN orders differently in different engines; never drop one.
		return addNaNs(out, sel, n, v.F64[:n], nulls)
	case coldata.String:
		k := makeConsts(p, func(d coldata.Datum) string { return d.S })
		return filterOrdered(out, sel, n, v.Str[:n], nulls, p.Op, k, nil)
	}
	return keepAll(out, sel, n)
}

// predUsable says whether filterVec can evaluate p exactly on typ (in
// particular whether its constants are valid for the column's range).
func predUsable(p *Predicate, typ coldata.Type) bool {
	switch typ.ID {
	case coldata.Int32, coldata.Date, coldata.Int64, coldata.Decimal, coldata.Timestamp, coldata.Float64, coldata.String:
	default:
		return false
	}
	need := 1
	switch p.Op {
	case OpBetween:
		need = 2
	case OpIn:
		need = len(p.Vals)
	case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe:
	default:
		return false
	}
	if len(p.Vals) != need {
		return false
	}
	for _, d := range p.Vals {
		if typ.ID == coldata.Float64 && !d.Null && math.IsNaN(d.F) {
			return false
		}
		if (typ.ID == coldata.Int32 || typ.ID == coldata.Date) && !d.Null && d.I != int64(int32(d.I)) {
			return false
		}
	}
	return true
}

type consts[T any] struct {
	a, b T
	list []T
	none bool // a NULL constant: a comparison is never true
}

func makeConsts[T any](p *Predicate, conv func(coldata.Datum) T) consts[T] {
	var k consts[T]
	if p.Op == OpIn {
		for _, d := range p.Vals {
			if !d.Null {
				k.list = append(k.list, conv(d))
			}
		}
		k.none = len(k.list) == 0
		return k
	}
	for _, d := range p.Vals {
		if d.Null {
			k.none = true
		}
	}
	k.a = conv(p.Vals[0])
	if len(p.Vals) > 1 {
		k.b = conv(p.Vals[1])
	}
	return k
}

// filterOrdered is the typed kernel: the operator is switched on once per
// call and each operator has its own plain loop, dense or over sel, with no
// call per value. Null slots hold zero values after decoding; they are
// compared like the rest and dropped afterwards, since a NULL never
// satisfies a comparison.
func filterOrdered[T int32 | int64 | float64 | string](out, sel []int32, n int, vals []T, nulls []bool, op Op, k consts[T], set *intSet) []int32 {
	if k.none {
		return out
	}
	a, b := k.a, k.b
	if op == OpIn {
		out = filterIn(out, sel, n, vals, k.list, set)
	} else if sel == nil {
		out = cmpDense(out, vals[:n], op, a, b)
	} else {
		out = cmpSel(out, sel, vals[:n], op, a, b)
	}
	if nulls == nil {
		return out
	}
	m := 0
	for _, i := range out {
		if !nulls[i] {
			out[m] = i
			m++
		}
	}
	return out[:m]
}

// cmpDense appends to out the rows i of vals that satisfy op. Rows are
// selected without a branch per row (the row is written, the count moves
// by the comparison): a filter that keeps rows at random costs a branch
// misprediction per row otherwise.
func cmpDense[T int32 | int64 | float64 | string](out []int32, vals []T, op Op, a, b T) []int32 {
	base := len(out)
	out = slices.Grow(out, len(vals))[:base+len(vals)]
	o := out[base:]
	m := 0
	switch op {
	case OpEq:
		for i, x := range vals {
			o[m] = int32(i)
			m += b2i(x == a)
		}
	case OpNe:
		for i, x := range vals {
			o[m] = int32(i)
			m += b2i(x != a)
		}
	case OpLt:
		for i, x := range vals {
			o[m] = int32(i)
			m += b2i(x < a)
		}
	case OpLe:
		for i, x := range vals {
			o[m] = int32(i)
			m += b2i(x <= a)
		}
	case OpGt:
		for i, x := range vals {
			o[m] = int32(i)
			m += b2i(x > a)
		}
	case OpGe:
		for i, x := range vals {
			o[m] = int32(i)
			m += b2i(x >= a)
		}
	case OpBetween:
		for i, x := range vals {
			o[m] = int32(i)
			m += b2i(x >= a) & b2i(x <= b)
		}
	}
	return out[:base+m]
}

// cmpSel is cmpDense over the rows sel.
func cmpSel[T int32 | int64 | float64 | string](out, sel []int32, vals []T, op Op, a, b T) []int32 {
	base := len(out)
	out = slices.Grow(out, len(sel))[:base+len(sel)]
	o := out[base:]
	m := 0
	switch op {
	case OpEq:
		for _, i := range sel {
			o[m] = i
			m += b2i(vals[i] == a)
		}
	case OpNe:
		for _, i := range sel {
			o[m] = i
			m += b2i(vals[i] != a)
		}
	case OpLt:
		for _, i := range sel {
			o[m] = i
			m += b2i(vals[i] < a)
		}
	case OpLe:
		for _, i := range sel {
			o[m] = i
			m += b2i(vals[i] <= a)
		}
	case OpGt:
		for _, i := range sel {
			o[m] = i
			m += b2i(vals[i] > a)
		}
	case OpGe:
		for _, i := range sel {
			o[m] = i
			m += b2i(vals[i] >= a)
		}
	case OpBetween:
		for _, i := range sel {
			x := vals[i]
			o[m] = i
			m += b2i(x >= a) & b2i(x <= b)
		}
	}
	return out[:base+m]
}

// b2i is 1 for true; the compiler turns it into a flag move, not a branch.
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}

// inListLinear is the IN-list length up to which a linear scan is as fast
// as a hash lookup (runtime filters send lists of up to 64 join keys).
const inListLinear = 8

func filterIn[T int32 | int64 | float64 | string](out, sel []int32, n int, vals []T, list []T, set *intSet) []int32 {
	if len(list) > inListLinear {
		switch v := any(vals).(type) {
		case []int64:
			if set == nil {
				s := newIntSet(any(list).([]int64))
				set = &s
			}
			return filterInSet(out, sel, n, v, set)
		case []int32:
			if set == nil {
				s := newIntSet(any(list).([]int32))
				set = &s
			}
			return filterInSet(out, sel, n, v, set)
		}
	}
	if sel == nil {
		for i, x := range vals[:n] {
			for _, c := range list {
				if x == c {
					out = append(out, int32(i))
					break
				}
			}
		}
		return out
	}
	for _, i := range sel {
		x := vals[i]
		for _, c := range list {
			if x == c {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

func filterInSet[T int32 | int64](out, sel []int32, n int, vals []T, set *intSet) []int32 {
	// Without a branch per row (see cmpDense).
	base := len(out)
	if sel == nil {
		out = slices.Grow(out, n)[:base+n]
		o, m := out[base:], 0
		for i, x := range vals[:n] {
			o[m] = int32(i)
			m += b2i(set.has(int64(x)))
		}
		return out[:base+m]
	}
	out = slices.Grow(out, len(sel))[:base+len(sel)]
	o, m := out[base:], 0
	for _, i := range sel {
		o[m] = i
		m += b2i(set.has(int64(vals[i])))
	}
	return out[:base+m]
}

// intSet is a small open-addressing hash set of an IN list's integers (a
// table at most a quarter full, so a lookup mostly probes one slot).
type intSet struct {
	slots []int64
	used  []bool
	mask  uint64
	shift uint
}

// inSetFor hashes p's IN list once for a reader when it is a long list over
// an integer column (nil otherwise: filterVec then needs none, or builds
// one per call).
func inSetFor(p *Predicate, typ coldata.Type) *intSet {
	if p.Op != OpIn || !predUsable(p, typ) {
		return nil
	}
	switch typ.ID {
	case coldata.Int32, coldata.Date, coldata.Int64, coldata.Decimal, coldata.Timestamp:
	default:
		return nil
	}
	var ints []int64
	for _, d := range p.Vals {
		if !d.Null {
			ints = append(ints, d.I)
		}
	}
	if len(ints) <= inListLinear {
		return nil
	}
	s := newIntSet(ints)
	return &s
}

func newIntSet[T int32 | int64](list []T) intSet {
	bitsN := uint(3)
	for 1<<bitsN < 4*len(list) {
		bitsN++
	}
	s := intSet{slots: make([]int64, 1<<bitsN), used: make([]bool, 1<<bitsN), mask: 1<<bitsN - 1, shift: 64 - bitsN}
	for _, x := range list {
		h := uint64(x) * 0x9E3779B97F4A7C15 >> s.shift
		for s.used[h] && s.slots[h] != int64(x) {
			h = (h + 1) & s.mask
		}
		s.slots[h], s.used[h] = int64(x), true
	}
	return s
}

func (s *intSet) has(x int64) bool {
	h := uint64(x) * 0x9E3779B97F4A7C15 >> s.shift
	for s.used[h] {
		if s.slots[h] == x {
			return true
		}
		h = (h + 1) & s.mask
	}
	return false
}

func filterFunc(out, sel []int32, n int, keep func(int32) bool) []int32 {
	if sel == nil {
		for i := int32(0); i < int32(n); i++ {
			if keep(i) {
				out = append(out, i)
			}
		}
		return out
	}
	for _, i := range sel {
		if keep(i) {
			out = append(out, i)
		}
	}
	return out
}

func keepAll(out, sel []int32, n int) []int32 {
	if sel != nil {
		return append(out, sel...)
	}
	for i := int32(0); i < int32(n); i++ {
		out = append(out, i)
	}
	return out
}

// addNaNs merges the non-null NaN rows of sel back into out (both sorted).
func addNaNs(out, sel []int32, n int, vals []float64, nulls []bool) []int32 {
	has := false
	for i := 0; i < n; i++ {
		if vals[i] != vals[i] && (nulls == nil || !nulls[i]) {
			has = true
			break
		}
	}
	if !has {
		return out
	}
	isNaN := func(i int32) bool { return vals[i] != vals[i] && (nulls == nil || !nulls[i]) }
	merged := make([]int32, 0, len(out)+8)
	j := 0
	for _, i := range keepAll(nil, sel, n) {
		for j < len(out) && out[j] < i {
			merged = append(merged, out[j])
			j++
		}
		if j < len(out) && out[j] == i {
			merged = append(merged, i)
			j++
		} else if isNaN(i) {
			merged = append(merged, i)
		}
	}
	return append(merged, out[j:]...)
}
