package exec

import (
	"cmp"
	"fmt"
	"math/big"
	"math/bits"
	"unsafe"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// AggFunc names an aggregate function.
type AggFunc uint8

// The aggregates the executor implements (build.go's aggFunc maps the
// planner's AggFunc onto them). AggCountStar counts rows and reads no
// column; AggCount counts non-NULL values; the others ignore NULLs and give
// NULL for a group with none.
const (
	AggCountStar AggFunc = iota
	AggCount
	AggSum
	AggAvg
	AggMin
	AggMax
	AggNamed // AggSpec.Name's accumulator (agg_named.go)
)

var aggNames = [...]string{"count_star", "count", "sum", "avg", "min", "max", "named"}

// String is the aggregate's lower-case name, for error messages and test
// output.
func (f AggFunc) String() string {
	if int(f) < len(aggNames) {
		return aggNames[f]
	}
	return fmt.Sprintf("agg(%d)", f)
}

// AggSpec is one aggregate of a HashAgg. Arg is the input column (-1 for
// COUNT(*)); Out is the result type set by the binder:
//
//	COUNT, COUNT(*)          → Int64
//	SUM(Int32|Int64)         → Int64 (128-bit accumulation, error if the result overflows)
//	SUM(Decimal(p,s))        → Decimal(38,s) (same, value must fit 64 bits)
//	SUM(Float64)             → Float64
//	AVG(numeric)             → Float64
//	MIN/MAX(T)               → T
type AggSpec struct {
	Func     AggFunc
	Arg      int
	Distinct bool
	Out      coldata.Type
	Name     string          // AggNamed's aggregate
	Params   []coldata.Datum // its constant arguments
	Arg2     int             // a two-argument aggregate's second column (twoArgAggs)
	Order    []AggOrderKey   // an ordered aggregate's ORDER BY (agg_ordered.go)
	Filter   int             // the FILTER (WHERE) column, when Filtered
	Filtered bool
}

// String prints the aggregate with the position of its input column, as in
// `sum(#2)` or `count(*)`, for test output and debugging.
func (s AggSpec) String() string {
	d := ""
	if s.Distinct {
		d = "DISTINCT "
	}
	if s.Func == AggCountStar {
		return "count(*)"
	}
	if s.Func == AggNamed {
		return fmt.Sprintf("%s(%s#%d)", s.Name, d, s.Arg)
	}
	return fmt.Sprintf("%s(%s#%d)", s.Func, d, s.Arg)
}

// accumulator holds one aggregate's state for every group of a table as
// typed slices indexed by group id: no per-group object or interface.
// Methods are called once per batch.
type accumulator interface {
	// resize makes room for ids < groups; new groups start empty.
	resize(groups int)
	// reset drops every group, keeping the storage for reuse.
	reset()
	// update folds the first n rows of arg (dense; nil for COUNT(*)) into
	// the groups gids[k].
	update(gids []int32, arg *coldata.Vec, n int)
	// merge folds src's group rows[x] (x when rows is nil) into this
	// accumulator's group gmap[x].
	merge(src accumulator, rows, gmap []int32)
	// finalize writes groups [from,to) into out, already sized to to-from.
	finalize(out *coldata.Vec, from, to int) error
	bytes() int64
	// Spilling: the state is a few typed columns (stateTypes, given the
	// aggregate's output type); store writes groups rows into them (sized
	// len(rows)), load replaces the state by n groups read back.
	stateTypes(out coldata.Type) []coldata.Type
	store(dst []*coldata.Vec, rows []int32)
	load(src []*coldata.Vec, n int)
}

// selUpdater is an accumulator that also folds rows through a selection:
// gids[k] is the group of row sel[k] of arg.
type selUpdater interface {
	updateSel(gids []int32, arg *coldata.Vec, sel []int32)
}

func newAccumulator(s AggSpec, in coldata.Type) (accumulator, error) {
	bad := func() (accumulator, error) {
		return nil, fmt.Errorf("Internal Error: hash aggregate: %s of %s returning %s is not supported", s.Func, in, s.Out)
	}
	if s.wrapped() {
		return newOrderedAcc(s, in)
	}
	switch s.Func {
	case AggNamed:
		return newNamedAccumulator(s, in)
	case AggCountStar, AggCount:
		if s.Out.ID != coldata.Int64 {
			return bad()
		}
		return &countAcc{star: s.Func == AggCountStar}, nil
	case AggSum, AggAvg:
		avg := s.Func == AggAvg
		switch in.ID {
		case coldata.Hugeint:
			if avg || s.Out.ID != coldata.Hugeint {
				return bad()
			}
			return &hugeAcc{fn: AggSum}, nil
		case coldata.Int32, coldata.Int64, coldata.Decimal, coldata.Unknown:
			// DuckDB sums integers into a HUGEINT; a BIGINT or DECIMAL
			// result is checked to fit when the sum is finished.
			if avg && s.Out.ID != coldata.Float64 || !avg && s.Out.ID != coldata.Int64 && s.Out.ID != coldata.Decimal && s.Out.ID != coldata.Hugeint {
				return bad()
			}
			// The sum is kept in the input's scale; a different output scale
			// would silently rescale every result.
			if !avg && s.Out.ID == coldata.Decimal && s.Out.Scale != in.Scale {
				return bad()
			}
			return &sum128Acc{avg: avg, scale: int(in.Scale)}, nil
		case coldata.Float64:
			if s.Out.ID != coldata.Float64 {
				return bad()
			}
			return &floatSumAcc{avg: avg}, nil
		}
		return bad()
	case AggMin, AggMax:
		if s.Out != in && in.ID != coldata.Unknown {
			return bad()
		}
		max := s.Func == AggMax
		switch s.Out.ID {
		case coldata.Unknown:
			return nullAcc{}, nil
		case coldata.Bool:
			// Booleans order false < true: MIN is bool_and, MAX bool_or.
			return &minMaxAcc[uint8]{max: max, get: boolBytes}, nil
		case coldata.Int32, coldata.Date:
			return &minMaxAcc[int32]{max: max, get: func(v *coldata.Vec) []int32 { return v.I32 }}, nil
		case coldata.Int64, coldata.Decimal, coldata.Timestamp:
			return &minMaxAcc[int64]{max: max, get: func(v *coldata.Vec) []int64 { return v.I64 }}, nil
		case coldata.Float64:
			return &minMaxAcc[float64]{max: max, get: func(v *coldata.Vec) []float64 { return v.F64 }}, nil
		case coldata.String:
			return &minMaxAcc[string]{max: max, get: func(v *coldata.Vec) []string { return v.Str }}, nil
		case coldata.Hugeint:
			return &hugeAcc{fn: s.Func}, nil
		}
		return bad()
	}
	return bad()
}

// emptied clears s (so it holds no references) and returns it empty, its
// capacity kept: growZero clears what it hands out again.
func emptied[T any](s []T) []T {
	clear(s)
	return s[:0]
}

func growZero[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	old := len(s)
	s = coldata.Grow(s, n)
	clear(s[old:])
	return s
}

// argNulls returns the null mask of arg's first n rows; all-true for NULL-typed
// arguments (callers skip those entirely).
func argNulls(arg *coldata.Vec, n int) []bool {
	if arg.Nulls == nil {
		return nil
	}
	return arg.Nulls[:n]
}

type countAcc struct {
	star bool
	c    []int64
}

func (a *countAcc) resize(g int) { a.c = growZero(a.c, g) }
func (a *countAcc) reset()       { a.c = emptied(a.c) }

func (a *countAcc) updateSel(gids []int32, arg *coldata.Vec, sel []int32) {
	c := a.c
	gids = gids[:len(sel)]
	switch {
	case a.star || arg.Nulls == nil && arg.Type.ID != coldata.Unknown:
		for _, g := range gids {
			c[g]++
		}
	case arg.Type.ID != coldata.Unknown:
		for k, g := range gids {
			if !arg.Nulls[sel[k]] {
				c[g]++
			}
		}
	}
}

func (a *countAcc) update(gids []int32, arg *coldata.Vec, n int) {
	c := a.c
	gids = gids[:n]
	if a.star || arg.Nulls == nil && arg.Type.ID != coldata.Unknown {
		for _, g := range gids {
			c[g]++
		}
		return
	}
	if arg.Type.ID == coldata.Unknown {
		return
	}
	nulls := arg.Nulls[:n]
	for k, g := range gids {
		if !nulls[k] {
			c[g]++
		}
	}
}

func (a *countAcc) merge(src accumulator, rows, gmap []int32) {
	sc := src.(*countAcc).c
	for x, g := range gmap {
		a.c[g] += sc[srcRow(rows, x)]
	}
}

func srcRow(rows []int32, x int) int {
	if rows == nil {
		return x
	}
	return int(rows[x])
}

func (a *countAcc) finalize(out *coldata.Vec, from, to int) error {
	copy(out.I64, a.c[from:to])
	return nil
}

func (a *countAcc) bytes() int64 { return 8 * int64(cap(a.c)) }

func (a *countAcc) stateTypes(coldata.Type) []coldata.Type {
	return []coldata.Type{coldata.TypeInt64}
}

func (a *countAcc) store(dst []*coldata.Vec, rows []int32) { coldata.Gather(dst[0].I64, a.c, rows) }

func (a *countAcc) load(src []*coldata.Vec, n int) {
	a.c = coldata.Grow(a.c[:0], n)
	copy(a.c, src[0].I64[:n])
}

// sum128 is a 128-bit two's-complement sum and a count of the values folded.
type sum128 struct {
	lo  uint64
	hi  int64
	cnt int64
}

func (s *sum128) add(lo uint64, hi int64) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, lo, 0)
	s.hi += hi + int64(c)
}

