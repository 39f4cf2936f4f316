package peregrine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// TestMacrosPersist: a directory database keeps its macros (scalar and
// table) in the catalog file with its views; TEMP macros and dropped ones
// are gone after reopening; a view may call a macro.
func TestMacrosPersist(t *testing.T) {
	dir := t.TempDir()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	run(t, db, "CREATE MACRO add1(x) AS x + 1")
	run(t, db, "CREATE MACRO upto(n) AS TABLE SELECT range AS i FROM range(n)")
	run(t, db, "CREATE TEMP MACRO gone(x) AS x")
	run(t, db, "CREATE MACRO dropped(x) AS x")
	run(t, db, "DROP MACRO dropped")
	run(t, db, "CREATE VIEW v AS SELECT add1(i) AS j FROM upto(4)")
	cat, err := os.ReadFile(filepath.Join(dir, ".peregrine", "catalog.sql"))
	if err != nil || !strings.Contains(string(cat), "CREATE MACRO add1(x) AS x + 1;") || strings.Contains(string(cat), "gone") {
		t.Fatalf("catalog.sql: %q, %v", cat, err)
	}
	db.Close()

	db, err = peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := queryString(t, db, "SELECT add1(41), (SELECT sum(i) FROM upto(5)), (SELECT sum(j) FROM v)"); got != "42 10 10" {
		t.Fatalf("after reopening: %s", got)
	}
	for _, q := range []string{"SELECT gone(1)", "SELECT dropped(1)"} {
		if err := db.Exec(t.Context(), q); err == nil {
			t.Errorf("%s: the macro outlived its database", q)
		}
	}
}
