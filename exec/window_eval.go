package exec

import (
	"errors"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// winEval evaluates window functions over one sorted partition: rows
// [0,n) of cols, ordered by order. Peer groups (rows equal on the ORDER
// BY keys) are found once per partition and shared by every call.
type winEval struct {
	cols  []*coldata.Vec
	n     int
	order []SortKey

	peersDone  bool
	peerStart  []int32 // first row of each row's peer group
	peerEnd    []int32 // one past its last row
	groupOf    []int32 // each row's peer group number
	groupStart []int32 // each group's first row, then n

	fs, fe []int32 // a call's frame per row: [fs, fe)
	idx    []int32 // gather indexes (-1: NULL)

	treeBytes int64 // the largest named-aggregate state built (window_named.go)
}

func (e *winEval) reset(cols []*coldata.Vec, n int, order []SortKey) {
	e.cols, e.n, e.order, e.peersDone = cols, n, order, false
}

// bytes is the scratch held per partition.
func (e *winEval) bytes() int64 {
	return 4*int64(cap(e.peerStart)+cap(e.peerEnd)+cap(e.groupOf)+cap(e.groupStart)+cap(e.fs)+cap(e.fe)+cap(e.idx)) + e.treeBytes
}

func (e *winEval) peers() {
	if e.peersDone {
		return
	}
	e.peersDone = true
	n := e.n
	e.peerStart, e.peerEnd, e.groupOf = resize32(e.peerStart, n), resize32(e.peerEnd, n), resize32(e.groupOf, n)
	e.groupStart = e.groupStart[:0]
	cmp := comparator(e.cols, e.order)
	g, start := int32(-1), int32(0)
	for i := 0; i < n; i++ {
		if i == 0 || cmp(int32(i-1), int32(i)) != 0 {
			g++
			start = int32(i)
			e.groupStart = append(e.groupStart, start)
		}
		e.groupOf[i], e.peerStart[i] = g, start
	}
	e.groupStart = append(e.groupStart, int32(n))
	for i := 0; i < n; i++ {
		e.peerEnd[i] = e.groupStart[e.groupOf[i]+1]
	}
}

func resize32(s []int32, n int) []int32 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]int32, n)
}

// call computes one window function over the partition into out (n rows,
// a view whose null mask is allocated).
func (e *winEval) call(c *planner.PhysWindowCall, out *coldata.Vec) error {
	switch c.Func {
	case planner.WinRowNumber:
		for i := range out.I64 {
			out.I64[i] = int64(i + 1)
		}
	case planner.WinRank, planner.WinDenseRank, planner.WinPercentRank, planner.WinCumeDist:
		e.peers()
		e.ranks(c.Func, out)
	case planner.WinNtile:
		return e.ntile(e.cols[c.Args[0]], out)
	case planner.WinLag, planner.WinLead:
		e.lagLead(c, out)
	case planner.WinFill:
		return e.fill(c, out)
	case planner.WinFirstValue, planner.WinLastValue, planner.WinNthValue:
		if err := e.frames(&c.Frame); err != nil {
			return err
		}
		e.nthValue(c, out)
	case planner.WinAggregate:
		if err := e.frames(&c.Frame); err != nil {
			return err
		}
		return e.aggregate(c, out)
	default:
		return errors.New("window: unknown function")
	}
	return nil
}

func (e *winEval) ranks(f planner.WinFunc, out *coldata.Vec) {
	n := e.n
	for i := 0; i < n; i++ {
		switch f {
		case planner.WinRank:
			out.I64[i] = int64(e.peerStart[i]) + 1
		case planner.WinDenseRank:
			out.I64[i] = int64(e.groupOf[i]) + 1
		case planner.WinPercentRank:
			if n > 1 {
				out.F64[i] = float64(e.peerStart[i]) / float64(n-1)
			} else {
				out.F64[i] = 0
			}
		case planner.WinCumeDist:
			out.F64[i] = float64(e.peerEnd[i]) / float64(n)
		}
	}
}

// ntile splits the partition into k buckets whose sizes differ by at most
// one, the larger ones first.
func (e *winEval) ntile(kv *coldata.Vec, out *coldata.Vec) error {
	n := int64(e.n)
	for i := int64(0); i < n; i++ {
		if kv.IsNull(int(i)) {
			out.SetNull(int(i))
			continue
		}
		k := kv.I64[i]
		if k <= 0 {
			return errors.New("Invalid Input Error: Argument for ntile must be greater than zero")
		}
		k = min(k, n)
		size := n / k
		large := n - k*size // buckets of size+1
		if i < large*(size+1) {
			out.I64[i] = 1 + i/(size+1)
		} else {
			out.I64[i] = 1 + large + (i-large*(size+1))/size
		}
	}
	return nil
}

