package peregrine

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/peregrinedb/peregrine/exec"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// The database's own tables and views (CREATE TABLE, CREATE VIEW, TEMP
// ones, registered Go data): in-memory columnar tables whose rows are
// charged to the database's memory pool. They shadow the directory's
// tables of the same name.
//
// Writers are serialised by one lock; a statement builds the table's new
// snapshot aside and publishes it with one atomic switch, so a failing
// statement changes nothing and readers see the table before or after it.

// localTable is one table of the database's own.
type localTable struct {
	schema *sql.TableSchema
	mem    *storage.MemTable
	acc    *exec.MemoryAccount
	// keys holds the encoded values of each PRIMARY KEY/UNIQUE constraint
	// (parallel to schema.Keys), kept in step with the published snapshot.
	keys []map[string]struct{}
	temp bool
	// file is a folder table's files (tables_file.go); nil in memory.
	file *fileTable
	// source releases the Arrow data of a table registered from Go.
	source any
}

// close releases the table's memory (and a registered table's Arrow data).
func (t *localTable) close() {
	t.acc.Close()
	if release, ok := t.source.(func()); ok {
		release()
	}
}

// localObjects is the catalog of a database's own tables and views.
type localObjects struct {
	write sync.Mutex // serialises statements that write

	mu      sync.RWMutex
	tables  map[string]*localTable // by lower-case name
	views   map[string]*sql.View
	macros  map[string]*sql.Macro
	indexes map[string]*index
	version atomic.Uint64 // bumped by every change of schema (prepared plans rebind)
	// lock is the database folder's write lock, taken by the first write
	// to the folder and held until Close (ddl_dir.go).
	lock *storage.WriteLock
	// txn is what ROLLBACK restores while BEGIN is open (txn.go).
	txn *txnSnapshot
}

func newLocalObjects() *localObjects {
	return &localObjects{tables: map[string]*localTable{}, views: map[string]*sql.View{}, macros: map[string]*sql.Macro{}, indexes: map[string]*index{}}
}

// closeTables releases every table's memory when the database closes: the
// pools they are charged to can outlive it (the process ceiling).
func (o *localObjects) closeTables() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for name, t := range o.tables {
		t.close()
		delete(o.tables, name)
	}
}

func (o *localObjects) table(name string) *localTable {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.tables[strings.ToLower(name)]
}

func (o *localObjects) view(name string) *sql.View {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.views[strings.ToLower(name)]
}

// names lists the tables and views.
func (o *localObjects) names() []string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	var out []string
	for _, t := range o.tables {
		out = append(out, t.schema.Name)
	}
	for _, v := range o.views {
		out = append(out, v.Name)
	}
	return out
}

// queryCatalog is the catalog one query binds against: the database's own
// tables and views first, then the directory's.
type queryCatalog struct {
	*storage.Catalog
	objs      *localObjects
	intDiv    bool   // SET integer_division
	nullOrder string // SET default_null_order
}

func (c queryCatalog) LocalTable(name string) *storage.Table {
	t := c.objs.table(name)
	if t == nil {
		return nil
	}
	return t.mem.Table(t.schema.Name)
}

// FileCatalog is the directory's catalog (parquet_inspect reads files through it).
func (c queryCatalog) FileCatalog() *storage.Catalog { return c.Catalog }

func (c queryCatalog) LocalView(name string) *sql.View { return c.objs.view(name) }

func (db *DB) queryCatalog(ctx context.Context) queryCatalog {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return queryCatalog{Catalog: db.cat.Query(ctx), objs: db.objs, intDiv: db.intDiv, nullOrder: db.nullOrder}
}

