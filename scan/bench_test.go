package scan

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	pgo "github.com/parquet-go/parquet-go"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

const lineitemPath = "testdata/lineitem.parquet"

// lineitemFiles are the files the scan benchmarks decode: the SF 0.01
// lineitem in testdata (DuckDB: snappy, dictionary pages v1) and, when
// PEREGRINE_SF1_DIR names a folder holding one, the SF 1 lineitem; each
// also as rewritten by arrow-go with zstd ("-arrow-zstd").
func lineitemFiles(b *testing.B) map[string][]byte {
	src := map[string]string{"sf0.01": lineitemPath}
	if dir := os.Getenv("PEREGRINE_SF1_DIR"); dir != "" {
		if p := filepath.Join(dir, "lineitem.parquet"); fileExists(p) {
			src["sf1"] = p
		}
	}
	out := map[string][]byte{}
	for name, path := range src {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		out[name] = data
		out[name+"-arrow-zstd"] = arrowZstdCopy(b, path, data)
	}
	return out
}

var zstdCopies sync.Map // source path → []byte

// arrowZstdCopy rewrites a file with arrow-go's writer, zstd, its default
// page settings and DuckDB's row-group size (122,880 rows), once per run.
func arrowZstdCopy(b *testing.B, path string, data []byte) []byte {
	if c, ok := zstdCopies.Load(path); ok {
		return c.([]byte)
	}
	pf, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 64 << 10}, memory.DefaultAllocator)
	if err != nil {
		b.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer tbl.Release()
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd), parquet.WithStats(true))
	c := writeTable(b, tbl, 122880, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	zstdCopies.Store(path, c)
	return c
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// scanFunc decodes every column of the given row groups (nil: all) of a
// file and returns the rows (or, for parquet-go, the values) read.
type scanFunc func(b testing.TB, data []byte, rgs []int) int64

// onAllCores splits the row groups round-robin over GOMAXPROCS goroutines,
// each with its own reader, as a parallel scan divides a file.
func onAllCores(b testing.TB, data []byte, nrg int, scan scanFunc) int64 {
	p := runtime.GOMAXPROCS(0)
	var total atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < p && w < nrg; w++ {
		var rgs []int
		for rg := w; rg < nrg; rg += p {
			rgs = append(rgs, rg)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			total.Add(scan(b, data, rgs))
		}()
	}
	wg.Wait()
	return total.Load()
}

// BenchmarkScanLineitem decodes every column of lineitem with our reader,
// arrow-go's pqarrow and parquet-go, on one goroutine and on all cores
// (row groups divided among GOMAXPROCS readers), and reports rows/s and
// decoded bytes/s (the size of the values in our representation: 8 bytes
// per integer, decimal, date or double, 1 per boolean, the length of each
// string; the same figure is used for all three readers). SetBytes is the
// file size, so MB/s is input throughput.
func BenchmarkScanLineitem(b *testing.B) {
	files := lineitemFiles(b)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		data := files[name]
		f, err := NewFile(bytes.NewReader(data), int64(len(data)), name)
		if err != nil {
			b.Fatal(err)
		}
		nrg := f.NumRowGroups()
		rows, decoded := oursScan(b, data, name, nil)
		readers := []struct {
			name string
			scan scanFunc
			want int64
		}{
			{"peregrine", func(b testing.TB, data []byte, rgs []int) int64 { n, _ := oursScan(b, data, name, rgs); return n }, rows},
			{"arrow-go", arrowScan, rows},
			{"parquet-go", parquetGoScan, rows * 16},
		}
		for _, r := range readers {
			for _, par := range []bool{false, true} {
				mode := "1-core"
				if par {
					mode = "all-cores"
				}
				b.Run(name+"/"+r.name+"/"+mode, func(b *testing.B) {
					b.SetBytes(int64(len(data)))
					b.ReportAllocs()
					for i := 0; i < b.N; i++ {
						var n int64
						if par {
							n = onAllCores(b, data, nrg, r.scan)
						} else {
							n = r.scan(b, data, nil)
						}
						if n != r.want {
							b.Fatalf("read %d, want %d", n, r.want)
						}
					}
					secs := b.Elapsed().Seconds()
					b.ReportMetric(float64(rows)*float64(b.N)/secs, "rows/s")
					b.ReportMetric(float64(decoded)*float64(b.N)/secs/1e6, "decodedMB/s")
				})
			}
		}
	}
}

