package exec

import (
	"context"
	"errors"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// The output of a hash aggregate can be read by several readers at once
// (Readers), so that the pipeline above it (a HAVING filter, a join probe,
// another aggregate) runs on every worker instead of one. Every reader runs
// the aggregate's breaker (the first to ask runs it, the others wait), then
// takes work from what it produced:
//
//   - the merged in-memory state (finals), cut into batch-sized chunks that
//     readers take from a shared counter; a final is freed once its last
//     chunk is emitted;
//   - the flushed or spilled partitions still to merge, which readers take
//     one at a time from the shared queue, merge privately (on their own
//     goroutine, so partitions merge in parallel) and emit.
//
// A single reader (the aggregate used as one operator) takes up to one
// partition per thread at a time and merges them in parallel.

// aggOutput is the hash aggregate's output state.
type aggOutput struct {
	finals []*aggPartial // merged in-memory state, shared by the readers
	chunks []aggChunk    // finals cut into batch-sized pieces
	next   atomic.Int64  // next chunk to take
	left   []atomic.Int32
	outMu  sync.Mutex // the pending queue (also as merges split partitions into it) and DISTINCT combinations
	peakB  atomic.Int64
	self   aggReader // the reader behind the aggregate's own Next
	closed bool

	readersOpen int // readers not yet closed (Readers)
	openOnce    sync.Once
}

type aggChunk struct {
	f        int32
	from, to int32
}

// prepareChunks cuts the finals into chunks, once the breaker ran.
func (h *hashAgg) prepareChunks() {
	h.left = make([]atomic.Int32, len(h.finals))
	for fi, f := range h.finals {
		n := 0
		for from := 0; from < f.ngroups; from += coldata.DefaultBatchSize {
			h.chunks = append(h.chunks, aggChunk{int32(fi), int32(from), int32(min(f.ngroups, from+coldata.DefaultBatchSize))})
			n++
		}
		h.left[fi].Store(int32(n))
	}
}

func (h *hashAgg) peak(n int64) {
	for {
		p := h.peakB.Load()
		if n <= p || h.peakB.CompareAndSwap(p, n) {
			return
		}
	}
}

// aggReader is one reader of a hash aggregate's output.
type aggReader struct {
	opStats
	h      *hashAgg
	take   int // partitions merged at once (in parallel) when the queue has them
	ran    bool
	out    *coldata.Batch
	priv   []*aggPartial // partitions this reader merged, being emitted
	pi     int
	emit   int
	closed bool
	rows   []int32 // scratch of stateOut
}

// next returns the reader's next batch of groups.
func (r *aggReader) next(ctx context.Context) (*coldata.Batch, error) {
	h := r.h
	if !r.ran {
		if err := h.br.run(ctx); err != nil {
			return nil, err
		}
		r.ran = true
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for r.pi < len(r.priv) {
			f := r.priv[r.pi]
			if r.emit < f.ngroups {
				from := r.emit
				r.emit = min(f.ngroups, from+coldata.DefaultBatchSize)
				return r.batch(f, from, r.emit)
			}
			if f.acc != nil {
				h.peak(f.acc.Peak())
				f.acc.Close()
			}
			r.priv[r.pi] = nil
			r.pi++
			r.emit = 0
		}
		if c := h.next.Add(1) - 1; c < int64(len(h.chunks)) {
			ch := h.chunks[c]
			h.outMu.Lock()
			f := h.finals[ch.f]
			h.outMu.Unlock()
			b, err := r.batch(f, int(ch.from), int(ch.to))
			if h.left[ch.f].Add(-1) == 0 {
				h.releaseFinal(int(ch.f))
			}
			return b, err
		}
		ok, err := r.mergeNext(ctx)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, io.EOF
		}
	}
}

// releaseFinal drops final fi once its last chunk is taken: the batches
// that slice it keep what they need alive, the rest goes to the collector.
func (h *hashAgg) releaseFinal(fi int) {
	h.outMu.Lock()
	h.finals[fi] = nil
	h.outMu.Unlock()
}

