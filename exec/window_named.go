package exec

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// Named aggregates (stddev, arg_min, bool_and, string_agg, median, ...) over
// window frames, through the accumulators the hash aggregate uses.
//
// Aggregates with a small mergeable state read a segment tree whose nodes
// are groups of one accumulator: the leaves are the rows, each inner node
// the merge of its two children, and a frame merges the O(log n) nodes
// covering it, left to right so that order-sensitive ones (first, last)
// see the rows in order.
//
// Holistic aggregates (median, quantiles, mode, list, string_agg) keep
// every value, so merged nodes would copy each value log n times; they fold
// each frame's rows straight into a fresh state instead. That costs the sum
// of the frame sizes, which holisticWorkLimit bounds (running frames over
// a large partition are refused rather than run for hours).

const (
	namedWinBatch     = 1024     // output rows finalized at a time
	holisticBatchVals = 1 << 16  // values a holistic batch folds before finalizing
	holisticWorkLimit = 50 << 20 // values holistic frames may fold per partition
)

func (e *winEval) namedAggregate(c *planner.PhysWindowCall, out *coldata.Vec) error {
	n := e.n
	arg := e.cols[c.Args[0]]
	if len(c.Args) == 2 {
		b := e.cols[c.Args[1]]
		arg = &coldata.Vec{
			Type:  coldata.StructType([]coldata.Field{{Name: "a", Type: arg.Type}, {Name: "b", Type: b.Type}}),
			Child: []*coldata.Vec{arg, b},
			SLen:  n,
		}
	}
	spec := AggSpec{Func: AggNamed, Name: c.Name, Params: c.Params, Out: c.Typ, Arg: 0, Arg2: 1}
	res, err := newAccumulator(spec, arg.Type)
	if err != nil {
		return err
	}
	if holisticAggs[c.Name] {
		return e.holisticFrames(c, spec, res, arg, out)
	}
	tree, err := newAccumulator(spec, arg.Type)
	if err != nil {
		return err
	}
	size := 1
	for size < n {
		size <<= 1
	}
	tree.resize(2 * size)
	gids := make([]int32, max(n, size))
	for i := range n {
		gids[i] = int32(size + i)
	}
	tree.update(gids[:n], arg, n)
	// Inner nodes level by level: nodes [lo, hi) merge children [2lo, 2hi),
	// all finished by the level before.
	var rows []int32
	for hi := size; hi > 1; hi /= 2 {
		rows, gids = rows[:0], gids[:0]
		for i := hi / 2; i < hi; i++ {
			rows = append(rows, int32(2*i), int32(2*i+1))
			gids = append(gids, int32(i), int32(i))
		}
		tree.merge(tree, rows, gids)
	}
	e.treeBytes = max(e.treeBytes, tree.bytes())
	var rs, right []int32
	for b := 0; b < n; b += namedWinBatch {
		k := min(namedWinBatch, n-b)
		res.reset()
		res.resize(k)
		rows, gids = rows[:0], gids[:0]
		for i := b; i < b+k; i++ {
			rs = e.pieces(rs[:0], c.Frame.Exclude, int32(i), e.fs[i], e.fe[i])
			for p := 0; p < len(rs); p += 2 {
				lo, hi := int(rs[p])+size, int(rs[p+1])+size
				right = right[:0]
				for lo < hi {
					if lo&1 == 1 {
						rows = append(rows, int32(lo))
						gids = append(gids, int32(i-b))
						lo++
					}
					if hi&1 == 1 {
						hi--
						right = append(right, int32(hi))
					}
					lo >>= 1
					hi >>= 1
				}
				for x := len(right) - 1; x >= 0; x-- {
					rows = append(rows, right[x])
					gids = append(gids, int32(i-b))
				}
			}
		}
		res.merge(tree, rows, gids)
		if err := finalizeInto(res, out, b, k); err != nil {
			return err
		}
	}
	return nil
}

// holisticFrames folds each row's frame pieces into its own group, a batch
// of rows at a time.
func (e *winEval) holisticFrames(c *planner.PhysWindowCall, spec AggSpec, res accumulator, arg, out *coldata.Vec) error {
	n := e.n
	var rs []int32
	var work int64
	for i := range n {
		rs = e.pieces(rs[:0], c.Frame.Exclude, int32(i), e.fs[i], e.fe[i])
		for p := 0; p < len(rs); p += 2 {
			work += int64(rs[p+1] - rs[p])
		}
	}
	if work > holisticWorkLimit {
		return fmt.Errorf("Not implemented Error: %s over window frames holding %d values in all (partition of %d rows) is not supported yet", c.Name, work, n)
	}
	var gids []int32
	view := &coldata.Vec{}
	b := 0
	for b < n {
		res.reset()
		res.resize(namedWinBatch)
		vals, k := 0, 0
		for ; k < namedWinBatch && b+k < n && vals < holisticBatchVals; k++ {
			i := b + k
			rs = e.pieces(rs[:0], c.Frame.Exclude, int32(i), e.fs[i], e.fe[i])
			for p := 0; p < len(rs); p += 2 {
				lo, hi := int(rs[p]), int(rs[p+1])
				if hi <= lo {
					continue
				}
				gids = coldata.Grow(gids[:0], hi-lo)
				for x := range gids {
					gids[x] = int32(k)
				}
				res.update(gids, sliceVec(view, arg, lo, hi), hi-lo)
				vals += hi - lo
			}
		}
		e.treeBytes = max(e.treeBytes, res.bytes())
		if err := finalizeInto(res, out, b, k); err != nil {
			return err
		}
		b += k
	}
	return nil
}

// finalizeInto writes the accumulator's groups [0, k) into rows [b, b+k)
// of out: in place for flat types; nested ones are copied in, in row order
// (their elements stay contiguous).
func finalizeInto(res accumulator, out *coldata.Vec, b, k int) error {
	if !out.Type.IsNested() {
		return res.finalize(sliceVec(nil, out, b, b+k), 0, k)
	}
	tmp := coldata.NewVec(out.Type, k)
	if err := res.finalize(tmp, 0, k); err != nil {
		return err
	}
	out.CopyFrom(tmp, nil, k, b)
	return nil
}

// callInto evaluates a window call over the partition rows [lo, hi) into
// those rows of res: through a view for flat types, and for nested ones
// (list(), quantile lists) into a vector of their own copied in after,
// since a view cannot grow a list's elements.
func (r *winReader) callInto(c *planner.PhysWindowCall, res, view *coldata.Vec, lo, hi int) error {
	if !c.Typ.IsNested() {
		return r.ev.call(c, sliceVec(view, res, lo, hi))
	}
	part := coldata.NewVec(c.Typ, hi-lo)
	part.EnsureNulls()
	if err := r.ev.call(c, part); err != nil {
		return err
	}
	res.CopyFrom(part, nil, hi-lo, lo)
	return nil
}
