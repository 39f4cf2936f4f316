package peregrine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

func init() {
	sql.Register("peregrine", &Driver{})
}

// Driver is the database/sql driver. All connections of one sql.DB share a
// single engine DB (one catalog and file cache).
type Driver struct{}

// Open opens a standalone connection (database/sql prefers OpenConnector).
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector parses the DSN: a directory path ("" for in-memory), with
// optional query parameters naming settings as SET takes them (threads,
// memory_limit, temp_directory, enable_external_access,
// allowed_directories, allowed_paths, lock_configuration, max_query_time,
// max_result_rows), e.g. "data/tpch?threads=4&memory_limit=2GB" or
// "data?enable_external_access=false&lock_configuration=true".
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	dir, params, _ := strings.Cut(dsn, "?")
	db, err := Open(dir)
	if err != nil {
		return nil, err
	}
	if params != "" {
		vals, err := url.ParseQuery(params)
		if err != nil {
			return nil, fmt.Errorf("invalid DSN options %q: %v", params, err)
		}
		// The same settings as SET and Open's options, in an order
		// that lets them combine (the lock last).
		var opts []Option
		for k, v := range vals {
			opts = append(opts, WithSetting(k, v[len(v)-1]))
		}
		if err := db.applyOptions(opts); err != nil {
			db.Close()
			return nil, fmt.Errorf("DSN option: %w", err)
		}
	}
	return &connector{db: db, drv: d}, nil
}

type connector struct {
	db  *DB
	drv *Driver
}

func (c *connector) Connect(context.Context) (driver.Conn, error) {
	return &conn{db: c.db, s: c.db.Connect()}, nil
}
func (c *connector) Driver() driver.Driver { return c.drv }

// Close is called by sql.DB.Close.
func (c *connector) Close() error { return c.db.Close() }

// conn is a database/sql connection: a session (Conn) of the database, so
// SET SESSION memory_limit holds for the queries of that connection.
type conn struct {
	db *DB
	s  *Conn
}

// Prepare parses the statement once; every connection preparing the same
// text shares the prepared statement and its bound plans.
func (c *conn) Prepare(query string) (driver.Stmt, error) {
	ps, err := c.db.preparedText(query)
	if err != nil {
		return nil, err
	}
	return &stmt{c: c, ps: ps}, nil
}
func (c *conn) Close() error { return nil }
func (c *conn) Begin() (driver.Tx, error) {
	return nil, errors.New("peregrine: transactions are not supported (read-only engine)")
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if head, last, ok := splitScript(query, len(args)); ok {
		if err := c.execHead(ctx, head); err != nil {
			return nil, err
		}
		query = last
	}
	r, err := c.db.Query(c.s.with(ctx), query, namedArgs(args)...)
	if err != nil {
		return nil, err
	}
	return &rows{ctx: ctx, r: r}, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	n, err := c.db.exec(c.s.with(ctx), query, namedArgs(args))
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(n), nil
}

// namedArgs passes database/sql's arguments on: sql.Named ones go to $name.
func namedArgs(args []driver.NamedValue) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a.Value
		if a.Name != "" {
			out[i] = sql.Named(a.Name, a.Value)
		}
	}
	return out
}

type stmt struct {
	c  *conn
	ps *Stmt
}

func (s *stmt) Close() error  { return nil }
func (s *stmt) NumInput() int { return -1 }
func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}
func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	r, err := s.ps.Query(s.c.s.with(ctx), namedArgs(args)...)
	if err != nil {
		return nil, err
	}
	return &rows{ctx: ctx, r: r}, nil
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	r, err := s.ps.Query(s.c.s.with(ctx), namedArgs(args)...)
	if err != nil {
		return nil, err
	}
	n, err := drain(ctx, r)
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(n), nil
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return out
}

// rows adapts the batch cursor to database/sql's row-at-a-time interface.
type rows struct {
	ctx context.Context
	r   *Rows
	b   *coldata.Batch
	k   int
}

func (r *rows) Columns() []string {
	cols := r.r.Columns()
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

func (r *rows) Close() error { return r.r.Close() }

// ColumnTypeDatabaseTypeName reports the SQL type of column i
// (driver.RowsColumnTypeDatabaseTypeName), e.g. "DECIMAL(15,2)".
func (r *rows) ColumnTypeDatabaseTypeName(i int) string { return r.r.Columns()[i].Type.String() }

// ColumnTypeScanType is the Go type of column i's values
// (driver.RowsColumnTypeScanType): Decimal for DECIMAL, time.Time for
// DATE and TIMESTAMP, []any, map[string]any or map[any]any for nested types.
func (r *rows) ColumnTypeScanType(i int) reflect.Type { return scanType(r.r.Columns()[i].Type) }

// ColumnTypeNullable reports that any result column may hold NULL
// (driver.RowsColumnTypeNullable).
func (r *rows) ColumnTypeNullable(int) (nullable, ok bool) { return true, true }

// ColumnTypePrecisionScale reports a DECIMAL column's precision and scale
// (driver.RowsColumnTypePrecisionScale).
func (r *rows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	t := r.r.Columns()[i].Type
	if t.ID != coldata.Decimal {
		return 0, 0, false
	}
	return int64(t.Precision), int64(t.Scale), true
}

func (r *rows) Next(dest []driver.Value) error {
	for r.b == nil || r.k >= r.b.Len() {
		b, err := r.r.Next(r.ctx)
		if err != nil {
			return err
		}
		if b == nil {
			return io.EOF
		}
		r.b, r.k = b, 0
	}
	i := r.k
	if r.b.Sel != nil {
		i = int(r.b.Sel[r.k])
	}
	r.k++
	for c, v := range r.b.Vecs {
		dest[c] = driverValue(v, i)
	}
	return nil
}
