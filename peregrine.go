package peregrine

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/peregrinedb/peregrine/exec"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/exec/kernel"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
	"github.com/peregrinedb/peregrine/storage/tempdir"
)

func init() {
	// The planner prunes partitions by evaluating filters on partition
	// values; it uses the executor's kernels without importing them.
	planner.EvalConst = kernel.EvalConst
}

// DB is a database: a catalog of Parquet tables plus settings. It is safe
// for concurrent use by many goroutines.
type DB struct {
	cat *storage.Catalog

	mu      sync.RWMutex
	threads int
	tempDir string
	// maxRecursion bounds a recursive CTE's rounds (0: the default).
	maxRecursion int64
	// intDiv and nullOrder are integer_division and default_null_order,
	// read by the binder through queryCatalog (session_settings.go).
	intDiv    bool
	nullOrder string
	// mem is this database's budget, under the process's ceiling (see
	// settings.go); temp bounds its spill files on disk.
	mem  *exec.MemoryPool
	temp *exec.TempSpace
	// guard holds the lock and the limits for untrusted SQL (sandbox.go).
	guard guard
	// prepared holds the statements of SQL's PREPARE, by lower-case name;
	// shared those database/sql prepared, by text.
	prepared map[string]*Stmt
	shared   map[string]*Stmt
	// objs are the database's own tables and views (ddl.go).
	objs *localObjects
}

// Open opens the directory dir as a database ("" for an empty in-memory
// database where tables are named by path). Options are settings applied
// before the first query (see sandbox.go's WithExternalAccess and others).
func Open(dir string, opts ...Option) (*DB, error) {
	cat, err := storage.Open(dir)
	if err != nil {
		return nil, err
	}
	// Every start clears what processes that are gone left in the
	// temporary folder (spill files, COPY's staging) and finishes their
	// interrupted commits; once per process.
	tempdir.SweepOnce("")
	db := &DB{cat: cat, threads: runtime.GOMAXPROCS(0),
		mem: exec.NewChildPool(exec.DefaultMemoryLimit(), process.mem), temp: exec.NewTempSpace(),
		objs: newLocalObjects()}
	if err := db.loadViews(); err != nil {
		return nil, err
	}
	registerDB(db)
	exec.TuneGC() // the heap stays near what queries hold (see exec/gctune.go)
	if err := db.applyOptions(opts); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close releases cached file handles.
func (db *DB) Close() error {
	unregisterDB(db)
	db.objs.write.Lock()
	db.objs.lock.Release()
	db.objs.lock = nil
	db.objs.closeTables()
	db.objs.write.Unlock()
	return db.cat.Close()
}

// Threads is the number of worker threads queries use.
func (db *DB) Threads() int {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.threads
}

// SetThreads sets the number of worker threads (at least 1).
func (db *DB) SetThreads(n int) error {
	if n < 1 {
		return fmt.Errorf("Syntax Error: Must have at least 1 thread!")
	}
	db.mu.Lock()
	db.threads = n
	db.mu.Unlock()
	return nil
}

// Tables lists the tables of the database directory.
func (db *DB) Tables() ([]string, error) { return db.tableNames(context.Background()) }

// Column describes a result column.
type Column struct {
	Name string
	Type coldata.Type
}

// Query runs one statement and returns a cursor over its result batches.
// Statements without a result (SET) return a cursor with no columns. args
// are the values of the statement's parameters (?, $1, $name): they go
// into the plan as typed constants, never into the text.
func (db *DB) Query(ctx context.Context, text string, args ...any) (rows *Rows, err error) {
	defer recoverInternal(&err)
	vals, err := toArgs(args)
	if err != nil {
		return nil, err
	}
	st, err := sql.Parse(text)
	if err != nil {
		return nil, err
	}
	ctx, g := db.guardQuery(ctx)
	return g.attach(db.run(ctx, st, vals, nil))
}

// Exec runs every statement of a script, discarding results. With args,
// the script must be one statement.
func (db *DB) Exec(ctx context.Context, script string, args ...any) error {
	_, err := db.exec(ctx, script, args)
	return err
}

// exec runs a script and returns the rows its statements changed (COPY's
// rows written), for database/sql's RowsAffected.
func (db *DB) exec(ctx context.Context, script string, args []any) (changed int64, err error) {
	stmts, err := sql.SplitStatements(script)
	if err != nil {
		return 0, err
	}
	if len(args) > 0 && len(stmts) != 1 {
		return 0, fmt.Errorf("Invalid Input Error: a statement with parameters must be a single statement, got %d", len(stmts))
	}
	for _, s := range stmts {
		rows, err := db.Query(ctx, s, args...)
		if err != nil {
			return 0, err
		}
		n, err := drain(ctx, rows)
		if err != nil {
			return 0, err
		}
		changed += n
	}
	return changed, nil
}

// recoverInternal turns a panic (a bug) in the caller's goroutine into an
// error, so an embedding application never crashes on a query: binding,
// planning and the serial top of a plan run on the caller's goroutine;
// workers recover on their own.
func recoverInternal(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("internal error: %v", r)
	}
}

