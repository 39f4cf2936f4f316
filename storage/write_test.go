package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// rowSource serves rows in batches of size, each batch with a selection
// vector that skips a padding row, so that writers must honour Sel.
type rowSource struct {
	types []coldata.Type
	rows  [][]coldata.Datum
	size  int
	pos   int
	// failAt makes Next fail once this many rows were served (0: never).
	failAt int
	// cancel is called once this many rows were served (0: never).
	cancelAt int
	cancel   func()
}

func (s *rowSource) Next(ctx context.Context) (*coldata.Batch, error) {
	if s.failAt > 0 && s.pos >= s.failAt {
		return nil, errors.New("source failed")
	}
	if s.cancelAt > 0 && s.pos >= s.cancelAt {
		s.cancel()
	}
	if s.pos >= len(s.rows) {
		return nil, io.EOF
	}
	n := min(s.size, len(s.rows)-s.pos)
	b := coldata.NewBatch(s.types, n+1)
	for k := 0; k < n; k++ {
		for c, v := range s.rows[s.pos+k] {
			b.Vecs[c].Set(k+1, v)
		}
		b.Sel = append(b.Sel, int32(k+1))
	}
	for c := range s.types {
		b.Vecs[c].Set(0, coldata.NullDatum)
	}
	s.pos += n
	return b, nil
}

var allTypes = []coldata.Type{
	coldata.TypeBool, coldata.TypeInt32, coldata.TypeInt64, coldata.TypeFloat64,
	coldata.DecimalType(9, 2), coldata.DecimalType(18, 6), coldata.TypeString,
	coldata.TypeDate, coldata.TypeTimestamp,
}
var allNames = []string{"b", "i", "l", "d", "dec9", "dec18", "s", "dt", "ts"}

func allTypeRows(n int) [][]coldata.Datum {
	rows := make([][]coldata.Datum, n)
	for r := range rows {
		x := int64(r)
		rows[r] = []coldata.Datum{
			{B: r%3 == 0}, {I: x - 5}, {I: x * 1_000_000_007}, {F: float64(r) / 7},
			{I: x*101 - 999_999_999 + int64(r%2)}, {I: -x * 123_456_789_012}, {S: fmt.Sprintf("s%03d-é", r%17)},
			{I: 19000 + x}, {I: 1_700_000_000_123_456 + x*3_600_000_001},
		}
		if r%5 == 2 { // a row of NULLs in every column
			for c := range rows[r] {
				rows[r][c] = coldata.NullDatum
			}
		}
		if r%7 == 3 {
			rows[r][r%len(allTypes)] = coldata.NullDatum
		}
	}
	return rows
}

// readScan reads every row of a file with our reader.
func readScan(t *testing.T, path string) ([]scan.Column, [][]coldata.Datum) {
	t.Helper()
	cols, rows, err := scanFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return cols, rows
}

// scanFile reads every row of every column with the scanner.
func scanFile(path string) ([]scan.Column, [][]coldata.Datum, error) {
	f, err := scan.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	cols := f.Columns()
	idx := make([]int, len(cols))
	types := make([]coldata.Type, len(cols))
	for i, c := range cols {
		idx[i], types[i] = i, c.Type
	}
	var out [][]coldata.Datum
	for rg := 0; rg < f.NumRowGroups(); rg++ {
		r, err := f.NewReader(rg, idx)
		if err != nil {
			return nil, nil, err
		}
		b := coldata.NewBatch(types, 1024)
		for {
			n, err := r.Next(b, 1024)
			if err == io.EOF {
				break
			}
			if err != nil {
				r.Close()
				return nil, nil, err
			}
			for k := 0; k < n; k++ {
				out = append(out, b.Row(k))
			}
		}
		r.Close()
	}
	return cols, out, nil
}

// readArrow reads a file with arrow-go and renders every value as a string.
func readArrow(t *testing.T, path string) [][]string {
	t.Helper()
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	out := make([][]string, tbl.NumRows())
	for c := 0; c < int(tbl.NumCols()); c++ {
		r := 0
		for _, ch := range tbl.Column(c).Data().Chunks() {
			for i := 0; i < ch.Len(); i++ {
				out[r] = append(out[r], arrowValue(ch, i))
				r++
			}
		}
	}
	return out
}

