package peregrine

import (
	"context"
	"strings"

	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/storage"
)

// INSERT ... RETURNING exprs: the statement's result is the RETURNING
// list computed over the rows it inserted, as a query over those rows
// standing in for the table (so t.col, *, and any expression work).

// returningCatalog resolves the target's name to the inserted rows.
type returningCatalog struct {
	queryCatalog
	name string
	rows *storage.Table
}

func (c returningCatalog) LocalTable(name string) *storage.Table {
	if strings.EqualFold(name, c.name) {
		return c.rows
	}
	return c.queryCatalog.LocalTable(name)
}

// returning runs the RETURNING list of ins over rows.
func (db *DB) returning(ctx context.Context, ins *ast.Insert, t *localTable, rows *storage.MemBuilder) (*Rows, error) {
	cols := t.mem.Snapshot().Columns
	mem := storage.NewMemTable(cols)
	mem.Publish(rows.Data(cols))
	name := t.schema.Name
	// DuckDB's RETURNING names the table, not INSERT's alias.
	from := &ast.TableName{At: ins.At, Name: ins.Table}
	q := &ast.Query{At: ins.At, Body: &ast.Select{At: ins.At, Items: ins.Returning, From: []ast.TableExpr{from}}}
	cat := returningCatalog{queryCatalog: db.queryCatalog(ctx), name: name, rows: mem.Table(name)}
	bound, err := sql.BindQueryNode(q, q.String(), cat)
	if err != nil {
		return nil, err
	}
	phys, err := db.planNode(bound.Plan)
	if err != nil {
		return nil, err
	}
	return db.start(ctx, phys, bound.Names)
}
