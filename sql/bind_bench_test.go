package sql

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParseBind parses and binds the 22 TPC-H queries against SF 0.01
// (the front end's whole cost before planning), reporting microseconds per
// query; parser.BenchmarkParse has the parser's share.
func BenchmarkParseBind(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "bench", "tpch", "queries", "*.sql"))
	if len(files) != 22 {
		b.Fatalf("found %d TPC-H queries", len(files))
	}
	cat := testCatalog(b)
	var queries []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		queries = append(queries, string(raw))
		if err := prepare(cat, string(raw)); err != nil { // warms the footer cache
			b.Fatalf("%s: %v", f, err)
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