// sum128Acc serves SUM and AVG of integers and decimals: exact in 128 bits,
// so TPC-H Q1 sums cannot overflow at any scale factor.
type sum128Acc struct {
	avg   bool
	scale int
	st    []sum128
}

func (a *sum128Acc) resize(g int) { a.st = growZero(a.st, g) }
func (a *sum128Acc) reset()       { a.st = emptied(a.st) }

func (a *sum128Acc) updateSel(gids []int32, arg *coldata.Vec, sel []int32) {
	switch arg.Type.ID {
	case coldata.Int32:
		sumIntsSel(a.st, gids[:len(sel)], arg.I32, arg.Nulls, sel)
	case coldata.Int64, coldata.Decimal:
		sumIntsSel(a.st, gids[:len(sel)], arg.I64, arg.Nulls, sel)
	}
}

func sumIntsSel[T int32 | int64](st []sum128, gids []int32, vals []T, nulls []bool, sel []int32) {
	sel = sel[:len(gids)]
	for k, g := range gids {
		i := sel[k]
		if nulls != nil && nulls[i] {
			continue
		}
		v := int64(vals[i])
		s := &st[g]
		var c uint64
		s.lo, c = bits.Add64(s.lo, uint64(v), 0)
		s.hi += v>>63 + int64(c)
		s.cnt++
	}
}

