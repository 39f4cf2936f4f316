package tpchgen

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/peregrinedb/peregrine/bench/dbgen"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const goldenPath = "testdata/sf0.01.golden"

var wantRows = map[string]int64{
	"lineitem": 60175, "orders": 15000, "customer": 1500, "part": 2000,
	"partsupp": 8000, "supplier": 100, "nation": 25, "region": 5,
}

// TestGolden pins the row counts and a checksum of every column of SF 0.01
// as read back from the written files, so that a change to the generator
// or the writer shows up without the shared reference files.
func TestGolden(t *testing.T) {
	dir := defaultSF001(t)
	var got strings.Builder
	got.WriteString("# table column rows fnv64a(values)  -- go test ./bench/tpchgen -run TestGolden -update\n")
	for _, table := range allTables {
		f := readParquet(t, filepath.Join(dir, table+".parquet"))
		if n := f.meta.NumRows(); n != wantRows[table] {
			t.Errorf("%s: %d rows, want %d", table, n, wantRows[table])
		}
		for i := 0; i < int(f.table.NumCols()); i++ {
			fmt.Fprintf(&got, "%s %s %d %016x\n", table, f.table.Schema().Field(i).Name, f.table.NumRows(),
				hashColumn(t, arrayOf(t, f.table, i)))
		}
	}
	if *update {
		if err := os.WriteFile(goldenPath, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got.String() != string(want) {
		gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("golden line %d: got %q, want %q", i+1, g, w)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	first := defaultSF001(t)
	again := t.TempDir()
	if err := Generate(context.Background(), Options{SF: 0.01, OutDir: again}); err != nil {
		t.Fatal(err)
	}
	for _, table := range allTables {
		a, err := os.ReadFile(filepath.Join(first, table+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(again, table+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two generations", table)
		}
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func TestOnlyFinalFilesRemain(t *testing.T) {
	var want []string
	for _, table := range allTables {
		want = append(want, table+".parquet")
	}
	slices.Sort(want)
	if got := dirNames(t, defaultSF001(t)); !slices.Equal(got, want) {
		t.Fatalf("directory holds %v, want %v", got, want)
	}
}

func TestOptionsHonoured(t *testing.T) {
	dir := t.TempDir()
	err := Generate(context.Background(), Options{
		SF: 0.01, OutDir: dir, Compression: "zstd", RowGroupSize: 4000,
		Tables: []string{"orders", "NATION"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"nation.parquet", "orders.parquet"}) {
		t.Fatalf("wrote %v", got)
	}
	orders := readParquet(t, filepath.Join(dir, "orders.parquet"))
	md := orders.meta.MetaData()
	if md.NumRowGroups() != 4 || md.NumRows != 15000 {
		t.Fatalf("orders: %d row groups, %d rows; want 4 groups of at most 4000 rows", md.NumRowGroups(), md.NumRows)
	}
	for rg := 0; rg < md.NumRowGroups(); rg++ {
		g := md.RowGroup(rg)
		if want := min(4000, 15000-rg*4000); g.NumRows() != int64(want) {
			t.Errorf("row group %d has %d rows, want %d", rg, g.NumRows(), want)
		}
		for c := 0; c < g.NumColumns(); c++ {
			cc, err := g.ColumnChunk(c)
			if err != nil {
				t.Fatal(err)
			}
			name := md.Schema.Column(c).Name()
			if cc.Compression() != compress.Codecs.Zstd {
				t.Errorf("%s: codec %s, want ZSTD", name, cc.Compression())
			}
			if ok, err := cc.StatsSet(); !ok || err != nil {
				t.Errorf("%s: no statistics (%v)", name, err)
			}
			if want := specs[dbgen.TableOrders].columns[c].dict; cc.HasDictionaryPage() != want {
				t.Errorf("%s: dictionary page %v, want %v", name, cc.HasDictionaryPage(), want)
			}
			if md.Schema.Column(c).SchemaNode().RepetitionType() != parquet.Repetitions.Required {
				t.Errorf("%s is not REQUIRED", name)
			}
		}
	}
	// Dictionary-encoded strings take a different path to the writer;
	// their statistics must still be right.
	for col, want := range map[int][2]string{2: {"F", "P"}, 5: {"1-URGENT", "5-LOW"}} {
		cc, err := md.RowGroup(0).ColumnChunk(col)
		if err != nil {
			t.Fatal(err)
		}
		st, err := cc.Statistics()
		if err != nil {
			t.Fatal(err)
		}
		bs, ok := st.(*metadata.ByteArrayStatistics)
		if !ok || !bs.HasMinMax() || string(bs.Min()) != want[0] || string(bs.Max()) != want[1] {
			t.Errorf("%s statistics %v, want min %q max %q", md.Schema.Column(col).Name(), st, want[0], want[1])
		}
	}
	if v := md.KeyValueMetadata().FindValue(MetadataScaleFactor); v == nil || *v != "0.01" {
		t.Errorf("scale factor metadata %v", v)
	}
	nation := readParquet(t, filepath.Join(dir, "nation.parquet"))
	if n := nation.meta.NumRows(); n != 25 {
		t.Errorf("nation: %d rows", n)
	}

	for name, codec := range map[string]compress.Compression{
		"": compress.Codecs.Snappy, "snappy": compress.Codecs.Snappy, "gzip": compress.Codecs.Gzip,
		"none": compress.Codecs.Uncompressed, "lz4_raw": compress.Codecs.Lz4Raw,
	} {
		dir := t.TempDir()
		if err := Generate(context.Background(), Options{SF: 0.01, OutDir: dir, Compression: name, Tables: []string{"region"}}); err != nil {
			t.Fatalf("compression %q: %v", name, err)
		}
		f := readParquet(t, filepath.Join(dir, "region.parquet"))
		cc, err := f.meta.MetaData().RowGroup(0).ColumnChunk(2)
		if err != nil {
			t.Fatal(err)
		}
		if cc.Compression() != codec {
			t.Errorf("compression %q wrote %s", name, cc.Compression())
		}
		if f.table.NumRows() != 5 {
			t.Errorf("compression %q: %d rows read back", name, f.table.NumRows())
		}
	}
}

func TestBadOptions(t *testing.T) {
	dir := t.TempDir()
	for _, o := range []Options{
		{SF: 0.01},
		{SF: 0.01, OutDir: dir, Compression: "brotli-ish"},
		{SF: 0.01, OutDir: dir, Tables: []string{"lineitems"}},
		{SF: 0.01, OutDir: dir, RowGroupSize: -1},
		{SF: 0, OutDir: dir},
		{SF: 1.5, OutDir: dir},
	} {
		if err := Generate(context.Background(), o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	if got := dirNames(t, dir); len(got) != 0 {
		t.Errorf("rejected options left %v", got)
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Generate(ctx, Options{SF: 0.01, OutDir: dir}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if got := dirNames(t, dir); len(got) != 0 {
		t.Errorf("cancelled generation left %v", got)
	}
}

// TestCancelledMidway cancels SF 0.1 while lineitem is being written: the
// call must fail with the cancellation and leave no temporary file.
func TestCancelledMidway(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	timer := time.AfterFunc(100*time.Millisecond, cancel)
	defer timer.Stop()
	err := Generate(ctx, Options{SF: 0.1, OutDir: dir, RowGroupSize: 10000})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	for _, name := range dirNames(t, dir) {
		if !strings.HasSuffix(name, ".parquet") || strings.HasPrefix(name, ".") {
			t.Errorf("left %s behind", name)
		}
		if name == "lineitem.parquet" {
			t.Errorf("lineitem.parquet completed despite the cancellation")
		}
	}
}

func TestOutDirIsAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Generate(context.Background(), Options{SF: 0.01, OutDir: path}); err == nil {
		t.Fatal("generating into a file succeeded")
	}
}

// TestDictionaryFallback writes orders with a dictionary page limit of 64
// bytes: the dates' and clerks' dictionaries exceed it and fall back to
// plain encoding, the status's (3 values) does not. Values and statistics
// must not change.
func TestDictionaryFallback(t *testing.T) {
	g, err := dbgen.New(0.01, dbgen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	props := writerProps(compress.Codecs.Snappy, parquet.WithDictionaryPageSizeLimit(64))
	if err := run(context.Background(), g, []dbgen.Table{dbgen.TableOrders}, dir, 4000, props, metadata.NewKeyValueMetadata()); err != nil {
		t.Fatal(err)
	}
	plain := readParquet(t, filepath.Join(dir, "orders.parquet"))
	dict := readParquet(t, filepath.Join(defaultSF001(t), "orders.parquet"))
	for i := 0; i < int(dict.table.NumCols()); i++ {
		if hashColumn(t, arrayOf(t, plain.table, i)) != hashColumn(t, arrayOf(t, dict.table, i)) {
			t.Errorf("%s differs without dictionaries", dict.table.Schema().Field(i).Name)
		}
	}
	md := plain.meta.MetaData()
	for rg := 0; rg < md.NumRowGroups(); rg++ {
		for c := 0; c < md.Schema.NumColumns(); c++ {
			cc, err := md.RowGroup(rg).ColumnChunk(c)
			if err != nil {
				t.Fatal(err)
			}
			name := md.Schema.Column(c).Name()
			if want := name == "o_orderstatus"; (name == "o_orderdate" || name == "o_clerk" || want) && cc.HasDictionaryPage() != want {
				t.Errorf("row group %d %s: dictionary page %v, want %v", rg, name, cc.HasDictionaryPage(), want)
			}
			if ok, err := cc.StatsSet(); !ok || err != nil {
				t.Errorf("row group %d %s: no statistics (%v)", rg, md.Schema.Column(c).Name(), err)
			}
		}
	}
}

// TestDictionaryStatistics checks the minimum and maximum the writer
// records for dictionary columns of every kind against the values.
func TestDictionaryStatistics(t *testing.T) {
	f := readParquet(t, filepath.Join(defaultSF001(t), "lineitem.parquet"))
	md := f.meta.MetaData()
	for c := 0; c < md.Schema.NumColumns(); c++ {
		if !specs[dbgen.TableLineItem].columns[c].dict {
			continue
		}
		vals := columnStrings(f.table, c)
		cc, err := md.RowGroup(0).ColumnChunk(c)
		if err != nil {
			t.Fatal(err)
		}
		st, err := cc.Statistics()
		if err != nil || st == nil || !st.HasMinMax() {
			t.Fatalf("%s: no min/max (%v)", md.Schema.Column(c).Name(), err)
		}
		var lo, hi string
		switch s := st.(type) {
		case *metadata.Int32Statistics:
			lo, hi = minMaxInts(t, f.table, c)
			if strconv.Itoa(int(s.Min())) != lo || strconv.Itoa(int(s.Max())) != hi {
				t.Errorf("%s: statistics [%d, %d], values [%s, %s]", md.Schema.Column(c).Name(), s.Min(), s.Max(), lo, hi)
			}
		case *metadata.Int64Statistics:
			lo, hi = minMaxInts(t, f.table, c)
			if strconv.FormatInt(s.Min(), 10) != lo || strconv.FormatInt(s.Max(), 10) != hi {
				t.Errorf("%s: statistics [%d, %d], values [%s, %s]", md.Schema.Column(c).Name(), s.Min(), s.Max(), lo, hi)
			}
		case *metadata.ByteArrayStatistics:
			lo, hi = slices.Min(vals), slices.Max(vals)
			if string(s.Min()) != lo || string(s.Max()) != hi {
				t.Errorf("%s: statistics [%q, %q], values [%q, %q]", md.Schema.Column(c).Name(), s.Min(), s.Max(), lo, hi)
			}
		default:
			t.Errorf("%s: statistics of type %T", md.Schema.Column(c).Name(), st)
		}
	}
}

// minMaxInts returns the smallest and largest value of an integer, date
// or decimal column as the Parquet integer it is stored as.
func minMaxInts(t *testing.T, tbl arrow.Table, c int) (string, string) {
	var vals []int64
	switch a := arrayOf(t, tbl, c).(type) {
	case *array.Int32:
		for _, v := range a.Int32Values() {
			vals = append(vals, int64(v))
		}
	case *array.Date32:
		for _, v := range a.Date32Values() {
			vals = append(vals, int64(v))
		}
	case *array.Int64:
		vals = a.Int64Values()
	case *array.Decimal128:
		for i := range a.Len() {
			vals = append(vals, int64(a.Value(i).LowBits()))
		}
	default:
		t.Fatalf("column %d: %s", c, a.DataType())
	}
	return strconv.FormatInt(slices.Min(vals), 10), strconv.FormatInt(slices.Max(vals), 10)
}
