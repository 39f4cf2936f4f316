package exec

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// NewValues emits constant rows (VALUES lists, constant folding results,
// tests) in batches of at most coldata.DefaultBatchSize.
func NewValues(types []coldata.Type, rows [][]coldata.Datum) Operator {
	return &values{types: types, rows: rows}
}

type values struct {
	opStats
	types []coldata.Type
	rows  [][]coldata.Datum
	pos   int
	out   *coldata.Batch
}

func (v *values) Types() []coldata.Type { return v.types }

func (v *values) Open(context.Context) error {
	for i, r := range v.rows {
		if len(r) != len(v.types) {
			return fmt.Errorf("Internal Error: values: row %d has %d columns, want %d", i, len(r), len(v.types))
		}
	}
	v.pos = 0
	return nil
}

func (v *values) Next(ctx context.Context) (*coldata.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if v.pos >= len(v.rows) {
		return nil, io.EOF
	}
	t0 := time.Now()
	n := min(len(v.rows)-v.pos, coldata.DefaultBatchSize)
	if v.out == nil {
		v.out = coldata.NewBatch(v.types, n)
	}
	v.out.Reset(n)
	for k, r := range v.rows[v.pos : v.pos+n] {
		for c, d := range r {
			v.out.Vecs[c].Set(k, d)
		}
	}
	v.pos += n
	v.done(t0, n)
	return v.out, nil
}

func (v *values) Close() error {
	v.out = nil
	v.pos = len(v.rows)
	return nil
}
