package scan

import (
	"bytes"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// The files under testdata/ come from apache/parquet-testing (Apache-2.0,
// see testdata/LICENSE.txt) plus TPC-H lineitem at SF 0.01 written by DuckDB.

func TestTestdataAgainstArrow(t *testing.T) {
	files, err := filepath.Glob("testdata/*.parquet")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	// Files where one of our columns is expected to fail, and how.
	wantErr := map[string]string{
		// Its map column's dictionary page declares 1 GiB (the file is a
		// >2 GiB-uncompressed stress case): a clean refusal, no allocation.
		"large_string_map.brotli.parquet": "page size 1073741828 out of range",
	}
	// Files arrow-go itself cannot read (INT96 beyond nanoseconds, an empty
	// compressed v2 page, a map with 1 GiB pages): we only check that ours
	// reads them; other tests check their values.
	noReference := map[string]bool{
		"hadoop_lz4_compressed.parquet":             true,
		"int96_from_spark.parquet":                  true,
		"datapage_v2_empty_datapage.snappy.parquet": true,
		"large_string_map.brotli.parquet":           true,
	}
	rng := rand.New(rand.NewSource(7))
	for _, path := range files {
		base := filepath.Base(path)
		t.Run(base, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if base == "unknown-logical-type.parquet" {
				// arrow-go panics on the unknown union member; we fall back
				// to the physical type (BYTE_ARRAY read as a string).
				f := openBytes(t, data, path)
				got, err := readAll(t, f, supportedCols(f), 1024)
				if err != nil {
					t.Fatal(err)
				}
				var strs []string
				for _, col := range got {
					for _, d := range col {
						strs = append(strs, d.S)
					}
				}
				if s := strings.Join(strs, ","); s != "known string 1,known string 2,known string 3,unknown string 1,unknown string 2,unknown string 3" {
					t.Fatalf("got %s", s)
				}
				return
			}
			f := openBytes(t, data, path)
			if msg, ok := wantErr[base]; ok {
				_, err := readAll(t, f, supportedCols(f), 1024)
				if err == nil || !strings.Contains(err.Error(), msg) || !strings.Contains(err.Error(), path) {
					t.Fatalf("got error %v, want one naming the file and saying %q", err, msg)
				}
				return
			}
			if noReference[base] {
				if _, err := readAll(t, f, supportedCols(f), 1024); err != nil {
					t.Fatal(err)
				}
				return
			}
			checkAgainstArrow(t, data, path, rng)
		})
	}
}

func TestTestdataSchemas(t *testing.T) {
	cases := []struct {
		file string
		cols string // name:TYPE[?] joined by spaces; ! marks unsupported
	}{
		{"lineitem.parquet", "l_orderkey:BIGINT? l_partkey:BIGINT? l_suppkey:BIGINT? l_linenumber:BIGINT? " +
			"l_quantity:DECIMAL(15,2)? l_extendedprice:DECIMAL(15,2)? l_discount:DECIMAL(15,2)? l_tax:DECIMAL(15,2)? " +
			"l_returnflag:VARCHAR? l_linestatus:VARCHAR? l_shipdate:DATE? l_commitdate:DATE? l_receiptdate:DATE? " +
			"l_shipinstruct:VARCHAR? l_shipmode:VARCHAR? l_comment:VARCHAR?"},
		// BYTE_ARRAY without a STRING annotation: BLOB, as DuckDB reads it.
		{"alltypes_plain.parquet", "id:INTEGER? bool_col:BOOLEAN? tinyint_col:INTEGER? smallint_col:INTEGER? int_col:INTEGER? " +
			"bigint_col:BIGINT? float_col:FLOAT? double_col:DOUBLE? date_string_col:BLOB? string_col:BLOB? timestamp_col:TIMESTAMP?"},
		{"datapage_v2.snappy.parquet", "a:VARCHAR? b:INTEGER c:DOUBLE d:BOOLEAN e:INTEGER[]?"},
		{"nulls.snappy.parquet", "b_struct:STRUCT(b_c_int INTEGER)?"},
		{"int32_decimal.parquet", "value:DECIMAL(4,2)?"},
		{"int64_decimal.parquet", "value:DECIMAL(10,2)?"},
		{"fixed_length_decimal.parquet", "value:DECIMAL(25,2)?"},
		{"byte_array_decimal.parquet", "value:DECIMAL(4,2)?"},
		{"concatenated_gzip_members.parquet", "long_col:BIGINT?"},
	}
	for _, c := range cases {
		f, err := Open(filepath.Join("testdata", c.file))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, col := range f.Columns() {
			s := col.Name + ":"
			if col.Unsupported != "" {
				s += "!"
			} else {
				s += col.Type.String()
			}
			if col.Nullable {
				s += "?"
			}
			got = append(got, s)
		}
		if strings.Join(got, " ") != c.cols {
			t.Errorf("%s:\n got %s\nwant %s", c.file, strings.Join(got, " "), c.cols)
		}
		f.Close()
	}
}

