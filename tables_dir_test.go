package peregrine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// TestDirectoryDatabaseKeepsWrites: in a directory database, CREATE TABLE
// AS writes NAME.parquet and views go to the catalog file; a later Open
// sees both, TEMP objects are gone, DROP removes them for good; a second
// writer of the same folder is refused while the first holds it.
func TestDirectoryDatabaseKeepsWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	run(t, db, "CREATE TABLE nums AS SELECT i, i % 3 AS m FROM "+numbers(3))
	run(t, db, "CREATE VIEW by_m AS SELECT m, count(*) AS n FROM nums GROUP BY m")
	run(t, db, "CREATE TEMP VIEW gone AS SELECT 1")
	run(t, db, "CREATE TEMP TABLE gone_t AS SELECT 1 AS x")
	if _, err := os.Stat(filepath.Join(dir, "nums.parquet")); err != nil {
		t.Fatal(err)
	}
	cat, err := os.ReadFile(filepath.Join(dir, ".peregrine", "catalog.sql"))
	if err != nil || !strings.Contains(string(cat), "CREATE VIEW by_m AS SELECT m, count(*) AS n FROM nums GROUP BY m;") {
		t.Fatalf("catalog.sql: %q, %v", cat, err)
	}

	// A second database on the folder reads what was committed, but
	// cannot write while the first holds the folder.
	db2, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := queryString(t, db2, "SELECT n FROM by_m ORDER BY m"); got != "334 333 333" {
		t.Fatalf("second database: %s", got)
	}
	err = db2.Exec(ctx, "CREATE TABLE other AS SELECT 1 AS x")
	if err == nil || !strings.Contains(err.Error(), "database is locked by process ") {
		t.Fatalf("second writer: %v", err)
	}
	db2.Close()
	db.Close()

	db, err = peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := queryString(t, db, "SELECT sum(n) FROM by_m"); got != "1000" {
		t.Fatalf("after reopening: %s", got)
	}
	for _, q := range []string{"SELECT * FROM gone", "SELECT * FROM gone_t"} {
		if err := db.Exec(ctx, q); err == nil {
			t.Fatalf("%s: a TEMP object survived Close", q)
		}
	}
	names, _ := db.Tables()
	if strings.Join(names, ",") != "by_m,nums" {
		t.Fatalf("tables: %v", names)
	}
	run(t, db, "CREATE OR REPLACE TABLE nums AS SELECT 7 AS i")
	// A view is bound when queried: over the replaced table it fails.
	if err := db.Exec(ctx, "SELECT * FROM by_m"); err == nil || !strings.HasPrefix(err.Error(), `Binder Error: Referenced column "m" not found`) {
		t.Fatalf("view over the replaced table: %v", err)
	}
	run(t, db, "DROP VIEW by_m")
	run(t, db, "DROP TABLE nums")
	if _, err := os.Stat(filepath.Join(dir, "nums.parquet")); !os.IsNotExist(err) {
		t.Fatalf("nums.parquet after DROP: %v", err)
	}
	db.Close()
	db, err = peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if names, _ := db.Tables(); len(names) != 0 {
		t.Fatalf("tables after DROP and reopening: %v", names)
	}
}
