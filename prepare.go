package peregrine

import (
	"context"
	dbsql "database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql"
)

// Stmt is a prepared statement: parsed once, bound once per combination of
// its parameters' types, and run with new values each time. It is safe for
// concurrent use by many goroutines. Tables are resolved when the
// statement is first bound: files added to a table later are not seen by
// it (prepare it again).
type Stmt struct {
	db *DB
	st sql.Statement

	mu    sync.Mutex
	bound map[boundKey]*sql.Bound
}

// boundKey identifies one binding of a prepared statement's query: the
// query (a statement such as EXPLAIN holds one) and its argument types.
type boundKey struct {
	q     *sql.Query
	types string
	// version is the database's schema version (CREATE, DROP, ALTER):
	// a plan bound before a change is bound again.
	version uint64
}

// Prepare parses one statement for repeated execution with parameters
// (?, $1 or $name).
func (db *DB) Prepare(ctx context.Context, text string) (s *Stmt, err error) {
	defer recoverInternal(&err)
	st, err := sql.Parse(text)
	if err != nil {
		return nil, err
	}
	return db.newStmt(st), nil
}

func (db *DB) newStmt(st sql.Statement) *Stmt {
	return &Stmt{db: db, st: st, bound: map[boundKey]*sql.Bound{}}
}

// Query runs the statement with args as its parameters' values.
func (s *Stmt) Query(ctx context.Context, args ...any) (rows *Rows, err error) {
	defer recoverInternal(&err)
	vals, err := toArgs(args)
	if err != nil {
		return nil, err
	}
	return s.db.run(ctx, s.st, vals, s)
}

// Close releases the statement.
func (s *Stmt) Close() error {
	s.mu.Lock()
	s.bound = map[boundKey]*sql.Bound{}
	s.mu.Unlock()
	return nil
}

// bind returns q's bound plan for args' types, binding it the first time.
func (s *Stmt) bind(q *sql.Query, cat sql.Catalog, args []sql.Arg) (*sql.Bound, error) {
	key := boundKey{q: q, types: sql.ArgTypes(args), version: s.db.objs.version.Load()}
	s.mu.Lock()
	b, ok := s.bound[key]
	s.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := sql.Bind(q, cat, args...)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.bound[key] = b
	s.mu.Unlock()
	return b, nil
}

// logicalPlan binds q (through the prepared statement's cache when there is
// one) and returns a plan with the parameters' values in it.
func (db *DB) logicalPlan(ctx context.Context, q *sql.Query, args []sql.Arg, prep *Stmt) (planner.Node, []string, error) {
	cat := db.queryCatalog(ctx)
	if prep == nil {
		bound, err := sql.Bind(q, cat, args...)
		if err != nil {
			return nil, nil, err
		}
		if len(args) == 0 {
			return bound.Plan, bound.Names, nil
		}
		node, err := bound.Instantiate(args)
		return node, bound.Names, err
	}
	bound, err := prep.bind(q, cat, args)
	if err != nil {
		return nil, nil, err
	}
	// The cached plan stays as bound; each run plans its own copy.
	node, err := bound.Instantiate(args)
	return node, bound.Names, err
}

// prepared is the SQL-level PREPARE / EXECUTE / DEALLOCATE state.
func (db *DB) prepareNamed(p *sql.Prepare) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.prepared == nil {
		db.prepared = map[string]*Stmt{}
	}
	db.prepared[p.Name] = db.newStmt(p.Stmt)
}

func (db *DB) execute(ctx context.Context, e *sql.Execute) (*Rows, error) {
	s, err := db.preparedNamed(e.Name)
	if err != nil {
		return nil, err
	}
	return db.run(ctx, s.st, e.Args, s)
}

func (db *DB) preparedNamed(name string) (*Stmt, error) {
	db.mu.RLock()
	s, ok := db.prepared[name]
	db.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("Binder Error: Prepared statement %q does not exist", name)
	}
	return s, nil
}

func (db *DB) deallocate(d *sql.Deallocate) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if d.All {
		db.prepared = nil
		return
	}
	delete(db.prepared, d.Name)
}

