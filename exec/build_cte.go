package exec

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// A shared CTE (planner.PhysShared) is computed once, by whichever of its
// references is opened first, into column vectors that every reference
// then reads in parallel, workers taking batch-sized row ranges from a
// per-reference counter. Its rows are accounted; past the memory limit
// they go to a spill file instead, read back by each reference in turn.

type cteResult struct {
	env     memEnv
	body    []Operator // the body's workers
	types   []coldata.Type
	threads int
	observe func(rows int64)

	mu   sync.Mutex
	br   *breaker
	open int // reading operators not yet closed

	// Written by the breaker, read-only afterwards.
	locals  []*cteLocal
	cols    []*coldata.Vec
	nrows   int
	spill   *spillFile // rows beyond the memory limit, in part 0
	spillMu sync.Mutex
	counter atomic.Int64
	acc     *MemoryAccount
	stats   OpStats
}

func (b *builder) cteScan(p *planner.PhysCTEScan) (stream, error) {
	res, err := b.cteResult(p.Shared)
	if err != nil {
		return nil, err
	}
	ref := &cteRef{res: res}
	s := make(stream, b.threads)
	res.mu.Lock()
	res.open += len(s)
	res.mu.Unlock()
	for i := range s {
		// The reference EXPLAIN shows the body under also reports the
		// materialization's memory and spill, once.
		s[i] = &cteScanOp{ref: ref, cols: p.ColIdx, types: planner.Types(p), reports: p.First && i == 0}
	}
	return b.record(p, s), nil
}

// cteResult returns the shared result of a CTE body, building the body
// at its first reference.
func (b *builder) cteResult(sh *planner.PhysShared) (*cteResult, error) {
	if b.ctes == nil {
		b.ctes = map[*planner.PhysShared]*cteResult{}
	}
	res := b.ctes[sh]
	if res == nil {
		s, err := b.build(sh.Plan)
		if err != nil {
			return nil, err
		}
		res = &cteResult{env: b.env, body: s, types: planner.Types(sh.Plan), threads: b.threads,
			observe: b.observer(sh.Plan)}
		b.ctes[sh] = res
	}
	return res, nil
}

// pin keeps the result alive as if one more reader were open, until the
// matching release.
func (r *cteResult) pin() {
	r.mu.Lock()
	r.open++
	r.mu.Unlock()
}

func (r *cteResult) breaker() *breaker {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.br == nil {
		r.br = newBreaker("shared CTE", "while materializing a CTE", r.body, r, r.env, r.threads, r.observe)
	}
	return r.br
}

func (r *cteResult) ensure(ctx context.Context) error { return r.breaker().run(ctx) }

// cteLocal is one body worker's rows; once the pool refuses more, the
// worker keeps what it holds and writes its later batches to the shared
// spill file instead.
type cteLocal struct {
	r     *cteResult
	buf   *rowBuf
	acc   *MemoryAccount
	spill bool
	wbuf  []byte
}

func (r *cteResult) newLocal(w int, acc *MemoryAccount) (localSink, error) {
	if r.locals == nil {
		r.locals = make([]*cteLocal, len(r.body))
	}
	l := &cteLocal{r: r, buf: newRowBuf(r.types), acc: acc}
	r.locals[w] = l
	return l, nil
}

func (l *cteLocal) sink(_ context.Context, b *coldata.Batch) error {
	r := l.r
	if l.spill {
		r.spillMu.Lock()
		defer r.spillMu.Unlock()
		var err error
		l.wbuf, err = r.spill.write(0, b.Vecs, b.Sel, b.Len(), l.wbuf)
		return err
	}
	l.buf.appendBatch(b, nil)
	err := l.acc.Resize(l.buf.bytes())
	if err == nil || !errors.Is(err, ErrMemoryLimit) {
		return err
	}
	// Once refused, this worker's rows go to disk: those it holds too, and
	// their memory goes back to the pool. Holding them would starve the
	// operators still running below (an aggregate merging its spilled
	// partitions while the CTE reads its output failed with the limit's
	// error instead of spilling); forcing the refused growth in would do
	// the same.
	l.spill = true
	r.spillMu.Lock()
	defer r.spillMu.Unlock()
	if r.spill == nil {
		r.spill = newSpillFile(r.env, r.types, 1, &r.counter)
	}
	return l.spillHeld()
}

// spillHeld writes the buffered rows to the spill file, in order, and
// frees them. Rows of columns without storage (all of type NULL) stay.
func (l *cteLocal) spillHeld() error {
	b := l.buf
	for _, ch := range b.chunks {
		n := -1
		for c, t := range b.types {
			if t.ID != coldata.Unknown {
				n = ch[c].Len()
				break
			}
		}
		if n < 0 {
			return nil
		}
		var err error
		if l.wbuf, err = l.r.spill.write(0, ch, nil, n, l.wbuf); err != nil {
			return err
		}
	}
	b.reset()
	return l.acc.Resize(0)
}

func (l *cteLocal) combine(context.Context) error { return nil }

