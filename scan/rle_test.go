package scan

import (
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// hybridRun is one run of a test stream: RLE (n copies of val) or
// bit-packed (vals, padded with zeros to a multiple of 8).
type hybridRun struct {
	rle  bool
	val  uint32
	n    int
	vals []uint32
}

func appendUvarint(b []byte, x uint64) []byte {
	for x >= 0x80 {
		b = append(b, byte(x)|0x80)
		x >>= 7
	}
	return append(b, byte(x))
}

// encodeHybrid is a straightforward reference encoder for tests.
func encodeHybrid(width int, runs []hybridRun) []byte {
	var out []byte
	for _, r := range runs {
		if r.rle {
			out = appendUvarint(out, uint64(r.n)<<1)
			for i := 0; i < (width+7)/8; i++ {
				out = append(out, byte(r.val>>(8*i)))
			}
			continue
		}
		groups := (len(r.vals) + 7) / 8
		out = appendUvarint(out, uint64(groups)<<1|1)
		packed := make([]byte, groups*width)
		for i, v := range r.vals {
			for b := 0; b < width; b++ {
				if v>>b&1 != 0 {
					bit := i*width + b
					packed[bit/8] |= 1 << (bit % 8)
				}
			}
		}
		out = append(out, packed...)
	}
	return out
}

// expand lists the values a stream of runs holds (bit-packed padding included).
func expand(runs []hybridRun) []uint32 {
	var out []uint32
	for _, r := range runs {
		if r.rle {
			for i := 0; i < r.n; i++ {
				out = append(out, r.val)
			}
			continue
		}
		out = append(out, r.vals...)
		for i := len(r.vals); i%8 != 0; i++ {
			out = append(out, 0)
		}
	}
	return out
}

func TestHybridDecode(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	randVals := func(n, width int) []uint32 {
		v := make([]uint32, n)
		for i := range v {
			if width > 0 {
				v[i] = uint32(rng.Uint64() & (1<<uint(width) - 1))
			}
		}
		return v
	}
	type tc struct {
		name  string
		width int
		runs  []hybridRun
	}
	var cases []tc
	for w := 0; w <= 32; w++ {
		cases = append(cases,
			tc{"bitpacked", w, []hybridRun{{vals: randVals(64, w)}}},
			tc{"mixed", w, []hybridRun{
				{rle: true, val: randVals(1, w)[0], n: 13},
				{vals: randVals(24, w)},
				{rle: true, val: randVals(1, w)[0], n: 1},
				{vals: randVals(8, w)},
				{rle: true, val: randVals(1, w)[0], n: 300},
			}},
		)
	}
	cases = append(cases, tc{"long rle", 1, []hybridRun{{rle: true, val: 1, n: 1 << 20}}})
	for _, c := range cases {
		data := encodeHybrid(c.width, c.runs)
		want := expand(c.runs)
		// Read in chunks of several sizes so that runs and groups split.
		for _, step := range []int{1, 3, 8, 11, 100, len(want)} {
			d, err := newHybrid(data, c.width)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]uint32, 0, len(want))
			for len(got) < len(want) {
				k := min(step, len(want)-len(got))
				buf := make([]uint32, k)
				if err := d.decode(buf); err != nil {
					t.Fatalf("%s width %d step %d: %v", c.name, c.width, step, err)
				}
				got = append(got, buf...)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s width %d step %d: values differ", c.name, c.width, step)
			}
			if err := d.decode(make([]uint32, 1)); !errors.Is(err, errRLEEnd) {
				t.Fatalf("%s width %d: reading past the end gave %v", c.name, c.width, err)
			}
		}
	}
}

