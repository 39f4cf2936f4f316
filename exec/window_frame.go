package exec

import (
	"cmp"
	"errors"
	"sort"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// frames computes each row's frame [fs, fe) of the partition.
func (e *winEval) frames(f *planner.PhysWinFrame) error {
	n := e.n
	e.fs, e.fe = resize32(e.fs, n), resize32(e.fe, n)
	if f.Mode != planner.FrameRows || f.Exclude == planner.ExcludeGroup || f.Exclude == planner.ExcludeTies {
		e.peers()
	}
	if err := e.bound(f, &f.Start, e.fs, false); err != nil {
		return err
	}
	return e.bound(f, &f.End, e.fe, true)
}

// bound fills out with one end of every row's frame (end: exclusive).
func (e *winEval) bound(f *planner.PhysWinFrame, b *planner.PhysWinBound, out []int32, end bool) error {
	n := int64(e.n)
	var off []int64
	var offv *coldata.Vec
	if b.Value >= 0 && f.Mode != planner.FrameRange {
		offv = e.cols[b.Value]
		off = offv.I64
	}
	offAt := func(i int) int64 {
		if offv.IsNull(i) {
			return 0
		}
		return off[i]
	}
	clamp := func(x int64) int32 { return int32(min(max(x, 0), n)) }
	plus := int64(0)
	if end {
		plus = 1
	}
	switch b.Kind {
	case planner.BoundUnboundedPreceding:
		clear(out)
		return nil
	case planner.BoundUnboundedFollowing:
		for i := range out {
			out[i] = int32(n)
		}
		return nil
	}
	switch f.Mode {
	case planner.FrameRows:
		for i := range out {
			switch b.Kind {
			case planner.BoundPreceding:
				out[i] = clamp(int64(i) - offAt(i) + plus)
			case planner.BoundCurrentRow:
				out[i] = clamp(int64(i) + plus)
			case planner.BoundFollowing:
				out[i] = clamp(int64(i) + offAt(i) + plus)
			}
		}
	case planner.FrameGroups:
		ng := int64(len(e.groupStart) - 1)
		for i := range out {
			g := int64(e.groupOf[i])
			switch b.Kind {
			case planner.BoundPreceding:
				g -= offAt(i)
			case planner.BoundFollowing:
				g += offAt(i)
			}
			g += plus // an end is the start of the next group
			out[i] = e.groupStart[min(max(g, 0), ng)]
		}
	case planner.FrameRange:
		if b.Kind == planner.BoundCurrentRow {
			if end {
				copy(out, e.peerEnd)
			} else {
				copy(out, e.peerStart)
			}
			return nil
		}
		return e.rangeBound(f, b, out, end)
	}
	return nil
}

// rangeBound finds the rows whose ORDER BY key is the bound's value: the
// first row at or past it (start) or the first row past it (end), among
// the rows with a key. A row without a key frames its peers.
func (e *winEval) rangeBound(f *planner.PhysWinFrame, b *planner.PhysWinBound, out []int32, end bool) error {
	keys, vals := e.cols[f.RangeKey], e.cols[b.Value]
	n := e.n
	lo, hi := 0, n // the rows with a key: NULLs sort to one end
	for lo < n && keys.IsNull(lo) {
		lo++
	}
	for hi > lo && keys.IsNull(hi-1) {
		hi--
	}
	var search func(i int) int
	switch keys.Type.ID {
	case coldata.Int32, coldata.Date:
		search = rangeSearch(keys.I32, vals.I32, lo, hi, f.Desc, end)
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		search = rangeSearch(keys.I64, vals.I64, lo, hi, f.Desc, end)
	case coldata.Float64:
		search = rangeSearch(keys.F64, vals.F64, lo, hi, f.Desc, end)
	default:
		return errors.New("Not implemented Error: RANGE frames with an offset over " + keys.Type.String() + " are not supported")
	}
	for i := 0; i < n; i++ {
		switch {
		case keys.IsNull(i) || vals.IsNull(i):
			if end {
				out[i] = e.peerEnd[i]
			} else {
				out[i] = e.peerStart[i]
			}
		default:
			out[i] = int32(search(i))
		}
	}
	return nil
}

// rangeSearch returns, for row i, the first row in [lo,hi) at or past
// vals[i] in the key order (past it, when end).
func rangeSearch[T cmp.Ordered](keys, vals []T, lo, hi int, desc, end bool) func(i int) int {
	return func(i int) int {
		v := vals[i]
		return lo + sort.Search(hi-lo, func(k int) bool {
			c := cmp.Compare(keys[lo+k], v)
			if desc {
				c = -c
			}
			if end {
				return c > 0
			}
			return c >= 0
		})
	}
}
