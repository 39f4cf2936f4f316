package exec

import (
	"context"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// repeatBatch is how many rows a repeat emits per batch at most.
const repeatBatch = 2048

// NewRepeat emits each row of child as many times as its BIGINT column
// count says (none when the count is NULL or not positive): INTERSECT ALL
// and EXCEPT ALL turn per-row counts back into rows. A row repeated more
// than a batch holds spans several batches.
func NewRepeat(child Operator, count int) Operator {
	return &repeatOp{child: child, count: count}
}

type repeatOp struct {
	opStats
	child Operator
	count int
	in    *coldata.Batch // the batch being repeated (nil: read the next)
	k     int            // its live row being repeated
	left  int64          // copies of row k still to emit
	idx   []int32
	out   *coldata.Batch
}

func (r *repeatOp) Types() []coldata.Type { return r.child.Types() }

func (r *repeatOp) Open(ctx context.Context) error { return r.child.Open(ctx) }

func (r *repeatOp) Next(ctx context.Context) (*coldata.Batch, error) {
	t0 := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if r.in == nil {
			b, err := r.child.Next(ctx)
			if err != nil {
				return nil, err // io.EOF included
			}
			r.in, r.k, r.left = b, 0, -1
		}
		b := r.in
		r.fill()
		if len(r.idx) > 0 {
			r.gather(b)
			r.done(t0, r.out.N)
			return r.out, nil
		}
	}
}

// fill collects the input rows of the next output batch into idx; it
// leaves r.in nil when the input batch is used up.
func (r *repeatOp) fill() {
	r.idx = r.idx[:0]
	b, cv := r.in, r.in.Vecs[r.count]
	n := b.Len()
	for r.k < n && len(r.idx) < repeatBatch {
		i := int32(r.k)
		if b.Sel != nil {
			i = b.Sel[r.k]
		}
		if r.left < 0 {
			r.left = 0
			if !cv.IsNull(int(i)) {
				r.left = max(cv.I64[i], 0)
			}
		}
		take := min(r.left, int64(repeatBatch-len(r.idx)))
		for ; take > 0; take-- {
			r.idx = append(r.idx, i)
			r.left--
		}
		if r.left == 0 {
			r.k, r.left = r.k+1, -1
		}
	}
	if r.k >= n {
		r.in = nil
	}
}

// gather copies the collected rows of b densely into the output batch.
func (r *repeatOp) gather(b *coldata.Batch) {
	n := len(r.idx)
	if r.out == nil {
		r.out = coldata.NewBatch(r.child.Types(), n)
	}
	r.out.Reset(n)
	for c, v := range b.Vecs {
		r.out.Vecs[c].CopyFrom(v, r.idx, n, 0)
	}
}

func (r *repeatOp) Close() error {
	r.in, r.out = nil, nil
	return r.child.Close()
}
