package storage

import (
	"context"
	"io"
	"sort"
	"strings"

	"github.com/golang/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// Guidance holds the thresholds layout advice is measured against.
type Guidance struct {
	MinFileBytes, MaxFileBytes         int64 // 50 MB – 1 GB per file
	MinRowGroupRows, MaxRowGroupRows   int64 // 100K – 1M rows per row group (DuckDB, Spark)
	MaxPartitionNDV                    int   // more distinct values make too many folders
	OverlapThreshold                   float64
	MinRowGroupsForSort                int
	MaxFooterFiles                     int // files whose codec/encodings are read (a sample beyond)
	CodecSampleBytes                   int // bytes of an uncompressed chunk test-compressed
	partitionSampleRows, sampleRowGrps int
}

// DefaultGuidance is the usual advice for analytical Parquet.
var DefaultGuidance = Guidance{
	MinFileBytes: 50 << 20, MaxFileBytes: 1 << 30,
	MinRowGroupRows: 100_000, MaxRowGroupRows: 1_000_000,
	MaxPartitionNDV: 64, OverlapThreshold: 0.5, MinRowGroupsForSort: 4,
	MaxFooterFiles: 2000, CodecSampleBytes: 4 << 20,
	partitionSampleRows: 100_000, sampleRowGrps: 3,
}

// Report describes a dataset's layout and what to change.
type Report struct {
	Path          string
	Files         []FileInfo
	Columns       []ColumnInfo
	PartitionCols []PartitionColumn
	Partitions    []PartitionInfo // by folder, largest first
	Bytes, Rows   int64
	RowGroups     int
	RowGroupRows  []int64 // rows of every row group, file by file
	Suggestions   []Suggestion
}

// FileInfo is one file of the report.
type FileInfo struct {
	Path      string
	Bytes     int64
	Rows      int64
	RowGroups int
}

// ColumnInfo summarises one file column over the files whose footers were
// read.
type ColumnInfo struct {
	Name                     string
	Type                     coldata.Type
	Codecs, Encodings        []string
	Compressed, Uncompressed int64
	Overlap                  float64 // mean share of other row groups a row group's min/max range meets; -1 unknown
	SampleNDV                int     // distinct values in a sample; 0 when not sampled
}

// PartitionInfo is one hive partition (a leaf folder).
type PartitionInfo struct {
	Name  string // e.g. year=2024/month=1
	Files int
	Bytes int64
	Rows  int64
}

// Suggestion is one piece of advice: what to do, why, and the numbers.
type Suggestion struct {
	Kind    string // file-size, codec, row-group-size, partition-add, partition-drop, partition-skew, sort
	What    string // what to do, ending with Command when there is one
	Command string // a statement that does it, runnable as printed
	Why     string
}

// Inspect reads the footers of the dataset at path (a table name, folder,
// file or glob) and measures its layout against DefaultGuidance.
func Inspect(ctx context.Context, c *Catalog, path string) (*Report, error) {
	return InspectWith(ctx, c, path, DefaultGuidance)
}

// InspectWith is Inspect with other thresholds.
func InspectWith(ctx context.Context, c *Catalog, path string, g Guidance) (*Report, error) {
	ctx = c.ctxFor(ctx)
	d, err := c.Dataset(ctx, []string{path}, DatasetOptions{UnionByName: true})
	if err != nil {
		return nil, err
	}
	tb, err := d.Table(ctx, d.Files)
	if err != nil {
		return nil, err
	}
	r := &Report{Path: path, PartitionCols: d.PartitionCols}
	parts := map[string]*PartitionInfo{}
	for _, f := range tb.DataFiles {
		size := f.Info.Size
		if size == 0 {
			fsys, err := c.FileSystem(ctx, f.Path)
			if err != nil {
				return nil, err
			}
			st, err := fsys.Stat(ctx, f.Path)
			if err != nil {
				return nil, ioErrorf("Cannot open file %q: %s", f.Path, sysMessage(err))
			}
			size = st.Size
		}
		fi := FileInfo{Path: f.Path, Bytes: size, Rows: f.File.NumRows(), RowGroups: f.File.NumRowGroups()}
		r.Files = append(r.Files, fi)
		r.Bytes += fi.Bytes
		r.Rows += fi.Rows
		r.RowGroups += fi.RowGroups
		for rg := 0; rg < fi.RowGroups; rg++ {
			r.RowGroupRows = append(r.RowGroupRows, f.File.RowGroupNumRows(rg))
		}
		if len(d.PartitionCols) > 0 {
			var name []string
			for i, pc := range d.PartitionCols {
				name = append(name, pc.Name+"="+coldata.Format(pc.Type, f.Partition[i]))
			}
			key := strings.Join(name, "/")
			p := parts[key]
			if p == nil {
				p = &PartitionInfo{Name: key}
				parts[key] = p
			}
			p.Files++
			p.Bytes += fi.Bytes
			p.Rows += fi.Rows
		}
	}
	for _, p := range parts {
		r.Partitions = append(r.Partitions, *p)
	}
	sort.Slice(r.Partitions, func(i, j int) bool {
		if r.Partitions[i].Bytes != r.Partitions[j].Bytes {
			return r.Partitions[i].Bytes > r.Partitions[j].Bytes
		}
		return r.Partitions[i].Name < r.Partitions[j].Name
	})
	for _, col := range d.Columns {
		r.Columns = append(r.Columns, ColumnInfo{Name: col.Name, Type: col.Type, Overlap: -1})
	}
	if err := r.readChunks(ctx, tb.DataFiles, g); err != nil {
		return nil, err
	}
	r.measureOverlap(tb.DataFiles)
	r.sampleNDV(tb.DataFiles, g)
	r.suggest(tb.DataFiles, g)
	return r, nil
}

// readChunks collects codecs, encodings and sizes per column from arrow-go's
// view of the footers (scan does not expose them), and test-compresses a
// sample of uncompressed chunks.
func (r *Report) readChunks(ctx context.Context, files []DataFile, g Guidance) error {
	codecs := make([]map[string]bool, len(r.Columns))
	encs := make([]map[string]bool, len(r.Columns))
	for i := range r.Columns {
		codecs[i], encs[i] = map[string]bool{}, map[string]bool{}
	}
	for k, f := range files {
		if k >= g.MaxFooterFiles {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		md := f.File.Metadata()
		flat := md.Schema.NumColumns() == len(f.File.Columns())
		for rg := 0; rg < md.NumRowGroups() && flat; rg++ {
			for i := range r.Columns {
				j := f.ColumnMap[i]
				if j < 0 {
					continue
				}
				cc, err := md.RowGroup(rg).ColumnChunk(j)
				if err != nil {
					continue
				}
				codecs[i][cc.Compression().String()] = true
				for _, e := range cc.Encodings() {
					encs[i][e.String()] = true
				}
				r.Columns[i].Compressed += cc.TotalCompressedSize()
				r.Columns[i].Uncompressed += cc.TotalUncompressedSize()
			}
		}
	}
	for i := range r.Columns {
		r.Columns[i].Codecs = keys(codecs[i])
		r.Columns[i].Encodings = keys(encs[i])
	}
	return nil
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// measureOverlap computes, per column, the mean share of the other row
// groups whose [min, max] meets a row group's range: near 1, a filter on
// the column can skip almost nothing; near 0, the data is clustered by it.
func (r *Report) measureOverlap(files []DataFile) {
	for i, col := range r.Columns {
		if col.Type.ID == coldata.Unknown || col.Type.ID == coldata.Bool {
			continue
		}
		var mins, maxs []coldata.Datum
		ok := true
		for _, f := range files {
			j := f.ColumnMap[i]
			for rg := 0; rg < f.File.NumRowGroups() && ok && j >= 0; rg++ {
				st, has := f.File.ColumnStats(rg, j)
				if !has || !st.HasMinMax {
					ok = false
					break
				}
				mins, maxs = append(mins, widenDatum(st.Min, f.File.Columns()[j].Type, col.Type)), append(maxs, widenDatum(st.Max, f.File.Columns()[j].Type, col.Type))
			}
		}
		n := len(mins)
		if !ok || n < 2 {
			continue
		}
		cmp := func(a, b coldata.Datum) int { return coldata.Compare(col.Type, a, b) }
		sortedMin := append([]coldata.Datum(nil), mins...)
		sortedMax := append([]coldata.Datum(nil), maxs...)
		sort.Slice(sortedMin, func(a, b int) bool { return cmp(sortedMin[a], sortedMin[b]) < 0 })
		sort.Slice(sortedMax, func(a, b int) bool { return cmp(sortedMax[a], sortedMax[b]) < 0 })
		var total float64
		for k := 0; k < n; k++ {
			// Ranges that end before this one starts, or start after it ends.
			before := sort.Search(n, func(x int) bool { return cmp(sortedMax[x], mins[k]) >= 0 })
			after := n - sort.Search(n, func(x int) bool { return cmp(sortedMin[x], maxs[k]) > 0 })
			meets := n - before - after - 1 // not itself
			total += float64(meets) / float64(n-1)
		}
		r.Columns[i].Overlap = total / float64(n)
	}
}

func widenDatum(d coldata.Datum, from, to coldata.Type) coldata.Datum {
	if from.ID == coldata.Decimal && to.ID == coldata.Decimal && to.Scale > from.Scale {
		d.I *= coldata.Pow10[to.Scale-from.Scale]
	}
	return d
}

// sampleNDV counts distinct values of date, string and integer columns in
// the first row groups, to find partition candidates.
func (r *Report) sampleNDV(files []DataFile, g Guidance) {
	for i, col := range r.Columns {
		switch col.Type.ID {
		case coldata.Date, coldata.String, coldata.Int32, coldata.Int64:
		default:
			continue
		}
		seen := map[coldata.Datum]bool{}
		rows := 0
		for k, f := range files {
			j := f.ColumnMap[i]
			if k >= g.sampleRowGrps || j < 0 || f.File.NumRowGroups() == 0 {
				continue
			}
			rd, err := f.File.NewReader(0, []int{j})
			if err != nil {
				continue
			}
			b := coldata.NewBatch([]coldata.Type{f.File.Columns()[j].Type}, coldata.DefaultBatchSize)
			for rows < g.partitionSampleRows && len(seen) <= g.MaxPartitionNDV {
				n, err := rd.Next(b, coldata.DefaultBatchSize)
				if err == io.EOF || err != nil || n == 0 {
					break
				}
				for x := 0; x < n; x++ {
					seen[b.Vecs[0].Get(x)] = true
				}
				rows += n
			}
			rd.Close()
		}
		r.Columns[i].SampleNDV = len(seen)
	}
}

// codecRatios test-compresses up to n bytes of an uncompressed column chunk
// with zstd and snappy and returns uncompressed/compressed for each.
func codecRatios(ctx context.Context, f *scan.File, n int) (zstdRatio, snappyRatio float64, ok bool) {
	md := f.Metadata()
	var buf []byte
	for rg := 0; rg < md.NumRowGroups() && len(buf) < n; rg++ {
		for c := 0; c < md.Schema.NumColumns() && len(buf) < n; c++ {
			cc, err := md.RowGroup(rg).ColumnChunk(c)
			if err != nil || cc.Compression().String() != "UNCOMPRESSED" {
				continue
			}
			start := cc.DataPageOffset()
			if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 && cc.DictionaryPageOffset() < start {
				start = cc.DictionaryPageOffset()
			}
			size := min(cc.TotalCompressedSize(), int64(n-len(buf)))
			chunk, err := f.ReadRange(ctx, start, int(size))
			if err != nil {
				continue
			}
			buf = append(buf, chunk...)
		}
	}
	if len(buf) == 0 {
		return 0, 0, false
	}
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		return 0, 0, false
	}
	z := enc.EncodeAll(buf, nil)
	enc.Close()
	s := snappy.Encode(nil, buf)
	return float64(len(buf)) / float64(len(z)), float64(len(buf)) / float64(len(s)), true
}
