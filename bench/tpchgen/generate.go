package tpchgen

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/peregrinedb/peregrine/bench/dbgen"
)

// Options says what Generate writes.
type Options struct {
	// SF is the TPC-H scale factor: below 1 any value dbgen accepts
	// (0.01, 0.1, ...), from 1 on a whole number.
	SF float64
	// OutDir receives <table>.parquet; it is created if missing.
	OutDir string
	// Compression is "snappy" (the default), "zstd", "gzip", "lz4_raw" or
	// "none".
	Compression string
	// RowGroupSize is the number of rows per row group; 0 means 122880,
	// DuckDB's row group size.
	RowGroupSize int
	// Tables names the tables to write ("lineitem", ...); empty means all 8.
	Tables []string
	// Compat selects whose dbgen the data reproduces; the zero value is
	// DuckDB 1.x's, the data of the reference answers. dbgen.CompatTPC is
	// the TPC's dbgen, which DuckDB 2.0's CALL dbgen reproduces.
	Compat dbgen.Compat
}

// DefaultRowGroupSize is DuckDB's row group size.
const DefaultRowGroupSize = 122880

// MetadataScaleFactor is the key-value metadata key under which every file
// records the scale factor it was generated for.
const MetadataScaleFactor = "tpch.scale_factor"

var codecs = map[string]compress.Compression{
	"snappy":       compress.Codecs.Snappy,
	"zstd":         compress.Codecs.Zstd,
	"gzip":         compress.Codecs.Gzip,
	"lz4_raw":      compress.Codecs.Lz4Raw,
	"none":         compress.Codecs.Uncompressed,
	"uncompressed": compress.Codecs.Uncompressed,
}

// Generate writes the requested tables of opts.SF to opts.OutDir. Each file
// is written under a temporary name in OutDir and renamed into place when
// complete; a failed or cancelled generation leaves no file of its own
// behind. Row groups of all tables are generated in parallel and every
// table's file is written concurrently with the others; the output does
// not depend on scheduling.
func Generate(ctx context.Context, opts Options) error {
	if opts.OutDir == "" {
		return fmt.Errorf("tpchgen: OutDir is empty")
	}
	codecName := strings.ToLower(opts.Compression)
	if codecName == "" {
		codecName = "snappy"
	}
	codec, ok := codecs[codecName]
	if !ok {
		return fmt.Errorf("tpchgen: unknown compression %q", opts.Compression)
	}
	rowGroup := opts.RowGroupSize
	if rowGroup == 0 {
		rowGroup = DefaultRowGroupSize
	}
	if rowGroup < 0 {
		return fmt.Errorf("tpchgen: negative RowGroupSize %d", rowGroup)
	}
	want, err := selectTables(opts.Tables)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	g, err := dbgen.New(opts.SF, dbgen.Options{Compat: opts.Compat})
	if err != nil {
		return fmt.Errorf("tpchgen: %w", err)
	}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return fmt.Errorf("tpchgen: %w", err)
	}

	props := writerProps(codec)
	kv := metadata.NewKeyValueMetadata()
	if err := kv.Append(MetadataScaleFactor, strconv.FormatFloat(opts.SF, 'g', -1, 64)); err != nil {
		return fmt.Errorf("tpchgen: %w", err)
	}
	var tables []dbgen.Table
	for _, t := range dbgen.Tables() {
		if want[t] {
			tables = append(tables, t)
		}
	}
	return run(ctx, g, tables, opts.OutDir, rowGroup, props, kv)
}

func writerProps(codec compress.Compression, extra ...parquet.WriterProperty) *parquet.WriterProperties {
	opts := []parquet.WriterProperty{
		parquet.WithCompression(codec),
		parquet.WithDictionaryDefault(true),
		parquet.WithStats(true),
		// Pages are compressed as they fill, in parallel across columns
		// (see writeRowGroup); only each chunk's last page is compressed
		// serially when the row group closes. With the default 1 MiB pages
		// that last page would be most of an integer column chunk.
		parquet.WithDataPageSize(256 << 10),
		parquet.WithCreatedBy("peregrine bench/tpchgen (arrow-go parquet)"),
	}
	for _, ts := range specs {
		for _, c := range ts.columns {
			if !c.dict {
				opts = append(opts, parquet.WithDictionaryFor(c.name, false))
			}
		}
	}
	return parquet.NewWriterProperties(append(opts, extra...)...)
}

func selectTables(names []string) (map[dbgen.Table]bool, error) {
	want := make(map[dbgen.Table]bool)
	if len(names) == 0 {
		for _, t := range dbgen.Tables() {
			want[t] = true
		}
		return want, nil
	}
	for _, n := range names {
		t, err := dbgen.ParseTable(strings.ToLower(n))
		if err != nil {
			return nil, fmt.Errorf("tpchgen: %w", err)
		}
		want[t] = true
	}
	return want, nil
}
