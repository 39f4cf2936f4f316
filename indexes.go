package peregrine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// CREATE [UNIQUE] INDEX and DROP INDEX. Peregrine scans columnar chunks and
// has no use for an index to answer a query, so an index is a name in the
// catalog; a UNIQUE index adds a UNIQUE key to its table, checked against
// the rows already there ("Data contains duplicates on indexed column(s)")
// and enforced on later writes like the table's own keys. Indexes live as
// long as the database (a directory database does not keep them), and a
// transaction's ROLLBACK does not remove one created inside it.

type index struct {
	name, table string
	unique      bool
	t           *localTable // the table a UNIQUE index's key belongs to
	key         sql.Key
}

func (db *DB) createIndex(ctx context.Context, st *sql.CreateIndex) (*Rows, error) {
	ci := st.AST
	name := ci.Name.Name
	cols, bad := st.IndexColumns()
	if bad != nil {
		return nil, fmt.Errorf("Not implemented Error: an index on an expression (%s) is not supported yet", bad)
	}
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	o := db.objs
	o.mu.RLock()
	_, taken := o.indexes[strings.ToLower(name)]
	o.mu.RUnlock()
	if taken {
		if ci.IfNotExists {
			return emptyCount(), nil
		}
		return nil, fmt.Errorf("Catalog Error: Index with name \"%s\" already exists!", name)
	}
	table := ci.Table.Last()
	t := o.table(table)
	if t == nil {
		switch db.exists(ctx, table) {
		case "Table":
			if ci.Unique {
				return nil, fmt.Errorf("Not implemented Error: a UNIQUE index on %s, a table of the database directory's files, is not supported yet", table)
			}
		case "View":
			return nil, fmt.Errorf("Catalog Error: %s is not a table", table)
		default:
			return nil, fmt.Errorf("Catalog Error: Table with name %s does not exist!", table)
		}
	} else {
		key := sql.Key{Index: name}
		for _, c := range cols {
			i := t.schema.ColumnIndex(c)
			if i < 0 {
				return nil, fmt.Errorf("Binder Error: Table \"%s\" does not have a column named \"%s\"", t.schema.Name, c)
			}
			key.Cols = append(key.Cols, i)
		}
		if ci.Unique {
			if err := db.addUniqueKey(t, key); err != nil {
				return nil, err
			}
		}
		table = t.schema.Name
		ix := &index{name: name, table: table, unique: ci.Unique, t: t, key: key}
		o.mu.Lock()
		o.indexes[strings.ToLower(name)] = ix
		o.mu.Unlock()
		o.version.Add(1)
		return emptyCount(), nil
	}
	o.mu.Lock()
	o.indexes[strings.ToLower(name)] = &index{name: name, table: table}
	o.mu.Unlock()
	o.version.Add(1)
	return emptyCount(), nil
}

// addUniqueKey makes key a UNIQUE key of t, refusing rows that already
// repeat it.
func (db *DB) addUniqueKey(t *localTable, key sql.Key) error {
	if db.objs.txn != nil {
		return fmt.Errorf("Not implemented Error: CREATE UNIQUE INDEX inside a transaction is not supported yet")
	}
	seen := map[string]struct{}{}
	for _, ch := range t.mem.Snapshot().Chunks {
		for r := range storage.ChunkLen(ch) {
			enc, _, _, ok := t.keyOf(key, ch, r)
			if !ok {
				continue
			}
			if _, dup := seen[enc]; dup {
				return fmt.Errorf("Constraint Error: Data contains duplicates on indexed column(s)")
			}
			seen[enc] = struct{}{}
		}
	}
	o := db.objs
	o.mu.Lock()
	defer o.mu.Unlock()
	schema := *t.schema
	schema.Keys = append(slices.Clone(t.schema.Keys), key)
	t.schema = &schema
	t.keys = append(slices.Clone(t.keys), seen)
	return nil
}

// dropIndexes is DROP INDEX [IF EXISTS] names; a UNIQUE index's key
// leaves its table.
func (db *DB) dropIndexes(names []string, ifExists bool) (*Rows, error) {
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	o := db.objs
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, n := range names {
		k := strings.ToLower(n)
		ix, ok := o.indexes[k]
		if !ok {
			if ifExists {
				continue
			}
			return nil, fmt.Errorf("Catalog Error: Index with name %s does not exist!", n)
		}
		delete(o.indexes, k)
		if ix.unique && ix.t != nil {
			ix.t.dropKey(ix.key)
		}
	}
	o.version.Add(1)
	return emptyCount(), nil
}

// dropKey removes the non-primary key equal to key (a UNIQUE index's).
func (t *localTable) dropKey(key sql.Key) {
	for i, k := range t.schema.Keys {
		if k.Index == key.Index && slices.Equal(k.Cols, key.Cols) {
			schema := *t.schema
			schema.Keys = slices.Delete(slices.Clone(t.schema.Keys), i, i+1)
			t.schema = &schema
			t.keys = slices.Delete(slices.Clone(t.keys), i, i+1)
			return
		}
	}
}
