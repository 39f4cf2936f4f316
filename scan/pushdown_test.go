package scan

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// refMatch is the reference semantics of a pushed predicate: NULL never
// satisfies a comparison, NaN sorts above every number.
func refMatch(typ coldata.Type, d coldata.Datum, p Predicate) bool {
	switch p.Op {
	case OpIsNull:
		return d.Null
	case OpIsNotNull:
		return !d.Null
	}
	if d.Null {
		return false
	}
	if p.Op == OpInSet {
		return p.Set.(*testSet).has(typ, d)
	}
	cmp := func(c coldata.Datum) int {
		if typ.ID == coldata.Float64 {
			switch a, b := math.IsNaN(d.F), math.IsNaN(c.F); {
			case a && b:
				return 0
			case a:
				return 1
			case b:
				return -1
			}
		}
		return coldata.Compare(typ, d, c)
	}
	for _, c := range p.Vals {
		if c.Null && p.Op != OpIn {
			return false
		}
	}
	switch p.Op {
	case OpEq:
		return cmp(p.Vals[0]) == 0
	case OpNe:
		return cmp(p.Vals[0]) != 0
	case OpLt:
		return cmp(p.Vals[0]) < 0
	case OpLe:
		return cmp(p.Vals[0]) <= 0
	case OpGt:
		return cmp(p.Vals[0]) > 0
	case OpGe:
		return cmp(p.Vals[0]) >= 0
	case OpBetween:
		return cmp(p.Vals[0]) >= 0 && cmp(p.Vals[1]) <= 0
	case OpIn:
		for _, c := range p.Vals {
			if !c.Null && cmp(c) == 0 {
				return true
			}
		}
	}
	return false
}

// readRows reads every row group with the given options and returns the
// selected rows (after b.Sel) as datum rows, plus summed stats.
func readRows(t testing.TB, f *File, cols []int, opts ReaderOptions, batch int) ([][]coldata.Datum, ReaderStats) {
	t.Helper()
	types := make([]coldata.Type, len(cols))
	for i, c := range cols {
		types[i] = f.Columns()[c].Type
	}
	var rows [][]coldata.Datum
	var st ReaderStats
	b := coldata.NewBatch(types, 0)
	for rg := 0; rg < f.NumRowGroups(); rg++ {
		if len(opts.Preds) > 0 && !f.RowGroupMayMatch(rg, opts.Preds) {
			continue
		}
		r, err := f.NewReaderWith(rg, cols, opts)
		if err != nil {
			t.Fatal(err)
		}
		for {
			n, err := r.Next(b, batch)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 || n > batch || (b.Sel != nil && len(b.Sel) == 0) {
				t.Fatalf("Next returned n=%d sel=%v", n, b.Sel)
			}
			for k := 0; k < b.Len(); k++ {
				rows = append(rows, b.Row(k))
			}
		}
		s := r.Stats()
		st.RowsTotal += s.RowsTotal
		st.RowsSkippedPageIndex += s.RowsSkippedPageIndex
		st.RowsSkippedDict += s.RowsSkippedDict
		st.RowsSkippedBloom += s.RowsSkippedBloom
		st.RowsSkippedLate += s.RowsSkippedLate
		st.ValuesSkippedLate += s.ValuesSkippedLate
		st.batchesByRow += s.batchesByRow
		st.PagesRead += s.PagesRead
		st.PagesSkipped += s.PagesSkipped
		st.BytesRead += s.BytesRead
		r.Close()
	}
	return rows, st
}

