package peregrine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// longPredicates are WHERE clauses of 100,000 terms: an AND chain, an OR
// chain and an IN list (issue 19: they must parse, bind and plan in well
// under a second, with no quadratic walks).
func longPredicates(n int) map[string]string {
	and, or, in := make([]string, n), make([]string, n), make([]string, n)
	for i := range n {
		and[i] = fmt.Sprintf("o_orderkey <> %d", i+1)
		or[i] = fmt.Sprintf("o_orderkey = %d", i+1)
		in[i] = fmt.Sprint(i + 1)
	}
	return map[string]string{
		"and": "SELECT count(*) FROM orders WHERE " + strings.Join(and, " AND "),
		"or":  "SELECT count(*) FROM orders WHERE " + strings.Join(or, " OR "),
		"in":  "SELECT count(*) FROM orders WHERE o_orderkey IN (" + strings.Join(in, ", ") + ")",
	}
}

func planText(tb testing.TB, cat *storage.Catalog, text string) {
	st, err := sql.Parse(text)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := sql.Bind(st.(*sql.Query), cat)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := planner.Plan(b.Plan); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkLongPredicates parses, binds and plans each 100,000-term
// predicate.
func BenchmarkLongPredicates(b *testing.B) {
	cat, err := storage.Open(duckdbSF001)
	if err != nil {
		b.Fatal(err)
	}
	defer cat.Close()
	for _, name := range []string{"and", "or", "in"} {
		text := longPredicates(100_000)[name]
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				planText(b, cat, text)
			}
		})
	}
	// The whole planning path a query takes (statistics, plan-time
	// sampling of the filtered scan, physical plan), through EXPLAIN.
	db, err := peregrine.Open(duckdbSF001)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, name := range []string{"and", "or", "in"} {
		text := "EXPLAIN " + longPredicates(100_000)[name]
		b.Run(name+"/explain", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				rows, err := db.Query(context.Background(), text)
				if err != nil {
					b.Fatal(err)
				}
				rows.Close()
			}
		})
	}
}

// TestLongPredicates runs 10,000-term predicates end to end (evaluating
// 100,000 terms on every row is slow by nature; BenchmarkLongPredicates
// times the front end on 100,000): results equal the short forms'
// (every row but orderkeys 1..n, or only those).
func TestLongPredicates(t *testing.T) {
	if testing.Short() {
		t.Skip("long predicates")
	}
	db, err := peregrine.Open(duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	count := func(q string) string {
		rows, err := db.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		b, err := rows.Next(ctx)
		if err != nil || b == nil {
			t.Fatal(err)
		}
		return fmt.Sprint(b.Row(0))
	}
	preds := longPredicates(10_000)
	in := count("SELECT count(*) FROM orders WHERE o_orderkey BETWEEN 1 AND 10000")
	out := count("SELECT count(*) FROM orders WHERE NOT o_orderkey BETWEEN 1 AND 10000")
	if got := count(preds["and"]); got != out {
		t.Errorf("AND chain: %s, want %s", got, out)
	}
	if got := count(preds["or"]); got != in {
		t.Errorf("OR chain: %s, want %s", got, in)
	}
	if got := count(preds["in"]); got != in {
		t.Errorf("IN list: %s, want %s", got, in)
	}
}

// TestLongNamesInErrors: a 1 MiB identifier or literal is never echoed
// whole in an error message (issue 19).
func TestLongNamesInErrors(t *testing.T) {
	db, err := peregrine.Open(duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	long := strings.Repeat("x", 1<<20)
	for _, q := range []string{
		"SELECT " + long + " FROM nation",
		"SELECT * FROM " + long,
		"SELECT * FROM '" + long + "'",
		"SELECT n_name FROM nation WHERE n_name = 1" + long,
		"SELECT CAST('" + long + "' AS INTEGER)",
		"SELECT '" + long + "'::DATE",
		"SELECT " + long + "(1)",
		"SELECT \"" + long + "\" FROM nation",
		"SELECT 1 FORM " + long,
		"SELECT '" + long,
		"SELECT n_name FROM nation n(" + long + ", b)",
		"SET " + long + " = 1",
		"SELECT * FROM read_parquet('" + long + "')",
		"SELECT x." + long + " FROM nation x",
		"SELECT n_name::" + long + " FROM nation",
	} {
		_, err := db.Query(context.Background(), q)
		if err == nil {
			t.Errorf("no error for %.40s", q)
			continue
		}
		if len(err.Error()) > 2000 {
			t.Errorf("%.40s...: message of %d bytes: %.300s", q, len(err.Error()), err.Error())
		}
	}
}

// TestDeepNestingEndToEnd: 5,000 nested parentheses and expressions nested
// 5,000 deep run (or fail cleanly), never overflow a stack.
func TestDeepNestingEndToEnd(t *testing.T) {
	db, err := peregrine.Open(duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for _, q := range []string{
		"SELECT " + strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000),
		"SELECT " + strings.Repeat("(1 + ", 5000) + "1" + strings.Repeat(")", 5000),
		"SELECT count(*) FROM nation WHERE " + strings.Repeat("(n_nationkey > 0 AND ", 3000) + "true" + strings.Repeat(")", 3000),
		"SELECT " + strings.Repeat("(SELECT ", 200) + "1" + strings.Repeat(")", 200),
	} {
		rows, err := db.Query(ctx, q)
		if err != nil {
			if !strings.Contains(err.Error(), "Error") {
				t.Errorf("%.40s: %v", q, err)
			}
			continue
		}
		if _, err := rows.Next(ctx); err != nil {
			t.Errorf("%.40s: %v", q, err)
		}
		rows.Close()
	}
}
