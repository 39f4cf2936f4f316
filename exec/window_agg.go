package exec

import (
	"errors"
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// Aggregates over window frames. COUNT reads prefix counts; SUM, AVG, MIN
// and MAX read a segment tree built once per partition (O(log n) per
// frame piece, whatever the frames); DISTINCT aggregates keep a multiset
// of the frame's values and move its ends from row to row, which is
// linear for the frames SQL can express with constant offsets (their ends
// only move forward).

// segTree answers op over any range of its leaves; op must be associative
// and commutative with identity id.
type segTree[T any] struct {
	t  []T
	n  int
	op func(a, b T) T
	id T
}

func newSegTree[T any](leaves []T, op func(a, b T) T, id T) *segTree[T] {
	n := len(leaves)
	s := &segTree[T]{t: make([]T, 2*n), n: n, op: op, id: id}
	copy(s.t[n:], leaves)
	for i := n - 1; i >= 1; i-- {
		s.t[i] = op(s.t[2*i], s.t[2*i+1])
	}
	return s
}

// query folds leaves [l, r) into acc.
func (s *segTree[T]) query(acc T, l, r int32) T {
	lo, hi := int(l)+s.n, int(r)+s.n
	for lo < hi {
		if lo&1 == 1 {
			acc = s.op(acc, s.t[lo])
			lo++
		}
		if hi&1 == 1 {
			hi--
			acc = s.op(acc, s.t[hi])
		}
		lo >>= 1
		hi >>= 1
	}
	return acc
}

// over folds the pieces of every row's frame.
func over[T any](e *winEval, ex planner.FrameExclude, s *segTree[T], fn func(i int, v T)) {
	var rs []int32
	for i := 0; i < e.n; i++ {
		rs = e.pieces(rs[:0], ex, int32(i), e.fs[i], e.fe[i])
		acc := s.id
		for p := 0; p < len(rs); p += 2 {
			acc = s.query(acc, rs[p], rs[p+1])
		}
		fn(i, acc)
	}
}

func (e *winEval) aggregate(c *planner.PhysWindowCall, out *coldata.Vec) error {
	if c.Agg == planner.AggNamed {
		return e.namedAggregate(c, out)
	}
	n := e.n
	ex := c.Frame.Exclude
	var val *coldata.Vec
	if len(c.Args) > 0 {
		val = e.cols[c.Args[0]]
	}
	// counts[i] is the number of non-NULL values in the frame of row i.
	counts := make([]int64, n)
	var rs []int32
	var before []int32
	if val != nil {
		_, before = nonNullIndex(val, n, nil, nil)
	}
	for i := 0; i < n; i++ {
		rs = e.pieces(rs[:0], ex, int32(i), e.fs[i], e.fe[i])
		for p := 0; p < len(rs); p += 2 {
			if before != nil {
				counts[i] += int64(before[rs[p+1]] - before[rs[p]])
			} else {
				counts[i] += int64(rs[p+1] - rs[p])
			}
		}
	}
	switch {
	case c.Agg == planner.AggCountStar || c.Agg == planner.AggCount && !c.Distinct:
		copy(out.I64, counts)
		return nil
	case c.Agg == planner.AggMin || c.Agg == planner.AggMax:
		e.minMax(c, val, out)
		return nil
	case c.Distinct:
		return e.distinctAgg(c, val, out)
	}
	return e.sumAvg(c, val, out, counts)
}

// sumAvg is SUM and AVG: HUGEINT sums of integers and decimals, float sums
// of doubles.
func (e *winEval) sumAvg(c *planner.PhysWindowCall, val, out *coldata.Vec, counts []int64) error {
	n := e.n
	ex := c.Frame.Exclude
	avg := c.Agg == planner.AggAvg
	if val.Type.ID == coldata.Float64 {
		leaves := make([]float64, n)
		for i := range leaves {
			if !val.IsNull(i) {
				leaves[i] = val.F64[i]
			}
		}
		s := newSegTree(leaves, func(a, b float64) float64 { return a + b }, 0)
		over(e, ex, s, func(i int, v float64) {
			switch {
			case counts[i] == 0:
				out.SetNull(i)
			case avg:
				out.F64[i] = v / float64(counts[i])
			default:
				out.F64[i] = v
			}
		})
		return nil
	}
	if prefix, ok := prefixSums(val, n); ok && windowPrefixSums {
		return e.sumPrefix(c, val, out, counts, prefix)
	}
	leaves := make([]coldata.Int128, n)
	for i := range leaves {
		if val.IsNull(i) {
			continue
		}
		switch val.Type.ID {
		case coldata.Int32:
			leaves[i] = coldata.Int128From(int64(val.I32[i]))
		case coldata.Int64, coldata.Decimal:
			leaves[i] = coldata.Int128From(val.I64[i])
		case coldata.Hugeint:
			leaves[i] = val.I128[i]
		default:
			return errors.New("window: cannot sum " + val.Type.String())
		}
	}
	s := newSegTree(leaves, func(a, b coldata.Int128) coldata.Int128 { r, _ := a.Add(b); return r }, coldata.Int128{})
	scale := math.Pow10(int(val.Type.Scale))
	var err error
	over(e, ex, s, func(i int, v coldata.Int128) {
		if counts[i] == 0 {
			out.SetNull(i)
		} else if perr := putSum(out, i, v, counts[i], avg, scale); perr != nil {
			err = perr
		}
	})
	return err
}

// putSum writes row i's sum of count values (scaled by scale, a decimal's
// 10^scale), or their average.
func putSum(out *coldata.Vec, i int, v coldata.Int128, count int64, avg bool, scale float64) error {
	switch {
	case avg:
		out.F64[i] = v.Float64() / float64(count) / scale
	case out.Type.ID == coldata.Hugeint:
		out.I128[i] = v
	default:
		if !v.IsInt64() {
			return errors.New("Out of Range Error: Overflow in SUM")
		}
		out.I64[i] = v.Int64()
	}
	return nil
}

// windowPrefixSums enables prefixSums (off in tests of the segment tree).
var windowPrefixSums = true

// prefixSums returns the running sums of an integer or decimal column
// (prefix[i]: rows before i), or false when one does not fit an int64.
func prefixSums(val *coldata.Vec, n int) ([]int64, bool) {
	var get func(i int) int64
	switch val.Type.ID {
	case coldata.Int32:
		get = func(i int) int64 { return int64(val.I32[i]) }
	case coldata.Int64, coldata.Decimal:
		get = func(i int) int64 { return val.I64[i] }
	default:
		return nil, false
	}
	prefix := make([]int64, n+1)
	var acc int64
	for i := 0; i < n; i++ {
		prefix[i] = acc
		if val.IsNull(i) {
			continue
		}
		x := get(i)
		next := acc + x
		if (x > 0 && next < acc) || (x < 0 && next > acc) {
			return nil, false
		}
		acc = next
	}
	prefix[n] = acc
	return prefix, true
}

// sumPrefix is SUM and AVG of integers and decimals from prefix sums: the
// sum of any range is a difference, exact in 128 bits.
func (e *winEval) sumPrefix(c *planner.PhysWindowCall, val, out *coldata.Vec, counts, prefix []int64) error {
	scale := math.Pow10(int(val.Type.Scale))
	avg := c.Agg == planner.AggAvg
	var rs []int32
	for i := 0; i < e.n; i++ {
		if counts[i] == 0 {
			out.SetNull(i)
			continue
		}
		rs = e.pieces(rs[:0], c.Frame.Exclude, int32(i), e.fs[i], e.fe[i])
		var v coldata.Int128
		for p := 0; p < len(rs); p += 2 {
			d, _ := coldata.Int128From(prefix[rs[p+1]]).Sub(coldata.Int128From(prefix[rs[p]]))
			v, _ = v.Add(d)
		}
		if err := putSum(out, i, v, counts[i], avg, scale); err != nil {
			return err
		}
	}
	return nil
}

// minMax keeps row numbers in the tree: the lesser (or greater) value's
// row wins, for any orderable type.
func (e *winEval) minMax(c *planner.PhysWindowCall, val, out *coldata.Vec) {
	n := e.n
	cmp := keyComparator(val, SortKey{})
	isMax := c.Agg == planner.AggMax
	leaves := make([]int32, n)
	for i := range leaves {
		leaves[i] = int32(i)
		if val.IsNull(i) {
			leaves[i] = -1
		}
	}
	s := newSegTree(leaves, func(a, b int32) int32 {
		switch {
		case a < 0:
			return b
		case b < 0:
			return a
		}
		if r := cmp(a, b); r < 0 != isMax {
			return a
		}
		return b
	}, -1)
	e.idx = resize32(e.idx, n)
	over(e, c.Frame.Exclude, s, func(i int, v int32) { e.idx[i] = v })
	gatherOrNull(out, val, e.idx)
}
