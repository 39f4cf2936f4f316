package exec

import (
	"context"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// NewFilter keeps the rows of child for which pred is TRUE. It narrows the
// selection vector and never copies column data; batches left empty are
// skipped so consumers never see them.
func NewFilter(child Operator, pred Selector) Operator {
	return &filter{child: child, pred: pred}
}

type filter struct {
	opStats
	child Operator
	pred  Selector
	// out is a shallow copy of the child's batch: the child owns its batch
	// and the contract forbids modifying it, so the narrowed Sel lives here.
	out    coldata.Batch
	sel    []int32
	closed bool
}

func (f *filter) Types() []coldata.Type { return f.child.Types() }

func (f *filter) Open(ctx context.Context) error { return f.child.Open(ctx) }

func (f *filter) Next(ctx context.Context) (*coldata.Batch, error) {
	t0 := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := f.child.Next(ctx)
		if err != nil {
			return nil, err
		}
		f.out.Vecs, f.out.N, f.out.Sel = b.Vecs, b.N, nil
		if b.Sel != nil {
			f.sel = append(f.sel[:0], b.Sel...)
			f.out.Sel = f.sel
		}
		if f.out.Len() == 0 {
			continue
		}
		if err := f.pred.Select(&f.out); err != nil {
			return nil, err
		}
		if n := f.out.Len(); n > 0 {
			f.done(t0, n)
			return &f.out, nil
		}
	}
}

func (f *filter) Close() error {
	if f.closed {
		return nil
	}
	f.closed = true
	f.out = coldata.Batch{}
	return f.child.Close()
}
