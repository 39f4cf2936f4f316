package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// BatchSource feeds WriteParquet. Next returns (nil, nil) or io.EOF at the
// end; batches may carry a selection vector and are only read until the
// next call.
type BatchSource interface {
	Next(ctx context.Context) (*coldata.Batch, error)
}

// WriteOptions are COPY ... TO's Parquet options, with DuckDB's defaults.
type WriteOptions struct {
	// Compression: snappy (default), zstd, gzip, lz4_raw (or lz4), brotli,
	// none (or uncompressed).
	Compression      string
	CompressionLevel int // 0: the codec's default
	// RowGroupSize caps rows per row group (default 122880);
	// RowGroupSizeBytes also closes a row group once the buffered,
	// uncompressed size reaches it.
	RowGroupSize      int
	RowGroupSizeBytes int64
	// FileSizeBytes > 0 turns path into a folder of data_N.parquet files,
	// each closed at the first row-group boundary past this size.
	FileSizeBytes int64
	// PartitionBy writes path/col=value/.../data_N.parquet; these columns
	// are not stored in the files (they come back from the folder names).
	PartitionBy []string
	// Mode is the policy for an existing target (OVERWRITE,
	// OVERWRITE_OR_IGNORE, APPEND; see WriteMode).
	Mode WriteMode
	// TempRoot is the database's temp_directory ("" for the default): the
	// commit's record lives in this process's folder there.
	TempRoot string
	// NoPageChecksums leaves the CRC-32 out of the page headers; by default
	// every page carries one, so that readers detect a corrupted page.
	NoPageChecksums bool
	// Encoder, when set, writes a text format (CSV, JSON) instead of
	// Parquet, compressed with TextCompression (gzip, zstd or none).
	Encoder         RowEncoder
	TextCompression string
}

// WriteResult says what WriteParquet produced.
type WriteResult struct {
	Files []string // final paths, sorted
	Rows  int64
	Bytes int64 // sum of file sizes
}

// DefaultRowGroupSize is DuckDB's ROW_GROUP_SIZE default.
const DefaultRowGroupSize = 122880

// WriteParquet writes the rows of src, whose columns have the given types and
// names, to path. Files are staged and published together at the end (see
// Stage): an error or a cancelled ctx leaves the target as it was, and no
// temporary file behind. A single-file target is replaced if it exists
// (written through if it is a device or FIFO), like DuckDB; a folder target
// must be absent or empty unless opts.Mode says otherwise.
// A URL target needs the database's object-store settings: see
// Catalog.WriteParquet.
func WriteParquet(ctx context.Context, src BatchSource, types []coldata.Type, names []string, path string, opts WriteOptions) (WriteResult, error) {
	return writeParquet(ctx, src, types, names, path, opts, nil)
}

// WriteParquet is COPY ... TO: WriteParquet for any file system the
// catalog reaches. Every target passes the catalog's one choke point,
// local ones too; on an object store every file is an upload staged until
// all are complete (see objectStage).
func (c *Catalog) WriteParquet(ctx context.Context, src BatchSource, types []coldata.Type, names []string, path string, opts WriteOptions) (WriteResult, error) {
	fsys, err := c.FileSystem(ctx, path)
	if err != nil {
		return WriteResult{}, err
	}
	if IsRemote(path) {
		path = strings.TrimRight(path, "/")
	} else if path, err = localPath(path); err != nil {
		return WriteResult{}, err
	}
	return writeParquet(ctx, src, types, names, path, opts, fsys)
}

