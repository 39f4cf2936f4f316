package exec

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/storage"
)

// streamScan reads a one-pass table (RegisterArrowReader): its workers
// pull the source's chunks as they go, so the stream is never held whole.
// Only the first query that scans it gets its rows.
func (b *builder) streamScan(p *planner.PhysScan) (stream, error) {
	if !p.Table.Mem.StartStream() {
		return nil, fmt.Errorf("Invalid Input Error: table %s is a one-pass stream that was already read", p.Table.Name)
	}
	s := make(stream, b.threads)
	for i := range s {
		s[i] = &streamScanOp{mem: p.Table.Mem, cols: p.ColIdx, types: planner.Types(p)}
	}
	b.record(p, s)
	if p.Filter != nil {
		return b.filter(p, s, p.Filter, planner.Types(p))
	}
	return s, nil
}

type streamScanOp struct {
	opStats
	mem   *storage.MemTable
	cols  []int
	types []coldata.Type
	out   *coldata.Batch
	ended bool
}

func (o *streamScanOp) Types() []coldata.Type { return o.types }

func (o *streamScanOp) Open(context.Context) error { return nil }

func (o *streamScanOp) Next(ctx context.Context) (*coldata.Batch, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if o.ended {
			return nil, io.EOF
		}
		t0 := time.Now()
		ch, err := o.mem.NextChunk()
		if err != nil {
			return nil, err
		}
		if ch == nil {
			o.ended = true
			return nil, io.EOF
		}
		n := storage.ChunkLen(ch)
		if n == 0 {
			continue
		}
		if o.out == nil {
			o.out = &coldata.Batch{Vecs: make([]*coldata.Vec, len(o.cols))}
		}
		for i, c := range o.cols {
			o.out.Vecs[i] = ch[c]
		}
		o.out.N, o.out.Sel = n, nil
		o.done(t0, n)
		return o.out, nil
	}
}

func (o *streamScanOp) Close() error {
	o.out = nil
	return nil
}
