package storage

import (
	"bufio"
	"fmt"
	"io"
	"path"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// RowEncoder writes rows as a text format (CSV, JSON) for COPY ... TO;
// WriteOptions.Encoder set makes the writer use it instead of Parquet, with
// the same staging, PARTITION_BY and FILE_SIZE_BYTES.
type RowEncoder interface {
	// Ext is the files' extension (".csv").
	Ext() string
	// Begin starts a file (a header); End finishes it.
	Begin(w io.Writer, names []string, types []coldata.Type) error
	End(w io.Writer) error
	// Encode writes rows (all when nil) of the columns cols of b.
	Encode(w io.Writer, b *coldata.Batch, cols []int, rows []int32) error
}

// textFile is a sink's open text file: encoder output, compressed, into
// the staged file.
type textFile struct {
	bw *bufio.Writer
	zc io.WriteCloser // the compressor, or nil
}

// createFile stages the sink's next file: the target itself, or
// data_N<ext> in its folder (a fresh name when appending).
func (s *sink) createFile(ext string) error {
	name := ""
	if s.w.folder {
		if s.w.opts.Mode == WriteAppend {
			name = s.w.stage.FreshName(s.dir, ext)
		} else {
			name = path.Join(s.dir, fmt.Sprintf("data_%d%s", s.fileIdx, ext))
		}
	}
	s.final = s.w.finalPath(name)
	s.fileIdx++
	fh, err := s.w.stage.Create(name)
	if err != nil {
		return err
	}
	s.fh = fh
	s.cw = &countingWriter{w: fh}
	return nil
}

// openText starts the next text file of this sink.
func (s *sink) openText() error {
	o := s.w.opts
	ext := o.Encoder.Ext()
	switch o.TextCompression {
	case "gzip":
		ext += ".gz"
	case "zstd":
		ext += ".zst"
	}
	if err := s.createFile(ext); err != nil {
		return err
	}
	var err error
	tf := &textFile{}
	var out io.Writer = s.cw
	switch o.TextCompression {
	case "gzip":
		tf.zc = gzip.NewWriter(s.cw)
	case "zstd":
		if tf.zc, err = zstd.NewWriter(s.cw); err != nil {
			return err
		}
	case "", "none", "uncompressed", "auto":
	default:
		return fmt.Errorf("Invalid Input Error: unsupported compression %q for a text file (gzip, zstd or none)", o.TextCompression)
	}
	if tf.zc != nil {
		out = tf.zc
	}
	tf.bw = bufio.NewWriterSize(out, 1<<20)
	s.text = tf
	var names []string
	var types []coldata.Type
	for _, c := range s.w.dataCols {
		names = append(names, s.w.names[c])
		types = append(types, s.w.types[c])
	}
	return s.textErr(o.Encoder.Begin(tf.bw, names, types))
}

func (s *sink) textErr(err error) error {
	if err != nil {
		return ioErrorf("Could not write file %q: %v", s.final, err)
	}
	return nil
}

// appendText encodes rows (all when nil) of b, rotating files at
// FILE_SIZE_BYTES.
func (s *sink) appendText(b *coldata.Batch, rows []int32) error {
	if s.text == nil {
		if err := s.openText(); err != nil {
			return err
		}
	}
	n := b.N
	if rows != nil {
		n = len(rows)
	}
	if err := s.textErr(s.w.opts.Encoder.Encode(s.text.bw, b, s.w.dataCols, rows)); err != nil {
		return err
	}
	s.rows += int64(n)
	if s.w.opts.FileSizeBytes > 0 && s.cw.n+int64(s.text.bw.Buffered()) >= s.w.opts.FileSizeBytes {
		return s.closeText()
	}
	return nil
}

// closeText finishes the current text file, which then waits for the
// final rename.
func (s *sink) closeText() error {
	tf := s.text
	if tf == nil {
		return nil
	}
	s.text = nil
	err := s.w.opts.Encoder.End(tf.bw)
	if err == nil {
		err = tf.bw.Flush()
	}
	if tf.zc != nil {
		if cerr := tf.zc.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := s.fh.Close(); err == nil {
		err = cerr
	}
	s.fh = nil
	if err != nil {
		return s.textErr(err)
	}
	s.w.files = append(s.w.files, s.final)
	s.w.bytes += s.cw.n
	return nil
}
