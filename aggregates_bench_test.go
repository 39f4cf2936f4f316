package peregrine_test

import (
	"context"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// BenchmarkAggregates times the holistic and sketch aggregates over the
// TPC-H SF 0.01 lineitem (60,175 rows) end to end: median keeps every
// value of a group and sorts it at the end, approx_count_distinct hashes
// every value into a HyperLogLog sketch; count(DISTINCT) is the exact
// baseline approx_count_distinct should beat.
func BenchmarkAggregates(b *testing.B) {
	db, err := peregrine.Open(duckdbSF001)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for _, q := range []struct{ name, sql string }{
		{"median", "SELECT median(l_extendedprice) FROM lineitem"},
		{"median_by_returnflag", "SELECT l_returnflag, median(l_extendedprice) FROM lineitem GROUP BY 1"},
		{"median_by_orderkey", "SELECT l_orderkey, median(l_quantity) FROM lineitem GROUP BY 1"},
		{"approx_count_distinct", "SELECT approx_count_distinct(l_orderkey) FROM lineitem"},
		{"approx_count_distinct_comment", "SELECT approx_count_distinct(l_comment) FROM lineitem"},
		{"approx_count_distinct_by_suppkey", "SELECT l_suppkey, approx_count_distinct(l_partkey) FROM lineitem GROUP BY 1"},
		{"count_distinct", "SELECT count(DISTINCT l_orderkey) FROM lineitem"},
	} {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
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
