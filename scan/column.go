package scan

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// colState walks the pages of one column chunk.
type colState struct {
	name  string
	li    leafInfo
	typ   coldata.Type
	codec int32

	chunk    []byte // column chunk bytes not yet parsed
	left     int64  // values still to deliver (= rows left in the row group)
	seenData bool

	// With page-level pushdown only some pages are fetched: segs holds the
	// fetched runs of pages after chunk, and row the index of the next row
	// this column will deliver or skip.
	segs    []segment
	row     int64
	scratch *coldata.Vec // target of decoded-and-discarded rows
	stats   *ReaderStats

	// Row-granular late materialisation (latemat.go): selBuf receives one
	// run of surviving rows, selNulls backs the output's null mask.
	selBuf   *coldata.Vec
	selNulls []bool

	// With wantIdx (a predicate column with a dictionary) read also
	// leaves the batch's dictionary indices in idx; idxAll says every row
	// of the batch came from a dictionary-encoded page.
	wantIdx bool
	idxAll  bool
	idx32   []uint32

	// dict holds the dictionary already converted to the output type, so
	// that dictionary indices map straight to final values.
	dict *coldata.Vec

	// The current data page.
	pageLeft int // values (rows, nulls included) not yet delivered
	noNulls  bool
	legacy   bool // levels use the deprecated BIT_PACKED encoding
	defs     hybrid
	oldDefs  legacyBitPacked
	enc      int32
	vals     []byte // the page's value bytes
	vpos     int
	bitPos   uint64 // PLAIN booleans
	idx      hybrid // dictionary indices, RLE booleans
	delta    deltaState

	buf []byte // decompression buffer, reused when no string points into it
	// inPlace: a string page was decoded straight from the chunk bytes (a
	// v2 page stored uncompressed), so they must outlive the reader.
	inPlace bool
	nulls   []bool

	nest *nestState // set for a nested column (nested_read.go)
}

// read decodes the next n rows into v.
func (c *colState) read(v *coldata.Vec, n int, dec *decompressor) error {
	if c.nest != nil {
		return c.readNested(v, n, dec)
	}
	v.Resize(n)
	var nulls []bool
	if c.li.maxDef > 0 {
		c.nulls = coldata.Grow(c.nulls, n)
		nulls = c.nulls[:n]
	}
	if c.wantIdx {
		c.idx32 = coldata.Grow(c.idx32, n)[:n]
		c.idxAll = true
	}
	anyNull := false
	// nulls[:valid] hold real flags. Rows covered by a run of "defined"
	// levels are not written at all unless a null turns up later in the
	// batch, so columns without nulls never touch the mask.
	valid := 0
	for filled := 0; filled < n; {
		if c.pageLeft == 0 {
			if err := c.nextPage(dec); err != nil {
				return err
			}
		}
		k := min(n-filled, c.pageLeft)
		nn := 0
		if nulls != nil {
			allDefined := c.noNulls
			var err error
			if !allDefined && !c.legacy {
				allDefined, err = c.defs.takeDefinedRun(k, c.li.maxDef)
			}
			if err == nil && !allDefined {
				clear(nulls[valid:filled])
				seg := nulls[filled : filled+k]
				if c.legacy {
					nn, err = c.oldDefs.decodeNulls(seg, c.li.maxDef)
				} else {
					nn, err = c.defs.decodeNulls(seg, c.li.maxDef)
				}
				valid = filled + k
			}
			if err != nil {
				return fmt.Errorf("definition levels: %w", err)
			}
		}
		if err := c.decodeValues(v, filled, k-nn); err != nil {
			return err
		}
		if nn > 0 {
			spreadNulls(v, filled, k, nulls[filled:filled+k], k-nn)
			if c.wantIdx {
				spread(c.idx32[filled:filled+k], nulls[filled:filled+k], k-nn)
			}
			anyNull = true
		}
		filled += k
		c.pageLeft -= k
		c.left -= int64(k)
		c.row += int64(k)
	}
	if anyNull {
		clear(nulls[valid:])
		v.Nulls = nulls
	}
	return nil
}

