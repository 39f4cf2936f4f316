package peregrine

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/peregrinedb/peregrine/exec"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Rows is a cursor over a statement's result, a batch at a time. It is not
// safe for concurrent use; Close it when done (Next closes it at the end).
type Rows struct {
	cols   []Column
	op     exec.Operator
	query  *exec.Query
	closed bool
	guard  *queryGuard // max_query_time, max_result_rows (sandbox.go)
	// changed marks a result that is the number of rows the statement
	// changed (COPY's Count), DuckDB's CHANGED_ROWS kind of result.
	changed bool
	count   int64
}

// Changes reports whether the result is the number of rows the statement
// changed rather than a query result, and that number: such a result has
// one BIGINT column, Count, and one row holding n (COPY … TO gives the
// rows written, as DuckDB does). DuckDB's shell prints no table for such a
// statement; its .changes setting reports n instead.
func (r *Rows) Changes() (n int64, ok bool) { return r.count, r.changed }

// changedRows is the result of a statement that changed n rows.
func changedRows(n int64) *Rows {
	r := valueRows([]Column{{"Count", coldata.TypeInt64}}, [][]coldata.Datum{{{I: n}}})
	r.changed, r.count = true, n
	return r
}

// Columns describes the result columns.
func (r *Rows) Columns() []Column { return r.cols }

// Next returns the next non-empty batch, or (nil, nil) at the end. The batch
// is valid until the next call; it may carry a selection vector.
func (r *Rows) Next(ctx context.Context) (b *coldata.Batch, err error) {
	defer func() {
		if err != nil {
			return
		}
		if p := recover(); p != nil {
			r.Close()
			b, err = nil, fmt.Errorf("internal error: %v", p)
		}
	}()
	if r.closed || r.op == nil {
		return nil, nil
	}
	ctx, done := r.guard.bind(ctx)
	defer done()
	for {
		if err := ctx.Err(); err != nil {
			r.Close()
			return nil, r.guard.explain(context.Cause(ctx))
		}
		b, err := r.op.Next(ctx)
		if errors.Is(err, io.EOF) || (err == nil && b == nil) {
			return nil, r.Close()
		}
		if err != nil {
			r.Close()
			return nil, r.guard.explain(err)
		}
		if b.Len() > 0 {
			if err := r.guard.count(b.Len()); err != nil {
				r.Close()
				return nil, err
			}
			return b, nil
		}
	}
}

// Close stops the query and frees its resources. It is idempotent.
func (r *Rows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.guard.release()
	if r.op != nil {
		return r.op.Close()
	}
	return nil
}

func emptyRows() *Rows { return &Rows{} }

func valueRows(cols []Column, rows [][]coldata.Datum) *Rows {
	types := make([]coldata.Type, len(cols))
	for i, c := range cols {
		types[i] = c.Type
	}
	op := exec.NewValues(types, rows)
	r := &Rows{cols: cols, op: op}
	if err := op.Open(context.Background()); err != nil {
		r.op = nil
	}
	return r
}
