package exec

import (
	"fmt"
	"unsafe"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// newNamedAccumulator resolves an AggNamed aggregate. The binder has cast
// the argument to the type each accumulator reads (DOUBLE for the
// statistics, BOOLEAN for bool_and/bool_or and count_if) and set Out to
// DuckDB's result type; what it did not prepare is an internal error.
func newNamedAccumulator(s AggSpec, in coldata.Type) (accumulator, error) {
	bad := func() (accumulator, error) {
		return nil, fmt.Errorf("Internal Error: hash aggregate: %s of %s returning %s is not supported", s.Name, in, s.Out)
	}
	switch s.Name {
	case "bool_and", "bool_or":
		if in.ID != coldata.Bool || s.Out.ID != coldata.Bool {
			return bad()
		}
		// false < true: bool_and is the minimum, bool_or the maximum.
		return &minMaxAcc[uint8]{max: s.Name == "bool_or", get: boolBytes}, nil
	case "count_if":
		if in.ID != coldata.Bool && in.ID != coldata.Unknown {
			return bad()
		}
		return &countIfAcc{}, nil
	case "bit_and", "bit_or", "bit_xor":
		if s.Out != in || in.ID != coldata.Int32 && in.ID != coldata.Int64 {
			return bad()
		}
		return &bitAcc{op: s.Name}, nil
	case "fsum", "favg":
		if in.ID != coldata.Float64 || s.Out.ID != coldata.Float64 {
			return bad()
		}
		return &kahanAcc{avg: s.Name == "favg"}, nil
	case "product":
		if in.ID != coldata.Float64 || s.Out.ID != coldata.Float64 {
			return bad()
		}
		return &productAcc{}, nil
	case "first", "last", "any_value":
		if s.Out != in && in.ID != coldata.Unknown {
			return bad()
		}
		return newFirstAcc(s.Name, s.Out)
	case "approx_count_distinct":
		return newHLLAcc(in)
	}
	if twoArgAggs[s.Name] {
		return newPairAccumulator(s, in)
	}
	if statAggs[s.Name] {
		if in.ID != coldata.Float64 && in.ID != coldata.Unknown || s.Out.ID != coldata.Float64 {
			return bad()
		}
		return &momentsAcc{fn: s.Name}, nil
	}
	if holisticAggs[s.Name] {
		return newHolisticAcc(s, in)
	}
	return bad()
}

// distinctSet reports whether the aggregate keeps a set of (group, value)
// pairs, folded once all are in, rather than a running state: DISTINCT
// where it changes the result.
func (s AggSpec) distinctSet() bool {
	switch s.Func {
	case AggCount, AggSum, AggAvg:
		return s.Distinct
	case AggNamed:
		// An ordered or filtered aggregate deduplicates its own rows.
		return s.Distinct && namedDistinct(s.Name) && !s.wrapped()
	}
	return false
}

// namedDistinct reports whether DISTINCT changes a named aggregate's
// result (the executor then folds each group's distinct values only).
func namedDistinct(name string) bool {
	switch name {
	case "bool_and", "bool_or", "bit_and", "bit_or", "first", "last", "any_value", "approx_count_distinct":
		return false
	}
	return true
}

// countIfAcc counts the true values (count_if), NULL for a group
// without a non-NULL value (DuckDB sums the booleans).
type countIfAcc struct{ st []sum128 }

func (a *countIfAcc) resize(g int) { a.st = growZero(a.st, g) }
func (a *countIfAcc) reset()       { a.st = emptied(a.st) }

func (a *countIfAcc) update(gids []int32, arg *coldata.Vec, n int) {
	if arg.Type.ID != coldata.Bool {
		return
	}
	st, vals, nulls := a.st, arg.B[:n], argNulls(arg, n)
	for k, g := range gids[:n] {
		if nulls != nil && nulls[k] {
			continue
		}
		st[g].cnt++
		if vals[k] {
			st[g].lo++
		}
	}
}

func (a *countIfAcc) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*countIfAcc).st
	for x, g := range gmap {
		s := ss[srcRow(rows, x)]
		a.st[g].lo += s.lo
		a.st[g].cnt += s.cnt
	}
}

// finalize writes DuckDB's HUGEINT count.
func (a *countIfAcc) finalize(out *coldata.Vec, from, to int) error {
	for i, s := range a.st[from:to] {
		if s.cnt == 0 {
			out.SetNull(i)
			continue
		}
		out.I128[i] = coldata.Int128{Lo: s.lo}
	}
	return nil
}

