package scan

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/golang/snappy"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Hand-built pages exercise layouts arrow-go's writer never produces.

func v1Header(size, numValues int, enc, defEnc int32) []byte {
	return newTW().i32(1, pageData).i32(2, int32(size)).i32(3, int32(size)).
		begin(5).i32(1, int32(numValues)).i32(2, enc).i32(3, defEnc).i32(4, encRLE).end().end().b
}

func dictHeader(size, numValues int) []byte {
	return newTW().i32(1, pageDictionary).i32(2, int32(size)).i32(3, int32(size)).
		begin(7).i32(1, int32(numValues)).i32(2, encPlain).end().end().b
}

// rleLevels encodes definition levels (width 1) with the v1 length prefix.
func rleLevels(levels []uint32) []byte {
	data := encodeHybrid(1, []hybridRun{{vals: levels}})
	return append(binary.LittleEndian.AppendUint32(nil, uint32(len(data))), data...)
}

func page(header, body []byte) []byte { return append(append([]byte(nil), header...), body...) }

// readChunk decodes rows values of a one-column chunk.
func readChunk(chunk []byte, li leafInfo, typ coldata.Type, codec int32, rows int, batch int) (*coldata.Vec, error) {
	c := &colState{name: "c", li: li, typ: typ, codec: codec, chunk: chunk, left: int64(rows)}
	var dec decompressor
	out := coldata.NewVec(typ, rows) // Resize would drop the null mask
	v := coldata.NewVec(typ, 0)
	for done := 0; done < rows; {
		n := min(batch, rows-done)
		if err := c.read(v, n, &dec); err != nil {
			return nil, err
		}
		out.CopyFrom(v, nil, n, done)
		done += n
	}
	return out, nil
}

