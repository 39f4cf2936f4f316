package dbgen

import (
	"fmt"
	"testing"
)

// BenchmarkAllTables measures row generation alone, without any output.
func BenchmarkAllTables(b *testing.B) {
	for _, sf := range []float64{0.1, 1} {
		b.Run(fmt.Sprintf("SF%v", sf), func(b *testing.B) {
			b.ReportAllocs()
			g, err := New(sf, Options{})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				var rows int64
				check := func(err error) {
					if err != nil {
						b.Fatal(err)
					}
				}
				check(g.Regions(func(*Region) error { rows++; return nil }))
				check(g.Nations(func(*Nation) error { rows++; return nil }))
				check(g.Suppliers(func(*Supplier) error { rows++; return nil }))
				check(g.Customers(func(*Customer) error { rows++; return nil }))
				check(g.Parts(func(p *Part) error { rows += 1 + int64(len(p.Supps)); return nil }))
				check(g.Orders(func(o *Order) error { rows += 1 + int64(len(o.Lines)); return nil }))
				b.ReportMetric(float64(rows), "rows/op")
			}
		})
	}
}