func (a *countIfAcc) bytes() int64 { return 24 * int64(cap(a.st)) }

// The state is the count of true values and of non-NULL ones.
func (a *countIfAcc) stateTypes(coldata.Type) []coldata.Type {
	return []coldata.Type{coldata.TypeInt64, coldata.TypeInt64}
}

func (a *countIfAcc) store(dst []*coldata.Vec, rows []int32) {
	for k, r := range rows {
		dst[0].I64[k], dst[1].I64[k] = int64(a.st[r].lo), a.st[r].cnt
	}
}

func (a *countIfAcc) load(src []*coldata.Vec, n int) {
	a.st = coldata.Grow(a.st[:0], n)
	for k := range a.st {
		a.st[k] = sum128{lo: uint64(src[0].I64[k]), cnt: src[1].I64[k]}
	}
}

// bitAcc is bit_and, bit_or or bit_xor of INTEGER or BIGINT values (kept
// as int64; the result has the argument's type, so it fits).
type bitAcc struct {
	op string
	st []minMaxState[int64]
}

func (a *bitAcc) resize(g int) { a.st = growZero(a.st, g) }
func (a *bitAcc) reset()       { a.st = emptied(a.st) }

func (a *bitAcc) update(gids []int32, arg *coldata.Vec, n int) {
	nulls := argNulls(arg, n)
	if arg.Type.ID == coldata.Int32 {
		foldBits(a.op, a.st, gids[:n], arg.I32[:n], nulls)
	} else {
		foldBits(a.op, a.st, gids[:n], arg.I64[:n], nulls)
	}
}

func foldBits[T int32 | int64](op string, st []minMaxState[int64], gids []int32, vals []T, nulls []bool) {
	vals = vals[:len(gids)]
	for k, g := range gids {
		if nulls != nil && nulls[k] {
			continue
		}
		st[g] = bitCombine(op, st[g], int64(vals[k]))
	}
}

func bitCombine(op string, s minMaxState[int64], v int64) minMaxState[int64] {
	switch {
	case !s.seen:
		return minMaxState[int64]{v: v, seen: true}
	case op == "bit_and":
		s.v &= v
	case op == "bit_or":
		s.v |= v
	default:
		s.v ^= v
	}
	return s
}

func (a *bitAcc) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*bitAcc).st
	for x, g := range gmap {
		if s := ss[srcRow(rows, x)]; s.seen {
			a.st[g] = bitCombine(a.op, a.st[g], s.v)
		}
	}
}

func (a *bitAcc) finalize(out *coldata.Vec, from, to int) error {
	for i, s := range a.st[from:to] {
		switch {
		case !s.seen:
			out.SetNull(i)
		case out.Type.ID == coldata.Int32:
			out.I32[i] = int32(s.v)
		default:
			out.I64[i] = s.v
		}
	}
	return nil
}

func (a *bitAcc) bytes() int64 { return 16 * int64(cap(a.st)) }

// The state is the value so far, NULL before the first.
func (a *bitAcc) stateTypes(coldata.Type) []coldata.Type { return []coldata.Type{coldata.TypeInt64} }

func (a *bitAcc) store(dst []*coldata.Vec, rows []int32) {
	for k, r := range rows {
		s := a.st[r]
		dst[0].I64[k] = s.v
		if !s.seen {
			dst[0].SetNull(k)
		}
	}
}

func (a *bitAcc) load(src []*coldata.Vec, n int) {
	a.st = coldata.Grow(a.st[:0], n)
	vals, nulls := src[0].I64[:n], argNulls(src[0], n)
	for k := range a.st {
		a.st[k] = minMaxState[int64]{v: vals[k], seen: nulls == nil || !nulls[k]}
	}
}

// productAcc multiplies DOUBLE values (DuckDB's product is a DOUBLE).
type productAcc struct{ st []minMaxState[float64] }

func (a *productAcc) resize(g int) { a.st = growZero(a.st, g) }
func (a *productAcc) reset()       { a.st = emptied(a.st) }

