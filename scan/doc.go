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
// The reader fetches each needed column chunk with one ReadAt (neighbours
// coalesced), decompresses pages (UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW,
// BROTLI) and decodes them itself: page headers with a small bounds-checked
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
// Malformed input is an error naming the file and, where known, the column
// and row group. Every length read from the file is checked against the
// bytes actually present before it sizes an allocation or a loop; a panic
// in a decoder is still recovered at Reader.Next as a last line of defence.
package scan
