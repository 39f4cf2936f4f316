package peregrine_test

import (
	"context"
	"os"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// windowBenchQueries are the window benchmarks of issue 12, each summed so
// that the benchmark times the window and not the client reading rows
// (DuckDB is timed on the same statements: see BenchmarkWindow).
var windowBenchQueries = []struct{ name, sql string }{
	{"row_number-partitioned", "SELECT sum(rn) FROM (SELECT row_number() OVER (PARTITION BY l_orderkey ORDER BY l_linenumber) AS rn FROM lineitem)"},
	{"moving-avg-7", "SELECT sum(a) FROM (SELECT avg(l_extendedprice) OVER (ORDER BY l_shipdate ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS a FROM lineitem)"},
	{"rank-unpartitioned", "SELECT sum(r) FROM (SELECT rank() OVER (ORDER BY l_extendedprice) AS r FROM lineitem)"},
}

// BenchmarkWindow runs the window benchmarks over the TPC-H tables in
// $PEREGRINE_BENCH_TPCH (default: the SF 0.01 test tables; for SF 1,
// `go run ./cmd/peregrine tpch gen --sf 1 --out /tmp/sf1`) on 2 threads.
// DuckDB's time on the same files: /work/bin/duckbench -data DIR -queries
// with the statements above as .sql files.
func BenchmarkWindow(b *testing.B) {
	dir := os.Getenv("PEREGRINE_BENCH_TPCH")
	if dir == "" {
		dir = duckdbSF001
	}
	ctx := context.Background()
	db, err := peregrine.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Exec(ctx, "SET threads = 2"); err != nil {
		b.Fatal(err)
	}
	for _, q := range windowBenchQueries {
		b.Run(q.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				rows, err := db.Query(ctx, q.sql)
				if err != nil {
					b.Fatal(err)
				}
				for {
					bt, err := rows.Next(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if bt == nil {
						break
					}
				}
				rows.Close()
			}
		})
	}
}
