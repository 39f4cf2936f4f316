package peregrine

import (
	"context"
	"strings"

	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/storage"
)

// INSERT/UPDATE/DELETE ... RETURNING exprs: the statement's result is the
// RETURNING list computed over the rows it inserted, updated (their new
// values) or deleted, as a query over those rows standing in for the table
// (so t.col, *, and any expression work).

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

// returningQuery is a RETURNING list bound before the statement writes
// (so that a list that does not bind changes nothing), run after it.
type returningQuery struct {
	db    *DB
	mem   *storage.MemTable
	cols  []scan.Column
	plan  planner.Node
	names []string
}

// prepareReturning binds a RETURNING list over rows of t (inserted,
// updated with their new values, or deleted), named table in the
// statement; nil when there is no list.
func (db *DB) prepareReturning(ctx context.Context, table *ast.Name, items []*ast.SelectItem, t *localTable) (*returningQuery, error) {
	if len(items) == 0 {
		return nil, nil
	}
	cols := t.mem.Snapshot().Columns
	mem := storage.NewMemTable(cols)
	name := t.schema.Name
	// DuckDB's RETURNING names the table, not the statement's alias.
	at := table.At
	from := &ast.TableName{At: at, Name: table}
	q := &ast.Query{At: at, Body: &ast.Select{At: at, Items: items, From: []ast.TableExpr{from}}}
	cat := returningCatalog{queryCatalog: db.queryCatalog(ctx), name: name, rows: mem.Table(name)}
	bound, err := sql.BindQueryNode(q, q.String(), cat)
	if err != nil {
		return nil, err
	}
	return &returningQuery{db: db, mem: mem, cols: cols, plan: bound.Plan, names: bound.Names}, nil
}

// run computes the list over rows.
func (r *returningQuery) run(ctx context.Context, rows *storage.MemBuilder) (*Rows, error) {
	r.mem.Publish(rows.Data(r.cols))
	phys, err := r.db.planNode(r.plan)
	if err != nil {
		return nil, err
	}
	return r.db.start(ctx, phys, r.names)
}
