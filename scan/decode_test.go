package scan

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

func le32(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func le64(vs ...uint64) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b
}

func byteArrays(vs ...string) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(v)))
		b = append(b, v...)
	}
	return b
}

func int96(day int32, nanos int64) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(nanos))
	return binary.LittleEndian.AppendUint32(b, uint32(day))
}

func TestDecodePlain(t *testing.T) {
	neg1 := uint32(0xffffffff)
	cases := []struct {
		name    string
		dk      decodeKind
		typ     coldata.Type
		typeLen int
		src     []byte
		n       int
		want    []coldata.Datum
		used    int
		err     string
	}{
		{name: "int32", dk: dkI32, typ: coldata.TypeInt32, src: le32(1, neg1, 1<<31), n: 3,
			want: []coldata.Datum{{I: 1}, {I: -1}, {I: math.MinInt32}}, used: 12},
		{name: "int32 partial", dk: dkI32, typ: coldata.TypeInt32, src: le32(5, 6, 7), n: 2,
			want: []coldata.Datum{{I: 5}, {I: 6}}, used: 8},
		{name: "int32 decimal", dk: dkI32toI64, typ: coldata.DecimalType(9, 2), src: le32(neg1, 12345), n: 2,
			want: []coldata.Datum{{I: -1}, {I: 12345}}, used: 8},
		{name: "uint32", dk: dkU32toI64, typ: coldata.TypeInt64, src: le32(neg1), n: 1,
			want: []coldata.Datum{{I: 1<<32 - 1}}, used: 4},
		{name: "time millis", dk: dkI32Millis, typ: coldata.TypeInt64, src: le32(1500), n: 1,
			want: []coldata.Datum{{I: 1500000}}, used: 4},
		{name: "int64", dk: dkI64, typ: coldata.TypeInt64, src: le64(math.MaxUint64, 1<<40), n: 2,
			want: []coldata.Datum{{I: -1}, {I: 1 << 40}}, used: 16},
		{name: "uint64 ok", dk: dkU64, typ: coldata.TypeInt64, src: le64(math.MaxInt64), n: 1,
			want: []coldata.Datum{{I: math.MaxInt64}}, used: 16 / 2},
		{name: "uint64 overflow", dk: dkU64, typ: coldata.TypeInt64, src: le64(1 << 63), n: 1, err: "exceeds BIGINT"},
		{name: "ts millis", dk: dkI64Millis, typ: coldata.TypeTimestamp, src: le64(uint64(1700000000123)), n: 1,
			want: []coldata.Datum{{I: 1700000000123000}}, used: 8},
		{name: "ts nanos floors", dk: dkI64Nanos, typ: coldata.TypeTimestamp, src: le64(1999, math.MaxUint64-998), n: 2,
			want: []coldata.Datum{{I: 1}, {I: -1}}, used: 16},
		{name: "int96", dk: dkInt96, typ: coldata.TypeTimestamp, src: append(int96(julianEpoch, 1500), int96(julianEpoch-1, 86399e9)...), n: 2,
			want: []coldata.Datum{{I: 1}, {I: -1e6}}, used: 24},
		{name: "float", dk: dkF32, typ: coldata.TypeFloat64, src: le32(math.Float32bits(1.5), math.Float32bits(-0.25)), n: 2,
			want: []coldata.Datum{{F: 1.5}, {F: -0.25}}, used: 8},
		{name: "double", dk: dkF64, typ: coldata.TypeFloat64, src: le64(math.Float64bits(math.Pi)), n: 1,
			want: []coldata.Datum{{F: math.Pi}}, used: 8},
		{name: "float16", dk: dkF16, typ: coldata.TypeFloat64, typeLen: 2, src: []byte{0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00}, n: 3,
			want: []coldata.Datum{{F: 1}, {F: -2}, {F: math.Ldexp(1, -24)}}, used: 6},
		{name: "byte array", dk: dkBAStr, typ: coldata.TypeString, src: byteArrays("", "hello", "wörld"), n: 3,
			want: []coldata.Datum{{S: ""}, {S: "hello"}, {S: "wörld"}}, used: 4 + 9 + 10},
		{name: "byte array truncated length", dk: dkBAStr, typ: coldata.TypeString, src: []byte{5, 0, 0}, n: 1, err: "truncated"},
		{name: "byte array truncated value", dk: dkBAStr, typ: coldata.TypeString, src: byteArrays("hello")[:7], n: 1, err: "truncated"},
		{name: "byte array huge length", dk: dkBAStr, typ: coldata.TypeString, src: le32(0xfffffff0), n: 1, err: "truncated"},
		{name: "byte array decimal", dk: dkBADec, typ: coldata.DecimalType(20, 2), src: byteArrays("\x01\x00", "\xff", ""), n: 3,
			want: []coldata.Datum{{I: 256}, {I: -1}, {I: 0}}, used: 4*3 + 3},
		{name: "flba", dk: dkFLBAStr, typ: coldata.TypeString, typeLen: 3, src: []byte("abcdef"), n: 2,
			want: []coldata.Datum{{S: "abc"}, {S: "def"}}, used: 6},
		{name: "flba decimal", dk: dkFLBADec, typ: coldata.DecimalType(25, 2), typeLen: 11,
			src: []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0x09, 0x60, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x38}, n: 2,
			want: []coldata.Datum{{I: 2400}, {I: -200}}, used: 22},
		{name: "flba decimal overflow", dk: dkFLBADec, typ: coldata.DecimalType(25, 2), typeLen: 9,
			src: []byte{1, 0, 0, 0, 0, 0, 0, 0, 0}, n: 1, err: "does not fit in 64 bits"},
		{name: "fixed truncated", dk: dkI64, typ: coldata.TypeInt64, src: le64(1)[:7], n: 1, err: "truncated"},
		{name: "int96 truncated", dk: dkInt96, typ: coldata.TypeTimestamp, src: make([]byte, 23), n: 2, err: "truncated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := coldata.NewVec(c.typ, c.n+2)
			used, err := decodePlain(c.dk, c.typeLen, c.src, v, 1, c.n)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got %v, want error %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if used != c.used {
				t.Errorf("consumed %d bytes, want %d", used, c.used)
			}
			for i, w := range c.want {
				if got := v.Get(1 + i); !sameDatum(c.typ, got, w) {
					t.Errorf("value %d: got %s want %s", i, coldata.Format(c.typ, got), coldata.Format(c.typ, w))
				}
			}
		})
	}
}