func (a *sum128Acc) update(gids []int32, arg *coldata.Vec, n int) {
	switch arg.Type.ID {
	case coldata.Int32:
		sumInts(a.st, gids[:n], arg.I32[:n], argNulls(arg, n))
	case coldata.Int64, coldata.Decimal:
		sumInts(a.st, gids[:n], arg.I64[:n], argNulls(arg, n))
	}
}

func sumInts[T int32 | int64](st []sum128, gids []int32, vals []T, nulls []bool) {
	vals = vals[:len(gids)]
	if nulls == nil {
		for k, g := range gids {
			v := int64(vals[k])
			s := &st[g]
			var c uint64
			s.lo, c = bits.Add64(s.lo, uint64(v), 0)
			s.hi += v>>63 + int64(c)
			s.cnt++
		}
		return
	}
	nulls = nulls[:len(gids)]
	for k, g := range gids {
		if nulls[k] {
			continue
		}
		v := int64(vals[k])
		s := &st[g]
		var c uint64
		s.lo, c = bits.Add64(s.lo, uint64(v), 0)
		s.hi += v>>63 + int64(c)
		s.cnt++
	}
}

func (a *sum128Acc) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*sum128Acc).st
	for x, g := range gmap {
		s := ss[srcRow(rows, x)]
		d := &a.st[g]
		d.add(s.lo, s.hi)
		d.cnt += s.cnt
	}
}

// sharedFinalizer is a state SUM and AVG share: it finalizes as either.
type sharedFinalizer interface {
	finalizeAs(out *coldata.Vec, from, to int, avg bool) error
}

func (a *sum128Acc) finalize(out *coldata.Vec, from, to int) error {
	return a.finalizeAs(out, from, to, a.avg)
}

func (a *sum128Acc) finalizeAs(out *coldata.Vec, from, to int, avg bool) error {
	for i, s := range a.st[from:to] {
		if s.cnt == 0 {
			out.SetNull(i)
			continue
		}
		if avg {
			out.F64[i] = avgDecimal(s, a.scale)
			continue
		}
		if out.Type.ID == coldata.Hugeint {
			out.I128[i] = coldata.Int128{Lo: s.lo, Hi: s.hi}
			continue
		}
		if s.hi != int64(s.lo)>>63 {
			return fmt.Errorf("Out of Range Error: Overflow in SUM: the total %s does not fit in %s", coldata.Int128{Lo: s.lo, Hi: s.hi}, out.Type)
		}
		out.I64[i] = int64(s.lo)
	}
	return nil
}

func (a *sum128Acc) bytes() int64 { return 24 * int64(cap(a.st)) }

