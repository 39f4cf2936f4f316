package peregrine

import (
	"context"
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// Appender loads rows into a table of the database from Go, like
// go-duckdb's: rows are buffered column by column and added by Flush (or
// Close) as one statement, with the table's constraints checked; a Flush
// that fails adds none of its rows. An Appender is not safe for concurrent
// use.
type Appender struct {
	db    *DB
	ctx   context.Context
	table string
	types []coldata.Type
	buf   *storage.MemBuilder
	batch *coldata.Batch
	err   error
}

// appendBatch is how many rows the Appender gathers before moving them
// into its buffer.
const appendBatch = coldata.DefaultBatchSize

// NewAppender returns an Appender for table, one of the database's own
// tables (CREATE TABLE).
func (db *DB) NewAppender(ctx context.Context, table string) (*Appender, error) {
	t := db.objs.table(table)
	if t == nil {
		_, err := db.writeTarget(ctx, table)
		return nil, err
	}
	types := t.schema.Types()
	return &Appender{db: db, ctx: ctx, table: table, types: types, buf: storage.NewMemBuilder(types),
		batch: &coldata.Batch{Vecs: newVecs(types)}}, nil
}

func newVecs(types []coldata.Type) []*coldata.Vec {
	out := make([]*coldata.Vec, len(types))
	for i, t := range types {
		out[i] = coldata.NewVec(t, appendBatch)
	}
	return out
}

// AppendRow adds one row: one value per column, of a Go type that
// converts to the column's type as a query parameter would (nil is NULL).
func (a *Appender) AppendRow(values ...any) error {
	if a.err != nil {
		return a.err
	}
	if len(values) != len(a.types) {
		return fmt.Errorf("Invalid Input Error: Call to AppendRow with %d values, but the table has %d columns", len(values), len(a.types))
	}
	i := a.batch.N
	for c, v := range values {
		arg, err := toArg(v)
		if err != nil {
			return fmt.Errorf("Invalid Input Error: column %d: %v", c+1, err)
		}
		d, err := sql.CastValue(arg.Val, arg.Typ, a.types[c])
		if err != nil {
			return fmt.Errorf("Conversion Error: column %d: %v", c+1, err)
		}
		a.batch.Vecs[c].Set(i, d)
	}
	a.batch.N++
	if a.batch.N == appendBatch {
		a.move()
	}
	return nil
}

// move copies the gathered rows into the buffer and starts a new batch.
func (a *Appender) move() {
	if a.batch.N == 0 {
		return
	}
	a.buf.Append(a.batch)
	a.batch = &coldata.Batch{Vecs: newVecs(a.types)}
}

// Flush adds the rows appended so far to the table, atomically.
func (a *Appender) Flush() error {
	if a.err != nil {
		return a.err
	}
	a.move()
	if a.buf.Rows() == 0 {
		return nil
	}
	buf := a.buf
	a.buf = storage.NewMemBuilder(a.types)
	db := a.db
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	t, err := db.writeTarget(a.ctx, a.table)
	if err != nil {
		return err
	}
	if !sameTypes(t.schema.Types(), a.types) {
		return fmt.Errorf("Invalid Input Error: table %s changed since the Appender was created", a.table)
	}
	_, err = db.appendRows(a.ctx, t, buf)
	return err
}

// Close flushes the remaining rows; the Appender cannot be used after.
func (a *Appender) Close() error {
	err := a.Flush()
	if a.err == nil {
		a.err = fmt.Errorf("Invalid Input Error: the Appender is closed")
	}
	return err
}

func sameTypes(a, b []coldata.Type) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
