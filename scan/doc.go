// Package scan reads Parquet files into coldata batches.
//
// A File is opened once: its footer is parsed (arrow-go's metadata package
// decodes the Thrift; everything after that is ours) and its top-level
// columns are mapped to coldata types. Nested columns are listed with a
// reason in Column.Unsupported so that the rest of the file stays readable.
//
// Work is split by row group. The planner asks RowGroupMayMatch with the
// pushed-down predicates (`col op constant`, BETWEEN, IN, IS [NOT] NULL),
// which consults footer min/max/null statistics, and each surviving row
// group becomes a morsel: a worker calls NewReader with the projected
// columns and pulls batches with Next. A File is shared by all workers;
// a Reader belongs to one.
//
// NewReaderWith takes the same predicates and pushes them into the row
// group (pushdown.go): a bloom filter that excludes every constant of an
// Eq/In, or a fully dictionary-encoded chunk whose dictionary has no
// matching entry, empties the reader before any data page is read; the
// page index narrows the rows to pages whose min/max may match, and only
// those pages (plus the dictionary) are fetched in every column; the
// predicate columns are then decoded first and the other columns only for
// batches where a row survives, which is returned through Batch.Sel.
// Late filtering switches itself off when it keeps nearly every row.
// Reader.Stats counts what each mechanism saved for EXPLAIN ANALYZE, and
// File.ExactStats answers ungrouped MIN/MAX/COUNT from exact footers.
//
// Over a round-trip reader (object stores, HTTP) the footer costs one
// tail read, whose last 16 KiB before the footer stay with the File
// (tailcache.go): small files and page indexes there need no other
// request; dictionaries the planner sketches come with their page header
// in one read; Prefetcher fetches row groups ahead of the workers.
//
// The reader fetches each needed column chunk with one ReadAt (neighbours
// coalesced), verifies page CRCs when the writer stored them, decompresses
// pages (UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW, the deprecated LZ4 in
// Hadoop framing or as a bare block, BROTLI) and decodes them itself: page headers with a small bounds-checked
// Thrift compact decoder, definition levels and dictionary indices with an
// RLE/bit-packed hybrid decoder that works run by run, PLAIN fixed-width
// values with a memory copy, dictionaries converted once per chunk to the
// output type so that indices map straight to final values, and the DELTA_*
// and BYTE_STREAM_SPLIT encodings. Decoding switches on the column's kind
// once per run of values; nothing is called through an interface or
// allocated per value.
//
// Strings are Go strings pointing into page buffers that are never reused
// once a string points into them (dictionary pages, PLAIN byte-array pages),
// so values stay valid after the batch is overwritten. Buffers that only
// feed copies (integer pages, dictionary indices) are reused.
//
// Encrypted files (PARE magic, or a plaintext footer announcing an
// encryption algorithm or encrypted columns) are refused with "encrypted
// Parquet is not supported". The parquet-testing corpus is a test
// (corpus_test.go, testdata/corpus.golden records what each file gives).
//
// Malformed input is an error naming the file and, where known, the column
// and row group. Every length read from the file is checked against the
// bytes actually present before it sizes an allocation or a loop; a panic
// in a decoder is still recovered at Reader.Next as a last line of defence.
package scan
