package exec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/klauspost/compress/zstd"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/storage/tempdir"
)

// spillFile is one temporary file of columnar blocks, each tagged with a
// partition (hash partition, or sorted run). Blocks of a partition are read
// back in the order written, with ReadAt, so any number of readers may read
// different partitions at once while writers append under the lock.
//
// The encoding is our own: typed slices copied as raw little-endian memory,
// padded to 8 bytes so they can be viewed in place, strings as lengths plus
// bytes, NULLs as one byte per row. Each block is then compressed with zstd
// (fastest level, 1 MiB window, codecs shared by the process: see
// spillCodec) and framed as
//
//	[codec u64][raw length u64][stored length u64][stored bytes]
//
// where codec 0 stores the raw block (when compression does not pay) and 1
// a zstd frame. Lengths are checked against the in-memory index on reading,
// so a corrupt file gives an error, never a panic or a huge allocation.
// The file is created on the first write and removed by Close.
type spillFile struct {
	env   memEnv
	types []coldata.Type
	bytes *atomic.Int64 // operator's spilled-bytes counter (may be shared)

	mu     sync.Mutex
	f      *os.File
	dir    *tempdir.Dir // the process folder f is in
	size   int64
	index  [][]blockRef // per partition
	rows   []int64      // per partition
	closed bool
	raw    int64 // bytes before compression (statistics)
}

type blockRef struct {
	off int64
	len int64 // stored, with the header
	raw int64 // encoded block before compression
}

const (
	spillHdr    = 24
	codecRaw    = 0
	codecZstd   = 1
	spillWindow = 1 << 20
)

func newSpillFile(env memEnv, types []coldata.Type, parts int, counter *atomic.Int64) *spillFile {
	return &spillFile{env: env, types: types, bytes: counter,
		index: make([][]blockRef, parts), rows: make([]int64, parts)}
}

// The codecs are shared by every spill file of the process: EncodeAll and
// DecodeAll are safe for concurrent use, and with GOMAXPROCS encoders at
// most (fastest level, 1 MiB window, lower-memory mode: about 350 KiB each,
// measured) and low-memory decoders, their memory is a small fixed
// overhead of the process, like the runtime's, rather than a cost per file
// or per operator. A codec per file would cost more than the small limits
// operators spill under (an aggregate opens a file per level and DISTINCT
// argument), so it is not charged to the pool.
var spillCodec struct {
	once sync.Once
	enc  *zstd.Encoder
	dec  *zstd.Decoder
	err  error
}

func spillCodecs() (*zstd.Encoder, *zstd.Decoder, error) {
	c := &spillCodec
	c.once.Do(func() {
		n := runtime.GOMAXPROCS(0)
		c.enc, c.err = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest),
			zstd.WithWindowSize(spillWindow), zstd.WithEncoderConcurrency(n),
			zstd.WithLowerEncoderMem(true))
		if c.err != nil {
			return
		}
		c.dec, c.err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(n),
			zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxWindow(spillWindow),
			zstd.WithDecodeAllCapLimit(true))
	})
	if c.err != nil {
		return nil, nil, fmt.Errorf("Internal Error: the spill codec could not start: %v", c.err)
	}
	return c.enc, c.dec, nil
}

// RawBytes is the size of everything written before compression.
func (s *spillFile) RawBytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw
}

// spillRawTotal counts block bytes before compression across all spill
// files of the process, for benchmarks (after-compression bytes are the
// operators' SpilledBytes).
var spillRawTotal atomic.Int64

func (s *spillFile) open() error {
	if s.f != nil {
		return nil
	}
	if s.closed {
		return fmt.Errorf("Internal Error: spill file written after close")
	}
	d, err := tempdir.Use(s.env.dir)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(d.Path(), "spill-*.bin")
	if err != nil {
		d.Release()
		return fmt.Errorf("IO Error: Could not create a spill file in %q: %v", d.Path(), sysErr(err))
	}
	s.f, s.dir = f, d
	return nil
}

