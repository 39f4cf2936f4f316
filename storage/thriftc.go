package storage

import (
	"encoding/binary"
	"errors"
	"sort"
)

// A small reader and writer of Thrift's compact protocol, generic enough
// to decode any Parquet metadata structure into a tree, change a few
// fields and encode it again with everything else (including fields this
// code has never heard of) kept as it was. The page-checksum pass
// (pagecrc.go) uses it to add the CRC to page headers and move the offsets
// the footer and the offset index hold.

const (
	tcTrue   = 1
	tcFalse  = 2
	tcByte   = 3
	tcI16    = 4
	tcI32    = 5
	tcI64    = 6
	tcDouble = 7
	tcBinary = 8
	tcList   = 9
	tcSet    = 10
	tcMap    = 11
	tcStruct = 12
)

var errThrift = errors.New("corrupt Thrift structure")

// tValue is one decoded value: an integer or bool (I), raw bytes (binary,
// double, or a whole map, kept encoded), a struct or a list.
type tValue struct {
	typ  byte
	I    int64
	raw  []byte
	st   *tStruct
	list *tList
}

type tField struct {
	id int16
	v  tValue
}

type tStruct struct{ fields []tField }

type tList struct {
	elem  byte
	items []tValue
}

// get returns the field with this id, or nil.
func (s *tStruct) get(id int16) *tValue {
	for i := range s.fields {
		if s.fields[i].id == id {
			return &s.fields[i].v
		}
	}
	return nil
}

// int returns an integer field (def when absent).
func (s *tStruct) int(id int16, def int64) int64 {
	if v := s.get(id); v != nil {
		return v.I
	}
	return def
}

// setInt sets an integer field, adding it in id order when absent.
func (s *tStruct) setInt(id int16, typ byte, x int64) {
	if v := s.get(id); v != nil {
		v.I = x
		return
	}
	s.fields = append(s.fields, tField{id: id, v: tValue{typ: typ, I: x}})
	sort.SliceStable(s.fields, func(i, j int) bool { return s.fields[i].id < s.fields[j].id })
}

type tReader struct {
	b   []byte
	pos int
	err error
}

func (r *tReader) byte() byte {
	if r.pos >= len(r.b) {
		r.err = errThrift
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

func (r *tReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b[min(r.pos, len(r.b)):])
	if n <= 0 {
		r.err = errThrift
		return 0
	}
	r.pos += n
	return v
}

func (r *tReader) zigzag() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (r *tReader) bytes(n uint64) []byte {
	if n > uint64(len(r.b)-r.pos) {
		r.err = errThrift
		return nil
	}
	b := r.b[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return b
}

// decodeStruct reads one struct; depth bounds nesting on corrupt input.
func (r *tReader) decodeStruct(depth int) *tStruct {
	if depth > 32 {
		r.err = errThrift
		return nil
	}
	s := &tStruct{}
	var last int16
	for r.err == nil {
		h := r.byte()
		if h == 0 {
			return s
		}
		typ := h & 0x0f
		id := last + int16(h>>4)
		if h>>4 == 0 {
			id = int16(r.zigzag())
		}
		last = id
		v := r.decodeValue(typ, depth, true)
		s.fields = append(s.fields, tField{id: id, v: v})
	}
	return nil
}

func (r *tReader) decodeValue(typ byte, depth int, inField bool) tValue {
	v := tValue{typ: typ}
	switch typ {
	case tcTrue, tcFalse:
		if inField {
			v.I = int64(2 - typ) // the type carries the value
		} else {
			v.I = int64(2 - r.byte())
		}
	case tcByte:
		v.I = int64(int8(r.byte()))
	case tcI16, tcI32, tcI64:
		v.I = r.zigzag()
	case tcDouble:
		v.raw = r.bytes(8)
	case tcBinary:
		v.raw = r.bytes(r.uvarint())
	case tcList, tcSet:
		h := r.byte()
		n := uint64(h >> 4)
		if n == 15 {
			n = r.uvarint()
		}
		if n > uint64(len(r.b)) {
			r.err = errThrift
			return v
		}
		l := &tList{elem: h & 0x0f}
		for i := uint64(0); i < n && r.err == nil; i++ {
			l.items = append(l.items, r.decodeValue(l.elem, depth+1, false))
		}
		v.list = l
	case tcMap:
		start := r.pos
		n := r.uvarint()
		if n > 0 {
			kv := r.byte()
			for i := uint64(0); i < n && r.err == nil; i++ {
				r.decodeValue(kv>>4, depth+1, false)
				r.decodeValue(kv&0x0f, depth+1, false)
			}
		}
		v.raw = r.b[start:min(r.pos, len(r.b))]
	case tcStruct:
		v.st = r.decodeStruct(depth + 1)
	default:
		r.err = errThrift
	}
	return v
}

// decodeThrift decodes the struct at the start of b and returns it with
// its encoded length.
func decodeThrift(b []byte) (*tStruct, int, error) {
	r := &tReader{b: b}
	s := r.decodeStruct(0)
	if r.err != nil {
		return nil, 0, r.err
	}
	return s, r.pos, nil
}

func appendZigzag(b []byte, x int64) []byte {
	return binary.AppendUvarint(b, uint64(x<<1)^uint64(x>>63))
}

func (s *tStruct) encode(b []byte) []byte {
	var last int16
	for _, f := range s.fields {
		typ := f.v.typ
		if typ == tcTrue || typ == tcFalse {
			typ = byte(2 - f.v.I) // true: 1, false: 2
		}
		if d := f.id - last; d > 0 && d <= 15 {
			b = append(b, byte(d)<<4|typ)
		} else {
			b = append(b, typ)
			b = appendZigzag(b, int64(f.id))
		}
		last = f.id
		b = f.v.encode(b, true)
	}
	return append(b, 0)
}

func (v *tValue) encode(b []byte, inField bool) []byte {
	switch v.typ {
	case tcTrue, tcFalse:
		if !inField {
			b = append(b, byte(2-v.I))
		}
	case tcByte:
		b = append(b, byte(v.I))
	case tcI16, tcI32, tcI64:
		b = appendZigzag(b, v.I)
	case tcDouble, tcMap:
		b = append(b, v.raw...)
	case tcBinary:
		b = binary.AppendUvarint(b, uint64(len(v.raw)))
		b = append(b, v.raw...)
	case tcList, tcSet:
		n := len(v.list.items)
		if n < 15 {
			b = append(b, byte(n)<<4|v.list.elem)
		} else {
			b = append(b, 0xf0|v.list.elem)
			b = binary.AppendUvarint(b, uint64(n))
		}
		for i := range v.list.items {
			b = v.list.items[i].encode(b, false)
		}
	case tcStruct:
		b = v.st.encode(b)
	}
	return b
}
