package peregrine

import (
	"context"
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/storage"
)

// alter runs ALTER TABLE: RENAME TO, RENAME COLUMN, ADD COLUMN [DEFAULT]
// and DROP COLUMN on a table of the database's own. Column changes make a
// new schema and snapshot (the column vectors are shared, not copied) and
// publish both at once.
func (db *DB) alter(ctx context.Context, st *sql.AlterTable) (*Rows, error) {
	a := st.AST
	name := a.Name.Last()
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	t := db.objs.table(name)
	if t == nil {
		if a.IfExists && db.exists(ctx, name) == "" {
			return emptyRows(), nil
		}
		var err error
		if t, err = db.writeTarget(ctx, name); err != nil {
			return nil, err
		}
	}
	if t.mem.IsStream() {
		_, err := db.writeTarget(ctx, name)
		return nil, err
	}
	s := *t.schema
	s.Columns = append([]sql.ColumnDef(nil), s.Columns...)
	old := t.mem.Snapshot()
	cols := append([]scan.Column(nil), old.Columns...)
	chunks := old.Chunks
	switch a.Op {
	case "RENAME TO":
		return emptyRows(), db.renameTable(ctx, t, name, a.NewName.Name)
	case "RENAME COLUMN":
		i := s.ColumnIndex(a.Column.Name)
		if i < 0 {
			return nil, fmt.Errorf("Binder Error: Table \"%s\" does not have a column with name \"%s\"", s.Name, a.Column.Name)
		}
		if j := s.ColumnIndex(a.NewName.Name); j >= 0 && j != i {
			return nil, fmt.Errorf("Catalog Error: Column with name %s already exists!", a.NewName.Name)
		}
		s.Columns[i].Name = a.NewName.Name
		cols[i].Name = a.NewName.Name
	case "ADD COLUMN":
		def := a.Def
		if s.ColumnIndex(def.Name.Name) >= 0 {
			if a.IfColumn {
				return emptyRows(), nil
			}
			return nil, fmt.Errorf("Catalog Error: Column with name %s already exists!", def.Name.Name)
		}
		added, err := sql.TableSchemaOf(&ast.CreateTable{Name: a.Name, Columns: []*ast.ColumnDef{def}})
		if err != nil {
			return nil, withText(err, st.Text)
		}
		col := added.Columns[0]
		if len(added.Keys) > 0 || len(added.Checks) > 0 || col.NotNull {
			return nil, fmt.Errorf("Not implemented Error: ADD COLUMN with constraints is not supported yet")
		}
		val, err := db.constant(ctx, col)
		if err != nil {
			return nil, err
		}
		s.Columns = append(s.Columns, col)
		cols = append(cols, scan.Column{Name: col.Name, Type: col.Type, Nullable: true})
		chunks = make([][]*coldata.Vec, len(old.Chunks))
		for k, ch := range old.Chunks {
			n := storage.ChunkLen(ch)
			v := coldata.NewVec(col.Type, n)
			for r := range n {
				v.Set(r, val)
			}
			chunks[k] = append(ch[:len(ch):len(ch)], v)
		}
	case "DROP COLUMN":
		i := s.ColumnIndex(a.Column.Name)
		if i < 0 {
			if a.IfColumn {
				return emptyRows(), nil
			}
			return nil, fmt.Errorf("Binder Error: Table \"%s\" does not have a column with name \"%s\"", s.Name, a.Column.Name)
		}
		if len(s.Columns) == 1 {
			return nil, fmt.Errorf("Catalog Error: Cannot drop column: table only has one column remaining!")
		}
		if err := dropDependencies(&s, i); err != nil {
			return nil, err
		}
		s.Columns = append(s.Columns[:i:i], s.Columns[i+1:]...)
		cols = append(cols[:i:i], cols[i+1:]...)
		chunks = make([][]*coldata.Vec, len(old.Chunks))
		for k, ch := range old.Chunks {
			chunks[k] = append(ch[:i:i], ch[i+1:]...)
		}
	}
	mb := storage.NewMemBuilder(s.Types())
	mb.AppendChunks(chunks)
	d := mb.Data(cols)
	if err := t.acc.Resize(d.Bytes); err != nil {
		return nil, err
	}
	// The table's new schema and rows replace it as a new entry, so that
	// queries holding the old one keep a consistent pair.
	nt := *t
	nt.schema = &s
	nt.mem = storage.NewMemTable(cols)
	nt.mem.Publish(d)
	if t.file != nil {
		return emptyRows(), db.alterFolderTable(ctx, name, t, &nt, d)
	}
	db.swapTable(name, t, &nt)
	return emptyRows(), nil
}

// dropDependencies refuses to drop a column a constraint uses, and
// renumbers the keys' columns past it.
func dropDependencies(s *sql.TableSchema, i int) error {
	keys := make([]sql.Key, len(s.Keys))
	for k, key := range s.Keys {
		keys[k] = sql.Key{Primary: key.Primary}
		for _, c := range key.Cols {
			if c == i {
				return fmt.Errorf("Catalog Error: Cannot drop column \"%s\" because there is a UNIQUE constraint that depends on it", s.Columns[i].Name)
			}
			if c > i {
				c--
			}
			keys[k].Cols = append(keys[k].Cols, c)
		}
	}
	for _, ch := range s.Checks {
		if strings.Contains(strings.ToLower(ch.Text), strings.ToLower(s.Columns[i].Name)) {
			return fmt.Errorf("Catalog Error: Cannot drop column \"%s\" because there is a CHECK constraint that depends on it", s.Columns[i].Name)
		}
	}
	s.Keys = keys
	return nil
}

// swapTable replaces t by nt under name.
func (db *DB) swapTable(name string, t, nt *localTable) {
	o := db.objs
	o.mu.Lock()
	o.tables[strings.ToLower(name)] = nt
	o.mu.Unlock()
	o.version.Add(1)
}

func (db *DB) renameTable(ctx context.Context, t *localTable, from, to string) error {
	if db.exists(ctx, to) != "" && !strings.EqualFold(from, to) {
		return fmt.Errorf("Catalog Error: Could not rename \"%s\" to \"%s\": another entry with this name already exists!", from, to)
	}
	s := *t.schema
	s.Name = to
	nt := *t
	nt.schema = &s
	if t.file != nil {
		return db.renameFolderTable(from, t, &nt)
	}
	o := db.objs
	o.mu.Lock()
	delete(o.tables, strings.ToLower(from))
	o.tables[strings.ToLower(to)] = &nt
	o.mu.Unlock()
	o.version.Add(1)
	return nil
}

// constant evaluates a column's DEFAULT (NULL without one).
func (db *DB) constant(ctx context.Context, col sql.ColumnDef) (coldata.Datum, error) {
	if col.Default == nil {
		return coldata.Datum{Null: true}, nil
	}
	bound, err := sql.BindDefault(col.Default, col.Type)
	if err != nil {
		return coldata.Datum{}, err
	}
	mb, err := db.collect(ctx, bound.Plan, bound.Names, []coldata.Type{col.Type})
	if err != nil {
		return coldata.Datum{}, err
	}
	return mb.Chunks()[0][0].Get(0), nil
}
