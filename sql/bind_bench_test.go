package sql

import (
	"testing"

	tpchq "github.com/peregrinedb/peregrine/bench/tpch/queries"
)

// BenchmarkParseBind parses and binds the 22 TPC-H queries against SF 0.01
// (the front end's whole cost before planning), reporting microseconds per
// query; parser.BenchmarkParse has the parser's share.
func BenchmarkParseBind(b *testing.B) {
	cat := testCatalog(b)
	queries := tpchq.All()
	for i, q := range queries {
		if err := prepare(cat, q); err != nil { // warms the footer cache
			b.Fatalf("Q%d: %v", i+1, err)
		}
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, q := range queries {
			if err := prepare(cat, q); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n), "µs/query")
}
