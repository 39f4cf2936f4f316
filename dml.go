package peregrine

import (
	"context"
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// writeTarget finds the table a DML statement writes, which must be one of
// the database's own.
func (db *DB) writeTarget(ctx context.Context, name string) (*localTable, error) {
	if t := db.objs.table(name); t != nil {
		if t.mem.IsStream() {
			return nil, fmt.Errorf("Invalid Input Error: %s is a one-pass stream registered from Go and cannot be changed", name)
		}
		return t, nil
	}
	switch db.exists(ctx, name) {
	case "Table":
		if t, err := db.adoptFileTable(ctx, name); t != nil || err != nil {
			return t, err
		}
		return nil, fmt.Errorf("Not implemented Error: writing the table %s of the database directory is not supported (it is not a single Parquet file of the folder, nor a table CREATE TABLE made)", name)
	case "View":
		return nil, fmt.Errorf("Catalog Error: %s is not an table", name)
	}
	return nil, fmt.Errorf("Catalog Error: Table with name %s does not exist!", name)
}

func (db *DB) insert(ctx context.Context, st *sql.Insert, args []sql.Arg) (*Rows, error) {
	db.objs.write.Lock()
	defer db.objs.write.Unlock()
	t, err := db.writeTarget(ctx, st.AST.Table.Last())
	if err != nil {
		return nil, err
	}
	bound, err := sql.BindInsert(st, db.queryCatalog(ctx), t.schema, args...)
	if err != nil {
		return nil, err
	}
	ret, err := db.prepareReturning(ctx, st.AST.Table, st.AST.Returning, t)
	if err != nil {
		return nil, err
	}
	node := bound.Plan
	if len(args) > 0 {
		if node, err = bound.Instantiate(args); err != nil {
			return nil, err
		}
	}
	added, err := db.collect(ctx, node, bound.Names, t.schema.Types())
	if err != nil {
		return nil, err
	}
	if ignore, cols := ignoresConflicts(st); ignore {
		keys, err := conflictKeys(t, cols)
		if err != nil {
			return nil, err
		}
		added = dropConflicts(t, added, keys)
	}
	n, err := db.appendRows(ctx, t, added)
	if err != nil {
		return nil, err
	}
	if ret != nil {
		return ret.run(ctx, added)
	}
	return changedRows(n), nil
}

// appendRows checks rows against t's constraints and publishes t's
// snapshot with them appended; nothing changes when a check fails.
func (db *DB) appendRows(ctx context.Context, t *localTable, added *storage.MemBuilder) (int64, error) {
	if added.Rows() == 0 {
		return 0, nil
	}
	if err := db.checkRows(ctx, t, added.Chunks()); err != nil {
		return 0, err
	}
	newKeys, err := t.addKeys(added.Chunks())
	if err != nil {
		return 0, err
	}
	old := t.mem.Snapshot()
	nb := storage.NewMemBuilder(t.schema.Types())
	chunks := old.Chunks
	// Small INSERTs fill a last chunk that is not full (a copy of it), so
	// that many of them do not leave many small chunks; larger ones add
	// their chunks as they are.
	if k := len(chunks); k > 0 && storage.ChunkLen(chunks[k-1]) < coldata.DefaultBatchSize && added.Rows() < coldata.DefaultBatchSize {
		nb.AppendChunks(chunks[:k-1])
		last := chunks[k-1]
		nb.Append(&coldata.Batch{Vecs: last, N: storage.ChunkLen(last)})
		for _, ch := range added.Chunks() {
			nb.Append(&coldata.Batch{Vecs: ch, N: storage.ChunkLen(ch)})
		}
	} else {
		nb.AppendChunks(chunks)
		nb.AppendChunks(added.Chunks())
	}
	var undo func()
	if t.file != nil {
		if undo, err = db.fileAppend(ctx, t, added); err != nil {
			return 0, err
		}
	}
	if err := db.publish(t, nb.Data(old.Columns)); err != nil {
		if undo != nil {
			undo()
		}
		return 0, err
	}
	for i, m := range newKeys {
		for k := range m {
			t.keys[i][k] = struct{}{}
		}
	}
	return added.Rows(), nil
}

// publish charges a new snapshot to the pool and makes it the table's.
func (db *DB) publish(t *localTable, d *storage.MemData) error {
	if err := t.acc.Resize(d.Bytes); err != nil {
		t.acc.Resize(t.mem.Snapshot().Bytes)
		return err
	}
	t.mem.Publish(d)
	return nil
}

// commit publishes a table's first snapshot (CREATE TABLE AS).
func (db *DB) commit(t *localTable, mb *storage.MemBuilder, _ any) error {
	return db.publish(t, mb.Data(t.mem.Snapshot().Columns))
}

// checkRows enforces NOT NULL and CHECK on new or changed rows.
func (db *DB) checkRows(ctx context.Context, t *localTable, chunks [][]*coldata.Vec) error {
	s := t.schema
	for c, col := range s.Columns {
		if !col.NotNull {
			continue
		}
		for _, ch := range chunks {
			if v := ch[c]; v.HasNulls() {
				for _, null := range v.Nulls[:storage.ChunkLen(ch)] {
					if null {
						return fmt.Errorf("Constraint Error: NOT NULL constraint failed: %s.%s", s.Name, col.Name)
					}
				}
			}
		}
	}
	if len(s.Checks) == 0 {
		return nil
	}
	tmp := storage.NewMemBuilder(s.Types())
	tmp.AppendChunks(chunks)
	mem := storage.NewMemTable(t.mem.Snapshot().Columns)
	mem.Publish(tmp.Data(t.mem.Snapshot().Columns))
	bound, err := sql.BindChecks(s, mem.Table(s.Name))
	if err != nil {
		return err
	}
	phys, err := db.planNode(bound.Plan)
	if err != nil {
		return err
	}
	rows, err := db.start(ctx, phys, bound.Names)
	if err != nil {
		return err
	}
	defer rows.Close()
	for {
		b, err := rows.Next(ctx)
		if err != nil || b == nil {
			return err
		}
		for c, v := range b.Vecs {
			for k := range b.Len() {
				i := k
				if b.Sel != nil {
					i = int(b.Sel[k])
				}
				if !v.IsNull(i) && !v.B[i] {
					return fmt.Errorf("Constraint Error: CHECK constraint failed on table %s with expression %s", s.Name, s.Checks[c].Text)
				}
			}
		}
	}
}

// addKeys encodes the key values of new rows and checks them against the
// table's and each other; it returns them without adding them.
func (t *localTable) addKeys(chunks [][]*coldata.Vec) ([]map[string]struct{}, error) {
	out := make([]map[string]struct{}, len(t.schema.Keys))
	for i, key := range t.schema.Keys {
		out[i] = map[string]struct{}{}
		for _, ch := range chunks {
			for r := range storage.ChunkLen(ch) {
				enc, shown, named, ok := t.keyOf(key, ch, r)
				if !ok {
					continue // a key with a NULL matches nothing
				}
				if _, dup := t.keys[i][enc]; dup {
					return nil, duplicateKey(named, key.Primary)
				}
				if _, dup := out[i][enc]; dup {
					return nil, fmt.Errorf("Constraint Error: PRIMARY KEY or UNIQUE constraint violation: duplicate key \"%s\"", shown)
				}
				out[i][enc] = struct{}{}
			}
		}
	}
	return out, nil
}

func duplicateKey(named string, primary bool) error {
	kind := "unique"
	if primary {
		kind = "primary key"
	}
	return fmt.Errorf("Constraint Error: Duplicate key \"%s\" violates %s constraint.", named, kind)
}

// rebuildKeys recomputes every key set from a whole snapshot (after UPDATE
// and DELETE), failing on a duplicate.
func (t *localTable) rebuildKeys(d *storage.MemData) ([]map[string]struct{}, error) {
	out := make([]map[string]struct{}, len(t.schema.Keys))
	for i, key := range t.schema.Keys {
		out[i] = map[string]struct{}{}
		for _, ch := range d.Chunks {
			for r := range storage.ChunkLen(ch) {
				enc, _, named, ok := t.keyOf(key, ch, r)
				if !ok {
					continue
				}
				if _, dup := out[i][enc]; dup {
					return nil, duplicateKey(named, key.Primary)
				}
				out[i][enc] = struct{}{}
			}
		}
	}
	return out, nil
}

// keyOf encodes row r's key; shown and named are DuckDB's two ways of
// printing it ("1, z" and "a: 1, b: z"). ok is false when a part is NULL.
func (t *localTable) keyOf(key sql.Key, ch []*coldata.Vec, r int) (enc, shown, named string, ok bool) {
	var e, s, n strings.Builder
	for j, c := range key.Cols {
		v := ch[c]
		if v.IsNull(r) {
			return "", "", "", false
		}
		val := coldata.Format(v.Type, v.Get(r))
		if j > 0 {
			e.WriteByte(0)
			s.WriteString(", ")
			n.WriteString(", ")
		}
		e.WriteString(val)
		s.WriteString(val)
		n.WriteString(t.schema.Columns[c].Name + ": " + val)
	}
	return e.String(), s.String(), n.String(), true
}
