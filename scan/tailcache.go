package scan

import (
	"context"
	"io"
)

// maxKeptTail bounds the bytes before the footer that a remote file keeps
// from its footer read (per cached file, for the life of the File).
const maxKeptTail = 16 << 10

// tailReader serves reads of the bytes just before a remote file's footer
// from what the footer read already brought: the page indexes writers put
// there, and the whole of a small file (TPC-H's nation and region), which
// would otherwise each cost a round trip after the footer's.
type tailReader struct {
	RangeReader
	start int64
	buf   []byte
}

// keptTail carries the bytes readTail read before the footer to
// NewFileContext, which wraps the reader.
type keptTail struct {
	start int64
	buf   []byte
}

// keepTail is called by readTail with the bytes before the footer it read
// (starting at file offset start); it records the last maxKeptTail of them
// on r when r is a round-trip reader that a later wrapTail can wrap.
func keepTail(r io.ReaderAt, before []byte, start int64) {
	if h, ok := r.(*tailHolder); ok && len(before) > 0 {
		cut := max(0, len(before)-maxKeptTail)
		h.kept = keptTail{start: start + int64(cut), buf: append([]byte(nil), before[cut:]...)}
	}
}

// tailHolder wraps a round-trip reader while its footer is read, to
// collect the kept tail.
type tailHolder struct {
	RangeReader
	kept keptTail
}

// wrapTail returns the reader the File keeps: r itself, or r serving the
// kept tail from memory.
func (h *tailHolder) wrapTail() io.ReaderAt {
	if h.kept.buf == nil {
		return h.RangeReader
	}
	return &tailReader{RangeReader: h.RangeReader, start: h.kept.start, buf: h.kept.buf}
}

func (t *tailReader) covered(p []byte, off int64) bool {
	return off >= t.start && off+int64(len(p)) <= t.start+int64(len(t.buf))
}

func (t *tailReader) ReadAt(p []byte, off int64) (int, error) {
	if t.covered(p, off) {
		return copy(p, t.buf[off-t.start:]), nil
	}
	return t.RangeReader.ReadAt(p, off)
}

func (t *tailReader) ReadAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	if t.covered(p, off) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		return copy(p, t.buf[off-t.start:]), nil
	}
	return t.RangeReader.ReadAtContext(ctx, p, off)
}