// lagLead reads the row offset rows before (lag) or after (lead) each row,
// or the default; with IGNORE NULLS offsets count non-NULL values only.
func (e *winEval) lagLead(c *planner.PhysWindowCall, out *coldata.Vec) {
	n := e.n
	val := e.cols[c.Args[0]]
	var offv, defv *coldata.Vec
	if len(c.Args) > 1 {
		offv = e.cols[c.Args[1]]
	}
	if len(c.Args) > 2 {
		defv = e.cols[c.Args[2]]
	}
	var nonNull, before []int32
	if c.IgnoreNulls {
		nonNull, before = nonNullIndex(val, n, nonNull, before)
	}
	e.idx = resize32(e.idx, n)
	useDef := make([]bool, n)
	for i := 0; i < n; i++ {
		off := int64(1)
		if offv != nil {
			if offv.IsNull(i) {
				e.idx[i] = -1
				continue
			}
			off = offv.I64[i]
		}
		if c.Func == planner.WinLag {
			off = -off
		}
		j := int64(-1)
		if c.IgnoreNulls && off != 0 {
			// The |off|-th non-NULL value before or after row i.
			var k int64
			if off < 0 {
				k = int64(before[i]) + off
			} else {
				k = int64(before[i+1]) + off - 1
			}
			if k >= 0 && k < int64(len(nonNull)) {
				j = int64(nonNull[k])
			}
		} else if p := int64(i) + off; p >= 0 && p < int64(n) {
			j = p
		}
		e.idx[i] = int32(j)
		useDef[i] = j < 0 && defv != nil
	}
	gatherOrNull(out, val, e.idx)
	for i, d := range useDef {
		if d {
			copyRow(out, i, defv, i)
		}
	}
}

// nonNullIndex lists the non-NULL rows of v and, for each i in [0,n], how
// many of them precede row i.
func nonNullIndex(v *coldata.Vec, n int, list, before []int32) ([]int32, []int32) {
	list, before = list[:0], resize32(before, n+1)
	for i := 0; i < n; i++ {
		before[i] = int32(len(list))
		if !v.IsNull(i) {
			list = append(list, int32(i))
		}
	}
	before[n] = int32(len(list))
	return list, before
}

// gatherOrNull sets out[i] to src[idx[i]], or NULL where idx[i] < 0.
func gatherOrNull(out, src *coldata.Vec, idx []int32) {
	n := len(idx)
	sel := make([]int32, n)
	for i, j := range idx {
		sel[i] = max(j, 0)
	}
	if n > 0 && src.Len() > 0 {
		out.CopyFrom(src, sel, n, 0)
	}
	for i, j := range idx {
		if j < 0 || src.Len() == 0 {
			out.SetNull(i)
		}
	}
}

// pieces splits row i's frame [s,e) around what EXCLUDE removes into at
// most three ascending ranges, appended to dst as (from, to) pairs.
func (e *winEval) pieces(dst []int32, ex planner.FrameExclude, i, s, t int32) []int32 {
	add := func(a, b int32) {
		a, b = max(a, s), min(b, t)
		if a < b {
			dst = append(dst, a, b)
		}
	}
	switch ex {
	case planner.ExcludeCurrentRow:
		add(s, i)
		add(i+1, t)
	case planner.ExcludeGroup:
		add(s, e.peerStart[i])
		add(e.peerEnd[i], t)
	case planner.ExcludeTies:
		add(s, e.peerStart[i])
		add(i, i+1)
		add(e.peerEnd[i], t)
	default:
		add(s, t)
	}
	return dst
}

// nthValue is first_value, last_value and nth_value over each row's frame.
func (e *winEval) nthValue(c *planner.PhysWindowCall, out *coldata.Vec) {
	n := e.n
	val := e.cols[c.Args[0]]
	var nthv *coldata.Vec
	if c.Func == planner.WinNthValue {
		nthv = e.cols[c.Args[1]]
	}
	var nonNull, before []int32
	if c.IgnoreNulls {
		nonNull, before = nonNullIndex(val, n, nonNull, before)
	}
	e.idx = resize32(e.idx, n)
	var rs []int32
	for i := 0; i < n; i++ {
		rs = e.pieces(rs[:0], c.Frame.Exclude, int32(i), e.fs[i], e.fe[i])
		// k: the wanted row's rank in the frame, from the end for last_value.
		k, fromEnd := int64(1), c.Func == planner.WinLastValue
		if nthv != nil {
			if nthv.IsNull(i) || nthv.I64[i] < 1 {
				e.idx[i] = -1
				continue
			}
			k = nthv.I64[i]
		}
		e.idx[i] = framePick(rs, k, fromEnd, nonNull, before)
	}
	gatherOrNull(out, val, e.idx)
}

// framePick returns the k-th row (1-based; from the end when fromEnd) of the
// ranges rs, counting only non-NULL rows when before is set, or -1.
func framePick(rs []int32, k int64, fromEnd bool, nonNull, before []int32) int32 {
	size := func(a, b int32) int64 {
		if before != nil {
			return int64(before[b] - before[a])
		}
		return int64(b - a)
	}
	at := func(a int32, r int64) int32 { // the r-th (0-based) counted row from a
		if before != nil {
			return nonNull[int64(before[a])+r]
		}
		return a + int32(r)
	}
	np := len(rs) / 2
	for q := 0; q < np; q++ {
		p := q
		if fromEnd {
			p = np - 1 - q
		}
		a, b := rs[2*p], rs[2*p+1]
		m := size(a, b)
		if k <= m {
			if fromEnd {
				return at(a, m-k)
			}
			return at(a, k-1)
		}
		k -= m
	}
	return -1
}
