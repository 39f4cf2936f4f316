package peregrine_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// joinBenchQueries are the FULL OUTER and ASOF joins benchmarked at TPC-H
// SF 1 against DuckDB (bench/joins/*.sql hold the same queries for
// duckbench -queries): every order and lineitem row, then filtered sides
// that leave unmatched rows on both.
var joinBenchQueries = map[string]string{
	"full": `SELECT count(*), count(o_orderkey), count(l_orderkey), sum(o_totalprice), sum(l_extendedprice)
		FROM orders FULL OUTER JOIN lineitem ON o_orderkey = l_orderkey`,
	"full_filtered": `SELECT count(*), count(o_orderkey), count(l_orderkey), sum(o_totalprice), sum(l_extendedprice)
		FROM (SELECT * FROM orders WHERE o_orderdate < DATE '1995-01-01') o
		FULL OUTER JOIN (SELECT * FROM lineitem WHERE l_shipdate >= DATE '1994-01-01') l ON o_orderkey = l_orderkey`,
	"asof": `SELECT count(*), count(l_shipdate), min(l_shipdate), max(l_shipdate)
		FROM orders ASOF LEFT JOIN lineitem ON o_orderkey = l_orderkey AND o_orderdate <= l_shipdate`,
}

// BenchmarkJoinsSF1 runs joinBenchQueries over the SF 1 tables in
// $PEREGRINE_SF1_DIR (go run ./cmd/peregrine tpch gen --sf 1 --out DIR) on
// two threads.
func BenchmarkJoinsSF1(b *testing.B) {
	dir := os.Getenv("PEREGRINE_SF1_DIR")
	if dir == "" {
		b.Skip("set PEREGRINE_SF1_DIR to a folder of TPC-H SF 1 Parquet files")
	}
	if _, err := os.Stat(filepath.Join(dir, "lineitem.parquet")); err != nil {
		b.Skip(err)
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
	for _, name := range []string{"full", "full_filtered", "asof"} {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				rows, err := db.Query(ctx, joinBenchQueries[name])
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
