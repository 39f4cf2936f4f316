package peregrine

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/storage"
)

// QueryArrow runs a statement (with args as its parameters' values, as
// Query) and streams its result as Arrow record batches. The caller must
// Release the reader; cancelling ctx stops it.
func (db *DB) QueryArrow(ctx context.Context, text string, args ...any) (array.RecordReader, error) {
	rows, err := db.Query(ctx, text, args...)
	if err != nil {
		return nil, err
	}
	return NewArrowReader(ctx, rows, memory.DefaultAllocator)
}

// ArrowType maps an engine type to its Arrow type: the types Parquet files
// are written with, and Arrow's null type for a bare NULL column.
func ArrowType(t coldata.Type) (arrow.DataType, error) {
	if t.ID == coldata.Unknown {
		return arrow.Null, nil
	}
	if t.IsNested() {
		return nestedArrowType(t)
	}
	return storage.ArrowType(t)
}

// ArrowReader adapts Rows to array.RecordReader.
type ArrowReader struct {
	refs   atomic.Int64
	ctx    context.Context
	rows   *Rows
	mem    memory.Allocator
	schema *arrow.Schema
	cur    arrow.RecordBatch
	err    error
}

// NewArrowReader wraps rows; it takes ownership of them.
func NewArrowReader(ctx context.Context, rows *Rows, mem memory.Allocator) (*ArrowReader, error) {
	fields := make([]arrow.Field, len(rows.Columns()))
	for i, c := range rows.Columns() {
		t, err := ArrowType(c.Type)
		if err != nil {
			rows.Close()
			return nil, err
		}
		fields[i] = arrow.Field{Name: c.Name, Type: t, Nullable: true}
	}
	r := &ArrowReader{ctx: ctx, rows: rows, mem: mem, schema: arrow.NewSchema(fields, nil)}
	r.refs.Store(1)
	return r, nil
}

// Retain adds a reference; each Retain needs a matching Release.
func (r *ArrowReader) Retain() { r.refs.Add(1) }

// Release drops a reference; the last one releases the current batch and
// closes the underlying Rows, which stops the query if it is still running.
func (r *ArrowReader) Release() {
	if r.refs.Add(-1) == 0 {
		if r.cur != nil {
			r.cur.Release()
			r.cur = nil
		}
		r.rows.Close()
	}
}

// Schema is the Arrow schema of the result: one nullable field per column,
// typed as ArrowType maps the column's type.
func (r *ArrowReader) Schema() *arrow.Schema { return r.schema }

// Next moves to the next batch, releasing the previous one; it returns
// false at the end of the result or on an error (see Err).
func (r *ArrowReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.err != nil {
		return false
	}
	b, err := r.rows.Next(r.ctx)
	if err != nil {
		r.err = err
		return false
	}
	if b == nil {
		return false
	}
	rec, err := toRecord(r.mem, r.schema, b)
	if err != nil {
		r.err = err
		r.rows.Close()
		return false
	}
	r.cur = rec
	return true
}

// RecordBatch returns the current batch, valid until the next call to Next
// or Release (Retain it to keep it longer).
func (r *ArrowReader) RecordBatch() arrow.RecordBatch { return r.cur }

// Record returns the current batch.
//
// Deprecated: use RecordBatch (arrow-go renamed it).
func (r *ArrowReader) Record() arrow.RecordBatch { return r.cur }

// Err is the error that ended Next early, nil at a normal end.
func (r *ArrowReader) Err() error { return r.err }

// toRecord copies the live rows of b into Arrow arrays.
func toRecord(mem memory.Allocator, schema *arrow.Schema, b *coldata.Batch) (arrow.RecordBatch, error) {
	dense := b.Compact(nil)
	n := dense.N
	cols := make([]arrow.Array, len(dense.Vecs))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, v := range dense.Vecs {
		valid := validity(v, n)
		if v.Type.Kind != coldata.KindNone {
			fb := array.NewBuilder(mem, schema.Field(i).Type)
			storage.AppendKindValues(fb, storage.KindValues(v, nil, 0, n), valid)
			cols[i] = fb.NewArray()
			fb.Release()
			continue
		}
		switch v.Type.ID {
		case coldata.Bool:
			cols[i] = buildArray(array.NewBooleanBuilder(mem), v.B[:n], valid)
		case coldata.Int32:
			cols[i] = buildArray(array.NewInt32Builder(mem), v.I32[:n], valid)
		case coldata.Int64:
			cols[i] = buildArray(array.NewInt64Builder(mem), v.I64[:n], valid)
		case coldata.Float64:
			cols[i] = buildArray(array.NewFloat64Builder(mem), v.F64[:n], valid)
		case coldata.String:
			cols[i] = buildArray(array.NewStringBuilder(mem), v.Str[:n], valid)
		case coldata.Decimal:
			vals := make([]decimal128.Num, n)
			for k, x := range v.I64[:n] {
				vals[k] = decimal128.FromI64(x)
			}
			cols[i] = buildArray(array.NewDecimal128Builder(mem, schema.Field(i).Type.(*arrow.Decimal128Type)), vals, valid)
		case coldata.Hugeint:
			vals := make([]decimal128.Num, n)
			for k, x := range v.I128[:n] {
				vals[k] = decimal128.New(x.Hi, x.Lo)
			}
			cols[i] = buildArray(array.NewDecimal128Builder(mem, schema.Field(i).Type.(*arrow.Decimal128Type)), vals, valid)
		case coldata.Date:
			vals := make([]arrow.Date32, n)
			for k, x := range v.I32[:n] {
				vals[k] = arrow.Date32(x)
			}
			cols[i] = buildArray(array.NewDate32Builder(mem), vals, valid)
		case coldata.Timestamp:
			vals := make([]arrow.Timestamp, n)
			for k, x := range v.I64[:n] {
				vals[k] = arrow.Timestamp(x)
			}
			cols[i] = buildArray(array.NewTimestampBuilder(mem, schema.Field(i).Type.(*arrow.TimestampType)), vals, valid)
		case coldata.Unknown:
			cols[i] = array.NewNull(n)
		case coldata.List, coldata.Struct, coldata.Map:
			a, err := nestedArray(mem, schema.Field(i).Type, v, n)
			if err != nil {
				return nil, err
			}
			cols[i] = a
		default:
			return nil, fmt.Errorf("cannot convert %s to Arrow", v.Type)
		}
	}
	rec := array.NewRecordBatch(schema, cols, int64(n))
	return rec, nil
}

// appender is the part of Arrow's typed builders toRecord uses.
type appender[T any] interface {
	AppendValues(vals []T, valid []bool)
	NewArray() arrow.Array
	Release()
}

// buildArray appends a whole column at once and releases the builder.
func buildArray[T any](b appender[T], vals []T, valid []bool) arrow.Array {
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

// validity returns Arrow's validity slice (nil: all valid).
func validity(v *coldata.Vec, n int) []bool {
	if v.Nulls == nil {
		return nil
	}
	out := make([]bool, n)
	for i, isNull := range v.Nulls[:n] {
		out[i] = !isNull
	}
	return out
}

func timeFromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }
