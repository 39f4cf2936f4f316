package peregrine_test

import (
	"database/sql"
	"strings"
	"testing"
)

// TestAdaptiveReplan checks that a join region whose stage (an aggregation
// on a build side) is far from its estimate is re-planned at run time, that
// EXPLAIN ANALYZE says so, and that a region whose estimates hold runs as
// planned. The answers themselves are checked against DuckDB in
// testdata/sql/adaptive.slt.
func TestAdaptiveReplan(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cases := []struct {
		query, want string
	}{
		// o_custkey % 5 has 5 values; without statistics on a computed key
		// the grouping is estimated at the input's 15,000 rows.
		{`SELECT t.k, count(*) FROM lineitem, orders, (SELECT o_custkey % 5 AS k, count(*) AS n FROM orders GROUP BY k) t
		  WHERE l_orderkey = o_orderkey AND o_custkey % 5 = t.k AND l_quantity < 20 GROUP BY t.k`, "RE-PLANNED"},
		// Grouped by a key whose distinct count the footers give: held.
		{`WITH rev AS (SELECT l_suppkey AS sk, sum(l_extendedprice) AS total FROM lineitem GROUP BY l_suppkey)
		  SELECT s_nationkey, count(*) FROM supplier, rev WHERE s_suppkey = sk GROUP BY s_nationkey`, "estimates held, ran as planned"},
	}
	for _, c := range cases {
		rows := queryStrings(t, db, "EXPLAIN ANALYZE "+c.query)
		var text strings.Builder
		for _, r := range rows {
			text.WriteString(strings.Join(r, " ") + "\n")
		}
		if !strings.Contains(text.String(), "ADAPTIVE_JOIN_REGION") || !strings.Contains(text.String(), c.want) {
			t.Errorf("EXPLAIN ANALYZE lacks %q:\n%s", c.want, text.String())
		}
	}
}
