package peregrine

import (
	"context"
	"strings"
	"testing"
)

// TestTransactionRollbackInMemory: ROLLBACK undoes writes to the in-memory
// database's tables (created, changed, dropped and altered) and gives
// their memory back; COMMIT keeps them.
func TestTransactionRollbackInMemory(t *testing.T) {
	db, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	exec := func(q string) {
		t.Helper()
		if err := db.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("CREATE TABLE a AS SELECT range AS i FROM range(1000)")
	before := db.mem.Used()
	exec("BEGIN TRANSACTION")
	exec("INSERT INTO a SELECT range FROM range(5000)")
	exec("CREATE TABLE b AS SELECT range AS j FROM range(5000)")
	exec("ALTER TABLE a ADD COLUMN k INTEGER")
	exec("DROP TABLE a")
	exec("ROLLBACK")
	wantRows(t, db, "SELECT * FROM a", 1000)
	if _, err := count(t, db, "SELECT * FROM b"); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("b after ROLLBACK: %v", err)
	}
	if used := db.mem.Used(); used != before {
		t.Errorf("memory after ROLLBACK: %d bytes, want %d", used, before)
	}
	exec("BEGIN; DELETE FROM a WHERE i < 500; COMMIT")
	wantRows(t, db, "SELECT * FROM a", 500)
}

// TestTransactionRefusesDirectoryWrites: the directory's files are written
// as statements run, so a transaction may only change TEMP objects there.
func TestTransactionRefusesDirectoryWrites(t *testing.T) {
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Exec(ctx, "CREATE TABLE p AS SELECT 1 AS i; BEGIN"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"CREATE TABLE q(i INTEGER)", "INSERT INTO p VALUES (2)", "DROP TABLE p", "CREATE VIEW v AS SELECT 1"} {
		if err := db.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "inside a transaction") {
			t.Errorf("%s: got %v, want the transaction refusal", q, err)
		}
	}
	if err := db.Exec(ctx, "CREATE TEMP TABLE q AS SELECT 1 AS i; ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	wantRows(t, db, "SELECT * FROM p", 1)
}
