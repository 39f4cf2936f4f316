package peregrine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// Folder tables: CREATE TABLE t (cols) in a directory database makes the
// folder DIR/t/ and records the table's CREATE TABLE statement in
// DIR/.peregrine/catalog.sql. The table is a localTable like an in-memory
// one (its rows, loaded at Open, answer queries and carry the constraint
// checks and key sets), plus the list of its Parquet files in row order,
// so that a write knows which files hold the rows it changes:
//
//   - INSERT writes its rows as one new file, data-SEQ-0.parquet, through
//     the Stage protocol (temporary name, one rename commits).
//   - UPDATE and DELETE (and ALTER's column changes) stage the next folder
//     in DIR/.peregrine/next-t/: unaffected files hard-linked, affected
//     ones rewritten as data-SEQ-GEN+1.parquet (a file emptied by DELETE
//     is left out), then exchange it with DIR/t in one atomic rename
//     (storage.SwapFolders) and remove the old folder, now at the staged
//     path, afterwards.
//
// The disk commits first; the in-memory snapshot is published after it,
// and when that fails (the memory limit) the disk commit is undone, so the
// two agree. Names sort in row order and are never reused, so a reader in
// another process listing the folder sees one state or the other.

// fileTable is the on-disk side of a folder table.
type fileTable struct {
	dir   string // DIR/name
	files []dataFile
	seq   int // the next new file's number
}

// dataFile is one Parquet file of a folder table.
type dataFile struct {
	seq, gen int
	rows     int64
}

func (f dataFile) name() string { return fmt.Sprintf("data-%06d-%d.parquet", f.seq, f.gen) }

// parseDataFile reads a data file's name back (ok false for other files).
func parseDataFile(name string) (dataFile, bool) {
	rest, ok := strings.CutPrefix(name, "data-")
	if !ok {
		return dataFile{}, false
	}
	rest, ok = strings.CutSuffix(rest, ".parquet")
	s, g, ok2 := strings.Cut(rest, "-")
	seq, err1 := strconv.Atoi(s)
	gen, err2 := strconv.Atoi(g)
	if !ok || !ok2 || err1 != nil || err2 != nil {
		return dataFile{}, false
	}
	return dataFile{seq: seq, gen: gen}, true
}

// createFolderTable runs CREATE TABLE name (cols) in a directory database:
// the catalog entry commits it; the folder is made after (a missing
// folder is an empty table).
func (db *DB) createFolderTable(ctx context.Context, st *sql.CreateTable) (*Rows, error) {
	ct := st.AST
	name := ct.Name.Last()
	schema, err := sql.TableSchemaOf(ct)
	if err != nil {
		return nil, withText(err, st.Text)
	}
	if err := folderColumns(schema); err != nil {
		return nil, err
	}
	if err := db.lockDir(); err != nil {
		return nil, err
	}
	if ct.OrReplace && db.exists(ctx, name) == "Table" {
		if err := db.dropFolderOrFile(ctx, name); err != nil {
			return nil, err
		}
	}
	t := db.newLocalTable(schema, false)
	t.file = &fileTable{dir: filepath.Join(db.cat.Dir(), name)}
	db.putTable(name, t)
	if err := db.saveViews(); err != nil {
		db.objs.mu.Lock()
		delete(db.objs.tables, strings.ToLower(name))
		db.objs.mu.Unlock()
		t.close()
		return nil, err
	}
	if err := os.MkdirAll(t.file.dir, 0o755); err != nil {
		return nil, fmt.Errorf("IO Error: cannot create the folder of table %s: %v", name, err)
	}
	return emptyCount(), nil
}

// chunkRows feeds rows [from, from+n) of a snapshot's chunks to the
// Parquet writer, without copying.
type chunkRows struct {
	chunks [][]*coldata.Vec
	from   int64
	n      int64
	k      int   // next chunk
	start  int64 // first row of chunk k
	sel    []int32
}

func (c *chunkRows) Next(context.Context) (*coldata.Batch, error) {
	for c.n > 0 && c.k < len(c.chunks) {
		ch := c.chunks[c.k]
		rows := int64(storage.ChunkLen(ch))
		lo, hi := max(c.from-c.start, 0), min(c.from+c.n-c.start, rows)
		c.k++
		c.start += rows
		if lo >= hi {
			continue
		}
		c.sel = c.sel[:0]
		for r := lo; r < hi; r++ {
			c.sel = append(c.sel, int32(r))
		}
		return &coldata.Batch{Vecs: ch, N: int(rows), Sel: c.sel}, nil
	}
	return nil, nil
}

