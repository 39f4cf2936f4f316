package scan

import (
	"fmt"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// pruneFile writes 4 row groups of 100 rows with known value ranges:
//
//	col       rg0            rg1            rg2            rg3
//	i         0..99          100..199       200..299       300..399
//	s         "apple"+k      "banana"+k     "cherry"+k     NULL
//	d         0..99          1000..1099     2000..2099     3000..3099
//	dec       -1.00..-0.01   0.00..0.99     1.00..1.99     2.00..2.99 (k/100 + base)
//	n         1..100         nulls + 5      NULL           7 (constant)
//	f         0..99.5        -50..-0.5      0.5            1e9..
//	nostats   (no statistics written)
//	u         2^32-100+k     k              k              k
//	ts        ms since epoch = i*1000
func pruneFile(t testing.TB) *File {
	t.Helper()
	mem := memory.DefaultAllocator
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: arrow.PrimitiveTypes.Int64},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32},
		{Name: "dec", Type: &arrow.Decimal128Type{Precision: 9, Scale: 2}},
		{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64},
		{Name: "nostats", Type: arrow.PrimitiveTypes.Int64},
		{Name: "u", Type: arrow.PrimitiveTypes.Uint32},
		{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Millisecond}},
		// Precision above 18 is stored as FIXED_LEN_BYTE_ARRAY.
		{Name: "fdec", Type: &arrow.Decimal128Type{Precision: 20, Scale: 3}},
	}, nil)
	bld := array.NewRecordBuilder(mem, schema)
	defer bld.Release()
	for rg := 0; rg < 4; rg++ {
		for k := 0; k < 100; k++ {
			i := rg*100 + k
			bld.Field(0).(*array.Int64Builder).Append(int64(i))
			if rg == 3 {
				bld.Field(1).AppendNull()
			} else {
				bld.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("%s%02d", []string{"apple", "banana", "cherry"}[rg], k))
			}
			bld.Field(2).(*array.Date32Builder).Append(arrow.Date32(rg*1000 + k))
			bld.Field(3).(*array.Decimal128Builder).Append(decimal128.FromI64(int64((rg-1)*100 + k)))
			switch {
			case rg == 0:
				bld.Field(4).(*array.Int32Builder).Append(int32(k + 1))
			case rg == 1 && k%2 == 0:
				bld.Field(4).AppendNull()
			case rg == 1:
				bld.Field(4).(*array.Int32Builder).Append(5)
			case rg == 2:
				bld.Field(4).AppendNull()
			default:
				bld.Field(4).(*array.Int32Builder).Append(7)
			}
			f := []float64{float64(k) / 2, -50 + float64(k)/2, 0.5, 1e9 + float64(k)}[rg]
			bld.Field(5).(*array.Float64Builder).Append(f)
			bld.Field(6).(*array.Int64Builder).Append(int64(i))
			u := uint32(k)
			if rg == 0 {
				u = math.MaxUint32 - 100 + uint32(k)
			}
			bld.Field(7).(*array.Uint32Builder).Append(u)
			bld.Field(8).(*array.TimestampBuilder).Append(arrow.Timestamp(i * 1000))
			bld.Field(9).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i*10 - 2000)))
		}
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	tbl := array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
	defer tbl.Release()
	props := parquet.NewWriterProperties(parquet.WithStatsFor("nostats", false), parquet.WithMaxRowGroupLength(100),
		parquet.WithStoreDecimalAsInteger(true))
	data := writeTable(t, tbl, 100, props, pqarrow.NewArrowWriterProperties())
	f := openBytes(t, data, "prune.parquet")
	if f.NumRowGroups() != 4 {
		t.Fatalf("%d row groups", f.NumRowGroups())
	}
	return f
}

