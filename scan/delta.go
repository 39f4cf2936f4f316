package scan

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
// BYTE_STREAM_SPLIT. All decoders stream: a page's header may claim any
// number of values, so nothing is allocated from that claim; memory grows
// only with values actually produced.

var errDeltaTruncated = errors.New("delta-encoded values truncated")

// maxMiniblock bounds the values per miniblock (writers use 32 to 128).
const maxMiniblock = 1 << 16

// deltaBP decodes DELTA_BINARY_PACKED integers.
type deltaBP struct {
	data      []byte
	pos       int
	perMini   int
	miniCount int
	blockSize int
	left      int // values not yet produced
	first     bool
	last      int64

	minDelta int64
	widths   []byte // bit widths of the current block's miniblocks
	mini     int    // next miniblock of the current block
	buf      []int64
	bufPos   int
}

func uvarintAt(b []byte, pos *int) (uint64, error) {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if *pos >= len(b) {
			return 0, errDeltaTruncated
		}
		c := b[*pos]
		*pos++
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return x, nil
		}
	}
	return 0, errors.New("delta: varint too long")
}

func zigzagAt(b []byte, pos *int) (int64, error) {
	u, err := uvarintAt(b, pos)
	return int64(u>>1) ^ -int64(u&1), err
}

func (d *deltaBP) init(data []byte) error {
	buf := d.buf
	*d = deltaBP{data: data, buf: buf[:0]}
	bs, err := uvarintAt(data, &d.pos)
	if err != nil {
		return err
	}
	mc, err := uvarintAt(data, &d.pos)
	if err != nil {
		return err
	}
	total, err := uvarintAt(data, &d.pos)
	if err != nil {
		return err
	}
	first, err := zigzagAt(data, &d.pos)
	if err != nil {
		return err
	}
	if mc == 0 || bs == 0 || bs%mc != 0 || bs/mc > maxMiniblock || (bs/mc)%8 != 0 || total > 1<<31 {
		return fmt.Errorf("delta: invalid header (block %d, miniblocks %d, values %d)", bs, mc, total)
	}
	d.blockSize, d.miniCount, d.perMini = int(bs), int(mc), int(bs/mc)
	d.left, d.first, d.last = int(total), total > 0, first
	d.mini = d.miniCount // no block loaded
	return nil
}

// nextMiniblock unpacks the next miniblock's values (already summed) into buf.
func (d *deltaBP) nextMiniblock() error {
	if d.mini == d.miniCount {
		md, err := zigzagAt(d.data, &d.pos)
		if err != nil {
			return err
		}
		if len(d.data)-d.pos < d.miniCount {
			return errDeltaTruncated
		}
		d.minDelta = md
		d.widths = d.data[d.pos : d.pos+d.miniCount]
		d.pos += d.miniCount
		d.mini = 0
	}
	w := uint(d.widths[d.mini])
	d.mini++
	if w > 64 {
		return fmt.Errorf("delta: bit width %d", w)
	}
	n := min(d.perMini, d.left)
	nbytes := d.perMini * int(w) / 8
	src := d.data[d.pos:]
	if len(src) < nbytes {
		// Tolerate a final miniblock cut short after its last used value.
		if len(src)*8 < n*int(w) {
			return errDeltaTruncated
		}
		d.pos = len(d.data)
	} else {
		src = src[:nbytes]
		d.pos += nbytes
	}
	d.buf = coldata.Grow(d.buf, n)
	unpackDeltas(d.buf, src, w)
	last, md := d.last, d.minDelta
	for i, x := range d.buf {
		last += md + x
		d.buf[i] = last
	}
	d.last = last
	d.bufPos = 0
	return nil
}

// decode produces the next len(dst) values.
func (d *deltaBP) decode(dst []int64) error {
	if len(dst) > d.left {
		return errDeltaTruncated
	}
	for len(dst) > 0 {
		if d.first {
			dst[0] = d.last
			d.first = false
			d.left--
			dst = dst[1:]
			continue
		}
		if d.bufPos == len(d.buf) {
			if err := d.nextMiniblock(); err != nil {
				return err
			}
		}
		n := copy(dst, d.buf[d.bufPos:])
		d.bufPos += n
		d.left -= n
		dst = dst[n:]
	}
	return nil
}