func arrowValue(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "NULL"
	}
	switch a := a.(type) {
	case *array.Decimal128:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.Date32:
		return a.Value(i).FormattedString()
	case *array.Timestamp:
		return coldata.FormatTimestamp(int64(a.Value(i)))
	case *array.Float64:
		return coldata.FormatFloat(a.Value(i))
	}
	return a.ValueStr(i)
}

func TestRoundTripAllTypesAllCodecs(t *testing.T) {
	rows := allTypeRows(300)
	want := make([][]string, len(rows))
	for r, row := range rows {
		for c, v := range row {
			want[r] = append(want[r], coldata.Format(allTypes[c], v))
		}
	}
	for _, codec := range []string{"", "snappy", "zstd", "gzip", "lz4_raw", "brotli", "none"} {
		t.Run("codec="+codec, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.parquet")
			src := &rowSource{types: allTypes, rows: rows, size: 64}
			res, err := WriteParquet(context.Background(), src, allTypes, allNames, path, WriteOptions{Compression: codec, RowGroupSize: 100})
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != 300 || len(res.Files) != 1 || res.Bytes <= 0 {
				t.Errorf("result %+v", res)
			}
			cols, got := readScan(t, path)
			for c, col := range cols {
				if col.Type != allTypes[c] || col.Name != allNames[c] {
					t.Fatalf("column %d read as %s %s", c, col.Name, col.Type)
				}
			}
			ar := readArrow(t, path)
			if len(got) != len(rows) || len(ar) != len(rows) {
				t.Fatalf("rows: scan %d, arrow %d, want %d", len(got), len(ar), len(rows))
			}
			for r := range rows {
				for c := range allTypes {
					g := coldata.Format(allTypes[c], got[r][c])
					if g != want[r][c] || ar[r][c] != want[r][c] {
						t.Fatalf("row %d col %s: scan %s, arrow %s, want %s", r, allNames[c], g, ar[r][c], want[r][c])
					}
				}
			}
		})
	}
}

// footer reads a file's metadata with arrow-go.
func footer(t *testing.T, path string) *file.Reader {
	t.Helper()
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdr.Close() })
	return rdr
}