// run runs a statement with its parameters' values; prep is the prepared
// statement it comes from (nil for a one-off).
func (db *DB) run(ctx context.Context, st sql.Statement, args []sql.Arg, prep *Stmt) (*Rows, error) {
	ctx = sql.WithRunner(ctx, planRunner{db}) // binding may run a query first (PIVOT)
	switch st := st.(type) {
	case *sql.Set:
		return emptyRows(), db.setScoped(ctx, st)
	case *sql.ShowTables:
		names, err := db.tableNames(ctx)
		if err != nil {
			return nil, err
		}
		rows := make([][]coldata.Datum, len(names))
		for i, n := range names {
			rows[i] = []coldata.Datum{{S: n}}
		}
		return valueRows([]Column{{"name", coldata.TypeString}}, rows), nil
	case *sql.Describe:
		plan, names, err := db.logicalPlan(ctx, st.Query, args, prep)
		if err != nil {
			return nil, err
		}
		var schema *sql.TableSchema
		if t := db.objs.table(st.TableName()); t != nil {
			schema = t.schema
		}
		opt := func(s string) coldata.Datum {
			if s == "" {
				return coldata.NullDatum
			}
			return coldata.Datum{S: s}
		}
		var rows [][]coldata.Datum
		for i, c := range plan.Cols()[:len(names)] {
			null, key, dflt := sql.DescribeRow(schema, i)
			rows = append(rows, []coldata.Datum{{S: names[i]}, {S: c.Type.String()}, {S: null}, opt(key), opt(dflt), coldata.NullDatum})
		}
		str := coldata.TypeString
		return valueRows([]Column{{"column_name", str}, {"column_type", str}, {"null", str}, {"key", str}, {"default", str}, {"extra", str}}, rows), nil
	case *sql.Explain:
		return db.explain(ctx, st, args, prep)
	case *sql.Copy:
		return db.copy(ctx, st, args, prep)
	case *sql.Query:
		phys, names, err := db.plan(ctx, st, args, prep)
		if err != nil {
			return nil, err
		}
		return db.start(ctx, phys, names)
	case *sql.Prepare:
		db.prepareNamed(st)
		return emptyRows(), nil
	case *sql.Execute:
		return db.execute(ctx, st)
	case *sql.Deallocate:
		db.deallocate(st)
		return emptyRows(), nil
	case *sql.Transaction:
		return emptyRows(), db.transaction(st)
	case *sql.CreateSecret:
		return db.createSecretSQL(st)
	case *sql.DropSecret:
		return emptyRows(), db.dropSecretSQL(st)
	}
	if rows, ok, err := db.runWrite(ctx, st, args); ok {
		return rows, err
	}
	return nil, fmt.Errorf("Not implemented Error: statement %T", st)
}

func (db *DB) set(st *sql.Set) error { return db.setting(st.Name, st.Value, st.Reset) }

// plan binds q against a view of the catalog for this query (folders are
// listed once however often the query names them, and ctx bounds the
// listing and footer reads) and plans it.
func (db *DB) plan(ctx context.Context, q *sql.Query, args []sql.Arg, prep *Stmt) (planner.Physical, []string, error) {
	node, names, err := db.logicalPlan(ctx, q, args, prep)
	if err != nil {
		return nil, nil, err
	}
	phys, err := planner.PlanWith(node, planner.PlanOptions{Threads: db.Threads(), Sample: exec.SampleScan})
	if err != nil {
		return nil, nil, err
	}
	return phys, names, nil
}

func (db *DB) start(ctx context.Context, phys planner.Physical, names []string) (*Rows, error) {
	opts := db.buildOptions()
	opts.Memory = db.memoryFor(ctx)
	q, err := exec.Build(phys, opts)
	if err != nil {
		return nil, err
	}
	track(ctx, q)
	cols := make([]Column, len(names))
	for i, c := range phys.Base().Out {
		cols[i] = Column{Name: names[i], Type: c.Type}
	}
	r := &Rows{cols: cols, op: q.Root, query: q}
	if err := q.Root.Open(ctx); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

func (db *DB) explain(ctx context.Context, st *sql.Explain, args []sql.Arg, prep *Stmt) (*Rows, error) {
	if st.Execute != nil {
		// EXPLAIN EXECUTE p(args): the prepared query's plan with the values.
		s, err := db.preparedNamed(st.Execute.Name)
		if err != nil {
			return nil, err
		}
		q, ok := s.st.(*sql.Query)
		if !ok {
			return nil, fmt.Errorf("Not implemented Error: EXPLAIN EXECUTE of a prepared statement that is not a query is not supported yet")
		}
		return db.explain(ctx, &sql.Explain{Analyze: st.Analyze, Distributed: st.Distributed, Query: q}, st.Execute.Args, s)
	}
	phys, names, err := db.plan(ctx, st.Query, args, prep)
	if err != nil {
		return nil, err
	}
	text := planner.Explain(phys)
	if st.Distributed {
		// The cut PlanDistributed makes with its default options (what
		// peregrine-beam --explain prints without tuning flags).
		dp, err := planner.Distribute(phys, planner.DistOptions{})
		if err != nil {
			return nil, err
		}
		text = planner.ExplainDistributed(dp)
	}
	if st.Analyze {
		rows, err := db.start(ctx, phys, names)
		if err != nil {
			return nil, err
		}
		var n int64
		for {
			b, err := rows.Next(ctx)
			if err != nil {
				rows.Close()
				return nil, err
			}
			if b == nil {
				break
			}
			n += int64(b.Len())
		}
		rows.Close()
		text = planner.ExplainAnalyzeTree(phys, rows.query.Elapsed, []planner.AnalyzeColumn{{Value: rows.query.Annotate}})
		text += fmt.Sprintf("result rows: %d\n", n)
	}
	var out [][]coldata.Datum
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		out = append(out, []coldata.Datum{{S: line}})
	}
	return valueRows([]Column{{"explain", coldata.TypeString}}, out), nil
}
