package peregrine_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
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
	runUnderMemoryLimit(t, db, queries, "the aggregate or sort", func(line string) bool {
		return strings.Contains(line, "spilled")
	})
}

// TestGroupingParams: a grouping-sets query with parameters (its shared
// input is copied with the plan for each execution) answers as the query
// with the values written in, for two sets of values.
func TestGroupingParams(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const q = "SELECT l_returnflag, l_linestatus, count(*), sum(l_quantity), count(DISTINCT l_suppkey) FILTER (WHERE l_discount > %s) FROM lineitem WHERE l_quantity > %s GROUP BY CUBE (l_returnflag, l_linestatus) ORDER BY grouping(l_returnflag, l_linestatus), 1, 2"
	st, err := db.Prepare(fmt.Sprintf(q, "?", "?"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, v := range [][2]any{{0.05, 10}, {0.0, 40}} {
		want := join(queryStrings(t, db, fmt.Sprintf(q, fmt.Sprint(v[0]), fmt.Sprint(v[1]))))
		if got := join(queryStrings(t, db, fmt.Sprintf(q, "?", "?"), v[0], v[1])); got != want {
			t.Errorf("%v: got %s, want %s", v, got, want)
		}
		rows, err := st.Query(v[0], v[1])
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		if rows.Close(); n != 10 {
			t.Errorf("%v: prepared statement gave %d rows, want 10", v, n)
		}
	}
}
