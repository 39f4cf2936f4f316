package scan

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"
)

// RangeReader is a source of file bytes that can be cancelled and that
// says whether each read is a network round trip (an object store or
// HTTP server). Files over such a reader read their footer with one tail
// read, coalesce column chunks with wider gaps, fetch them in parallel,
// and read the page index of a file in one request.
type RangeReader interface {
	io.ReaderAt
	ReadAtContext(ctx context.Context, p []byte, off int64) (int, error)
	RoundTrips() bool
}

// readAt reads len(p) bytes at off, through ReadAtContext when r has it.
// A short read at the end of the file with every byte present is not an
// error.
func readAt(ctx context.Context, r io.ReaderAt, p []byte, off int64) error {
	var n int
	var err error
	if rr, ok := r.(RangeReader); ok {
		n, err = rr.ReadAtContext(ctx, p, off)
	} else {
		n, err = r.ReadAt(p, off)
	}
	if err != nil && !(errors.Is(err, io.EOF) && n == len(p)) {
		return err
	}
	return nil
}

func roundTrips(r io.ReaderAt) bool {
	rr, ok := r.(RangeReader)
	return ok && rr.RoundTrips()
}

// footerGuess is how much of a remote file's tail the first read takes:
// the footer of most files fits, so opening a file costs one request.
var footerGuess int64 = 256 << 10

// readTail reads the footer: the last 8 bytes (length and magic) and the
// footer before them. Over a round-trip reader it takes footerGuess bytes
// of the tail at once and widens with a second read only for larger
// footers; the leading magic is then checked only when the tail read
// covered it (the trailing one always is).
func readTail(ctx context.Context, r io.ReaderAt, size int64, name string) (footer []byte, flen int64, err error) {
	if !roundTrips(r) {
		var tail [8]byte
		if err := readAt(ctx, r, tail[:], size-8); err != nil {
			return nil, 0, readError(name, err)
		}
		var head [4]byte
		if err := readAt(ctx, r, head[:], 0); err != nil {
			return nil, 0, readError(name, err)
		}
		flen, err := checkTail(tail[:], head[:], size, name)
		if err != nil {
			return nil, 0, err
		}
		buf := make([]byte, flen)
		if err := readAt(ctx, r, buf, size-8-flen); err != nil {
			return nil, 0, readError(name, err)
		}
		return buf, flen, nil
	}
	n := min(size, footerGuess)
	tail := make([]byte, n)
	if err := readAt(ctx, r, tail, size-n); err != nil {
		return nil, 0, readError(name, err)
	}
	var head []byte
	if n == size {
		head = tail[:4]
	}
	flen, err = checkTail(tail[n-8:], head, size, name)
	if err != nil {
		return nil, 0, err
	}
	if flen+8 <= n {
		keepTail(r, tail[:n-8-flen], size-n)
		return tail[n-8-flen : n-8], flen, nil
	}
	buf := make([]byte, flen)
	have := n - 8
	copy(buf[flen-have:], tail[:have])
	if err := readAt(ctx, r, buf[:flen-have], size-8-flen); err != nil {
		return nil, 0, readError(name, err)
	}
	return buf, flen, nil
}

// checkTail validates the magic bytes (head may be nil when it was not
// read) and returns the footer length.
func checkTail(tail, head []byte, size int64, name string) (int64, error) {
	if string(tail[4:]) == "PARE" {
		return 0, fmt.Errorf("Not implemented Error: %s: encrypted Parquet is not supported", name)
	}
	if string(tail[4:]) != string(magic) {
		return 0, fmt.Errorf("Invalid Input Error: No magic bytes found at end of file '%s'", name)
	}
	if head != nil && string(head) != string(magic) {
		return 0, fmt.Errorf("Invalid Input Error: No magic bytes found at the start of file '%s'", name)
	}
	flen := int64(binary.LittleEndian.Uint32(tail[:4]))
	if flen == 0 || flen > size-12 || flen > maxFooterSize {
		return 0, fmt.Errorf("Invalid Input Error: %s: corrupt footer length %d (file is %d bytes)", name, flen, size)
	}
	return flen, nil
}

// Span is a byte range [Start, End) of a file.
type Span struct{ Start, End int64 }

// remoteCoalesceGap is coalesceGap for round-trip readers: a request costs
// tens of milliseconds, in which a megabyte or more arrives.
const remoteCoalesceGap = 1 << 20

// maxFetchPiece splits long spans so that one row group's bytes arrive
// over several connections at once.
const maxFetchPiece = 8 << 20