func TestWriteOptionsInMetadata(t *testing.T) {
	types := []coldata.Type{coldata.TypeString, coldata.TypeInt64, coldata.DecimalType(9, 2), coldata.DecimalType(18, 2)}
	names := []string{"low", "high", "d9", "d18"}
	var rows [][]coldata.Datum
	for r := 0; r < 2500; r++ {
		rows = append(rows, []coldata.Datum{{S: []string{"a", "b", "c"}[r%3]}, {I: int64(r) * 7919}, {I: int64(r)}, {I: int64(r)}})
	}
	path := filepath.Join(t.TempDir(), "o.parquet")
	_, err := WriteParquet(context.Background(), &rowSource{types: types, rows: rows, size: 333}, types, names, path,
		WriteOptions{Compression: "zstd", CompressionLevel: 3, RowGroupSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	md := footer(t, path).MetaData()
	if md.NumRowGroups() != 3 || md.RowGroup(0).NumRows() != 1000 || md.RowGroup(2).NumRows() != 500 {
		t.Errorf("row groups: %d, first %d rows", md.NumRowGroups(), md.RowGroup(0).NumRows())
	}
	if got := md.Schema.Column(2).PhysicalType().String(); got != "INT32" {
		t.Errorf("DECIMAL(9,2) stored as %s", got)
	}
	if got := md.Schema.Column(3).PhysicalType().String(); got != "INT64" {
		t.Errorf("DECIMAL(18,2) stored as %s", got)
	}
	for c := 0; c < 2; c++ {
		cc, _ := md.RowGroup(0).ColumnChunk(c)
		if cc.Compression().String() != "ZSTD" {
			t.Errorf("column %d codec %s", c, cc.Compression())
		}
		if set, _ := cc.StatsSet(); !set {
			t.Errorf("column %d has no statistics", c)
		}
		if _, ok := md.RowGroup(0).ColumnIndexLocation(c); !ok {
			t.Errorf("column %d has no column index", c)
		}
		if _, ok := md.RowGroup(0).OffsetIndexLocation(c); !ok {
			t.Errorf("column %d has no offset index", c)
		}
		if wantDict := c == 0; cc.HasDictionaryPage() != wantDict {
			t.Errorf("column %s: dictionary %v, want %v", names[c], cc.HasDictionaryPage(), wantDict)
		}
	}
	// Byte-based row groups: ~8 bytes per row of the BIGINT column alone.
	path2 := filepath.Join(t.TempDir(), "b.parquet")
	_, err = WriteParquet(context.Background(), &rowSource{types: types[1:2], rows: column(rows, 1), size: 100}, types[1:2], names[1:2], path2,
		WriteOptions{RowGroupSizeBytes: 4000})
	if err != nil {
		t.Fatal(err)
	}
	if n := footer(t, path2).MetaData().NumRowGroups(); n < 4 || n > 6 {
		t.Errorf("RowGroupSizeBytes 4000 over 20000 bytes gave %d row groups", n)
	}
}

func column(rows [][]coldata.Datum, c int) [][]coldata.Datum {
	out := make([][]coldata.Datum, len(rows))
	for i, r := range rows {
		out[i] = []coldata.Datum{r[c]}
	}
	return out
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			if d.IsDir() {
				rel += "/"
			}
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func TestPartitionedWriteReadsBack(t *testing.T) {
	types := []coldata.Type{coldata.TypeString, coldata.TypeInt64, coldata.TypeDate}
	names := []string{"city", "v", "day"}
	var rows [][]coldata.Datum
	for r := 0; r < 40; r++ {
		city := coldata.Datum{S: []string{"Paris", "New York", "a/b"}[r%3]}
		if r%10 == 9 {
			city = coldata.NullDatum
		}
		rows = append(rows, []coldata.Datum{city, {I: int64(r)}, {I: int64(19000 + r%2)}})
	}
	dir := filepath.Join(t.TempDir(), "out")
	res, err := WriteParquet(context.Background(), &rowSource{types: types, rows: rows, size: 7}, types, names, dir,
		WriteOptions{PartitionBy: []string{"day", "city"}})
	if err != nil {
		t.Fatal(err)
	}
	// Days alternate with the row, and NULL cities fall on odd rows only.
	if res.Rows != 40 || len(res.Files) != 7 {
		t.Errorf("%d rows in %d files: %v", res.Rows, len(res.Files), listFiles(t, dir))
	}
	if got := listFiles(t, dir); !contains(got, "day=2022-01-08/city=New%20York/data_0.parquet") || !contains(got, "day=2022-01-09/city=a%2Fb/data_0.parquet") ||
		!contains(got, "day=2022-01-09/city=__HIVE_DEFAULT_PARTITION__/data_0.parquet") {
		t.Errorf("layout %v", got)
	}
	cat, _ := Open("")
	defer cat.Close()
	tb, err := cat.Table(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := colNames(tb.Columns); got != "v BIGINT, day DATE, city VARCHAR" {
		t.Errorf("read back as %s", got)
	}
	sum := map[string]int64{}
	for _, f := range tb.DataFiles {
		_, vals := readScan(t, f.Path)
		for _, v := range vals {
			sum[coldata.Format(coldata.TypeString, f.Partition[1])] += v[0].I
		}
	}
	want := map[string]int64{}
	for _, r := range rows {
		want[coldata.Format(coldata.TypeString, r[0])] += r[1].I
	}
	if fmt.Sprint(sum) != fmt.Sprint(want) {
		t.Errorf("sums by city %v, want %v", sum, want)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestFileSizeSplit(t *testing.T) {
	rows := allTypeRows(3000)
	dir := filepath.Join(t.TempDir(), "split")
	res, err := WriteParquet(context.Background(), &rowSource{types: allTypes, rows: rows, size: 500}, allTypes, allNames, dir,
		WriteOptions{FileSizeBytes: 20000, RowGroupSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) < 2 || filepath.Base(res.Files[0]) != "data_0.parquet" {
		t.Fatalf("files %v", res.Files)
	}
	var total int64
	for _, f := range res.Files {
		_, vals := readScan(t, f)
		total += int64(len(vals))
	}
	if total != 3000 || res.Rows != 3000 {
		t.Errorf("rows %d / %d", total, res.Rows)
	}
}

func TestAtomicWrites(t *testing.T) {
	rows := allTypeRows(5000)
	cases := []struct {
		name string
		opts WriteOptions
		fail bool // else cancel
	}{
		{"single file, source error", WriteOptions{RowGroupSize: 500}, true},
		{"single file, cancelled", WriteOptions{RowGroupSize: 500}, false},
		{"split files, source error", WriteOptions{RowGroupSize: 500, FileSizeBytes: 10000}, true},
		{"partitioned, cancelled", WriteOptions{RowGroupSize: 100, PartitionBy: []string{"b"}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "out.parquet")
			if c.opts.FileSizeBytes > 0 || len(c.opts.PartitionBy) > 0 {
				target = filepath.Join(dir, "out")
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			src := &rowSource{types: allTypes, rows: rows, size: 250}
			if c.fail {
				src.failAt = 4000
			} else {
				src.cancelAt, src.cancel = 4000, cancel
			}
			_, err := WriteParquet(ctx, src, allTypes, allNames, target, c.opts)
			if err == nil {
				t.Fatal("want an error")
			}
			if c.fail != strings.Contains(err.Error(), "source failed") || (!c.fail && !errors.Is(err, context.Canceled)) {
				t.Errorf("error %v", err)
			}
			if left := listFiles(t, dir); len(left) != 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

func TestExistingTargets(t *testing.T) {
	types, names := []coldata.Type{coldata.TypeInt32}, []string{"v"}
	src := func(n int) BatchSource {
		var rows [][]coldata.Datum
		for i := 0; i < n; i++ {
			rows = append(rows, []coldata.Datum{{I: int64(i)}})
		}
		return &rowSource{types: types, rows: rows, size: 10}
	}
	dir := t.TempDir()
	one := filepath.Join(dir, "one.parquet")
	if _, err := WriteParquet(context.Background(), src(5), types, names, one, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteParquet(context.Background(), src(3), types, names, one, WriteOptions{}); err != nil {
		t.Fatal("a single file is replaced, like DuckDB:", err)
	}
	if _, rows := readScan(t, one); len(rows) != 3 {
		t.Errorf("replaced file has %d rows", len(rows))
	}
	folder := filepath.Join(dir, "parts")
	opts := WriteOptions{PartitionBy: []string{"v"}}
	types2, names2 := []coldata.Type{coldata.TypeInt32, coldata.TypeInt32}, []string{"v", "w"}
	src2 := func() BatchSource {
		return &rowSource{types: types2, rows: [][]coldata.Datum{{{I: 1}, {I: 10}}, {{I: 2}, {I: 20}}}, size: 10}
	}
	if _, err := WriteParquet(context.Background(), src2(), types2, names2, folder, opts); err != nil {
		t.Fatal(err)
	}
	_, err := WriteParquet(context.Background(), src2(), types2, names2, folder, opts)
	if err == nil || !strings.Contains(err.Error(), "is not empty") || !strings.Contains(err.Error(), "Enable OVERWRITE option") {
		t.Errorf("non-empty folder: %v", err)
	}
	opts.Mode = WriteOverwriteOrIgnore
	if _, err := WriteParquet(context.Background(), src2(), types2, names2, folder, opts); err != nil {
		t.Errorf("overwrite_or_ignore: %v", err)
	}
	if got := listFiles(t, folder); strings.Join(got, " ") != "v=1/ v=1/data_0.parquet v=2/ v=2/data_0.parquet" {
		t.Errorf("after overwrite: %v", got)
	}
	if _, err := WriteParquet(context.Background(), src(1), types, names, one, WriteOptions{FileSizeBytes: 1}); err == nil {
		t.Error("a folder target that is a file: want error")
	}
	if _, err := WriteParquet(context.Background(), src(1), types, names, filepath.Join(dir, "x.parquet"), WriteOptions{Compression: "lzo"}); err == nil {
		t.Error("unknown codec: want error")
	}
	if _, err := WriteParquet(context.Background(), src(1), types, names, folder, WriteOptions{PartitionBy: []string{"nope"}}); err == nil {
		t.Error("unknown partition column: want error")
	}
}

func TestEmptyWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.parquet")
	res, err := WriteParquet(context.Background(), &rowSource{types: allTypes}, allTypes, allNames, path, WriteOptions{})
	if err != nil || res.Rows != 0 || len(res.Files) != 1 {
		t.Fatal(res, err)
	}
	cols, rows := readScan(t, path)
	if len(cols) != len(allTypes) || len(rows) != 0 {
		t.Errorf("%d cols %d rows", len(cols), len(rows))
	}
}
