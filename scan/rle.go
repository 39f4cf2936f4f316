package scan

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The RLE/bit-packed hybrid encoding carries definition levels, dictionary
// indices and RLE booleans. A stream is a sequence of runs, each introduced by
// a ULEB128 header: header&1 == 0 is an RLE run of header>>1 copies of one
// value stored in ceil(width/8) bytes; header&1 == 1 is header>>1 groups of 8
// values bit-packed LSB first, width bytes per group.
//
// Consumers work run by run (chunk), so an RLE run of a dictionary index is a
// fill of one dictionary value and a run of "all defined" levels is a memclr,
// with no per-value work at all.

var (
	errRLEEnd       = errors.New("RLE/bit-packed data ended early")
	errRLEBadHeader = errors.New("RLE/bit-packed run header too long")
)

type hybrid struct {
	data  []byte
	pos   int
	width uint
	mask  uint64

	rle int    // values left in the current RLE run
	val uint32 // the RLE run's value

	bp    int    // values of the current bit-packed run not yet unpacked
	bpSrc []byte // its remaining packed bytes

	grp  [8]uint32 // one unpacked group being handed out piecemeal
	grpI int
	grpN int

	scratch [256]uint32 // unpacked indices/levels for chunked consumers
}

func newHybrid(data []byte, width int) (hybrid, error) {
	if width < 0 || width > 32 {
		return hybrid{}, fmt.Errorf("invalid RLE bit width %d", width)
	}
	return hybrid{data: data, width: uint(width), mask: 1<<uint(width) - 1}, nil
}

func (d *hybrid) reset(data []byte, width int) error {
	h, err := newHybrid(data, width)
	if err != nil {
		return err
	}
	// Keep the large scratch array: copy only the small header fields.
	d.data, d.pos, d.width, d.mask = h.data, 0, h.width, h.mask
	d.rle, d.val, d.bp, d.bpSrc, d.grpI, d.grpN = 0, 0, 0, nil, 0, 0
	return nil
}

func (d *hybrid) nextRun() error {
	for d.rle == 0 && d.bp == 0 && d.grpN == 0 {
		if d.pos >= len(d.data) {
			return errRLEEnd
		}
		var h uint64
		var shift uint
		for {
			if d.pos >= len(d.data) {
				return errRLEEnd
			}
			c := d.data[d.pos]
			d.pos++
			h |= uint64(c&0x7f) << shift
			if c < 0x80 {
				break
			}
			shift += 7
			if shift >= 35 {
				return errRLEBadHeader
			}
		}
		if h&1 == 0 {
			nb := int(d.width+7) / 8
			if len(d.data)-d.pos < nb {
				return errRLEEnd
			}
			var v uint64
			for i := 0; i < nb; i++ {
				v |= uint64(d.data[d.pos+i]) << (8 * uint(i))
			}
			d.pos += nb
			if v&^d.mask != 0 {
				return fmt.Errorf("RLE run value %d wider than %d bits", v, d.width)
			}
			d.rle = int(h >> 1)
			d.val = uint32(v)
			continue
		}
		groups := h >> 1
		if d.width == 0 {
			d.bp = int(groups * 8)
			d.bpSrc = nil
			continue
		}
		nbytes := groups * uint64(d.width)
		values := groups * 8
		if avail := uint64(len(d.data) - d.pos); nbytes > avail {
			// Writers may omit the padding of the final group; keep what
			// is actually there and fail only if more is asked for.
			nbytes = avail
			values = avail * 8 / uint64(d.width)
		}
		d.bp = int(values)
		d.bpSrc = d.data[d.pos : d.pos+int(nbytes)]
		d.pos += int(nbytes)
	}
	return nil
}