func (a *productAcc) update(gids []int32, arg *coldata.Vec, n int) {
	if arg.Type.ID != coldata.Float64 {
		return
	}
	vals, nulls := arg.F64[:n], argNulls(arg, n)
	for k, g := range gids[:n] {
		if nulls != nil && nulls[k] {
			continue
		}
		a.st[g] = mulState(a.st[g], vals[k])
	}
}

func mulState(s minMaxState[float64], v float64) minMaxState[float64] {
	if !s.seen {
		return minMaxState[float64]{v: v, seen: true}
	}
	s.v *= v
	return s
}

func (a *productAcc) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*productAcc).st
	for x, g := range gmap {
		if s := ss[srcRow(rows, x)]; s.seen {
			a.st[g] = mulState(a.st[g], s.v)
		}
	}
}

func (a *productAcc) finalize(out *coldata.Vec, from, to int) error {
	for i, s := range a.st[from:to] {
		if !s.seen {
			out.SetNull(i)
			continue
		}
		out.F64[i] = s.v
	}
	return nil
}

func (a *productAcc) bytes() int64 { return 16 * int64(cap(a.st)) }
func (a *productAcc) stateTypes(coldata.Type) []coldata.Type {
	return []coldata.Type{coldata.TypeFloat64}
}

func (a *productAcc) store(dst []*coldata.Vec, rows []int32) {
	for k, r := range rows {
		s := a.st[r]
		dst[0].F64[k] = s.v
		if !s.seen {
			dst[0].SetNull(k)
		}
	}
}

func (a *productAcc) load(src []*coldata.Vec, n int) {
	a.st = coldata.Grow(a.st[:0], n)
	vals, nulls := src[0].F64[:n], argNulls(src[0], n)
	for k := range a.st {
		a.st[k] = minMaxState[float64]{v: vals[k], seen: nulls == nil || !nulls[k]}
	}
}

// firstState is a first/last/any_value state: the value, whether a row
// was seen, and whether that row was NULL (first and last keep NULLs,
// any_value skips them).
type firstState[T any] struct {
	v    T
	seen bool
	null bool
}

// firstAcc is first, last or any_value over one physical type. Across
// workers "first" is the first the merge meets, as in DuckDB's parallel
// aggregation: without an order the choice is arbitrary.
type firstAcc[T any] struct {
	last, skipNulls bool
	get             func(*coldata.Vec) []T
	st              []firstState[T]
}

func newFirstAcc(name string, t coldata.Type) (accumulator, error) {
	last, skip := name == "last", name == "any_value"
	switch t.ID {
	case coldata.Unknown:
		return nullAcc{}, nil
	case coldata.Bool:
		return &firstAcc[bool]{last: last, skipNulls: skip, get: func(v *coldata.Vec) []bool { return v.B }}, nil
	case coldata.Int32, coldata.Date:
		return &firstAcc[int32]{last: last, skipNulls: skip, get: func(v *coldata.Vec) []int32 { return v.I32 }}, nil
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		return &firstAcc[int64]{last: last, skipNulls: skip, get: func(v *coldata.Vec) []int64 { return v.I64 }}, nil
	case coldata.Float64:
		return &firstAcc[float64]{last: last, skipNulls: skip, get: func(v *coldata.Vec) []float64 { return v.F64 }}, nil
	case coldata.String:
		return &firstAcc[string]{last: last, skipNulls: skip, get: func(v *coldata.Vec) []string { return v.Str }}, nil
	case coldata.Hugeint:
		return &firstAcc[coldata.Int128]{last: last, skipNulls: skip, get: func(v *coldata.Vec) []coldata.Int128 { return v.I128 }}, nil
	}
	return nil, fmt.Errorf("Not implemented Error: %s of %s", name, t)
}

func (a *firstAcc[T]) resize(g int) { a.st = growZero(a.st, g) }
func (a *firstAcc[T]) reset()       { a.st = emptied(a.st) }

func (a *firstAcc[T]) update(gids []int32, arg *coldata.Vec, n int) {
	vals, nulls := a.get(arg)[:n], argNulls(arg, n)
	for k, g := range gids[:n] {
		null := nulls != nil && nulls[k]
		s := &a.st[g]
		if null && a.skipNulls || s.seen && !a.last {
			continue
		}
		s.v, s.seen, s.null = vals[k], true, null
	}
}

func (a *firstAcc[T]) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*firstAcc[T]).st
	for x, g := range gmap {
		s := ss[srcRow(rows, x)]
		if s.seen && (a.last || !a.st[g].seen) {
			a.st[g] = s
		}
	}
}