// writeDataFile writes rows [from, from+n) of chunks as dir/f.
func (db *DB) writeDataFile(ctx context.Context, s *sql.TableSchema, chunks [][]*coldata.Vec, from, n int64, dir string, f dataFile) error {
	names := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		names[i] = c.Name
	}
	_, err := db.cat.WriteParquet(ctx, &chunkRows{chunks: chunks, from: from, n: n}, s.Types(), names,
		filepath.Join(dir, f.name()), storage.WriteOptions{TempRoot: db.tempRoot()})
	return err
}

// fileAppend commits INSERT's rows as a new file of t; undo removes it.
func (db *DB) fileAppend(ctx context.Context, t *localTable, added *storage.MemBuilder) (undo func(), err error) {
	ft := t.file
	if err := db.lockDir(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(ft.dir, 0o755); err != nil {
		return nil, fmt.Errorf("IO Error: cannot write table %s: %v", t.schema.Name, err)
	}
	f := dataFile{seq: ft.seq, rows: added.Rows()}
	if err := db.writeDataFile(ctx, t.schema, added.Chunks(), 0, f.rows, ft.dir, f); err != nil {
		return nil, err
	}
	ft.seq++
	ft.files = append(ft.files, f)
	return func() {
		os.Remove(filepath.Join(ft.dir, f.name()))
		ft.files = ft.files[:len(ft.files)-1]
	}, nil
}

// fileRewrite commits a snapshot d of t in which the files marked dirty
// changed (to newRows rows each; the others are unchanged): it stages the
// next folder and exchanges it with the table's. finish removes the old
// folder; undo puts it back.
func (db *DB) fileRewrite(ctx context.Context, t *localTable, s *sql.TableSchema, d *storage.MemData, dirty []bool, newRows []int64) (finish, undo func(), err error) {
	ft := t.file
	if err := db.lockDir(); err != nil {
		return nil, nil, err
	}
	stage := filepath.Join(storage.CatalogDir(db.cat.Dir()), "next-"+filepath.Base(ft.dir))
	os.RemoveAll(stage)
	if err := os.MkdirAll(stage, 0o755); err != nil {
		return nil, nil, fmt.Errorf("IO Error: cannot write table %s: %v", s.Name, err)
	}
	if err := os.MkdirAll(ft.dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("IO Error: cannot write table %s: %v", s.Name, err)
	}
	var files []dataFile
	var at int64
	for i, f := range ft.files {
		switch {
		case !dirty[i]:
			err = os.Link(filepath.Join(ft.dir, f.name()), filepath.Join(stage, f.name()))
		case newRows[i] > 0:
			f = dataFile{seq: f.seq, gen: f.gen + 1, rows: newRows[i]}
			err = db.writeDataFile(ctx, s, d.Chunks, at, f.rows, stage, f)
		}
		if err != nil {
			os.RemoveAll(stage)
			return nil, nil, fmt.Errorf("IO Error: cannot write table %s: %v", s.Name, err)
		}
		if newRows[i] > 0 {
			files = append(files, f)
		}
		at += newRows[i]
	}
	if err := storage.SwapFolders(stage, ft.dir); err != nil {
		os.RemoveAll(stage)
		return nil, nil, err
	}
	old := ft.files
	ft.files = files
	finish = func() { os.RemoveAll(stage) }
	undo = func() {
		if storage.SwapFolders(stage, ft.dir) == nil {
			ft.files = old
		}
		os.RemoveAll(stage)
	}
	return finish, undo, nil
}

// fileRewriteRows commits UPDATE's or DELETE's snapshot d: the files
// holding a touched row (by row id) are rewritten.
func (db *DB) fileRewriteRows(ctx context.Context, t *localTable, d *storage.MemData, refs map[int64]rowRef, deleted bool) (finish, undo func(), err error) {
	files := t.file.files
	dirty := make([]bool, len(files))
	newRows := make([]int64, len(files))
	// ends[i] is one past file i's last row id.
	ends := make([]int64, len(files))
	var end int64
	for i, f := range files {
		end += f.rows
		ends[i] = end
	}
	hits := make([]int64, len(files))
	for id := range refs {
		hits[sort.Search(len(ends), func(i int) bool { return ends[i] > id })]++
	}
	for i, f := range files {
		dirty[i] = hits[i] > 0
		newRows[i] = f.rows
		if deleted {
			newRows[i] -= hits[i]
		}
	}
	return db.fileRewrite(ctx, t, t.schema, d, dirty, newRows)
}

// fileRewriteAll commits ALTER's new schema s and snapshot d: every file
// is rewritten.
func (db *DB) fileRewriteAll(ctx context.Context, t *localTable, s *sql.TableSchema, d *storage.MemData) (finish, undo func(), err error) {
	files := t.file.files
	dirty := make([]bool, len(files))
	newRows := make([]int64, len(files))
	for i, f := range files {
		dirty[i], newRows[i] = true, f.rows
	}
	return db.fileRewrite(ctx, t, s, d, dirty, newRows)
}

// loadFolderTable reads a folder table recorded in the catalog.
func (db *DB) loadFolderTable(ctx context.Context, ct *sql.CreateTable) error {
	schema, err := sql.TableSchemaOf(ct.AST)
	if err != nil {
		return err
	}
	name := schema.Name
	t := db.newLocalTable(schema, false)
	t.file = &fileTable{dir: filepath.Join(db.cat.Dir(), name)}
	var all *storage.MemBuilder
	// A writer in another process may commit while this reads: the files
	// listed can vanish with the old folder. Reading again finds the new.
	for try := 0; ; try++ {
		t.file.files, t.file.seq = nil, 0
		if all, err = db.readFolder(ctx, t); err == nil || try == 4 {
			break
		}
	}
	if err != nil {
		return err
	}
	if err := db.publishLoaded(t, all); err != nil {
		return err
	}
	db.objs.tables[strings.ToLower(name)] = t
	return nil
}

// publishLoaded makes rows read from a table's files its snapshot.
func (db *DB) publishLoaded(t *localTable, all *storage.MemBuilder) error {
	d := all.Data(t.mem.Snapshot().Columns)
	keys, err := t.rebuildKeys(d)
	if err != nil {
		return err
	}
	if err := db.publish(t, d); err != nil {
		return err
	}
	t.keys = keys
	return nil
}

// readFolder reads t's files in name order, each cast to its schema.
func (db *DB) readFolder(ctx context.Context, t *localTable) (*storage.MemBuilder, error) {
	schema := t.schema
	entries, err := os.ReadDir(t.file.dir)
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("IO Error: cannot read table %s: %v", schema.Name, err)
	}
	var sel strings.Builder
	for i, c := range schema.Columns {
		if i > 0 {
			sel.WriteString(", ")
		}
		fmt.Fprintf(&sel, "CAST(%s AS %s)", quoteIdent(c.Name), c.Type)
	}
	all := storage.NewMemBuilder(schema.Types())
	for _, e := range entries {
		f, ok := parseDataFile(e.Name())
		if !ok || e.IsDir() {
			continue
		}
		path := filepath.Join(t.file.dir, e.Name())
		text := fmt.Sprintf("SELECT %s FROM read_parquet('%s')", sel.String(), strings.ReplaceAll(path, "'", "''"))
		q, err := sql.Parse(text)
		query, ok := q.(*sql.Query)
		if err != nil || !ok {
			return nil, fmt.Errorf("Internal Error: cannot read table %s: %v", schema.Name, err)
		}
		bound, err := sql.BindQueryNode(query.AST, text, db.queryCatalog(ctx))
		if err != nil {
			return nil, fmt.Errorf("IO Error: cannot read %s: %v", path, err)
		}
		mb, err := db.collect(ctx, bound.Plan, bound.Names, schema.Types())
		if err != nil {
			return nil, fmt.Errorf("IO Error: cannot read %s: %v", path, err)
		}
		all.AppendChunks(mb.Chunks())
		f.rows = mb.Rows()
		t.file.files = append(t.file.files, f)
		t.file.seq = max(t.file.seq, f.seq+1)
	}
	return all, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// createStatement renders a folder table's schema as the CREATE TABLE
// statement the catalog keeps.
func createStatement(s *sql.TableSchema) string {
	var parts []string
	for _, c := range s.Columns {
		p := quoteIdent(c.Name) + " " + c.Type.String()
		if c.NotNull {
			p += " NOT NULL"
		}
		if c.Default != nil {
			p += " DEFAULT (" + c.Default.String() + ")"
		}
		parts = append(parts, p)
	}
	for _, ch := range s.Checks {
		parts = append(parts, ch.Text)
	}
	for _, k := range s.Keys {
		if k.Index != "" {
			continue // a UNIQUE index's, not the table's (indexes.go)
		}
		var cols []string
		for _, c := range k.Cols {
			cols = append(cols, quoteIdent(s.Columns[c].Name))
		}
		kind := "UNIQUE"
		if k.Primary {
			kind = "PRIMARY KEY"
		}
		parts = append(parts, kind+" ("+strings.Join(cols, ", ")+")")
	}
	return "CREATE TABLE " + quoteIdent(s.Name) + " (\n\t" + strings.Join(parts, ",\n\t") + "\n)"
}

// folderTableStatements lists the folder tables' CREATE TABLE statements.
func (db *DB) folderTableStatements() []string {
	o := db.objs
	o.mu.RLock()
	defer o.mu.RUnlock()
	var out []string
	for _, t := range o.tables {
		if t.file != nil {
			out = append(out, createStatement(t.schema))
		}
	}
	sort.Strings(out)
	return out
}

// dropFolderOrFile removes a table of the folder (a folder table of the
// catalog or a file of the directory) for CREATE OR REPLACE and DROP.
func (db *DB) dropFolderOrFile(ctx context.Context, name string) error {
	if err := db.txnRefusesFiles(); err != nil {
		return err
	}
	key := strings.ToLower(name)
	o := db.objs
	o.mu.Lock()
	t := o.tables[key]
	delete(o.tables, key)
	o.mu.Unlock()
	if t != nil {
		t.close()
		// The catalog without the table commits the drop.
		if err := db.saveViews(); err != nil {
			o.mu.Lock()
			o.tables[key] = t
			o.mu.Unlock()
			return err
		}
	}
	o.version.Add(1)
	return db.dropTableFile(ctx, name)
}

// alterFolderTable commits ALTER's new schema and rows nt of folder table
// t: every file rewritten (one folder exchange), then the catalog.
func (db *DB) alterFolderTable(ctx context.Context, name string, t, nt *localTable, d *storage.MemData) error {
	if err := folderColumns(nt.schema); err != nil {
		return err
	}
	if err := db.lockDir(); err != nil {
		return err
	}
	finish, undo, err := db.fileRewriteAll(ctx, t, nt.schema, d)
	if err != nil {
		return err
	}
	db.swapTable(name, t, nt)
	if err := db.saveViews(); err != nil {
		undo()
		db.swapTable(name, nt, t)
		return err
	}
	finish()
	return nil
}

// renameFolderTable renames folder table t (and its folder) to nt's name.
func (db *DB) renameFolderTable(from string, t, nt *localTable) error {
	if err := db.lockDir(); err != nil {
		return err
	}
	to := nt.schema.Name
	ft := *t.file
	ft.dir = filepath.Join(db.cat.Dir(), to)
	nt.file = &ft
	if err := os.Rename(t.file.dir, ft.dir); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("IO Error: cannot rename table %s: %v", from, err)
	}
	o := db.objs
	o.mu.Lock()
	delete(o.tables, strings.ToLower(from))
	o.tables[strings.ToLower(to)] = nt
	o.mu.Unlock()
	o.version.Add(1)
	if err := db.saveViews(); err != nil {
		os.Rename(ft.dir, t.file.dir)
		o.mu.Lock()
		delete(o.tables, strings.ToLower(to))
		o.tables[strings.ToLower(from)] = t
		o.mu.Unlock()
		return err
	}
	return nil
}

// folderColumns refuses the column types a folder table could not keep:
// nested ones (the Parquet writer does not write them yet) and HUGEINT
// (the scanner cannot read back a value beyond 64 bits, and a table that
// cannot be read would keep the database from opening).
func folderColumns(s *sql.TableSchema) error {
	for _, c := range s.Columns {
		switch c.Type.ID {
		case coldata.Hugeint, coldata.List, coldata.Struct, coldata.Map:
			return fmt.Errorf("Not implemented Error: a column of type %s in a table of a directory database is not supported yet (column \"%s\"; a TEMP table can hold it)", c.Type, c.Name)
		}
	}
	return nil
}
