package exec

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// A recursive CTE runs its anchor, then its step again and again over the
// working table (the rows the previous round added) until a round adds
// none. Each round's rows stream out as they come and are kept as the
// next round's working table; under UNION a table of every row produced
// so far drops duplicates first, so only new rows are kept. The step's
// pipeline is built afresh each round (under the builder's runMu, like an
// adaptive region's). The working table and the seen rows are accounted
// in the memory pool; they do not spill.

// DefaultMaxRecursion is the default limit on a recursive CTE's rounds.
const DefaultMaxRecursion = 100000

// workTable is the rows of a recursive CTE's current round, read by the
// step's WorkScans.
type workTable struct {
	cols []*coldata.Vec
	n    int
}

type recursiveOp struct {
	opStats
	b       *builder
	p       *planner.PhysRecursiveCTE
	wt      *workTable
	types   []coldata.Type
	maxIter int64

	anchor Operator
	cur    Operator
	idx    []int
	iter   int64
	next   *rowBuf
	seen   *groupTable
	gids   []int32
	sel    []int32
	dense  *coldata.Batch
	acc    *MemoryAccount
	ended  bool
}

func (b *builder) recursiveCTE(p *planner.PhysRecursiveCTE) (stream, error) {
	wt := &workTable{}
	if b.work == nil {
		b.work = map[*planner.PhysWorkTable]*workTable{}
	}
	b.work[p.Work] = wt
	s, err := b.build(p.Anchor)
	if err != nil {
		return nil, err
	}
	maxIter := b.maxRecursion
	if maxIter <= 0 {
		maxIter = DefaultMaxRecursion
	}
	op := &recursiveOp{b: b, p: p, wt: wt, types: planner.Types(p), maxIter: maxIter, anchor: b.single(s)}
	return b.record(p, stream{op}), nil
}

func (b *builder) workScan(p *planner.PhysWorkScan) (stream, error) {
	wt := b.work[p.Work]
	if wt == nil {
		return nil, fmt.Errorf("Internal Error: working table of %s read outside its recursive CTE", p.Work.Name)
	}
	return b.record(p, stream{&workScanOp{wt: wt, types: planner.Types(p)}}), nil
}

func (o *recursiveOp) Types() []coldata.Type { return o.types }

func (o *recursiveOp) Open(ctx context.Context) error {
	o.acc = o.b.env.pool.NewAccount("while computing a recursive CTE")
	o.next = newRowBuf(o.types)
	if o.p.Distinct {
		o.seen = newGroupTable(o.types, true)
	}
	o.cur, o.idx, o.iter, o.ended = o.anchor, o.p.AnchorIdx, 0, false
	return o.cur.Open(ctx)
}

func (o *recursiveOp) Next(ctx context.Context) (*coldata.Batch, error) {
	for !o.ended {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := o.cur.Next(ctx)
		if err == io.EOF {
			if err := o.round(ctx); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		t0 := time.Now()
		if out := o.keep(b); out != nil {
			if err := o.account(); err != nil {
				return nil, err
			}
			o.done(t0, out.Len())
			return out, nil
		}
	}
	return nil, io.EOF
}

// keep lays the batch's CTE columns out densely, drops rows seen before
// (UNION), adds the rest to the next working table and returns them (nil
// when none are left).
func (o *recursiveOp) keep(b *coldata.Batch) *coldata.Batch {
	n := b.Len()
	if n == 0 {
		return nil
	}
	if o.dense == nil {
		o.dense = &coldata.Batch{Vecs: make([]*coldata.Vec, len(o.types))}
	}
	d := o.dense
	for c, t := range o.types {
		v := coldata.NewVec(t, n)
		v.CopyFrom(b.Vecs[o.idx[c]], b.Sel, n, 0)
		d.Vecs[c] = v
	}
	d.N, d.Sel = n, nil
	if o.seen != nil {
		if cap(o.gids) < n {
			o.gids = make([]int32, n)
		}
		fresh := o.seen.insert(d.Vecs, n, nil, o.gids[:n])
		if len(fresh) == 0 {
			return nil
		}
		if len(fresh) < n {
			o.sel = append(o.sel[:0], fresh...)
			d.Sel = o.sel
		}
	}
	o.next.appendRows(d.Vecs, nil, d.Sel, d.Len())
	return d
}

func (o *recursiveOp) account() error {
	held := o.next.bytes() + vecsBytes(o.wt.cols)
	if o.seen != nil {
		held += o.seen.bytes()
	}
	return o.acc.Resize(held)
}

// round ends the current pipeline; the rows it added become the working
// table of a fresh step pipeline, or the CTE is complete when there are
// none.
func (o *recursiveOp) round(ctx context.Context) error {
	err := o.cur.Close()
	o.cur = nil
	if err != nil {
		return err
	}
	if o.next.Len() == 0 {
		o.ended = true
		o.wt.cols, o.wt.n = nil, 0
		return nil
	}
	o.iter++
	if o.iter > o.maxIter {
		return fmt.Errorf("Invalid Input Error: recursive CTE %q did not finish within %d iterations (SET recursive_cte_max_iterations to allow more)", o.p.Work.Name, o.maxIter)
	}
	o.wt.n = o.next.Len()
	o.wt.cols = o.next.take()
	o.b.runMu.Lock()
	s, err := o.b.build(o.p.Step)
	o.b.runMu.Unlock()
	if err != nil {
		return err
	}
	o.cur, o.idx = o.b.single(s), o.p.StepIdx
	return o.cur.Open(ctx)
}

func (o *recursiveOp) Close() error {
	var err error
	if o.cur != nil {
		err = o.cur.Close()
		o.cur = nil
	}
	o.ended = true
	o.wt.cols, o.wt.n = nil, 0
	o.next, o.seen, o.dense = nil, nil, nil
	o.acc.Close()
	return err
}

// workScanOp reads the working table a batch at a time.
type workScanOp struct {
	opStats
	wt    *workTable
	types []coldata.Type
	cols  []*coldata.Vec
	n     int
	pos   int
	sel   []int32
}

func (w *workScanOp) Types() []coldata.Type { return w.types }

func (w *workScanOp) Open(context.Context) error {
	w.cols, w.n, w.pos = w.wt.cols, w.wt.n, 0
	return nil
}

func (w *workScanOp) Next(ctx context.Context) (*coldata.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if w.pos >= w.n {
		return nil, io.EOF
	}
	t0 := time.Now()
	k := min(w.n-w.pos, coldata.DefaultBatchSize)
	w.sel = w.sel[:0]
	for i := range k {
		w.sel = append(w.sel, int32(w.pos+i))
	}
	out := &coldata.Batch{Vecs: make([]*coldata.Vec, len(w.types)), N: k}
	for c, t := range w.types {
		v := coldata.NewVec(t, k)
		v.CopyFrom(w.cols[c], w.sel, k, 0)
		out.Vecs[c] = v
	}
	w.pos += k
	w.done(t0, k)
	return out, nil
}

func (w *workScanOp) Close() error {
	w.cols, w.pos = nil, w.n
	return nil
}
