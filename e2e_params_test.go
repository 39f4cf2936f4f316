package peregrine_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine"
)

// The parameter tests compare each query with parameters against the same
// query with its values written as SQL literals (whose answers the
// sqllogictest files check against DuckDB): a value must behave exactly as
// the literal would, and never as SQL text.

func rowsText(t *testing.T, db *sql.DB, q string, args ...any) string {
	t.Helper()
	return join(queryStrings(t, db, q, args...))
}

func TestParametersDatabaseSQL(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	injection := "x' OR '1'='1"
	cases := []struct {
		param   string
		args    []any
		literal string
	}{
		{"SELECT count(*) FROM nation WHERE n_regionkey = ?", []any{1}, "SELECT count(*) FROM nation WHERE n_regionkey = 1"},
		{"SELECT count(*) FROM nation WHERE n_regionkey = $1 OR n_nationkey = $1", []any{int64(3)}, "SELECT count(*) FROM nation WHERE n_regionkey = 3 OR n_nationkey = 3"},
		{"SELECT n_nationkey FROM nation WHERE n_name = $1 AND n_regionkey = $2", []any{"BRAZIL", 1}, "SELECT n_nationkey FROM nation WHERE n_name = 'BRAZIL' AND n_regionkey = 1"},
		{"SELECT count(*) FROM orders WHERE o_orderdate < ?", []any{time.Date(1993, 6, 1, 0, 0, 0, 0, time.UTC)}, "SELECT count(*) FROM orders WHERE o_orderdate < DATE '1993-06-01'"},
		{"SELECT count(*) FROM orders WHERE o_orderdate BETWEEN ? AND ?", []any{"1994-01-01", "1994-03-31"}, "SELECT count(*) FROM orders WHERE o_orderdate BETWEEN '1994-01-01' AND '1994-03-31'"},
		{"SELECT count(*) FROM nation WHERE n_regionkey = ?", []any{nil}, "SELECT count(*) FROM nation WHERE n_regionkey = NULL"},
		{"SELECT ? IS NULL, ? + 1, ?", []any{nil, 41, "text"}, "SELECT NULL IS NULL, 41 + 1, 'text'"},
		{"SELECT count(*) FROM nation WHERE n_name = ?", []any{injection}, "SELECT count(*) FROM nation WHERE n_name = 'x'' OR ''1''=''1'"},
		{"SELECT ?", []any{injection}, "SELECT 'x'' OR ''1''=''1'"},
		{"SELECT n_name FROM nation WHERE n_name LIKE ? ORDER BY 1", []any{"%AN%"}, "SELECT n_name FROM nation WHERE n_name LIKE '%AN%' ORDER BY 1"},
		{"SELECT n_name FROM nation WHERE n_nationkey IN (?, ?, ?) ORDER BY 1", []any{1, 2, nil}, "SELECT n_name FROM nation WHERE n_nationkey IN (1, 2, NULL) ORDER BY 1"},
		{"SELECT n_name FROM nation ORDER BY n_name LIMIT ? OFFSET ?", []any{3, 2}, "SELECT n_name FROM nation ORDER BY n_name LIMIT 3 OFFSET 2"},
		{"SELECT sum(l_extendedprice * (1 - l_discount)) FROM lineitem WHERE l_quantity < ? AND l_discount BETWEEN ? AND ?", []any{24, 0.05, 0.07},
			"SELECT sum(l_extendedprice * (1 - l_discount)) FROM lineitem WHERE l_quantity < 24 AND l_discount BETWEEN 0.05 AND 0.07"},
		{"SELECT count(*) FROM nation WHERE n_regionkey = $region", []any{sql.Named("region", 2)}, "SELECT count(*) FROM nation WHERE n_regionkey = 2"},
		{"SELECT count(*) FROM lineitem WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL (?) DAY", []any{90}, "SELECT count(*) FROM lineitem WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL 90 DAY"},
		// A ? is the parameter after the highest number so far, as in DuckDB.
		{"SELECT $1, ?", []any{5, 6}, "SELECT 5, 6"},
		{"SELECT ?, $1, ?", []any{5, 6}, "SELECT 5, 5, 6"},
	}
	for _, c := range cases {
		got := rowsText(t, db, c.param, c.args...)
		want := rowsText(t, db, c.literal)
		if got != want {
			t.Errorf("%s %v:\ngot  %s\nwant %s (%s)", c.param, c.args, got, want, c.literal)
		}
	}
	// The table is still there after the injection attempts.
	if got := rowsText(t, db, "SELECT count(*) FROM nation"); got != rowsText(t, db, "SELECT count(*) FROM 'testdata/tpch-sf0.01-duckdb/nation.parquet'") {
		t.Errorf("nation: %s", got)
	}
	for _, bad := range []struct {
		q    string
		args []any
		want string
	}{
		{"SELECT ? + ?", []any{1}, "Values were not provided for the following prepared statement parameters: 2"},
		{"SELECT $1", []any{1, 2}, "identifiers of the excess parameters: 2"},
		{"SELECT n_name FROM nation LIMIT ?", []any{-1}, "LIMIT/OFFSET cannot be negative"},
		{"SELECT ?::INTEGER", []any{"abc"}, "Conversion Error"},
		{"SELECT -?", []any{"abc"}, "-(VARCHAR)"},
		{"SELECT $a, ?", []any{sql.Named("a", 1), 2}, "Not implemented Error: Mixing named and positional parameters is not supported yet"},
	} {
		_, err := db.Query(bad.q, bad.args...)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s %v: got %v, want an error containing %q", bad.q, bad.args, err, bad.want)
		}
	}
}

