package peregrine_test

import (
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestGroupByEstimates compares EXPLAIN ANALYZE's estimated rows of TPC-H
// GROUP BY outputs at SF 0.01 with the actual rows. The estimates come
// from distinct counts in the Parquet files (DuckDB writes distinct_count
// for dictionary-encoded chunks), value ranges, filters on the keys and
// the calendar (year() of a date range).
//
// Q18's l_orderkey has no distinct count in the file (DuckDB writes it
// PLAIN, without a dictionary) and TPC-H order keys are sparse (a quarter
// of their range is used), so its estimate stays 4× too high: a known gap
// until a sampled scan estimates distinct values.
func TestGroupByEstimates(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cases := []struct {
		q      int
		groups string // the HASH_AGGREGATE's groups, as EXPLAIN prints them
		factor float64
	}{
		{1, "l_returnflag, l_linestatus", 2}, // 6 vs 4
		{4, "o_orderpriority", 1.5},          // 5 vs 5
		{9, "nation, o_year", 1.5},           // 25 nations × 8 years vs 173
		{12, "l_shipmode", 1.5},              // IN ('MAIL', 'SHIP'): 2
		{13, "c_custkey", 1.5},               // 1500 customers
		{8, "o_year", 5},                     // 8 vs 2 (the years of a filtered range)
		{7, "supp_nation, cust_nation, l_year", 10},
		{18, "l_orderkey", 5}, // see above
	}
	aggLine := regexp.MustCompile(`HASH_AGGREGATE groups: \[([^\]]*)\].*\(~([0-9.]+)([KMG]?) rows\) \[actual rows: ([0-9]+)`)
	for _, c := range cases {
		text, err := os.ReadFile(filepath.Join("bench", "tpch", "queries", fmt.Sprintf("q%02d.sql", c.q)))
		if err != nil {
			t.Fatal(err)
		}
		rows := queryStrings(t, db, "EXPLAIN ANALYZE "+string(text))
		found := false
		for _, r := range rows {
			for _, line := range strings.Split(strings.Join(r, " "), "\n") {
				m := aggLine.FindStringSubmatch(line)
				if m == nil || m[1] != c.groups {
					continue
				}
				found = true
				est, _ := strconv.ParseFloat(m[2], 64)
				est *= map[string]float64{"": 1, "K": 1e3, "M": 1e6, "G": 1e9}[m[3]]
				actual, _ := strconv.ParseFloat(m[4], 64)
				ratio := math.Max(est, 1) / math.Max(actual, 1)
				if ratio > c.factor || ratio < 1/c.factor {
					t.Errorf("Q%02d GROUP BY %s: estimated %v rows, actual %v (more than %v× off)", c.q, c.groups, est, actual, c.factor)
				} else {
					t.Logf("Q%02d GROUP BY %s: estimated %v rows, actual %v", c.q, c.groups, est, actual)
				}
			}
		}
		if !found {
			t.Errorf("Q%02d: no HASH_AGGREGATE on [%s] in\n%v", c.q, c.groups, rows)
		}
	}
}