// oursScan reads every column of row groups rgs (nil: all) and returns the
// row count and decoded bytes.
func oursScan(b testing.TB, data []byte, path string, rgs []int) (rows, decoded int64) {
	f, err := NewFile(bytes.NewReader(data), int64(len(data)), path)
	if err != nil {
		b.Fatal(err)
	}
	cols := supportedCols(f)
	batch := coldata.NewBatch(columnTypes(f), 0)
	batch.Vecs = batch.Vecs[:len(cols)]
	for i, c := range cols {
		batch.Vecs[i] = &coldata.Vec{Type: f.Columns()[c].Type}
	}
	for _, rg := range rowGroups(rgs, f.NumRowGroups()) {
		r, err := f.NewReader(rg, cols)
		if err != nil {
			b.Fatal(err)
		}
		for {
			n, err := r.Next(batch, coldata.DefaultBatchSize)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows += int64(n)
			for _, v := range batch.Vecs {
				switch v.Type.ID {
				case coldata.String:
					for _, s := range v.Str[:n] {
						decoded += int64(len(s))
					}
				case coldata.Bool:
					decoded += int64(n)
				default:
					decoded += 8 * int64(n)
				}
			}
		}
		r.Close()
	}
	return rows, decoded
}

func rowGroups(rgs []int, n int) []int {
	if rgs != nil {
		return rgs
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	return all
}

func arrowScan(b testing.TB, data []byte, rgs []int) int64 {
	pf, err := file.NewParquetReader(bytes.NewReader(data), file.WithReadProps(parquet.NewReaderProperties(memory.DefaultAllocator)))
	if err != nil {
		b.Fatal(err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: coldata.DefaultBatchSize}, memory.DefaultAllocator)
	if err != nil {
		b.Fatal(err)
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, rgs)
	if err != nil {
		b.Fatal(err)
	}
	defer rr.Release()
	var rows int64
	for rr.Next() {
		rows += rr.RecordBatch().NumRows()
	}
	if err := rr.Err(); err != nil && err != io.EOF {
		b.Fatal(err)
	}
	return rows
}

// parquetGoScan decodes every value of every column chunk of row groups rgs
// page by page with parquet-go's column API (its fastest general path) and
// returns the number of values.
func parquetGoScan(b testing.TB, data []byte, rgs []int) int64 {
	pf, err := pgo.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]pgo.Value, coldata.DefaultBatchSize)
	var vals int64
	all := pf.RowGroups()
	for _, i := range rowGroups(rgs, len(all)) {
		for _, cc := range all[i].ColumnChunks() {
			pages := cc.Pages()
			for {
				p, err := pages.ReadPage()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				vr := p.Values()
				for {
					n, err := vr.ReadValues(buf)
					vals += int64(n)
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				pgo.Release(p)
			}
			pages.Close()
		}
	}
	return vals
}

// sortedLineitem writes lineitem's Q6 columns sorted by l_shipdate with
// arrow-go, small pages and a page index: the layout where page pruning and
// page-level fetching pay.
func sortedLineitem(b testing.TB) []byte {
	f, err := Open(lineitemPath)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	idx := map[string]int{}
	for i, c := range f.Columns() {
		idx[c.Name] = i
	}
	names := []string{"l_orderkey", "l_quantity", "l_extendedprice", "l_discount", "l_shipdate", "l_shipmode"}
	cols := make([]int, len(names))
	for i, n := range names {
		cols[i] = idx[n]
	}
	got, err := readAll(b, f, cols, 4096)
	if err != nil {
		b.Fatal(err)
	}
	order := make([]int, len(got[0]))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return got[4][order[x]].I < got[4][order[y]].I })
	mem := memory.DefaultAllocator
	var arrs []arrow.Array
	var fields []arrow.Field
	for c, n := range names {
		switch n {
		case "l_shipdate":
			bl := array.NewDate32Builder(mem)
			for _, i := range order {
				bl.Append(arrow.Date32(got[c][i].I))
			}
			arrs = append(arrs, bl.NewArray())
			fields = append(fields, arrow.Field{Name: n, Type: arrow.FixedWidthTypes.Date32})
		case "l_shipmode":
			bl := array.NewStringBuilder(mem)
			for _, i := range order {
				bl.Append(got[c][i].S)
			}
			arrs = append(arrs, bl.NewArray())
			fields = append(fields, arrow.Field{Name: n, Type: arrow.BinaryTypes.String})
		default:
			bl := array.NewInt64Builder(mem)
			for _, i := range order {
				bl.Append(got[c][i].I)
			}
			arrs = append(arrs, bl.NewArray())
			fields = append(fields, arrow.Field{Name: n, Type: arrow.PrimitiveTypes.Int64})
		}
	}
	cs := make([][]arrow.Array, len(arrs))
	for i, a := range arrs {
		cs[i] = []arrow.Array{a}
	}
	tbl := array.NewTableFromSlice(arrow.NewSchema(fields, nil), cs)
	defer tbl.Release()
	props := parquet.NewWriterProperties(parquet.WithDataPageSize(4<<10), parquet.WithPageIndexEnabled(true),
		parquet.WithCompression(compress.Codecs.Snappy), parquet.WithDictionaryDefault(false),
		parquet.WithDictionaryFor("l_shipmode", true))
	return writeTable(b, tbl, 1<<20, props, pqarrow.DefaultWriterProps())
}

