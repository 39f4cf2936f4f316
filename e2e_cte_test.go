package peregrine_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// TestSharedCTEs: a WITH query that aggregates and is read twice is
// computed once (one aggregation in the plan) with the answers of the same
// query written with the body repeated; read once, or without aggregation,
// it is inlined. Under a memory limit its rows spill and read back the same.
func TestSharedCTEs(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const body = "SELECT l_orderkey AS k, sum(l_quantity) AS q, min(l_comment) AS c FROM lineitem GROUP BY l_orderkey"
	shared := "WITH t AS (" + body + ") SELECT count(*), sum(q), min(c), max(c) FROM t WHERE q > (SELECT avg(q) FROM t)"
	inlined := "SELECT count(*), sum(q), min(c), max(c) FROM (" + body + ") t WHERE q > (SELECT avg(q) FROM (" + body + ") t2)"
	want := join(queryStrings(t, db, inlined))
	if got := join(queryStrings(t, db, shared)); got != want {
		t.Errorf("shared CTE: got %s, want %s", got, want)
	}
	plan := join(queryStrings(t, db, "EXPLAIN "+shared))
	if strings.Count(plan, "CTE_SCAN t") != 2 || strings.Count(plan, "computed once") != 1 || strings.Count(plan, "HASH_AGGREGATE groups: [l_orderkey]") != 1 {
		t.Errorf("want one shared aggregation read twice:\n%s", plan)
	}
	for _, q := range []string{
		"WITH t AS (" + body + ") SELECT count(*) FROM t",
		"WITH t AS (SELECT l_orderkey AS k, l_quantity AS q FROM lineitem) SELECT count(*) FROM t WHERE q > (SELECT avg(q) FROM t)",
	} {
		if p := join(queryStrings(t, db, "EXPLAIN "+q)); strings.Contains(p, "CTE_SCAN") {
			t.Errorf("%s: want the CTE inlined:\n%s", q, p)
		}
	}

	t.Cleanup(func() {
		other, err := peregrine.Open("")
		if err == nil {
			err = other.Exec(context.Background(), "RESET memory_limit")
			other.Close()
		}
		if err != nil {
			t.Error(err)
		}
	})
	if _, err := db.Exec("SET memory_limit = '512KB'"); err != nil {
		t.Fatal(err)
	}
	if got := join(queryStrings(t, db, shared)); got != want {
		t.Errorf("shared CTE under a 512 KB limit: got %s, want %s", got, want)
	}
	found := false
	for _, r := range queryStrings(t, db, "EXPLAIN ANALYZE "+shared) {
		line := strings.Join(r, " ")
		if strings.Contains(line, "computed once") {
			found = true
			if !strings.Contains(line, "spilled") {
				t.Errorf("the CTE's rows should spill under 512 KB: %s", line)
			}
		}
	}
	if !found {
		t.Error("EXPLAIN ANALYZE does not show the shared CTE")
	}
}
