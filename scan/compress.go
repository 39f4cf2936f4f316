package scan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/golang/snappy"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// Compression codecs (parquet.thrift CompressionCodec).
const (
	codecUncompressed = 0
	codecSnappy       = 1
	codecGzip         = 2
	codecLZO          = 3
	codecBrotli       = 4
	codecLZ4          = 5 // Hadoop-framed LZ4, deprecated
	codecZstd         = 6
	codecLZ4Raw       = 7
)

func codecName(c int32) string {
	switch c {
	case codecUncompressed:
		return "UNCOMPRESSED"
	case codecSnappy:
		return "SNAPPY"
	case codecGzip:
		return "GZIP"
	case codecLZO:
		return "LZO"
	case codecBrotli:
		return "BROTLI"
	case codecLZ4:
		return "LZ4"
	case codecZstd:
		return "ZSTD"
	case codecLZ4Raw:
		return "LZ4_RAW"
	}
	return fmt.Sprintf("%d", c)
}

func codecSupported(c int32) bool {
	switch c {
	case codecUncompressed, codecSnappy, codecGzip, codecBrotli, codecZstd, codecLZ4Raw, codecLZ4:
		return true
	}
	return false
}

// maxPageSize bounds a page's declared uncompressed size. Real writers stay
// far below it (arrow and parquet-mr default to 1 MiB pages); a corrupt
// header must not make us allocate gigabytes.
const maxPageSize = 256 << 20

var (
	zstdOnce sync.Once
	zstdDec  *zstd.Decoder
	zstdErr  error
)

// sharedZstd returns the process-wide zstd decoder: DecodeAll is safe for
// concurrent use and the decoder's tables are worth sharing across readers.
func sharedZstd() (*zstd.Decoder, error) {
	zstdOnce.Do(func() {
		zstdDec, zstdErr = zstd.NewReader(nil, zstd.WithDecoderMaxMemory(maxPageSize))
	})
	return zstdDec, zstdErr
}

// decompressor holds per-reader codec state so that streams are reused.
type decompressor struct {
	gz *gzip.Reader
	br *brotli.Reader
	rd bytes.Reader
}

