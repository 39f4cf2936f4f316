package storage

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// kindArrowType maps the small, unsigned and single-precision types to
// Arrow's (and so to Parquet's INT(8|16|32|64, signed|unsigned) logical
// types and its FLOAT physical type), TIME to Time64(µs) (Parquet
// TIME(MICROS)) and TIMESTAMPTZ to a UTC timestamp (Parquet TIMESTAMP
// adjusted to UTC).
func kindArrowType(t coldata.Type) (arrow.DataType, bool) {
	switch t.Kind {
	case coldata.KindTinyint:
		return arrow.PrimitiveTypes.Int8, true
	case coldata.KindSmallint:
		return arrow.PrimitiveTypes.Int16, true
	case coldata.KindUTinyint:
		return arrow.PrimitiveTypes.Uint8, true
	case coldata.KindUSmallint:
		return arrow.PrimitiveTypes.Uint16, true
	case coldata.KindUInteger:
		return arrow.PrimitiveTypes.Uint32, true
	case coldata.KindUBigint:
		return arrow.PrimitiveTypes.Uint64, true
	case coldata.KindFloat:
		return arrow.PrimitiveTypes.Float32, true
	case coldata.KindBlob:
		// Binary: Parquet BYTE_ARRAY without the STRING annotation.
		return arrow.BinaryTypes.Binary, true
	case coldata.KindUUID:
		// Written as its text, as VARCHAR.
		return arrow.BinaryTypes.String, true
	case coldata.KindTime:
		return arrow.FixedWidthTypes.Time64us, true
	case coldata.KindTimestampTZ:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, true
	}
	return nil, false
}

// KindValues converts rows [0,n) of a kinded vector to the Go slice its
// Arrow builder takes (rows NULL in v hold zero).
func KindValues(v *coldata.Vec, rows []int32, from, n int) any {
	row := func(j int) int {
		if rows != nil {
			return int(rows[j])
		}
		return from + j
	}
	switch v.Type.Kind {
	case coldata.KindTinyint:
		return narrow[int8](v.I32, row, n)
	case coldata.KindSmallint:
		return narrow[int16](v.I32, row, n)
	case coldata.KindUTinyint:
		return narrow[uint8](v.I32, row, n)
	case coldata.KindUSmallint:
		return narrow[uint16](v.I32, row, n)
	case coldata.KindUInteger:
		return narrow[uint32](v.I64, row, n)
	case coldata.KindUBigint:
		out := make([]uint64, n)
		for j := range out {
			out[j] = v.I128[row(j)].Lo
		}
		return out
	case coldata.KindFloat:
		return narrow[float32](v.F64, row, n)
	case coldata.KindBlob:
		out := make([][]byte, n)
		for j := range out {
			out[j] = []byte(v.Str[row(j)])
		}
		return out
	case coldata.KindUUID:
		out := make([]string, n)
		for j := range out {
			out[j] = v.Str[row(j)]
		}
		return out
	case coldata.KindTime:
		return retype[arrow.Time64](v.I64, row, n)
	case coldata.KindTimestampTZ:
		return retype[arrow.Timestamp](v.I64, row, n)
	}
	return nil
}

func narrow[D int8 | int16 | uint8 | uint16 | uint32 | float32, S int32 | int64 | float64](src []S, row func(int) int, n int) []D {
	out := make([]D, n)
	for j := range out {
		out[j] = D(src[row(j)])
	}
	return out
}

// appendKindVec appends k rows of a kinded vector to its Arrow builder
// (see appendVec); ok is false for other vectors.
func appendKindVec(fb array.Builder, v *coldata.Vec, from, k int, rows []int32) (int64, bool) {
	if v.Type.Kind == coldata.KindNone {
		return 0, false
	}
	valid := make([]bool, k)
	for j := range valid {
		i := from + j
		if rows != nil {
			i = int(rows[j])
		}
		valid[j] = v.Nulls == nil || !v.Nulls[i]
	}
	AppendKindValues(fb, KindValues(v, rows, from, k), valid)
	return 4 * int64(k), true
}

// AppendKindValues appends values made by KindValues to the matching builder.
func AppendKindValues(fb array.Builder, vals any, valid []bool) {
	switch b := fb.(type) {
	case *array.Int8Builder:
		b.AppendValues(vals.([]int8), valid)
	case *array.Int16Builder:
		b.AppendValues(vals.([]int16), valid)
	case *array.Uint8Builder:
		b.AppendValues(vals.([]uint8), valid)
	case *array.Uint16Builder:
		b.AppendValues(vals.([]uint16), valid)
	case *array.Uint32Builder:
		b.AppendValues(vals.([]uint32), valid)
	case *array.Uint64Builder:
		b.AppendValues(vals.([]uint64), valid)
	case *array.Float32Builder:
		b.AppendValues(vals.([]float32), valid)
	case *array.BinaryBuilder:
		b.AppendValues(vals.([][]byte), valid)
	case *array.StringBuilder:
		b.AppendValues(vals.([]string), valid)
	case *array.Time64Builder:
		b.AppendValues(vals.([]arrow.Time64), valid)
	case *array.TimestampBuilder:
		b.AppendValues(vals.([]arrow.Timestamp), valid)
	}
}

// retype copies int64 microseconds into an Arrow time type's slice.
func retype[D arrow.Time64 | arrow.Timestamp](src []int64, row func(int) int, n int) []D {
	out := make([]D, n)
	for j := range out {
		out[j] = D(src[row(j)])
	}
	return out
}
