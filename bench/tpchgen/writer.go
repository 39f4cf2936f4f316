package tpchgen

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// sink writes one table to OutDir/<table>.parquet. Rows accumulate in a
// batch; each full batch (one row group) goes to a writer goroutine while
// the generator fills the other, so generating and encoding overlap.
type sink struct {
	spec     *tableSpec
	rowGroup int
	final    string

	f  *os.File
	bw *bufio.Writer
	pw *file.Writer

	cur  *batch
	full chan *batch
	free chan *batch
	done chan error
}

func newSink(ts *tableSpec, dir string, rowGroup int, maxRows int64, props *parquet.WriterProperties, kv metadata.KeyValueMetadata) (*sink, error) {
	sc, err := ts.parquetSchema()
	if err != nil {
		return nil, err
	}
	name := ts.table.String() + ".parquet"
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("tpchgen: %w", err)
	}
	s := &sink{
		spec:     ts,
		rowGroup: rowGroup,
		final:    filepath.Join(dir, name),
		f:        f,
		bw:       bufio.NewWriterSize(f, 1<<20),
		full:     make(chan *batch, 1),
		// Room for both batches, so the writer never blocks handing one
		// back, even when the generator has stopped taking them.
		free: make(chan *batch, 2),
		done: make(chan error, 1),
	}
	s.pw, err = file.NewParquetWriterWithError(s.bw, sc, file.WithWriterProps(props), file.WithWriteMetadata(kv))
	if err != nil {
		s.discard()
		return nil, fmt.Errorf("tpchgen: %s: %w", name, err)
	}
	// Two batches per sink: the generator fills one while the other is
	// being written. Small tables get small batches.
	capacity := int(min(int64(rowGroup), maxRows, 1<<20))
	s.cur = newBatch(ts, capacity)
	s.free <- newBatch(ts, capacity)
	go s.writeLoop()
	return s, nil
}

// writeLoop writes every batch it receives. After a failure it keeps
// recycling batches, so the generator never blocks on a dead writer; the
// failure reaches the generator through the cancelled context.
func (s *sink) writeLoop() {
	var err error
	for b := range s.full {
		if err == nil {
			if werr := s.writeRowGroup(b); werr != nil {
				err = fmt.Errorf("tpchgen: writing %s: %w", s.final, werr)
			}
		}
		b.reset()
		s.free <- b
	}
	s.done <- err
}

// writeRowGroup encodes the batch's columns in parallel. In a buffered
// row group every column chunk has its own encoder, statistics and page
// buffer, so distinct columns can be written concurrently; the file itself
// is only touched by rg.Close, which copies the chunks out one by one.
// Lineitem's encoding is the critical path of a whole generation, which is
// why this is worth doing.
func (s *sink) writeRowGroup(b *batch) error {
	rg, err := s.pw.AppendBufferedRowGroupChecked()
	if err != nil {
		return err
	}
	workers := min(runtime.GOMAXPROCS(0), len(s.spec.columns))
	next := make(chan int, len(s.spec.columns))
	for i := range s.spec.columns {
		next <- i
	}
	close(next)
	errs := make([]error, len(s.spec.columns))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				errs[i] = s.writeColumn(rg, b, i)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return rg.Close()
}

func (s *sink) writeColumn(rg file.BufferedRowGroupWriter, b *batch, i int) error {
	c := s.spec.columns[i]
	cw, err := rg.Column(i)
	if err != nil {
		return err
	}
	switch c.kind {
	case kInt32, kDate:
		_, err = cw.(*file.Int32ColumnChunkWriter).WriteBatch(b.cols[i].i32, nil, nil)
	case kInt64, kDecimal:
		_, err = cw.(*file.Int64ColumnChunkWriter).WriteBatch(b.cols[i].i64, nil, nil)
	case kString:
		if b.cols[i].dict != nil {
			err = writeDictColumn(cw, &b.cols[i])
		} else {
			_, err = cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(b.cols[i].str, nil, nil)
		}
	}
	if err != nil {
		return fmt.Errorf("column %s: %w", c.name, err)
	}
	return nil
}

// ctxCheckEvery bounds how many rows are generated between looks at the
// context; looking costs more than generating a small row.
const ctxCheckEvery = 1024

// rowDone is called after each appended row: it notices cancellation and
// hands the batch over once it holds a full row group.
func (s *sink) rowDone(ctx context.Context) error {
	if s.cur.rows%ctxCheckEvery == 0 {
		if err := context.Cause(ctx); err != nil {
			return err
		}
	}
	if s.cur.rows < s.rowGroup {
		return nil
	}
	return s.flush(ctx)
}

func (s *sink) flush(ctx context.Context) error {
	if s.cur.rows == 0 {
		return nil
	}
	select {
	case s.full <- s.cur:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	select {
	case s.cur = <-s.free:
		return nil
	case <-ctx.Done():
		s.cur = nil
		return context.Cause(ctx)
	}
}

// finish writes the last row group and the footer and renames the file
// into place. On any failure, or when commit is false, the temporary file
// is removed instead.
func (s *sink) finish(ctx context.Context, commit bool) error {
	var err error
	if commit {
		err = s.flush(ctx)
	}
	close(s.full)
	if werr := <-s.done; err == nil {
		err = werr
	}
	if !commit || err != nil {
		s.discard()
		return err
	}
	if err := s.pw.Close(); err != nil {
		s.discard()
		return fmt.Errorf("tpchgen: %s: %w", s.final, err)
	}
	err = s.bw.Flush()
	if err == nil {
		// CreateTemp makes the file private; the result is ordinary data.
		err = s.f.Chmod(0o644)
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(s.f.Name(), s.final)
	}
	if err != nil {
		_ = os.Remove(s.f.Name())
		return fmt.Errorf("tpchgen: %w", err)
	}
	return nil
}

func (s *sink) discard() {
	_ = s.f.Close()
	_ = os.Remove(s.f.Name())
}

// errIfAny keeps the first real error, preferring it over the cancellation
// it caused elsewhere.
func errIfAny(errs []error) error {
	var ctxErr error
	for _, err := range errs {
		if err == nil {
			continue
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			if ctxErr == nil {
				ctxErr = err
			}
			continue
		}
		return err
	}
	return ctxErr
}

var dictType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

// writeDictColumn hands a dictionary-encoded column to pqarrow as an Arrow
// dictionary array; pqarrow gives the column writer the dictionary and the
// indices as they are, and derives the statistics from the dictionary.
func writeDictColumn(cw file.ColumnChunkWriter, c *colBuf) error {
	mem := memory.DefaultAllocator
	sb := array.NewStringBuilder(mem)
	defer sb.Release()
	sb.AppendValues(c.dict.values, nil)
	values := sb.NewStringArray()
	defer values.Release()
	indices := array.NewInt32Data(array.NewData(arrow.PrimitiveTypes.Int32, len(c.idx),
		[]*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(c.idx))}, nil, 0, 0))
	defer indices.Release()
	arr := array.NewDictionaryArray(dictType, indices, values)
	defer arr.Release()
	ctx := pqarrow.NewArrowWriteContext(context.Background(), nil)
	return pqarrow.WriteArrowToColumn(ctx, cw, arr, nil, nil, false)
}