// decompress expands src, which must decode to exactly size bytes, into
// dst's storage when it is large enough (else a new buffer) and returns the
// result.
func (d *decompressor) decompress(codec int32, dst, src []byte, size int) ([]byte, error) {
	if size < 0 || size > maxPageSize {
		return nil, fmt.Errorf("page size %d out of range", size)
	}
	switch codec {
	case codecUncompressed:
		if len(src) != size {
			return nil, fmt.Errorf("uncompressed page of %d bytes declares %d", len(src), size)
		}
		return src, nil
	case codecSnappy:
		n, err := snappy.DecodedLen(src)
		if err != nil {
			return nil, fmt.Errorf("snappy: %w", err)
		}
		if n != size {
			return nil, fmt.Errorf("snappy: page decodes to %d bytes, header says %d", n, size)
		}
		// snappy's declared length is checked by Decode; it cannot exceed
		// what the input can expand to, which bounds this allocation.
		if uint64(n) > uint64(len(src))*32+64 {
			return nil, errors.New("snappy: implausible decoded length")
		}
		out, err := snappy.Decode(grow(dst, size), src)
		if err != nil {
			return nil, fmt.Errorf("snappy: %w", err)
		}
		return out, nil
	case codecLZ4:
		if size == 0 {
			return dst[:0], nil
		}
		if uint64(size) > uint64(len(src))*255+16 {
			return nil, errors.New("lz4: implausible decoded length")
		}
		out := grow(dst, size)
		// parquet-mr wrote Hadoop-framed blocks under this codec id, old
		// parquet-cpp wrote a bare block: try the framing first, as Arrow
		// C++ does, and fall back when it does not add up.
		if lz4Hadoop(src, out) {
			return out, nil
		}
		n, err := lz4.UncompressBlock(src, out)
		if err != nil {
			return nil, fmt.Errorf("lz4: neither Hadoop-framed nor a raw block: %w", err)
		}
		if n != size {
			return nil, fmt.Errorf("lz4: page decodes to %d bytes, header says %d", n, size)
		}
		return out, nil
	case codecLZ4Raw:
		if size == 0 {
			// lz4's assembly decoder faults on an empty destination.
			return dst[:0], nil
		}
		if uint64(size) > uint64(len(src))*255+16 {
			return nil, errors.New("lz4: implausible decoded length")
		}
		out := grow(dst, size)
		n, err := lz4.UncompressBlock(src, out)
		if err != nil {
			return nil, fmt.Errorf("lz4: %w", err)
		}
		if n != size {
			return nil, fmt.Errorf("lz4: page decodes to %d bytes, header says %d", n, size)
		}
		return out, nil
	case codecZstd:
		dec, err := sharedZstd()
		if err != nil {
			return nil, err
		}
		out, err := dec.DecodeAll(src, dst[:0])
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		if len(out) != size {
			return nil, fmt.Errorf("zstd: page decodes to %d bytes, header says %d", len(out), size)
		}
		return out, nil
	case codecGzip:
		d.rd.Reset(src)
		var err error
		if d.gz == nil {
			d.gz, err = gzip.NewReader(&d.rd)
		} else {
			err = d.gz.Reset(&d.rd)
		}
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		// Multistream (the default) reads concatenated members as one.
		return readExactly("gzip", d.gz, dst, size)
	case codecBrotli:
		d.rd.Reset(src)
		if d.br == nil {
			d.br = brotli.NewReader(&d.rd)
		} else if err := d.br.Reset(&d.rd); err != nil {
			return nil, fmt.Errorf("brotli: %w", err)
		}
		return readExactly("brotli", d.br, dst, size)
	}
	return nil, fmt.Errorf("codec %s not supported", codecName(codec))
}

// readExactly reads a stream that must produce exactly size bytes. The
// buffer grows with the data actually produced rather than with the declared
// size, so a lying header cannot force a large allocation.
func readExactly(name string, r io.Reader, dst []byte, size int) ([]byte, error) {
	buf := dst[:0]
	for len(buf) < size {
		if len(buf) == cap(buf) {
			c := max(2*cap(buf), 4096)
			c = min(c, size)
			nb := make([]byte, len(buf), c)
			copy(nb, buf)
			buf = nb
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if len(buf) != size {
		return nil, fmt.Errorf("%s: page decodes to %d bytes, header says %d", name, len(buf), size)
	}
	// Anything beyond the declared size means the header is wrong.
	var one [1]byte
	if n, _ := r.Read(one[:]); n != 0 {
		return nil, fmt.Errorf("%s: page decodes to more than the %d bytes the header says", name, size)
	}
	return buf, nil
}

// grow returns a slice of length n, reusing b's storage when it fits.
func grow(b []byte, n int) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	return make([]byte, n)
}

// lz4Hadoop decodes Hadoop's BlockCompressorStream framing: frames of
// [uncompressed length BE32][compressed length BE32][LZ4 block] that must
// fill out exactly. It reports false, leaving out in an unspecified state,
// when src is not framed that way.
func lz4Hadoop(src, out []byte) bool {
	pos := 0
	for len(src) > 0 {
		if len(src) < 8 {
			return false
		}
		ulen := uint64(binary.BigEndian.Uint32(src))
		clen := uint64(binary.BigEndian.Uint32(src[4:]))
		src = src[8:]
		if clen > uint64(len(src)) || ulen > uint64(len(out)-pos) {
			return false
		}
		if ulen > 0 {
			n, err := lz4.UncompressBlock(src[:clen], out[pos:pos+int(ulen)])
			if err != nil || uint64(n) != ulen {
				return false
			}
		}
		pos += int(ulen)
		src = src[clen:]
	}
	return pos == len(out)
}
