package dbgen

import "testing"

// BenchmarkTables measures row generation alone, one table at a time on
// one goroutine, at SF 0.1 (the text and line index are built before the
// clock starts).
func BenchmarkTables(b *testing.B) {
	g, err := New(0.1, Options{})
	if err != nil {
		b.Fatal(err)
	}
	g.text()
	g.lineIndex()
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"customer", func() error { return g.Customers(func(*Customer) error { return nil }) }},
		{"supplier", func() error { return g.Suppliers(func(*Supplier) error { return nil }) }},
		{"part", func() error { return g.Parts(func(*Part) error { return nil }) }},
		{"partsupp", func() error {
			return g.PartSuppRows(0, g.RowCount(TablePartSupp), func(*PartSupp) error { return nil })
		}},
		{"orders", func() error { return g.Orders(func(*Order) error { return nil }) }},
		{"lineitem", func() error {
			return g.LineItemRows(0, g.RowCount(TableLineItem), func(*LineItem) error { return nil })
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTextPool measures writing DuckDB's 10 MiB comment text.
func BenchmarkTextPool(b *testing.B) {
	g, err := New(0.01, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		g.rules.writePool(g.poolSize, g.cat.streams["text_pool"])
	}
}
