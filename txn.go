package peregrine

import (
	"fmt"

	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// Transactions (BEGIN / COMMIT / ROLLBACK) over the database's own
// in-memory tables and views: BEGIN remembers the catalog and every
// table's published snapshot (snapshots are immutable, so this costs a map
// copy), COMMIT forgets them and ROLLBACK puts them back. The transaction
// belongs to the database, not to one connection: it is the undo log of a
// single writer, which is how scripts and sqllogictest files use it.
// In a database with a directory, a transaction may change TEMP tables
// and views only: the directory's files are written as statements run,
// which ROLLBACK could not undo.

// txnSnapshot is what ROLLBACK restores.
type txnSnapshot struct {
	tables map[string]*localTable
	views  map[string]*sql.View
	data   map[*localTable]*storage.MemData
}

func (db *DB) transaction(st *sql.Transaction) error {
	o := db.objs
	o.write.Lock()
	defer o.write.Unlock()
	switch st.Kind {
	case "BEGIN":
		if o.txn != nil {
			return fmt.Errorf("TransactionContext Error: cannot start a transaction within a transaction")
		}
		o.txn = o.snapshot()
	case "COMMIT":
		if o.txn == nil {
			return fmt.Errorf("TransactionContext Error: cannot commit - no transaction is active")
		}
		o.txn = nil
	case "ROLLBACK":
		if o.txn == nil {
			return fmt.Errorf("TransactionContext Error: cannot rollback - no transaction is active")
		}
		db.rollback(o.txn)
		o.txn = nil
	}
	return nil
}

// snapshot copies the catalog and each table's current contents.
func (o *localObjects) snapshot() *txnSnapshot {
	o.mu.RLock()
	defer o.mu.RUnlock()
	s := &txnSnapshot{tables: map[string]*localTable{}, views: map[string]*sql.View{}, data: map[*localTable]*storage.MemData{}}
	for k, t := range o.tables {
		s.tables[k] = t
		s.data[t] = t.mem.Snapshot()
	}
	for k, v := range o.views {
		s.views[k] = v
	}
	return s
}

// rollback makes the catalog and the tables' contents those BEGIN saw:
// tables created since are released, tables dropped, replaced or altered
// since come back with their old rows (charged to the pool again), and
// changed rows of the others are replaced by their old snapshot.
func (db *DB) rollback(s *txnSnapshot) {
	o := db.objs
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, t := range o.tables {
		if _, kept := s.data[t]; !kept {
			t.close()
		}
	}
	tables := make(map[string]*localTable, len(s.tables))
	for k, t := range s.tables {
		if nt := db.restoreTable(t, s.data[t], o.tables[k] == t); nt != nil {
			tables[k] = nt
		}
	}
	o.tables = tables
	o.views = s.views
	o.version.Add(1)
}

// restoreTable is table t with the contents d it had at BEGIN; live says
// t is still the catalog's entry (else it was dropped, replaced or
// altered, and its memory released). Nil when it cannot come back.
func (db *DB) restoreTable(t *localTable, d *storage.MemData, live bool) *localTable {
	switch {
	case d == nil || t.source != nil:
		// A stream or a table registered from Go is not versioned;
		// dropped, its data is gone.
		if !live {
			return nil
		}
		return t
	case live && t.mem.Snapshot() == d:
		return t
	case live:
		t.mem.Publish(d)
		_ = t.acc.Resize(d.Bytes) // the memory was held at BEGIN
	default:
		nt := *t
		nt.mem = storage.NewMemTable(d.Columns)
		nt.mem.Publish(d)
		nt.acc = db.mem.NewAccount("in-memory table " + t.schema.Name)
		_ = nt.acc.Resize(d.Bytes)
		t = &nt
	}
	if len(t.schema.Keys) > 0 {
		if keys, err := t.rebuildKeys(d); err == nil {
			t.keys = keys
		}
	}
	return t
}

// txnRefusesFiles fails a write to the database directory while a
// transaction is open (writers hold objs.write, which guards txn).
func (db *DB) txnRefusesFiles() error {
	if db.objs.txn != nil {
		return fmt.Errorf("Not implemented Error: writing to the database directory inside a transaction is not supported yet (use TEMP tables)")
	}
	return nil
}
