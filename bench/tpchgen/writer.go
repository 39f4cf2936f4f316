package tpchgen

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
)

// sink writes one table to OutDir/<table>.parquet. Workers generate its
// row groups in any order into the sink's batches and hand them over on
// full; writeAll encodes them in row group order and returns each batch to
// free for the next row group. There are never more batches than the
// channels hold, so no send on them blocks.
type sink struct {
	spec  *tableSpec
	final string

	f  *os.File
	bw *bufio.Writer
	pw *file.Writer

	full chan piece
	free chan *batch
}

func newSink(ts *tableSpec, dir string, rowGroup int, rows int64, depth int, props *parquet.WriterProperties, kv metadata.KeyValueMetadata) (*sink, error) {
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
		spec:  ts,
		final: filepath.Join(dir, name),
		f:     f,
		bw:    bufio.NewWriterSize(f, 1<<20),
		full:  make(chan piece, depth),
		free:  make(chan *batch, depth),
	}
	s.pw, err = file.NewParquetWriterWithError(s.bw, sc, file.WithWriterProps(props), file.WithWriteMetadata(kv))
	if err != nil {
		s.discard()
		return nil, fmt.Errorf("tpchgen: %s: %w", name, err)
	}
	capacity := int(min(int64(rowGroup), rows))
	for range depth {
		s.free <- newBatch(ts, capacity)
	}
	return s, nil
}

// writeAll writes row groups 0..groups-1 as they arrive.
func (s *sink) writeAll(ctx context.Context, groups int) error {
	pending := make(map[int]*batch)
	for next := 0; next < groups; {
		select {
		case p := <-s.full:
			pending[p.index] = p.b
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		for b, ok := pending[next]; ok; b, ok = pending[next] {
			delete(pending, next)
			if err := s.writeRowGroup(b); err != nil {
				return fmt.Errorf("tpchgen: writing %s: %w", s.final, err)
			}
			s.free <- b
			next++
		}
	}
	return nil
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
	col := &b.cols[i]
	switch {
	case c.dict:
		err = writeDictColumn(cw, c.kind, col)
	case c.kind == kInt32 || c.kind == kDate:
		_, err = cw.(*file.Int32ColumnChunkWriter).WriteBatch(col.i32, nil, nil)
	case c.kind == kInt64 || c.kind == kDecimal:
		_, err = cw.(*file.Int64ColumnChunkWriter).WriteBatch(col.i64, nil, nil)
	default:
		_, err = cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(col.str, nil, nil)
	}
	if err != nil {
		return fmt.Errorf("column %s: %w", c.name, err)
	}
	return nil
}

// finish writes the footer and renames the file into place. When commit
// is false, or on any failure, the temporary file is removed instead.
func (s *sink) finish(commit bool) error {
	if !commit {
		s.discard()
		return nil
	}
	if err := s.pw.Close(); err != nil {
		s.discard()
		return fmt.Errorf("tpchgen: %s: %w", s.final, err)
	}
	err := s.bw.Flush()
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
