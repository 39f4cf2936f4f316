package scan

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

const lineitemPath = "testdata/lineitem.parquet"

// BenchmarkScanLineitem reads every column of TPC-H lineitem (SF 0.01,
// written by DuckDB: snappy, dictionary pages v1) with our reader.
func BenchmarkScanLineitem(b *testing.B) {
	data, err := os.ReadFile(lineitemPath)
	if err != nil {
		b.Fatal(err)
	}
	f, err := NewFile(bytes.NewReader(data), int64(len(data)), lineitemPath)
	if err != nil {
		b.Fatal(err)
	}
	cols := supportedCols(f)
	types := make([]coldata.Type, len(cols))
	for i, c := range cols {
		types[i] = f.Columns()[c].Type
	}
	batch := coldata.NewBatch(types, 0)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows := 0
		for rg := 0; rg < f.NumRowGroups(); rg++ {
			r, err := f.NewReader(rg, cols)
			if err != nil {
				b.Fatal(err)
			}
			for {
				n, err := r.Next(batch, coldata.DefaultBatchSize)
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				rows += n
			}
			r.Close()
		}
		if rows != 60175 {
			b.Fatalf("read %d rows", rows)
		}
	}
}

// BenchmarkScanLineitemArrow reads the same file with arrow-go's pqarrow
// reader into Arrow record batches, for comparison.
func BenchmarkScanLineitemArrow(b *testing.B) {
	data, err := os.ReadFile(lineitemPath)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pf, err := file.NewParquetReader(bytes.NewReader(data), file.WithReadProps(parquet.NewReaderProperties(memory.DefaultAllocator)))
		if err != nil {
			b.Fatal(err)
		}
		fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: coldata.DefaultBatchSize}, memory.DefaultAllocator)
		if err != nil {
			b.Fatal(err)
		}
		rr, err := fr.GetRecordReader(context.Background(), nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		rows := 0
		for rr.Next() {
			rows += int(rr.RecordBatch().NumRows())
		}
		if err := rr.Err(); err != nil && err != io.EOF {
			b.Fatal(err)
		}
		rr.Release()
		pf.Close()
		if rows != 60175 {
			b.Fatalf("read %d rows", rows)
		}
	}
}
