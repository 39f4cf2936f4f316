package exec

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// spillFile is one temporary file of columnar blocks, each tagged with a
// partition (hash partition, or sorted run). Blocks of a partition are read
// back in the order written, with ReadAt, so any number of readers may read
// different partitions at once while writers append under the lock.
//
// The encoding is our own: typed slices copied as raw little-endian memory,
// padded to 8 bytes so they can be viewed in place, strings as lengths plus
// bytes, NULLs as one byte per row. It is uncompressed: spilled state is
// mostly integers that are read back once, and a compressor's window per
// partition writer would cost more memory than the limit we spill under.
// The file is created on the first write and removed by Close.
type spillFile struct {
	env   memEnv
	types []coldata.Type
	bytes *atomic.Int64 // operator's spilled-bytes counter (may be shared)

	mu     sync.Mutex
	f      *os.File
	size   int64
	index  [][]blockRef // per partition
	rows   []int64      // per partition
	closed bool
}

type blockRef struct {
	off int64
	len int64
}

func newSpillFile(env memEnv, types []coldata.Type, parts int, counter *atomic.Int64) *spillFile {
	return &spillFile{env: env, types: types, bytes: counter,
		index: make([][]blockRef, parts), rows: make([]int64, parts)}
}

func (s *spillFile) open() error {
	if s.f != nil {
		return nil
	}
	if s.closed {
		return fmt.Errorf("spill: write after close")
	}
	dir := s.env.tempDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	f, err := os.CreateTemp(dir, "spill-*.bin")
	if err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	s.f = f
	return nil
}

// write appends rows sel (all n when nil) of cols as one block of
// partition part. buf is the caller's scratch, returned for reuse, so
// concurrent writers encode outside the lock without allocating.
func (s *spillFile) write(part int, cols []*coldata.Vec, sel []int32, n int, buf []byte) ([]byte, error) {
	if n == 0 {
		return buf, nil
	}
	buf = encodeBlock(buf[:0], cols, sel, n)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.open(); err != nil {
		return buf, err
	}
	if _, err := s.f.WriteAt(buf, s.size); err != nil {
		return buf, fmt.Errorf("spill: %w", err)
	}
	for part >= len(s.index) {
		s.index, s.rows = append(s.index, nil), append(s.rows, 0)
	}
	s.index[part] = append(s.index[part], blockRef{s.size, int64(len(buf))})
	s.rows[part] += int64(n)
	s.size += int64(len(buf))
	if s.bytes != nil {
		s.bytes.Add(int64(len(buf)))
	}
	return buf, nil
}

// partBytes is the encoded size of partition part.
func (s *spillFile) partBytes(part int) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b int64
	for _, r := range s.index[part] {
		b += r.len
	}
	return b
}

// maxBlock is the largest encoded block of partition part: what a reader
// of it holds at once.
func (s *spillFile) maxBlock(part int) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var m int64
	if part < len(s.index) {
		for _, r := range s.index[part] {
			m = max(m, r.len)
		}
	}
	return m
}

// Close removes the file; idempotent.
func (s *spillFile) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.f == nil {
		return nil
	}
	name := s.f.Name()
	err := s.f.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	s.f = nil
	return err
}

// spillReader streams one partition's blocks back as batches. The batch is
// reused: valid until the next call.
type spillReader struct {
	s      *spillFile
	blocks []blockRef
	i      int
	buf    []uint64 // 8-aligned read buffer
	b      *coldata.Batch
}

func (s *spillFile) reader(part int) *spillReader {
	s.mu.Lock()
	var blocks []blockRef
	if part < len(s.index) {
		blocks = s.index[part]
	}
	s.mu.Unlock()
	return &spillReader{s: s, blocks: blocks, b: coldata.NewBatch(s.types, 0)}
}

func (r *spillReader) next() (*coldata.Batch, error) {
	if r.i >= len(r.blocks) {
		return nil, io.EOF
	}
	ref := r.blocks[r.i]
	r.i++
	r.buf = coldata.Grow(r.buf, int((ref.len+7)/8))
	raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(r.buf))), ref.len)
	r.s.mu.Lock()
	f := r.s.f
	r.s.mu.Unlock()
	if f == nil {
		return nil, fmt.Errorf("spill: read after close")
	}
	if _, err := f.ReadAt(raw, ref.off); err != nil {
		return nil, fmt.Errorf("spill: %w", err)
	}
	if err := decodeBlock(raw, r.b); err != nil {
		return nil, err
	}
	return r.b, nil
}

func pad8(buf []byte) []byte {
	for len(buf)%8 != 0 {
		buf = append(buf, 0)
	}
	return buf
}

