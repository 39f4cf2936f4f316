package exec

import (
	"context"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// parallelMergeMin is the total number of partial groups from which the
// Combine phase runs in parallel. Below it, folding the partials into the
// first one is cheaper than partitioning them. (A variable for tests.)
var parallelMergeMin int64 = 1 << 14

// maxMergePartitions bounds the partition count (it must fit partOf's uint8).
const maxMergePartitions = 64

// combine merges the workers' partials (DuckDB's Combine) and folds the
// DISTINCT sets. Many groups are merged in parallel: each partial's groups
// are split by hash into partitions, and one goroutine per partition builds
// that partition's final table from the matching groups of every partial.
// Partitions are disjoint, so the result is their concatenation.
func (h *hashAgg) combine(ctx context.Context, br *breaker) error {
	var bytes, total int64
	for _, p := range h.parts {
		bytes += p.bytes()
		total += int64(p.ngroups)
	}
	h.peak(bytes)
	np := min(len(h.parts), br.threads, maxMergePartitions)
	fold := np < 3 || len(h.groupCols) == 0 || total < parallelMergeMin
	if !h.reserveMerge(bytes, total, fold) {
		// The merged table would not fit: merge from disk, one partition
		// at a time, as if the workers had spilled.
		h.spillOnce.Do(func() { h.root = h.newSpill(0) })
		h.spilled.Store(true)
		h.mergeSpilled = true
		return h.startSpilledMerge()
	}
	defer h.settleMerge()
	// Folding into the first partial re-inserts all groups but its own; the
	// partitioned merge re-inserts all groups, spread over np goroutines. It
	// wins from three partitions on (measured slower at two).
	if fold {
		final := h.parts[0]
		for w, o := range h.parts[1:] {
			if err := final.absorb(ctx, o, nil, nil, 0); err != nil {
				return err
			}
			h.parts[w+1] = nil
		}
		if err := final.foldDistinct(ctx); err != nil {
			return err
		}
		h.finals = []*aggPartial{final}
		h.parts = nil
		return nil
	}

	splits := make([]groupSplit, len(h.parts))
	err := br.tasks(ctx, len(h.parts), func(_ context.Context, w int) error {
		splits[w] = splitGroups(h.parts[w], np)
		return nil
	})
	if err != nil {
		return err
	}
	finals := make([]*aggPartial, np)
	err = br.tasks(ctx, np, func(ctx context.Context, q int) error {
		f := newAggPartial(h)
		for w, o := range h.parts {
			if err := f.absorb(ctx, o, splits[w].rows[q], splits[w].partOf, uint8(q)); err != nil {
				return err
			}
		}
		finals[q] = f
		return f.foldDistinct(ctx)
	})
	if err != nil {
		return err
	}
	h.finals = finals
	h.parts = nil
	return nil
}

// reserveMerge books what merging the partials (bytes in all, total groups
// between them) may add before they are freed: the merged table grows to up
// to total groups, with a rehash's old and new slots alive at once. Folding
// into the first partial reuses its groups. It reports false when that does
// not fit under the memory limit.
func (h *hashAgg) reserveMerge(bytes, total int64, fold bool) bool {
	if h.env.pool.Limit() <= 0 || len(h.groupCols) == 0 || len(h.parts) < 2 || total == 0 {
		return true
	}
	perGroup := float64(bytes) / float64(total)
	grow := total
	if fold {
		grow -= int64(h.parts[0].ngroups)
	}
	h.mergeAcc = h.env.pool.NewAccount("while merging aggregates")
	if err := h.mergeAcc.Grow(int64(perGroup * float64(grow) * 1.5)); err != nil {
		h.mergeAcc = nil
		return false
	}
	return true
}

// settleMerge books the merged state in place of the partials' accounts
// and the merge reservation.
func (h *hashAgg) settleMerge() {
	if h.mergeAcc == nil {
		return
	}
	var held int64
	for _, f := range h.finals {
		held += f.bytes()
	}
	for _, p := range h.allParts {
		p.acc.Close()
	}
	h.mergeAcc.Close()
	h.mergeAcc.ForceGrow(held)
	h.peak(h.mergeAcc.Peak())
	h.finalAcc, h.mergeAcc = h.mergeAcc, nil
}

// groupSplit assigns one partial's groups to merge partitions.
type groupSplit struct {
	partOf []uint8   // per group
	rows   [][]int32 // per partition: its groups, ascending
}

func splitGroups(p *aggPartial, np int) groupSplit {
	t := p.table
	s := groupSplit{partOf: make([]uint8, p.ngroups), rows: make([][]int32, np)}
	for q := range s.rows {
		// Non-nil even when empty: absorb reads a nil list as "all groups".
		s.rows[q] = make([]int32, 0, p.ngroups/np+1)
	}
	for g := range p.ngroups {
		q := uint8((t.hashOf(g) >> 32) % uint64(np))
		s.partOf[g] = q
		s.rows[q] = append(s.rows[q], int32(g))
	}
	return s
}

// absorb merges into p the groups rows of another partial o (all of them
// when rows is nil). For DISTINCT sets, partOf/part select the pairs whose
// group belongs to this merge partition (partOf nil: all).
func (p *aggPartial) absorb(ctx context.Context, o *aggPartial, rows []int32, partOf []uint8, part uint8) error {
	n := o.ngroups
	if rows != nil {
		n = len(rows)
	}
	gmap := make([]int32, n) // o's rows[x] (or x) → p's group
	if p.table != nil {
		keys := make([]*coldata.Vec, len(o.table.keys))
		scratch := newVecs(p.table.types)
		var hs []uint64
		for from := 0; from < n; from += coldata.DefaultBatchSize {
			if err := ctx.Err(); err != nil {
				return err
			}
			to := min(n, from+coldata.DefaultBatchSize)
			var chunkHashes []uint64
			if rows == nil {
				for i, k := range o.table.keys {
					keys[i] = sliceVec(keys[i], k, from, to)
				}
				if !o.table.intKey {
					chunkHashes = o.table.hashes[from:to]
				}
			} else {
				sel := rows[from:to]
				for i, k := range o.table.keys {
					scratch[i].Resize(to - from)
					if k.Type.ID != coldata.Unknown {
						scratch[i].CopyFrom(k, sel, to-from, 0)
					}
					keys[i] = scratch[i]
				}
				if !o.table.intKey {
					hs = coldata.Grow(hs, to-from)
					coldata.Gather(hs, o.table.hashes, sel)
					chunkHashes = hs
				}
			}
			p.table.insert(keys, to-from, chunkHashes, gmap[from:to])
		}
		p.setGroups(p.table.n)
	}
	// Distinct pairs name o's groups; renumber them through a full map.
	var full []int32
	for _, d := range o.dist {
		if d != nil {
			full = make([]int32, o.ngroups)
			for x, g := range gmap {
				full[srcRow(rows, x)] = g
			}
			break
		}
	}
	for i, acc := range p.accs {
		if d := p.dist[i]; d != nil {
			if err := mergeDistinct(ctx, d, o.dist[i], full, partOf, part); err != nil {
				return err
			}
			continue
		}
		acc.merge(o.accs[i], rows, gmap)
	}
	return nil
}

// mergeDistinct inserts src's (group, value) pairs into dst, renumbering the
// groups through gmap and keeping only groups of partition part when partOf
// is set.
func mergeDistinct(ctx context.Context, dst, src *groupTable, gmap []int32, partOf []uint8, part uint8) error {
	gv := coldata.NewVec(coldata.TypeInt64, 0)
	vv := coldata.NewVec(src.types[1], 0)
	ids := make([]int32, coldata.DefaultBatchSize)
	sel := make([]int32, 0, coldata.DefaultBatchSize)
	for from := 0; from < src.n; from += coldata.DefaultBatchSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		to := min(src.n, from+coldata.DefaultBatchSize)
		sel = sel[:0]
		for k, g := range src.keys[0].I64[from:to] {
			if partOf == nil || partOf[g] == part {
				sel = append(sel, int32(from+k))
			}
		}
		m := len(sel)
		if m == 0 {
			continue
		}
		gv.Resize(m)
		for k, r := range sel {
			gv.I64[k] = int64(gmap[src.keys[0].I64[r]])
		}
		vv.Resize(m)
		if vv.Type.ID != coldata.Unknown {
			vv.CopyFrom(src.keys[1], sel, m, 0)
		}
		dst.insert([]*coldata.Vec{gv, vv}, m, nil, ids)
	}
	return nil
}

