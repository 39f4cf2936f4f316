package exec

import (
	"context"
	"io"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// NewLimit skips offset rows of child then passes at most limit rows (limit
// < 0: all). Once satisfied it closes child at once, so upstream scans and
// worker goroutines stop instead of running to the end of their input.
func NewLimit(child Operator, offset, limit int64) Operator {
	return &limitOp{child: child, offset: max(offset, 0), limit: limit}
}

type limitOp struct {
	opStats
	child  Operator
	offset int64 // rows still to skip
	limit  int64 // rows still to emit; < 0 unbounded
	out    coldata.Batch
	sel    []int32
	eof    bool
	closed bool
}

func (l *limitOp) Types() []coldata.Type { return l.child.Types() }

func (l *limitOp) Open(ctx context.Context) error {
	if l.limit == 0 {
		return nil // the child will never be read
	}
	return l.child.Open(ctx)
}

func (l *limitOp) Next(ctx context.Context) (*coldata.Batch, error) {
	t0 := time.Now()
	for {
		if l.eof || l.limit == 0 {
			l.finish()
			return nil, io.EOF
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := l.child.Next(ctx)
		if err == io.EOF {
			l.eof = true
			continue
		}
		if err != nil {
			return nil, err
		}
		n := int64(b.Len())
		if n <= l.offset {
			l.offset -= n
			continue
		}
		skip, take := l.offset, n-l.offset
		if l.limit >= 0 && take > l.limit {
			take = l.limit
		}
		l.offset = 0
		if l.limit > 0 {
			l.limit -= take
		}
		if skip == 0 && take == n {
			l.done(t0, int(n))
			return b, nil
		}
		// Trim through our own selection: the child's batch is read-only.
		l.sel = l.sel[:0]
		for k := skip; k < skip+take; k++ {
			i := int32(k)
			if b.Sel != nil {
				i = b.Sel[k]
			}
			l.sel = append(l.sel, i)
		}
		l.out = coldata.Batch{Vecs: b.Vecs, N: b.N, Sel: l.sel}
		l.done(t0, int(take))
		return &l.out, nil
	}
}

// finish closes the child as soon as no more rows are wanted.
func (l *limitOp) finish() {
	if !l.closed {
		l.closed = true
		_ = l.child.Close()
	}
}

func (l *limitOp) Close() error {
	if l.closed {
		return nil
	}
	l.closed = true
	l.out = coldata.Batch{}
	return l.child.Close()
}