func TestColumnStats(t *testing.T) {
	f := pruneFile(t)
	dec := coldata.DecimalType(9, 2)
	cases := []struct {
		col, rg  int
		min, max coldata.Datum
		nulls    int64
		minmax   bool
		exact    bool
	}{
		{0, 1, coldata.Datum{I: 100}, coldata.Datum{I: 199}, 0, true, true},
		{1, 1, coldata.Datum{S: "banana00"}, coldata.Datum{S: "banana99"}, 0, true, false},
		{1, 3, coldata.Datum{}, coldata.Datum{}, 100, false, false},
		{2, 2, coldata.Datum{I: 2000}, coldata.Datum{I: 2099}, 0, true, true},
		{3, 0, coldata.Datum{I: -100}, coldata.Datum{I: -1}, 0, true, true},
		{4, 1, coldata.Datum{I: 5}, coldata.Datum{I: 5}, 50, true, true},
		{7, 0, coldata.Datum{I: math.MaxUint32 - 100}, coldata.Datum{I: math.MaxUint32 - 1}, 0, true, true},
		{8, 1, coldata.Datum{I: 100 * 1000 * 1000}, coldata.Datum{I: 199 * 1000 * 1000}, 0, true, true},
		{9, 0, coldata.Datum{I: -2000}, coldata.Datum{I: -1010}, 0, true, true},
	}
	for _, c := range cases {
		st, ok := f.ColumnStats(c.rg, c.col)
		if !ok || st.HasMinMax != c.minmax || !st.HasNullCount || st.NullCount != c.nulls {
			t.Errorf("col %d rg %d: %+v ok=%v", c.col, c.rg, st, ok)
			continue
		}
		typ := f.Columns()[c.col].Type
		if c.minmax && (!sameDatum(typ, st.Min, c.min) || !sameDatum(typ, st.Max, c.max) || st.Exact != c.exact) {
			t.Errorf("col %d rg %d: min %s max %s exact %v", c.col, c.rg, coldata.Format(typ, st.Min), coldata.Format(typ, st.Max), st.Exact)
		}
	}
	if f.leaves[9].dk != dkFLBADec {
		t.Errorf("fdec decodes as %d", f.leaves[9].dk)
	}
	if f.Columns()[3].Type != dec {
		t.Errorf("dec is %s", f.Columns()[3].Type)
	}
	if _, ok := f.ColumnStats(0, 6); ok {
		t.Error("stats for a column written without them")
	}
	if _, ok := f.ColumnStats(9, 0); ok {
		t.Error("stats for a row group out of range")
	}
}

func TestRowGroupMayMatch(t *testing.T) {
	f := pruneFile(t)
	i := func(v int64) coldata.Datum { return coldata.Datum{I: v} }
	s := func(v string) coldata.Datum { return coldata.Datum{S: v} }
	fl := func(v float64) coldata.Datum { return coldata.Datum{F: v} }
	p := func(col int, op Op, vals ...coldata.Datum) Predicate { return Predicate{Col: col, Op: op, Vals: vals} }
	cases := []struct {
		name  string
		preds []Predicate
		want  string // one char per row group: 1 may match, 0 pruned
	}{
		{"none", nil, "1111"},
		{"eq", []Predicate{p(0, OpEq, i(150))}, "0100"},
		{"eq miss", []Predicate{p(0, OpEq, i(1000))}, "0000"},
		{"ne", []Predicate{p(4, OpNe, i(7))}, "1100"},
		{"lt", []Predicate{p(0, OpLt, i(100))}, "1000"},
		{"le", []Predicate{p(0, OpLe, i(100))}, "1100"},
		{"gt", []Predicate{p(0, OpGt, i(299))}, "0001"},
		{"ge", []Predicate{p(0, OpGe, i(299))}, "0011"},
		{"between", []Predicate{p(0, OpBetween, i(150), i(250))}, "0110"},
		{"between empty", []Predicate{p(0, OpBetween, i(250), i(150))}, "0000"},
		{"in", []Predicate{p(0, OpIn, i(5), i(350), coldata.NullDatum)}, "1001"},
		{"in none", []Predicate{p(0, OpIn, i(-5))}, "0000"},
		{"is null", []Predicate{p(4, OpIsNull)}, "0110"},
		{"is not null", []Predicate{p(4, OpIsNotNull)}, "1101"},
		{"string eq", []Predicate{p(1, OpEq, s("banana42"))}, "0100"},
		{"string lt", []Predicate{p(1, OpLt, s("b"))}, "1000"},
		{"string prefix range", []Predicate{p(1, OpBetween, s("banana"), s("bananb"))}, "0100"},
		{"all-null column compared", []Predicate{p(1, OpGt, s(""))}, "1110"},
		{"string is null", []Predicate{p(1, OpIsNull)}, "0001"},
		{"date", []Predicate{p(2, OpGe, i(1050)), p(2, OpLt, i(2000))}, "0100"},
		{"decimal", []Predicate{p(3, OpLt, i(0))}, "1000"},
		{"decimal flba", []Predicate{p(9, OpGe, i(990))}, "0011"},
		{"decimal between", []Predicate{p(3, OpBetween, i(50), i(150))}, "0110"},
		{"unsigned", []Predicate{p(7, OpGt, i(1000))}, "1000"},
		{"timestamp", []Predicate{p(8, OpLt, i(100_000_000))}, "1000"},
		{"conjunction", []Predicate{p(0, OpGe, i(100)), p(4, OpEq, i(7))}, "0001"},
		{"no stats", []Predicate{p(6, OpEq, i(-1))}, "1111"},
		{"null constant", []Predicate{p(0, OpEq, coldata.NullDatum)}, "0000"},
		{"float lt", []Predicate{p(5, OpLt, fl(0))}, "0100"},
		// NaN is not in float statistics and sorts above every number, so
		// max cannot prune "greater than" unless nan_count says none.
		{"float gt", []Predicate{p(5, OpGt, fl(2e9))}, "1111"},
		{"float eq", []Predicate{p(5, OpEq, fl(0.5))}, "1010"},
		{"float nan constant", []Predicate{p(5, OpEq, fl(math.NaN()))}, "1111"},
		{"bad column", []Predicate{p(99, OpEq, i(1))}, "1111"},
		{"wrong arity", []Predicate{p(0, OpBetween, i(1))}, "1111"},
	}
	for _, c := range cases {
		got := ""
		for rg := 0; rg < f.NumRowGroups(); rg++ {
			if f.RowGroupMayMatch(rg, c.preds) {
				got += "1"
			} else {
				got += "0"
			}
		}
		if got != c.want {
			t.Errorf("%s: got %s want %s", c.name, got, c.want)
		}
	}
}

