package scan

import (
	"errors"
	"fmt"
	"io"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// ChunkDictionary decodes the dictionary page of column col in row group rg:
// the chunk's distinct values, read without touching its data pages (the
// planner sketches them to count a column's distinct values across row
// groups, see storage.ColumnNDV). ok is false when the chunk has no
// dictionary page (PLAIN-encoded, or a nested column) or when some of its
// data pages are not dictionary-encoded (the writer fell back to PLAIN
// when the dictionary grew too large): then the dictionary holds only
// some of the chunk's values.
func (f *File) ChunkDictionary(rg, col int) (dict *coldata.Vec, ok bool, err error) {
	if rg < 0 || rg >= len(f.md.RowGroups) || col < 0 || col >= len(f.cols) || f.nested[col] != nil {
		return nil, false, nil
	}
	li := f.leaves[col]
	if li.leaf < 0 || f.cols[col].Unsupported != "" || !f.allDictEncoded(rg, col) {
		return nil, false, nil
	}
	cc := f.md.RowGroups[rg].Columns[li.leaf]
	if cc == nil || cc.MetaData == nil || cc.FilePath != nil {
		return nil, false, nil
	}
	codec := int32(cc.MetaData.Codec)
	if !codecSupported(codec) {
		return nil, false, nil
	}
	start, end, err := f.chunkRange(rg, col)
	if err != nil {
		return nil, false, err
	}
	head := make([]byte, min(dictReadSize(cc.MetaData.DictionaryPageOffset, cc.MetaData.DataPageOffset), end-start))
	n, err := f.r.ReadAt(head, start)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, false, err
	}
	h, hl, err := decodePageHeader(head[:n])
	if err != nil || h.typ != pageDictionary {
		return nil, false, nil
	}
	if int64(hl)+int64(h.compressedSize) > end-start {
		return nil, false, fmt.Errorf("%s: dictionary page of %d bytes runs past its column chunk", f.path, h.compressedSize)
	}
	var body []byte
	if hl+int(h.compressedSize) <= n {
		// The first read held the whole page: over an object store that
		// saves the estimate a round trip.
		body = head[hl : hl+int(h.compressedSize)]
	} else {
		body = make([]byte, h.compressedSize)
		if _, err := f.r.ReadAt(body, start+int64(hl)); err != nil && !errors.Is(err, io.EOF) {
			return nil, false, err
		}
	}
	c := &colState{name: f.cols[col].Name, li: li, typ: f.cols[col].Type, codec: codec}
	var dec decompressor
	if err := c.loadDict(&h, body, &dec); err != nil {
		return nil, false, fmt.Errorf("%s: column %s: dictionary page: %w", f.path, c.name, err)
	}
	// c.buf (from the page-buffer pool) is not returned: string values
	// may point into it, and the garbage collector frees it with them.
	return c.dict, true, nil
}

// maxDictRead bounds the dictionary page ChunkDictionary reads in one
// request with its header.
const maxDictRead = 1 << 20

// dictReadSize is how many bytes ChunkDictionary reads first: the whole
// dictionary page when the footer places it (it ends where the data pages
// begin) and it is not large, else just enough for its header.
func dictReadSize(dictOff *int64, dataOff int64) int64 {
	if dictOff != nil && *dictOff >= 4 && *dictOff < dataOff && dataOff-*dictOff <= maxDictRead {
		return max(dataOff-*dictOff, dictHeaderRead)
	}
	return dictHeaderRead
}
