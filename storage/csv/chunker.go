package csv

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/storage"
)

// FileRef is one file of a scan: where it lives and its hive partition
// values.
type FileRef struct {
	Path      string
	Info      storage.FileStat
	FS        storage.FileSystem
	Partition []coldata.Datum
}

// atReader reads a file front to back through ReaderAt, honouring ctx.
type atReader struct {
	ctx  context.Context
	r    storage.ReaderAt
	off  int64
	size int64
}

func (a *atReader) Read(p []byte) (int, error) {
	if a.off >= a.size {
		return 0, io.EOF
	}
	if rest := a.size - a.off; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := a.r.ReadAtContext(a.ctx, p, a.off)
	a.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// stream is an open file's decompressed bytes.
type stream struct {
	io.Reader
	closers []func() error
}

func (s *stream) Close() error {
	var first error
	for i := len(s.closers) - 1; i >= 0; i-- {
		if err := s.closers[i](); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// compressionOf picks the codec from the option, the extension, or the
// first bytes.
func compressionOf(opt, path string, head []byte) string {
	switch strings.ToLower(opt) {
	case "gzip", "zstd", "none":
		return strings.ToLower(opt)
	}
	p := strings.ToLower(path)
	switch {
	case strings.HasSuffix(p, ".gz"), strings.HasSuffix(p, ".gzip"):
		return "gzip"
	case strings.HasSuffix(p, ".zst"), strings.HasSuffix(p, ".zstd"):
		return "zstd"
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return "gzip"
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return "zstd"
	}
	return "none"
}

// Open returns the decompressed bytes of f.
func Open(ctx context.Context, f FileRef, compression string) (io.ReadCloser, error) {
	r, err := f.FS.Open(ctx, f.Info)
	if err != nil {
		return nil, err
	}
	s := &stream{closers: []func() error{r.Close}}
	br := bufio.NewReaderSize(&atReader{ctx: ctx, r: r, size: f.Info.Size}, 1<<16)
	head, _ := br.Peek(4)
	switch compressionOf(compression, f.Path, head) {
	case "gzip":
		zr, err := gzip.NewReader(br)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("IO Error: %s: %v", f.Path, err)
		}
		s.Reader = zr
		s.closers = append(s.closers, zr.Close)
	case "zstd":
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("IO Error: %s: %v", f.Path, err)
		}
		s.Reader = zr
		s.closers = append(s.closers, func() error { zr.Close(); return nil })
	default:
		s.Reader = br
	}
	return s, nil
}

// readSample returns up to max bytes from the start of f (decompressed);
// complete reports that they are the whole file.
func readSample(ctx context.Context, f FileRef, compression string, max int) ([]byte, bool, error) {
	r, err := Open(ctx, f, compression)
	if err != nil {
		return nil, false, err
	}
	defer r.Close()
	buf := make([]byte, max)
	n, err := io.ReadFull(r, buf)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return buf[:n], true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("IO Error: %s: %v", f.Path, err)
	}
	return buf[:n], false, nil
}

// chunk is a run of whole records of one file.
type chunk struct {
	data []byte
	file int
	line int64 // lines of the file before data
	buf  *[]byte
}

const chunkSize = 2 << 20

var chunkPool = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

// chunkFile cuts one file into chunks at record boundaries and sends them
// to out. The first chunk starts after the skipped lines and the header.
func (s *Scan) chunkFile(ctx context.Context, fi int, out chan<- *chunk) error {
	f := s.Files[fi]
	r, err := Open(ctx, f, s.opts.Compression)
	if err != nil {
		return err
	}
	defer r.Close()
	d := s.dialect(fi)
	var line int64
	var carry []byte
	first, eof := true, false
	for !eof {
		bp := chunkPool.Get().(*[]byte)
		buf := (*bp)[:cap(*bp)]
		if s.chunkBytes > 0 {
			buf = buf[:s.chunkBytes] // tests: many small chunks
		}
		for len(buf) < 2*len(carry) || len(buf) == len(carry) {
			buf = make([]byte, 2*len(carry)+max(s.chunkBytes, 16))
			bp = &buf
		}
		n := copy(buf, carry)
		m, err := io.ReadFull(r, buf[n:])
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			eof = true
		} else if err != nil {
			return fmt.Errorf("IO Error: %s: %v", f.Path, err)
		}
		data := buf[:n+m]
		if first {
			data = bytes.TrimPrefix(data, bom)
			var ok bool
			if data, line, ok = s.skipPreamble(data, d, fi, eof); !ok {
				// The preamble is longer than a chunk: read more first.
				carry = append([]byte(nil), buf[:n+m]...)
				putChunk(bp)
				continue
			}
			first = false
		}
		cut := len(data)
		if !eof {
			cut = d.lastBoundary(data)
			if cut <= 0 {
				// One record longer than the buffer: read more.
				carry = append(carry[:0:0], data...)
				putChunk(bp)
				continue
			}
		}
		carry = append(carry[:0], data[cut:]...)
		c := &chunk{data: data[:cut], file: fi, line: line, buf: bp}
		line += int64(bytes.Count(c.data, nl))
		select {
		case out <- c:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

var nl = []byte{'\n'}

// skipPreamble drops the skip lines and the header at the start of a file.
// ok is false when data is too short to tell (and not the whole file).
func (s *Scan) skipPreamble(data []byte, d dialect, fi int, eof bool) ([]byte, int64, bool) {
	var line int64
	for k := 0; k < s.opts.Skip; k++ {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			if !eof {
				return nil, 0, false
			}
			return data[:0], line, true
		}
		data, line = data[i+1:], line+1
	}
	if s.header(fi) {
		i := d.firstBoundary(data)
		if i < 0 {
			if !eof {
				return nil, 0, false
			}
			return data[:0], line, true
		}
		line += int64(bytes.Count(data[:i], nl))
		data = data[i:]
	}
	return data, line, true
}

// putChunk recycles a chunk buffer of the standard size.
func putChunk(bp *[]byte) {
	if bp != nil && cap(*bp) == chunkSize {
		chunkPool.Put(bp)
	}
}
