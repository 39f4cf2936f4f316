package peregrine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// TestFolderTablePersists: rows written by INSERT, UPDATE, DELETE and
// ALTER to a folder table are what a second Open of the folder sees, and
// only the files holding changed rows are rewritten.
func TestFolderTablePersists(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(db *peregrine.DB, q string) {
		t.Helper()
		if err := db.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, v DOUBLE DEFAULT 1.5 CHECK (v >= 0))")
	exec(db, "INSERT INTO t VALUES (1, 'a', 1), (2, 'b', 2)")
	exec(db, "INSERT INTO t (id, name) VALUES (3, 'c')")
	exec(db, "INSERT INTO t VALUES (4, 'd', 4)")
	files := func() []string {
		m, _ := filepath.Glob(filepath.Join(dir, "t", "*.parquet"))
		for i := range m {
			m[i] = filepath.Base(m[i])
		}
		return m
	}
	if got := strings.Join(files(), " "); got != "data-000000-0.parquet data-000001-0.parquet data-000002-0.parquet" {
		t.Fatalf("files after INSERTs: %s", got)
	}
	exec(db, "UPDATE t SET v = 30 WHERE id = 3")
	exec(db, "DELETE FROM t WHERE id = 4")
	if got := strings.Join(files(), " "); got != "data-000000-0.parquet data-000001-1.parquet" {
		t.Fatalf("files after UPDATE and DELETE: %s", got)
	}
	for _, bad := range []string{"INSERT INTO t VALUES (1, 'x', 1)", "INSERT INTO t VALUES (9, NULL, 1)", "UPDATE t SET v = -1"} {
		if err := db.Exec(ctx, bad); err == nil || !strings.Contains(err.Error(), "Constraint Error") {
			t.Fatalf("%s: %v", bad, err)
		}
	}
	exec(db, "CREATE TABLE empty (a INTEGER)")
	db.Close()

	want := "1 a 1.0 2 b 2.0 3 c 30.0"
	check := func(q, want string) {
		t.Helper()
		db, err := peregrine.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if got := queryString(t, db, q); got != want {
			t.Fatalf("%s after reopening: got\n%s want\n%s", q, got, want)
		}
	}
	check("SELECT * FROM t ORDER BY id", want)
	check("SELECT count(*) FROM empty", "0")

	db, err = peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(ctx, "INSERT INTO t VALUES (2, 'dup', 1)"); err == nil {
		t.Fatal("duplicate key accepted after reopening")
	}
	exec(db, "ALTER TABLE t ADD COLUMN w INTEGER DEFAULT 7")
	exec(db, "ALTER TABLE t ADD COLUMN z INTEGER")
	exec(db, "ALTER TABLE t DROP COLUMN z")
	exec(db, "ALTER TABLE t RENAME COLUMN name TO label")
	exec(db, "ALTER TABLE t RENAME TO u")
	db.Close()
	check("SELECT id, label, w FROM u ORDER BY id", "1 a 7 2 b 7 3 c 7")
	if _, err := os.Stat(filepath.Join(dir, "t")); !os.IsNotExist(err) {
		t.Fatalf("old folder left: %v", err)
	}
	db, err = peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	exec(db, "DROP TABLE u")
	db.Close()
	db, err = peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Exec(ctx, "SELECT * FROM u"); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("dropped table: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "u")); !os.IsNotExist(err) {
		t.Fatalf("dropped folder left: %v", err)
	}
}

// TestFolderTableSecondWriter: a second database on the folder reads a
// folder table's committed rows but cannot write it while the first holds
// the folder.
func TestFolderTableSecondWriter(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run(t, db, "CREATE TABLE f (a INTEGER)")
	run(t, db, "INSERT INTO f VALUES (1), (2)")
	db2, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if got := queryString(t, db2, "SELECT sum(a) FROM f"); got != "3" {
		t.Fatalf("second database reads %s", got)
	}
	for _, q := range []string{"INSERT INTO f VALUES (3)", "UPDATE f SET a = 0", "DELETE FROM f"} {
		if err := db2.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "database is locked by process") {
			t.Fatalf("%s from a second writer: %v", q, err)
		}
	}
	if got := queryString(t, db2, "SELECT sum(a) FROM f"); got != "3" {
		t.Fatalf("after the refused writes: %s", got)
	}
}

// TestFolderTableReadersSeeOneState: databases opened on the folder while
// another rewrites every file of a folder table over and over each find
// all of one UPDATE, never files of two.
func TestFolderTableReadersSeeOneState(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run(t, db, "CREATE TABLE f (k INTEGER, gen INTEGER)")
	for i := range 6 {
		run(t, db, fmt.Sprintf("INSERT INTO f SELECT %d * 100 + i, 0 FROM range(100) t(i)", i))
	}
	done := make(chan error)
	go func() {
		for gen := 1; gen <= 10; gen++ {
			if err := db.Exec(ctx, fmt.Sprintf("UPDATE f SET gen = %d", gen)); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for reads := 0; ; reads++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d reads", reads)
			return
		default:
		}
		r, err := peregrine.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		got := queryString(t, r, "SELECT count(*), count(DISTINCT gen) FROM f")
		r.Close()
		if got != "600 1" {
			t.Fatalf("a reader during the writes found %s", got)
		}
	}
}

// TestFileTableBecomesFolderTable: a table CREATE TABLE ... AS wrote as
// NAME.parquet takes INSERT, UPDATE, DELETE and ALTER by becoming a folder
// table whose first file is the old file.
func TestFileTableBecomesFolderTable(t *testing.T) {
	dir := t.TempDir()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	run(t, db, "CREATE TABLE c AS SELECT i, i * 2 AS j FROM range(5) t(i)")
	run(t, db, "INSERT INTO c VALUES (10, 20)")
	run(t, db, "DELETE FROM c WHERE i = 0")
	run(t, db, "UPDATE c SET j = -1 WHERE i = 1")
	run(t, db, "ALTER TABLE c RENAME COLUMN j TO k")
	db.Close()
	if _, err := os.Stat(filepath.Join(dir, "c.parquet")); !os.IsNotExist(err) {
		t.Fatalf("c.parquet left: %v", err)
	}
	db, err = peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := queryString(t, db, "SELECT i, k FROM c ORDER BY i"); got != "1 -1 2 4 3 6 4 8 10 20" {
		t.Fatalf("after reopening: %s", got)
	}
}

// TestFolderTableRefusesTypes: column types a folder table could not read
// back are refused when it is made or altered, not after its rows are
// written (a table that cannot be read would keep the folder from opening).
func TestFolderTableRefusesTypes(t *testing.T) {
	ctx := context.Background()
	db, err := peregrine.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run(t, db, "CREATE TABLE n (a INTEGER)")
	for _, q := range []string{"CREATE TABLE h (a HUGEINT)", "CREATE TABLE l (a INTEGER[])", "ALTER TABLE n ADD COLUMN s STRUCT(x INTEGER)"} {
		if err := db.Exec(ctx, q); err == nil || !strings.HasPrefix(err.Error(), "Not implemented Error: a column of type") {
			t.Fatalf("%s: %v", q, err)
		}
	}
	run(t, db, "CREATE TEMP TABLE h (a HUGEINT)")
}