// nextPage advances to the next data page that has values, loading a
// dictionary page on the way.
func (c *colState) nextPage(dec *decompressor) error {
	for {
		if c.left <= 0 {
			return errors.New("internal: page requested past the end of the row group")
		}
		if len(c.chunk) == 0 && len(c.segs) > 0 {
			if c.segs[0].firstRow != c.row {
				return errSegGap
			}
			c.chunk, c.segs = c.segs[0].b, c.segs[1:]
		}
		if len(c.chunk) == 0 {
			return fmt.Errorf("column chunk ends with %d values still expected", c.left)
		}
		h, hl, err := decodePageHeader(c.chunk)
		if err != nil {
			return err
		}
		body := c.chunk[hl:]
		if int64(h.compressedSize) > int64(len(body)) {
			return fmt.Errorf("page of %d bytes runs past the end of the column chunk (%d bytes left)", h.compressedSize, len(body))
		}
		body = body[:h.compressedSize]
		c.chunk = c.chunk[hl+int(h.compressedSize):]
		// The checksum covers the page as stored (compressed, levels
		// included); checking it costs far less than decoding a corrupt page.
		if h.hasCRC && crc32.ChecksumIEEE(body) != uint32(h.crc) {
			return crcError(h.typ, len(body), c.row)
		}
		switch h.typ {
		case pageDictionary:
			if c.seenData || c.dict != nil {
				return errors.New("dictionary page after the first page")
			}
			if err := c.loadDict(&h, body, dec); err != nil {
				return fmt.Errorf("dictionary page: %w", err)
			}
		case pageData, pageDataV2:
			c.seenData = true
			if h.numValues == 0 {
				continue
			}
			if int64(h.numValues) > c.left {
				return fmt.Errorf("page has %d values but only %d rows are left in the row group", h.numValues, c.left)
			}
			if err := c.startPage(&h, body, dec); err != nil {
				return err
			}
			if c.stats != nil {
				c.stats.PagesRead++
			}
			c.pageLeft = int(h.numValues)
			return nil
		}
		// Index pages and page types from the future are skipped.
	}
}

// freshBuffer reports whether decoded values of this page will point into
// the page's bytes (strings), which must then never be overwritten.
func (c *colState) freshBuffer(dictPage bool, enc int32) bool {
	if c.li.dk != dkBAStr && c.li.dk != dkFLBAStr {
		return false
	}
	return dictPage || (enc != encPlainDict && enc != encRLEDict)
}

func (c *colState) decompress(dec *decompressor, src []byte, size int, fresh bool) ([]byte, error) {
	if c.codec == codecUncompressed {
		// Zero copy: chunk buffers are never written after being read.
		if len(src) != size {
			return nil, fmt.Errorf("uncompressed page of %d bytes declares %d", len(src), size)
		}
		return src, nil
	}
	if size == 0 && len(src) == 0 {
		return nil, nil
	}
	if fresh {
		return dec.decompress(c.codec, nil, src, size)
	}
	if cap(c.buf) < size && size <= maxPageSize {
		// A recycled buffer; sized by the declared size only where the
		// codec would allocate that much anyway (the streaming ones grow
		// with the data actually produced, so a lying header costs nothing).
		want := size
		if c.codec == codecGzip || c.codec == codecBrotli || c.codec == codecZstd {
			want = min(size, 16*len(src)+64<<10)
		}
		putBuf(c.buf)
		c.buf = getBuf(want)[:0]
	}
	out, err := dec.decompress(c.codec, c.buf, src, size)
	if err == nil {
		c.buf = out
	}
	return out, err
}

func (c *colState) loadDict(h *pageHeader, body []byte, dec *decompressor) error {
	if h.encoding != encPlain && h.encoding != encPlainDict {
		return fmt.Errorf("dictionary encoding %s not supported", encodingName(h.encoding))
	}
	data, err := c.decompress(dec, body, int(h.uncompressedSize), c.freshBuffer(true, 0))
	if err != nil {
		return err
	}
	n := int(h.numValues)
	// Bound the allocation by what the page can actually hold.
	switch w := c.li.dk.fixedWidth(c.li.typeLen); {
	case w > 0 && int64(n)*int64(w) > int64(len(data)),
		w == 0 && int64(n)*4 > int64(len(data)),
		w < 0 && int64(n) > int64(len(data))*8:
		return fmt.Errorf("%d values do not fit in %d bytes", n, len(data))
	}
	d := coldata.NewVec(c.typ, n)
	if c.li.dk == dkBool {
		_, err = decodePlainBools(d.B, data, 0)
	} else {
		_, err = decodePlain(c.li.dk, c.li.typeLen, data, d, 0, n)
	}
	if err != nil {
		return err
	}
	c.dict = d
	return nil
}

