package scan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Reader decodes some columns of one row group a batch at a time. It is not
// safe for concurrent use; run one Reader per worker (morsel).
type Reader struct {
	f    *File
	rg   int
	cols []int
	cs   []*colState
	rows int64 // rows not yet returned

	loaded    bool
	err       error // sticky: a failed reader keeps failing
	bytesRead int64
	dec       decompressor
	stats     ReaderStats

	push *pushdown // nil unless NewReaderWith got predicates

	pooled []pooledBuf // fetched chunk bytes that Close may recycle

	ctx     context.Context // bounds the reader's fetches
	fetched *Fetched        // bytes read ahead (ReaderOptions.Fetched)
}

// pooledBuf is a recycled chunk buffer and the columns reading from it.
type pooledBuf struct {
	b    []byte
	cols []*colState
}

// coalesceGap is how far apart two selected column chunks may be and still
// be fetched with one read: reading a few unneeded KiB is cheaper than
// another round trip, especially on object stores.
const coalesceGap = 64 << 10

// NewReader reads the given columns (indexes into Columns()) of row group
// rg. Column chunks are fetched on the first call to Next.
func (f *File) NewReader(rg int, cols []int) (*Reader, error) {
	if rg < 0 || rg >= len(f.md.RowGroups) {
		return nil, fmt.Errorf("%s: row group %d out of range (file has %d)", f.path, rg, len(f.md.RowGroups))
	}
	r := &Reader{f: f, rg: rg, cols: slices.Clone(cols), rows: f.md.RowGroups[rg].NumRows, ctx: context.Background()}
	for _, ci := range cols {
		if ci < 0 || ci >= len(f.cols) {
			return nil, fmt.Errorf("%s: column index %d out of range (file has %d columns)", f.path, ci, len(f.cols))
		}
		col := f.cols[ci]
		if col.Unsupported != "" {
			return nil, fmt.Errorf("column %s of %s has %s", col.Name, f.path, col.Unsupported)
		}
		if nc := f.nested[ci]; nc != nil {
			ns, err := f.newNestState(rg, nc, col.Name)
			if err != nil {
				return nil, err
			}
			ns.want = f.fieldWant[ci]
			r.cs = append(r.cs, &colState{name: col.Name, li: leafInfo{leaf: -1}, typ: col.Type, left: r.rows,
				stats: &r.stats, nest: ns})
			continue
		}
		li := f.leaves[ci]
		md := f.md.RowGroups[rg].Columns[li.leaf].MetaData
		codec := int32(md.Codec)
		if !codecSupported(codec) {
			return nil, fmt.Errorf("column %s of %s: codec %s not supported", col.Name, f.path, codecName(codec))
		}
		if f.md.RowGroups[rg].Columns[li.leaf].FilePath != nil {
			return nil, fmt.Errorf("column %s of %s: column chunks in external files are not supported", col.Name, f.path)
		}
		r.cs = append(r.cs, &colState{
			name:  col.Name,
			li:    li,
			typ:   col.Type,
			codec: codec,
			left:  r.rows,
			stats: &r.stats,
		})
	}
	r.stats.RowsTotal = r.rows
	return r, nil
}

// maxDictHeaderPad is how far a PARQUET-816 chunk may extend past its
// declared length (arrow and parquet-cpp use the same bound).
const maxDictHeaderPad = 100

// chunkRange returns the byte range of column ci's chunk in row group rg.
func (f *File) chunkRange(rg, ci int) (int64, int64, error) {
	return f.leafRange(rg, f.leaves[ci].leaf)
}

// leafRange returns the byte range of column chunk leaf in row group rg.
func (f *File) leafRange(rg, leaf int) (int64, int64, error) {
	md := f.md.RowGroups[rg].Columns[leaf].MetaData
	start := md.DataPageOffset
	// Some writers set dictionary_page_offset to 0 when there is no
	// dictionary (or even when there is one); only a plausible offset
	// before the data pages moves the start.
	if d := md.DictionaryPageOffset; d != nil && *d >= 4 && *d < start {
		start = *d
	}
	length := md.TotalCompressedSize
	if start < 4 || start >= f.dataEnd || length <= 0 {
		return 0, 0, fmt.Errorf("corrupt column chunk location (offset %d, length %d)", start, length)
	}
	end := start + length
	if f.padChunks && end < f.dataEnd {
		end += min(maxDictHeaderPad, f.dataEnd-end)
	}
	if end > f.dataEnd || end < start {
		// Clamp rather than fail: the pages themselves say where they end,
		// and a short chunk is reported when a page runs past it.
		end = f.dataEnd
	}
	return start, end, nil
}