func TestHandmadePages(t *testing.T) {
	i32 := leafInfo{dk: dkI32, maxDef: 1}
	levels := []uint32{1, 0, 1, 1, 0, 1, 1, 1}
	plain := le32(10, 20, 30, 40, 50, 60)

	// v2 page in a SNAPPY chunk that says its values are not compressed.
	defs := encodeHybrid(1, []hybridRun{{vals: levels}})
	v2hdr := newTW().i32(1, pageDataV2).i32(2, int32(len(defs)+len(plain))).i32(3, int32(len(defs)+len(plain))).
		begin(8).i32(1, 8).i32(2, 2).i32(3, 8).i32(4, encPlain).i32(5, int32(len(defs))).i32(6, 0).boolean(7, false).end().end().b
	v2 := page(v2hdr, append(append([]byte(nil), defs...), plain...))

	// The same values, compressed, in a v1 page after an index page.
	body := append(rleLevels(levels), plain...)
	comp := snappy.Encode(nil, body)
	idx := page(newTW().i32(1, pageIndex).i32(2, 3).i32(3, 3).end().b, []byte{1, 2, 3})
	v1 := page(newTW().i32(1, pageData).i32(2, int32(len(body))).i32(3, int32(len(comp))).
		begin(5).i32(1, 8).i32(2, encPlain).i32(3, encRLE).end().end().b, comp)

	// Deprecated BIT_PACKED levels (MSB first) and a dictionary page found
	// without any dictionary_page_offset, followed by width-0 indices.
	legacy := page(v1Header(1+24, 8, encPlain, encBitPacked), append([]byte{0b10110111}, le32(7, 7, 7, 7, 7, 7)...))
	dict := page(dictHeader(4, 1), le32(99))
	zeroIdx := append([]byte{0}, encodeHybrid(0, []hybridRun{{rle: true, n: 6}})...)
	zeroWidth := page(v1Header(len(rleLevels(levels))+len(zeroIdx), 8, encRLEDict, encRLE), append(rleLevels(levels), zeroIdx...))

	// RLE-encoded booleans (as in data page v2 files).
	boolVals := encodeHybrid(1, []hybridRun{{rle: true, val: 1, n: 3}, {vals: []uint32{0, 1, 0, 0, 0, 0, 0, 0}}})
	boolBody := append(binary.LittleEndian.AppendUint32(nil, uint32(len(boolVals))), boolVals...)
	rleBools := page(v1Header(len(boolBody), 5, encRLE, encRLE), boolBody)

	want := []int64{10, -1, 20, 30, -1, 40, 50, 60}
	cases := []struct {
		name  string
		chunk []byte
		li    leafInfo
		typ   coldata.Type
		codec int32
		rows  int
		want  []int64 // -1 is NULL
		err   string
	}{
		{name: "v2 not compressed", chunk: v2, li: i32, typ: coldata.TypeInt32, codec: codecSnappy, rows: 8, want: want},
		{name: "index page then v1", chunk: append(idx, v1...), li: i32, typ: coldata.TypeInt32, codec: codecSnappy, rows: 8, want: want},
		{name: "two pages", chunk: append(append([]byte(nil), v2...), v2...), li: i32, typ: coldata.TypeInt32, codec: codecSnappy, rows: 16,
			want: append(append([]int64(nil), want...), want...)},
		{name: "legacy levels", chunk: legacy, li: leafInfo{dk: dkI32, maxDef: 1}, typ: coldata.TypeInt32, rows: 8,
			want: []int64{7, -1, 7, 7, -1, 7, 7, 7}},
		{name: "dictionary without offset, width 0", chunk: append(dict, zeroWidth...), li: i32, typ: coldata.TypeInt32, rows: 8,
			want: []int64{99, -1, 99, 99, -1, 99, 99, 99}},
		{name: "rle booleans", chunk: rleBools, li: leafInfo{dk: dkBool}, typ: coldata.TypeBool, rows: 5, want: []int64{1, 1, 1, 0, 1}},
		{name: "chunk ends early", chunk: v2, li: i32, typ: coldata.TypeInt32, codec: codecSnappy, rows: 9, err: "ends with 1 values still expected"},
		{name: "page longer than chunk", chunk: v2[:len(v2)-1], li: i32, typ: coldata.TypeInt32, codec: codecSnappy, rows: 8, err: "runs past the end"},
		{name: "more values than rows", chunk: v2, li: i32, typ: coldata.TypeInt32, codec: codecSnappy, rows: 4, err: "only 4 rows are left"},
		{name: "dictionary after data", chunk: append(append([]byte(nil), v2...), dict...), li: i32, typ: coldata.TypeInt32, codec: codecSnappy, rows: 9,
			err: "dictionary page after the first page"},
		{name: "no dictionary", chunk: zeroWidth, li: i32, typ: coldata.TypeInt32, rows: 8, err: "without a dictionary page"},
		{name: "values missing", chunk: page(v1Header(len(rleLevels(levels))+4, 8, encPlain, encRLE), append(rleLevels(levels), le32(1)...)),
			li: i32, typ: coldata.TypeInt32, rows: 8, err: "truncated"},
		{name: "unknown encoding", chunk: page(v1Header(4, 1, 42, encRLE), le32(1)), li: leafInfo{dk: dkI32}, typ: coldata.TypeInt32, rows: 1,
			err: "encoding 42 not supported"},
		{name: "bad snappy", chunk: page(newTW().i32(1, pageData).i32(2, 8).i32(3, 3).begin(5).i32(1, 2).i32(2, encPlain).end().end().b, []byte{8, 0xff, 0xff}),
			li: leafInfo{dk: dkI32}, typ: coldata.TypeInt32, codec: codecSnappy, rows: 2, err: "snappy"},
		{name: "unsupported codec", chunk: page(v1Header(4, 1, encPlain, encRLE), le32(1)), li: leafInfo{dk: dkI32}, typ: coldata.TypeInt32, codec: codecLZO, rows: 1,
			err: "codec LZO not supported"},
	}
	for _, c := range cases {
		for _, batch := range []int{1, 3, 100} {
			v, err := readChunk(c.chunk, c.li, c.typ, c.codec, c.rows, batch)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("%s: got %v, want error %q", c.name, err, c.err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s batch %d: %v", c.name, batch, err)
			}
			for i, w := range c.want {
				d := v.Get(i)
				got := d.I
				if c.typ.ID == coldata.Bool {
					got = 0
					if d.B {
						got = 1
					}
				}
				if d.Null {
					got = -1
				}
				if got != w {
					t.Fatalf("%s batch %d row %d: got %d want %d", c.name, batch, i, got, w)
				}
			}
		}
	}
}