// coalesce sorts spans and merges those closer than gap.
func coalesce(spans []Span, gap int64) []Span {
	slices.SortFunc(spans, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })
	var out []Span
	for _, s := range spans {
		if n := len(out); n > 0 && s.Start <= out[n-1].End+gap {
			out[n-1].End = max(out[n-1].End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}

// FetchPlan returns the byte ranges a reader of columns cols of row group
// rg reads (predicate columns included), coalesced as the reader would.
func (f *File) FetchPlan(rg int, cols []int, preds []Predicate) []Span {
	if rg < 0 || rg >= len(f.md.RowGroups) {
		return nil
	}
	want := slices.Clone(cols)
	for _, p := range preds {
		if !slices.Contains(want, p.Col) {
			want = append(want, p.Col)
		}
	}
	var spans []Span
	for _, ci := range want {
		if ci < 0 || ci >= len(f.cols) || f.cols[ci].Unsupported != "" {
			continue
		}
		if nc := f.nested[ci]; nc != nil {
			for _, l := range nc.leaves {
				if s, e, err := f.leafRange(rg, l.leaf); err == nil {
					spans = append(spans, Span{s, e})
				}
			}
			continue
		}
		if s, e, err := f.chunkRange(rg, ci); err == nil {
			spans = append(spans, Span{s, e})
		}
	}
	return coalesce(spans, f.gap())
}

func (f *File) gap() int64 {
	if f.remote {
		return remoteCoalesceGap
	}
	return coalesceGap
}

// Remote reports whether the file's reads are network round trips.
func (f *File) Remote() bool { return f.remote }

// Fetched holds file bytes read ahead of a Reader.
type Fetched struct {
	spans []Span
	bufs  [][]byte
	bytes int64
}

// Bytes is the memory the fetched ranges hold.
func (fd *Fetched) Bytes() int64 {
	if fd == nil {
		return 0
	}
	return fd.bytes
}

// lookup returns [start, end) when one fetched range covers it.
func (fd *Fetched) lookup(start, end int64) ([]byte, bool) {
	if fd == nil {
		return nil, false
	}
	for i, s := range fd.spans {
		if start >= s.Start && end <= s.End {
			return fd.bufs[i][start-s.Start : end-s.Start], true
		}
	}
	return nil, false
}

// Fetch reads spans, in parallel pieces of at most maxFetchPiece bytes.
func (f *File) Fetch(ctx context.Context, spans []Span) (*Fetched, error) {
	fd := &Fetched{spans: spans, bufs: make([][]byte, len(spans))}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(fetchParallelism)
	for i, s := range spans {
		if s.End <= s.Start {
			continue
		}
		buf := make([]byte, s.End-s.Start)
		fd.bufs[i] = buf
		fd.bytes += int64(len(buf))
		for off := int64(0); off < int64(len(buf)); off += maxFetchPiece {
			piece := buf[off:min(off+maxFetchPiece, int64(len(buf)))]
			at := s.Start + off
			g.Go(func() error { return readAt(gctx, f.r, piece, at) })
		}
	}
	if err := g.Wait(); err != nil {
		return nil, readError(f.path, err)
	}
	return fd, nil
}

// fetchParallelism bounds the requests one Fetch has in flight.
const fetchParallelism = 8

// indexRegion caches the page indexes of a remote file: writers put every
// column and offset index between the last row group and the footer, so
// one request fetches what would otherwise be one request per column and
// row group.
type indexRegion struct {
	once  sync.Once
	start int64
	buf   []byte
}

// maxIndexRegion bounds the region read at once.
const maxIndexRegion = 16 << 20

// PrefetchIndex starts reading a remote file's page indexes in the
// background, so that the first reader with predicates does not wait a
// round trip for them after its column chunks arrived.
func (f *File) PrefetchIndex() {
	if f.remote {
		go f.readIndexRemote(0, 0)
	}
}

func (f *File) readIndexRemote(off int64, length int32) ([]byte, bool) {
	ir := f.index
	ir.once.Do(func() {
		lo, hi := int64(-1), int64(0)
		for _, rg := range f.md.RowGroups {
			for _, cc := range rg.Columns {
				if cc == nil {
					continue
				}
				for _, p := range [][2]any{{cc.ColumnIndexOffset, cc.ColumnIndexLength}, {cc.OffsetIndexOffset, cc.OffsetIndexLength}} {
					o, l := p[0].(*int64), p[1].(*int32)
					if o == nil || l == nil || *o < 4 || *l <= 0 || *o+int64(*l) > f.dataEnd {
						continue
					}
					if lo < 0 || *o < lo {
						lo = *o
					}
					hi = max(hi, *o+int64(*l))
				}
			}
		}
		if lo < 0 || hi-lo > maxIndexRegion {
			return
		}
		buf := make([]byte, hi-lo)
		if err := readAt(context.Background(), f.r, buf, lo); err != nil {
			return
		}
		ir.start, ir.buf = lo, buf
	})
	if ir.buf == nil || off < ir.start || off+int64(length) > ir.start+int64(len(ir.buf)) {
		return nil, false
	}
	return ir.buf[off-ir.start : off-ir.start+int64(length)], true
}
