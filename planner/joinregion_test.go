package planner_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/storage"
)

// TestDimensionsBelowLeftJoin: in TPC-DS Q40's shape (a fact table LEFT
// JOIN its returns, then filtered dimensions) the dimensions join first and
// the LEFT join runs on the rows they keep; a LEFT join whose ON condition
// reads a dimension waits for it; and a condition from above on the LEFT
// join's right side stays above it.
func TestDimensionsBelowLeftJoin(t *testing.T) {
	cat, err := storage.Open(filepath.Join("..", "testdata", "tpch-sf0.01-duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	joins := func(plan string) []string {
		var out []string
		for _, l := range strings.Split(plan, "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "HASH_JOIN") || strings.HasPrefix(l, "FILTER") {
				out = append(out, l)
			}
		}
		return out
	}
	q40 := explain(`SELECT p_size, count(ps_partkey) FROM lineitem
		LEFT JOIN partsupp ON l_partkey = ps_partkey AND l_suppkey = ps_suppkey, supplier, part, orders
		WHERE l_suppkey = s_suppkey AND l_partkey = p_partkey AND l_orderkey = o_orderkey
		AND p_size < 5 AND o_orderdate BETWEEN DATE '1995-01-01' AND DATE '1995-06-30' GROUP BY p_size`, cat)
	if j := joins(q40); len(j) != 4 || !strings.HasPrefix(j[0], "HASH_JOIN LEFT") {
		t.Errorf("the LEFT join is not above the dimension joins:\n%s", q40)
	}
	// ps_availqty * 30 > o_totalprice in the ON condition: orders must be
	// joined below the LEFT join, whatever the estimates.
	on := explain(`SELECT count(*) FROM lineitem JOIN orders ON l_orderkey = o_orderkey
		LEFT JOIN partsupp ON ps_partkey = l_partkey AND ps_suppkey = l_suppkey AND ps_availqty * 30 > o_totalprice
		JOIN part ON p_partkey = l_partkey WHERE p_size = 1`, cat)
	j := joins(on)
	left, orders := -1, -1
	for i, l := range j {
		if strings.HasPrefix(l, "HASH_JOIN LEFT") && strings.Contains(l, "o_totalprice") {
			left = i
		}
		if strings.Contains(l, "o_orderkey") {
			orders = i
		}
	}
	if left < 0 || orders < left {
		t.Errorf("the LEFT join does not wait for orders:\n%s", on)
	}
	above := explain(`SELECT count(*) FROM lineitem
		LEFT JOIN partsupp ON l_partkey = ps_partkey AND l_suppkey = ps_suppkey
		JOIN part ON p_partkey = l_partkey WHERE coalesce(ps_availqty, 0) < 1000 AND p_size = 7`, cat)
	if j := joins(above); len(j) != 3 || !strings.HasPrefix(j[0], "FILTER (coalesce(ps_availqty, 0) < 1000)") || !strings.HasPrefix(j[1], "HASH_JOIN LEFT") {
		t.Errorf("the filter on the LEFT join's right side is not above it:\n%s", above)
	}
}
