package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
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
	// OverwriteOrIgnore allows writing into a non-empty folder, replacing
	// files of the same name and keeping the others.
	OverwriteOrIgnore bool
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
// names, to path. Every file is written under a hidden temporary name in its
// target folder and renamed into place only after all of them are complete:
// an error or a cancelled ctx leaves neither temporary nor partial files, nor
// folders this call created. A single-file target is replaced if it exists,
// like DuckDB; a folder target must be empty unless OverwriteOrIgnore.
func WriteParquet(ctx context.Context, src BatchSource, types []coldata.Type, names []string, path string, opts WriteOptions) (res WriteResult, err error) {
	if IsRemote(path) {
		return res, fmt.Errorf("IO Error: writing %q needs the catalog's object-store settings: use Catalog.WriteParquet", path)
	}
	return writeParquet(ctx, src, types, names, path, opts, nil)
}

// WriteParquet is COPY ... TO: WriteParquet for any file system the
// catalog reaches. On an object store every file is an upload staged until
// all are complete (see objectStage): an error or a cancelled ctx aborts
// them all, and nothing appears under the final names.
func (c *Catalog) WriteParquet(ctx context.Context, src BatchSource, types []coldata.Type, names []string, path string, opts WriteOptions) (WriteResult, error) {
	// Every target passes the catalog's one choke point, local ones too.
	fsys, err := c.FileSystem(ctx, path)
	if err != nil {
		return WriteResult{}, err
	}
	if !IsRemote(path) {
		lp, err := localPath(path)
		if err != nil {
			return WriteResult{}, err
		}
		return writeParquet(ctx, src, types, names, lp, opts, nil)
	}
	return writeParquet(ctx, src, types, names, strings.TrimRight(path, "/"), opts, fsys)
}

func writeParquet(ctx context.Context, src BatchSource, types []coldata.Type, names []string, path string, opts WriteOptions, fsys FileSystem) (res WriteResult, err error) {
	if len(types) != len(names) {
		return res, fmt.Errorf("WriteParquet: %d types but %d names", len(types), len(names))
	}
	w, err := newWriter(types, names, path, opts)
	if err != nil {
		return res, err
	}
	if fsys != nil {
		if w.obj, err = openObjectStage(ctx, fsys, path, w.folder, opts.OverwriteOrIgnore); err != nil {
			return res, err
		}
	}
	defer func() {
		if err != nil {
			w.abort()
			res = WriteResult{}
		}
	}()
	if err := w.prepareTarget(); err != nil {
		return res, err
	}
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

	sinks    map[string]*sink
	order    []*sink
	done     []tempFile // closed files awaiting rename
	madeDirs []string   // folders this call created, deepest last
	compact  *coldata.Batch

	obj *objectStage // set when the target is on an object store
}

// join builds a path below the target: slash-separated on object stores.
func (w *writer) join(dir string, elem ...string) string {
	if w.obj != nil {
		return joinURL(dir, elem...)
	}
	return filepath.Join(append([]string{dir}, elem...)...)
}

type tempFile struct{ tmp, final string }

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
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", names[i], err)
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

// prepareTarget applies DuckDB's rules for existing targets (an object
// store's were applied when its stage was opened).
func (w *writer) prepareTarget() error {
	if w.obj != nil {
		return nil
	}
	st, err := os.Stat(w.path)
	switch {
	case err == nil && !w.folder && st.IsDir():
		return fmt.Errorf("IO Error: Cannot write to %q: it is a directory", w.path)
	case err == nil && w.folder && !st.IsDir():
		return fmt.Errorf("IO Error: Cannot write to %q: it exists and is not a directory", w.path)
	case err == nil && w.folder && !w.opts.OverwriteOrIgnore:
		entries, err := os.ReadDir(w.path)
		if err != nil {
			return fmt.Errorf("IO Error: %v", err)
		}
		if len(entries) > 0 {
			return fmt.Errorf("IO Error: Directory %q is not empty! Enable OVERWRITE_OR_IGNORE option to write into it anyway", w.path)
		}
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("IO Error: %v", err)
	}
	if w.folder {
		return w.mkdirAll(w.path)
	}
	return nil
}

