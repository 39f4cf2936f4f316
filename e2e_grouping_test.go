package peregrine_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// TestGroupingSpill: grouping sets (finest-groups and materialized-input
// plans), DISTINCT ON and PIVOT over lineitem under a 4 MB memory limit
// answer as without it, spill, and leave no spill files behind.
func TestGroupingSpill(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	queries := []string{
		"SELECT count(*), sum(s), sum(n), count(l_partkey), sum(g) FROM (SELECT l_orderkey, l_partkey, l_suppkey, sum(l_quantity) AS s, count(*) AS n, grouping(l_orderkey, l_partkey, l_suppkey) AS g FROM lineitem GROUP BY ROLLUP (l_orderkey, l_partkey, l_suppkey))",
		"SELECT count(*), sum(c), max(m) FROM (SELECT l_orderkey, l_suppkey, count(DISTINCT l_partkey) AS c, max(l_comment) AS m FROM lineitem GROUP BY CUBE (l_orderkey, l_suppkey))",
		"SELECT count(*), sum(l_linenumber), max(l_comment), min(l_comment) FROM (SELECT DISTINCT ON (l_orderkey) l_orderkey, l_linenumber, l_comment FROM lineitem ORDER BY l_orderkey, l_extendedprice DESC, l_linenumber)",
		"SELECT count(*), sum(l), max(c) FROM (SELECT DISTINCT ON (l_comment) l_linenumber AS l, l_comment AS c FROM lineitem ORDER BY l_extendedprice, l_comment, l_orderkey, l_linenumber)",
		"SELECT count(*), sum(\"F\"), sum(\"O\") FROM (PIVOT (SELECT l_comment, l_linestatus, l_quantity FROM lineitem) ON l_linestatus IN ('F', 'O') USING sum(l_quantity) GROUP BY l_comment)",
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
			spilled = spilled || strings.Contains(strings.Join(r, " "), "spilled")
		}
		if !spilled {
			t.Errorf("%s: should spill under 4 MB", q)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("spill files left in %s: %v", tmp, left)
	}
}
