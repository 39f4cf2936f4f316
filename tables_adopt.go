package peregrine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// A table CREATE TABLE ... AS wrote as DIR/NAME.parquet becomes a folder
// table on its first INSERT, UPDATE, DELETE or ALTER: the file, hard-linked
// as DIR/NAME/data-000000-0.parquet, is the folder's first file. The steps
// are: the folder staged in .peregrine and renamed into place, the catalog
// entry (the commit), NAME.parquet removed. A crash between them leaves
// both the folder and the file, holding the same rows; the next writer's
// sweep (sweepAdoptions) removes whichever one the catalog does not name.

// adoptFileTable makes NAME.parquet a folder table; nil, nil when name is
// no such file (a folder of the directory, say).
func (db *DB) adoptFileTable(ctx context.Context, name string) (*localTable, error) {
	dir := db.cat.Dir()
	if dir == "" || storage.IsRemote(dir) {
		return nil, nil
	}
	paths, err := db.cat.Query(ctx).TablePaths()
	if err != nil {
		return nil, err
	}
	var file string
	for n, p := range paths {
		if strings.EqualFold(n, name) && filepath.Dir(p) == filepath.Clean(dir) && strings.HasSuffix(p, ".parquet") {
			file, name = p, n
		}
	}
	if file == "" {
		return nil, nil
	}
	if err := db.lockDir(); err != nil {
		return nil, err
	}
	schema, err := db.fileSchema(ctx, name)
	if err != nil {
		return nil, err
	}
	folder := filepath.Join(dir, name)
	stage := filepath.Join(storage.CatalogDir(dir), "next-"+name)
	os.RemoveAll(stage)
	err = os.MkdirAll(stage, 0o755)
	if err == nil {
		err = os.Link(file, filepath.Join(stage, dataFile{}.name()))
	}
	if err == nil {
		err = os.Rename(stage, folder)
	}
	if err != nil {
		os.RemoveAll(stage)
		return nil, fmt.Errorf("IO Error: cannot make table %s writable: %v", name, err)
	}
	t := db.newLocalTable(schema, false)
	t.file = &fileTable{dir: folder}
	all, err := db.readFolder(ctx, t)
	if err == nil {
		err = db.publishLoaded(t, all)
	}
	if err == nil {
		db.putTable(name, t)
		if err = db.saveViews(); err != nil {
			db.objs.mu.Lock()
			delete(db.objs.tables, strings.ToLower(name))
			db.objs.mu.Unlock()
		}
	}
	if err != nil {
		os.RemoveAll(folder)
		t.close()
		return nil, err
	}
	os.Remove(file)
	return t, nil
}

// fileSchema is the schema of a table of the directory: its columns, all
// nullable, without constraints.
func (db *DB) fileSchema(ctx context.Context, name string) (*sql.TableSchema, error) {
	text := "SELECT * FROM " + quoteIdent(name)
	st, err := sql.Parse(text)
	q, ok := st.(*sql.Query)
	if err != nil || !ok {
		return nil, fmt.Errorf("Internal Error: cannot read table %s: %v", name, err)
	}
	bound, err := sql.BindQueryNode(q.AST, text, db.cat.Query(ctx))
	if err != nil {
		return nil, err
	}
	s := &sql.TableSchema{Name: name}
	for i, c := range bound.Plan.Cols()[:len(bound.Names)] {
		s.Columns = append(s.Columns, sql.ColumnDef{Name: bound.Names[i], Type: c.Type})
	}
	return s, nil
}

// sweepAdoptions finishes adoptions a crash interrupted: a folder table
// of the catalog whose NAME.parquet is still there loses the file; a
// folder that is not in the catalog and holds only a link to NAME.parquet
// goes.
func (db *DB) sweepAdoptions() {
	dir := db.cat.Dir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".parquet")
		if !ok || e.IsDir() {
			continue
		}
		folder := filepath.Join(dir, name)
		if t := db.objs.table(name); t != nil && t.file != nil {
			os.Remove(filepath.Join(dir, e.Name()))
			continue
		}
		first, err1 := os.Stat(filepath.Join(folder, dataFile{}.name()))
		file, err2 := os.Stat(filepath.Join(dir, e.Name()))
		inFolder, _ := os.ReadDir(folder)
		if err1 == nil && err2 == nil && os.SameFile(first, file) && len(inFolder) == 1 {
			os.RemoveAll(folder)
		}
	}
}
