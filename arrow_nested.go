package peregrine

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// nestedArrowType maps LIST, STRUCT and MAP types to Arrow's list, struct
// and map types (every child nullable, like DuckDB's Arrow export).
func nestedArrowType(t coldata.Type) (arrow.DataType, error) {
	switch t.ID {
	case coldata.List:
		e, err := ArrowType(t.Nest.Elem)
		if err != nil {
			return nil, err
		}
		return arrow.ListOf(e), nil
	case coldata.Map:
		k, err := ArrowType(t.Nest.Key)
		if err != nil {
			return nil, err
		}
		v, err := ArrowType(t.Nest.Value)
		if err != nil {
			return nil, err
		}
		return arrow.MapOf(k, v), nil
	}
	fields := make([]arrow.Field, len(t.Nest.Fields))
	for i, f := range t.Nest.Fields {
		ft, err := ArrowType(f.Type)
		if err != nil {
			return nil, err
		}
		fields[i] = arrow.Field{Name: f.Name, Type: ft, Nullable: true}
	}
	return arrow.StructOf(fields...), nil
}

// nestedArray converts the first n rows of a nested vector to an Arrow array.
func nestedArray(mem memory.Allocator, dt arrow.DataType, v *coldata.Vec, n int) (arr arrow.Array, err error) {
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	for i := 0; i < n; i++ {
		if err := appendArrow(b, v, i); err != nil {
			return nil, err
		}
	}
	return b.NewArray(), nil
}

// appendArrow appends row i of v to b (the slow, per-value path: nested
// values are rare in results and their shapes vary).
func appendArrow(b array.Builder, v *coldata.Vec, i int) error {
	if v.Type.ID == coldata.Unknown || v.IsNull(i) {
		b.AppendNull()
		return nil
	}
	switch bb := b.(type) {
	case *array.MapBuilder:
		bb.Append(true)
		for j := v.Offsets[i]; j < v.Offsets[i+1]; j++ {
			if err := appendArrow(bb.KeyBuilder(), v.Child[0], int(j)); err != nil {
				return err
			}
			if err := appendArrow(bb.ItemBuilder(), v.Child[1], int(j)); err != nil {
				return err
			}
		}
		return nil
	case *array.ListBuilder:
		bb.Append(true)
		for j := v.Offsets[i]; j < v.Offsets[i+1]; j++ {
			if err := appendArrow(bb.ValueBuilder(), v.Child[0], int(j)); err != nil {
				return err
			}
		}
		return nil
	case *array.StructBuilder:
		bb.Append(true)
		for k, c := range v.Child {
			if err := appendArrow(bb.FieldBuilder(k), c, i); err != nil {
				return err
			}
		}
		return nil
	case *array.BooleanBuilder:
		bb.Append(v.B[i])
	case *array.Int32Builder:
		bb.Append(v.I32[i])
	case *array.Int64Builder:
		bb.Append(v.I64[i])
	case *array.Float64Builder:
		bb.Append(v.F64[i])
	case *array.StringBuilder:
		bb.Append(v.Str[i])
	case *array.Decimal128Builder:
		bb.Append(decimal128.FromI64(v.I64[i]))
	case *array.Date32Builder:
		bb.Append(arrow.Date32(v.I32[i]))
	case *array.TimestampBuilder:
		bb.Append(arrow.Timestamp(v.I64[i]))
	default:
		return fmt.Errorf("cannot convert %s to Arrow", v.Type)
	}
	return nil
}
