package scan

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	pqfile "github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// genNestedTable builds random nested columns: NULL lists, NULL elements
// and empty lists at rate nullFrac, long runs of empty lists now and then.
func genNestedTable(rng *rand.Rand, n int, nullFrac float64) arrow.Table {
	mem := memory.DefaultAllocator
	ab := arrow.StructOf(arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true})
	xy := arrow.StructOf(arrow.Field{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: "y", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true})
	fields := []arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "li", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64), Nullable: true},
		{Name: "ls", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
		{Name: "st", Type: ab, Nullable: true},
		{Name: "m", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64), Nullable: true},
		{Name: "lst", Type: arrow.ListOf(xy), Nullable: true},
		{Name: "ll", Type: arrow.ListOf(arrow.ListOf(arrow.PrimitiveTypes.Int32)), Nullable: true},
		{Name: "req", Type: arrow.ListOfNonNullable(arrow.PrimitiveTypes.Int32), Nullable: false},
	}
	schema := arrow.NewSchema(fields, nil)
	bld := array.NewRecordBuilder(mem, schema)
	defer bld.Release()
	words := []string{"", "a", "MAIL", "TRUCK", "DELIVER IN PERSON", "ñandú"}
	var fill func(b array.Builder, nullable bool)
	fill = func(b array.Builder, nullable bool) {
		if nullable && rng.Float64() < nullFrac {
			b.AppendNull()
			return
		}
		switch b := b.(type) {
		case *array.Int32Builder:
			b.Append(int32(rng.Intn(100)))
		case *array.Int64Builder:
			b.Append(rng.Int63n(1000) - 500)
		case *array.StringBuilder:
			b.Append(words[rng.Intn(len(words))])
		case *array.MapBuilder:
			b.Append(true)
			for k := rng.Intn(4); k > 0; k-- {
				b.KeyBuilder().(*array.StringBuilder).Append(fmt.Sprintf("k%d", rng.Intn(50)))
				fill(b.ItemBuilder(), true)
			}
		case *array.ListBuilder:
			b.Append(true)
			k := rng.Intn(5)
			if rng.Intn(10) == 0 {
				k = 0
			}
			for ; k > 0; k-- {
				fill(b.ValueBuilder(), b.Type().(*arrow.ListType).ElemField().Nullable)
			}
		case *array.StructBuilder:
			b.Append(true)
			for f := 0; f < b.NumField(); f++ {
				fill(b.FieldBuilder(f), true)
			}
		default:
			panic(fmt.Sprintf("no generator for %T", b))
		}
	}
	for i := 0; i < n; i++ {
		bld.Field(0).(*array.Int64Builder).Append(int64(i))
		for c := 1; c < len(fields); c++ {
			fill(bld.Field(c), fields[c].Nullable)
		}
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	return array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
}

// TestNestedDifferential writes random nested data with arrow-go's pqarrow
// writer under several layouts and reads it back with ours at several
// batch sizes, comparing with the original arrays.
func TestNestedDifferential(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	pageSizes := []int64{200, 4096, 1 << 20}
	rowGroups := []int64{333, 1000, 5000}
	combo := 0
	for _, v2 := range []bool{false, true} {
		for _, dict := range []bool{false, true} {
			for _, nullFrac := range []float64{0, 0.25} {
				combo++
				pageSize := pageSizes[combo%len(pageSizes)]
				rowGroup := rowGroups[(combo/2)%len(rowGroups)]
				name := fmt.Sprintf("v2=%v/dict=%v/nulls=%v/page=%d/rg=%d", v2, dict, nullFrac, pageSize, rowGroup)
				t.Run(name, func(t *testing.T) {
					tbl := genNestedTable(rng, 1500, nullFrac)
					defer tbl.Release()
					ver := parquet.DataPageV1
					if v2 {
						ver = parquet.DataPageV2
					}
					codec := compress.Codecs.Snappy
					if combo%2 == 0 {
						codec = compress.Codecs.Zstd
					}
					props := parquet.NewWriterProperties(parquet.WithCompression(codec), parquet.WithDataPageVersion(ver),
						parquet.WithDictionaryDefault(dict), parquet.WithDataPageSize(pageSize), parquet.WithBatchSize(64),
						parquet.WithMaxRowGroupLength(rowGroup))
					data := writeTable(t, tbl, rowGroup, props, pqarrow.NewArrowWriterProperties())
					f := openBytes(t, data, name)
					if f.NumRowGroups() < 2 && rowGroup < 1500 {
						t.Fatalf("%d row groups", f.NumRowGroups())
					}
					types := columnTypes(f)
					want := make([][]coldata.Datum, len(types))
					for c, typ := range types {
						if typ.ID == coldata.Unknown {
							t.Fatalf("column %d unreadable: %s", c, f.Columns()[c].Unsupported)
						}
						for _, chunk := range tbl.Column(c).Data().Chunks() {
							for r := 0; r < chunk.Len(); r++ {
								d, err := arrowDatum(chunk, r, typ)
								if err != nil {
									t.Fatal(err)
								}
								want[c] = append(want[c], d)
							}
						}
					}
					all := supportedCols(f)
					for _, batch := range []int{1, 7, 1024} {
						for _, cols := range [][]int{all, {3}, {5, 0}, {6, 1, 4}} {
							got, err := readAll(t, f, cols, batch)
							if err != nil {
								t.Fatalf("batch %d cols %v: %v", batch, cols, err)
							}
							compareColumns(t, f, cols, got, want, fmt.Sprintf("%s batch %d", name, batch))
						}
					}
				})
			}
		}
	}
}