// encodeBlock appends the block encoding of rows sel (or [0,n)) of cols.
func encodeBlock(buf []byte, cols []*coldata.Vec, sel []int32, n int) []byte {
	buf = binary.LittleEndian.AppendUint64(buf, uint64(n))
	for _, v := range cols {
		if v.Nulls != nil {
			buf = append(buf, 1)
			buf = appendFixed(buf, v.Nulls, sel, n)
		} else {
			buf = append(buf, 0)
		}
		buf = pad8(buf)
		switch v.Type.ID {
		case coldata.Bool:
			buf = appendFixed(buf, v.B, sel, n)
		case coldata.Int32, coldata.Date:
			buf = appendFixed(buf, v.I32, sel, n)
		case coldata.Int64, coldata.Decimal, coldata.Timestamp:
			buf = appendFixed(buf, v.I64, sel, n)
		case coldata.Float64:
			buf = appendFixed(buf, v.F64, sel, n)
		case coldata.String:
			total := 0
			for k := range n {
				l := len(v.Str[selRow(sel, k)])
				buf = binary.LittleEndian.AppendUint32(buf, uint32(l))
				total += l
			}
			buf = binary.LittleEndian.AppendUint64(buf, uint64(total))
			for k := range n {
				buf = append(buf, v.Str[selRow(sel, k)]...)
			}
		}
		buf = pad8(buf)
	}
	return buf
}

func selRow(sel []int32, k int) int {
	if sel == nil {
		return k
	}
	return int(sel[k])
}

// appendFixed appends n values as raw memory, 8-aligned relative to the
// block start (buf's length is kept a multiple of 8 between sections).
func appendFixed[T any](buf []byte, vals []T, sel []int32, n int) []byte {
	var z T
	size := int(unsafe.Sizeof(z))
	off := len(buf)
	buf = coldata.Grow(buf, off+n*size)
	if n == 0 {
		return buf
	}
	if sel == nil {
		copy(buf[off:], unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(vals))), n*size))
		return buf
	}
	dst := buf[off:]
	sel = sel[:n]
	for k, i := range sel {
		copy(dst[k*size:(k+1)*size], unsafe.Slice((*byte)(unsafe.Pointer(&vals[i])), size))
	}
	return buf
}

type blockDecoder struct {
	raw []byte
	pos int
	err error
}

func (d *blockDecoder) take(n int) []byte {
	if d.err != nil || d.pos+n > len(d.raw) {
		d.err = fmt.Errorf("spill: corrupt block")
		return nil
	}
	b := d.raw[d.pos : d.pos+n]
	d.pos += n
	return b
}

func (d *blockDecoder) align() { d.pos = (d.pos + 7) &^ 7 }

func decodeFixed[T any](d *blockDecoder, dst []T) {
	var z T
	b := d.take(len(dst) * int(unsafe.Sizeof(z)))
	if d.err == nil && len(dst) > 0 {
		copy(dst, unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(dst)))
	}
}

// decodeBlock fills out (typed as the file) from one encoded block.
// Strings of a column share one allocation per block.
func decodeBlock(raw []byte, out *coldata.Batch) error {
	d := &blockDecoder{raw: raw}
	hdr := d.take(8)
	if d.err != nil {
		return d.err
	}
	n := int(binary.LittleEndian.Uint64(hdr))
	out.Reset(n)
	for _, v := range out.Vecs {
		flag := d.take(1)
		if d.err != nil {
			return d.err
		}
		if flag[0] == 1 {
			decodeFixed(d, v.EnsureNulls()[:n])
		}
		d.align()
		switch v.Type.ID {
		case coldata.Bool:
			decodeFixed(d, v.B[:n])
		case coldata.Int32, coldata.Date:
			decodeFixed(d, v.I32[:n])
		case coldata.Int64, coldata.Decimal, coldata.Timestamp:
			decodeFixed(d, v.I64[:n])
		case coldata.Float64:
			decodeFixed(d, v.F64[:n])
		case coldata.String:
			lens := d.take(4 * n)
			tb := d.take(8)
			if d.err != nil {
				return d.err
			}
			allb := d.take(int(binary.LittleEndian.Uint64(tb)))
			if d.err != nil {
				return d.err
			}
			all := string(allb)
			off := 0
			for k := range n {
				l := int(binary.LittleEndian.Uint32(lens[4*k:]))
				v.Str[k] = all[off : off+l]
				off += l
			}
		}
		d.align()
		if d.err != nil {
			return d.err
		}
	}
	return nil
}
