package scan

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// ndvTestFile writes 3 row groups of 1000 rows: "few" cycles through 7
// values (a complete dictionary), "many" is unique (its dictionary
// overflows the 512-byte limit and falls back to PLAIN), "plain" is
// written without a dictionary, "str" cycles through 40 strings with a
// NULL every 10th row.
func ndvTestFile(t *testing.T) []byte {
	t.Helper()
	mem := memory.DefaultAllocator
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "few", Type: arrow.PrimitiveTypes.Int64},
		{Name: "many", Type: arrow.PrimitiveTypes.Int64},
		{Name: "plain", Type: arrow.PrimitiveTypes.Int64},
		{Name: "str", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	bld := array.NewRecordBuilder(mem, schema)
	defer bld.Release()
	for i := 0; i < 3000; i++ {
		bld.Field(0).(*array.Int64Builder).Append(int64(i % 7))
		bld.Field(1).(*array.Int64Builder).Append(int64(i))
		bld.Field(2).(*array.Int64Builder).Append(int64(i % 5))
		if i%10 == 0 {
			bld.Field(3).(*array.StringBuilder).AppendNull()
		} else {
			bld.Field(3).(*array.StringBuilder).Append(fmt.Sprintf("value-%02d", i%40))
		}
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	tbl := array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
	defer tbl.Release()
	props := parquet.NewWriterProperties(
		parquet.WithDictionaryDefault(true),
		parquet.WithDictionaryFor("plain", false),
		parquet.WithDictionaryPageSizeLimit(512),
		parquet.WithDataPageSize(256),
		parquet.WithBatchSize(64),
		parquet.WithMaxRowGroupLength(1000),
	)
	return writeTable(t, tbl, 1000, props, pqarrow.DefaultWriterProps())
}

func TestChunkNDV(t *testing.T) {
	data := ndvTestFile(t)
	f := openBytes(t, data, "ndv.parquet")
	if f.NumRowGroups() != 3 {
		t.Fatalf("%d row groups", f.NumRowGroups())
	}
	// str: every row group of 1000 rows holds all 40 strings except those
	// on NULL rows (i%10 == 0, i.e. i%40 in {0, 10, 20, 30}): 36.
	cases := []struct {
		col    int
		source NDVSource
		ndv    int64
	}{
		{0, NDVDictionary, 7},
		{2, NDVPlain, 0},
		{3, NDVDictionary, 36},
	}
	for rg := 0; rg < 3; rg++ {
		for _, c := range cases {
			got := f.ChunkNDV(rg, c.col)
			if got.Source != c.source || got.NDV != c.ndv || got.Rows != 1000 {
				t.Errorf("rg %d col %d: got %+v (%s), want %s %d", rg, c.col, got, got.Source, c.source, c.ndv)
			}
		}
		// The unique column's dictionary overflows: its size is only a
		// lower bound on the chunk's distinct values.
		if got := f.ChunkNDV(rg, 1); got.Source != NDVDictionaryFallback || got.NDV <= 0 || got.NDV >= 1000 {
			t.Errorf("rg %d many: got %+v (%s), want a dictionary fallback", rg, got, got.Source)
		}
	}
	if got := f.ChunkNDV(5, 0); got.Source != NDVNone {
		t.Errorf("out of range row group: %+v", got)
	}

	// A writer's distinct_count wins, without reading any page.
	md := f.md.RowGroups[1].Columns[f.leaves[2].leaf].MetaData
	if md.Statistics != nil {
		dc := int64(5)
		md.Statistics.DistinctCount = &dc
		if got := f.ChunkNDV(1, 2); got.Source != NDVFooter || got.NDV != 5 {
			t.Errorf("footer distinct_count: got %+v", got)
		}
	}

	// A corrupt dictionary page header gives no estimate, not an error.
	md = f.md.RowGroups[0].Columns[f.leaves[0].leaf].MetaData
	off := md.DataPageOffset
	if d := md.DictionaryPageOffset; d != nil && *d >= 4 && *d < off {
		off = *d
	}
	bad := bytes.Clone(data)
	for i := off; i < off+16; i++ {
		bad[i] = 0xff
	}
	g := openBytes(t, bad, "corrupt.parquet")
	if got := g.ChunkNDV(0, 0); got.Source != NDVNone || got.NDV != 0 {
		t.Errorf("corrupt header: got %+v (%s), want none", got, got.Source)
	}
	if got := g.ChunkNDV(1, 0); got.Source != NDVDictionary || got.NDV != 7 {
		t.Errorf("intact row group of the corrupt file: got %+v", got)
	}
	// A header that is a data page, not a dictionary: no estimate.
	bad = bytes.Clone(data)
	md = f.md.RowGroups[0].Columns[f.leaves[2].leaf].MetaData
	bad2 := openBytes(t, bad, "x.parquet")
	if n, ok := readDictHeader(bytes.NewReader(bad), md.DataPageOffset, bad2.dataEnd); ok {
		t.Errorf("data page read as a dictionary of %d", n)
	}
	// Offsets outside the data are rejected.
	if _, ok := readDictHeader(bytes.NewReader(data), 0, f.dataEnd); ok {
		t.Error("offset 0 accepted")
	}
	if _, ok := readDictHeader(bytes.NewReader(data), f.dataEnd, f.dataEnd); ok {
		t.Error("offset at the footer accepted")
	}
}