// foldDistinct feeds each DISTINCT set's values into its accumulator.
func (p *aggPartial) foldDistinct(ctx context.Context) error {
	var vv coldata.Vec
	gids := make([]int32, coldata.DefaultBatchSize)
	for i, d := range p.dist {
		if d == nil {
			continue
		}
		for from := 0; from < d.n; from += coldata.DefaultBatchSize {
			if err := ctx.Err(); err != nil {
				return err
			}
			to := min(d.n, from+coldata.DefaultBatchSize)
			for k, g := range d.keys[0].I64[from:to] {
				gids[k] = int32(g)
			}
			sliceVec(&vv, d.keys[1], from, to)
			p.accs[i].update(gids, &vv, to-from)
		}
		p.dist[i] = nil
	}
	return nil
}

// mergeStates folds n state rows (the spill format: group keys, then every
// aggregate's state columns) into p with the accumulators' own merge: what
// a spilled or flushed partition and a final aggregation's input hold.
func (p *aggPartial) mergeStates(vecs []*coldata.Vec, n int) {
	h := p.h
	if p.tmp == nil {
		p.tmp = make([]accumulator, len(h.aggs))
		for i, a := range h.aggs {
			in := coldata.TypeUnknown
			if a.Func != AggCountStar {
				in = a.argType(h.inTypes)
			}
			p.tmp[i], _ = newAccumulator(a, in) // validated by init
		}
	}
	p.gids = growZero(p.gids, n)
	gids := p.gids[:n]
	if p.table != nil {
		p.table.insert(vecs[:len(h.groupCols)], n, nil, gids)
		p.setGroups(p.table.n)
	}
	for i, acc := range p.accs {
		p.tmp[i].load(vecs[h.stateCol[i]:h.stateCol[i+1]], n)
		acc.merge(p.tmp[i], nil, gids)
	}
}
