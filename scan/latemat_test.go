package scan

import (
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// TestHybridSkip interleaves skip, decode and countNulls over random
// streams and checks every decoded value against the expanded stream.
func TestHybridSkip(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for _, w := range []int{0, 1, 2, 3, 7, 8, 13, 20, 32} {
		var runs []hybridRun
		for len(runs) < 40 {
			if rng.Intn(2) == 0 {
				runs = append(runs, hybridRun{rle: true, val: uint32(rng.Uint64() & (1<<uint(w) - 1)), n: 1 + rng.Intn(40)})
				continue
			}
			vals := make([]uint32, 8*(1+rng.Intn(6)))
			for i := range vals {
				vals[i] = uint32(rng.Uint64() & (1<<uint(w) - 1))
			}
			runs = append(runs, hybridRun{vals: vals})
		}
		want := expand(runs)
		data := encodeHybrid(w, runs)
		for trial := 0; trial < 20; trial++ {
			d, err := newHybrid(data, w)
			if err != nil {
				t.Fatal(err)
			}
			pos := 0
			for pos < len(want) {
				k := min(len(want)-pos, 1+rng.Intn(30))
				switch rng.Intn(3) {
				case 0:
					if err := d.skip(k); err != nil {
						t.Fatalf("width %d: skip %d at %d: %v", w, k, pos, err)
					}
				case 1:
					got := make([]uint32, k)
					if err := d.decode(got); err != nil {
						t.Fatalf("width %d: decode %d at %d: %v", w, k, pos, err)
					}
					if !slices.Equal(got, want[pos:pos+k]) {
						t.Fatalf("width %d: values at %d after skips differ", w, pos)
					}
				case 2:
					maxDef := uint32(1<<uint(w) - 1)
					nn, err := d.countNulls(k, maxDef)
					if err != nil {
						t.Fatal(err)
					}
					wantNN := 0
					for _, v := range want[pos : pos+k] {
						if v < maxDef {
							wantNN++
						}
					}
					if nn != wantNN {
						t.Fatalf("width %d: countNulls %d, want %d", w, nn, wantNN)
					}
				}
				pos += k
			}
			if err := d.skip(1); !errors.Is(err, errRLEEnd) {
				t.Fatalf("width %d: skipping past the end gave %v", w, err)
			}
		}
	}
}

func TestLegacyCountNulls(t *testing.T) {
	d := legacyBitPacked{data: []byte{0xb0, 0xff}, width: 1}
	if nn, err := d.countNulls(3, 1); err != nil || nn != 1 {
		t.Fatal(nn, err)
	}
	nulls := make([]bool, 5)
	if nn, err := d.decodeNulls(nulls, 1); err != nil || nn != 4 || !slices.Equal(nulls, []bool{false, true, true, true, true}) {
		t.Fatal(nulls, nn, err)
	}
	if _, err := d.countNulls(9, 1); err == nil {
		t.Fatal("counted past the end")
	}
}

// TestLateMaterialisationByRow reads files of every encoding with
// predicates that keep a few scattered rows (or a few runs) and checks the
// rows against a plain read, and that the other columns' values were
// stepped over rather than decoded.
func TestLateMaterialisationByRow(t *testing.T) {
	rng := rand.New(rand.NewSource(21))
	encodings := []struct {
		name string
		dict bool
		encs map[string]parquet.Encoding
	}{
		{"plain", false, nil},
		{"dictionary", true, nil},
		{"delta", false, map[string]parquet.Encoding{
			"i32": parquet.Encodings.DeltaBinaryPacked, "d": parquet.Encodings.DeltaBinaryPacked,
			"s": parquet.Encodings.DeltaByteArray, "ts_us": parquet.Encodings.DeltaBinaryPacked,
		}},
		{"byte-stream-split", false, map[string]parquet.Encoding{
			"f32": parquet.Encodings.ByteStreamSplit, "f64": parquet.Encodings.ByteStreamSplit,
		}},
	}
	for _, e := range encodings {
		for _, v2 := range []bool{false, true} {
			for _, nullFrac := range []float64{0, 0.3} {
				name := fmt.Sprintf("%s/v2=%v/nulls=%v", e.name, v2, nullFrac)
				t.Run(name, func(t *testing.T) {
					tbl := genTable(rng, 9000, nullFrac)
					defer tbl.Release()
					ver := parquet.DataPageV1
					if v2 {
						ver = parquet.DataPageV2
					}
					opts := []parquet.WriterProperty{
						parquet.WithCompression(compress.Codecs.Snappy), parquet.WithDataPageVersion(ver),
						parquet.WithDictionaryDefault(e.dict), parquet.WithDataPageSize(4 << 10), parquet.WithBatchSize(128),
					}
					for col, enc := range e.encs {
						opts = append(opts, parquet.WithEncodingFor(col, enc))
					}
					data := writeTable(t, tbl, 9000, parquet.NewWriterProperties(opts...), pqarrow.NewArrowWriterProperties())
					f := openBytes(t, data, name)
					cols := supportedCols(f)
					all, _ := readRows(t, f, cols, ReaderOptions{}, 4096)
					colIdx := func(name string) int {
						for j, c := range cols {
							if f.Columns()[c].Name == name {
								return j
							}
						}
						t.Fatalf("no column %s", name)
						return 0
					}
					// A dozen scattered i64 values, 0.25% of the dates, and one
					// value of the run-length column (a few long runs).
					var in []coldata.Datum
					j64 := colIdx("i64")
					for len(in) < 12 {
						// Large values are rare (the generator shifts by a
						// random amount), so each matches about one row.
						if d := all[rng.Intn(len(all))][j64]; !d.Null && (d.I > 1<<40 || d.I < -1<<40) {
							in = append(in, d)
						}
					}
					jr, jd := colIdx("runs"), colIdx("d")
					predSets := [][]Predicate{
						{{Col: cols[j64], Op: OpIn, Vals: in}},
						{{Col: cols[jd], Op: OpBetween, Vals: []coldata.Datum{{I: 1000}, {I: 1100}}}},
						{{Col: cols[jr], Op: OpEq, Vals: []coldata.Datum{all[len(all)/2][jr]}}},
					}
					for _, preds := range predSets {
						for _, batch := range []int{1024, 4096} {
							st := checkPushdown(t, f, cols, preds, batch)
							if st.batchesByRow == 0 || st.ValuesSkippedLate == 0 {
								t.Errorf("%v batch %d: no batch read row by row (%+v)", preds, batch, st)
							}
						}
						// Projections without the predicate column, and
						// with one other column only.
						checkPushdown(t, f, []int{cols[colIdx("s")], cols[colIdx("b")]}, preds, 4096)
						checkPushdown(t, f, []int{cols[colIdx("dec18")]}, preds, 1024)
					}
				})
			}
		}
	}
}

// TestHeldBytes checks that a reader reports the chunk bytes it fetched and
// a nested column's assembled row group as memory it holds.
func TestHeldBytes(t *testing.T) {
	f, err := Open(corpusDir + "/data/nested_structs.rust.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cols, nested []int
	for i, c := range f.Columns() {
		if c.Unsupported == "" {
			cols = append(cols, i)
			if c.Type.IsNested() {
				nested = append(nested, len(cols)-1)
			}
		}
	}
	if len(nested) == 0 {
		t.Fatal("no nested column")
	}
	r, err := f.NewReader(0, cols)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.HeldBytes() != 0 {
		t.Fatalf("%d bytes held before reading", r.HeldBytes())
	}
	types := make([]coldata.Type, len(cols))
	for j, c := range cols {
		types[j] = f.Columns()[c].Type
	}
	if _, err := r.Next(coldata.NewBatch(types, 0), 1); err != nil {
		t.Fatal(err)
	}
	var assembled int64
	for _, j := range nested {
		assembled += coldata.NestedBytes(r.cs[j].nest.full)
	}
	if r.BytesRead() == 0 || assembled == 0 || r.HeldBytes() < r.BytesRead()+assembled {
		t.Fatalf("held %d, fetched %d, assembled %d", r.HeldBytes(), r.BytesRead(), assembled)
	}
}

// TestRecycledBuffersKeepStrings reads strings from one row group, closes
// its reader (recycling its buffers), reads the other row groups through
// the recycled buffers and checks that the first strings are unchanged.
func TestRecycledBuffersKeepStrings(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	tbl := genTable(rng, 6000, 0.1)
	defer tbl.Release()
	for _, v2 := range []bool{false, true} {
		for _, dict := range []bool{false, true} {
			ver := parquet.DataPageV1
			if v2 {
				ver = parquet.DataPageV2
			}
			props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithDataPageVersion(ver),
				parquet.WithDictionaryDefault(dict), parquet.WithDataPageSize(2<<10))
			f := openBytes(t, writeTable(t, tbl, 1500, props, pqarrow.NewArrowWriterProperties()), "strings")
			cols := supportedCols(f)
			want, _ := readRows(t, f, cols, ReaderOptions{}, 4096)
			types := make([]coldata.Type, len(cols))
			for j, c := range cols {
				types[j] = f.Columns()[c].Type
			}
			var kept [][]coldata.Datum
			for rg := 0; rg < f.NumRowGroups(); rg++ {
				r, err := f.NewReader(rg, cols)
				if err != nil {
					t.Fatal(err)
				}
				b := coldata.NewBatch(types, 0)
				for {
					n, err := r.Next(b, 700)
					if err != nil || n == 0 {
						break
					}
					for k := 0; k < b.Len(); k++ {
						kept = append(kept, b.Row(k))
					}
				}
				r.Close()
			}
			for i := range want {
				for j, c := range cols {
					if !sameDatum(f.Columns()[c].Type, want[i][j], kept[i][j]) {
						t.Fatalf("v2=%v dict=%v: row %d column %d changed after its buffers were recycled", v2, dict, i, c)
					}
				}
			}
		}
	}
}
