package exec

import (
	"context"
	"io"
	"sync/atomic"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/storage"
)

// memSource is the morsel queue of one scan of an in-memory table: the
// chunks of the snapshot the query was built with, handed out by an
// atomic counter. The chunks are immutable, so workers pass their vectors
// on without copying.
type memSource struct {
	data   *storage.MemData
	starts []int64 // row number of each chunk's first row (for the row id)
	cols   []int
	rowID  int // the position in cols of the row-id column, or -1
	types  []coldata.Type
	next   atomic.Int64
}

func (b *builder) memScan(p *planner.PhysScan) (stream, error) {
	if p.Table.Mem.IsStream() {
		return b.streamScan(p)
	}
	data := p.Table.Mem.Snapshot()
	src := &memSource{data: data, cols: p.ColIdx, types: planner.Types(p), rowID: -1}
	var at int64
	for _, ch := range data.Chunks {
		src.starts = append(src.starts, at)
		at += int64(storage.ChunkLen(ch))
	}
	for i, c := range p.ColIdx {
		if p.Table.RowID && c == len(p.Table.Columns)-1 {
			src.rowID = i
		}
	}
	n := min(b.threads, max(len(data.Chunks), 1))
	s := make(stream, n)
	for i := range s {
		s[i] = &memScanOp{src: src}
	}
	b.record(p, s)
	if p.Filter != nil {
		return b.filter(p, s, p.Filter, planner.Types(p))
	}
	return s, nil
}

type memScanOp struct {
	opStats
	src *memSource
	out *coldata.Batch
	ids *coldata.Vec
}

func (o *memScanOp) Types() []coldata.Type { return o.src.types }

func (o *memScanOp) Open(context.Context) error { return nil }

func (o *memScanOp) Next(ctx context.Context) (*coldata.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	s := o.src
	k := s.next.Add(1) - 1
	if k >= int64(len(s.data.Chunks)) {
		return nil, io.EOF
	}
	ch := s.data.Chunks[k]
	n := storage.ChunkLen(ch)
	if o.out == nil {
		o.out = &coldata.Batch{Vecs: make([]*coldata.Vec, len(s.cols))}
	}
	for i, c := range s.cols {
		if i == s.rowID {
			if o.ids == nil {
				o.ids = coldata.NewVec(coldata.TypeInt64, 0)
			}
			o.ids.Resize(n)
			for r := range n {
				o.ids.I64[r] = s.starts[k] + int64(r)
			}
			o.out.Vecs[i] = o.ids
			continue
		}
		o.out.Vecs[i] = ch[c]
	}
	o.out.N, o.out.Sel = n, nil
	o.done(t0, n)
	return o.out, nil
}

func (o *memScanOp) Close() error {
	o.out, o.ids = nil, nil
	return nil
}
