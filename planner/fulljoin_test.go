package planner_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/storage"
)

// TestFullJoinBarrier: a FULL join is a barrier. The inner joins on each
// side are ordered among themselves, never with the relations across it;
// a WHERE filter and the ON condition's one-sided conjuncts stay at the
// join (a row they removed below would come back NULL-padded); an ASOF
// join takes filters of its left side only.
func TestFullJoinBarrier(t *testing.T) {
	cat, err := storage.Open(filepath.Join("..", "testdata", "tpch-sf0.01-duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	plan := explain(`SELECT count(*) FROM nation JOIN region ON n_regionkey = r_regionkey
		FULL JOIN (SELECT * FROM supplier JOIN nation n2 ON s_nationkey = n2.n_nationkey) s ON nation.n_nationkey = s_nationkey AND r_name = 'ASIA' AND s_acctbal > 0
		WHERE nation.n_name <> 'CHINA'`, cat)
	lines := strings.Split(plan, "\n")
	full := -1
	for i, l := range lines {
		if strings.Contains(l, "HASH_JOIN FULL") {
			full = i
		}
	}
	if full < 0 {
		t.Fatalf("no FULL join:\n%s", plan)
	}
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }
	// Both inner joins are below the FULL join, one on each side.
	var inner []int
	for i, l := range lines[full+1:] {
		if strings.Contains(l, "HASH_JOIN INNER") {
			inner = append(inner, full+1+i)
		}
	}
	if len(inner) != 2 || indent(lines[inner[0]]) != indent(lines[inner[1]]) || indent(lines[inner[0]]) <= indent(lines[full]) {
		t.Errorf("the inner joins are not one on each side of the FULL join:\n%s", plan)
	}
	if !strings.Contains(lines[full], "r_name = 'ASIA'") || !strings.Contains(lines[full], "s_acctbal > 0") {
		t.Errorf("one-sided ON conjuncts left the FULL join's residual:\n%s", plan)
	}
	if !strings.Contains(strings.Join(lines[:full], "\n"), "n_name <> 'CHINA'") {
		t.Errorf("the WHERE filter is not above the FULL join:\n%s", plan)
	}
	asof := explain(`SELECT count(*) FROM orders ASOF JOIN lineitem ON o_orderkey = l_orderkey AND o_orderdate >= l_shipdate
		WHERE o_orderstatus = 'F' AND l_quantity > 10`, cat)
	al := strings.Split(asof, "\n")
	for i, l := range al {
		if strings.Contains(l, "HASH_JOIN ASOF") {
			if !strings.Contains(strings.Join(al[i+1:], "\n"), "o_orderstatus") || !strings.Contains(strings.Join(al[:i], "\n"), "l_quantity") {
				t.Errorf("the ASOF join's filters are misplaced:\n%s", asof)
			}
		}
	}
}
