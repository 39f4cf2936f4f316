package exec

import (
	"context"
	"errors"
	"io"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Spilling aggregation (after DuckDB's radix_partitioned_hashtable): when a
// worker's account cannot grow, it writes its groups' keys and aggregate
// states to aggParts partitions chosen by the top bits of the group hash,
// DISTINCT sets as (group keys, value) rows in the group's partition, and
// starts an empty table. Once any worker spilled, all of them spill what they
// hold at the end, and the partitions are merged and emitted one at a time:
// a group lives in exactly one partition, so each partition's result is
// final. A partition that does not fit is split again by the next hash bits.

const (
	aggPartBits = 4
	aggParts    = 1 << aggPartBits
	// maxAggLevel bounds re-partitioning: past it the groups' hashes agree
	// on 4*maxAggLevel bits, i.e. they are few groups too big to ever fit.
	maxAggLevel = 8
)

// aggSpill is one level of partitioned spill data.
type aggSpill struct {
	state *spillFile   // group keys, then every aggregate's state columns
	dist  []*spillFile // per aggregate, for DISTINCT sets: group keys, value
	level int
}

type aggWork struct {
	sp   *aggSpill
	part int
}

func aggPartOf(h uint64, level int) int {
	return int(h >> (64 - aggPartBits*(level+1)) & (aggParts - 1))
}

func (h *hashAgg) newSpill(level int) *aggSpill {
	if h.stateTypes == nil {
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
	}
	sp := &aggSpill{level: level, state: newSpillFile(h.env, h.stateTypes, aggParts, &h.spilledBytes),
		dist: make([]*spillFile, len(h.aggs))}
	for i, a := range h.aggs {
		if a.Func == AggCount || a.Func == AggSum || a.Func == AggAvg {
			if a.Distinct {
				ts := append(append([]coldata.Type{}, h.stateTypes[:len(h.groupCols)]...), h.inTypes[a.Arg])
				sp.dist[i] = newSpillFile(h.env, ts, aggParts, &h.spilledBytes)
			}
		}
	}
	h.spillMu.Lock()
	h.spills = append(h.spills, sp)
	h.spillMu.Unlock()
	return sp
}

// account books the partial's size after a batch, spilling it when the
// account cannot grow.
func (p *aggPartial) account() error {
	p.batches++
	err := p.acc.Resize(p.bytes())
	if err == nil || !errors.Is(err, ErrMemoryLimit) {
		return err
	}
	if lim := p.h.env.pool.Limit(); p.batches <= 1 && lim > 0 && p.bytes() > lim {
		return p.acc.limitError(p.bytes())
	}
	if err := p.spill(); err != nil {
		return err
	}
	// The empty table is forced in: refusing it would fail a query that
	// other workers' state crowds out, though it can always progress.
	p.acc.Close()
	p.acc.ForceGrow(p.bytes())
	return nil
}

// spill writes the partial to the hash aggregate's level-0 partitions and
// empties it.
func (p *aggPartial) spill() error {
	h := p.h
	h.spillOnce.Do(func() { h.root = h.newSpill(0) })
	h.spilled.Store(true)
	if err := p.writeTo(h.root); err != nil {
		return err
	}
	acc := p.acc
	*p = *newAggPartial(h)
	p.acc = acc
	return nil
}

func (p *aggPartial) writeTo(sp *aggSpill) error {
	h := p.h
	ng := len(h.groupCols)
	partOf := make([]uint8, p.ngroups)
	rows := make([][]int32, aggParts)
	for g := range p.ngroups {
		q := 0
		if p.table != nil {
			q = aggPartOf(p.table.hashOf(g), sp.level)
		}
		partOf[g] = uint8(q)
		rows[q] = append(rows[q], int32(g))
	}
	vecs := newVecs(h.stateTypes)
	var buf []byte
	var err error
	for q, rs := range rows {
		for from := 0; from < len(rs); from += coldata.DefaultBatchSize {
			chunk := rs[from:min(len(rs), from+coldata.DefaultBatchSize)]
			n := len(chunk)
			for _, v := range vecs {
				v.Resize(n)
			}
			for i := range ng {
				if vecs[i].Type.ID != coldata.Unknown {
					vecs[i].CopyFrom(p.table.keys[i], chunk, n, 0)
				}
			}
			for i, acc := range p.accs {
				acc.store(vecs[h.stateCol[i]:h.stateCol[i+1]], chunk)
			}
			if buf, err = sp.state.write(q, vecs, nil, n, buf); err != nil {
				return err
			}
		}
	}
	for i, d := range p.dist {
		if d == nil || d.n == 0 {
			continue
		}
		dv := newVecs(sp.dist[i].types)
		sel := make([]int32, 0, coldata.DefaultBatchSize)
		gsel := make([]int32, 0, coldata.DefaultBatchSize)
		for q := range aggParts {
			for from := 0; from < d.n; from += coldata.DefaultBatchSize {
				sel, gsel = sel[:0], gsel[:0]
				for r, g := range d.keys[0].I64[from:min(d.n, from+coldata.DefaultBatchSize)] {
					if int(partOf[g]) == q {
						sel = append(sel, int32(from+r))
						gsel = append(gsel, int32(g))
					}
				}
				n := len(sel)
				if n == 0 {
					continue
				}
				for _, v := range dv {
					v.Resize(n)
				}
				for c := range ng {
					if dv[c].Type.ID != coldata.Unknown {
						dv[c].CopyFrom(p.table.keys[c], gsel, n, 0)
					}
				}
				if dv[ng].Type.ID != coldata.Unknown {
					dv[ng].CopyFrom(d.keys[1], sel, n, 0)
				}
				if buf, err = sp.dist[i].write(q, dv, nil, n, buf); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// startSpilledMerge spills what the workers still hold and queues the
// level-0 partitions.
func (h *hashAgg) startSpilledMerge() error {
	for _, p := range h.parts {
		if err := p.writeTo(h.root); err != nil {
			return err
		}
		h.peak(p.acc.Used())
		p.acc.Close()
	}
	h.parts = nil
	for q := aggParts - 1; q >= 0; q-- {
		h.pending = append(h.pending, aggWork{h.root, q})
	}
	return nil
}

// nextSpilledPartition merges queued partitions until one fits, and makes
// it the one being emitted. It reports false when none are left.
func (h *hashAgg) nextSpilledPartition(ctx context.Context) (bool, error) {
	for len(h.pending) > 0 {
		w := h.pending[len(h.pending)-1]
		h.pending = h.pending[:len(h.pending)-1]
		f, err := h.mergePartition(ctx, w)
		if err != nil {
			return false, err
		}
		if f != nil {
			h.setFinal(f)
			return true, nil
		}
	}
	return false, nil
}

func (h *hashAgg) setFinal(f *aggPartial) {
	if h.finalAcc != nil {
		h.peak(h.finalAcc.Peak())
		h.finalAcc.Close()
	}
	h.finalAcc = f.acc
	h.finals, h.fi, h.emit = []*aggPartial{f}, 0, 0
}

// mergePartition aggregates one spilled partition. When it outgrows the
// account it is re-partitioned one level deeper instead (result nil).
func (h *hashAgg) mergePartition(ctx context.Context, w aggWork) (*aggPartial, error) {
	f := newAggPartial(h)
	f.acc = h.env.pool.NewAccount("while aggregating")
	tmp := make([]accumulator, len(h.aggs))
	for i, a := range h.aggs {
		in := coldata.TypeUnknown
		if a.Func != AggCountStar {
			in = h.inTypes[a.Arg]
		}
		tmp[i], _ = newAccumulator(a, in)
	}
	ng := len(h.groupCols)
	var gmap []int32
	fits := func() (bool, error) {
		err := f.acc.Resize(f.bytes())
		if err == nil {
			return true, nil
		}
		f.acc.Close()
		if !errors.Is(err, ErrMemoryLimit) {
			return false, err
		}
		if f.table == nil || w.sp.level+1 >= maxAggLevel {
			return false, f.acc.limitError(f.bytes())
		}
		return false, h.repartition(ctx, w)
	}
	r := w.sp.state.reader(w.part)
	for {
		if err := ctx.Err(); err != nil {
			f.acc.Close()
			return nil, err
		}
		b, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			f.acc.Close()
			return nil, err
		}
		gmap = growZero(gmap, b.N)
		if f.table != nil {
			f.table.insert(b.Vecs[:ng], b.N, nil, gmap[:b.N])
			f.setGroups(f.table.n)
		}
		for i, acc := range f.accs {
			tmp[i].load(b.Vecs[h.stateCol[i]:h.stateCol[i+1]], b.N)
			acc.merge(tmp[i], nil, gmap[:b.N])
		}
		if ok, err := fits(); !ok {
			return nil, err
		}
	}
	gv := coldata.NewVec(coldata.TypeInt64, 0)
	for i, d := range f.dist {
		if d == nil {
			continue
		}
		r := w.sp.dist[i].reader(w.part)
		for {
			b, err := r.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				f.acc.Close()
				return nil, err
			}
			gmap = growZero(gmap, b.N)
			if f.table != nil {
				f.table.insert(b.Vecs[:ng], b.N, nil, gmap[:b.N])
			} else {
				clear(gmap[:b.N])
			}
			gv.Resize(b.N)
			for k, g := range gmap[:b.N] {
				gv.I64[k] = int64(g)
			}
			ids := make([]int32, b.N)
			d.insert([]*coldata.Vec{gv, b.Vecs[ng]}, b.N, nil, ids)
			if ok, err := fits(); !ok {
				return nil, err
			}
		}
	}
	if err := f.foldDistinct(ctx); err != nil {
		f.acc.Close()
		return nil, err
	}
	return f, nil
}

// repartition splits partition w by the next hash bits into a new level
// whose partitions are queued in place of w.
func (h *hashAgg) repartition(ctx context.Context, w aggWork) error {
	sub := h.newSpill(w.sp.level + 1)
	var sc tableScratch
	var buf []byte
	sels := make([][]int32, aggParts)
	split := func(src, dst *spillFile) error {
		r := src.reader(w.part)
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			b, err := r.next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			hs := hashKeys(b.Vecs[:len(h.groupCols)], b.N, &sc)
			for q := range sels {
				sels[q] = sels[q][:0]
			}
			for k, x := range hs[:b.N] {
				q := aggPartOf(x, sub.level)
				sels[q] = append(sels[q], int32(k))
			}
			for q, sel := range sels {
				if buf, err = dst.write(q, b.Vecs, sel, len(sel), buf); err != nil {
					return err
				}
			}
		}
	}
	if err := split(w.sp.state, sub.state); err != nil {
		return err
	}
	for i, d := range w.sp.dist {
		if d != nil {
			if err := split(d, sub.dist[i]); err != nil {
				return err
			}
		}
	}
	for q := aggParts - 1; q >= 0; q-- {
		h.pending = append(h.pending, aggWork{sub, q})
	}
	return nil
}

// closeSpills removes every spill file and returns the accounts.
func (h *hashAgg) closeSpills() error {
	var first error
	for _, sp := range h.spills {
		if err := sp.state.Close(); err != nil && first == nil {
			first = err
		}
		for _, d := range sp.dist {
			if err := d.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	h.spills = nil
	for _, p := range h.allParts {
		p.acc.Close()
	}
	h.finalAcc.Close()
	return first
}

// OpStats reports the largest accounted state and the bytes spilled.
func (h *hashAgg) OpStats() OpStats {
	st := h.st
	var sum int64
	for _, p := range h.allParts {
		sum += p.acc.Peak()
	}
	st.PeakBytes = max(st.PeakBytes, sum)
	st.SpilledBytes = h.spilledBytes.Load()
	return st
}
