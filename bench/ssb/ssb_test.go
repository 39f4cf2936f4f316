package ssb_test

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/bench/ssb"
	"github.com/peregrinedb/peregrine/bench/tpch"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the golden plan files")

// dataDir holds the SSB tables derived from the repository's TPC-H SF 0.01
// (testdata/tpch-sf0.01-duckdb), once for all tests.
var dataDir string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "ssb-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		db, err := peregrine.Open(filepath.Join("..", "..", "testdata", "tpch-sf0.01-duckdb"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer db.Close()
		if err := ssb.Derive(context.Background(), db, dir, ssb.DeriveOptions{}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		dataDir = dir
		return m.Run()
	}()
	os.RemoveAll(dir)
	os.Exit(code)
}

func openSSB(t *testing.T) *peregrine.DB {
	t.Helper()
	db, err := peregrine.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestAnswers runs every query over the derived SF 0.01 tables and checks
// its result against DuckDB 1.5.5's over the same files (answers/sf0.01,
// written by bench/duckdb -answers).
func TestAnswers(t *testing.T) {
	db := openSSB(t)
	for _, name := range ssb.Names() {
		text, err := ssb.Query(name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tpch.Collect(context.Background(), db, text)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want, err := ssb.ReferenceAnswer(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := tpch.Check(want, got); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestDerivedTables checks the derived tables' sizes against TPC-H's: one
// lineorder row per lineitem, one customer, supplier and part per TPC-H
// row, and the 2,557 days of 1992-1998.
func TestDerivedTables(t *testing.T) {
	db := openSSB(t)
	want := map[string]string{"lineorder": "60175", "customer": "1500", "supplier": "100", "part": "2000", "date": "2557", "nation": "25", "region": "5"}
	for _, tb := range ssb.Tables {
		got, err := tpch.Collect(context.Background(), db, fmt.Sprintf("SELECT count(*) FROM %q", tb))
		if err != nil {
			t.Fatal(err)
		}
		if got[0][0] != want[tb] {
			t.Errorf("%s: %s rows, want %s", tb, got[0][0], want[tb])
		}
	}
}

// TestPlans keeps each query's EXPLAIN output as a golden file
// (testdata/plans/NAME.txt), so plan changes show in review; regenerate
// with go test ./bench/ssb -rewrite.
func TestPlans(t *testing.T) {
	db := openSSB(t)
	for _, name := range ssb.Names() {
		text, err := ssb.Query(name)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := tpch.Collect(context.Background(), db, "EXPLAIN "+text)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var sb strings.Builder
		for _, r := range rows {
			sb.WriteString(r[0] + "\n")
		}
		got := sb.String()
		path := filepath.Join("testdata", "plans", name+".txt")
		if *rewrite {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./bench/ssb -rewrite)", err)
		}
		if got != string(want) {
			t.Errorf("%s plan changed (go test ./bench/ssb -rewrite to accept):\n--- got\n%s--- want\n%s", name, got, want)
		}
	}
}

// TestDimensionEstimates checks that every filtered dimension scan's
// estimate is its actual row count: small filtered dimensions are measured
// at plan time (planner/sample.go), so a month and a year together, or a
// city and its nation, are not guessed as independent.
func TestDimensionEstimates(t *testing.T) {
	db := openSSB(t)
	line := regexp.MustCompile(`PARQUET_SCAN (date|customer|supplier|part|[dn][0-9]) .*filter: .*\(~([0-9.]+)([KMG]?) rows\) \[actual rows: ([0-9]+)`)
	checked := 0
	for _, name := range ssb.Names() {
		text, err := ssb.Query(name)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := tpch.Collect(context.Background(), db, "EXPLAIN ANALYZE "+text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range rows {
			m := line.FindStringSubmatch(r[0])
			if m == nil || strings.Contains(r[0], "runtime filters:") || m[4] == "0" {
				continue // rows removed by join filters, or never read
			}
			est, _ := strconv.ParseFloat(m[2], 64)
			est *= map[string]float64{"": 1, "K": 1e3, "M": 1e6, "G": 1e9}[m[3]]
			actual, _ := strconv.ParseFloat(m[4], 64)
			checked++
			if math.Abs(est-math.Max(actual, 1)) > 0.05*math.Max(actual, 20) {
				t.Errorf("%s: %s scan estimated %v rows, actual %v", name, m[1], est, actual)
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d filtered dimension scans checked", checked)
	}
}
