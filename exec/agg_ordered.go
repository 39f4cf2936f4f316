package exec

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// AggOrderKey is one ORDER BY key of an ordered aggregate: an input column.
type AggOrderKey struct {
	Col        int
	Desc       bool
	NullsFirst bool
}

// wrapped reports whether the aggregate needs orderedAcc around its own
// accumulator: an ORDER BY inside the call, or a FILTER the binder could
// not fold into the argument (list keeps NULLs, first takes them).
func (s AggSpec) wrapped() bool { return len(s.Order) > 0 || s.Filtered }

// orderedAcc runs an aggregate over the rows its FILTER keeps, in the
// order of its ORDER BY. The argument arrives as a STRUCT of the base
// argument(s), the keys and the filter column (AggSpec.argCols).
//
// With only a FILTER (and no DISTINCT) it passes the kept rows straight
// to the inner accumulator: its state is the inner one. Otherwise it
// keeps each group's rows (argument and keys) in columns, merges by
// appending, spills each group's rows as one VARCHAR (an encoded block),
// and at finalize sorts each group's rows and feeds them, in order, to a
// fresh inner accumulator: so workers' partial states combine, and spill,
// without losing the order.
type orderedAcc struct {
	inner    accumulator
	newInner func() accumulator // a fresh one for each finalize
	base     int                // base argument columns (1, or 2 for arg_min and the like)
	types    []coldata.Type
	order    []AggOrderKey
	filtered bool
	direct   bool // FILTER only: update the inner accumulator directly
	distinct bool

	buf  []*coldata.Vec         // kept rows: base arguments then keys
	cmps []func(i, j int32) int // per buf column, valueCmp
	rows [][]int32              // per group, its rows in buf
	size int64

	gids    []int32
	sel     []int32
	scratch []*coldata.Vec
	arg     *coldata.Vec
}

