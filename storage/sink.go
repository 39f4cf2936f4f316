package storage

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// sink buffers the rows of one output folder (or the single output file) as
// Arrow builders until a row group is full, then writes it; it rotates files
// at FileSizeBytes.
type sink struct {
	w   *writer
	dir string

	bld      *array.RecordBuilder
	buffered int   // rows in bld
	bufBytes int64 // their approximate uncompressed size

	fh      io.WriteCloser // a local temporary file or an object-store upload
	fw      *pqarrow.FileWriter
	tmp     string
	final   string
	fileIdx int
	rows    int64
}

// ArrowType is the Arrow type a coldata type is written as; pqarrow maps it
// to Parquet: DECIMAL as INT32/INT64 when precision ≤ 9/18, DATE as INT32
// DATE, TIMESTAMP as INT64 TIMESTAMP(MICROS, adjusted to UTC).
func ArrowType(t coldata.Type) (arrow.DataType, error) {
	switch t.ID {
	case coldata.Bool:
		return arrow.FixedWidthTypes.Boolean, nil
	case coldata.Int32, coldata.Unknown: // a NULL column is written as INTEGER, like DuckDB
		return arrow.PrimitiveTypes.Int32, nil
	case coldata.Int64:
		return arrow.PrimitiveTypes.Int64, nil
	case coldata.Float64:
		return arrow.PrimitiveTypes.Float64, nil
	case coldata.Decimal:
		return &arrow.Decimal128Type{Precision: int32(t.Precision), Scale: int32(t.Scale)}, nil
	case coldata.String:
		return arrow.BinaryTypes.String, nil
	case coldata.Date:
		return arrow.FixedWidthTypes.Date32, nil
	case coldata.Timestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, nil
	}
	return nil, fmt.Errorf("Not implemented Error: writing %s to Parquet is not supported", t)
}