func (a *firstAcc[T]) finalize(out *coldata.Vec, from, to int) error {
	dst := a.get(out)
	for i, s := range a.st[from:to] {
		if !s.seen || s.null {
			out.SetNull(i)
			continue
		}
		dst[i] = s.v
	}
	return nil
}

func (a *firstAcc[T]) bytes() int64 {
	var z firstState[T]
	return int64(unsafe.Sizeof(z)) * int64(cap(a.st))
}

// The state is the value (NULL when it was NULL or no row was seen) and
// whether a row was seen.
func (a *firstAcc[T]) stateTypes(out coldata.Type) []coldata.Type {
	return []coldata.Type{out, coldata.TypeBool}
}

func (a *firstAcc[T]) store(dst []*coldata.Vec, rows []int32) {
	vals := a.get(dst[0])
	for k, r := range rows {
		s := a.st[r]
		vals[k], dst[1].B[k] = s.v, s.seen
		if !s.seen || s.null {
			dst[0].SetNull(k)
		}
	}
}

func (a *firstAcc[T]) load(src []*coldata.Vec, n int) {
	a.st = coldata.Grow(a.st[:0], n)
	vals, nulls, seen := a.get(src[0])[:n], argNulls(src[0], n), src[1].B[:n]
	for k := range a.st {
		a.st[k] = firstState[T]{v: vals[k], seen: seen[k], null: nulls != nil && nulls[k]}
	}
}

// twoArgAggs take a second argument column (AggSpec.Arg2): the value
// arg_min/arg_max order by, covar's and regr's x.
var twoArgAggs = map[string]bool{
	"arg_min": true, "arg_max": true, "arg_min_null": true, "arg_max_null": true, "arg_min_nulls_last": true,
	"arg_max_nulls_last": true, "weighted_avg": true, "covar_pop": true, "covar_samp": true, "corr": true,
	"regr_slope": true, "regr_intercept": true, "regr_r2": true, "regr_avgx": true,
	"regr_avgy": true, "regr_sxx": true, "regr_syy": true, "regr_sxy": true,
}

func (s AggSpec) twoArgs() bool { return s.Func == AggNamed && twoArgAggs[s.Name] }

// argCols are the input columns the aggregate reads: the argument, a
// second one, then an ordered aggregate's keys and its FILTER column.
func (s AggSpec) argCols() []int {
	cols := []int{s.Arg}
	if s.twoArgs() {
		cols = append(cols, s.Arg2)
	}
	for _, o := range s.Order {
		cols = append(cols, o.Col)
	}
	if s.Filtered {
		cols = append(cols, s.Filter)
	}
	return cols
}

// argType is the type an accumulator is made for: the argument's, or for
// an aggregate of several columns a STRUCT of them (its update gets them
// as the children of one vector).
func (s AggSpec) argType(inTypes []coldata.Type) coldata.Type {
	cols := s.argCols()
	if len(cols) == 1 {
		return inTypes[s.Arg]
	}
	fields := make([]coldata.Field, len(cols))
	for i, c := range cols {
		fields[i] = coldata.Field{Name: string(rune('a' + i)), Type: inTypes[c]}
	}
	return coldata.StructType(fields)
}

// pack is aggregate i's dense argument columns as one STRUCT vector (no
// copy: the children are the columns).
func (p *aggPartial) pack(b *coldata.Batch, i int, arg *coldata.Vec, more []int) *coldata.Vec {
	for _, pos := range more {
		if p.dense[pos] == nil {
			denseCols(b, p.need[pos:pos+1], p.dense[pos:pos+1], p.scratch[pos:pos+1])
		}
	}
	if p.pairs == nil {
		p.pairs = make([]*coldata.Vec, len(p.accs))
	}
	v := p.pairs[i]
	if v == nil {
		fields := []coldata.Field{{Name: "a", Type: arg.Type}}
		for k, pos := range more {
			fields = append(fields, coldata.Field{Name: string(rune('b' + k)), Type: p.dense[pos].Type})
		}
		v = &coldata.Vec{Type: coldata.StructType(fields)}
		p.pairs[i] = v
	}
	v.Child = append(v.Child[:0], arg)
	for _, pos := range more {
		v.Child = append(v.Child, p.dense[pos])
	}
	v.SLen = b.Len()
	return v
}
