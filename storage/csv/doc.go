// Package csv reads and writes CSV files the way DuckDB's read_csv and
// COPY ... (FORMAT csv) do: a sniffer that detects the dialect (delimiter,
// quote, escape), the header and the column types on a sample, a parallel
// reader that converts records straight into exec/coldata vectors, and an
// RFC 4180 writer.
//
// Bytes come through storage.FileSystem (local disk, object stores, HTTP,
// the sandbox), optionally gzip- or zstd-compressed. One goroutine per scan
// reads each file sequentially and cuts it into chunks at record
// boundaries (it tracks quote parity, so quoted newlines never split a
// record); workers parse and convert chunks in parallel. Parsed strings
// point into the chunk's bytes, so a VARCHAR value costs no allocation
// unless it had escaped quotes.
//
// Why a reader of our own: arrow-go's CSV reader (measured with
// BenchmarkReaders on TPC-H lineitem) is about four times slower, because it
// sits on encoding/csv, which allocates a string per field and a slice per
// record, and then converts each value through a builder call; it has no
// sniffer and reads one stream in one goroutine. Here the tokenizer records
// field offsets into a chunk, conversion runs column by column over typed
// slices, and chunks are converted in parallel.
//
// The files:
//
//	options.go   Options (DuckDB's read_csv options) and Column
//	sniff.go     dialect, header and type detection on a sample
//	parse.go     the record tokenizer: a chunk into field offsets per column
//	convert.go   field text into typed vectors (integers, doubles, decimals,
//	             booleans, dates, timestamps, strings), NULL strings
//	datetime.go  fast ISO dates and timestamps, and dateformat/timestampformat
//	chunker.go   opening (decompressing) a file and cutting it at record
//	             boundaries
//	scan.go      Scan: the files of one read_csv, shared by parallel workers
//	write.go     Writer: COPY ... TO csv (RFC 4180, header, NULL string,
//	             date formats)
package csv