// BenchmarkNestedScan reads a list<int64> and a struct<a int32, b string>
// column of 200K rows with our reader and with arrow-go's pqarrow.
func BenchmarkNestedScan(b *testing.B) {
	rng := rand.New(rand.NewSource(3))
	tbl := genNestedTable(rng, 200_000, 0.1)
	defer tbl.Release()
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithMaxRowGroupLength(100_000))
	data := writeTable(b, tbl, 100_000, props, pqarrow.NewArrowWriterProperties())
	f := openBytes(b, data, "bench")
	cols := []int{1, 3}
	types := []coldata.Type{f.Columns()[1].Type, f.Columns()[3].Type}
	b.Run("peregrine", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			bt := coldata.NewBatch(types, 0)
			rows := 0
			for rg := 0; rg < f.NumRowGroups(); rg++ {
				r, err := f.NewReader(rg, cols)
				if err != nil {
					b.Fatal(err)
				}
				for {
					n, err := r.Next(bt, coldata.DefaultBatchSize)
					if err != nil {
						break
					}
					rows += n
				}
				r.Close()
			}
			if rows != 200_000 {
				b.Fatalf("%d rows", rows)
			}
		}
	})
	b.Run("pqarrow", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			rdr, err := pqfile.NewParquetReader(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: coldata.DefaultBatchSize}, memory.DefaultAllocator)
			if err != nil {
				b.Fatal(err)
			}
			rr, err := fr.GetRecordReader(context.Background(), []int{1, 3, 4}, nil) // leaves of li, st.a, st.b
			if err != nil {
				b.Fatal(err)
			}
			rows := 0
			for rr.Next() {
				rows += int(rr.RecordBatch().NumRows())
			}
			rr.Release()
			if rows != 200_000 {
				b.Fatalf("%d rows", rows)
			}
		}
	})
}

// TestNestedWithPushdown reads nested columns beside a flat predicate
// column through page-index pruning and late materialisation: the rows
// returned for a range of ids carry their own nested values.
func TestNestedWithPushdown(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	tbl := genNestedTable(rng, 3000, 0.2)
	defer tbl.Release()
	props := parquet.NewWriterProperties(parquet.WithDataPageSize(256), parquet.WithPageIndexEnabled(true),
		parquet.WithBatchSize(32), parquet.WithDictionaryDefault(false), parquet.WithMaxRowGroupLength(2000))
	data := writeTable(t, tbl, 2000, props, pqarrow.NewArrowWriterProperties())
	f := openBytes(t, data, "pushdown")
	types := columnTypes(f)
	want := make([][]coldata.Datum, len(types))
	for c, typ := range types {
		for _, chunk := range tbl.Column(c).Data().Chunks() {
			for r := 0; r < chunk.Len(); r++ {
				d, err := arrowDatum(chunk, r, typ)
				if err != nil {
					t.Fatal(err)
				}
				want[c] = append(want[c], d)
			}
		}
	}
	cols := []int{5, 0, 3, 6}
	for _, rng := range [][2]int64{{100, 140}, {1990, 2100}, {2900, 3000}} {
		pred := Predicate{Col: 0, Op: OpBetween, Vals: []coldata.Datum{{I: rng[0]}, {I: rng[1]}}}
		seen := 0
		var skipped int64
		for rg := 0; rg < f.NumRowGroups(); rg++ {
			r, err := f.NewReaderWith(rg, cols, ReaderOptions{Preds: []Predicate{pred}})
			if err != nil {
				t.Fatal(err)
			}
			b := coldata.NewBatch([]coldata.Type{types[5], types[0], types[3], types[6]}, 0)
			for {
				_, err := r.Next(b, 50)
				if err != nil {
					break
				}
				for k := 0; k < b.Len(); k++ {
					row := b.Row(k)
					id := row[1].I
					if id < rng[0] || id > rng[1] {
						continue
					}
					seen++
					for j, c := range cols {
						if !sameDatum(types[c], row[j], want[c][id]) {
							t.Fatalf("id %d column %d: %s, want %s", id, c, coldata.Format(types[c], row[j]), coldata.Format(types[c], want[c][id]))
						}
					}
				}
			}
			skipped += r.Stats().RowsSkippedPageIndex
			r.Close()
		}
		if seen != int(min(rng[1], 2999)-rng[0]+1) {
			t.Fatalf("range %v: %d rows", rng, seen)
		}
		if skipped == 0 {
			t.Fatalf("range %v: the page index skipped nothing", rng)
		}
	}
}