func TestNestedColumnWithFlat(t *testing.T) {
	f, err := Open("testdata/datapage_v2.snappy.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	typ := f.Columns()[4].Type
	if typ.String() != "INTEGER[]" {
		t.Fatalf("column e is %s", typ)
	}
	want := []string{"[1, 2, 3]", "NULL", "NULL", "[1, 2, 3]", "[1, 2]"}
	for _, bs := range []int{1, 2, 1024} {
		got, err := readAll(t, f, []int{0, 4, 2, 3}, bs)
		if err != nil {
			t.Fatal(err)
		}
		for r, w := range want {
			if s := coldata.Format(typ, got[1][r]); s != w {
				t.Fatalf("batch %d row %d: %s, want %s", bs, r, s, w)
			}
		}
	}
	// A predicate on a flat column with the nested column as payload:
	// rows are skipped in the nested column too.
	r, err := f.NewReaderWith(0, []int{4, 1}, ReaderOptions{Preds: []Predicate{{Col: 1, Op: OpGe, Vals: []coldata.Datum{{I: 4}}}}})
	if err != nil {
		t.Fatal(err)
	}
	b := coldata.NewBatch([]coldata.Type{typ, coldata.TypeInt32}, 0)
	var rows []string
	for {
		n, err := r.Next(b, 2)
		if err != nil {
			break
		}
		for k := 0; k < b.Len(); k++ {
			row := b.Row(k)
			if row[1].I >= 4 {
				rows = append(rows, coldata.Format(typ, row[0]))
			}
		}
		_ = n
	}
	if strings.Join(rows, " ") != "[1, 2, 3] [1, 2]" {
		t.Fatalf("filtered rows: %v", rows)
	}
}

func TestLineitemValues(t *testing.T) {
	f, err := Open("testdata/lineitem.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.NumRows() != 60175 || f.NumRowGroups() != 1 || f.RowGroupNumRows(0) != 60175 {
		t.Fatalf("rows %d groups %d", f.NumRows(), f.NumRowGroups())
	}
	got, err := readAll(t, f, []int{0, 4, 8, 10, 15}, 2048)
	if err != nil {
		t.Fatal(err)
	}
	row := func(i int) string {
		var parts []string
		for c, col := range []int{0, 4, 8, 10, 15} {
			parts = append(parts, coldata.Format(f.Columns()[col].Type, got[c][i]))
		}
		return strings.Join(parts, "|")
	}
	if r := row(0); r != "1|17.00|N|1996-03-13|to beans x-ray carefull" {
		t.Errorf("row 0 = %s", r)
	}
}

func TestInt96BeyondNanoseconds(t *testing.T) {
	f, err := Open("testdata/int96_from_spark.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := readAll(t, f, []int{0}, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := []coldata.Datum{
		{I: time.Date(2024, 1, 1, 20, 34, 56, 123456000, time.UTC).UnixMicro()},
		{I: time.Date(2024, 1, 1, 1, 0, 0, 0, time.UTC).UnixMicro()},
		{I: time.Date(9999, 12, 31, 3, 0, 0, 0, time.UTC).UnixMicro()},
		{I: time.Date(2024, 12, 30, 23, 0, 0, 0, time.UTC).UnixMicro()},
		coldata.NullDatum,
		{I: time.Date(290000, 12, 30, 23, 0, 0, 0, time.UTC).UnixMicro()},
	}
	for i, w := range want {
		if !sameDatum(coldata.TypeTimestamp, got[0][i], w) {
			t.Errorf("row %d: got %s want %s", i, coldata.Format(coldata.TypeTimestamp, got[0][i]), coldata.Format(coldata.TypeTimestamp, w))
		}
	}
}

func TestEmptyV2Page(t *testing.T) {
	f, err := Open("testdata/datapage_v2_empty_datapage.snappy.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := readAll(t, f, []int{0}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got[0]) != 1 || !got[0][0].Null {
		t.Fatalf("got %v, want one NULL", got[0])
	}
}

// TestBadData checks that every known-bad file gives an error naming the
// file (and the column where the fault is in one), never a panic or a hang.
// Files whose fault lies only in columns we cannot select (nested ones)
// read cleanly; selecting the bad column then explains why it cannot be.
func TestBadData(t *testing.T) {
	want := map[string]string{
		"ARROW-GH-41317.parquet":              "column timestamp_us_no_tz, row group 0: column chunk ends with 3 values still expected",
		"ARROW-GH-41321.parquet":              "column int64, row group 0: invalid RLE bit width 254",
		"ARROW-GH-43605.parquet":              "", // width-0 dictionary indices are valid
		"ARROW-GH-45185.parquet":              "column x, row group 0: field x.element: record starts with a nonzero repetition level (1)",
		"ARROW-GH-47662.parquet":              "column flba_field, row group 0: page values truncated",
		"ARROW-RS-GH-6229-DICTHEADER.parquet": "column region_key, row group 0: corrupt column chunk location",
		"ARROW-RS-GH-6229-LEVELS.parquet":     "column outer, row group 0: field outer.item.c: pages hold more than the 1 values the column chunk declares",
		"PARQUET-1481.parquet":                "", // corrupt type of the only column
	}
	files, _ := filepath.Glob("testdata/bad_data/*.parquet")
	if len(files) != len(want) {
		t.Fatalf("%d bad_data files, %d expectations", len(files), len(want))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			msg, ok := want[filepath.Base(path)]
			if !ok {
				t.Fatal("no expectation")
			}
			err := openAndReadAll(path)
			switch {
			case msg == "" && err != nil:
				t.Fatal(err)
			case msg != "" && (err == nil || !strings.Contains(err.Error(), path+": "+msg)):
				t.Fatalf("got %v, want %q", err, path+": "+msg)
			}
		})
	}
	f, err := Open("testdata/bad_data/PARQUET-1481.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.NewReader(0, []int{0}); err == nil || !strings.Contains(err.Error(), "column Handle of testdata/bad_data/PARQUET-1481.parquet has unknown physical type -7") {
		t.Fatalf("got %v", err)
	}
	data, err := os.ReadFile("testdata/bad_data/ARROW-GH-43605.parquet")
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstArrow(t, data, "ARROW-GH-43605.parquet", rand.New(rand.NewSource(1)))
}

