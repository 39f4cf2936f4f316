package scan

import (
	"encoding/binary"
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Stats are the footer statistics of one column chunk, in the column's
// coldata type (decimals scaled like values, timestamps in microseconds).
type Stats struct {
	// Min and Max bound every non-null value when HasMinMax. For strings
	// they may be truncated by the writer: still bounds, but then not Exact.
	Min, Max     coldata.Datum
	HasMinMax    bool
	NullCount    int64
	HasNullCount bool
	// Exact is true when Min and Max are actual values of the chunk (so
	// MIN/MAX could be answered from the footer), not just bounds.
	Exact bool
}

// Op is a comparison pushed into the scan.
type Op uint8

// The comparisons a Predicate applies to a column: Vals holds the constant
// (OpEq to OpGe), the bounds [lo, hi] (OpBetween) or the list (OpIn); the
// null tests take none. The scan uses them to skip row groups by their
// statistics and to narrow the rows it decodes; evaluation may keep a row it
// cannot decide, since the executor re-applies the query's full filter.
const (
	OpEq Op = iota
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
	OpBetween
	OpIn
	OpIsNull
	OpIsNotNull
	// OpInSet keeps the values that may be in Set (a join's runtime filter):
	// it drops rows during late materialisation, before the other columns
	// are decoded, and evaluated on a dictionary it prunes whole row groups
	// and pages of indices. Statistics cannot rule it out (bounds travel as
	// separate predicates).
	OpInSet
)

// Predicate is `column op constant(s)`; Vals are in the column's
// coldata.Type (Between: [lo, hi]; In: the list). Set is OpInSet's filter.
type Predicate struct {
	Col  int
	Op   Op
	Vals []coldata.Datum
	Set  ValueSet
}

// ValueSet is a membership filter an OpInSet predicate carries. Filter
// appends to out the rows of v (rows sel[j], or j < n when sel is nil)
// whose value may be in the set; a NULL never is. It must be safe for
// concurrent use.
type ValueSet interface {
	Filter(v *coldata.Vec, sel []int32, n int, out []int32) []int32
}

// ColumnStats returns min/max/null count of column col in row group rg when
// the footer has them.
func (f *File) ColumnStats(rg, col int) (Stats, bool) {
	if rg < 0 || rg >= len(f.md.RowGroups) || col < 0 || col >= len(f.cols) {
		return Stats{}, false
	}
	li := f.leaves[col]
	if li.leaf < 0 {
		return Stats{}, false
	}
	md := f.md.RowGroups[rg].Columns[li.leaf].MetaData
	st := md.Statistics
	if st == nil {
		return Stats{}, false
	}
	var s Stats
	if st.NullCount != nil && *st.NullCount >= 0 {
		s.NullCount, s.HasNullCount = *st.NullCount, true
	}
	// min_value/max_value follow the column's sort order. For types whose
	// order is ambiguous (bytes, unsigned) we also require the footer to
	// declare TYPE_ORDER; for signed numbers there is only one order.
	useNew := st.MinValue != nil && st.MaxValue != nil &&
		(li.typeOrder || !(li.strLike || li.unsigned))
	// The deprecated min/max were written with signed comparison by old
	// writers, so they are only trusted where signed order is correct.
	useOld := !useNew && st.Min != nil && st.Max != nil && deprecatedStatsSafe(li)
	var minB, maxB []byte
	switch {
	case useNew:
		minB, maxB = st.MinValue, st.MaxValue
	case useOld:
		minB, maxB = st.Min, st.Max
	default:
		return s, s.HasNullCount
	}
	typ := f.cols[col].Type
	lo, ok1 := decodeStat(li, minB)
	hi, ok2 := decodeStat(li, maxB)
	if !ok1 || !ok2 || coldata.Compare(typ, lo, hi) > 0 {
		return s, s.HasNullCount
	}
	s.Min, s.Max, s.HasMinMax = lo, hi, true
	s.Exact = true
	if (st.IsMinValueExact != nil && !*st.IsMinValueExact) || (st.IsMaxValueExact != nil && !*st.IsMaxValueExact) {
		s.Exact = false
	}
	// Writers truncate long strings without always saying so.
	if li.strLike && (!useNew || st.IsMinValueExact == nil || st.IsMaxValueExact == nil) {
		s.Exact = false
	}
	return s, true
}

func deprecatedStatsSafe(li leafInfo) bool {
	switch li.dk {
	case dkBool, dkI32, dkI32toI64, dkI32Millis, dkI64, dkI64Millis, dkI64Nanos:
		return !li.unsigned
	}
	return false
}

// decodeStat converts a PLAIN-encoded statistic (without the BYTE_ARRAY
// length prefix) the same way values are converted.
func decodeStat(li leafInfo, b []byte) (coldata.Datum, bool) {
	le := binary.LittleEndian
	switch li.dk {
	case dkBool:
		if len(b) != 1 {
			return coldata.Datum{}, false
		}
		return coldata.Datum{B: b[0]&1 != 0}, true
	case dkI32, dkI32toI64, dkU32toI64, dkI32Millis:
		if len(b) != 4 {
			return coldata.Datum{}, false
		}
		x := int64(int32(le.Uint32(b)))
		if li.unsigned {
			x = int64(le.Uint32(b))
			if li.dk == dkI32 && x > math.MaxInt32 {
				return coldata.Datum{}, false
			}
		}
		if li.dk == dkI32Millis {
			x *= 1000
		}
		return coldata.Datum{I: x}, true
	case dkI64, dkU64, dkI64Millis, dkI64Nanos:
		if len(b) != 8 {
			return coldata.Datum{}, false
		}
		x := int64(le.Uint64(b))
		if li.dk == dkU64 && x < 0 {
			return coldata.Datum{}, false
		}
		s := []int64{x}
		_ = convertI64(li.dk, s)
		return coldata.Datum{I: s[0]}, true
	case dkF32, dkF64, dkF16:
		var x float64
		switch {
		case li.dk == dkF32 && len(b) == 4:
			x = float64(math.Float32frombits(le.Uint32(b)))
		case li.dk == dkF64 && len(b) == 8:
			x = math.Float64frombits(le.Uint64(b))
		case li.dk == dkF16 && len(b) == 2:
			x = float16To64(le.Uint16(b))
		default:
			return coldata.Datum{}, false
		}
		if math.IsNaN(x) {
			return coldata.Datum{}, false
		}
		return coldata.Datum{F: x}, true
	case dkBAStr, dkFLBAStr:
		return coldata.Datum{S: string(b)}, true
	case dkBADec, dkFLBADec:
		x, ok := decimalFromBE(b)
		return coldata.Datum{I: x}, ok
	}
	// INT96 has no defined sort order.
	return coldata.Datum{}, false
}

// RowGroupMayMatch is false only when the statistics prove that no row of
// rg satisfies all preds (a conjunction).
func (f *File) RowGroupMayMatch(rg int, preds []Predicate) bool {
	if rg < 0 || rg >= len(f.md.RowGroups) {
		return true
	}
	if f.md.RowGroups[rg].NumRows == 0 {
		return false
	}
	for _, p := range preds {
		if !f.predMayMatch(rg, p) {
			return false
		}
	}
	return true
}

func (f *File) predMayMatch(rg int, p Predicate) bool {
	st, ok := f.ColumnStats(rg, p.Col)
	if !ok {
		return true
	}
	typ := f.cols[p.Col].Type
	// Statistics exclude NaN, which sorts above every number: unless the
	// footer says there is none, max says nothing about "greater than".
	noNaN := true
	if typ.ID == coldata.Float64 {
		nc := f.md.RowGroups[rg].Columns[f.leaves[p.Col].leaf].MetaData.Statistics.NanCount
		noNaN = nc != nil && *nc == 0
	}
	return statsMayMatch(typ, st, f.md.RowGroups[rg].NumRows, noNaN, &p)
}

// statsMayMatch is false only when st, the statistics of rows values
// (a row group or a page), prove that none satisfies p.
func statsMayMatch(typ coldata.Type, st Stats, rows int64, noNaN bool, p *Predicate) bool {
	allNull := st.HasNullCount && st.NullCount >= rows
	switch p.Op {
	case OpIsNull:
		return !st.HasNullCount || st.NullCount > 0
	case OpIsNotNull:
		return !allNull
	}
	// A comparison with NULL is never true, on either side.
	if allNull {
		return false
	}
	for _, v := range p.Vals {
		if v.Null && p.Op != OpIn {
			return false
		}
	}
	if !st.HasMinMax {
		return true
	}
	if typ.ID == coldata.Float64 {
		for _, v := range p.Vals {
			if math.IsNaN(v.F) {
				return true
			}
		}
	}
	cmp := func(a, b coldata.Datum) int { return coldata.Compare(typ, a, b) }
	inRange := func(v coldata.Datum) bool { return cmp(v, st.Min) >= 0 && cmp(v, st.Max) <= 0 }
	need := func(n int) bool { return len(p.Vals) == n }
	switch p.Op {
	case OpEq:
		return !need(1) || inRange(p.Vals[0])
	case OpNe:
		return !need(1) || !noNaN || !(cmp(st.Min, st.Max) == 0 && cmp(p.Vals[0], st.Min) == 0)
	case OpLt:
		return !need(1) || cmp(st.Min, p.Vals[0]) < 0
	case OpLe:
		return !need(1) || cmp(st.Min, p.Vals[0]) <= 0
	case OpGt:
		return !need(1) || !noNaN || cmp(st.Max, p.Vals[0]) > 0
	case OpGe:
		return !need(1) || !noNaN || cmp(st.Max, p.Vals[0]) >= 0
	case OpBetween:
		return !need(2) || (cmp(st.Max, p.Vals[0]) >= 0 && cmp(st.Min, p.Vals[1]) <= 0)
	case OpIn:
		for _, v := range p.Vals {
			if !v.Null && inRange(v) {
				return true
			}
		}
		return false
	}
	return true
}