// write appends rows sel (all n when nil) of cols as one block of
// partition part. buf is the caller's scratch, returned for reuse, so
// concurrent writers encode outside the lock without allocating.
func (s *spillFile) write(part int, cols []*coldata.Vec, sel []int32, n int, buf []byte) ([]byte, error) {
	if n == 0 {
		return buf, nil
	}
	for _, c := range cols {
		if c.Type.IsNested() {
			return buf, fmt.Errorf("Not implemented Error: a nested column (%s) cannot be spilled yet; raise memory_limit", c.Type)
		}
	}
	enc, _, err := spillCodecs()
	if err != nil {
		return buf, err
	}
	// buf holds the raw block, then the framed block after it.
	buf = encodeBlock(buf[:0], cols, sel, n)
	rl := len(buf)
	out := append(buf, make([]byte, spillHdr)...)
	out = enc.EncodeAll(buf[:rl], out)
	codec := uint64(codecZstd)
	if len(out)-rl-spillHdr >= rl {
		codec = codecRaw
		out = append(out[:rl+spillHdr], buf[:rl]...)
	}
	// out[:rl] is the raw block (or its copy); only out[rl:] is written.
	blk := out[rl:]
	binary.LittleEndian.PutUint64(blk[0:], codec)
	binary.LittleEndian.PutUint64(blk[8:], uint64(rl))
	binary.LittleEndian.PutUint64(blk[16:], uint64(len(blk)-spillHdr))
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.open(); err != nil {
		return out, err
	}
	if err := s.env.temp.grow(int64(len(blk)), s.dir.Path()); err != nil {
		return out, err
	}
	if _, err := s.f.WriteAt(blk, s.size); err != nil {
		s.env.temp.shrink(int64(len(blk)))
		return out, fmt.Errorf("IO Error: Could not write to the spill file %q: %v", s.f.Name(), sysErr(err))
	}
	for part >= len(s.index) {
		s.index, s.rows = append(s.index, nil), append(s.rows, 0)
	}
	s.index[part] = append(s.index[part], blockRef{s.size, int64(len(blk)), int64(rl)})
	s.rows[part] += int64(n)
	s.size += int64(len(blk))
	s.raw += int64(rl)
	spillRawTotal.Add(int64(rl))
	if s.bytes != nil {
		s.bytes.Add(int64(len(blk)))
	}
	return out, nil
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

// maxBlock is the largest block of partition part, stored or decoded
// (a reader holds one of each at once).
func (s *spillFile) maxBlock(part int) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var m int64
	if part < len(s.index) {
		for _, r := range s.index[part] {
			m = max(m, r.len, r.raw)
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
	s.env.temp.shrink(s.size)
	s.f = nil
	s.dir.Release()
	s.dir = nil
	if err != nil {
		return fmt.Errorf("IO Error: Could not remove the spill file %q: %v", name, sysErr(err))
	}
	return nil
}

// sysErr is the operating system's part of a file error, without Go's
// "op path:" prefix (the message names the file itself).
func sysErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// spillReader streams one partition's blocks back as batches. The batch is
// reused: valid until the next call.
type spillReader struct {
	s      *spillFile
	blocks []blockRef
	i      int
	buf    []byte   // stored block
	rawBuf []uint64 // 8-aligned decoded block
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
	if ref.len < spillHdr || ref.raw < 0 {
		return nil, errCorruptSpill
	}
	r.buf = coldata.Grow(r.buf[:0], int(ref.len))
	r.s.mu.Lock()
	f := r.s.f
	r.s.mu.Unlock()
	if f == nil {
		return nil, fmt.Errorf("Internal Error: spill file read after close")
	}
	if _, err := f.ReadAt(r.buf, ref.off); err != nil {
		return nil, fmt.Errorf("IO Error: Could not read the spill file %q: %v", f.Name(), sysErr(err))
	}
	raw, err := r.unframe(r.buf, ref)
	if err != nil {
		return nil, err
	}
	if err := decodeBlock(raw, r.b); err != nil {
		return nil, err
	}
	return r.b, nil
}

var errCorruptSpill = fmt.Errorf("IO Error: a spill file block is corrupt")

// unframe checks a stored block's header against the index and returns
// the decoded block, 8-aligned in r.rawBuf (or in place when raw).
func (r *spillReader) unframe(blk []byte, ref blockRef) ([]byte, error) {
	codec := binary.LittleEndian.Uint64(blk[0:])
	rl := binary.LittleEndian.Uint64(blk[8:])
	sl := binary.LittleEndian.Uint64(blk[16:])
	if rl != uint64(ref.raw) || sl != uint64(ref.len-spillHdr) {
		return nil, errCorruptSpill
	}
	r.rawBuf = coldata.Grow(r.rawBuf, int((rl+7)/8))
	raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(r.rawBuf))), rl)
	switch codec {
	case codecRaw:
		if sl != rl {
			return nil, errCorruptSpill
		}
		copy(raw, blk[spillHdr:])
	case codecZstd:
		_, dec, err := spillCodecs()
		if err != nil {
			return nil, err
		}
		// The cap limit bounds the output to the indexed size.
		out, err := dec.DecodeAll(blk[spillHdr:], raw[:0])
		if err != nil {
			return nil, fmt.Errorf("IO Error: a spill file block is corrupt: %v", err)
		}
		if uint64(len(out)) != rl || (rl > 0 && &out[0] != &raw[0]) {
			return nil, errCorruptSpill
		}
	default:
		return nil, errCorruptSpill
	}
	return raw, nil
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
		case coldata.Hugeint:
			buf = appendFixed(buf, v.I128, sel, n)
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
		d.err = errCorruptSpill
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
		case coldata.Hugeint:
			decodeFixed(d, v.I128[:n])
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
