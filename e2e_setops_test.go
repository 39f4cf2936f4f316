package peregrine_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// TestSetOpsSpill: UNION, INTERSECT and EXCEPT [ALL] over lineitem under a
// 4 MB memory limit spill their hash aggregation and answer as without the
// limit, leaving no spill files behind.
func TestSetOpsSpill(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const side = "SELECT l_orderkey * 10 + l_linenumber AS k, l_comment FROM lineitem"
	queries := []string{
		"SELECT count(*), sum(k), min(l_comment) FROM (" + side + " UNION " + side + " WHERE l_quantity < 10)",
		"SELECT count(*), sum(k), max(l_comment) FROM (" + side + " INTERSECT " + side + " WHERE l_quantity < 25)",
		"SELECT count(*), sum(k), max(l_comment) FROM (" + side + " UNION ALL " + side + " EXCEPT ALL " + side + " WHERE l_quantity < 25)",
	}
	want := make([]string, len(queries))
	for i, q := range queries {
		want[i] = join(queryStrings(t, db, q))
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
			line := strings.Join(r, " ")
			spilled = spilled || strings.Contains(line, "HASH_AGGREGATE groups: [k, l_comment]") && strings.Contains(line, "spilled")
		}
		if !spilled {
			t.Errorf("%s: the set operation's aggregation should spill under 4 MB", q)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("spill files left in %s: %v", tmp, left)
	}
}