// TestPreparedStatementConcurrent reuses one prepared statement from 8
// goroutines (run with -race).
func TestPreparedStatementConcurrent(t *testing.T) {
	db, err := sql.Open("peregrine", duckdbSF001+"?threads=2")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmt, err := db.Prepare("SELECT count(*), sum(o_totalprice) FROM orders WHERE o_custkey = ? AND o_orderdate >= ?")
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	const keys = 16
	want := make([]string, keys)
	for k := range want {
		want[k] = rowsText(t, db, fmt.Sprintf("SELECT count(*), sum(o_totalprice) FROM orders WHERE o_custkey = %d AND o_orderdate >= DATE '1995-01-01'", 10*k+1))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 12; i++ {
				k := (g*12 + i) % keys
				var n int64
				var sum sql.NullString
				if err := stmt.QueryRow(10*k+1, time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)).Scan(&n, &sum); err != nil {
					errs <- err
					return
				}
				s := "NULL"
				if sum.Valid {
					s = sum.String
				}
				if got := fmt.Sprintf("%d,%s", n, s); got != want[k] {
					errs <- fmt.Errorf("goroutine %d key %d: got %s, want %s", g, k, got, want[k])
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestParametersNativeAPI uses DB.Query, DB.Prepare and SQL's PREPARE /
// EXECUTE / DEALLOCATE.
func TestParametersNativeAPI(t *testing.T) {
	ctx := context.Background()
	db, err := peregrine.Open(duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	one := func(q string, args ...any) string {
		t.Helper()
		rows, err := db.Query(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []string
		for {
			b, err := rows.Next(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if b == nil {
				return strings.Join(out, "|")
			}
			for k := 0; k < b.Len(); k++ {
				out = append(out, fmt.Sprint(b.Row(k)))
			}
		}
	}
	want := one("SELECT n_name FROM nation WHERE n_regionkey = 3 ORDER BY 1")
	if got := one("SELECT n_name FROM nation WHERE n_regionkey = ? ORDER BY 1", 3); got != want {
		t.Errorf("DB.Query: %s, want %s", got, want)
	}
	st, err := db.Prepare(ctx, "SELECT n_name FROM nation WHERE n_regionkey = $1 ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		rows, err := st.Query(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	if err := db.Exec(ctx, "PREPARE p AS SELECT n_name FROM nation WHERE n_regionkey = $1 ORDER BY 1"); err != nil {
		t.Fatal(err)
	}
	if got := one("EXECUTE p(3)"); got != want {
		t.Errorf("EXECUTE: %s, want %s", got, want)
	}
	if got, w := one("EXPLAIN EXECUTE p(3)"), one("EXPLAIN SELECT n_name FROM nation WHERE n_regionkey = 3 ORDER BY 1"); got != w {
		t.Errorf("EXPLAIN EXECUTE:\n%s\nwant\n%s", got, w)
	}
	if got, w := one("EXPLAIN SELECT n_name FROM nation WHERE n_regionkey = ?", 3), one("EXPLAIN SELECT n_name FROM nation WHERE n_regionkey = 3"); got != w {
		t.Errorf("EXPLAIN with a parameter:\n%s\nwant\n%s", got, w)
	}
	if err := db.Exec(ctx, "DEALLOCATE p"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Query(ctx, "EXECUTE p(3)"); err == nil || !strings.Contains(err.Error(), `Prepared statement "p" does not exist`) {
		t.Errorf("EXECUTE after DEALLOCATE: %v", err)
	}
}