// openAndReadAll opens path and reads every supported column of every row
// group, returning the first error.
func openAndReadAll(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return readBytes(data, path)
}

func readBytes(data []byte, name string) error {
	f, err := NewFile(bytes.NewReader(data), int64(len(data)), name)
	if err != nil {
		return err
	}
	var cols []int
	var types []coldata.Type
	for i, c := range f.Columns() {
		if c.Unsupported == "" {
			cols = append(cols, i)
			types = append(types, c.Type)
		}
	}
	b := coldata.NewBatch(types, 0)
	for rg := 0; rg < f.NumRowGroups(); rg++ {
		f.RowGroupMayMatch(rg, nil)
		for c := range f.Columns() {
			f.ColumnStats(rg, c)
		}
		r, err := f.NewReader(rg, cols)
		if err != nil {
			return err
		}
		for {
			_, err := r.Next(b, 1000)
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
		}
		r.Close()
		// The pushdown paths (bloom, page index, dictionary, page-level
		// fetching, skipping) must fail as cleanly on hostile input.
		for j, c := range cols {
			pr := Predicate{Col: c, Op: OpGe, Vals: []coldata.Datum{{I: 1, F: 0.5, S: "m"}}}
			if j%2 == 1 {
				pr.Op = OpIn
				pr.Vals = append(pr.Vals, coldata.Datum{I: 7, S: "x"})
			}
			r, err := f.NewReaderWith(rg, cols, ReaderOptions{Preds: []Predicate{pr}})
			if err != nil {
				return err
			}
			for {
				_, err := r.Next(b, 100)
				if err == io.EOF {
					break
				}
				if err != nil {
					return err
				}
			}
			r.Close()
		}
	}
	return nil
}
