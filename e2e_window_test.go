package peregrine_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// TestWindowExplain: EXPLAIN shows the window; a filter on its partition
// key goes below it (down to the scan), one on its result stays above,
// and a window whose results nobody reads is pruned away.
func TestWindowExplain(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plan := func(q string) string {
		var lines []string
		for _, r := range queryStrings(t, db, "EXPLAIN "+q) {
			lines = append(lines, strings.Join(r, " "))
		}
		return strings.Join(lines, "\n")
	}
	p := plan("SELECT * FROM (SELECT n_regionkey, n_name, rank() OVER (PARTITION BY n_regionkey ORDER BY n_name) r FROM nation) WHERE n_regionkey = 2 AND r = 1")
	if !strings.Contains(p, "WINDOW [rank()] partition: [n_regionkey] order: n_name") ||
		!strings.Contains(p, "PARQUET_SCAN nation [n_name, n_regionkey] filter: (n_regionkey = 2)") {
		t.Errorf("the partition key filter should reach the scan:\n%s", p)
	}
	if w, f := strings.Index(p, "WINDOW"), strings.Index(p, "FILTER (rank()"); f < 0 || f > w {
		t.Errorf("the filter on rank() should stay above the window:\n%s", p)
	}
	p = plan("SELECT * FROM (SELECT n_name, sum(n_nationkey) OVER (ORDER BY n_name) s FROM nation) WHERE n_name > 'C'")
	if !strings.Contains(p, "PARQUET_SCAN nation [n_name, n_nationkey]\n") && strings.Contains(p, "filter: (n_name") {
		t.Errorf("a filter on an ORDER BY key must not pass the window:\n%s", p)
	}
	p = plan("SELECT n_name FROM (SELECT n_name, n_comment, rank() OVER (ORDER BY n_name) r FROM nation)")
	if strings.Contains(p, "WINDOW") || strings.Contains(p, "n_comment") {
		t.Errorf("an unread window and its unread columns should be pruned:\n%s", p)
	}
}

// TestWindowSpill: window functions over lineitem under a 4 MB memory
// limit spill their sort and answer as without the limit, leaving no
// spill files behind.
func TestWindowSpillSQL(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	queries := []string{
		"SELECT sum(rn), max(c), min(lc) FROM (SELECT row_number() OVER (PARTITION BY l_orderkey ORDER BY l_linenumber) rn, count(*) OVER (PARTITION BY l_suppkey) c, lag(l_comment) OVER (PARTITION BY l_orderkey ORDER BY l_linenumber) lc FROM lineitem)",
		"SELECT round(sum(a)), count(f) FROM (SELECT avg(l_extendedprice) OVER (PARTITION BY l_partkey ORDER BY l_shipdate, l_orderkey, l_linenumber ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) a, first_value(l_comment) OVER (PARTITION BY l_partkey ORDER BY l_shipdate, l_orderkey, l_linenumber) f FROM lineitem)",
	}
	runUnderMemoryLimit(t, db, queries, "the window's sort", func(line string) bool {
		return strings.Contains(line, "WINDOW") && strings.Contains(line, "spilled")
	})
}

// runUnderMemoryLimit runs queries without and then under a 4 MB memory
// limit: the answers must agree, EXPLAIN ANALYZE must show a line that
// spilled (what names the operator in the failure), and no spill file may
// be left behind.
func runUnderMemoryLimit(t *testing.T, db *sql.DB, queries []string, what string, spilled func(line string) bool) {
	t.Helper()
	runUnderMemoryLimitSome(t, db, queries, what, spilled, func(int) bool { return true })
}

// runUnderMemoryLimitSome is runUnderMemoryLimit where only the queries
// must(i) names have to spill (the others may fit under the limit).
func runUnderMemoryLimitSome(t *testing.T, db *sql.DB, queries []string, what string, spilled func(line string) bool, must func(i int) bool) {
	t.Helper()
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
		found := false
		for _, r := range queryStrings(t, db, "EXPLAIN ANALYZE "+q) {
			found = found || spilled(strings.Join(r, " "))
		}
		if !found && must(i) {
			t.Errorf("%s: %s should spill under 4 MB", q, what)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("spill files left in %s: %v", tmp, left)
	}
}