// checkPushdown compares, for one predicate set, the rows that pass the
// reference filter when read with and without pushdown: pushdown may return
// extra rows, never fewer, and the values must agree.
func checkPushdown(t *testing.T, f *File, proj []int, preds []Predicate, batch int) ReaderStats {
	t.Helper()
	// The reference filter needs the predicate columns; a projection
	// without them must give the same rows as one with them.
	cols := append([]int(nil), proj...)
	for _, p := range preds {
		if !slices.Contains(cols, p.Col) {
			cols = append(cols, p.Col)
		}
	}
	if len(cols) > len(proj) {
		narrow, _ := readRows(t, f, proj, ReaderOptions{Preds: preds}, batch)
		wide, _ := readRows(t, f, cols, ReaderOptions{Preds: preds}, batch)
		if len(narrow) != len(wide) {
			t.Fatalf("%s %v: %d rows projecting %v, %d projecting %v", f.Path(), preds, len(narrow), proj, len(wide), cols)
		}
		for i := range narrow {
			for j, c := range proj {
				if !sameDatum(f.Columns()[c].Type, narrow[i][j], wide[i][j]) {
					t.Fatalf("%s %v: row %d column %d differs between projections", f.Path(), preds, i, c)
				}
			}
		}
	}
	pos := map[int]int{}
	for i, c := range cols {
		pos[c] = i
	}
	filter := func(rows [][]coldata.Datum) [][]coldata.Datum {
		var out [][]coldata.Datum
	next:
		for _, row := range rows {
			for _, p := range preds {
				if !refMatch(f.Columns()[p.Col].Type, row[pos[p.Col]], p) {
					continue next
				}
			}
			out = append(out, row)
		}
		return out
	}
	plain, _ := readRows(t, f, cols, ReaderOptions{}, batch)
	pushed, st := readRows(t, f, cols, ReaderOptions{Preds: preds}, batch)
	want, got := filter(plain), filter(pushed)
	if len(got) != len(want) {
		t.Fatalf("%s cols %v preds %v: %d matching rows with pushdown, %d without (stats %+v)", f.Path(), cols, preds, len(got), len(want), st)
	}
	for i := range want {
		for j, c := range cols {
			if !sameDatum(f.Columns()[c].Type, got[i][j], want[i][j]) {
				t.Fatalf("%s %v: row %d column %d differs", f.Path(), preds, i, c)
			}
		}
	}
	return st
}

// randomPred builds a predicate on column c from values present in rows.
func randomPred(rng *rand.Rand, f *File, c int, vals []coldata.Datum) Predicate {
	pick := func() coldata.Datum {
		if len(vals) == 0 || rng.Intn(8) == 0 {
			return coldata.NullDatum
		}
		d := vals[rng.Intn(len(vals))]
		if f.Columns()[c].Type.ID == coldata.Float64 && math.IsNaN(d.F) {
			d.F = 0.5
		}
		return d
	}
	ops := []Op{OpEq, OpNe, OpLt, OpLe, OpGt, OpGe, OpBetween, OpIn, OpIsNull, OpIsNotNull, OpInSet}
	p := Predicate{Col: c, Op: ops[rng.Intn(len(ops))]}
	switch p.Op {
	case OpIsNull, OpIsNotNull:
	case OpInSet:
		p.Set = newTestSet(f.Columns()[c].Type, pick(), pick(), pick())
	case OpBetween:
		a, b := pick(), pick()
		if !a.Null && !b.Null && coldata.Compare(f.Columns()[c].Type, a, b) > 0 {
			a, b = b, a
		}
		p.Vals = []coldata.Datum{a, b}
	case OpIn:
		p.Vals = []coldata.Datum{pick(), pick(), pick()}
	default:
		p.Vals = []coldata.Datum{pick()}
	}
	return p
}

// testSet is a ValueSet of a few values (exact, unlike a join's bloom).
type testSet struct{ vals []coldata.Datum }

func newTestSet(typ coldata.Type, vals ...coldata.Datum) *testSet {
	s := &testSet{}
	for _, v := range vals {
		if !v.Null {
			s.vals = append(s.vals, v)
		}
	}
	return s
}

