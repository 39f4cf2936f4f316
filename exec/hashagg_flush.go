package exec

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Flushing aggregation (after DuckDB's radix-partitioned hash table). A
// worker's table is kept small: once it holds flushGroups groups, the
// groups' keys and aggregate states are appended, in the spill format, to
// the worker's in-memory buffer of their hash partition (the spill's level-0
// partitions), and the table is emptied for the next rows, keeping its
// storage. Groups whose rows arrive close together (lineitem by order key)
// are still aggregated in the table; a key seen again after a flush simply
// has two partial states, merged at the end.
//
// This bounds what aggregating many groups holds to the compact flushed
// states (no hash slots, no growth slack) plus one small table per worker,
// keeps each worker's table in cache, and makes the finalize work
// partitioned: the partitions are merged a few at a time (one per thread, in
// parallel) only as the consumer reads them, each worker's buffer of a
// partition freed once merged, so the merged tables of all groups never
// exist at once. Partitions use the spill's hash bits, so a worker that
// spills writes its buffers to the partition files as they are, and the
// merge reads both alike. DISTINCT aggregates keep the unflushed path (their
// (group, value) sets name the table's group ids).

// flushGroups is the table size at which a worker first flushes its
// groups. (A variable for tests.)
var flushGroups = 1 << 18

// maxFlushGroups bounds how far a table whose flushes aggregate little
// grows (about 100 MB for one integer key and a sum).
const maxFlushGroups = 1 << 21

// flushAt is the table size at which the partial flushes next.
func (p *aggPartial) flushAt() int {
	if p.flushLimit == 0 {
		return flushGroups
	}
	return p.flushLimit
}

// canFlush reports whether the aggregate flushes: it has group columns
// and no DISTINCT set.
func (h *hashAgg) canFlush() bool {
	if len(h.groupCols) == 0 {
		return false
	}
	for _, a := range h.aggs {
		if a.Distinct {
			return false
		}
	}
	return true
}

// initStateTypes sets the spill format: the group keys, then every
// aggregate's state columns.
func (h *hashAgg) initStateTypes() {
	h.stateOnce.Do(func() {
		for _, c := range h.groupCols {
			h.stateTypes = append(h.stateTypes, h.inTypes[c])
		}
		h.stateCol = make([]int, len(h.aggs)+1)
		tmp := newAggPartial(h)
		for i, a := range tmp.accs {
			h.stateCol[i] = len(h.stateTypes)
			h.stateTypes = append(h.stateTypes, a.stateTypes(h.aggs[i].Out)...)
		}
		h.stateCol[len(h.aggs)] = len(h.stateTypes)
	})
}

// stateBatch fills vecs (the spill format, sized len(groups)) with the keys
// and states of groups.
func (p *aggPartial) stateBatch(vecs []*coldata.Vec, groups []int32) {
	h := p.h
	n := len(groups)
	for _, v := range vecs {
		v.Resize(n)
	}
	for i := range h.groupCols {
		if vecs[i].Type.ID != coldata.Unknown {
			vecs[i].CopyFrom(p.table.keys[i], groups, n, 0)
		}
	}
	for i, acc := range p.accs {
		acc.store(vecs[h.stateCol[i]:h.stateCol[i+1]], groups)
	}
}

// byPartition lists the partial's groups per level-level partition.
func (p *aggPartial) byPartition(level int) (partOf []uint8, rows [][]int32) {
	partOf = make([]uint8, p.ngroups)
	rows = make([][]int32, aggParts)
	for g := range p.ngroups {
		q := 0
		if p.table != nil {
			q = aggPartOf(p.table.hashOf(g), level)
		}
		partOf[g] = uint8(q)
		rows[q] = append(rows[q], int32(g))
	}
	return partOf, rows
}

// flush appends the partial's groups to its partition buffers and empties
// its table and accumulators, keeping their storage. When the table barely
// aggregated (fewer than two rows per group since the last flush: keys in
// random order, few repeats within the window) the next window doubles, up
// to maxFlushGroups: a larger table then aggregates more and flushes less
// (TPC-H Q13 groups 15M orders by 1.5M customers in random order), where
// clustered keys (Q18's order keys) keep small tables.
func (p *aggPartial) flush() {
	if p.sunk < 2*p.ngroups && p.flushAt() < maxFlushGroups {
		p.flushLimit = 2 * p.flushAt()
	}
	p.sunk = 0
	h := p.h
	h.initStateTypes()
	if p.flushed == nil {
		p.flushed = make([]*rowBuf, aggParts)
	}
	if p.stateVecs == nil {
		p.stateVecs = newVecs(h.stateTypes)
	}
	_, rows := p.byPartition(0)
	for q, rs := range rows {
		if len(rs) > 0 && p.flushed[q] == nil {
			p.flushed[q] = newRowBuf(h.stateTypes)
		}
		for from := 0; from < len(rs); from += coldata.DefaultBatchSize {
			chunk := rs[from:min(len(rs), from+coldata.DefaultBatchSize)]
			p.stateBatch(p.stateVecs, chunk)
			p.flushed[q].appendRows(p.stateVecs, nil, nil, len(chunk))
		}
	}
	p.table.reset()
	for _, acc := range p.accs {
		acc.reset()
	}
	p.ngroups = 0
	h.flushedAny.Store(true)
}

// flushedBytes is what the partial's flushed buffers hold.
func (p *aggPartial) flushedBytes() int64 {
	var b int64
	for _, buf := range p.flushed {
		if buf != nil {
			b += buf.bytes()
		}
	}
	return b
}

// writeFlushed writes the partial's flushed buffers to sp's partitions (the
// same format) and drops them.
func (p *aggPartial) writeFlushed(sp *aggSpill) error {
	var buf []byte
	var err error
	for q, fb := range p.flushed {
		if fb == nil {
			continue
		}
		for _, ch := range fb.chunks {
			if buf, err = sp.state.write(q, ch, nil, ch[0].Len(), buf); err != nil {
				return err
			}
		}
		p.flushed[q] = nil
	}
	return nil
}

// startFlushedMerge flushes what every worker still holds (in parallel)
// and queues the partitions, each with every worker's buffer of it. The
// buffers move to one account, which the merges shrink as they free them.
func (h *hashAgg) startFlushedMerge(ctx context.Context, br *breaker) error {
	err := br.tasks(ctx, len(h.parts), func(_ context.Context, w int) error {
		if p := h.parts[w]; p.ngroups > 0 {
			p.flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	h.flushAcc = h.env.pool.NewAccount("while aggregating")
	var held int64
	for _, p := range h.parts {
		held += p.flushedBytes()
		p.acc.Close()
	}
	h.flushAcc.ForceGrow(held)
	for q := aggParts - 1; q >= 0; q-- {
		w := aggWork{part: q}
		for _, p := range h.parts {
			if fb := p.flushed[q]; fb != nil && fb.Len() > 0 {
				w.mem = append(w.mem, fb)
			}
			p.flushed[q] = nil
		}
		if len(w.mem) > 0 {
			h.pending = append(h.pending, w)
		}
	}
	h.parts = nil
	return nil
}

// freeMem drops a merged partition's buffers and their bytes.
func (h *hashAgg) freeMem(w *aggWork) {
	var b int64
	for _, fb := range w.mem {
		b += fb.bytes()
		fb.reset()
	}
	w.mem = nil
	h.flushMu.Lock()
	h.flushAcc.Shrink(b)
	h.flushMu.Unlock()
}

// memRows is the number of state rows in w's buffers: an upper bound of
// its groups.
func (w *aggWork) memRows() int {
	n := 0
	for _, fb := range w.mem {
		n += fb.Len()
	}
	return n
}

// spillMem writes w's buffers to the level-0 spill files (created on first
// use) so that a partition too large to merge in memory can be split.
func (h *hashAgg) spillMem(w *aggWork) error {
	h.spillOnce.Do(func() { h.root = h.newSpill(0) })
	var buf []byte
	var err error
	for _, fb := range w.mem {
		for _, ch := range fb.chunks {
			if buf, err = h.root.state.write(w.part, ch, nil, ch[0].Len(), buf); err != nil {
				return err
			}
		}
	}
	h.freeMem(w)
	w.sp = h.root
	return nil
}

// flushState is the hash aggregate's flushing state.
type flushState struct {
	flushedAny atomic.Bool
	flushAcc   *MemoryAccount // the flushed buffers, once the workers are done
	flushMu    sync.Mutex
	stateOnce  sync.Once
}