func TestStatsFromTestdata(t *testing.T) {
	// Truncated string statistics are bounds but not exact.
	f, err := Open("testdata/binary_truncated_min_max.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vals, err := readAll(t, f, supportedCols(f), 100)
	if err != nil {
		t.Fatal(err)
	}
	for c := range f.Columns() {
		st, ok := f.ColumnStats(0, c)
		if !ok || !st.HasMinMax {
			t.Fatalf("column %d: no stats", c)
		}
		wantExact := c >= 4
		if st.Exact != wantExact {
			t.Errorf("column %s: exact %v", f.Columns()[c].Name, st.Exact)
		}
		for _, v := range vals[c] {
			if v.S < st.Min.S || v.S > st.Max.S {
				t.Errorf("column %s: %q outside [%q, %q]", f.Columns()[c].Name, v.S, st.Min.S, st.Max.S)
			}
		}
	}

	// parquet-mr 1.8 wrote only the deprecated min/max: trusted for signed
	// integers, not for strings (signed byte order) nor doubles.
	g, err := Open("testdata/datapage_v2.snappy.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if st, _ := g.ColumnStats(0, 1); !st.HasMinMax || st.Min.I != 1 || st.Max.I != 5 {
		t.Errorf("int column: %+v", st)
	}
	if st, _ := g.ColumnStats(0, 0); st.HasMinMax || !st.HasNullCount || st.NullCount != 1 {
		t.Errorf("string column: %+v", st)
	}
	if st, _ := g.ColumnStats(0, 2); st.HasMinMax {
		t.Errorf("double column: %+v", st)
	}
	if g.RowGroupMayMatch(0, []Predicate{{Col: 1, Op: OpGt, Vals: []coldata.Datum{{I: 5}}}}) {
		t.Error("b > 5 not pruned")
	}
	if !g.RowGroupMayMatch(0, []Predicate{{Col: 0, Op: OpEq, Vals: []coldata.Datum{{S: "zzz"}}}}) {
		t.Error("pruned on untrusted string statistics")
	}

	// Unsigned 64-bit min_value without declared column order: unused.
	h, err := Open("testdata/concatenated_gzip_members.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if st, _ := h.ColumnStats(0, 0); st.HasMinMax {
		t.Errorf("uint64 column: %+v", st)
	}

	// DuckDB's lineitem: exact statistics, decimals scaled, dates in days.
	l, err := Open("testdata/lineitem.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	st, _ := l.ColumnStats(0, 4) // l_quantity DECIMAL(15,2)
	if st.Min.I != 100 || st.Max.I != 5000 || !st.Exact {
		t.Errorf("l_quantity: %+v", st)
	}
	st, _ = l.ColumnStats(0, 10) // l_shipdate
	if coldata.FormatDate(int32(st.Min.I)) != "1992-01-04" {
		t.Errorf("l_shipdate min %s", coldata.FormatDate(int32(st.Min.I)))
	}
}
