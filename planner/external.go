package planner

import (
	"context"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// ExternalSource is a relation read by its own reader rather than the
// Parquet scan: CSV and JSON files. It is carried by a Values node (with
// no Rows) so that every rule treating Values as a leaf treats it as one;
// prune narrows the columns it reads (Values.ColIdx).
type ExternalSource interface {
	// Describe names the source for EXPLAIN.
	Describe() string
	// EstimatedRows guesses the row count for the cost model.
	EstimatedRows() float64
	// Start begins reading the source's columns cols for one query, for
	// up to workers readers.
	Start(ctx context.Context, cols []int, workers int) (ExternalRun, error)
}

// ExternalRun is one query's read of an ExternalSource: its readers share
// the work (each batch comes from exactly one of them).
type ExternalRun interface {
	Reader() ExternalReader
	Close() error
}

// ExternalReader yields batches of the columns asked for; io.EOF at the
// end. A batch stays valid until the next call.
type ExternalReader interface {
	Next(ctx context.Context) (*coldata.Batch, error)
}

// pruneExternal keeps the columns of an external source read above it
// (at least one, for counts).
func pruneExternal(n *Values, need map[ColID]bool) *Values {
	v := *n
	v.Out, v.ColIdx = nil, nil
	for i, c := range n.Out {
		if need[c.ID] {
			v.Out = append(v.Out, c)
			v.ColIdx = append(v.ColIdx, n.ColIdx[i])
		}
	}
	if len(v.Out) == 0 && len(n.Out) > 0 {
		v.Out, v.ColIdx = n.Out[:1:1], n.ColIdx[:1:1]
	}
	return &v
}
