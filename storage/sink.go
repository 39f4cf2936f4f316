package storage

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/storage/tempdir"
)

// sink buffers the rows of one output folder (or the single output file) as
// Arrow builders until a row group is full, then writes it; it rotates files
// at FileSizeBytes.
type sink struct {
	w   *writer
	dir string // slash path below the target folder ("" for the target)

	bld      *array.RecordBuilder
	buffered int   // rows in bld
	bufBytes int64 // their approximate uncompressed size

	fh StagedFile
	fw *pqarrow.FileWriter
	cw *countingWriter
	// scratch receives arrow-go's file when page checksums are on; closing
	// the file copies it into fh with the checksums (pagecrc.go).
	scratch    *os.File
	scratchDir *tempdir.Dir
	final      string // the file's path once committed
	fileIdx    int
	rows       int64
	text       *textFile // a text format's open file (write_text.go)
}

// countingWriter counts what reaches a staged file.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// HugeintArrowType is how HUGEINT columns leave the engine.
var HugeintArrowType = &arrow.Decimal128Type{Precision: 38, Scale: 0}

// ArrowType is the Arrow type a coldata type is written as; pqarrow maps it
// to Parquet: DECIMAL as INT32/INT64 when precision ≤ 9/18, DATE as INT32
// DATE, TIMESTAMP as INT64 TIMESTAMP(MICROS, not adjusted to UTC).
func ArrowType(t coldata.Type) (arrow.DataType, error) {
	if at, ok := kindArrowType(t); ok {
		return at, nil
	}
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
	case coldata.Hugeint:
		// Arrow has no 128-bit integer; DECIMAL(38,0) stores the same
		// two's-complement bits, so every HUGEINT round-trips exactly
		// (DuckDB's Arrow export uses this type too).
		return HugeintArrowType, nil
	case coldata.String:
		return arrow.BinaryTypes.String, nil
	case coldata.Date:
		return arrow.FixedWidthTypes.Date32, nil
	case coldata.Timestamp:
		// Without a zone: Parquet's isAdjustedToUTC=false, as DuckDB
		// writes TIMESTAMP (TIMESTAMPTZ is the UTC-adjusted one).
		return &arrow.TimestampType{Unit: arrow.Microsecond}, nil
	}
	return nil, fmt.Errorf("Not implemented Error: writing %s to Parquet is not supported", t)
}

// append copies rows (all when nil) of b's data columns into the builders,
// writing row groups as they fill.
func (s *sink) append(b *coldata.Batch, rows []int32) error {
	if s.w.opts.Encoder != nil {
		return s.appendText(b, rows)
	}
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
	if size, ok := appendKindVec(fb, v, from, k, rows); ok {
		return size
	}
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
			switch i := row(j); {
			case null(i):
				bb.AppendNull()
			case v.Type.ID == coldata.Hugeint:
				bb.Append(decimal128.New(v.I128[i].Hi, v.I128[i].Lo))
			default:
				bb.Append(decimal128.FromI64(v.I64[i]))
			}
		}
		return 16 * int64(k)
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
	if s.w.opts.Encoder != nil {
		return s.openText()
	}
	if err := s.createFile(".parquet"); err != nil {
		return err
	}
	var out io.Writer = s.cw
	if !s.w.opts.NoPageChecksums {
		if err := s.openScratch(); err != nil {
			return err
		}
		out = struct{ io.Writer }{s.scratch} // pqarrow would close an io.Closer
	}
	fw, err := pqarrow.NewFileWriter(s.w.schema, out, s.w.writerProps(dictionaryColumns(first)), arrowWriterProps())
	if err != nil {
		return ioErrorf("Could not write file %q: %v", s.final, err)
	}
	s.fw = fw
	return nil
}

// openScratch makes the file arrow-go writes into before the checksum
// pass, in this process's temporary folder (so a crash leaves nothing the
// next start does not remove).
func (s *sink) openScratch() error {
	d, err := tempdir.Use(s.w.opts.TempRoot)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(d.Path(), "copy-*.parquet")
	if err != nil {
		d.Release()
		return ioErrorf("Cannot open file in %q: %s", d.Path(), sysMessage(err))
	}
	s.scratch, s.scratchDir = f, d
	return nil
}

func (s *sink) dropScratch() {
	if s.scratch != nil {
		s.scratch.Close()
		os.Remove(s.scratch.Name())
		s.scratchDir.Release()
		s.scratch, s.scratchDir = nil, nil
	}
}

// checksumScratch copies the finished scratch file into the staged file
// with a CRC in every page header.
func (s *sink) checksumScratch() error {
	defer s.dropScratch()
	st, err := s.scratch.Stat()
	if err != nil {
		return ioErrorf("Could not read file %q: %s", s.scratch.Name(), sysMessage(err))
	}
	bw := bufio.NewWriterSize(s.cw, 1<<20)
	if err := addPageChecksums(s.scratch, st.Size(), bw); err != nil {
		return ioErrorf("Could not write file %q: %v", s.final, err)
	}
	if err := bw.Flush(); err != nil {
		return ioErrorf("Could not write file %q: %s", s.final, sysMessage(err))
	}
	return nil
}

// closeFile flushes buffered rows and completes the current file, which then
// waits for the final rename.
func (s *sink) closeFile() error {
	if s.w.opts.Encoder != nil {
		return s.closeText()
	}
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
	err := fw.Close()
	if err != nil {
		err = fmt.Errorf("IO Error: writing %s: %v", s.final, err)
	} else if s.scratch != nil {
		err = s.checksumScratch()
	}
	if cerr := s.fh.Close(); err == nil {
		err = cerr
	}
	s.fh = nil
	if err != nil {
		return err
	}
	s.w.files = append(s.w.files, s.final)
	s.w.bytes += s.cw.n
	return nil
}

// discard drops the file being written (the stage's Abort removes it).
func (s *sink) discard() {
	s.dropScratch()
	s.fh, s.fw = nil, nil
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
