package scan

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// TestBloomFilterFile probes the reference filter shipped with
// parquet-testing, which holds exactly these four strings.
func TestBloomFilterFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "data", "bloom_filter.xxhash.bin"))
	if err != nil {
		t.Fatal(err)
	}
	bf, need, err := parseBloom(data)
	if err != nil || bf == nil || need != len(data) {
		t.Fatalf("parse: %v (need %d of %d)", err, need, len(data))
	}
	for _, s := range []string{"hello", "parquet", "bloom", "filter"} {
		if !bf.mayContain(xxhash.Sum64String(s)) {
			t.Errorf("%q missing", s)
		}
	}
	fp := 0
	for _, s := range []string{"Hello", "world", "parquet-go", "arrow", "duckdb", "x", "", "bloom2"} {
		if bf.mayContain(xxhash.Sum64String(s)) {
			fp++
		}
	}
	if fp > 1 {
		t.Errorf("%d false positives of 8", fp)
	}
	if _, _, err := parseBloom(data[:10]); err == nil {
		t.Log("short header parsed") // a cut inside the bitset only asks for more
	}
}

func FuzzBloomFilter(f *testing.F) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "data", "bloom_filter.xxhash.bin"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:20])
	f.Fuzz(func(t *testing.T, b []byte) {
		bf, need, err := parseBloom(b)
		if err != nil {
			return
		}
		if bf == nil {
			if need <= len(b) {
				t.Fatalf("asks for %d bytes with %d present", need, len(b))
			}
			return
		}
		if len(bf.blocks)%32 != 0 || len(bf.blocks) == 0 {
			t.Fatalf("bitset of %d bytes", len(bf.blocks))
		}
		bf.mayContain(xxhash.Sum64String("hello"))
		bf.mayContain(^uint64(0))
	})
}

// pageIndexSeeds returns serialized column and offset indexes of corpus
// files, for the fuzz seeds.
func pageIndexSeeds(t testing.TB) [][]byte {
	var out [][]byte
	for _, name := range []string{"alltypes_tiny_pages.parquet", "int32_with_null_pages.parquet", "fixed_length_byte_array.parquet", "binary_truncated_min_max.parquet"} {
		f, err := Open(filepath.Join(corpusDir, "data", name))
		if err != nil {
			t.Fatal(err)
		}
		cc := f.md.RowGroups[0].Columns[0]
		for _, loc := range [][2]any{{cc.ColumnIndexOffset, cc.ColumnIndexLength}, {cc.OffsetIndexOffset, cc.OffsetIndexLength}} {
			b, err := f.readIndex(loc[0].(*int64), loc[1].(*int32))
			if err != nil || b == nil {
				t.Fatalf("%s: index: %v", name, err)
			}
			out = append(out, b)
		}
		f.Close()
	}
	return out
}

func TestPageIndexParse(t *testing.T) {
	seeds := pageIndexSeeds(t)
	ci, err := parseColumnIndex(seeds[2]) // int32_with_null_pages
	if err != nil {
		t.Fatal(err)
	}
	locs, err := parseOffsetIndex(seeds[3])
	if err != nil {
		t.Fatal(err)
	}
	if len(ci.nullPages) != len(locs) || len(locs) < 2 {
		t.Fatalf("%d column index pages, %d locations", len(ci.nullPages), len(locs))
	}
	nulls := 0
	for _, np := range ci.nullPages {
		if np {
			nulls++
		}
	}
	if nulls != 1 {
		t.Errorf("%d null pages, want 1", nulls)
	}
}

func FuzzPageIndex(f *testing.F) {
	for _, s := range pageIndexSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if ci, err := parseColumnIndex(b); err == nil {
			n := len(ci.nullPages)
			if len(ci.mins) != n || len(ci.maxs) != n {
				t.Fatal("inconsistent column index accepted")
			}
		}
		if locs, err := parseOffsetIndex(b); err == nil {
			validLocs(locs, 4, 1<<20, 1000)
			pageRanges(locs, 1000, make([]bool, len(locs)))
		}
	})
}