func (s *testSet) has(typ coldata.Type, d coldata.Datum) bool {
	for _, v := range s.vals {
		if coldata.Compare(typ, d, v) == 0 && !(typ.ID == coldata.Float64 && math.IsNaN(d.F)) {
			return true
		}
	}
	return false
}

func (s *testSet) Filter(v *coldata.Vec, sel []int32, n int, out []int32) []int32 {
	for j := 0; j < n; j++ {
		i := int32(j)
		if sel != nil {
			i = sel[j]
		}
		if !v.IsNull(int(i)) && s.has(v.Type, v.Get(int(i))) {
			out = append(out, i)
		}
	}
	return out
}

func pushdownFile(t testing.TB) []byte {
	rng := rand.New(rand.NewSource(3))
	tbl := genTable(rng, 6000, 0.1)
	defer tbl.Release()
	props := parquet.NewWriterProperties(parquet.WithDataPageSize(512), parquet.WithPageIndexEnabled(true),
		parquet.WithBloomFilterEnabled(true), parquet.WithDictionaryDefault(true), parquet.WithBatchSize(100),
		parquet.WithCompression(compress.Codecs.Snappy), parquet.WithMaxRowGroupLength(2500),
		parquet.WithStats(true), parquet.WithAllocator(memory.DefaultAllocator))
	return writeTable(t, tbl, 2500, props, pqarrow.DefaultWriterProps())
}

// TestPushdownDifferential runs random predicate sets over files with page
// indexes, dictionaries and bloom filters and checks that pushdown never
// loses a matching row.
func TestPushdownDifferential(t *testing.T) {
	files := map[string][]byte{"generated": pushdownFile(t)}
	for _, name := range []string{"alltypes_tiny_pages.parquet", "int32_with_null_pages.parquet", "fixed_length_byte_array.parquet",
		"data_index_bloom_encoding_stats.parquet", "data_index_bloom_encoding_with_length.parquet", "plain-dict-uncompressed-checksum.parquet",
		"rle-dict-snappy-checksum.parquet", "floating_orders_nan_count.parquet", "delta_encoding_required_column.parquet",
		"binary_truncated_min_max.parquet", "sort_columns.parquet", "datapage_v2.snappy.parquet"} {
		data, err := os.ReadFile(filepath.Join(corpusDir, "data", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = data
	}
	rng := rand.New(rand.NewSource(11))
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			f := openBytes(t, data, name)
			cols := supportedCols(f)
			all, _ := readRows(t, f, cols, ReaderOptions{}, 4096)
			iters := 60
			if testing.Short() {
				iters = 15
			}
			for it := 0; it < iters; it++ {
				var preds []Predicate
				for k := 0; k < 1+rng.Intn(2); k++ {
					j := rng.Intn(len(cols))
					var vals []coldata.Datum
					for _, row := range all {
						vals = append(vals, row[j])
					}
					preds = append(preds, randomPred(rng, f, cols[j], vals))
				}
				// Project a random subset that may leave predicate columns out.
				proj := cols
				if rng.Intn(2) == 0 {
					proj = []int{cols[rng.Intn(len(cols))]}
					for _, p := range preds {
						if rng.Intn(2) == 0 && p.Col != proj[0] {
							proj = append(proj, p.Col)
						}
					}
				}
				checkPushdown(t, f, proj, preds, []int{7, 100, 1024}[rng.Intn(3)])
			}
		})
	}
}

