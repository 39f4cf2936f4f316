package peregrine_test

import (
	"database/sql"
	"strings"
	"testing"
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
	runUnderMemoryLimit(t, db, queries, "the set operation's aggregation", func(line string) bool {
		return strings.Contains(line, "HASH_AGGREGATE groups: [k, l_comment]") && strings.Contains(line, "spilled")
	})
}
