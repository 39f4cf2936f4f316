package storage

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

func TestCombineNDV(t *testing.T) {
	i64 := coldata.Type{ID: coldata.Int64}
	exact := func(d, r float64, lo, hi int64) ndvSample {
		return ndvSample{source: scan.NDVDictionary, ndv: d, rows: r, lo: coldata.Datum{I: lo}, hi: coldata.Datum{I: hi}, hasRange: true}
	}
	noRange := func(src scan.NDVSource, d, r float64) ndvSample {
		return ndvSample{source: src, ndv: d, rows: r}
	}
	repeat := func(n int, f func(i int) ndvSample) []ndvSample {
		var out []ndvSample
		for i := 0; i < n; i++ {
			out = append(out, f(i))
		}
		return out
	}
	cases := []struct {
		name      string
		samples   []ndvSample
		tableRows float64
		want      float64 // 0: no estimate
		tol       float64 // relative
	}{
		{"one exact chunk", []ndvSample{exact(7, 1000, 0, 6)}, 1000, 7, 0},
		{"footer count", []ndvSample{noRange(scan.NDVFooter, 42, 1000)}, 1000, 42, 0},
		// l_suppkey at SF 1: ~10,000 suppliers in every 122,880-row chunk.
		{"shared small domain", repeat(8, func(i int) ndvSample { return exact(9990+float64(i), 122880, 1, 10000) }), 8 * 122880, 10000, 0.01},
		// l_returnflag: 3 values everywhere; many chunks must not add up.
		{"shared tiny domain", repeat(49, func(int) ndvSample { return noRange(scan.NDVFooter, 3, 122880) }), 49 * 122880, 3, 0},
		// A sorted key: each chunk holds its own range of values.
		{"disjoint ranges add up", repeat(4, func(i int) ndvSample {
			return exact(30000, 120000, int64(i)*100000, int64(i)*100000+99999)
		}), 480000, 120000, 0},
		// The same with only 4 of 10 chunks sampled: extrapolated.
		{"disjoint sample extrapolated", repeat(4, func(i int) ndvSample {
			return exact(30000, 120000, int64(i)*250000, int64(i)*250000+99999)
		}), 1200000, 300000, 0},
		// Uniform draws of 1000 rows from a domain of 2000 values show
		// 2000·(1 − e^(−0.5)) ≈ 787 distinct values per chunk.
		{"shared domain solved", repeat(10, func(int) ndvSample { return exact(787, 1000, 0, 1999) }), 10000, 2000, 0.01},
		// Nearly unique values, overlapping ranges: the upper bound.
		{"near unique", repeat(5, func(int) ndvSample { return exact(1000, 1000, 0, 1e6) }), 5000, 5000, 0},
		// A dictionary that overflowed counts as nearly all distinct.
		{"dictionary fallback", []ndvSample{noRange(scan.NDVDictionaryFallback, 300, 1000), noRange(scan.NDVDictionaryFallback, 280, 1000)}, 2000, 2000, 0},
		// Chunks written without a dictionary next to ones with: the writer
		// declined a dictionary, so count them as diverse (1000), far above
		// the dictionary chunk's 100; at most their sum, 1100.
		{"mixed plain and dictionary", []ndvSample{noRange(scan.NDVDictionary, 100, 1000), noRange(scan.NDVPlain, 0, 1000)}, 2000, 1050, 0.05},
		{"plain only: no estimate", []ndvSample{noRange(scan.NDVPlain, 0, 1000)}, 1000, 0, 0},
		{"unreadable only: no estimate", []ndvSample{noRange(scan.NDVNone, 0, 1000), noRange(scan.NDVNone, 0, 1000)}, 2000, 0, 0},
		{"unreadable chunks left out", []ndvSample{noRange(scan.NDVNone, 0, 1000), noRange(scan.NDVDictionary, 12, 1000)}, 2000, 12, 0},
		{"empty", nil, 1000, 0, 0},
		{"empty chunks ignored", []ndvSample{noRange(scan.NDVDictionary, 0, 0)}, 1000, 0, 0},
		// Never above the table's rows nor below the largest chunk.
		{"capped by rows", []ndvSample{noRange(scan.NDVFooter, 5000, 1000)}, 1000, 1000, 0},
	}
	for _, c := range cases {
		got, ok := combineNDV(c.samples, i64, c.tableRows)
		if c.want == 0 {
			if ok {
				t.Errorf("%s: got %v, want no estimate", c.name, got)
			}
			continue
		}
		if !ok || math.Abs(got-c.want) > c.tol*c.want+1e-9 {
			t.Errorf("%s: got %v (ok=%v), want %v", c.name, got, ok, c.want)
		}
	}
}

