package peregrine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// TestRecursiveCTELimit: a recursive CTE that never ends fails once it
// passes recursive_cte_max_iterations (DuckDB has no such limit and loops),
// and RESET restores the default.
func TestRecursiveCTELimit(t *testing.T) {
	db, err := peregrine.Open(duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Exec(ctx, "SET recursive_cte_max_iterations = 50"); err != nil {
		t.Fatal(err)
	}
	endless := "WITH RECURSIVE t(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM t) SELECT count(*) FROM t"
	_, err = count(ctx, db, endless)
	want := `Invalid Input Error: recursive CTE "t" did not finish within 50 iterations`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
	if err := db.Exec(ctx, "SET recursive_cte_max_iterations = 0"); err == nil {
		t.Fatal("a limit of 0 was accepted")
	}
	if err := db.Exec(ctx, "RESET recursive_cte_max_iterations"); err != nil {
		t.Fatal(err)
	}
	n, err := count(ctx, db, "WITH RECURSIVE t(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM t WHERE x < 200) SELECT x FROM t")
	if err != nil || n != 200 {
		t.Fatalf("after RESET: %d rows, %v", n, err)
	}
}

// count runs a query and counts its rows.
func count(ctx context.Context, db *peregrine.DB, q string) (int, error) {
	rows, err := db.Query(ctx, q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for {
		b, err := rows.Next(ctx)
		if err == nil && b == nil {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n += b.Len()
	}
}