// append copies rows (all when nil) of b's data columns into the builders,
// writing row groups as they fill.
func (s *sink) append(b *coldata.Batch, rows []int32) error {
	if s.bld == nil {
		s.bld = array.NewRecordBuilder(memory.DefaultAllocator, s.w.schema)
	}
	n := b.N
	if rows != nil {
		n = len(rows)
	}
	for from := 0; from < n; {
		room := s.w.opts.RowGroupSize - s.buffered
		k := min(room, n-from)
		var part []int32
		if rows != nil {
			part = rows[from : from+k]
		}
		for fi, c := range s.w.dataCols {
			s.bufBytes += appendVec(s.bld.Field(fi), b.Vecs[c], from, k, part)
		}
		s.buffered += k
		from += k
		if s.buffered >= s.w.opts.RowGroupSize || (s.w.opts.RowGroupSizeBytes > 0 && s.bufBytes >= s.w.opts.RowGroupSizeBytes) {
			if err := s.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// appendVec appends k rows of v — rows[0:k] when rows is set, else
// [from, from+k) — and returns their approximate size in bytes.
func appendVec(fb array.Builder, v *coldata.Vec, from, k int, rows []int32) int64 {
	fb.Reserve(k)
	row := func(j int) int {
		if rows != nil {
			return int(rows[j])
		}
		return from + j
	}
	null := func(i int) bool { return v.Type.ID == coldata.Unknown || (v.Nulls != nil && v.Nulls[i]) }
	var size int64
	switch bb := fb.(type) {
	case *array.BooleanBuilder:
		for j := 0; j < k; j++ {
			if i := row(j); null(i) {
				bb.AppendNull()
			} else {
				bb.Append(v.B[i])
			}
		}
		return int64(k)
	case *array.Int32Builder:
		for j := 0; j < k; j++ {
			if i := row(j); null(i) {
				bb.AppendNull()
			} else {
				bb.Append(v.I32[i])
			}
		}
		return 4 * int64(k)
	case *array.Date32Builder:
		for j := 0; j < k; j++ {
			if i := row(j); null(i) {
				bb.AppendNull()
			} else {
				bb.Append(arrow.Date32(v.I32[i]))
			}
		}
		return 4 * int64(k)
	case *array.Int64Builder:
		for j := 0; j < k; j++ {
			if i := row(j); null(i) {
				bb.AppendNull()
			} else {
				bb.Append(v.I64[i])
			}
		}
		return 8 * int64(k)
	case *array.TimestampBuilder:
		for j := 0; j < k; j++ {
			if i := row(j); null(i) {
				bb.AppendNull()
			} else {
				bb.Append(arrow.Timestamp(v.I64[i]))
			}
		}
		return 8 * int64(k)
	case *array.Float64Builder:
		for j := 0; j < k; j++ {
			if i := row(j); null(i) {
				bb.AppendNull()
			} else {
				bb.Append(v.F64[i])
			}
		}
		return 8 * int64(k)
	case *array.Decimal128Builder:
		for j := 0; j < k; j++ {
			if i := row(j); null(i) {
				bb.AppendNull()
			} else {
				bb.Append(decimal128.FromI64(v.I64[i]))
			}
		}
		return 8 * int64(k)
	case *array.StringBuilder:
		for j := 0; j < k; j++ {
			if i := row(j); null(i) {
				bb.AppendNull()
			} else {
				bb.Append(v.Str[i])
				size += int64(len(v.Str[i]))
			}
		}
		return size + 4*int64(k)
	}
	return 0
}

// flush writes the buffered rows as one row group, opening the file first
// if needed and rotating it when it has grown past FileSizeBytes.
func (s *sink) flush() error {
	if s.buffered == 0 {
		return nil
	}
	rec := s.bld.NewRecordBatch()
	defer rec.Release()
	if s.fw == nil {
		if err := s.open(rec); err != nil {
			return err
		}
	}
	if err := s.fw.Write(rec); err != nil {
		return fmt.Errorf("IO Error: writing %s: %v", s.final, err)
	}
	s.rows += int64(s.buffered)
	s.buffered, s.bufBytes = 0, 0
	if s.w.opts.FileSizeBytes > 0 && s.fw.TotalBytesWritten() >= s.w.opts.FileSizeBytes {
		return s.closeFile()
	}
	return nil
}

// open starts the next file of this sink. first, the first row group, picks
// which columns are dictionary encoded.
func (s *sink) open(first arrow.RecordBatch) error {
	s.final = s.w.path
	if s.w.folder {
		s.final = s.w.join(s.dir, fmt.Sprintf("data_%d.parquet", s.fileIdx))
	}
	s.fileIdx++
	if s.w.obj != nil {
		name := ""
		if s.w.folder {
			name = relPath(s.w.path, s.final)
		}
		f, err := s.w.obj.Create(name)
		if err != nil {
			return err
		}
		s.fh = f
	} else {
		s.tmp = tempName(filepath.Dir(s.final), s.final)
		fh, err := os.OpenFile(s.tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("IO Error: %v", err)
		}
		s.fh = fh
	}
	fw, err := pqarrow.NewFileWriter(s.w.schema, s.fh, s.w.writerProps(dictionaryColumns(first)), arrowWriterProps())
	if err != nil {
		return fmt.Errorf("IO Error: %v", err)
	}
	s.fw = fw
	return nil
}

// closeFile flushes buffered rows and completes the current file, which then
// waits for the final rename.
func (s *sink) closeFile() error {
	if s.buffered > 0 {
		if err := s.flush(); err != nil { // may recurse into closeFile once
			return err
		}
	}
	if s.fw == nil {
		return nil
	}
	fw := s.fw
	s.fw = nil
	if err := fw.Close(); err != nil { // also closes fh
		s.fh = nil
		if s.w.obj == nil {
			os.Remove(s.tmp)
		}
		return fmt.Errorf("IO Error: writing %s: %v", s.final, err)
	}
	s.fh = nil
	if s.w.obj == nil {
		s.w.done = append(s.w.done, tempFile{tmp: s.tmp, final: s.final})
	}
	return nil
}

// discard drops the file being written.
func (s *sink) discard() {
	if s.fh != nil {
		s.fh.Close()
		if s.w.obj == nil {
			os.Remove(s.tmp)
		}
		s.fh, s.fw = nil, nil
	}
	if s.bld != nil {
		s.bld.Release()
		s.bld = nil
	}
}

// dictionaryColumns marks columns whose sample of the first row group has at
// most half as many distinct values as rows (and ≤ 64K of them): those
// compress well as dictionary indices. Booleans never need a dictionary.
func dictionaryColumns(rec arrow.RecordBatch) []bool {
	if rec == nil {
		return nil
	}
	out := make([]bool, rec.NumCols())
	n := min(int(rec.NumRows()), 8192)
	for c := range out {
		seen := map[string]struct{}{}
		col := rec.Column(c)
		if _, isBool := col.(*array.Boolean); isBool {
			continue
		}
		for i := 0; i < n && len(seen) <= 65536; i++ {
			if col.IsNull(i) {
				continue
			}
			seen[col.ValueStr(i)] = struct{}{}
		}
		out[c] = len(seen)*2 <= n && len(seen) <= 65536
	}
	return out
}
