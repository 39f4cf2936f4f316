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
	aggPartBits = 5
	aggParts    = 1 << aggPartBits
	// maxAggLevel bounds re-partitioning: past it the groups' hashes agree
	// on aggPartBits*maxAggLevel bits, i.e. they are few groups too big to
	// ever fit.
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
	// mem are the workers' flushed buffers of the partition, merged before
	// sp's rows (hashagg_flush.go).
	mem []*rowBuf
	// comb is set for partitions of a DISTINCT set split by value (see
	// repartitionValues); vlevel is the value-hash level to split at next.
	comb   *aggCombine
	vlevel int
}

// aggCombine gathers the results of the value partitions of one spilled
// partition. A (group, value) pair lands in exactly one value partition,
// so each partition's DISTINCT counts and sums are disjoint pieces of the
// group's, and merging the partitions' states like parallel partials'
// gives the answer; the other aggregates' states all go to the first
// value partition.
type aggCombine struct {
	left int // value partitions not merged yet
	f    *aggPartial
}

func aggPartOf(h uint64, level int) int {
	return int(h >> (64 - aggPartBits*(level+1)) & (aggParts - 1))
}

func (h *hashAgg) newSpill(level int) *aggSpill {
	h.initStateTypes()
	sp := &aggSpill{level: level, state: newSpillFile(h.env, h.stateTypes, aggParts, &h.spilledBytes),
		dist: make([]*spillFile, len(h.aggs))}
	for i, a := range h.aggs {
		if a.distinctSet() {
			ts := append(append([]coldata.Type{}, h.stateTypes[:len(h.groupCols)]...), h.inTypes[a.Arg])
			sp.dist[i] = newSpillFile(h.env, ts, aggParts, &h.spilledBytes)
		}
	}
	h.spillMu.Lock()
	h.spills = append(h.spills, sp)
	h.spillMu.Unlock()
	return sp
}

// reserve books, before a batch of n rows is sunk, what sinking it may
// allocate on top of the partial's size, spilling the partial first when the
// account cannot grow that far.
func (p *aggPartial) reserve(n int) error {
	g := p.growthBytes(n)
	if g == 0 {
		return nil
	}
	err := p.acc.Resize(p.bytes() + g)
	if err == nil || !errors.Is(err, ErrMemoryLimit) {
		return err
	}
	if p.ngroups == 0 || p.table == nil {
		// Nothing to spill yet: account decides after the batch whether
		// the query can progress at all.
		return nil
	}
	return p.spillAndReset()
}

// account books the partial's size after a batch, spilling it when the
// account cannot grow.
func (p *aggPartial) account() error {
	p.batches++
	err := p.acc.Resize(p.bytes())
	if err == nil || !errors.Is(err, ErrMemoryLimit) {
		return err
	}
	if lim := p.h.env.pool.Limit(); p.batches <= 1 && lim > 0 && p.flushedBytes() == 0 && p.bytes() > lim {
		// One batch alone exceeds the limit. Grouped, it still spills
		// when one partition of it (the unit the merge works on) fits;
		// without groups, or when not even that fits, the query cannot
		// progress.
		if p.table == nil || p.bytes()/aggParts > lim {
			return p.acc.limitError(p.bytes())
		}
	}
	return p.spillAndReset()
}

func (p *aggPartial) spillAndReset() error {
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
	if err := p.writeFlushed(h.root); err != nil {
		return err
	}
	acc := p.acc
	*p = *newAggPartial(h)
	p.acc = acc
	return nil
}

func (p *aggPartial) writeTo(sp *aggSpill) error {
	h := p.h
	if err := p.accErr(); err != nil {
		return err
	}
	ng := len(h.groupCols)
	partOf, rows := p.byPartition(sp.level)
	vecs := newVecs(h.stateTypes)
	var buf []byte
	var err error
	for q, rs := range rows {
		for from := 0; from < len(rs); from += coldata.DefaultBatchSize {
			chunk := rs[from:min(len(rs), from+coldata.DefaultBatchSize)]
			p.stateBatch(vecs, chunk)
			if buf, err = sp.state.write(q, vecs, nil, len(chunk), buf); err != nil {
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
		if err := p.writeFlushed(h.root); err != nil {
			return err
		}
		h.peak(p.acc.Used())
		p.acc.Close()
	}
	h.parts = nil
	// Without group columns everything is in partition 0, and an empty
	// partition would still emit its one (empty) group.
	top := aggParts - 1
	if len(h.groupCols) == 0 {
		top = 0
	}
	for q := top; q >= 0; q-- {
		h.pending = append(h.pending, aggWork{sp: h.root, part: q})
	}
	return nil
}

// combine1 folds the merged value partition f into its combination c; it
// returns the combined state once c's last value partition is in.
func combine1(ctx context.Context, c *aggCombine, f *aggPartial) (*aggPartial, error) {
	c.left--
	if c.f == nil {
		c.f = f
	} else {
		err := c.f.absorb(ctx, f, nil, nil, 0)
		f.acc.Close()
		if err != nil {
			return nil, err
		}
		// The combined state is the few groups' accumulators, which
		// can't spill any further.
		if n := c.f.bytes() - c.f.acc.Used(); n > 0 {
			c.f.acc.ForceGrow(n)
		}
	}
	if c.left > 0 {
		return nil, nil
	}
	return c.f, nil
}

// mergePartition aggregates one partition: the workers' flushed buffers of
// it, then its spilled rows. When it outgrows the account it is
// re-partitioned one level deeper instead (result nil). Partitions are
// merged concurrently: what they share (the queue, the spill files, the
// flushed bytes' account) is locked.
func (h *hashAgg) mergePartition(ctx context.Context, w *aggWork) (*aggPartial, error) {
	f := newAggPartial(h)
	f.acc = h.env.pool.NewAccount("while aggregating")
	if n := w.memRows(); n > 0 && f.table != nil {
		// The buffered rows bound the groups: size the table and the
		// states once.
		f.table = newGroupTableSized(f.table.types, true, n)
		f.table.reserveKeys(n)
		for _, acc := range f.accs {
			acc.resize(n)
		}
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
		if w.mem != nil {
			if err := h.spillMem(w); err != nil {
				return false, err
			}
		}
		if f.table != nil && w.sp.level+1 < maxAggLevel && w.comb == nil {
			return false, h.repartition(ctx, *w)
		}
		// Too few groups to split by: split the DISTINCT sets by value.
		if w.vlevel < maxAggLevel && w.sp.hasDistinct() {
			return false, h.repartitionValues(ctx, *w)
		}
		return false, f.acc.limitError(f.bytes())
	}
	for _, fb := range w.mem {
		for _, ch := range fb.chunks {
			if err := ctx.Err(); err != nil {
				f.acc.Close()
				return nil, err
			}
			f.mergeStates(ch, ch[0].Len())
			if ok, err := fits(); !ok {
				return nil, err
			}
		}
	}
	if w.mem != nil {
		h.freeMem(w)
	}
	if w.sp == nil {
		return f, nil
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
		f.mergeStates(b.Vecs, b.N)
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
				// A value partition may hold groups its state rows don't.
				f.table.insert(b.Vecs[:ng], b.N, nil, gmap[:b.N])
				f.setGroups(f.table.n)
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
	h.outMu.Lock()
	defer h.outMu.Unlock()
	for q := aggParts - 1; q >= 0; q-- {
		h.pending = append(h.pending, aggWork{sp: sub, part: q})
	}
	return nil
}

func (sp *aggSpill) hasDistinct() bool {
	for _, d := range sp.dist {
		if d != nil {
			return true
		}
	}
	return false
}

// repartitionValues splits partition w's DISTINCT pairs by the hash of the
// value (next bits at each value level) into a new spill whose partitions
// are merged separately and combined (aggCombine); the groups' states all
// go to the first partition.
func (h *hashAgg) repartitionValues(ctx context.Context, w aggWork) error {
	sub := h.newSpill(w.sp.level)
	ng := len(h.groupCols)
	var sc tableScratch
	var buf []byte
	sels := make([][]int32, aggParts)
	split := func(src, dst *spillFile, byValue bool) error {
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
			if !byValue {
				if buf, err = dst.write(0, b.Vecs, nil, b.N, buf); err != nil {
					return err
				}
				continue
			}
			hs := hashKeys(b.Vecs[ng:ng+1], b.N, &sc)
			for q := range sels {
				sels[q] = sels[q][:0]
			}
			for k, x := range hs[:b.N] {
				q := aggPartOf(x, w.vlevel)
				sels[q] = append(sels[q], int32(k))
			}
			for q, sel := range sels {
				if buf, err = dst.write(q, b.Vecs, sel, len(sel), buf); err != nil {
					return err
				}
			}
		}
	}
	if err := split(w.sp.state, sub.state, false); err != nil {
		return err
	}
	for i, d := range w.sp.dist {
		if d != nil {
			if err := split(d, sub.dist[i], true); err != nil {
				return err
			}
		}
	}
	h.outMu.Lock()
	defer h.outMu.Unlock()
	c := w.comb
	if c == nil {
		c = &aggCombine{left: aggParts}
		h.combs = append(h.combs, c)
	} else {
		c.left += aggParts - 1 // w's place is taken by its value partitions
	}
	for q := aggParts - 1; q >= 0; q-- {
		h.pending = append(h.pending, aggWork{sp: sub, part: q, comb: c, vlevel: w.vlevel + 1})
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
	for _, c := range h.combs {
		if c.f != nil {
			c.f.acc.Close()
		}
	}
	h.combs = nil
	for _, p := range h.allParts {
		p.acc.Close()
	}
	h.finalAcc.Close()
	h.flushAcc.Close()
	for _, f := range h.finals {
		if f != nil && f.acc != nil {
			f.acc.Close()
		}
	}
	h.pending = nil
	return first
}

// OpStats reports the largest accounted state and the bytes spilled.
func (h *hashAgg) OpStats() OpStats {
	st := h.st
	st.PeakBytes, st.SpilledBytes = h.memStats()
	return st
}

// memStats is the aggregate's largest accounted state and the bytes it
// spilled.
func (h *hashAgg) memStats() (peak, spilled int64) {
	var sum int64
	for _, p := range h.allParts {
		sum += p.acc.Peak()
	}
	if h.flushAcc != nil {
		sum = max(sum, h.flushAcc.Peak())
	}
	return max(h.peakB.Load(), sum), h.spilledBytes.Load()
}
