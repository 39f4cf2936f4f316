package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// This file holds the reference side of the differential tests: arrow-go's
// own Parquet reader, with its results converted to the datums our reader
// should produce.

// arrowColumns reads every top-level column of the file with pqarrow and
// returns each as datums in our representation for type types[i]. Columns
// whose type is Unknown are skipped (nil).
func arrowColumns(t testing.TB, data parquet.ReaderAtSeeker, types []coldata.Type) [][]coldata.Datum {
	t.Helper()
	tbl, err := pqarrow.ReadTable(context.Background(), data, parquet.NewReaderProperties(memory.DefaultAllocator),
		pqarrow.ArrowReadProperties{BatchSize: 1024}, memory.DefaultAllocator)
	if err != nil {
		t.Fatalf("arrow-go cannot read the file: %v", err)
	}
	defer tbl.Release()
	if int(tbl.NumCols()) != len(types) {
		t.Fatalf("arrow-go sees %d columns, we see %d", tbl.NumCols(), len(types))
	}
	out := make([][]coldata.Datum, len(types))
	for i, typ := range types {
		if typ.ID == coldata.Unknown {
			continue
		}
		var col []coldata.Datum
		for _, chunk := range tbl.Column(i).Data().Chunks() {
			for r := 0; r < chunk.Len(); r++ {
				d, err := arrowDatum(chunk, r, typ)
				if err != nil {
					t.Fatalf("column %d row %d: %v", i, r, err)
				}
				col = append(col, d)
			}
		}
		out[i] = col
	}
	return out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

func toMicros(v int64, unit arrow.TimeUnit) int64 {
	switch unit {
	case arrow.Second:
		return v * 1e6
	case arrow.Millisecond:
		return v * 1e3
	case arrow.Nanosecond:
		return floorDiv(v, 1e3)
	}
	return v
}

func arrowDatum(a arrow.Array, i int, typ coldata.Type) (coldata.Datum, error) {
	if a.IsNull(i) {
		return coldata.NullDatum, nil
	}
	if typ.IsNested() {
		return arrowNested(a, i, typ)
	}
	switch a := a.(type) {
	case *array.Boolean:
		return coldata.Datum{B: a.Value(i)}, nil
	case *array.Int8:
		return coldata.Datum{I: int64(a.Value(i))}, nil
	case *array.Int16:
		return coldata.Datum{I: int64(a.Value(i))}, nil
	case *array.Int32:
		return coldata.Datum{I: int64(a.Value(i))}, nil
	case *array.Int64:
		return coldata.Datum{I: a.Value(i)}, nil
	case *array.Uint8:
		return coldata.Datum{I: int64(a.Value(i))}, nil
	case *array.Uint16:
		return coldata.Datum{I: int64(a.Value(i))}, nil
	case *array.Uint32:
		return coldata.Datum{I: int64(a.Value(i))}, nil
	case *array.Uint64:
		return coldata.Datum{I: int64(a.Value(i))}, nil
	case *array.Float16:
		return coldata.Datum{F: float64(a.Value(i).Float32())}, nil
	case *array.Float32:
		return coldata.Datum{F: float64(a.Value(i))}, nil
	case *array.Float64:
		return coldata.Datum{F: a.Value(i)}, nil
	case *array.String:
		return coldata.Datum{S: a.Value(i)}, nil
	case *array.LargeString:
		return coldata.Datum{S: a.Value(i)}, nil
	case *array.Binary:
		if typ.ID == coldata.Decimal {
			x, ok := decimalFromBE(a.Value(i))
			if !ok {
				return coldata.Datum{}, errors.New("decimal overflow")
			}
			return coldata.Datum{I: x}, nil
		}
		return coldata.Datum{S: string(a.Value(i))}, nil
	case *array.FixedSizeBinary:
		return coldata.Datum{S: string(a.Value(i))}, nil
	case *array.Date32:
		return coldata.Datum{I: int64(a.Value(i))}, nil
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return coldata.Datum{I: toMicros(int64(a.Value(i)), unit)}, nil
	case *array.Time32:
		unit := a.DataType().(*arrow.Time32Type).Unit
		return coldata.Datum{I: toMicros(int64(a.Value(i)), unit)}, nil
	case *array.Time64:
		unit := a.DataType().(*arrow.Time64Type).Unit
		return coldata.Datum{I: toMicros(int64(a.Value(i)), unit)}, nil
	case *array.Decimal32:
		return coldata.Datum{I: int64(a.Value(i))}, nil
	case *array.Decimal64:
		return coldata.Datum{I: int64(a.Value(i))}, nil
	case *array.Decimal128:
		v := a.Value(i)
		lo := int64(v.LowBits())
		if (lo < 0 && v.HighBits() != -1) || (lo >= 0 && v.HighBits() != 0) {
			return coldata.Datum{}, errors.New("decimal overflow")
		}
		return coldata.Datum{I: lo}, nil
	}
	return coldata.Datum{}, fmt.Errorf("unhandled arrow type %s", a.DataType())
}

// readAll reads columns cols of every row group of f with batches of at
// most batch rows and returns them as datums, checking the batch contract
// on the way.
func readAll(t testing.TB, f *File, cols []int, batch int) ([][]coldata.Datum, error) {
	t.Helper()
	types := make([]coldata.Type, len(cols))
	for i, c := range cols {
		types[i] = f.Columns()[c].Type
	}
	out := make([][]coldata.Datum, len(cols))
	b := coldata.NewBatch(types, 0)
	for rg := 0; rg < f.NumRowGroups(); rg++ {
		r, err := f.NewReader(rg, cols)
		if err != nil {
			return nil, err
		}
		got := int64(0)
		for {
			b.Sel = []int32{0} // must be cleared by Next
			n, err := r.Next(b, batch)
			if err == io.EOF {
				break
			}
			if err != nil {
				r.Close()
				return nil, err
			}
			if n <= 0 || n > batch || b.N != n || b.Sel != nil {
				t.Fatalf("Next returned n=%d b.N=%d sel=%v for batch %d", n, b.N, b.Sel, batch)
			}
			for i, v := range b.Vecs {
				if v.Len() != n || (v.Nulls != nil && len(v.Nulls) != n) {
					t.Fatalf("vector %d has length %d (nulls %d), want %d", i, v.Len(), len(v.Nulls), n)
				}
				for k := 0; k < n; k++ {
					out[i] = append(out[i], v.Get(k))
				}
			}
			got += int64(n)
		}
		if got != f.RowGroupNumRows(rg) {
			t.Fatalf("row group %d: read %d rows, footer says %d", rg, got, f.RowGroupNumRows(rg))
		}
		if r.BytesRead() <= 0 && len(cols) > 0 && got > 0 {
			t.Fatalf("BytesRead = %d", r.BytesRead())
		}
		r.Close()
	}
	return out, nil
}

func sameDatum(typ coldata.Type, a, b coldata.Datum) bool {
	if a.Null || b.Null {
		return a.Null == b.Null
	}
	if typ.IsNested() {
		return coldata.Format(typ, a) == coldata.Format(typ, b)
	}
	if typ.ID == coldata.Float64 {
		return math.Float64bits(a.F) == math.Float64bits(b.F) || (math.IsNaN(a.F) && math.IsNaN(b.F))
	}
	return coldata.Compare(typ, a, b) == 0
}

// compareColumns checks our values of columns cols against the reference.
func compareColumns(t testing.TB, f *File, cols []int, got [][]coldata.Datum, want [][]coldata.Datum, what string) {
	t.Helper()
	for i, c := range cols {
		typ := f.Columns()[c].Type
		w := want[c]
		if len(got[i]) != len(w) {
			t.Fatalf("%s: column %s: got %d rows, arrow-go %d", what, f.Columns()[c].Name, len(got[i]), len(w))
		}
		for r := range w {
			if !sameDatum(typ, got[i][r], w[r]) {
				t.Fatalf("%s: column %s (%s) row %d: got %s, arrow-go %s", what, f.Columns()[c].Name, typ, r,
					coldata.Format(typ, got[i][r]), coldata.Format(typ, w[r]))
			}
		}
	}
}

func openBytes(t testing.TB, data []byte, name string) *File {
	t.Helper()
	f, err := NewFile(bytes.NewReader(data), int64(len(data)), name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func columnTypes(f *File) []coldata.Type {
	ts := make([]coldata.Type, len(f.Columns()))
	for i, c := range f.Columns() {
		ts[i] = c.Type
	}
	return ts
}

func supportedCols(f *File) []int {
	var cols []int
	for i, c := range f.Columns() {
		if c.Unsupported == "" {
			cols = append(cols, i)
		}
	}
	return cols
}

// arrowNested converts a non-NULL nested arrow value to our datum.
func arrowNested(a arrow.Array, i int, typ coldata.Type) (coldata.Datum, error) {
	switch a := a.(type) {
	case *array.Map:
		if typ.ID != coldata.Map {
			break
		}
		lo, hi := a.ValueOffsets(i)
		keys := make([]coldata.Datum, 0, hi-lo)
		vals := make([]coldata.Datum, 0, hi-lo)
		for j := int(lo); j < int(hi); j++ {
			k, err := arrowDatum(a.Keys(), j, typ.Nest.Key)
			if err != nil {
				return k, err
			}
			v, err := arrowDatum(a.Items(), j, typ.Nest.Value)
			if err != nil {
				return v, err
			}
			keys, vals = append(keys, k), append(vals, v)
		}
		return coldata.MapDatum(keys, vals), nil
	case *array.List:
		if typ.ID != coldata.List {
			break
		}
		lo, hi := a.ValueOffsets(i)
		out := make([]coldata.Datum, 0, hi-lo)
		for j := int(lo); j < int(hi); j++ {
			e, err := arrowDatum(a.ListValues(), j, typ.Nest.Elem)
			if err != nil {
				return e, err
			}
			out = append(out, e)
		}
		return coldata.ListDatum(out...), nil
	case *array.Struct:
		if typ.ID != coldata.Struct && a.NumField() == 1 {
			// arrow-go reads a legacy two-level list whose repeated group
			// is named "array" as a struct around the element; the
			// LogicalTypes rules make that group the element itself.
			return arrowDatum(a.Field(0), i, typ)
		}
		if typ.ID != coldata.Struct || a.NumField() != len(typ.Nest.Fields) {
			break
		}
		out := make([]coldata.Datum, a.NumField())
		for k := range out {
			f, err := arrowDatum(a.Field(k), i, typ.Nest.Fields[k].Type)
			if err != nil {
				return f, err
			}
			out[k] = f
		}
		return coldata.StructDatum(out...), nil
	}
	return coldata.Datum{}, fmt.Errorf("arrow type %s does not match %s", a.DataType(), typ)
}