// TestPushdownMechanisms checks that each pruning mechanism actually fires.
func TestPushdownMechanisms(t *testing.T) {
	open := func(name string) *File {
		f, err := Open(filepath.Join(corpusDir, "data", name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	str := func(s string) coldata.Datum { return coldata.Datum{S: s} }
	// Bloom: a value absent from the filter but inside min/max.
	f := open("data_index_bloom_encoding_stats.parquet")
	st := checkPushdown(t, f, []int{0}, []Predicate{{Col: 0, Op: OpEq, Vals: []coldata.Datum{str("Ok")}}}, 1024)
	if st.RowsSkippedBloom != 14 {
		t.Errorf("bloom: %+v", st)
	}
	// Dictionary: all pages dictionary-encoded, no entry matches, the value
	// lies between min and max and there is no bloom filter.
	bld := array.NewStringBuilder(memory.DefaultAllocator)
	for i := 0; i < 3000; i++ {
		bld.Append([]string{"a", "c", "e"}[i%3])
	}
	arr := bld.NewArray()
	tbl := array.NewTableFromSlice(arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String}}, nil), [][]arrow.Array{{arr}})
	data := writeTable(t, tbl, 3000, parquet.NewWriterProperties(parquet.WithDictionaryDefault(true), parquet.WithDataPageSize(256)), pqarrow.DefaultWriterProps())
	tbl.Release()
	arr.Release()
	f = openBytes(t, data, "dict.parquet")
	st = checkPushdown(t, f, []int{0}, []Predicate{{Col: 0, Op: OpIn, Vals: []coldata.Datum{str("b"), str("d")}}}, 1024)
	if st.RowsSkippedDict != 3000 || st.PagesRead != 0 {
		t.Errorf("dictionary: %+v", st)
	}
	// A membership set (a join's runtime filter) is evaluated on the
	// dictionary too, then on rows by their dictionary index.
	st = checkPushdown(t, f, []int{0}, []Predicate{{Col: 0, Op: OpInSet, Set: newTestSet(coldata.TypeString, str("b"), str("d"))}}, 1024)
	if st.RowsSkippedDict != 3000 || st.PagesRead != 0 {
		t.Errorf("dictionary, set: %+v", st)
	}
	st = checkPushdown(t, f, []int{0}, []Predicate{{Col: 0, Op: OpInSet, Set: newTestSet(coldata.TypeString, str("c"))}}, 1024)
	if st.RowsSkippedLate != 2000 {
		t.Errorf("set, late: %+v", st)
	}
	// Page index: int32_with_null_pages has ten pages of 100 rows.
	f = open("alltypes_tiny_pages.parquet")
	st = checkPushdown(t, f, supportedCols(f), []Predicate{{Col: 0, Op: OpBetween, Vals: []coldata.Datum{{I: 100}, {I: 120}}}}, 1024)
	if st.RowsSkippedPageIndex < 7000 || st.PagesSkipped == 0 {
		t.Errorf("page index: %+v", st)
	}
	if got := fmt.Sprint(st.RowsTotal); got != "7300" {
		t.Errorf("rows total %s", got)
	}
}

func TestExactStats(t *testing.T) {
	data, err := os.ReadFile(lineitemPath)
	if err != nil {
		t.Fatal(err)
	}
	f := openBytes(t, data, lineitemPath)
	rows, _ := readRows(t, f, supportedCols(f), ReaderOptions{}, 4096)
	for c, col := range f.Columns() {
		lo, hi, nulls, ok := f.ExactStats(c)
		if !ok {
			continue
		}
		var wlo, whi coldata.Datum
		wlo, whi = coldata.NullDatum, coldata.NullDatum
		var wn int64
		for _, row := range rows {
			d := row[c]
			if d.Null {
				wn++
				continue
			}
			if wlo.Null || coldata.Compare(col.Type, d, wlo) < 0 {
				wlo = d
			}
			if whi.Null || coldata.Compare(col.Type, d, whi) > 0 {
				whi = d
			}
		}
		if !sameDatum(col.Type, lo, wlo) || !sameDatum(col.Type, hi, whi) || nulls != wn {
			t.Errorf("%s: ExactStats %v %v %d, data %v %v %d", col.Name, lo, hi, nulls, wlo, whi, wn)
		}
	}
	if _, _, _, ok := f.ExactStats(0); !ok {
		t.Error("lineitem l_orderkey has exact statistics")
	}
	_ = bytes.MinRead
}
