package dbgen

import (
	"fmt"
	"hash/fnv"
	"slices"
	"sync"
	"testing"
)

// TestLaneSkipAhead checks that placing a stream at a row gives the same
// numbers as drawing every number before it.
func TestLaneSkipAhead(t *testing.T) {
	s := streamSpec{seed: 1171034773, perRow: 3}
	var walk lane
	walk.place(s, 0)
	for row := int64(0); row < 2000; row++ {
		var jump lane
		jump.place(s, row)
		if jump.x != walk.x {
			t.Fatalf("row %d: placed at %d, walked to %d", row, jump.x, walk.x)
		}
		for range row % 4 { // rows use fewer draws than they reserve
			if a, b := jump.draw(), walk.draw(); a != b {
				t.Fatalf("row %d: draws differ", row)
			}
		}
		walk.nextRow()
	}
	// A known value: 16807^10000 from seed 1 (Park and Miller's check).
	var l lane
	l.place(streamSpec{seed: 1, perRow: 1}, 0)
	for range 10000 {
		l.draw()
	}
	if l.x != 1043618065 {
		t.Fatalf("after 10000 draws from 1: %d, want 1043618065", l.x)
	}
	if p := mulMod(1, lehmerPow(10000)); p != 1043618065 {
		t.Fatalf("lehmerPow(10000) = %d", p)
	}
}

// rowDigest renders any row struct for comparison.
func rowDigest[T any](rows []T) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%+v", r)
	}
	return out
}

// render gathers a range's rows as text, formatted before the generator
// reuses the row (an order's Lines slice is reused too).
func render[T any](t *testing.T, run func(first, count int64, fn func(*T) error) error, first, count int64) []string {
	t.Helper()
	var rows []string
	if err := run(first, count, func(r *T) error { rows = append(rows, fmt.Sprintf("%+v", *r)); return nil }); err != nil {
		t.Fatal(err)
	}
	return rows
}

// collect gathers a range's rows by value.
func collect[T any](t *testing.T, run func(first, count int64, fn func(*T) error) error, first, count int64) []T {
	t.Helper()
	var rows []T
	if err := run(first, count, func(r *T) error { rows = append(rows, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	return rows
}

// splits cuts n rows into ranges of awkward sizes.
func splits(n int64) [][2]int64 {
	var out [][2]int64
	for first, size := int64(0), int64(1); first < n; size = size*3 + 1 {
		c := min(size, n-first)
		out = append(out, [2]int64{first, c})
		first += c
	}
	return out
}

// checkRanges generates a table whole and in ranges and expects the same
// rows in the same order.
func checkRanges[T any](t *testing.T, name string, n int64, run func(first, count int64, fn func(*T) error) error) {
	t.Helper()
	whole := render(t, run, 0, n)
	if int64(len(whole)) != n {
		t.Fatalf("%s: %d rows, want %d", name, len(whole), n)
	}
	var pieces []string
	for _, r := range splits(n) {
		pieces = append(pieces, render(t, run, r[0], r[1])...)
	}
	if !slices.Equal(whole, pieces) {
		for i := range whole {
			if whole[i] != pieces[i] {
				t.Fatalf("%s row %d: whole %s, by ranges %s", name, i, whole[i], pieces[i])
			}
		}
	}
}

func TestRangesMatchWhole(t *testing.T) {
	g, err := New(0.01, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkRanges(t, "customer", g.RowCount(TableCustomer), g.CustomerRows)
	checkRanges(t, "supplier", g.RowCount(TableSupplier), g.SupplierRows)
	checkRanges(t, "part", g.RowCount(TablePart), g.PartRows)
	checkRanges(t, "partsupp", g.RowCount(TablePartSupp), g.PartSuppRows)
	checkRanges(t, "orders", g.RowCount(TableOrders), g.OrderRows)
	checkRanges(t, "lineitem", g.RowCount(TableLineItem), g.LineItemRows)

	// The child tables' ranges give the rows the parents carry.
	var supps []PartSupp
	var lines []LineItem
	if err := g.Parts(func(p *Part) error { supps = append(supps, p.Supps[:]...); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := g.Orders(func(o *Order) error { lines = append(lines, o.Lines...); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rowDigest(supps), render(t, g.PartSuppRows, 0, g.RowCount(TablePartSupp))) {
		t.Error("PartSuppRows differs from the partsupp rows of Parts")
	}
	if !slices.Equal(rowDigest(lines), render(t, g.LineItemRows, 0, g.RowCount(TableLineItem))) {
		t.Error("LineItemRows differs from the lines of Orders")
	}
	if int64(len(lines)) != g.RowCount(TableLineItem) {
		t.Errorf("Orders gave %d lines, RowCount says %d", len(lines), g.RowCount(TableLineItem))
	}
}

// TestLineIndexBlocks checks the lineitem index across several blocks
// with ranges that start inside an order.
func TestLineIndexBlocks(t *testing.T) {
	g, err := New(0.1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []LineItem
	if err := g.OrderRows(0, 3*lineIndexStride+5, func(o *Order) error { lines = append(lines, o.Lines...); return nil }); err != nil {
		t.Fatal(err)
	}
	for _, first := range []int64{0, 1, 2, 4095, 4096, 4097, 16383, 16385, int64(len(lines)) - 3} {
		got := collect(t, g.LineItemRows, first, 3)
		for i := range got {
			if got[i] != lines[first+int64(i)] {
				t.Fatalf("line %d: got %+v, want %+v", first+int64(i), got[i], lines[first+int64(i)])
			}
		}
	}
}

func ordersDigest(t *testing.T, g *Generator, first, count int64) uint64 {
	h := fnv.New64a()
	err := g.OrderRows(first, count, func(o *Order) error {
		fmt.Fprintf(h, "%v\n", *o)
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	return h.Sum64()
}

// TestConcurrentGenerations generates from one Generator and from two on
// several goroutines at once, before either has built its text or index.
func TestConcurrentGenerations(t *testing.T) {
	g1, err := New(0.01, Options{})
	if err != nil {
		t.Fatal(err)
	}
	g2, err := New(0.01, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	sums := make([]uint64, 6)
	counts := make([]int64, 6)
	for i, g := range []*Generator{g1, g1, g1, g2, g2, g2} {
		wg.Go(func() {
			sums[i] = ordersDigest(t, g, 100, 5000)
			counts[i] = g.RowCount(TableLineItem)
		})
	}
	wg.Wait()
	for i := range sums {
		if sums[i] != sums[0] || counts[i] != counts[0] {
			t.Fatalf("generation %d differs", i)
		}
	}
}