// finalize lays the workers' rows out as one set of columns.
func (r *cteResult) finalize(ctx context.Context, br *breaker) (int64, error) {
	var bufs []*rowBuf
	var held int64
	for _, l := range r.locals {
		if l.buf.Len() > 0 {
			bufs = append(bufs, l.buf)
		}
		r.nrows += l.buf.Len()
	}
	r.acc = r.env.pool.NewAccount("while materializing a CTE")
	for _, l := range r.locals {
		held += l.acc.Used()
		l.acc.Close() // its rows move to r.cols, booked on r.acc
	}
	r.acc.ForceGrow(held)
	r.cols = layOut(ctx, br, r.types, bufs)
	rows := int64(r.nrows)
	if r.spill != nil {
		rows += r.spill.rows[0]
		r.stats.SpilledBytes = r.counter.Load()
	}
	r.stats.RowsOut = rows
	r.stats.PeakBytes = br.localPeak() + r.acc.Peak()
	return rows, ctx.Err()
}

// release is called as each reading operator closes; the last one frees
// the rows and the spill file.
func (r *cteResult) release() error {
	r.mu.Lock()
	r.open--
	last := r.open == 0
	r.mu.Unlock()
	if !last {
		return nil
	}
	// Never read (a LIMIT above was met first, or the query failed
	// before): the breaker closes the body.
	r.breaker().close()
	r.cols = nil
	r.acc.Close()
	if r.spill != nil {
		return r.spill.Close()
	}
	return nil
}

// cteRef is one reference's read position, shared by its workers.
type cteRef struct {
	res  *cteResult
	next atomic.Int64 // next in-memory row to hand out
	mu   sync.Mutex
	rd   *spillReader // spilled rows, read after the in-memory ones
	done bool
}

type cteScanOp struct {
	opStats
	ref     *cteRef
	cols    []int
	types   []coldata.Type
	out     *coldata.Batch
	closed  bool
	reports bool
}

func (o *cteScanOp) OpStats() OpStats {
	st := o.opStats.OpStats()
	if o.reports {
		st.PeakBytes = o.ref.res.stats.PeakBytes
		st.SpilledBytes = o.ref.res.stats.SpilledBytes
	}
	return st
}

func (o *cteScanOp) Types() []coldata.Type { return o.types }

func (o *cteScanOp) Open(ctx context.Context) error { return o.ref.res.ensure(ctx) }

func (o *cteScanOp) Next(ctx context.Context) (*coldata.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := o.ref.res
	if err := res.ensure(ctx); err != nil {
		return nil, err
	}
	t0 := time.Now()
	if o.out == nil {
		o.out = &coldata.Batch{Vecs: make([]*coldata.Vec, len(o.cols))}
	}
	n := int64(res.nrows)
	if from := o.ref.next.Add(coldata.DefaultBatchSize) - coldata.DefaultBatchSize; from < n {
		to := min(n, from+coldata.DefaultBatchSize)
		for i, c := range o.cols {
			o.out.Vecs[i] = sliceVec(o.out.Vecs[i], res.cols[c], int(from), int(to))
		}
		o.out.N, o.out.Sel = int(to-from), nil
		o.done(t0, o.out.N)
		return o.out, nil
	}
	if res.spill == nil {
		return nil, io.EOF
	}
	// Spilled rows: one reader per reference, its batches copied out
	// under the lock since the reader reuses its buffers.
	o.ref.mu.Lock()
	defer o.ref.mu.Unlock()
	if o.ref.done {
		return nil, io.EOF
	}
	if o.ref.rd == nil {
		o.ref.rd = res.spill.reader(0)
	}
	b, err := o.ref.rd.next()
	if err == io.EOF {
		o.ref.done = true
		return nil, io.EOF
	}
	if err != nil {
		return nil, err
	}
	for i, c := range o.cols {
		v := &coldata.Vec{Type: res.types[c]}
		v.Resize(b.N)
		v.CopyFrom(b.Vecs[c], nil, b.N, 0)
		o.out.Vecs[i] = v
	}
	ownStrings(o.out.Vecs, b.N)
	o.out.N, o.out.Sel = b.N, nil
	o.done(t0, o.out.N)
	return o.out, nil
}

// ownStrings moves the string values of vs, which point into a reader's
// reused buffer, into one fresh allocation: strings handed downstream stay
// valid for as long as anyone holds them.
func ownStrings(vs []*coldata.Vec, n int) {
	total := 0
	for _, v := range vs {
		for _, s := range v.Str[:min(n, len(v.Str))] {
			total += len(s)
		}
	}
	if total == 0 {
		return
	}
	arena := make([]byte, 0, total)
	for _, v := range vs {
		for i, s := range v.Str[:min(n, len(v.Str))] {
			if s == "" {
				continue
			}
			off := len(arena)
			arena = append(arena, s...)
			v.Str[i] = unsafe.String(&arena[off], len(s))
		}
	}
}

func (o *cteScanOp) Close() error {
	if o.closed {
		return nil
	}
	o.closed = true
	return o.ref.res.release()
}