func (c *colState) startPage(h *pageHeader, body []byte, dec *decompressor) error {
	c.noNulls, c.legacy = false, false
	var rest []byte
	if h.typ == pageDataV2 {
		// v2: repetition then definition levels, never compressed, then
		// the values, compressed unless is_compressed says otherwise.
		lv := int(h.repLen) + int(h.defLen)
		defs := body[h.repLen:lv]
		vals := body[lv:]
		size := int(h.uncompressedSize) - lv
		if h.v2IsCompressed {
			var err error
			rest, err = c.decompress(dec, vals, size, c.freshBuffer(false, h.encoding))
			if err != nil {
				return err
			}
		} else {
			rest = vals
			c.inPlace = c.inPlace || c.freshBuffer(false, h.encoding)
		}
		if c.li.maxDef > 0 {
			c.noNulls = h.numNulls == 0
			if err := c.defs.reset(defs, 1); err != nil {
				return err
			}
		}
	} else {
		data, err := c.decompress(dec, body, int(h.uncompressedSize), c.freshBuffer(false, h.encoding))
		if err != nil {
			return err
		}
		rest = data
		if c.li.maxDef > 0 {
			switch h.defEnc {
			case encRLE:
				if len(rest) < 4 {
					return errors.New("definition levels truncated")
				}
				l := binary.LittleEndian.Uint32(rest)
				if uint64(l) > uint64(len(rest)-4) {
					return errors.New("definition levels truncated")
				}
				if err := c.defs.reset(rest[4:4+l], 1); err != nil {
					return err
				}
				rest = rest[4+l:]
			case encBitPacked:
				l := (int(h.numValues) + 7) / 8
				if l > len(rest) {
					return errors.New("definition levels truncated")
				}
				c.legacy = true
				c.oldDefs = legacyBitPacked{data: rest[:l], width: 1}
				rest = rest[l:]
			default:
				return fmt.Errorf("definition level encoding %s not supported", encodingName(h.defEnc))
			}
		}
	}
	return c.startValues(h, rest)
}

// startValues prepares the value decoder for a data page whose values (after
// the levels) are rest.
func (c *colState) startValues(h *pageHeader, rest []byte) error {
	c.enc = h.encoding
	c.vals, c.vpos, c.bitPos = rest, 0, 0
	switch h.encoding {
	case encPlain:
		return nil
	case encPlainDict, encRLEDict:
		if c.dict == nil {
			return errors.New("dictionary-encoded page without a dictionary page")
		}
		if len(rest) == 0 {
			// Only nulls on this page: no index will be read.
			return c.idx.reset(nil, 0)
		}
		return c.idx.reset(rest[1:], int(rest[0]))
	case encRLE:
		if c.li.dk != dkBool {
			return fmt.Errorf("RLE encoding for %s values not supported", c.typ)
		}
		if len(rest) < 4 {
			return errors.New("RLE boolean values truncated")
		}
		l := binary.LittleEndian.Uint32(rest)
		if uint64(l) > uint64(len(rest)-4) {
			return errors.New("RLE boolean values truncated")
		}
		return c.idx.reset(rest[4:4+l], 1)
	case encDeltaBinaryPacked, encDeltaLengthBA, encDeltaBA, encByteStreamSplit:
		return c.startDelta(h, rest)
	}
	return fmt.Errorf("encoding %s not supported", encodingName(h.encoding))
}

// decodeValues decodes the next cnt non-null values of the page densely
// into v[off:off+cnt].
func (c *colState) decodeValues(v *coldata.Vec, off, cnt int) error {
	if cnt == 0 {
		return nil
	}
	if c.wantIdx && c.enc != encPlainDict && c.enc != encRLEDict {
		c.idxAll = false
	}
	switch c.enc {
	case encPlain:
		if c.li.dk == dkBool {
			pos, err := decodePlainBools(v.B[off:off+cnt], c.vals, c.bitPos)
			c.bitPos = pos
			return err
		}
		m, err := decodePlain(c.li.dk, c.li.typeLen, c.vals[c.vpos:], v, off, cnt)
		c.vpos += m
		return err
	case encPlainDict, encRLEDict:
		var err error
		if c.wantIdx {
			err = decodeDictVecIdx(&c.idx, v, c.dict, off, cnt, c.idx32[off:off+cnt])
		} else {
			err = decodeDictVec(&c.idx, v, c.dict, off, cnt)
		}
		if errors.Is(err, errRLEEnd) {
			err = errors.New("dictionary indices end before the page's values")
		}
		return err
	case encRLE:
		return c.idx.decodeBools(v.B[off : off+cnt])
	}
	return c.decodeDelta(v, off, cnt)
}

func decodeDictVec(d *hybrid, v, dict *coldata.Vec, off, cnt int) error {
	switch v.Type.ID {
	case coldata.Bool:
		return decodeDict(d, v.B[off:off+cnt], dict.B)
	case coldata.Int32, coldata.Date:
		return decodeDict(d, v.I32[off:off+cnt], dict.I32)
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		return decodeDict(d, v.I64[off:off+cnt], dict.I64)
	case coldata.Float64:
		return decodeDict(d, v.F64[off:off+cnt], dict.F64)
	case coldata.String:
		return decodeDict(d, v.Str[off:off+cnt], dict.Str)
	}
	return fmt.Errorf("internal: dictionary decode into %s", v.Type)
}

