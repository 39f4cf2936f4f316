package scan

import (
	"errors"
	"io"
)

// NDVSource says where a column chunk's distinct count came from.
type NDVSource uint8

const (
	// NDVNone: nothing is known (no statistic, no dictionary, or the
	// dictionary page header could not be read).
	NDVNone NDVSource = iota
	// NDVFooter: the footer's Statistics.distinct_count, set by the writer.
	NDVFooter
	// NDVDictionary: the chunk is entirely dictionary-encoded, so the
	// dictionary page's num_values is exactly its distinct non-null values.
	NDVDictionary
	// NDVDictionaryFallback: the chunk has a dictionary but some data pages
	// are not dictionary-encoded (the writer's dictionary overflowed), so
	// NDV is the dictionary size or more.
	NDVDictionaryFallback
	// NDVPlain: the chunk has no dictionary at all. For writers that
	// dictionary-encode by default (parquet-mr, arrow, DuckDB), this itself
	// hints at many distinct values, but it gives no number.
	NDVPlain
)

// String is the source's lower-case name: none, footer, dictionary,
// dictionary-fallback or plain.
func (s NDVSource) String() string {
	switch s {
	case NDVFooter:
		return "footer"
	case NDVDictionary:
		return "dictionary"
	case NDVDictionaryFallback:
		return "dictionary-fallback"
	case NDVPlain:
		return "plain"
	}
	return "none"
}

// ChunkNDV is what one column chunk says about its distinct values.
type ChunkNDV struct {
	Source NDVSource
	// NDV is the distinct non-null values: exact for NDVFooter and
	// NDVDictionary, a lower bound for NDVDictionaryFallback, 0 otherwise.
	NDV int64
	// Rows is the row group's row count.
	Rows int64
}

// dictHeaderRead is how many bytes are read for a dictionary page header.
// A dictionary page header is a handful of varints (type, two sizes, an
// optional CRC, num_values, encoding, is_sorted): well under 64 bytes.
const dictHeaderRead = 64

// ChunkNDV returns what the footer and, when needed, the dictionary page
// header say about the distinct values of column col in row group rg.
// Reading the header costs one small ReadAt; a header that cannot be read
// or parsed gives NDVNone, never an error: this is only for estimates.
func (f *File) ChunkNDV(rg, col int) ChunkNDV {
	if rg < 0 || rg >= len(f.md.RowGroups) || col < 0 || col >= len(f.cols) {
		return ChunkNDV{}
	}
	li := f.leaves[col]
	if li.leaf < 0 {
		return ChunkNDV{}
	}
	out := ChunkNDV{Rows: f.md.RowGroups[rg].NumRows}
	cc := f.md.RowGroups[rg].Columns[li.leaf]
	if cc == nil || cc.MetaData == nil {
		return out
	}
	md := cc.MetaData
	if st := md.Statistics; st != nil && st.DistinctCount != nil && *st.DistinctCount >= 0 &&
		(*st.DistinctCount > 0 || out.Rows == 0 || (st.NullCount != nil && *st.NullCount == out.Rows)) {
		// A distinct_count of 0 over non-null rows is a writer's
		// placeholder, not a statistic.
		out.Source, out.NDV = NDVFooter, *st.DistinctCount
		return out
	}
	hasDict := false
	for _, e := range md.Encodings {
		if e := int32(e); e == encPlainDict || e == encRLEDict {
			hasDict = true
		}
	}
	if !hasDict {
		out.Source = NDVPlain
		return out
	}
	// The dictionary page comes first in the chunk: at dictionary_page_offset
	// when that is plausible, else (writers that leave it 0 or unset) at
	// data_page_offset, the same rule as chunkRange.
	start := md.DataPageOffset
	if d := md.DictionaryPageOffset; d != nil && *d >= 4 && *d < start {
		start = *d
	}
	n, ok := readDictHeader(f.r, start, f.dataEnd)
	if !ok {
		return out
	}
	out.NDV = n
	out.Source = NDVDictionary
	if !f.allDictEncoded(rg, col) {
		out.Source = NDVDictionaryFallback
	}
	return out
}

// readDictHeader reads the page header at off and returns its num_values
// when it is a dictionary page.
func readDictHeader(r io.ReaderAt, off, end int64) (int64, bool) {
	if off < 4 || off >= end {
		return 0, false
	}
	buf := make([]byte, min(int64(dictHeaderRead), end-off))
	n, err := r.ReadAt(buf, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, false
	}
	h, _, err := decodePageHeader(buf[:n])
	if err != nil || h.typ != pageDictionary || !h.hasDict {
		return 0, false
	}
	return int64(h.numValues), true
}