// end walks the rest of the stream without decoding it and returns the
// offset just past it (where DELTA_LENGTH_BYTE_ARRAY data begins). Blocks
// are skipped by their widths, so a huge claimed count cannot spin: every
// block consumes header bytes.
func (d *deltaBP) end() (int, error) {
	probe := deltaBP{data: d.data, pos: d.pos, perMini: d.perMini, miniCount: d.miniCount, left: d.left, mini: d.mini, widths: d.widths}
	if d.first {
		probe.left--
	}
	probe.left -= len(d.buf) - d.bufPos
	for probe.left > 0 {
		if probe.mini == probe.miniCount {
			if _, err := zigzagAt(probe.data, &probe.pos); err != nil {
				return 0, err
			}
			if len(probe.data)-probe.pos < probe.miniCount {
				return 0, errDeltaTruncated
			}
			probe.widths = probe.data[probe.pos : probe.pos+probe.miniCount]
			probe.pos += probe.miniCount
			probe.mini = 0
		}
		w := int(probe.widths[probe.mini])
		probe.mini++
		nbytes := probe.perMini * w / 8
		probe.pos = min(len(probe.data), probe.pos+nbytes)
		probe.left -= min(probe.perMini, probe.left)
	}
	return probe.pos, nil
}

// unpackDeltas unpacks len(dst) values of width w (up to 64 bits).
func unpackDeltas(dst []int64, src []byte, w uint) {
	if w <= 32 {
		var tmp [8]uint32
		for i := 0; i < len(dst); i += 8 {
			off := i * int(w) / 8
			var s []byte
			if off < len(src) {
				s = src[off:]
			}
			unpackGroups(tmp[:], s, w)
			for k := 0; k < 8 && i+k < len(dst); k++ {
				dst[i+k] = int64(tmp[k])
			}
		}
		return
	}
	// Wide deltas (INT64 columns with large jumps): bit by bit is fine,
	// they are rare.
	for i := range dst {
		var v uint64
		bit := uint64(i) * uint64(w)
		for k := uint(0); k < w; k++ {
			byteIdx := (bit + uint64(k)) >> 3
			if byteIdx < uint64(len(src)) && src[byteIdx]>>((bit+uint64(k))&7)&1 != 0 {
				v |= 1 << k
			}
		}
		dst[i] = int64(v)
	}
}

// deltaState is the per-page state of the non-dictionary encodings.
type deltaState struct {
	ints    deltaBP // values (DELTA_BINARY_PACKED) or lengths
	prefix  deltaBP // DELTA_BYTE_ARRAY prefix lengths
	bytes   []byte  // concatenated byte array data
	bpos    int
	prev    string // DELTA_BYTE_ARRAY: previous value
	lens    []int64
	pref    []int64
	n       int // BYTE_STREAM_SPLIT: values in the stream
	next    int // BYTE_STREAM_SPLIT: next value
	scratch []byte
}

func (c *colState) startDelta(h *pageHeader, rest []byte) error {
	d := &c.delta
	dk := c.li.dk
	switch h.encoding {
	case encDeltaBinaryPacked:
		switch dk {
		case dkI32, dkI32toI64, dkU32toI64, dkI32Millis, dkI64, dkU64, dkI64Millis, dkI64Nanos:
			return d.ints.init(rest)
		}
	case encDeltaLengthBA:
		if dk == dkBAStr || dk == dkBADec {
			if err := d.ints.init(rest); err != nil {
				return err
			}
			end, err := d.ints.end()
			if err != nil {
				return err
			}
			d.bytes, d.bpos = rest[end:], 0
			return nil
		}
	case encDeltaBA:
		if dk == dkBAStr || dk == dkBADec || dk == dkFLBAStr || dk == dkFLBADec {
			if err := d.prefix.init(rest); err != nil {
				return err
			}
			end, err := d.prefix.end()
			if err != nil {
				return err
			}
			if err := d.ints.init(rest[end:]); err != nil {
				return err
			}
			end2, err := d.ints.end()
			if err != nil {
				return err
			}
			d.bytes, d.bpos, d.prev = rest[end+end2:], 0, ""
			return nil
		}
	case encByteStreamSplit:
		if w := dk.fixedWidth(c.li.typeLen); w > 0 {
			d.n, d.next = len(rest)/w, 0
			return nil
		}
	}
	return fmt.Errorf("encoding %s not supported for %s", encodingName(h.encoding), c.typ)
}