// toArgs converts Go values to parameter values: integers, floats, bools,
// strings, []byte, time.Time (a TIMESTAMP), nil (NULL), driver.Valuer and
// sql.Named for $name parameters.
func toArgs(args []any) ([]sql.Arg, error) {
	out := make([]sql.Arg, len(args))
	for i, a := range args {
		name := ""
		if n, ok := a.(dbsql.NamedArg); ok {
			name, a = n.Name, n.Value
		}
		v, err := toArg(a)
		if err != nil {
			return nil, fmt.Errorf("Invalid Input Error: parameter %d: %v", i+1, err)
		}
		v.Name = name
		out[i] = v
	}
	return out, nil
}

func toArg(a any) (sql.Arg, error) {
	if v, ok := a.(driver.Valuer); ok {
		x, err := v.Value()
		if err != nil {
			return sql.Arg{}, err
		}
		a = x
	}
	intArg := func(i int64) sql.Arg {
		if i >= math.MinInt32 && i <= math.MaxInt32 {
			return sql.Arg{Val: coldata.Datum{I: i}, Typ: coldata.TypeInt32}
		}
		return sql.Arg{Val: coldata.Datum{I: i}, Typ: coldata.TypeInt64}
	}
	switch v := a.(type) {
	case nil:
		return sql.Arg{Val: coldata.NullDatum, Typ: coldata.TypeUnknown}, nil
	case int:
		return intArg(int64(v)), nil
	case int8:
		return intArg(int64(v)), nil
	case int16:
		return intArg(int64(v)), nil
	case int32:
		return intArg(int64(v)), nil
	case int64:
		return intArg(v), nil
	case uint8:
		return intArg(int64(v)), nil
	case uint16:
		return intArg(int64(v)), nil
	case uint32:
		return intArg(int64(v)), nil
	case uint:
		if uint64(v) > math.MaxInt64 {
			return sql.Arg{}, fmt.Errorf("%d does not fit in BIGINT", v)
		}
		return intArg(int64(v)), nil
	case uint64:
		if v > math.MaxInt64 {
			return sql.Arg{}, fmt.Errorf("%d does not fit in BIGINT", v)
		}
		return intArg(int64(v)), nil
	case float32:
		return sql.Arg{Val: coldata.Datum{F: float64(v)}, Typ: coldata.TypeFloat64}, nil
	case float64:
		return sql.Arg{Val: coldata.Datum{F: v}, Typ: coldata.TypeFloat64}, nil
	case bool:
		return sql.Arg{Val: coldata.Datum{B: v}, Typ: coldata.TypeBool}, nil
	case string:
		return sql.Arg{Val: coldata.Datum{S: v}, Typ: coldata.TypeString}, nil
	case []byte:
		return sql.Arg{Val: coldata.Datum{S: string(v)}, Typ: coldata.TypeString}, nil
	case time.Time:
		return sql.Arg{Val: coldata.Datum{I: v.UTC().UnixMicro()}, Typ: coldata.TypeTimestamp}, nil
	}
	return sql.Arg{}, fmt.Errorf("values of Go type %T are not supported", a)
}

// preparedText returns the prepared statement for text, shared by all
// connections of a database/sql pool (at most maxShared are kept).
func (db *DB) preparedText(text string) (*Stmt, error) {
	db.mu.Lock()
	s, ok := db.shared[text]
	db.mu.Unlock()
	if ok {
		return s, nil
	}
	s, err := db.Prepare(context.Background(), text)
	if err != nil {
		return nil, err
	}
	db.mu.Lock()
	if db.shared == nil || len(db.shared) >= maxShared {
		db.shared = map[string]*Stmt{}
	}
	db.shared[text] = s
	db.mu.Unlock()
	return s, nil
}

const maxShared = 256

// drain reads a result to its end (Exec's statements) and returns the
// rows the statement changed (0 for a query; see Rows.Changes).
func drain(ctx context.Context, rows *Rows) (int64, error) {
	n, _ := rows.Changes()
	for {
		b, err := rows.Next(ctx)
		if err != nil {
			rows.Close()
			return 0, err
		}
		if b == nil {
			return n, rows.Close()
		}
	}
}
