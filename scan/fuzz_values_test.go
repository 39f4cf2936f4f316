package scan

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"testing"

	"github.com/golang/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// fuzzKinds are the value decoders' column kinds with the vector type each
// decodes into and the FIXED_LEN_BYTE_ARRAY width where one applies.
var fuzzKinds = []struct {
	dk      decodeKind
	typ     coldata.Type
	typeLen int
}{
	{dkBool, coldata.Type{ID: coldata.Bool}, 0},
	{dkI32, coldata.Type{ID: coldata.Int32}, 0},
	{dkI32toI64, coldata.Type{ID: coldata.Decimal, Precision: 9, Scale: 2}, 0},
	{dkU32toI64, coldata.Type{ID: coldata.Int64}, 0},
	{dkI32Millis, coldata.Type{ID: coldata.Int64}, 0},
	{dkI64, coldata.Type{ID: coldata.Int64}, 0},
	{dkU64, coldata.Type{ID: coldata.Int64}, 0},
	{dkI64Millis, coldata.Type{ID: coldata.Timestamp}, 0},
	{dkI64Nanos, coldata.Type{ID: coldata.Timestamp}, 0},
	{dkInt96, coldata.Type{ID: coldata.Timestamp}, 12},
	{dkF32, coldata.Type{ID: coldata.Float64}, 0},
	{dkF64, coldata.Type{ID: coldata.Float64}, 0},
	{dkF16, coldata.Type{ID: coldata.Float64}, 2},
	{dkBAStr, coldata.Type{ID: coldata.String}, 0},
	{dkBADec, coldata.Type{ID: coldata.Decimal, Precision: 18, Scale: 3}, 0},
	{dkFLBAStr, coldata.Type{ID: coldata.String}, 5},
	{dkFLBADec, coldata.Type{ID: coldata.Decimal, Precision: 18, Scale: 3}, 7},
}

var fuzzEncodings = []int32{encPlain, encPlainDict, encRLE, encDeltaBinaryPacked, encDeltaLengthBA, encDeltaBA, encRLEDict, encByteStreamSplit}

// FuzzValueDecoders drives every value decoder (each encoding for each
// column kind) over arbitrary page values, decoding and skipping in the
// steps the fuzzer picks: a corrupt page is an error, never a panic, a
// value out of its type's range or an allocation beyond the page.
func FuzzValueDecoders(f *testing.F) {
	le := binary.LittleEndian
	plainI64 := le.AppendUint64(le.AppendUint64(nil, 7), 1<<40)
	plainBA := append(le.AppendUint32(nil, 3), "abc"...)
	delta := []byte{128, 1, 4, 3, 2, 0, 0, 0, 0, 0, 0}
	f.Add(uint8(5), uint8(0), plainI64, uint16(2), uint16(1))
	f.Add(uint8(13), uint8(0), plainBA, uint16(1), uint16(0))
	f.Add(uint8(1), uint8(7), []byte{2, 4 << 1, 1}, uint16(4), uint16(2))
	f.Add(uint8(5), uint8(3), delta, uint16(3), uint16(1))
	f.Add(uint8(13), uint8(4), append(append([]byte{}, delta...), "abcdef"...), uint16(3), uint16(2))
	f.Add(uint8(11), uint8(7), le.AppendUint64(nil, 0x4000000000000000), uint16(1), uint16(0))
	f.Add(uint8(0), uint8(2), []byte{4, 0, 0, 0, 8 << 1, 1}, uint16(8), uint16(3))
	f.Fuzz(func(t *testing.T, kind, enc uint8, data []byte, n, step uint16) {
		k := fuzzKinds[int(kind)%len(fuzzKinds)]
		c := &colState{typ: k.typ, li: leafInfo{dk: k.dk, typeLen: k.typeLen}}
		dict := &coldata.Vec{Type: k.typ}
		dict.Resize(3)
		c.dict = dict
		h := &pageHeader{encoding: fuzzEncodings[int(enc)%len(fuzzEncodings)]}
		if c.startValues(h, data) != nil {
			return
		}
		total := int(n % 2048)
		v := &coldata.Vec{Type: k.typ}
		v.Resize(total)
		st := int(step%64) + 1
		for at, i := 0, 0; at < total; i++ {
			m := min(st, total-at)
			var err error
			if i%3 == 2 {
				err = c.skipValues(m)
			} else {
				err = c.decodeValues(v, at, m)
			}
			if err != nil {
				return
			}
			at += m
		}
		for _, s := range v.Str {
			if len(s) > len(data) {
				t.Fatalf("a %d-byte value from %d bytes of page", len(s), len(data))
			}
		}
	})
}

// FuzzDecompress feeds each codec's wrapper arbitrary bytes and an
// arbitrary declared size: it must return exactly that many bytes or an
// error.
func FuzzDecompress(f *testing.F) {
	body := bytes.Repeat([]byte("peregrine "), 20)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(body)
	w.Close()
	enc, _ := zstd.NewWriter(nil)
	f.Add(uint8(codecSnappy), snappy.Encode(nil, body), uint32(len(body)))
	f.Add(uint8(codecGzip), gz.Bytes(), uint32(len(body)))
	f.Add(uint8(codecZstd), enc.EncodeAll(body, nil), uint32(len(body)))
	f.Add(uint8(codecLZ4Raw), []byte{0x50, 'a', 'b', 'c', 'd', 'e'}, uint32(5))
	f.Add(uint8(codecLZ4), []byte{0, 0, 0, 5, 0, 0, 0, 6, 0x50, 'a', 'b', 'c', 'd', 'e'}, uint32(5))
	f.Add(uint8(codecBrotli), []byte{0x0b, 0x02, 0x80, 'a', 'b', 'c', 0x03}, uint32(3))
	f.Add(uint8(codecUncompressed), body, uint32(len(body)))
	f.Fuzz(func(t *testing.T, codec uint8, src []byte, size uint32) {
		var d decompressor
		sz := int(size % (1 << 20))
		out, err := d.decompress(int32(codec%8), nil, src, sz)
		if err == nil && len(out) != sz {
			t.Fatalf("codec %d: %d bytes for a declared %d", codec%8, len(out), sz)
		}
	})
}
