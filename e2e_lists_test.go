package peregrine_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// TestUnnestSpill: rows unnested from lineitem's comments, then grouped and
// sorted under a 4 MB memory limit, answer as without the limit (the sort
// above the unnest spills), leaving no spill files behind; lists cast to
// VARCHAR print as DuckDB's.
func TestUnnestSpill(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	queries := []string{
		"SELECT count(*), count(DISTINCT w), min(w), max(w) FROM (SELECT unnest(string_split(l_comment, ' ')) AS w FROM lineitem)",
		"SELECT w, k FROM (SELECT unnest(string_split(l_comment, ' ')) AS w, unnest(range(l_linenumber)) AS k FROM lineitem) ORDER BY w, k",
		"SELECT l_orderkey, list_sort(list_transform(string_split(l_comment, ' '), s -> length(s)))::VARCHAR FROM lineitem ORDER BY l_comment LIMIT 2 OFFSET 30000",
	}
	want := make([]string, len(queries))
	for i, q := range queries {
		want[i] = join(queryStrings(t, db, q))
	}
	if !strings.Contains(want[2], "[") {
		t.Fatalf("lists should print as DuckDB's text: %s", want[2])
	}
	tmp := t.TempDir()
	t.Cleanup(func() {
		other, err := peregrine.Open("")
		if err == nil {
			err = other.Exec(context.Background(), "RESET memory_limit")
			if err == nil {
				err = other.Exec(context.Background(), "RESET temp_directory")
			}
			other.Close()
		}
		if err != nil {
			t.Error(err)
		}
	})
	for _, s := range []string{"SET temp_directory = '" + tmp + "'", "SET memory_limit = '4MB'"} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	for i, q := range queries {
		if got := join(queryStrings(t, db, q)); got != want[i] {
			t.Errorf("%s under 4 MB: got %s, want %s", q, got, want[i])
		}
		spilled := false
		for _, r := range queryStrings(t, db, "EXPLAIN ANALYZE "+q) {
			spilled = spilled || strings.Contains(strings.Join(r, " "), "spilled")
		}
		if i == 1 && !spilled { // the sort of every word; the DISTINCT may fit
			t.Errorf("%s: should spill under 4 MB", q)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("spill files left in %s: %v", tmp, left)
	}
}