// chunk returns the next piece of the stream, at most max values: either an
// RLE run (run=true, every value is val) or n unpacked values in buf[:n].
// buf must hold at least 8 values.
func (d *hybrid) chunk(buf []uint32, max int) (run bool, val uint32, n int, err error) {
	if d.rle == 0 && d.bp == 0 && d.grpN == 0 {
		if err := d.nextRun(); err != nil {
			return false, 0, 0, err
		}
	}
	if d.rle > 0 {
		n = min(d.rle, max)
		d.rle -= n
		return true, d.val, n, nil
	}
	if max > len(buf) {
		max = len(buf)
	}
	if d.grpN > 0 {
		n = copy(buf[:min(max, d.grpN)], d.grp[d.grpI:d.grpI+d.grpN])
		d.grpI += n
		d.grpN -= n
		return false, 0, n, nil
	}
	// Whole groups straight into buf.
	g := min(max, d.bp) / 8
	if g > 0 {
		unpackGroups(buf[:g*8], d.bpSrc, d.width)
		if d.width > 0 {
			d.bpSrc = d.bpSrc[g*int(d.width):]
		}
		d.bp -= g * 8
		return false, 0, g * 8, nil
	}
	// Fewer than 8 wanted or left: unpack one group and hand out part of it.
	unpackGroups(d.grp[:], d.bpSrc, d.width)
	have := min(8, d.bp)
	if d.width > 0 {
		d.bpSrc = d.bpSrc[min(len(d.bpSrc), int(d.width)):]
	}
	d.bp -= have
	n = min(max, have)
	copy(buf[:n], d.grp[:n])
	d.grpI, d.grpN = n, have-n
	return false, 0, n, nil
}

// decode fills dst entirely with the next len(dst) values.
func (d *hybrid) decode(dst []uint32) error {
	for len(dst) > 0 {
		run, v, n, err := d.chunk(dst, len(dst))
		if err != nil {
			return err
		}
		if run {
			fill(dst[:n], v)
		}
		dst = dst[n:]
	}
	return nil
}

// takeDefinedRun consumes k levels and returns true when they all lie in one
// RLE run of maxDef (all rows defined); otherwise it consumes nothing.
func (d *hybrid) takeDefinedRun(k int, maxDef uint32) (bool, error) {
	if d.rle == 0 && d.bp == 0 && d.grpN == 0 {
		if err := d.nextRun(); err != nil {
			return false, err
		}
	}
	if d.rle >= k && d.val == maxDef {
		d.rle -= k
		return true, nil
	}
	return false, nil
}

// decodeNulls reads len(nulls) definition levels of a column whose maximum
// level is maxDef and sets nulls[i] = level < maxDef. It returns the number
// of nulls.
func (d *hybrid) decodeNulls(nulls []bool, maxDef uint32) (int, error) {
	nn := 0
	for len(nulls) > 0 {
		run, v, n, err := d.chunk(d.scratch[:], len(nulls))
		if err != nil {
			return 0, err
		}
		if run {
			if v > maxDef {
				return 0, fmt.Errorf("definition level %d above maximum %d", v, maxDef)
			}
			isNull := v < maxDef
			fill(nulls[:n], isNull)
			if isNull {
				nn += n
			}
		} else {
			lv := d.scratch[:n]
			out := nulls[:n]
			for i, l := range lv {
				if l > maxDef {
					return 0, fmt.Errorf("definition level %d above maximum %d", l, maxDef)
				}
				isNull := l < maxDef
				out[i] = isNull
				if isNull {
					nn++
				}
			}
		}
		nulls = nulls[n:]
	}
	return nn, nil
}

// decodeDict reads len(dst) dictionary indices and stores dict[index].
func decodeDict[T any](d *hybrid, dst []T, dict []T) error {
	for len(dst) > 0 {
		run, v, n, err := d.chunk(d.scratch[:], len(dst))
		if err != nil {
			return err
		}
		if run {
			if int64(v) >= int64(len(dict)) {
				return fmt.Errorf("dictionary index %d out of range (dictionary has %d values)", v, len(dict))
			}
			fill(dst[:n], dict[v])
		} else {
			out := dst[:n]
			for i, ix := range d.scratch[:n] {
				if int64(ix) >= int64(len(dict)) {
					return fmt.Errorf("dictionary index %d out of range (dictionary has %d values)", ix, len(dict))
				}
				out[i] = dict[ix]
			}
		}
		dst = dst[n:]
	}
	return nil
}