func newOrderedAcc(s AggSpec, in coldata.Type) (accumulator, error) {
	if in.ID != coldata.Struct {
		return nil, fmt.Errorf("Internal Error: ordered aggregate %s of %s", s.Name, in)
	}
	types := in.ChildTypes()
	a := &orderedAcc{base: 1, order: s.Order, filtered: s.Filtered, distinct: s.Distinct}
	if s.twoArgs() {
		a.base = 2
	}
	a.types = types[:len(types)-boolInt(s.Filtered)]
	innerSpec := s
	innerSpec.Order, innerSpec.Filtered = nil, false
	if s.Name == "last" && len(s.Order) > 0 {
		// DuckDB's ordered last is the first of the reversed order, ties
		// still in arrival order: the row it picks among equal keys.
		innerSpec.Name = "first"
		a.order = make([]AggOrderKey, len(s.Order))
		for i, o := range s.Order {
			a.order[i] = AggOrderKey{Col: o.Col, Desc: !o.Desc, NullsFirst: !o.NullsFirst}
		}
	}
	innerIn := types[0]
	if a.base == 2 {
		innerIn = coldata.StructType([]coldata.Field{{Name: "a", Type: types[0]}, {Name: "b", Type: types[1]}})
	}
	a.direct = len(s.Order) == 0 && (!s.Distinct || !innerSpec.distinctSet())
	if !a.direct {
		innerSpec.Distinct = false // deduplicated here, after the sort
	}
	inner, err := newAccumulator(innerSpec, innerIn)
	if err != nil {
		return nil, err
	}
	a.inner = inner
	a.newInner = func() accumulator {
		acc, _ := newAccumulator(innerSpec, innerIn) // made once above
		return acc
	}
	a.arg = &coldata.Vec{Type: innerIn}
	for _, t := range a.types[:a.base] {
		a.scratch = append(a.scratch, coldata.NewVec(t, 0))
	}
	if !a.direct {
		for _, t := range a.types {
			v := coldata.NewVec(t, 0)
			a.buf = append(a.buf, v)
			a.cmps = append(a.cmps, valueCmp(v))
		}
	}
	return a, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (a *orderedAcc) resize(g int) {
	if a.direct {
		a.inner.resize(g)
		return
	}
	a.rows = growZero(a.rows, g)
}

func (a *orderedAcc) reset() {
	if a.direct {
		a.inner.reset()
		return
	}
	a.rows = emptied(a.rows)
	for _, v := range a.buf {
		v.Resize(0)
		v.Nulls = nil
	}
	a.size = 0
}

// kept lists the rows the FILTER keeps (all n without one; a NULL
// predicate drops the row).
func (a *orderedAcc) kept(arg *coldata.Vec, n int) []int32 {
	a.sel = a.sel[:0]
	if !a.filtered {
		for k := range n {
			a.sel = append(a.sel, int32(k))
		}
		return a.sel
	}
	f := arg.Child[len(arg.Child)-1]
	vals, nulls := f.B[:n], argNulls(f, n)
	for k, ok := range vals {
		if ok && (nulls == nil || !nulls[k]) {
			a.sel = append(a.sel, int32(k))
		}
	}
	return a.sel
}

// baseArg gathers the base argument columns of cols at sel into the
// vector the inner accumulator reads (scratch and arg: a.scratch and a.arg
// in update, fresh ones in finalize, which runs concurrently on disjoint
// group ranges).
func (a *orderedAcc) baseArg(cols []*coldata.Vec, sel []int32) *coldata.Vec {
	return gatherBase(a.scratch, a.arg, cols, sel)
}

func gatherBase(scratch []*coldata.Vec, arg *coldata.Vec, cols []*coldata.Vec, sel []int32) *coldata.Vec {
	n := len(sel)
	for c, v := range scratch {
		v.Resize(n)
		v.Nulls = nil
		if cols[c].Nulls != nil {
			v.EnsureNulls()
		}
		v.CopyFrom(cols[c], sel, n, 0)
	}
	if len(scratch) == 1 {
		return scratch[0]
	}
	arg.Child = append(arg.Child[:0], scratch...)
	arg.SLen = n
	return arg
}

func (a *orderedAcc) update(gids []int32, arg *coldata.Vec, n int) {
	sel := a.kept(arg, n)
	if len(sel) == 0 {
		return
	}
	if a.direct {
		a.gids = a.gids[:0]
		for _, k := range sel {
			a.gids = append(a.gids, gids[k])
		}
		a.inner.update(a.gids, a.baseArg(arg.Child, sel), len(sel))
		return
	}
	at := int32(a.buf[0].Len())
	for c, v := range a.buf {
		a.appendRows(v, arg.Child[c], sel)
	}
	for x, k := range sel {
		g := gids[k]
		a.rows[g] = append(a.rows[g], at+int32(x))
	}
	a.size += 4 * int64(len(sel))
}

// appendRows copies src's rows sel to the end of dst, counting the bytes.
func (a *orderedAcc) appendRows(dst, src *coldata.Vec, sel []int32) {
	if src.Nulls != nil {
		dst.EnsureNulls()
	}
	at := dst.Len()
	dst.AppendRows(src, sel, len(sel))
	if dst.Type.ID == coldata.String {
		for _, s := range dst.Str[at:] {
			a.size += int64(len(s)) + 16
		}
	} else {
		a.size += 16 * int64(len(sel))
	}
}

func (a *orderedAcc) merge(src accumulator, rows, gmap []int32) {
	o := src.(*orderedAcc)
	if a.direct {
		a.inner.merge(o.inner, rows, gmap)
		return
	}
	for x, g := range gmap {
		sr := o.rows[srcRow(rows, x)]
		if len(sr) == 0 {
			continue
		}
		at := int32(a.buf[0].Len())
		for c, v := range a.buf {
			a.appendRows(v, o.buf[c], sr)
		}
		for k := range sr {
			a.rows[g] = append(a.rows[g], at+int32(k))
		}
		a.size += 4 * int64(len(sr))
	}
}

// compare orders two kept rows by the ORDER BY keys (NULLs where the key
// puts them); the stable sort keeps ties in arrival order.
func (a *orderedAcc) compare(i, j int32) int {
	for k, o := range a.order {
		v := a.buf[a.base+k]
		cmpVals := a.cmps[a.base+k]
		ni, nj := v.IsNull(int(i)), v.IsNull(int(j))
		c := 0
		switch {
		case ni && nj:
		case ni || nj:
			c = 1
			if ni == o.NullsFirst {
				c = -1
			}
			return c
		default:
			c = cmpVals(i, j)
			if o.Desc {
				c = -c
			}
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// sameArg reports whether two kept rows have equal base arguments (NULLs
// equal), for DISTINCT.
func (a *orderedAcc) sameArg(i, j int32) bool {
	for _, v := range a.buf[:a.base] {
		ni, nj := v.IsNull(int(i)), v.IsNull(int(j))
		if ni != nj || !ni && valueCmp(v)(i, j) != 0 {
			return false
		}
	}
	return true
}

func (a *orderedAcc) finalize(out *coldata.Vec, from, to int) error {
	if a.direct {
		return a.inner.finalize(out, from, to)
	}
	inner := a.newInner()
	inner.resize(to - from)
	var gids, sel []int32
	for g := from; g < to; g++ {
		rows := a.rows[g]
		slices.SortStableFunc(rows, a.compare)
		if a.distinct {
			// DuckDB requires a DISTINCT aggregate's keys among its
			// arguments, so equal arguments sort next to each other;
			// without keys, sort by the argument itself.
			if len(a.order) == 0 {
				slices.SortStableFunc(rows, func(i, j int32) int { return a.compareArg(i, j) })
			}
			rows = slices.CompactFunc(rows, a.sameArg)
		}
		for _, r := range rows {
			sel = append(sel, r)
			gids = append(gids, int32(g-from))
		}
	}
	if n := len(sel); n > 0 {
		scratch := make([]*coldata.Vec, a.base)
		for c := range scratch {
			scratch[c] = coldata.NewVec(a.types[c], 0)
		}
		inner.update(gids, gatherBase(scratch, &coldata.Vec{Type: a.arg.Type}, a.buf, sel), n)
	}
	return inner.finalize(out, 0, to-from)
}

func (a *orderedAcc) compareArg(i, j int32) int {
	v := a.buf[0]
	ni, nj := v.IsNull(int(i)), v.IsNull(int(j))
	switch {
	case ni && nj:
		return 0
	case ni:
		return 1
	case nj:
		return -1
	}
	return a.cmps[0](i, j)
}

// valueCmp compares two values of v (not NULL) on its typed slice, as
// coldata.Compare does, without a Datum per comparison.
func valueCmp(v *coldata.Vec) func(i, j int32) int {
	switch v.Type.ID {
	case coldata.Int32, coldata.Date:
		return func(i, j int32) int { return cmp.Compare(v.I32[i], v.I32[j]) }
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		return func(i, j int32) int { return cmp.Compare(v.I64[i], v.I64[j]) }
	case coldata.Float64:
		return func(i, j int32) int {
			switch x, y := v.F64[i], v.F64[j]; {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	case coldata.String:
		return func(i, j int32) int { return strings.Compare(v.Str[i], v.Str[j]) }
	}
	return func(i, j int32) int { return coldata.Compare(v.Type, v.Get(int(i)), v.Get(int(j))) }
}

func (a *orderedAcc) bytes() int64 {
	if a.direct {
		return a.inner.bytes()
	}
	return 24*int64(cap(a.rows)) + a.size
}

// The state of a buffered aggregate is one VARCHAR per group: its rows
// as a spill block (spill.go's encoding).
func (a *orderedAcc) stateTypes(out coldata.Type) []coldata.Type {
	if a.direct {
		return a.inner.stateTypes(out)
	}
	return []coldata.Type{coldata.TypeString}
}

func (a *orderedAcc) store(dst []*coldata.Vec, rows []int32) {
	if a.direct {
		a.inner.store(dst, rows)
		return
	}
	var buf []byte
	for k, r := range rows {
		buf = encodeBlock(buf[:0], a.buf, a.rows[r], len(a.rows[r]))
		dst[0].Str[k] = string(buf)
	}
}

func (a *orderedAcc) load(src []*coldata.Vec, n int) {
	if a.direct {
		a.inner.load(src, n)
		return
	}
	a.reset()
	a.rows = growZero(a.rows, n)
	for k, s := range src[0].Str[:n] {
		b := coldata.NewBatch(a.types, 0)
		if err := decodeBlock([]byte(s), b); err != nil {
			// A state this process wrote and read back through a checked
			// spill file: malformed means a bug, which the workers' runner
			// turns into the query's error rather than a wrong answer.
			panic(fmt.Errorf("internal error: an ordered aggregate's spilled state does not decode: %w", err))
		}
		m := b.Len()
		sel := make([]int32, m)
		for x := range sel {
			sel[x] = int32(x)
		}
		at := int32(a.buf[0].Len())
		for c, v := range a.buf {
			a.appendRows(v, b.Vecs[c], sel)
		}
		for x := range m {
			a.rows[k] = append(a.rows[k], at+int32(x))
		}
	}
}
