package peregrine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// A directory database keeps what is written to it: CREATE TABLE ... AS
// writes DIR/NAME.parquet (through storage's Stage: all of the file or
// none), DROP TABLE removes a table's file or folder, and views that are
// not TEMP are kept in DIR/.peregrine/catalog.sql (storage/catalog_file.go)
// and read back by Open. The first such write takes the folder's write
// lock (flock on DIR/.peregrine/lock) and holds it until Close, so that a
// second process writing the same folder is refused with "database is
// locked by ...". TEMP tables and views stay in memory.

// persistent reports whether a CREATE without TEMP writes to the folder.
func (db *DB) persistent(temp bool) bool { return db.cat.Dir() != "" && !temp }

// lockDir takes the folder's write lock once; writers hold objs.write.
func (db *DB) lockDir() error {
	if err := db.txnRefusesFiles(); err != nil {
		return err
	}
	if storage.IsRemote(db.cat.Dir()) {
		return fmt.Errorf("Not implemented Error: writing a database on an object store is not supported yet (use TEMP tables and views)")
	}
	if db.objs.lock != nil {
		return nil
	}
	l, err := storage.LockForWriting(db.cat.Dir())
	if err != nil {
		return err
	}
	db.objs.lock = l
	// Holding the lock, this process is the folder's only writer: what
	// killed writers staged is garbage now.
	storage.SweepDeadStaging(db.cat.Dir())
	storage.SweepFolderStaging(db.cat.Dir())
	db.sweepAdoptions()
	return nil
}

// createTableFile runs CREATE TABLE name AS query in a directory database.
func (db *DB) createTableFile(ctx context.Context, st *sql.CreateTable) (*Rows, error) {
	ct := st.AST
	name := ct.Name.Last()
	if err := db.lockDir(); err != nil {
		return nil, err
	}
	paths, err := db.cat.Query(ctx).TablePaths()
	if err != nil {
		return nil, err
	}
	for n, p := range paths {
		if strings.EqualFold(n, name) && !strings.HasSuffix(strings.ToLower(p), ".parquet") {
			return nil, fmt.Errorf("Not implemented Error: replacing the folder table %s is not supported yet", n)
		}
	}
	phys, names, err := db.plan(ctx, &sql.Query{AST: ct.As, Text: st.Text}, nil, nil)
	if err != nil {
		return nil, err
	}
	rows, err := db.start(ctx, phys, names)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	types := make([]coldata.Type, len(rows.Columns()))
	for i, c := range rows.Columns() {
		types[i] = c.Type
	}
	res, err := db.cat.WriteParquet(ctx, rows, types, names, filepath.Join(db.cat.Dir(), name+".parquet"),
		storage.WriteOptions{TempRoot: db.tempRoot()})
	if err != nil {
		return nil, err
	}
	db.objs.version.Add(1)
	return changedRows(res.Rows), nil
}

// dropTableFile removes a table of the database folder: its file, or its
// folder (renamed aside first, so that it disappears at once).
func (db *DB) dropTableFile(ctx context.Context, name string) error {
	if err := db.lockDir(); err != nil {
		return err
	}
	paths, err := db.cat.Query(ctx).TablePaths()
	if err != nil {
		return err
	}
	for n, p := range paths {
		if !strings.EqualFold(n, name) {
			continue
		}
		st, err := os.Stat(p)
		if err == nil && st.IsDir() {
			aside := filepath.Join(storage.CatalogDir(db.cat.Dir()), "dropped-"+filepath.Base(p))
			if err = os.Rename(p, aside); err == nil {
				err = os.RemoveAll(aside)
			}
		} else if err == nil {
			err = os.Remove(p)
		}
		if err != nil {
			return fmt.Errorf("IO Error: cannot drop table %s: %v", n, err)
		}
	}
	db.objs.version.Add(1)
	return nil
}

// saveViews writes the persistent views and the folder tables to the
// catalog file.
func (db *DB) saveViews() error {
	if err := db.lockDir(); err != nil {
		return err
	}
	o := db.objs
	o.mu.RLock()
	var stmts []string
	for _, v := range o.views {
		if v.Persistent {
			stmts = append(stmts, v.Text)
		}
	}
	o.mu.RUnlock()
	stmts = append(stmts, o.persistentMacros()...)
	sort.Strings(stmts)
	stmts = append(db.folderTableStatements(), stmts...)
	return storage.WriteCatalogFile(db.cat.Dir(), stmts)
}

// loadViews reads the folder's catalog file: its views are registered as
// written, bound when queried.
func (db *DB) loadViews() error {
	dir := db.cat.Dir()
	if dir == "" || storage.IsRemote(dir) {
		return nil
	}
	text, err := storage.ReadCatalogFile(dir)
	if err != nil || text == "" {
		return err
	}
	stmts, err := sql.SplitStatements(text)
	if err != nil {
		return fmt.Errorf("IO Error: %s: %v", filepath.Join(storage.CatalogDir(dir), "catalog.sql"), err)
	}
	for _, s := range stmts {
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "--") {
				lines = append(lines, l)
			}
		}
		s = strings.TrimSpace(strings.Join(lines, "\n"))
		st, err := sql.Parse(s)
		if ct, isTable := st.(*sql.CreateTable); err == nil && isTable {
			if err := db.loadFolderTable(context.Background(), ct); err != nil {
				return err
			}
			continue
		}
		if cm, isMacro := st.(*sql.CreateMacro); err == nil && isMacro {
			name := cm.AST.Name.Last()
			db.objs.macros[strings.ToLower(name)] = &sql.Macro{Name: name, AST: cm.AST, Text: s, Persistent: true}
			continue
		}
		cv, ok := st.(*sql.CreateView)
		if err != nil || !ok {
			return fmt.Errorf("IO Error: %s: not a CREATE VIEW or CREATE MACRO statement: %.60s", filepath.Join(storage.CatalogDir(dir), "catalog.sql"), s)
		}
		name := cv.AST.Name.Last()
		db.objs.views[strings.ToLower(name)] = &sql.View{Name: name, Query: cv.AST.Query, Text: s, Columns: cv.AST.Columns, Persistent: true}
	}
	return nil
}
