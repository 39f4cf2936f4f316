package scan

import (
	"errors"
	"fmt"
)

// Page headers are Thrift compact-protocol structs in front of every page.
// arrow-go keeps its generated Thrift types internal, and its generic
// deserializer allocates a transport per call, so we decode the handful of
// fields we need here. The decoder never trusts a length: every read is
// bounds-checked against the remaining bytes, skipping is depth-limited, and
// nothing is allocated from the input at all.

// Page types (parquet.thrift PageType).
const (
	pageData       = 0
	pageIndex      = 1
	pageDictionary = 2
	pageDataV2     = 3
)

// Compact-protocol wire types.
const (
	ttStop   = 0
	ttTrue   = 1
	ttFalse  = 2
	ttByte   = 3
	ttI16    = 4
	ttI32    = 5
	ttI64    = 6
	ttDouble = 7
	ttBinary = 8
	ttList   = 9
	ttSet    = 10
	ttMap    = 11
	ttStruct = 12
)

// maxThriftDepth bounds nested struct/container skipping so a hostile header
// cannot recurse without limit.
const maxThriftDepth = 16

var errThriftTruncated = errors.New("truncated page header")

// pageHeader holds the fields of PageHeader and its per-type sub-headers that
// the scanner uses. Absent optional fields keep their zero value, except
// v2IsCompressed which defaults to true as in the Thrift definition.
type pageHeader struct {
	typ              int32
	uncompressedSize int32
	compressedSize   int32

	// DataPageHeader (v1) and DictionaryPageHeader share num_values/encoding.
	numValues int32
	encoding  int32
	defEnc    int32 // v1 definition_level_encoding
	repEnc    int32 // v1 repetition_level_encoding

	// DataPageHeaderV2.
	numNulls       int32
	numRows        int32
	defLen         int32
	repLen         int32
	v2IsCompressed bool

	hasData, hasDict, hasV2 bool

	// crc is the CRC-32 of the page bytes after the header, when hasCRC.
	crc    int32
	hasCRC bool
}

type thriftReader struct {
	b   []byte
	pos int
}

func (r *thriftReader) byte() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, errThriftTruncated
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

func (r *thriftReader) uvarint() (uint64, error) {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return x, nil
		}
	}
	return 0, errors.New("page header: varint too long")
}

func (r *thriftReader) varint() (int64, error) {
	u, err := r.uvarint()
	return int64(u>>1) ^ -int64(u&1), err
}

// i32 reads a zigzag varint that must fit in 32 bits.
func (r *thriftReader) i32() (int32, error) {
	v, err := r.varint()
	if err != nil {
		return 0, err
	}
	if v != int64(int32(v)) {
		return 0, fmt.Errorf("page header: i32 field out of range (%d)", v)
	}
	return int32(v), nil
}

// fieldHeader returns the next field's id and type; typ == ttStop ends the struct.
func (r *thriftReader) fieldHeader(last int16) (id int16, typ byte, err error) {
	c, err := r.byte()
	if err != nil {
		return 0, 0, err
	}
	typ = c & 0x0f
	if typ == ttStop {
		return 0, ttStop, nil
	}
	if delta := int16(c >> 4); delta != 0 {
		return last + delta, typ, nil
	}
	v, err := r.varint()
	if err != nil {
		return 0, 0, err
	}
	if v != int64(int16(v)) {
		return 0, 0, fmt.Errorf("page header: field id out of range (%d)", v)
	}
	return int16(v), typ, nil
}

func (r *thriftReader) skipBytes(n uint64) error {
	if n > uint64(len(r.b)-r.pos) {
		return errThriftTruncated
	}
	r.pos += int(n)
	return nil
}

// skip consumes one value of type typ. Every value occupies at least one
// byte except a boolean field (whose value lives in the field header), so
// element loops over untrusted counts end when the input does.
func (r *thriftReader) skip(typ byte, depth int) error {
	if depth > maxThriftDepth {
		return errors.New("page header: nesting too deep")
	}
	switch typ {
	case ttTrue, ttFalse:
		return nil
	case ttByte:
		_, err := r.byte()
		return err
	case ttI16, ttI32, ttI64:
		_, err := r.uvarint()
		return err
	case ttDouble:
		return r.skipBytes(8)
	case ttBinary:
		n, err := r.uvarint()
		if err != nil {
			return err
		}
		return r.skipBytes(n)
	case ttList, ttSet:
		c, err := r.byte()
		if err != nil {
			return err
		}
		n := uint64(c >> 4)
		if n == 15 {
			if n, err = r.uvarint(); err != nil {
				return err
			}
		}
		et := c & 0x0f
		for i := uint64(0); i < n; i++ {
			if et == ttTrue || et == ttFalse {
				// Booleans inside containers take one byte each.
				if _, err := r.byte(); err != nil {
					return err
				}
				continue
			}
			if err := r.skip(et, depth+1); err != nil {
				return err
			}
		}
		return nil
	case ttMap:
		n, err := r.uvarint()
		if err != nil || n == 0 {
			return err
		}
		kv, err := r.byte()
		if err != nil {
			return err
		}
		for i := uint64(0); i < n; i++ {
			if err := r.skipElem(kv>>4, depth+1); err != nil {
				return err
			}
			if err := r.skipElem(kv&0x0f, depth+1); err != nil {
				return err
			}
		}
		return nil
	case ttStruct:
		var last int16
		for {
			id, ft, err := r.fieldHeader(last)
			if err != nil {
				return err
			}
			if ft == ttStop {
				return nil
			}
			if err := r.skip(ft, depth+1); err != nil {
				return err
			}
			last = id
		}
	}
	return fmt.Errorf("page header: unknown thrift type %d", typ)
}