func TestDecodePlainBools(t *testing.T) {
	src := []byte{0b10110101, 0b00000011, 0b1}
	want := []bool{true, false, true, false, true, true, false, true, true, true, false, false, false, false, false, false, true}
	for _, split := range []int{0, 1, 3, 8, 9, 17} {
		got := make([]bool, len(want))
		pos, err := decodePlainBools(got[:split], src, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodePlainBools(got[split:], src, pos); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("split %d: %v", split, got)
		}
	}
	if _, err := decodePlainBools(make([]bool, 25), src, 0); err == nil {
		t.Error("read past the end")
	}
}

func TestDecimalFromBE(t *testing.T) {
	cases := []struct {
		in   []byte
		want int64
		ok   bool
	}{
		{nil, 0, true},
		{[]byte{0x01}, 1, true},
		{[]byte{0xff}, -1, true},
		{[]byte{0x80}, -128, true},
		{[]byte{0x7f, 0xff}, 32767, true},
		{[]byte{0x80, 0x00}, -32768, true},
		{[]byte{0x00, 0x00, 0x01, 0x00}, 256, true},
		{[]byte{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, math.MaxInt64, true},
		{[]byte{0x80, 0, 0, 0, 0, 0, 0, 0}, math.MinInt64, true},
		{[]byte{0x00, 0x80, 0, 0, 0, 0, 0, 0, 0}, 0, false},                      // 2^63
		{[]byte{0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 0, false}, // -2^63-1
		{[]byte{0xff, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0}, math.MinInt64, true},
		{[]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x30, 0x39}, 12345, true},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xcf, 0xc7}, -12345, true},
		{[]byte{0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, false},
	}
	for _, c := range cases {
		got, ok := decimalFromBE(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("% x: got %d,%v want %d,%v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestFloat16(t *testing.T) {
	cases := map[uint16]float64{0x0000: 0, 0x3c00: 1, 0xc000: -2, 0x7bff: 65504, 0x0400: math.Ldexp(1, -14),
		0x7c00: math.Inf(1), 0xfc00: math.Inf(-1), 0x3555: 0.333251953125}
	for h, want := range cases {
		if got := float16To64(h); got != want {
			t.Errorf("%#04x: got %v want %v", h, got, want)
		}
	}
	if !math.IsNaN(float16To64(0x7e00)) {
		t.Error("NaN")
	}
	if got := float16To64(0x8000); got != 0 || !math.Signbit(got) {
		t.Error("-0")
	}
}

func TestSpread(t *testing.T) {
	s := []int64{1, 2, 3, 0, 0, 0}
	nulls := []bool{true, false, true, false, true, false}
	spread(s, nulls, 3)
	if !slices.Equal(s, []int64{0, 1, 0, 2, 0, 3}) {
		t.Fatal(s)
	}
	str := []string{"a", "b", "", ""}
	spread(str, []bool{false, false, true, true}, 2)
	if !slices.Equal(str, []string{"a", "b", "", ""}) {
		t.Fatal(str)
	}
}
