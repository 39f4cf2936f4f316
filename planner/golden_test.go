package planner_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the golden plan files")

// TestTPCHPlans keeps one golden file per TPC-H query with its EXPLAIN
// output over the SF 0.01 test data, so plan changes show in review. A
// query the engine cannot plan yet records its error instead.
func TestTPCHPlans(t *testing.T) {
	cat, err := storage.Open(filepath.Join("..", "testdata", "tpch-sf0.01-duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	for q := 1; q <= 22; q++ {
		text, err := os.ReadFile(filepath.Join("..", "bench", "tpch", "queries", fmt.Sprintf("q%02d.sql", q)))
		if err != nil {
			t.Fatal(err)
		}
		got := explain(string(text), cat)
		path := filepath.Join("testdata", "tpch-plans", fmt.Sprintf("q%02d.txt", q))
		if *rewrite {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./planner -rewrite)", err)
		}
		if got != string(want) {
			t.Errorf("Q%02d plan changed (go test ./planner -rewrite to accept):\n--- got\n%s--- want\n%s", q, got, want)
		}
	}
}

func explain(text string, cat *storage.Catalog) string {
	st, err := sql.Parse(text)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	b, err := sql.Bind(st.(*sql.Query), cat)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	// Plans as the engine makes them: small filtered dimensions measured
	// at plan time by the executor's scan.
	p, err := planner.PlanWith(b.Plan, planner.PlanOptions{Sample: exec.SampleScan})
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	return strings.TrimRight(planner.Explain(p), "\n") + "\n"
}

// TestImpliedRangeFilter checks that an equi-join on keys of different
// ranges filters the wider side to the narrower's range: nation's keys
// 0-24 joined with region's 0-4 keep nations 0-4 only.
func TestImpliedRangeFilter(t *testing.T) {
	cat, err := storage.Open(filepath.Join("..", "testdata", "tpch-sf0.01-duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	got := explain("SELECT n_name, r_name FROM nation JOIN region ON n_nationkey = r_regionkey", cat)
	if !strings.Contains(got, "PARQUET_SCAN nation [n_nationkey, n_name] filter: ((n_nationkey >= 0) AND (n_nationkey <= 4))") {
		t.Errorf("no implied range filter on nation:\n%s", got)
	}
}
