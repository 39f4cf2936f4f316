package dbgen

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var errStop = errors.New("stop")

func cents(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

func num[T int32 | int64](v T) string { return strconv.FormatInt(int64(v), 10) }

// tblRows renders the first n rows of each table (lineitem: the lines of
// the first n orders) as dbgen's .tbl files print them, keyed by table.
func tblRows(t *testing.T, g *Generator, n int) map[string][][]string {
	t.Helper()
	out := make(map[string][][]string)
	add := func(table string, fields ...string) { out[table] = append(out[table], fields) }
	limit := func(seen *int) error {
		if *seen++; *seen >= n {
			return errStop
		}
		return nil
	}
	check := func(err error) {
		if err != nil && !errors.Is(err, errStop) {
			t.Fatal(err)
		}
	}
	var seen int
	check(g.Orders(func(o *Order) error {
		add("orders", num(o.OrderKey), num(o.CustKey), o.OrderStatus, cents(o.TotalPrice), o.OrderDate.String(),
			o.OrderPriority, o.Clerk, num(o.ShipPriority), o.Comment)
		for _, l := range o.Lines {
			add("lineitem", num(l.OrderKey), num(l.PartKey), num(l.SuppKey), num(l.LineNumber), num(l.Quantity),
				cents(l.ExtendedPrice), cents(l.Discount), cents(l.Tax), l.ReturnFlag, l.LineStatus,
				l.ShipDate.String(), l.CommitDate.String(), l.ReceiptDate.String(), l.ShipInstruct, l.ShipMode, l.Comment)
		}
		return limit(&seen)
	}))
	seen = 0
	check(g.Parts(func(p *Part) error {
		add("part", num(p.PartKey), p.Name, p.Mfgr, p.Brand, p.Type, num(p.Size), p.Container, cents(p.RetailPrice), p.Comment)
		for _, ps := range p.Supps {
			add("partsupp", num(ps.PartKey), num(ps.SuppKey), num(ps.AvailQty), cents(ps.SupplyCost), ps.Comment)
		}
		return limit(&seen)
	}))
	seen = 0
	check(g.Suppliers(func(s *Supplier) error {
		add("supplier", num(s.SuppKey), s.Name, s.Address, num(s.NationKey), s.Phone, cents(s.AcctBal), s.Comment)
		return limit(&seen)
	}))
	seen = 0
	check(g.Customers(func(c *Customer) error {
		add("customer", num(c.CustKey), c.Name, c.Address, num(c.NationKey), c.Phone, cents(c.AcctBal), c.MktSegment, c.Comment)
		return limit(&seen)
	}))
	check(g.Nations(func(r *Nation) error {
		add("nation", num(r.NationKey), r.Name, num(r.RegionKey), r.Comment)
		return nil
	}))
	check(g.Regions(func(r *Region) error {
		add("region", num(r.RegionKey), r.Name, r.Comment)
		return nil
	}))
	return out
}

// compatColumns lists, per table, the columns in which DuckDB's dbgen
// differs from the TPC's: comments and addresses.
var compatColumns = map[string][]int{
	"orders": {8}, "lineitem": {15}, "part": {8}, "partsupp": {4},
	"supplier": {2, 6}, "customer": {2, 7}, "nation": {3}, "region": {2},
}

// TestTPCHead compares the first rows of every table at SF 1 with the
// TPC's dbgen output in testdata: every byte with CompatTPC, and every
// column but comments and addresses with CompatDuckDB.
func TestTPCHead(t *testing.T) {
	tpcSF1(t)
	f, err := os.Open("testdata/tpc-sf1-head.tbl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := make(map[string][][]string)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			fields := strings.Split(strings.TrimSuffix(line, "|"), "|")
			want[fields[0]] = append(want[fields[0]], fields[1:])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, compat := range []Compat{CompatTPC, CompatDuckDB} {
		g := tpcSF1(t)
		if compat == CompatDuckDB {
			var err error
			if g, err = New(1, Options{Compat: compat}); err != nil {
				t.Fatal(err)
			}
		}
		got := tblRows(t, g, 25)
		for table, rows := range want {
			for i, w := range rows {
				if i >= len(got[table]) {
					t.Fatalf("compat %d: %s has only %d rows", compat, table, len(got[table]))
				}
			cols:
				for j := range w {
					if compat == CompatDuckDB {
						for _, skip := range compatColumns[table] {
							if j == skip {
								continue cols
							}
						}
					}
					if got[table][i][j] != w[j] {
						t.Errorf("compat %d %s row %d column %d: got %q, want %q", compat, table, i, j, got[table][i][j], w[j])
					}
				}
			}
		}
	}
}

// tpcSF1 is one CompatTPC generator at SF 1 for the tests that need the
// TPC's 300 MiB text.
var tpcOnce struct {
	sync.Once
	g   *Generator
	err error
}

func tpcSF1(t *testing.T) *Generator {
	t.Helper()
	if testing.Short() {
		t.Skip("writes the TPC's 300 MiB comment text")
	}
	tpcOnce.Do(func() { tpcOnce.g, tpcOnce.err = New(1, Options{Compat: CompatTPC}) })
	if tpcOnce.err != nil {
		t.Fatal(tpcOnce.err)
	}
	return tpcOnce.g
}

// TestSupplierRemarks compares the suppliers whose comment carries a
// customer remark at SF 1 with DuckDB 2.0's CALL dbgen(sf=1) (the TPC's
// data; testdata/tpc-sf1-remarks.csv was written by DuckDB): the same
// suppliers, the same words at the same places.
func TestSupplierRemarks(t *testing.T) {
	g := tpcSF1(t)
	b, err := os.ReadFile("testdata/tpc-sf1-remarks.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")[1:]
	var got []string
	err = g.Suppliers(func(s *Supplier) error {
		if strings.Contains(s.Comment, "Customer") {
			got = append(got, num(s.SuppKey)+"|"+s.Comment)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("suppliers with remarks:\n%s\nDuckDB:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRowCounts(t *testing.T) {
	for _, tc := range []struct {
		sf   float64
		want [8]int64 // part, partsupp, supplier, customer, orders, lineitem, nation, region; -1: not checked
	}{
		{0.0001, [8]int64{1, 4, 1, 1, 1, -1, 25, 5}},
		{0.001, [8]int64{200, 800, 10, 150, 1500, -1, 25, 5}},
		{0.01, [8]int64{2000, 8000, 100, 1500, 15000, 60175, 25, 5}},
		{0.1, [8]int64{20000, 80000, 1000, 15000, 150000, 600572, 25, 5}},
		{0.3, [8]int64{60000, 240000, 3000, 45000, 450000, -1, 25, 5}},
		{1, [8]int64{200000, 800000, 10000, 150000, 1500000, 6001215, 25, 5}},
		{3, [8]int64{600000, 2400000, 30000, 450000, 4500000, -1, 25, 5}},
	} {
		g, err := New(tc.sf, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, tab := range Tables() {
			if w := tc.want[tab]; w >= 0 && g.RowCount(tab) != w {
				t.Errorf("SF %v %s: RowCount %d, want %d", tc.sf, tab, g.RowCount(tab), w)
			}
		}
	}
}

func TestNewRejects(t *testing.T) {
	for _, sf := range []float64{0, -1, math.NaN(), math.Inf(1), 1.5, 30000, 1e5} {
		if _, err := New(sf, Options{}); err == nil {
			t.Errorf("New(%v) succeeded", sf)
		}
	}
	if _, err := New(1, Options{Compat: Compat(9)}); err == nil {
		t.Error("unknown Compat accepted")
	}
}

func TestParseTable(t *testing.T) {
	for _, tab := range Tables() {
		if got, err := ParseTable(tab.String()); err != nil || got != tab {
			t.Errorf("ParseTable(%q) = %v, %v", tab.String(), got, err)
		}
	}
	if _, err := ParseTable("lineitems"); err == nil {
		t.Error("ParseTable accepted lineitems")
	}
}

func TestCallbackErrorStops(t *testing.T) {
	g, err := New(0.01, Options{})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	stop := func() error { calls++; return errStop }
	for name, run := range map[string]func() error{
		"customer": func() error { return g.Customers(func(*Customer) error { return stop() }) },
		"supplier": func() error { return g.Suppliers(func(*Supplier) error { return stop() }) },
		"part":     func() error { return g.Parts(func(*Part) error { return stop() }) },
		"partsupp": func() error { return g.PartSuppRows(1, 10, func(*PartSupp) error { return stop() }) },
		"orders":   func() error { return g.Orders(func(*Order) error { return stop() }) },
		"lineitem": func() error { return g.LineItemRows(5, 10, func(*LineItem) error { return stop() }) },
		"nation":   func() error { return g.Nations(func(*Nation) error { return stop() }) },
		"region":   func() error { return g.Regions(func(*Region) error { return stop() }) },
	} {
		calls = 0
		if err := run(); !errors.Is(err, errStop) || calls != 1 {
			t.Errorf("%s: got %v after %d calls", name, err, calls)
		}
	}
}

func TestRangeErrors(t *testing.T) {
	g, err := New(0.01, Options{})
	if err != nil {
		t.Fatal(err)
	}
	none := func(*Customer) error { return nil }
	for _, r := range [][2]int64{{-1, 1}, {0, -1}, {1500, 1}, {1, 1500}, {1501, 0}} {
		if err := g.CustomerRows(r[0], r[1], none); err == nil {
			t.Errorf("CustomerRows(%d, %d) accepted", r[0], r[1])
		}
	}
	n := g.RowCount(TableLineItem)
	if err := g.LineItemRows(n, 0, func(*LineItem) error { return nil }); err != nil {
		t.Errorf("empty range at the end: %v", err)
	}
	if err := g.LineItemRows(n-1, 2, func(*LineItem) error { return nil }); err == nil {
		t.Error("LineItemRows past the end accepted")
	}
}

func TestDates(t *testing.T) {
	for _, c := range []struct {
		d    int64
		want string
	}{{startDate, "1992-01-01"}, {currentDate, "1995-06-17"}, {endDate, "1998-12-31"}} {
		if got := Date(c.d).String(); got != c.want {
			t.Errorf("Date(%d) = %s, want %s", c.d, got, c.want)
		}
	}
	if d := Date(0).String(); d != "1970-01-01" {
		t.Errorf("Date(0) = %s", d)
	}
}
