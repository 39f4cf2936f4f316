package exec

import (
	"context"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Operator is a pull-based, batch-at-a-time iterator.
//
// Next returns (nil, io.EOF) at the end. A returned batch stays valid until
// the next call to Next or Close; the caller must not modify it unless the
// operator documents otherwise. Close is idempotent and releases memory,
// goroutines and spill files. Errors are returned, never panicked.
type Operator interface {
	Open(ctx context.Context) error
	Next(ctx context.Context) (*coldata.Batch, error)
	Close() error
	// Types describes the output vectors.
	Types() []coldata.Type
}

// VecExpr evaluates a compiled scalar expression over the live rows of a
// batch. The result has physical length b.N, aligned with the input rows;
// only the live rows (b.Sel, or all when nil) are meaningful. The result is
// owned by the expression and overwritten by the next Eval.
type VecExpr interface {
	Eval(b *coldata.Batch) (*coldata.Vec, error)
}

// Selector narrows b.Sel to the live rows for which a compiled predicate is
// TRUE (NULL and FALSE drop the row). When no row passes it must leave a
// non-nil, empty Sel: a nil Sel means every row is live.
type Selector interface {
	Select(b *coldata.Batch) error
}