// spreadNulls moves the nonNull values packed at the front of v[off:off+k]
// to the rows that nulls marks defined, zeroing the null rows.
func spreadNulls(v *coldata.Vec, off, k int, nulls []bool, nonNull int) {
	switch v.Type.ID {
	case coldata.Bool:
		spread(v.B[off:off+k], nulls, nonNull)
	case coldata.Int32, coldata.Date:
		spread(v.I32[off:off+k], nulls, nonNull)
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		spread(v.I64[off:off+k], nulls, nonNull)
	case coldata.Float64:
		spread(v.F64[off:off+k], nulls, nonNull)
	case coldata.String:
		spread(v.Str[off:off+k], nulls, nonNull)
	}
}

func spread[T any](s []T, nulls []bool, nonNull int) {
	var zero T
	j := nonNull - 1
	nulls = nulls[:len(s)]
	for i := len(s) - 1; i >= 0 && i > j; i-- {
		if nulls[i] {
			s[i] = zero
		} else {
			s[i] = s[j]
			j--
		}
	}
}

func pageTypeName(t int32) string {
	switch t {
	case pageData:
		return "data"
	case pageDataV2:
		return "data v2"
	case pageDictionary:
		return "dictionary"
	case pageIndex:
		return "index"
	}
	return fmt.Sprintf("type %d", t)
}

// errSegGap stops nextPage before pages that were not fetched; only
// skipTo may jump them.
var errSegGap = errors.New("internal: rows needed from a page that was not fetched")

// segment is a run of fetched pages starting at row firstRow (the
// dictionary page, if any, comes first with firstRow 0).
type segment struct {
	firstRow int64
	b        []byte
}

// skipTo advances the column to row target without delivering the rows in
// between: whole pages are stepped over by their headers alone (never
// decompressed), pages that were not fetched are jumped, and the part of a
// page before target is skipped without materialising its values.
func (c *colState) skipTo(target int64, dec *decompressor) error {
	if c.nest != nil {
		c.skipNested(target)
		return nil
	}
	for c.row < target {
		if c.pageLeft > 0 {
			k := min(int64(c.pageLeft), target-c.row)
			if int(k) == c.pageLeft {
				c.pageLeft = 0
				c.left -= k
				c.row += k
				continue
			}
			if err := c.skipInPage(int(k), dec); err != nil {
				return err
			}
			continue
		}
		if len(c.chunk) == 0 {
			if len(c.segs) == 0 {
				return fmt.Errorf("column chunk ends with %d values still expected", c.left)
			}
			s := c.segs[0]
			if s.firstRow > target {
				return fmt.Errorf("internal: row %d lies in a page that was not fetched", target)
			}
			if s.firstRow > c.row {
				c.left -= s.firstRow - c.row
				c.row = s.firstRow
			}
			c.chunk, c.segs = s.b, c.segs[1:]
			continue
		}
		h, hl, err := decodePageHeader(c.chunk)
		if err != nil {
			return err
		}
		isData := h.typ == pageData || h.typ == pageDataV2
		if isData && int64(h.numValues) <= target-c.row && int64(h.compressedSize) <= int64(len(c.chunk)-hl) {
			c.chunk = c.chunk[hl+int(h.compressedSize):]
			c.seenData = true
			c.left -= int64(h.numValues)
			c.row += int64(h.numValues)
			if c.stats != nil && h.numValues > 0 {
				c.stats.PagesSkipped++
			}
			continue
		}
		if !isData && h.typ != pageDictionary && int64(h.compressedSize) <= int64(len(c.chunk)-hl) {
			c.chunk = c.chunk[hl+int(h.compressedSize):]
			continue
		}
		// A dictionary page, or a data page holding target: let nextPage
		// load it (and report any corruption). After a dictionary page it
		// may stop at a gap of unfetched pages, which the loop then jumps.
		if err := c.nextPage(dec); err != nil && err != errSegGap {
			return err
		}
	}
	return nil
}

// crcError names the page whose checksum failed: the dictionary page, or
// the data page holding the column chunk's rows from firstRow on (-1 when
// unknown). The reader adds the file, column and row group.
func crcError(typ int32, size int, firstRow int64) error {
	switch {
	case typ == pageDictionary:
		return fmt.Errorf("page CRC mismatch: the dictionary page (%d bytes) is corrupt", size)
	case firstRow >= 0:
		return fmt.Errorf("page CRC mismatch: the %s page starting at row %d of the row group (%d bytes) is corrupt", pageTypeName(typ), firstRow, size)
	}
	return fmt.Errorf("page CRC mismatch: a %s page (%d bytes) is corrupt", pageTypeName(typ), size)
}