// batch emits groups [from, to) of f into the reader's output batch.
func (r *aggReader) batch(f *aggPartial, from, to int) (*coldata.Batch, error) {
	h := r.h
	if h.stateOut != nil {
		return h.stateOut(r, f, from, to)
	}
	if r.out == nil {
		r.out = &coldata.Batch{Vecs: make([]*coldata.Vec, len(h.outTypes))}
		for i := range h.groupCols {
			r.out.Vecs[i] = &coldata.Vec{}
		}
		for i := len(h.groupCols); i < len(h.outTypes); i++ {
			r.out.Vecs[i] = coldata.NewVec(h.outTypes[i], 0)
		}
	}
	n := to - from
	for i := range h.groupCols {
		sliceVec(r.out.Vecs[i], f.table.keys[i], from, to)
	}
	for i, o := range h.outs {
		v := r.out.Vecs[len(h.groupCols)+i]
		v.Resize(n)
		acc := f.accs[o.state]
		var err error
		if s, ok := acc.(sharedFinalizer); ok {
			err = s.finalizeAs(v, from, to, o.avg)
		} else {
			err = acc.finalize(v, from, to)
		}
		if err != nil {
			return nil, err
		}
	}
	r.out.N, r.out.Sel = n, nil
	return r.out, nil
}

// mergeNext takes up to r.take partitions from the queue, merges them (in
// parallel) and makes them the reader's private output. It reports false
// when the queue is empty.
func (r *aggReader) mergeNext(ctx context.Context) (bool, error) {
	h := r.h
	for {
		h.outMu.Lock()
		k := min(max(r.take, 1), len(h.pending))
		works := slices.Clone(h.pending[len(h.pending)-k:])
		slices.Reverse(works) // the stack's top first
		h.pending = h.pending[:len(h.pending)-k]
		h.outMu.Unlock()
		if k == 0 {
			return false, nil
		}
		merged := make([]*aggPartial, k)
		err := h.br.tasks(ctx, k, func(ctx context.Context, i int) error {
			f, err := h.mergePartition(ctx, &works[i])
			merged[i] = f
			return err
		})
		if err != nil {
			for _, f := range merged {
				if f != nil {
					f.acc.Close()
				}
			}
			return false, err
		}
		r.priv, r.pi, r.emit = r.priv[:0], 0, 0
		for i, f := range merged {
			if f == nil {
				continue
			}
			if c := works[i].comb; c != nil {
				h.outMu.Lock()
				f, err = combine1(ctx, c, f)
				h.outMu.Unlock()
				if err != nil {
					return false, err
				}
				if f == nil {
					continue
				}
			}
			r.priv = append(r.priv, f)
		}
		if len(r.priv) > 0 {
			return true, nil
		}
	}
}

// release returns the accounts of the partitions the reader merged and
// had not emitted yet (a consumer that stops early, a cancelled query).
func (r *aggReader) release() {
	for _, f := range r.priv[r.pi:] {
		if f != nil && f.acc != nil {
			f.acc.Close()
		}
	}
	r.priv, r.pi = nil, 0
}

// Readers returns n operators that read the aggregate's output together
// (n >= 1): each runs on its own worker, so what is above the aggregate
// runs in parallel. Each of them must be opened and closed; the aggregate
// closes with the last.
func (h *hashAgg) Readers(n int) []Operator {
	h.readersOpen = n
	out := make([]Operator, n)
	for i := range out {
		out[i] = &aggReaderOp{r: aggReader{h: h, take: 1}, first: i == 0}
	}
	return out
}

// aggReaderOp is a reader as an operator.
type aggReaderOp struct {
	r     aggReader
	first bool // reports the aggregate's memory and spill
}

func (o *aggReaderOp) Types() []coldata.Type { return o.r.h.outTypes }

func (o *aggReaderOp) Open(context.Context) error {
	h := o.r.h
	if h.err != nil {
		return h.err
	}
	h.openOnce.Do(h.open)
	return nil
}

func (o *aggReaderOp) Next(ctx context.Context) (*coldata.Batch, error) {
	h := o.r.h
	if o.r.closed || h.br == nil {
		return nil, errors.New("hash aggregate: Next without Open")
	}
	t0 := time.Now()
	b, err := o.r.next(ctx)
	if err != nil {
		return nil, err
	}
	o.r.done(t0, b.N)
	return b, nil
}

func (o *aggReaderOp) Close() error {
	if o.r.closed {
		return nil
	}
	o.r.closed = true
	h := o.r.h
	o.r.release()
	h.outMu.Lock()
	h.readersOpen--
	last := h.readersOpen == 0
	h.outMu.Unlock()
	if !last {
		return nil
	}
	return h.Close()
}

// OpStats reports the reader's rows and time; the first reader also the
// aggregate's memory and spill.
func (o *aggReaderOp) OpStats() OpStats {
	st := o.r.OpStats()
	if o.first {
		st.PeakBytes, st.SpilledBytes = o.r.h.memStats()
	}
	return st
}
