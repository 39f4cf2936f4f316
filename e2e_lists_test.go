package peregrine_test

import (
	"database/sql"
	"strings"
	"testing"
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
	if got := join(queryStrings(t, db, queries[2])); !strings.Contains(got, "[") {
		t.Fatalf("lists should print as DuckDB's text: %s", got)
	}
	runUnderMemoryLimitSome(t, db, queries, "the sort of every word", func(line string) bool {
		return strings.Contains(line, "spilled")
	}, func(i int) bool { return i == 1 }) // the DISTINCT may fit
}