// tableNames lists the directory's tables and the database's own, sorted.
func (db *DB) tableNames(ctx context.Context) ([]string, error) {
	names, err := db.cat.Query(ctx).TableNames()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, n := range names {
		seen[strings.ToLower(n)] = true
	}
	for _, n := range db.objs.names() {
		if !seen[strings.ToLower(n)] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names, nil
}

// exists reports whether name is a table or view of the database (its own
// or the directory's), and which.
func (db *DB) exists(ctx context.Context, name string) (kind string) {
	if db.objs.table(name) != nil {
		return "Table"
	}
	if db.objs.view(name) != nil {
		return "View"
	}
	if db.cat.Dir() != "" {
		names, err := db.cat.Query(ctx).TableNames()
		if err == nil {
			for _, n := range names {
				if strings.EqualFold(n, name) {
					return "Table"
				}
			}
		}
	}
	return ""
}

// runWrite runs the statements that change tables or the catalog; ok is
// false for other statements.
func (db *DB) runWrite(ctx context.Context, st sql.Statement, args []sql.Arg) (*Rows, bool, error) {
	var rows *Rows
	var err error
	switch st := st.(type) {
	case *sql.CreateTable:
		rows, err = db.createTable(ctx, st)
	case *sql.CreateView:
		rows, err = db.createView(ctx, st)
	case *sql.CreateMacro:
		rows, err = db.createMacro(ctx, st)
	case *sql.CreateIndex:
		rows, err = db.createIndex(ctx, st)
	case *sql.DropObject:
		rows, err = db.drop(ctx, st)
	case *sql.Insert:
		rows, err = db.insert(ctx, st, args)
	case *sql.Update:
		rows, err = db.update(ctx, st, args)
	case *sql.Delete:
		rows, err = db.delete(ctx, st, args)
	case *sql.AlterTable:
		rows, err = db.alter(ctx, st)
	default:
		return nil, false, nil
	}
	return rows, true, err
}

// checkCreate applies CREATE's OR REPLACE / IF NOT EXISTS to an existing
// object; skip means IF NOT EXISTS found one.
func (db *DB) checkCreate(ctx context.Context, name, kind string, orReplace, ifNotExists bool) (skip bool, err error) {
	have := db.exists(ctx, name)
	switch {
	case have == "":
		return false, nil
	case ifNotExists:
		return true, nil
	case orReplace && have == kind:
		return false, nil
	case orReplace && have != kind:
		return false, fmt.Errorf("Catalog Error: Existing object %s is of type %s, trying to replace with type %s", name, have, kind)
	}
	return false, fmt.Errorf("Catalog Error: %s with name \"%s\" already exists!", kind, name)
}

func (db *DB) createTable(ctx context.Context, st *sql.CreateTable) (*Rows, error) {
	ct := st.AST
	name := ct.Name.Last()
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	skip, err := db.checkCreate(ctx, name, "Table", ct.OrReplace, ct.IfNotExists)
	if err != nil || skip {
		return changedRows(0), err
	}
	if db.persistent(ct.Temp) && ct.As == nil {
		return db.createFolderTable(ctx, st)
	}
	if db.persistent(ct.Temp) {
		return db.createTableFile(ctx, st)
	}
	if ct.As == nil {
		schema, err := sql.TableSchemaOf(ct)
		if err != nil {
			return nil, withText(err, st.Text)
		}
		t := db.newLocalTable(schema, ct.Temp)
		db.putTable(name, t)
		return emptyCount(), nil
	}
	bound, err := sql.BindQueryNode(ct.As, st.Text, db.queryCatalog(ctx))
	if err != nil {
		return nil, err
	}
	schema := &sql.TableSchema{Name: name}
	for i, c := range bound.Plan.Cols()[:len(bound.Names)] {
		t := c.Type
		if t.ID == coldata.Unknown {
			t = coldata.TypeInt32 // DuckDB stores an untyped NULL column as INTEGER
			// (the query's NULLs cast on the way in)
		}
		schema.Columns = append(schema.Columns, sql.ColumnDef{Name: bound.Names[i], Type: t})
	}
	if len(ct.Columns) > 0 {
		return nil, fmt.Errorf("Not implemented Error: CREATE TABLE with columns and AS is not supported yet")
	}
	t := db.newLocalTable(schema, ct.Temp)
	b, err := db.collect(ctx, bound.Plan, bound.Names, schema.Types())
	if err != nil {
		return nil, err
	}
	if err := db.commit(t, b, nil); err != nil {
		return nil, err
	}
	db.putTable(name, t)
	return changedRows(b.Rows()), nil
}

func (db *DB) newLocalTable(schema *sql.TableSchema, temp bool) *localTable {
	cols := make([]scan.Column, len(schema.Columns))
	for i, c := range schema.Columns {
		cols[i] = scan.Column{Name: c.Name, Type: c.Type, Nullable: !c.NotNull}
	}
	t := &localTable{schema: schema, mem: storage.NewMemTable(cols), acc: db.mem.NewAccount("in-memory table " + schema.Name), temp: temp}
	t.keys = make([]map[string]struct{}, len(schema.Keys))
	for i := range t.keys {
		t.keys[i] = map[string]struct{}{}
	}
	return t
}

// putTable adds or replaces a table (and drops a view of that name, which
// OR REPLACE checked), releasing a replaced table's memory.
func (db *DB) putTable(name string, t *localTable) {
	o := db.objs
	o.mu.Lock()
	key := strings.ToLower(name)
	if old := o.tables[key]; old != nil && old != t {
		old.close()
	}
	o.tables[key] = t
	o.mu.Unlock()
	o.version.Add(1)
}

func (db *DB) createView(ctx context.Context, st *sql.CreateView) (*Rows, error) {
	cv := st.AST
	name := cv.Name.Last()
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	skip, err := db.checkCreate(ctx, name, "View", cv.OrReplace, cv.IfNotExists)
	if err != nil || skip {
		return emptyCount(), err
	}
	// Bound once now so that a broken view is refused at creation, as
	// DuckDB does; each query binds it again against the tables then.
	bound, err := sql.BindQueryNode(cv.Query, st.Text, db.queryCatalog(ctx))
	if err != nil {
		return nil, err
	}
	if len(cv.Columns) > len(bound.Names) {
		return nil, fmt.Errorf("Binder Error: view \"%s\" has %d columns available but %d columns specified", name, len(bound.Names), len(cv.Columns))
	}
	v := &sql.View{Name: name, Query: cv.Query, Text: st.Text, Columns: cv.Columns, Persistent: db.persistent(cv.Temp)}
	if v.Persistent {
		if err := db.lockDir(); err != nil {
			return nil, err
		}
	}
	o := db.objs
	o.mu.Lock()
	old := o.views[strings.ToLower(name)]
	o.views[strings.ToLower(name)] = v
	o.mu.Unlock()
	o.version.Add(1)
	if v.Persistent || old != nil && old.Persistent {
		if err := db.saveViews(); err != nil {
			o.mu.Lock()
			if old != nil {
				o.views[strings.ToLower(name)] = old
			} else {
				delete(o.views, strings.ToLower(name))
			}
			o.mu.Unlock()
			return nil, err
		}
	}
	return emptyCount(), nil
}

func (db *DB) drop(ctx context.Context, st *sql.DropObject) (*Rows, error) {
	d := st.AST
	if d.Kind == "INDEX" {
		var names []string
		for _, n := range d.Names {
			names = append(names, n.Last())
		}
		return db.dropIndexes(names, d.IfExists)
	}
	if d.Kind == "MACRO" || d.Kind == "MACRO TABLE" || d.Kind == "FUNCTION" {
		var names []string
		for _, n := range d.Names {
			names = append(names, n.Last())
		}
		return db.dropMacros(names, d.Kind == "MACRO TABLE", d.IfExists)
	}
	kind := "Table"
	if d.Kind == "VIEW" {
		kind = "View"
	}
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	o := db.objs
	for _, n := range d.Names {
		name := n.Last()
		have := db.exists(ctx, name)
		switch {
		case have == "" && d.IfExists:
			continue
		case have == "":
			return nil, fmt.Errorf("Catalog Error: %s with name %s does not exist!", kind, name)
		case have != kind:
			return nil, fmt.Errorf("Catalog Error: Existing object %s is of type %s, trying to drop type %s", name, have, kind)
		}
		key := strings.ToLower(name)
		if t := o.table(key); t != nil && t.file != nil {
			if err := db.dropFolderOrFile(ctx, name); err != nil {
				return nil, err
			}
			continue
		}
		o.mu.Lock()
		t, isLocal := o.tables[key]
		v, isView := o.views[key]
		delete(o.tables, key)
		delete(o.views, key)
		o.mu.Unlock()
		if isLocal {
			t.close()
		}
		if !isLocal && !isView {
			if err := db.dropTableFile(ctx, name); err != nil {
				return nil, err
			}
		}
		if isView && v.Persistent {
			if err := db.saveViews(); err != nil {
				o.mu.Lock()
				o.views[key] = v
				o.mu.Unlock()
				return nil, err
			}
		}
		o.version.Add(1)
	}
	return emptyCount(), nil
}

// emptyCount is the result of a statement that changes no rows: DuckDB's
// Count column without rows.
func emptyCount() *Rows {
	r := valueRows([]Column{{"Count", coldata.TypeInt64}}, nil)
	r.changed = true
	return r
}

// withText gives a positioned binder error the statement's text.
func withText(err error, text string) error { return sql.WithSource(err, text) }

// planNode plans a bound plan for this database.
func (db *DB) planNode(node planner.Node) (planner.Physical, error) {
	return planner.PlanWith(node, planner.PlanOptions{Threads: db.Threads(), Sample: exec.SampleScan})
}

// collect runs a bound plan and copies its rows into a new snapshot of
// the given column types, charged to the pool as it grows.
func (db *DB) collect(ctx context.Context, node planner.Node, names []string, types []coldata.Type) (*storage.MemBuilder, error) {
	phys, err := db.planNode(node)
	if err != nil {
		return nil, err
	}
	rows, err := db.start(ctx, phys, names)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	mb := storage.NewMemBuilder(types)
	acc := db.mem.NewAccount("while inserting")
	defer acc.Close()
	for {
		b, err := rows.Next(ctx)
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		for c, t := range types {
			if b.Vecs[c].Type != t {
				// An untyped NULL column becomes the table's type.
				b = retype(b, types)
				break
			}
		}
		mb.Append(b)
		if err := acc.Resize(mb.Bytes()); err != nil {
			return nil, err
		}
	}
	return mb, nil
}

// retype gives NULL-typed vectors (all NULL) the table's types.
func retype(b *coldata.Batch, types []coldata.Type) *coldata.Batch {
	out := &coldata.Batch{Vecs: make([]*coldata.Vec, len(types)), N: b.N, Sel: b.Sel}
	for c, t := range types {
		v := b.Vecs[c]
		if v.Type != t {
			nv := coldata.NewVec(t, b.N)
			for i := range b.N {
				nv.SetNull(i)
			}
			v = nv
		}
		out.Vecs[c] = v
	}
	return out
}

// DatabaseName is current_database(): the folder's name, or "memory".
func (c queryCatalog) DatabaseName() string {
	if d := c.Dir(); d != "" {
		return strings.TrimSuffix(path.Base(strings.TrimRight(d, "/")), ".db")
	}
	return "memory"
}

// Objects lists the database's tables and views for duckdb_tables(),
// information_schema and PRAGMA table_info, sorted by name.
func (c queryCatalog) Objects() ([]sql.CatalogObject, error) {
	var out []sql.CatalogObject
	seen := map[string]bool{}
	c.objs.mu.RLock()
	for k, t := range c.objs.tables {
		seen[k] = true
		out = append(out, sql.CatalogObject{Name: t.schema.Name, Temp: t.temp, Schema: t.schema})
	}
	for k, v := range c.objs.views {
		seen[k] = true
		out = append(out, sql.CatalogObject{Name: v.Name, Temp: !v.Persistent && c.Dir() != "", View: v})
	}
	c.objs.mu.RUnlock()
	if c.Dir() != "" {
		names, err := c.TableNames()
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if !seen[strings.ToLower(n)] {
				out = append(out, sql.CatalogObject{Name: n})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