func writeParquet(ctx context.Context, src BatchSource, types []coldata.Type, names []string, path string, opts WriteOptions, fsys FileSystem) (res WriteResult, err error) {
	if len(types) != len(names) {
		return res, fmt.Errorf("WriteParquet: %d types but %d names", len(types), len(names))
	}
	w, err := newWriter(types, names, path, opts)
	if err != nil {
		return res, err
	}
	w.stage, err = OpenStage(ctx, StageSpec{Path: path, Folder: w.folder, Mode: opts.Mode, TempRoot: opts.TempRoot, FS: fsys})
	if err != nil {
		return res, err
	}
	defer func() {
		if err != nil {
			w.abort()
			res = WriteResult{}
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		b, err := src.Next(ctx)
		if errors.Is(err, io.EOF) || (err == nil && b == nil) {
			break
		}
		if err != nil {
			return res, err
		}
		if err := w.add(b); err != nil {
			return res, err
		}
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return w.finish(ctx)
}

// writer routes rows to one sink per partition.
type writer struct {
	opts     WriteOptions
	path     string
	folder   bool
	types    []coldata.Type
	names    []string
	partCols []int // indices of PartitionBy columns
	dataCols []int // the rest, written into files
	schema   *arrow.Schema
	codec    compress.Compression

	stage   Stage
	sinks   map[string]*sink
	order   []*sink
	files   []string // final paths of the closed files
	bytes   int64
	compact *coldata.Batch
}

func newWriter(types []coldata.Type, names []string, path string, opts WriteOptions) (*writer, error) {
	w := &writer{opts: opts, path: path, types: types, names: names, sinks: map[string]*sink{}}
	if w.opts.RowGroupSize <= 0 {
		w.opts.RowGroupSize = DefaultRowGroupSize
	}
	codec, err := parseCodec(opts.Compression)
	if err != nil {
		return nil, err
	}
	w.codec = codec
	w.folder = opts.FileSizeBytes > 0 || len(opts.PartitionBy) > 0
	isPart := make([]bool, len(names))
	for _, p := range opts.PartitionBy {
		i := -1
		for j, n := range names {
			if strings.EqualFold(n, p) {
				i = j
			}
		}
		if i < 0 {
			return nil, fmt.Errorf("Binder Error: partition column %q is not among the columns written (%s)", p, strings.Join(names, ", "))
		}
		w.partCols = append(w.partCols, i)
		isPart[i] = true
	}
	var fields []arrow.Field
	for i, t := range types {
		if isPart[i] {
			continue
		}
		at, err := ArrowType(t)
		if err != nil && opts.Encoder != nil {
			at, err = arrow.BinaryTypes.String, nil // text formats print any type
		}
		if err != nil {
			return nil, fmt.Errorf("%w (column %q)", err, names[i])
		}
		w.dataCols = append(w.dataCols, i)
		fields = append(fields, arrow.Field{Name: names[i], Type: at, Nullable: true})
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("Invalid Input Error: no columns left to write after PARTITION_BY")
	}
	w.schema = arrow.NewSchema(fields, nil)
	return w, nil
}

func parseCodec(name string) (compress.Compression, error) {
	switch strings.ToLower(name) {
	case "", "snappy":
		return compress.Codecs.Snappy, nil
	case "zstd":
		return compress.Codecs.Zstd, nil
	case "gzip":
		return compress.Codecs.Gzip, nil
	case "lz4_raw", "lz4":
		return compress.Codecs.Lz4Raw, nil
	case "brotli":
		return compress.Codecs.Brotli, nil
	case "none", "uncompressed":
		return compress.Codecs.Uncompressed, nil
	}
	return 0, fmt.Errorf("Invalid Input Error: unsupported compression codec %q (try snappy, zstd, gzip, lz4_raw, brotli or uncompressed)", name)
}

// add routes the live rows of b to their partitions' sinks.
func (w *writer) add(b *coldata.Batch) error {
	if len(b.Vecs) != len(w.types) {
		return fmt.Errorf("WriteParquet: batch has %d columns, want %d", len(b.Vecs), len(w.types))
	}
	w.compact = b.Compact(w.compact)
	b = w.compact
	if b.N == 0 {
		return nil
	}
	if len(w.partCols) == 0 {
		return w.sinkFor("", "").append(b, nil)
	}
	groups := map[string][]int32{}
	var keys []string
	for r := 0; r < b.N; r++ {
		var sb strings.Builder
		for k, c := range w.partCols {
			if k > 0 {
				sb.WriteByte('/')
			}
			sb.WriteString(FormatPartitionValue(w.types[c], b.Vecs[c].Get(r)))
		}
		key := sb.String()
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], int32(r))
	}
	for _, key := range keys {
		rows := groups[key]
		var dir []string
		for _, c := range w.partCols {
			dir = append(dir, escapeKey(w.names[c])+"="+FormatPartitionValue(w.types[c], b.Vecs[c].Get(int(rows[0]))))
		}
		s := w.sinkFor(key, strings.Join(dir, "/"))
		if err := s.append(b, rows); err != nil {
			return err
		}
	}
	return nil
}

func escapeKey(k string) string {
	return strings.ReplaceAll(FormatPartitionValue(coldata.TypeString, coldata.Datum{S: k}), "=", "%3D")
}

// finalPath is where the staged file name (a slash path below a folder
// target, "" for a single-file target) appears once committed.
func (w *writer) finalPath(name string) string {
	switch {
	case name == "":
		return w.path
	case IsRemote(w.path):
		return joinURL(w.path, name)
	}
	return filepath.Join(w.path, filepath.FromSlash(name))
}

// sinkFor returns the sink of a partition; dir is its folder below the
// target, slash-separated ("" for the target itself).
func (w *writer) sinkFor(key, dir string) *sink {
	if s, ok := w.sinks[key]; ok {
		return s
	}
	s := &sink{w: w, dir: dir}
	w.sinks[key] = s
	w.order = append(w.order, s)
	return s
}

// finish flushes every sink and commits the stage.
func (w *writer) finish(ctx context.Context) (WriteResult, error) {
	var res WriteResult
	if len(w.order) == 0 && !w.folder {
		// No rows: still produce a valid, empty file like DuckDB.
		if err := w.sinkFor("", "").open(nil); err != nil {
			return res, err
		}
	}
	for _, s := range w.order {
		if err := s.closeFile(); err != nil {
			return res, err
		}
	}
	if err := w.stage.Commit(ctx); err != nil {
		return res, err
	}
	res.Files, res.Bytes = w.files, w.bytes
	for _, s := range w.order {
		res.Rows += s.rows
	}
	sort.Strings(res.Files)
	return res, nil
}

// abort drops every staged file; the target stays as it was.
func (w *writer) abort() {
	for _, s := range w.order {
		s.discard()
	}
	w.stage.Abort()
}

// writerProps builds the Parquet properties for one file. Dictionary
// encoding is chosen per column from the first row group: columns with few
// distinct values get it; for the others arrow-go would build a dictionary
// only to abandon it at the page size limit.
func (w *writer) writerProps(dictCols []bool) *parquet.WriterProperties {
	props := []parquet.WriterProperty{
		parquet.WithCompression(w.codec),
		parquet.WithStats(true),
		parquet.WithPageIndexEnabled(true),
		parquet.WithStoreDecimalAsInteger(true),
		parquet.WithMaxRowGroupLength(int64(w.opts.RowGroupSize)),
		parquet.WithCreatedBy("peregrine"),
		parquet.WithDictionaryDefault(false),
	}
	if w.opts.CompressionLevel != 0 {
		props = append(props, parquet.WithCompressionLevel(w.opts.CompressionLevel))
	}
	for i, f := range w.schema.Fields() {
		if dictCols == nil || dictCols[i] {
			props = append(props, parquet.WithDictionaryFor(f.Name, true))
		}
	}
	return parquet.NewWriterProperties(props...)
}

func arrowWriterProps() pqarrow.ArrowWriterProperties { return pqarrow.DefaultWriterProps() }