// mkdirAll creates dir and records which levels it created, so that abort
// can remove exactly those.
func (w *writer) mkdirAll(dir string) error {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("IO Error: %v", err)
		}
		w.madeDirs = append(w.madeDirs, missing[i])
	}
	return nil
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
		s, err := w.sinkFor("", w.path)
		if err != nil {
			return err
		}
		return s.append(b, nil)
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
		dir := w.path
		for _, c := range w.partCols {
			dir = w.join(dir, escapeKey(w.names[c])+"="+FormatPartitionValue(w.types[c], b.Vecs[c].Get(int(rows[0]))))
		}
		s, err := w.sinkFor(key, dir)
		if err != nil {
			return err
		}
		if err := s.append(b, rows); err != nil {
			return err
		}
	}
	return nil
}

func escapeKey(k string) string {
	return strings.ReplaceAll(FormatPartitionValue(coldata.TypeString, coldata.Datum{S: k}), "=", "%3D")
}

func (w *writer) sinkFor(key, dir string) (*sink, error) {
	if s, ok := w.sinks[key]; ok {
		return s, nil
	}
	if w.folder && w.obj == nil {
		if err := w.mkdirAll(dir); err != nil {
			return nil, err
		}
	}
	s := &sink{w: w, dir: dir}
	w.sinks[key] = s
	w.order = append(w.order, s)
	return s, nil
}

// finish flushes every sink and renames all files into place (or commits
// the object-store stage).
func (w *writer) finish(ctx context.Context) (WriteResult, error) {
	var res WriteResult
	if len(w.order) == 0 && !w.folder {
		// No rows: still produce a valid, empty file like DuckDB.
		if _, err := w.sinkFor("", w.path); err != nil {
			return res, err
		}
		if err := w.order[0].open(nil); err != nil {
			return res, err
		}
	}
	for _, s := range w.order {
		if err := s.closeFile(); err != nil {
			return res, err
		}
	}
	if w.obj != nil {
		return w.commitObjects(ctx)
	}
	for _, f := range w.done {
		st, err := os.Stat(f.tmp)
		if err != nil {
			return res, fmt.Errorf("IO Error: %v", err)
		}
		res.Bytes += st.Size()
	}
	for i, f := range w.done {
		if err := os.Rename(f.tmp, f.final); err != nil {
			// Undo the renames already made so that the write stays all or
			// nothing.
			for _, g := range w.done[:i] {
				os.Remove(g.final)
			}
			return res, fmt.Errorf("IO Error: %v", err)
		}
		res.Files = append(res.Files, f.final)
	}
	w.done = nil
	for _, s := range w.order {
		res.Rows += s.rows
	}
	sort.Strings(res.Files)
	return res, nil
}

// commitObjects completes every staged upload.
func (w *writer) commitObjects(ctx context.Context) (WriteResult, error) {
	res := WriteResult{Bytes: w.obj.Bytes()}
	if err := w.obj.Commit(ctx); err != nil {
		return WriteResult{}, err
	}
	for _, f := range w.obj.files {
		res.Files = append(res.Files, f.path)
	}
	for _, s := range w.order {
		res.Rows += s.rows
	}
	sort.Strings(res.Files)
	return res, nil
}

// abort removes every temporary file and the folders this call created,
// or aborts the object-store uploads.
func (w *writer) abort() {
	for _, s := range w.order {
		s.discard()
	}
	if w.obj != nil {
		w.obj.Abort()
	}
	for _, f := range w.done {
		os.Remove(f.tmp)
	}
	w.done = nil
	for i := len(w.madeDirs) - 1; i >= 0; i-- {
		os.Remove(w.madeDirs[i]) // fails, harmlessly, when not empty
	}
}

func tempName(dir, final string) string {
	var b [6]byte
	rand.Read(b[:])
	return filepath.Join(dir, ".tmp-"+hex.EncodeToString(b[:])+"-"+filepath.Base(final))
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
