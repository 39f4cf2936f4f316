package peregrine_test

import (
	"context"
	"os"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// groupingBenchQueries are the grouping-set queries BenchmarkGrouping times;
// DuckDB's times come from the same text (bench/duckdb -queries).
var groupingBenchQueries = []struct{ name, sql string }{
	// Three low-cardinality keys: the finest groups are few, so the
	// per-set aggregates cost nothing next to the scan.
	{"rollup3", "SELECT l_returnflag, l_linestatus, l_shipmode, count(*), sum(l_quantity), sum(l_extendedprice), avg(l_discount) FROM lineitem GROUP BY ROLLUP (l_returnflag, l_linestatus, l_shipmode)"},
	// About 200,000 finest groups at SF 1.
	{"rollup3-wide", "SELECT l_suppkey, l_shipmode, l_returnflag, count(*), sum(l_extendedprice), min(l_shipdate) FROM lineitem GROUP BY ROLLUP (l_suppkey, l_shipmode, l_returnflag)"},
	// DISTINCT aggregates: every set aggregates the shared input.
	{"cube2-distinct", "SELECT l_returnflag, l_shipmode, count(DISTINCT l_suppkey), sum(l_quantity) FROM lineitem GROUP BY CUBE (l_returnflag, l_shipmode)"},
}

// BenchmarkGrouping runs grouping-set queries over TPC-H SF 1 (the folder
// PEREGRINE_BENCH_SF1, default /tmp/sf1, as `peregrine tpch gen --sf 1
// --out /tmp/sf1` writes it) with 2 threads; it skips without the data.
//
//	go test -run '^$' -bench Grouping -benchtime 5x .
func BenchmarkGrouping(b *testing.B) {
	dir := os.Getenv("PEREGRINE_BENCH_SF1")
	if dir == "" {
		dir = "/tmp/sf1"
	}
	if _, err := os.Stat(dir + "/lineitem.parquet"); err != nil {
		b.Skipf("no TPC-H SF 1 at %s (set PEREGRINE_BENCH_SF1)", dir)
	}
	db, err := peregrine.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.SetThreads(2); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, q := range groupingBenchQueries {
		b.Run(q.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				rows, err := db.Query(ctx, q.sql)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					bt, err := rows.Next(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if bt == nil {
						break
					}
					n += bt.Len()
				}
				rows.Close()
				if n == 0 {
					b.Fatal("no rows")
				}
			}
		})
	}
}