func (r *thriftReader) skipElem(typ byte, depth int) error {
	if typ == ttTrue || typ == ttFalse {
		_, err := r.byte()
		return err
	}
	return r.skip(typ, depth)
}

// readStruct walks a struct's fields, handing each (id, type) to fn, which
// returns handled=false to have the field skipped.
func (r *thriftReader) readStruct(depth int, fn func(id int16, typ byte) (bool, error)) error {
	if depth > maxThriftDepth {
		return errors.New("page header: nesting too deep")
	}
	var last int16
	for {
		id, typ, err := r.fieldHeader(last)
		if err != nil {
			return err
		}
		if typ == ttStop {
			return nil
		}
		handled, err := fn(id, typ)
		if err != nil {
			return err
		}
		if !handled {
			if err := r.skip(typ, depth+1); err != nil {
				return err
			}
		}
		last = id
	}
}

// i32Field reads an i32 field, rejecting a wire type that is not i32 (a
// mismatch means corruption; skipping would hide it).
func (r *thriftReader) i32Field(typ byte, dst *int32) (bool, error) {
	if typ != ttI32 {
		return false, fmt.Errorf("page header: field has wire type %d, want i32", typ)
	}
	v, err := r.i32()
	*dst = v
	return true, err
}

// decodePageHeader parses one PageHeader at the start of b and returns it and
// the number of bytes it occupied.
func decodePageHeader(b []byte) (pageHeader, int, error) {
	h := pageHeader{v2IsCompressed: true}
	r := thriftReader{b: b}
	var seenType, seenU, seenC bool
	err := r.readStruct(0, func(id int16, typ byte) (bool, error) {
		switch id {
		case 1:
			seenType = true
			return r.i32Field(typ, &h.typ)
		case 2:
			seenU = true
			return r.i32Field(typ, &h.uncompressedSize)
		case 3:
			seenC = true
			return r.i32Field(typ, &h.compressedSize)
		case 4:
			h.hasCRC = true
			return r.i32Field(typ, &h.crc)
		case 5: // DataPageHeader
			if typ != ttStruct {
				return false, nil
			}
			h.hasData = true
			return true, r.readStruct(1, func(id int16, typ byte) (bool, error) {
				switch id {
				case 1:
					return r.i32Field(typ, &h.numValues)
				case 2:
					return r.i32Field(typ, &h.encoding)
				case 3:
					return r.i32Field(typ, &h.defEnc)
				case 4:
					return r.i32Field(typ, &h.repEnc)
				}
				return false, nil
			})
		case 7: // DictionaryPageHeader
			if typ != ttStruct {
				return false, nil
			}
			h.hasDict = true
			return true, r.readStruct(1, func(id int16, typ byte) (bool, error) {
				switch id {
				case 1:
					return r.i32Field(typ, &h.numValues)
				case 2:
					return r.i32Field(typ, &h.encoding)
				}
				return false, nil
			})
		case 8: // DataPageHeaderV2
			if typ != ttStruct {
				return false, nil
			}
			h.hasV2 = true
			return true, r.readStruct(1, func(id int16, typ byte) (bool, error) {
				switch id {
				case 1:
					return r.i32Field(typ, &h.numValues)
				case 2:
					return r.i32Field(typ, &h.numNulls)
				case 3:
					return r.i32Field(typ, &h.numRows)
				case 4:
					return r.i32Field(typ, &h.encoding)
				case 5:
					return r.i32Field(typ, &h.defLen)
				case 6:
					return r.i32Field(typ, &h.repLen)
				case 7:
					switch typ {
					case ttTrue:
						h.v2IsCompressed = true
					case ttFalse:
						h.v2IsCompressed = false
					default:
						return false, fmt.Errorf("page header: is_compressed has wire type %d", typ)
					}
					return true, nil
				}
				return false, nil
			})
		}
		return false, nil
	})
	if err != nil {
		return h, 0, err
	}
	if !seenType || !seenU || !seenC {
		return h, 0, errors.New("page header: missing required field")
	}
	if h.uncompressedSize < 0 || h.compressedSize < 0 {
		return h, 0, fmt.Errorf("page header: negative page size (%d/%d)", h.compressedSize, h.uncompressedSize)
	}
	if h.numValues < 0 || h.numNulls < 0 || h.numRows < 0 || h.defLen < 0 || h.repLen < 0 {
		return h, 0, errors.New("page header: negative count")
	}
	switch h.typ {
	case pageData:
		if !h.hasData {
			return h, 0, errors.New("page header: data page without data_page_header")
		}
	case pageDictionary:
		if !h.hasDict {
			return h, 0, errors.New("page header: dictionary page without dictionary_page_header")
		}
	case pageDataV2:
		if !h.hasV2 {
			return h, 0, errors.New("page header: v2 data page without data_page_header_v2")
		}
		if int64(h.defLen)+int64(h.repLen) > int64(h.compressedSize) ||
			int64(h.defLen)+int64(h.repLen) > int64(h.uncompressedSize) {
			return h, 0, errors.New("page header: level lengths exceed page size")
		}
	}
	return h, r.pos, nil
}