func (a *sum128Acc) stateTypes(coldata.Type) []coldata.Type {
	return []coldata.Type{coldata.TypeInt64, coldata.TypeInt64, coldata.TypeInt64}
}

func (a *sum128Acc) store(dst []*coldata.Vec, rows []int32) {
	lo, hi, cnt := dst[0].I64, dst[1].I64, dst[2].I64
	for k, r := range rows {
		s := a.st[r]
		lo[k], hi[k], cnt[k] = int64(s.lo), s.hi, s.cnt
	}
}

func (a *sum128Acc) load(src []*coldata.Vec, n int) {
	a.st = coldata.Grow(a.st[:0], n)
	lo, hi, cnt := src[0].I64[:n], src[1].I64[:n], src[2].I64[:n]
	for k := range a.st {
		a.st[k] = sum128{lo: uint64(lo[k]), hi: hi[k], cnt: cnt[k]}
	}
}

// avgDecimal returns sum / (cnt * 10^scale) rounded once to the nearest
// double, the exact quotient DuckDB's long-double division approximates.
func avgDecimal(s sum128, scale int) float64 {
	const exact = 1 << 53
	v := int64(s.lo)
	if s.hi == v>>63 && v > -exact && v < exact && s.cnt < exact/coldata.Pow10[scale] {
		// Both operands are exact doubles, so IEEE division rounds once.
		return float64(v) / float64(s.cnt*coldata.Pow10[scale])
	}
	num := new(big.Int).SetInt64(s.hi)
	num.Lsh(num, 64)
	num.Add(num, new(big.Int).SetUint64(s.lo))
	den := new(big.Int).Mul(big.NewInt(s.cnt), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	q := new(big.Float).SetPrec(53).Quo(new(big.Float).SetInt(num), new(big.Float).SetInt(den))
	f, _ := q.Float64()
	return f
}

type fsum struct {
	s   float64
	cnt int64
}

type floatSumAcc struct {
	avg bool
	st  []fsum
}

func (a *floatSumAcc) resize(g int) { a.st = growZero(a.st, g) }
func (a *floatSumAcc) reset()       { a.st = emptied(a.st) }

func (a *floatSumAcc) updateSel(gids []int32, arg *coldata.Vec, sel []int32) {
	if arg.Type.ID != coldata.Float64 {
		return
	}
	st, vals, nulls := a.st, arg.F64, arg.Nulls
	for k, g := range gids[:len(sel)] {
		i := sel[k]
		if nulls != nil && nulls[i] {
			continue
		}
		st[g].s += vals[i]
		st[g].cnt++
	}
}

func (a *floatSumAcc) update(gids []int32, arg *coldata.Vec, n int) {
	if arg.Type.ID != coldata.Float64 {
		return
	}
	st, vals, nulls := a.st, arg.F64[:n], argNulls(arg, n)
	gids = gids[:n]
	for k, g := range gids {
		if nulls != nil && nulls[k] {
			continue
		}
		st[g].s += vals[k]
		st[g].cnt++
	}
}

func (a *floatSumAcc) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*floatSumAcc).st
	for x, g := range gmap {
		s := ss[srcRow(rows, x)]
		d := &a.st[g]
		d.s += s.s
		d.cnt += s.cnt
	}
}

func (a *floatSumAcc) finalize(out *coldata.Vec, from, to int) error {
	return a.finalizeAs(out, from, to, a.avg)
}

func (a *floatSumAcc) finalizeAs(out *coldata.Vec, from, to int, avg bool) error {
	for i, s := range a.st[from:to] {
		switch {
		case s.cnt == 0:
			out.SetNull(i)
		case avg:
			out.F64[i] = s.s / float64(s.cnt)
		default:
			out.F64[i] = s.s
		}
	}
	return nil
}

func (a *floatSumAcc) bytes() int64 { return 16 * int64(cap(a.st)) }

func (a *floatSumAcc) stateTypes(coldata.Type) []coldata.Type {
	return []coldata.Type{coldata.TypeFloat64, coldata.TypeInt64}
}

func (a *floatSumAcc) store(dst []*coldata.Vec, rows []int32) {
	sum, cnt := dst[0].F64, dst[1].I64
	for k, r := range rows {
		sum[k], cnt[k] = a.st[r].s, a.st[r].cnt
	}
}

func (a *floatSumAcc) load(src []*coldata.Vec, n int) {
	a.st = coldata.Grow(a.st[:0], n)
	sum, cnt := src[0].F64[:n], src[1].I64[:n]
	for k := range a.st {
		a.st[k] = fsum{s: sum[k], cnt: cnt[k]}
	}
}