// BenchmarkSelectiveShipdate reads the Q6 columns of the file sorted by
// l_shipdate and reports the fraction of column bytes fetched and of rows
// returned:
//   - plain: no pushdown;
//   - shipdate: l_shipdate in March 1995 (page index prunes, pages fetched
//     selectively);
//   - quantity: l_quantity < 2.00 (~2%, unsorted: late materialisation);
//   - orderkey-0.5%, orderkey-0.1%: scattered rows few enough that the
//     other columns decode only the survivors and skip pages without any;
//   - keepall: l_quantity >= 0 (nothing to prune: the adaptive fallback
//     must make this cost the same as plain).
func BenchmarkSelectiveShipdate(b *testing.B) {
	data := sortedLineitem(b)
	f := openBytes(b, data, "sorted_lineitem.parquet")
	cols := []int{0, 1, 2, 3, 4, 5}
	modes := []struct {
		name  string
		preds []Predicate
	}{
		{"plain", nil},
		// 1995-03-01 .. 1995-03-31 in days since 1970.
		{"shipdate", []Predicate{{Col: 4, Op: OpBetween, Vals: []coldata.Datum{{I: 9190}, {I: 9220}}}}},
		{"quantity", []Predicate{{Col: 1, Op: OpLt, Vals: []coldata.Datum{{I: 200}}}}},
		{"orderkey-0.5%", []Predicate{{Col: 0, Op: OpLt, Vals: []coldata.Datum{{I: 300}}}}},
		{"orderkey-0.1%", []Predicate{{Col: 0, Op: OpLt, Vals: []coldata.Datum{{I: 60}}}}},
		{"keepall", []Predicate{{Col: 1, Op: OpGe, Vals: []coldata.Datum{{I: 0}}}}},
	}
	types := make([]coldata.Type, len(cols))
	for j, c := range cols {
		types[j] = f.Columns()[c].Type
	}
	for _, mode := range modes {
		b.Run(mode.name, func(b *testing.B) {
			opts := ReaderOptions{Preds: mode.preds}
			var total, read, rows, all int64
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				total, read, rows, all = 0, 0, 0, 0
				batch := coldata.NewBatch(types, 0)
				for rg := 0; rg < f.NumRowGroups(); rg++ {
					for _, c := range cols {
						cs, ce, _ := f.chunkRange(rg, c)
						total += ce - cs
					}
					all += f.RowGroupNumRows(rg)
					if !f.RowGroupMayMatch(rg, opts.Preds) {
						continue
					}
					r, err := f.NewReaderWith(rg, cols, opts)
					if err != nil {
						b.Fatal(err)
					}
					for {
						_, err := r.Next(batch, coldata.DefaultBatchSize)
						if err == io.EOF {
							break
						}
						if err != nil {
							b.Fatal(err)
						}
						rows += int64(batch.Len())
					}
					read += r.Stats().BytesRead
					r.Close()
				}
			}
			b.ReportMetric(float64(read)/float64(total), "bytes-read-frac")
			b.ReportMetric(float64(rows)/float64(all), "rows-out-frac")
		})
	}
}