func TestHybridErrors(t *testing.T) {
	cases := []struct {
		name  string
		width int
		data  []byte
		n     int
		want  string
	}{
		{"empty", 3, nil, 1, "ended early"},
		{"rle value missing", 16, []byte{4 << 1, 0x01}, 4, "ended early"},
		{"rle value too wide", 2, []byte{4 << 1, 0x07}, 4, "wider than 2 bits"},
		{"header too long", 1, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 1, "header too long"},
		{"bitpacked truncated", 8, []byte{2<<1 | 1, 1, 2, 3}, 4, "ended early"},
	}
	for _, c := range cases {
		d, err := newHybrid(c.data, c.width)
		if err != nil {
			t.Fatal(err)
		}
		// A truncated bit-packed run yields what is there, then fails.
		err = d.decode(make([]uint32, c.n))
		if c.name == "bitpacked truncated" && err == nil {
			err = d.decode(make([]uint32, 1))
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := newHybrid(nil, 33); err == nil {
		t.Error("width 33 accepted")
	}
}

func TestHybridNullsDictBools(t *testing.T) {
	levels := []uint32{1, 1, 0, 1, 0, 0, 0, 1, 1, 1}
	data := encodeHybrid(1, []hybridRun{{rle: true, val: 1, n: 5}, {vals: levels}, {rle: true, val: 0, n: 3}})
	d, _ := newHybrid(data, 1)
	nulls := make([]bool, 5+16+3)
	nn, err := d.decodeNulls(nulls, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []bool{false, false, false, false, false}
	for i := 0; i < 16; i++ {
		want = append(want, i >= len(levels) || levels[i] == 0)
	}
	want = append(want, true, true, true)
	if !slices.Equal(nulls, want) {
		t.Fatalf("nulls %v\nwant  %v", nulls, want)
	}
	wantNN := 0
	for _, b := range want {
		if b {
			wantNN++
		}
	}
	if nn != wantNN {
		t.Fatalf("null count %d, want %d", nn, wantNN)
	}

	// A level above the maximum is an error.
	d, _ = newHybrid(encodeHybrid(2, []hybridRun{{rle: true, val: 2, n: 4}}), 2)
	if _, err := d.decodeNulls(make([]bool, 4), 1); err == nil {
		t.Error("level 2 accepted for max level 1")
	}

	// Dictionary indices go straight to values; a bad index is an error.
	dict := []string{"a", "b", "c"}
	d, _ = newHybrid(encodeHybrid(2, []hybridRun{{rle: true, val: 2, n: 3}, {vals: []uint32{0, 1, 2, 1, 0, 0, 1, 2}}}), 2)
	out := make([]string, 11)
	if err := decodeDict(&d, out, dict); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(out, ""); got != "cccabcbaabc" {
		t.Fatalf("dictionary decode %q", got)
	}
	d, _ = newHybrid(encodeHybrid(2, []hybridRun{{rle: true, val: 3, n: 1}}), 2)
	if err := decodeDict(&d, make([]string, 1), dict); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("bad index: %v", err)
	}
	d, _ = newHybrid(encodeHybrid(2, []hybridRun{{vals: []uint32{3, 0, 0, 0, 0, 0, 0, 0}}}), 2)
	if err := decodeDict(&d, make([]string, 2), dict); err == nil {
		t.Error("bad bit-packed index accepted")
	}

	// RLE booleans.
	d, _ = newHybrid(encodeHybrid(1, []hybridRun{{rle: true, val: 1, n: 2}, {vals: []uint32{0, 1, 0, 0, 1, 1, 0, 1}}}), 1)
	bools := make([]bool, 10)
	if err := d.decodeBools(bools); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(bools, []bool{true, true, false, true, false, false, true, true, false, true}) {
		t.Fatalf("bools %v", bools)
	}
}

func TestLegacyBitPacked(t *testing.T) {
	// MSB first: 0b10110000 = levels 1,0,1,1,0,0,0,0.
	d := legacyBitPacked{data: []byte{0xb0}, width: 1}
	nulls := make([]bool, 8)
	nn, err := d.decodeNulls(nulls, 1)
	if err != nil || nn != 5 || !slices.Equal(nulls, []bool{false, true, false, false, true, true, true, true}) {
		t.Fatalf("nulls %v nn %d err %v", nulls, nn, err)
	}
	if _, err := d.decodeNulls(make([]bool, 1), 1); err == nil {
		t.Error("read past the end")
	}
}

func TestTakeDefinedRun(t *testing.T) {
	d, _ := newHybrid(encodeHybrid(1, []hybridRun{{rle: true, val: 1, n: 10}, {rle: true, val: 0, n: 2}}), 1)
	if ok, err := d.takeDefinedRun(6, 1); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if ok, _ := d.takeDefinedRun(6, 1); ok {
		t.Fatal("run of 4 left taken as 6")
	}
	nulls := make([]bool, 6)
	nn, err := d.decodeNulls(nulls, 1)
	if err != nil || nn != 2 || !slices.Equal(nulls, []bool{false, false, false, false, true, true}) {
		t.Fatal(nulls, nn, err)
	}
}

// BenchmarkUnpack compares the width-specialised unpackers with the
// generic loop they replace.
func BenchmarkUnpack(b *testing.B) {
	for _, w := range []uint{1, 5, 13, 20} {
		src := make([]byte, 4096*int(w)/8+64)
		for i := range src {
			src[i] = byte(i * 37)
		}
		dst := make([]uint32, 4096)
		b.Run(fmt.Sprintf("w=%d/specialised", w), func(b *testing.B) {
			b.SetBytes(int64(len(dst)) * 4)
			for i := 0; i < b.N; i++ {
				unpackGroups(dst, src, w)
			}
		})
		b.Run(fmt.Sprintf("w=%d/generic", w), func(b *testing.B) {
			b.SetBytes(int64(len(dst)) * 4)
			mask := uint64(1)<<w - 1
			for i := 0; i < b.N; i++ {
				s := src
				for g := 0; g < len(dst); g += 8 {
					unpack8(dst[g:g+8], s, w, mask)
					s = s[w:]
				}
			}
		})
	}
}