func (c *colState) decodeDelta(v *coldata.Vec, off, cnt int) error {
	d := &c.delta
	dk := c.li.dk
	switch c.enc {
	case encDeltaBinaryPacked:
		if dk != dkI32 {
			dst := v.I64[off : off+cnt]
			if err := d.ints.decode(dst); err != nil {
				return err
			}
			switch dk {
			case dkI32toI64, dkI32Millis:
				for i, x := range dst {
					dst[i] = int64(int32(x))
				}
				if dk == dkI32Millis {
					mulInPlace(dst, 1000)
				}
				return nil
			case dkU32toI64:
				for i, x := range dst {
					dst[i] = int64(uint32(x))
				}
				return nil
			}
			return convertI64(dk, dst)
		}
		d.lens = coldata.Grow(d.lens, cnt)
		if err := d.ints.decode(d.lens); err != nil {
			return err
		}
		dst := v.I32[off : off+cnt]
		for i, x := range d.lens {
			dst[i] = int32(x)
		}
		return nil
	case encDeltaLengthBA:
		d.lens = coldata.Grow(d.lens, cnt)
		if err := d.ints.decode(d.lens); err != nil {
			return err
		}
		return d.emitBytes(v, dk, off, cnt, nil)
	case encDeltaBA:
		d.lens = coldata.Grow(d.lens, cnt)
		d.pref = coldata.Grow(d.pref, cnt)
		if err := d.prefix.decode(d.pref); err != nil {
			return err
		}
		if err := d.ints.decode(d.lens); err != nil {
			return err
		}
		return d.emitBytes(v, dk, off, cnt, d.pref)
	case encByteStreamSplit:
		return c.decodeBSS(v, off, cnt)
	}
	return fmt.Errorf("encoding %s not supported", encodingName(c.enc))
}

// emitBytes turns the next cnt lengths (and prefix lengths, for
// DELTA_BYTE_ARRAY) into values. DELTA_LENGTH strings point into the page;
// DELTA_BYTE_ARRAY strings are assembled in one new buffer per call.
func (d *deltaState) emitBytes(v *coldata.Vec, dk decodeKind, off, cnt int, pref []int64) error {
	var out []byte
	if pref != nil {
		total := 0
		prevLen := len(d.prev)
		for i, l := range d.lens {
			p := pref[i]
			if l < 0 || p < 0 || p > int64(prevLen) || l > int64(len(d.bytes)) {
				return errors.New("DELTA_BYTE_ARRAY: invalid prefix or suffix length")
			}
			prevLen = int(p + l)
			total += prevLen
			if total > maxPageSize {
				return errors.New("DELTA_BYTE_ARRAY: values too large")
			}
		}
		out = make([]byte, 0, total)
	}
	for i, l := range d.lens {
		if l < 0 || l > int64(len(d.bytes)-d.bpos) {
			return errValuesTruncated
		}
		b := d.bytes[d.bpos : d.bpos+int(l)]
		d.bpos += int(l)
		if pref != nil {
			start := len(out)
			out = append(out, d.prev[:pref[i]]...)
			out = append(out, b...)
			b = out[start:]
			if len(b) > 0 {
				d.prev = unsafe.String(&b[0], len(b))
			} else {
				d.prev = ""
			}
		}
		switch dk {
		case dkBAStr, dkFLBAStr:
			if len(b) == 0 {
				v.Str[off+i] = ""
			} else {
				v.Str[off+i] = unsafe.String(&b[0], len(b))
			}
		case dkBADec, dkFLBADec:
			x, ok := decimalFromBE(b)
			if !ok {
				return errDecimalOverflow
			}
			v.I64[off+i] = x
		}
	}
	return nil
}

// decodeBSS reassembles cnt BYTE_STREAM_SPLIT values into PLAIN order and
// decodes them as PLAIN.
func (c *colState) decodeBSS(v *coldata.Vec, off, cnt int) error {
	d := &c.delta
	w := c.li.dk.fixedWidth(c.li.typeLen)
	if d.next+cnt > d.n {
		return errValuesTruncated
	}
	var buf []byte
	if c.li.dk == dkFLBAStr {
		buf = make([]byte, cnt*w) // strings will point into it
	} else {
		d.scratch = coldata.Grow(d.scratch, cnt*w)
		buf = d.scratch
	}
	src := c.vals
	for j := 0; j < w; j++ {
		stream := src[j*d.n+d.next : j*d.n+d.next+cnt]
		for i, b := range stream {
			buf[i*w+j] = b
		}
	}
	d.next += cnt
	_, err := decodePlain(c.li.dk, c.li.typeLen, buf, v, off, cnt)
	return err
}
