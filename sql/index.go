package sql

import "github.com/peregrinedb/peregrine/sql/ast"

// CreateIndex is CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON t (cols).
// An index changes no query's result; a UNIQUE one is a constraint on the
// table's rows, enforced like UNIQUE (the root package keeps both).
type CreateIndex struct {
	AST *ast.CreateIndex
}

func (*CreateIndex) statement() {}

// IndexColumns are the indexed columns' names; ok is false when an entry
// is an expression rather than a column.
func (c *CreateIndex) IndexColumns() (cols []string, bad ast.Expr) {
	for _, e := range c.AST.Exprs {
		ref, isCol := e.(*ast.ColumnRef)
		if !isCol || len(ref.Parts) != 1 {
			return nil, e
		}
		cols = append(cols, ref.Parts[0].Name)
	}
	return cols, nil
}

// NotImplementedAt is the positioned "Not implemented" error for a part
// of a statement the root package cannot run.
func NotImplementedAt(n ast.Node, construct, text string) error {
	return withSource(notImplemented(n, construct), text)
}