type minMaxState[T cmp.Ordered] struct {
	v    T
	seen bool
}

// minMaxAcc is MIN or MAX over one physical type; get picks the typed slice
// out of a vector once per batch.
type minMaxAcc[T cmp.Ordered] struct {
	max bool
	get func(*coldata.Vec) []T
	st  []minMaxState[T]
}

func (a *minMaxAcc[T]) resize(g int) { a.st = growZero(a.st, g) }
func (a *minMaxAcc[T]) reset()       { a.st = emptied(a.st) }

func (a *minMaxAcc[T]) update(gids []int32, arg *coldata.Vec, n int) {
	if arg.Type.ID == coldata.Unknown {
		return
	}
	vals := a.get(arg)[:n]
	nulls := argNulls(arg, n)
	if a.max {
		foldMax(a.st, gids[:n], vals, nulls)
	} else {
		foldMin(a.st, gids[:n], vals, nulls)
	}
}

func foldMin[T cmp.Ordered](st []minMaxState[T], gids []int32, vals []T, nulls []bool) {
	vals = vals[:len(gids)]
	for k, g := range gids {
		if nulls != nil && nulls[k] {
			continue
		}
		s := &st[g]
		if v := vals[k]; !s.seen || v < s.v {
			s.v, s.seen = v, true
		}
	}
}

func foldMax[T cmp.Ordered](st []minMaxState[T], gids []int32, vals []T, nulls []bool) {
	vals = vals[:len(gids)]
	for k, g := range gids {
		if nulls != nil && nulls[k] {
			continue
		}
		s := &st[g]
		if v := vals[k]; !s.seen || v > s.v {
			s.v, s.seen = v, true
		}
	}
}

func (a *minMaxAcc[T]) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*minMaxAcc[T]).st
	for x, g := range gmap {
		s := ss[srcRow(rows, x)]
		if !s.seen {
			continue
		}
		d := &a.st[g]
		if !d.seen || (a.max && s.v > d.v) || (!a.max && s.v < d.v) {
			*d = s
		}
	}
}

func (a *minMaxAcc[T]) finalize(out *coldata.Vec, from, to int) error {
	dst := a.get(out)
	for i, s := range a.st[from:to] {
		if !s.seen {
			out.SetNull(i)
			continue
		}
		dst[i] = s.v
	}
	return nil
}

func (a *minMaxAcc[T]) bytes() int64 {
	var z minMaxState[T]
	return int64(unsafe.Sizeof(z)) * int64(cap(a.st))
}

// The state is the value, NULL while no value was seen.
func (a *minMaxAcc[T]) stateTypes(out coldata.Type) []coldata.Type { return []coldata.Type{out} }

func (a *minMaxAcc[T]) store(dst []*coldata.Vec, rows []int32) {
	vals := a.get(dst[0])
	for k, r := range rows {
		s := a.st[r]
		vals[k] = s.v
		if !s.seen {
			dst[0].SetNull(k)
		}
	}
}

func (a *minMaxAcc[T]) load(src []*coldata.Vec, n int) {
	a.st = coldata.Grow(a.st[:0], n)
	vals, nulls := a.get(src[0])[:n], argNulls(src[0], n)
	for k := range a.st {
		a.st[k] = minMaxState[T]{v: vals[k], seen: nulls == nil || !nulls[k]}
	}
}

// nullAcc is MIN/MAX of a NULL-typed argument: always NULL.
type nullAcc struct{}

func (nullAcc) resize(int)                             {}
func (nullAcc) reset()                                 {}
func (nullAcc) update([]int32, *coldata.Vec, int)      {}
func (nullAcc) merge(accumulator, []int32, []int32)    {}
func (nullAcc) bytes() int64                           { return 0 }
func (nullAcc) stateTypes(coldata.Type) []coldata.Type { return nil }
func (nullAcc) store([]*coldata.Vec, []int32)          {}
func (nullAcc) load([]*coldata.Vec, int)               {}
func (nullAcc) finalize(out *coldata.Vec, from, to int) error {
	nl := out.EnsureNulls()
	for i := range to - from {
		nl[i] = true
	}
	return nil
}

// boolBytes views a Bool vector's values as bytes (false=0 < true=1) so that
// MIN/MAX share the ordered kernels. Go stores bool as one byte 0 or 1, and
// the kernels only copy values, so the bytes written back are valid bools.
func boolBytes(v *coldata.Vec) []uint8 {
	return unsafe.Slice((*uint8)(unsafe.Pointer(unsafe.SliceData(v.B))), len(v.B))
}
