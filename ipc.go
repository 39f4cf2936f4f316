package peregrine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Exchange elements: what one task sends another through the distributed
// engine is one batch per element, encoded as an Arrow IPC stream (schema,
// one record batch, end of stream) behind a small header naming the
// fragment that produced it:
//
//	"PX" version(1) uvarint(fragment id) Arrow-IPC-stream
//
// Columns travel in their Arrow types (DECIMAL as decimal128, DATE as
// date32, TIMESTAMP as timestamp[us, UTC]); the receiver knows the types
// from the plan and checks the batch against them.

const elemVersion = 1

// EncodeBatch encodes the live rows of b (of types) as an exchange element
// produced by fragment frag.
func EncodeBatch(frag int, types []coldata.Type, b *coldata.Batch) ([]byte, error) {
	fields := make([]arrow.Field, len(types))
	for i, t := range types {
		at, err := ArrowType(t)
		if err != nil {
			return nil, err
		}
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: at, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	rec, err := toRecord(memory.DefaultAllocator, schema, b)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	var buf bytes.Buffer
	buf.WriteString("PX")
	buf.WriteByte(elemVersion)
	var tmp [binary.MaxVarintLen64]byte
	buf.Write(tmp[:binary.PutUvarint(tmp[:], uint64(frag))])
	w := ipc.NewWriter(&buf, ipc.WithSchema(schema))
	if err := w.Write(rec); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ElementFragment returns the fragment that produced an element and the
// element's Arrow IPC stream.
func ElementFragment(elem []byte) (int, []byte, error) {
	if len(elem) < 4 || elem[0] != 'P' || elem[1] != 'X' {
		return 0, nil, errors.New("exchange: not a Peregrine batch")
	}
	if elem[2] != elemVersion {
		return 0, nil, fmt.Errorf("exchange: batch format version %d, this build reads %d", elem[2], elemVersion)
	}
	id, n := binary.Uvarint(elem[3:])
	if n <= 0 || id > math.MaxInt32 {
		return 0, nil, errors.New("exchange: bad batch header")
	}
	return int(id), elem[3+n:], nil
}

// DecodeBatch decodes an element's batch, which must have types.
func DecodeBatch(elem []byte, types []coldata.Type) (*coldata.Batch, error) {
	_, stream, err := ElementFragment(elem)
	if err != nil {
		return nil, err
	}
	r, err := ipc.NewReader(bytes.NewReader(stream))
	if err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	defer r.Release()
	if !r.Next() {
		if err := r.Err(); err != nil {
			return nil, fmt.Errorf("exchange: %w", err)
		}
		return nil, errors.New("exchange: element without a batch")
	}
	rec := r.RecordBatch()
	if int(rec.NumCols()) != len(types) {
		return nil, fmt.Errorf("exchange: batch of %d columns, the plan has %d", rec.NumCols(), len(types))
	}
	n := int(rec.NumRows())
	b := &coldata.Batch{Vecs: make([]*coldata.Vec, len(types)), N: n}
	for i, t := range types {
		v, err := fromArrow(rec.Column(i), t, n)
		if err != nil {
			return nil, fmt.Errorf("exchange: column %d: %w", i, err)
		}
		b.Vecs[i] = v
	}
	return b, nil
}

// fromArrow converts an Arrow array to a vector of type t. Fixed-width
// values are used in place (the decoder's buffers are the batch's).
func fromArrow(a arrow.Array, t coldata.Type, n int) (*coldata.Vec, error) {
	v := &coldata.Vec{Type: t}
	bad := func() (*coldata.Vec, error) {
		return nil, fmt.Errorf("%s where %s was planned", a.DataType(), t)
	}
	switch t.ID {
	case coldata.Unknown:
		v.Resize(n)
		return v, nil
	case coldata.Bool:
		x, ok := a.(*array.Boolean)
		if !ok {
			return bad()
		}
		v.B = make([]bool, n)
		for i := range v.B {
			v.B[i] = x.Value(i)
		}
	case coldata.Int32:
		x, ok := a.(*array.Int32)
		if !ok {
			return bad()
		}
		v.I32 = x.Int32Values()
	case coldata.Date:
		x, ok := a.(*array.Date32)
		if !ok {
			return bad()
		}
		vals := x.Date32Values()
		v.I32 = make([]int32, n)
		for i, d := range vals {
			v.I32[i] = int32(d)
		}
	case coldata.Int64:
		x, ok := a.(*array.Int64)
		if !ok {
			return bad()
		}
		v.I64 = x.Int64Values()
	case coldata.Timestamp:
		x, ok := a.(*array.Timestamp)
		if !ok {
			return bad()
		}
		vals := x.TimestampValues()
		v.I64 = make([]int64, n)
		for i, d := range vals {
			v.I64[i] = int64(d)
		}
	case coldata.Float64:
		x, ok := a.(*array.Float64)
		if !ok {
			return bad()
		}
		v.F64 = x.Float64Values()
	case coldata.Decimal:
		x, ok := a.(*array.Decimal128)
		if !ok {
			return bad()
		}
		v.I64 = make([]int64, n)
		for i := range v.I64 {
			d := x.Value(i)
			lo := int64(d.LowBits())
			if d.HighBits() != lo>>63 && x.IsValid(i) {
				return nil, fmt.Errorf("decimal value %s does not fit 64 bits", d.ToString(int32(t.Scale)))
			}
			v.I64[i] = lo
		}
	case coldata.String:
		x, ok := a.(*array.String)
		if !ok {
			return bad()
		}
		v.Str = make([]string, n)
		for i := range v.Str {
			v.Str[i] = x.Value(i)
		}
	case coldata.List, coldata.Map, coldata.Struct:
		v.Resize(n)
		for i := 0; i < n; i++ {
			d, err := arrowDatum(a, i, t)
			if err != nil {
				return nil, err
			}
			v.Set(i, d)
		}
		return v, nil
	default:
		return bad()
	}
	if a.NullN() > 0 {
		v.Nulls = make([]bool, n)
		for i := range v.Nulls {
			v.Nulls[i] = a.IsNull(i)
		}
	}
	return v, nil
}

// arrowDatum reads value i of a as a Datum of type t: the per-value path
// for nested values, as their Arrow export is.
func arrowDatum(a arrow.Array, i int, t coldata.Type) (coldata.Datum, error) {
	if a.IsNull(i) {
		return coldata.NullDatum, nil
	}
	switch t.ID {
	case coldata.List:
		x, ok := a.(*array.List)
		if !ok {
			break
		}
		from, to := x.ValueOffsets(i)
		elems := make([]coldata.Datum, 0, to-from)
		for j := from; j < to; j++ {
			d, err := arrowDatum(x.ListValues(), int(j), t.Nest.Elem)
			if err != nil {
				return d, err
			}
			elems = append(elems, d)
		}
		return coldata.ListDatum(elems...), nil
	case coldata.Map:
		x, ok := a.(*array.Map)
		if !ok {
			break
		}
		from, to := x.ValueOffsets(i)
		var keys, vals []coldata.Datum
		for j := from; j < to; j++ {
			k, err := arrowDatum(x.Keys(), int(j), t.Nest.Key)
			if err != nil {
				return k, err
			}
			v, err := arrowDatum(x.Items(), int(j), t.Nest.Value)
			if err != nil {
				return v, err
			}
			keys, vals = append(keys, k), append(vals, v)
		}
		return coldata.MapDatum(keys, vals), nil
	case coldata.Struct:
		x, ok := a.(*array.Struct)
		if !ok || x.NumField() != len(t.Nest.Fields) {
			break
		}
		fields := make([]coldata.Datum, len(t.Nest.Fields))
		for k, f := range t.Nest.Fields {
			d, err := arrowDatum(x.Field(k), i, f.Type)
			if err != nil {
				return d, err
			}
			fields[k] = d
		}
		return coldata.StructDatum(fields...), nil
	default:
		v, err := fromArrow(array.NewSlice(a, int64(i), int64(i+1)), t, 1)
		if err != nil {
			return coldata.Datum{}, err
		}
		return v.Get(0), nil
	}
	return coldata.Datum{}, fmt.Errorf("%s where %s was planned", a.DataType(), t)
}