// decodeBools reads len(dst) one-bit values as booleans (RLE-encoded BOOLEAN).
func (d *hybrid) decodeBools(dst []bool) error {
	for len(dst) > 0 {
		run, v, n, err := d.chunk(d.scratch[:], len(dst))
		if err != nil {
			return err
		}
		if run {
			fill(dst[:n], v != 0)
		} else {
			out := dst[:n]
			for i, x := range d.scratch[:n] {
				out[i] = x != 0
			}
		}
		dst = dst[n:]
	}
	return nil
}

func fill[T any](s []T, v T) {
	for i := range s {
		s[i] = v
	}
}

//go:generate go run ./internal/genunpack

// unpackGroups unpacks len(dst)/8 groups of 8 width-bit values from src
// (LSB-first). src may be short (a truncated last group): missing bits read
// as zero.
func unpackGroups(dst []uint32, src []byte, width uint) {
	if width == 0 {
		clear(dst)
		return
	}
	w := int(width)
	if n := unpackers[width](dst, src); n > 0 {
		dst = dst[n:]
		src = src[n/8*w:]
	}
	mask := uint64(1)<<width - 1
	for len(dst) >= 8 {
		// Eight 64-bit loads per group need w+8 readable bytes; the tail of
		// src goes through a zero-padded copy instead.
		var s []byte
		if len(src) >= w+8 {
			s = src
		} else {
			var pad [40]byte
			copy(pad[:], src)
			s = pad[:]
		}
		unpack8(dst[:8], s, width, mask)
		dst = dst[8:]
		if len(src) >= w {
			src = src[w:]
		} else {
			src = nil
		}
	}
}

// unpack8 extracts 8 values; s must hold at least width+8 bytes. Each value
// is one unaligned 64-bit load and a shift, valid since (bit&7)+width <= 39.
func unpack8(dst []uint32, s []byte, width uint, mask uint64) {
	_ = dst[7]
	_ = s[width+7]
	le := binary.LittleEndian
	b := uint(0)
	dst[0] = uint32(le.Uint64(s[0:]) & mask)
	b += width
	dst[1] = uint32(le.Uint64(s[b>>3:]) >> (b & 7) & mask)
	b += width
	dst[2] = uint32(le.Uint64(s[b>>3:]) >> (b & 7) & mask)
	b += width
	dst[3] = uint32(le.Uint64(s[b>>3:]) >> (b & 7) & mask)
	b += width
	dst[4] = uint32(le.Uint64(s[b>>3:]) >> (b & 7) & mask)
	b += width
	dst[5] = uint32(le.Uint64(s[b>>3:]) >> (b & 7) & mask)
	b += width
	dst[6] = uint32(le.Uint64(s[b>>3:]) >> (b & 7) & mask)
	b += width
	dst[7] = uint32(le.Uint64(s[b>>3:]) >> (b & 7) & mask)
}

// legacyBitPacked decodes the deprecated BIT_PACKED level encoding: values
// packed MSB first with no run headers.
type legacyBitPacked struct {
	data  []byte
	width uint
	bit   uint64 // next bit position
}

func (d *legacyBitPacked) decodeNulls(nulls []bool, maxDef uint32) (int, error) {
	need := d.bit + uint64(len(nulls))*uint64(d.width)
	if need > uint64(len(d.data))*8 {
		return 0, errRLEEnd
	}
	nn := 0
	for i := range nulls {
		var v uint32
		for k := uint(0); k < d.width; k++ {
			byt := d.data[d.bit>>3]
			v = v<<1 | uint32(byt>>(7-d.bit&7))&1
			d.bit++
		}
		if v > maxDef {
			return 0, fmt.Errorf("definition level %d above maximum %d", v, maxDef)
		}
		nulls[i] = v < maxDef
		if nulls[i] {
			nn++
		}
	}
	return nn, nil
}