// load fetches every selected column chunk, coalescing neighbours.
func (r *Reader) load() error {
	type ref struct{ cs, leaf int } // leaf: index among a nested column's leaves, or -1
	type span struct {
		start, end int64
		cols       []ref
	}
	spans := make([]span, 0, len(r.cs))
	for i, ci := range r.cols {
		if ns := r.cs[i].nest; ns != nil {
			for k, l := range ns.nc.leaves {
				if ns.want != nil && !ns.want[k] {
					continue
				}
				s, e, err := r.f.leafRange(r.rg, l.leaf)
				if err != nil {
					return r.fail(r.cs[i], err)
				}
				spans = append(spans, span{s, e, []ref{{i, k}}})
			}
			continue
		}
		s, e, err := r.f.chunkRange(r.rg, ci)
		if err != nil {
			return r.fail(r.cs[i], err)
		}
		spans = append(spans, span{s, e, []ref{{i, -1}}})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	gap := r.f.gap()
	var merged []span
	for _, s := range spans {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end+gap {
			m := &merged[n-1]
			m.end = max(m.end, s.end)
			m.cols = append(m.cols, s.cols...)
			continue
		}
		merged = append(merged, s)
	}
	bufs := make([][]byte, len(merged))
	var missing []Span
	for i, m := range merged {
		if b, ok := r.fetched.lookup(m.start, m.end); ok {
			bufs[i] = b
			r.bytesRead += int64(len(b))
			continue
		}
		missing = append(missing, Span{m.start, m.end})
	}
	if r.f.remote && len(missing) > 0 {
		// Round trips are what costs: fetch every missing span at once.
		fd, err := r.f.Fetch(r.ctx, missing)
		if err != nil {
			if isCancel(err) {
				return err
			}
			return fmt.Errorf("%w (row group %d)", err, r.rg)
		}
		for i, m := range merged {
			if bufs[i] == nil {
				bufs[i], _ = fd.lookup(m.start, m.end)
				r.bytesRead += m.end - m.start
			}
		}
	}
	for i, m := range merged {
		buf := bufs[i]
		if buf == nil {
			reuse := true
			for _, rf := range m.cols {
				if c := r.cs[rf.cs]; c.nest != nil || c.codec == codecUncompressed {
					reuse = false
				}
			}
			if reuse {
				buf = getBuf(int(m.end - m.start))
				pb := pooledBuf{b: buf}
				for _, rf := range m.cols {
					pb.cols = append(pb.cols, r.cs[rf.cs])
				}
				r.pooled = append(r.pooled, pb)
			} else {
				buf = make([]byte, m.end-m.start)
			}
			if err := readAt(r.ctx, r.f.r, buf, m.start); err != nil {
				if isCancel(err) {
					return err
				}
				return fmt.Errorf("%w (row group %d)", readError(r.f.path, err), r.rg)
			}
			r.bytesRead += int64(len(buf))
		}
		for _, rf := range m.cols {
			c := r.cs[rf.cs]
			if rf.leaf >= 0 {
				s, e, _ := r.f.leafRange(r.rg, c.nest.nc.leaves[rf.leaf].leaf)
				c.nest.chunks[rf.leaf] = buf[s-m.start : e-m.start]
				continue
			}
			s, e, _ := r.f.chunkRange(r.rg, r.cols[rf.cs])
			c.chunk = buf[s-m.start : e-m.start]
		}
	}
	r.loaded = true
	return nil
}

// fail reports a problem with the data: the file, column and row group,
// and what is wrong (a corrupt page names the page).
func (r *Reader) fail(c *colState, err error) error {
	if isCancel(err) || hasCategory(err) {
		return err
	}
	if c == nil {
		return fmt.Errorf("Invalid Input Error: %s: row group %d: %w", r.f.path, r.rg, err)
	}
	return fmt.Errorf("Invalid Input Error: %s: column %s, row group %d: %w", r.f.path, c.name, r.rg, err)
}

func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// hasCategory reports whether err already reads "Xxx Error: ...".
func hasCategory(err error) bool {
	head, _, ok := strings.Cut(err.Error(), ": ")
	return ok && strings.HasSuffix(head, " Error") && !strings.ContainsAny(head, "/\\")
}

// catchPanics is cleared by the fuzz tests so that a decoder bug shows up
// as a crash there instead of being turned into an error.
var catchPanics = true

// Next fills b with up to max rows: b.Vecs[i] is column cols[i]. It
// (re)sizes b's vectors, sets b.N and clears b.Sel, and returns (0, io.EOF)
// after the last row. b must come from coldata.NewBatch with the columns'
// types or from a previous call. Values stay valid after the next call
// (strings point into buffers that are never reused), but b's slices and
// null masks are overwritten.
func (r *Reader) Next(b *coldata.Batch, max int) (n int, err error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.push != nil {
		return r.nextPush(b, max)
	}
	if r.rows == 0 {
		return 0, io.EOF
	}
	if b == nil || len(b.Vecs) != len(r.cs) {
		return 0, fmt.Errorf("%s: batch has the wrong number of vectors for %d columns", r.f.path, len(r.cs))
	}
	if !r.loaded {
		if err := r.load(); err != nil {
			r.err = err
			return 0, err
		}
	}
	if max <= 0 {
		max = coldata.DefaultBatchSize
	}
	n = int(min(int64(max), r.rows))
	start := time.Now()
	defer func() { r.stats.DecodeTime += time.Since(start) }()
	var cur *colState
	// Decoders bounds-check their input; this is the last line of defence
	// so that a decoder bug on a hostile file is an error, not a crash.
	defer func() {
		if !catchPanics {
			return
		}
		if p := recover(); p != nil {
			r.err = r.fail(cur, fmt.Errorf("internal error while decoding: %v", p))
			n, err = 0, r.err
		}
	}()
	for i, c := range r.cs {
		cur = c
		v := b.Vecs[i]
		if v == nil {
			v = &coldata.Vec{Type: c.typ}
			b.Vecs[i] = v
		} else if v.Type != c.typ {
			return 0, fmt.Errorf("%s: column %s is %s but batch vector %d is %s", r.f.path, c.name, c.typ, i, v.Type)
		}
		if err := c.read(v, n, &r.dec); err != nil {
			r.err = r.fail(c, err)
			return 0, r.err
		}
	}
	r.rows -= int64(n)
	b.N = n
	b.Sel = nil
	return n, nil
}

// Close releases the reader's buffers. It is idempotent.
func (r *Reader) Close() error {
	for _, pb := range r.pooled {
		if !slices.ContainsFunc(pb.cols, func(c *colState) bool { return c.inPlace }) {
			putBuf(pb.b)
		}
	}
	r.pooled = nil
	for _, c := range r.cs {
		putBuf(c.buf)
		*c = colState{}
	}
	r.cs = nil
	if r.err == nil {
		r.err = errors.New("scan: reader closed")
	}
	return nil
}

// BytesRead reports how many bytes of column chunks the reader fetched.
func (r *Reader) BytesRead() int64 { return r.bytesRead }

// HeldBytes estimates the memory the reader keeps between calls: the column
// chunk bytes it fetched (held until Close), each column's page buffer and,
// for a nested column, the row group assembled at its first batch.
func (r *Reader) HeldBytes() int64 {
	b := max(r.bytesRead, r.fetched.Bytes())
	for _, c := range r.cs {
		b += int64(cap(c.buf))
		if c.nest != nil && c.nest.full != nil {
			b += coldata.NestedBytes(c.nest.full)
		}
	}
	return b
}

// Encodings (parquet.thrift Encoding).
const (
	encPlain             = 0
	encPlainDict         = 2
	encRLE               = 3
	encBitPacked         = 4
	encDeltaBinaryPacked = 5
	encDeltaLengthBA     = 6
	encDeltaBA           = 7
	encRLEDict           = 8
	encByteStreamSplit   = 9
)

var encodingNames = map[int32]string{encPlain: "PLAIN", encPlainDict: "PLAIN_DICTIONARY", encRLE: "RLE",
	encBitPacked: "BIT_PACKED", encDeltaBinaryPacked: "DELTA_BINARY_PACKED",
	encDeltaLengthBA: "DELTA_LENGTH_BYTE_ARRAY", encDeltaBA: "DELTA_BYTE_ARRAY",
	encRLEDict: "RLE_DICTIONARY", encByteStreamSplit: "BYTE_STREAM_SPLIT"}

func encodingName(e int32) string {
	if s, ok := encodingNames[e]; ok {
		return s
	}
	return fmt.Sprintf("%d", e)
}
