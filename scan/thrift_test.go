package scan

import (
	"strings"
	"testing"
)

// tw is a minimal Thrift compact-protocol writer for building test headers.
type tw struct {
	b    []byte
	last []int16
}

func (w *tw) field(id int16, typ byte) {
	last := w.last[len(w.last)-1]
	if d := id - last; d > 0 && d <= 15 {
		w.b = append(w.b, byte(d)<<4|typ)
	} else {
		w.b = append(w.b, typ)
		w.b = appendUvarint(w.b, uint64(uint16(id)<<1^uint16(id>>15)))
	}
	w.last[len(w.last)-1] = id
}

func zz(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

func (w *tw) i32(id int16, v int32) *tw {
	w.field(id, ttI32)
	w.b = appendUvarint(w.b, zz(int64(v)))
	return w
}

func (w *tw) boolean(id int16, v bool) *tw {
	if v {
		w.field(id, ttTrue)
	} else {
		w.field(id, ttFalse)
	}
	return w
}

func (w *tw) begin(id int16) *tw {
	w.field(id, ttStruct)
	w.last = append(w.last, 0)
	return w
}

func (w *tw) end() *tw {
	w.b = append(w.b, ttStop)
	w.last = w.last[:len(w.last)-1]
	return w
}

func (w *tw) raw(id int16, typ byte, payload ...byte) *tw {
	w.field(id, typ)
	w.b = append(w.b, payload...)
	return w
}

func newTW() *tw { return &tw{last: []int16{0}} }

func TestDecodePageHeader(t *testing.T) {
	v1 := newTW().i32(1, pageData).i32(2, 100).i32(3, 50).i32(4, 12345).
		begin(5).i32(1, 10).i32(2, encPlain).i32(3, encRLE).i32(4, encRLE).end().end().b
	dict := newTW().i32(1, pageDictionary).i32(2, 8).i32(3, 8).
		begin(7).i32(1, 2).i32(2, encPlainDict).boolean(3, true).end().end().b
	v2 := newTW().i32(1, pageDataV2).i32(2, 100).i32(3, 60).
		begin(8).i32(1, 10).i32(2, 3).i32(3, 10).i32(4, encRLEDict).i32(5, 4).i32(6, 0).boolean(7, false).end().end().b
	// Unknown fields of every wire type must be skipped, including nested
	// structs, lists, maps and a field id needing the long form.
	unknown := newTW().i32(1, pageData).
		raw(20, ttBinary, 3, 'a', 'b', 'c').
		raw(21, ttDouble, 1, 2, 3, 4, 5, 6, 7, 8).
		raw(22, ttList, 3<<4|ttI32, 2, 4, 6).
		raw(23, ttList, 2<<4|ttTrue, 1, 2).
		raw(24, ttMap, 1, ttI32<<4|ttBinary, 2, 1, 'x').
		raw(25, ttMap, 0).
		raw(26, ttI64, 0x80, 0x01).
		raw(300, ttByte, 7).
		begin(27).i32(1, 1).begin(2).end().end().
		i32(2, 10).i32(3, 10).
		begin(5).i32(1, 3).i32(2, encPlain).raw(5, ttStruct, ttStop).end().end().b

	cases := []struct {
		name string
		in   []byte
		want pageHeader
		err  string
	}{
		{name: "v1", in: v1, want: pageHeader{typ: pageData, uncompressedSize: 100, compressedSize: 50, numValues: 10,
			encoding: encPlain, defEnc: encRLE, repEnc: encRLE, v2IsCompressed: true, hasData: true, crc: 12345, hasCRC: true}},
		{name: "dict", in: dict, want: pageHeader{typ: pageDictionary, uncompressedSize: 8, compressedSize: 8, numValues: 2,
			encoding: encPlainDict, v2IsCompressed: true, hasDict: true}},
		{name: "v2", in: v2, want: pageHeader{typ: pageDataV2, uncompressedSize: 100, compressedSize: 60, numValues: 10,
			numNulls: 3, numRows: 10, encoding: encRLEDict, defLen: 4, hasV2: true}},
		{name: "unknown fields", in: unknown, want: pageHeader{typ: pageData, uncompressedSize: 10, compressedSize: 10,
			numValues: 3, encoding: encPlain, v2IsCompressed: true, hasData: true}},
		{name: "missing size", in: newTW().i32(1, pageData).i32(2, 1).end().b, err: "missing required"},
		{name: "negative size", in: newTW().i32(1, pageData).i32(2, -1).i32(3, 1).end().b, err: "negative page size"},
		{name: "no data header", in: newTW().i32(1, pageData).i32(2, 1).i32(3, 1).end().b, err: "without data_page_header"},
		{name: "levels exceed page", in: newTW().i32(1, pageDataV2).i32(2, 10).i32(3, 10).begin(8).i32(5, 8).i32(6, 8).end().end().b,
			err: "level lengths exceed"},
		{name: "wrong wire type", in: newTW().raw(1, ttBinary, 0).end().b, err: "want i32"},
		{name: "i32 out of range", in: newTW().raw(1, ttI32, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01).end().b, err: "out of range"},
		{name: "varint too long", in: newTW().raw(1, ttI32, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).end().b, err: "too long"},
		{name: "bad type", in: newTW().raw(9, 13).end().b, err: "unknown thrift type"},
		{name: "binary too long", in: newTW().raw(9, ttBinary, 0xff, 0x7f).end().b, err: "truncated"},
		{name: "huge list", in: newTW().raw(9, ttList, 0xf0|ttI32, 0xff, 0xff, 0xff, 0xff, 0x0f, 1).end().b, err: "truncated"},
		{name: "empty", in: nil, err: "truncated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, n, err := decodePageHeader(c.in)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got %v, want error %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if h != c.want {
				t.Fatalf("got  %+v\nwant %+v", h, c.want)
			}
			if n != len(c.in) {
				t.Fatalf("consumed %d of %d bytes", n, len(c.in))
			}
			// Every strict prefix is truncated: an error, never a panic.
			for i := 0; i < len(c.in); i++ {
				if _, _, err := decodePageHeader(c.in[:i]); err == nil {
					t.Fatalf("prefix of %d bytes accepted", i)
				}
			}
		})
	}
}

func TestPageHeaderDepthLimit(t *testing.T) {
	w := newTW().i32(1, pageData)
	for i := 0; i < 100; i++ {
		w.begin(9)
	}
	for i := 0; i < 100; i++ {
		w.end()
	}
	w.end()
	if _, _, err := decodePageHeader(w.b); err == nil || !strings.Contains(err.Error(), "too deep") {
		t.Fatalf("got %v", err)
	}
}