func TestSharedDomain(t *testing.T) {
	for _, D := range []float64{3, 50, 2000, 1e5, 1e7} {
		for _, r := range []float64{100, 10000, 1e6} {
			d := D * (1 - math.Exp(-r/D))
			if d >= 0.999*r {
				continue
			}
			if got := sharedDomain(d, r); math.Abs(got-D) > 0.01*D {
				t.Errorf("D=%v r=%v: d=%v solved to %v", D, r, d, got)
			}
		}
	}
	if !math.IsInf(sharedDomain(100, 100), 1) {
		t.Error("all distinct should be unbounded")
	}
}

func TestSampleChunks(t *testing.T) {
	ones := make([]int, 10000)
	for i := range ones {
		ones[i] = 1
	}
	cases := []struct {
		name      string
		rowGroups []int
		want      int
	}{
		{"few: all", []int{3, 2, 1}, 6},
		{"10,000 files", ones, 64},
		{"3 big files", []int{100, 100, 100}, 63},
		{"one file, many row groups", []int{1000}, 64},
	}
	for _, c := range cases {
		got := sampleChunks(c.rowGroups, maxNDVChunks)
		if len(got) != c.want {
			t.Errorf("%s: %d samples, want %d", c.name, len(got), c.want)
		}
		seen := map[chunkRef]bool{}
		files := map[int]bool{}
		for _, p := range got {
			if p.file < 0 || p.file >= len(c.rowGroups) || p.rg < 0 || p.rg >= c.rowGroups[p.file] || seen[p] {
				t.Fatalf("%s: bad or repeated sample %+v", c.name, p)
			}
			seen[p] = true
			files[p.file] = true
		}
		// Spread: every file when they fit, else files across the range.
		if len(c.rowGroups) <= maxNDVChunks && len(files) != len(c.rowGroups) {
			t.Errorf("%s: sampled %d of %d files", c.name, len(files), len(c.rowGroups))
		}
		if len(c.rowGroups) == 10000 && (!files[0] || !files[9843]) {
			t.Errorf("%s: not spread over the files", c.name)
		}
	}
}

// TestColumnNDVConcurrent plans from many goroutines over one catalog, as
// concurrent queries do: the per-file cache must be safe (run with -race),
// and closing the catalog drops it.
func TestColumnNDVConcurrent(t *testing.T) {
	dir := t.TempDir()
	writeDictFiles(t, dir, 20)
	cat, _ := Open("")
	tb, err := cat.Tables([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if n, ok := ColumnNDV(tb, 1); !ok || math.Round(n) != 7 {
					t.Errorf("estimate %v %v", n, ok)
					return
				}
				if _, _, ok := ColumnRange(tb, 0); !ok {
					t.Error("no range")
					return
				}
			}
		}()
	}
	wg.Wait()
	cat.Close()
	for _, f := range tb.Files {
		if _, ok := statsCache.Load(f); ok {
			t.Fatal("statistics of a closed file still cached")
		}
	}
}

// writeDictFiles writes n copies of a 1000-row file whose column 1 is a
// dictionary-encoded string with 7 distinct values.
func writeDictFiles(t testing.TB, dir string, n int) {
	t.Helper()
	sc := arrow.NewSchema([]arrow.Field{fInt64("id"), fStr("name")}, nil)
	bld := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	for i := 0; i < 1000; i++ {
		bld.Field(0).(*array.Int64Builder).Append(int64(i))
		bld.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("name-%d", i%7))
	}
	rec := bld.NewRecordBatch()
	bld.Release()
	var buf bytes.Buffer
	tbl := array.NewTableFromRecords(sc, []arrow.RecordBatch{rec})
	err := pqarrow.WriteTable(tbl, &buf, 1000, parquet.NewWriterProperties(parquet.WithDictionaryDefault(true)), pqarrow.DefaultWriterProps())
	tbl.Release()
	rec.Release()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%05d.parquet", i)), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkColumnNDV10000Files is what the planner's first distinct-count
// question costs over 10,000 dictionary-encoded files (footers already
// cached): the footers are scanned for the sample, at most maxNDVChunks
// dictionary page headers are read, and the results are cached per file
// (warm).
func BenchmarkColumnNDV10000Files(b *testing.B) {
	dir := b.TempDir()
	writeDictFiles(b, dir, 10000)
	ctx := context.Background()
	cat, _ := Open("")
	defer cat.Close()
	d, err := cat.Dataset(ctx, []string{dir}, DatasetOptions{})
	if err != nil {
		b.Fatal(err)
	}
	tb, err := d.Table(ctx, d.Files)
	if err != nil {
		b.Fatal(err)
	}
	for _, warm := range []bool{false, true} {
		b.Run(fmt.Sprintf("warm=%v", warm), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if !warm {
					for _, f := range tb.Files {
						forgetStats(f)
					}
				}
				if n, ok := ColumnNDV(tb, 1); !ok || math.Round(n) != 7 {
					b.Fatalf("estimate %v %v", n, ok)
				}
			}
		})
	}
}
