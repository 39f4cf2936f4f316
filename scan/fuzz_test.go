package scan

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func FuzzPageHeader(f *testing.F) {
	f.Add([]byte{})
	f.Add(newTW().i32(1, pageData).i32(2, 100).i32(3, 50).begin(5).i32(1, 10).i32(2, encPlain).end().end().b)
	f.Add(newTW().i32(1, pageDataV2).i32(2, 100).i32(3, 60).begin(8).i32(1, 10).i32(5, 4).boolean(7, false).end().end().b)
	f.Add(newTW().i32(1, pageDictionary).i32(2, 8).i32(3, 8).begin(7).i32(1, 2).end().raw(9, ttList, 0x2c, 0, 0).end().b)
	f.Fuzz(func(t *testing.T, data []byte) {
		h, n, err := decodePageHeader(data)
		if err != nil {
			return
		}
		if n <= 0 || n > len(data) {
			t.Fatalf("consumed %d of %d bytes", n, len(data))
		}
		if h.compressedSize < 0 || h.uncompressedSize < 0 || h.numValues < 0 {
			t.Fatalf("negative field accepted: %+v", h)
		}
	})
}

func FuzzRLE(f *testing.F) {
	f.Add([]byte{4 << 1, 1}, uint8(1), uint16(4))
	f.Add(encodeHybrid(3, []hybridRun{{rle: true, val: 5, n: 7}, {vals: []uint32{1, 2, 3, 4, 5, 6, 7, 0}}}), uint8(3), uint16(15))
	f.Add(encodeHybrid(17, []hybridRun{{vals: make([]uint32, 16)}}), uint8(17), uint16(16))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, uint8(0), uint16(1000))
	f.Fuzz(func(t *testing.T, data []byte, width uint8, n uint16) {
		w := int(width % 34) // 33 is rejected
		d, err := newHybrid(data, w)
		if err != nil {
			if w <= 32 {
				t.Fatal(err)
			}
			return
		}
		vals := make([]uint32, n)
		if err := d.decode(vals); err == nil && w < 32 {
			for _, v := range vals {
				if v >= 1<<uint(w) {
					t.Fatalf("value %d wider than %d bits", v, w)
				}
			}
		}
		d2, _ := newHybrid(data, w)
		d2.decodeNulls(make([]bool, n), 1)
		d3, _ := newHybrid(data, w)
		decodeDict(&d3, make([]int64, n), []int64{1, 2, 3})
		d4, _ := newHybrid(data, w)
		d4.takeDefinedRun(int(n), 1)
		d4.decodeBools(make([]bool, n))
		// Skipping must land where decoding does.
		d5, _ := newHybrid(data, w)
		d6, _ := newHybrid(data, w)
		half := int(n) / 2
		if d5.skip(half) == nil && d6.decode(make([]uint32, half)) == nil {
			a, b := make([]uint32, int(n)-half), make([]uint32, int(n)-half)
			if d5.decode(a) == nil && d6.decode(b) == nil && !slices.Equal(a, b) {
				t.Fatalf("width %d: values after skipping %d differ from those after decoding them", w, half)
			}
		}
		d7, _ := newHybrid(data, w)
		d7.countNulls(int(n), 1)
	})
}

func FuzzOpenAndRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.parquet")
	bad, _ := filepath.Glob("testdata/bad_data/*.parquet")
	for _, p := range append(files, bad...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 100<<10 {
			continue // large seeds make fuzzing slow without adding shapes
		}
		f.Add(data)
	}
	catchPanics = false
	defer func() { catchPanics = true }()
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = readBytes(data, "fuzz.parquet")
	})
}
