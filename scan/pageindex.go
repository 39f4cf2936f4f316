package scan

import (
	"errors"
	"fmt"
)

// The page index (ColumnIndex and OffsetIndex, stored between the row groups
// and the footer) lets the reader skip pages whose min/max rule out every
// predicate and then fetch, in the other columns, only the pages holding
// surviving rows. Both structs are decoded here with the bounds-checked
// Thrift reader; every list count is checked against the bytes present
// before anything is allocated.

// columnIndex is parquet.thrift ColumnIndex, per page of one column chunk.
type columnIndex struct {
	nullPages []bool
	mins      [][]byte // slices into the index buffer
	maxs      [][]byte
	nullCount []int64 // may be nil
}

// pageLoc is parquet.thrift PageLocation.
type pageLoc struct {
	offset   int64
	size     int32
	firstRow int64
}

// maxIndexSize bounds one serialized index; real ones are a few KiB per
// column chunk (tens of bytes per page).
const maxIndexSize = 64 << 20

// listHeader reads a compact-protocol list header and checks that count
// elements of at least minSize bytes each can fit in what is left.
func (r *thriftReader) listHeader(minSize int) (elemType byte, n int, err error) {
	c, err := r.byte()
	if err != nil {
		return 0, 0, err
	}
	cnt := uint64(c >> 4)
	if cnt == 15 {
		if cnt, err = r.uvarint(); err != nil {
			return 0, 0, err
		}
	}
	if cnt*uint64(minSize) > uint64(len(r.b)-r.pos) {
		return 0, 0, errors.New("page index: list longer than its data")
	}
	return c & 0x0f, int(cnt), nil
}

func (r *thriftReader) binary() ([]byte, error) {
	n, err := r.uvarint()
	if err != nil {
		return nil, err
	}
	if n > uint64(len(r.b)-r.pos) {
		return nil, errThriftTruncated
	}
	b := r.b[r.pos : r.pos+int(n) : r.pos+int(n)]
	r.pos += int(n)
	return b, nil
}

func parseColumnIndex(b []byte) (*columnIndex, error) {
	ci := &columnIndex{}
	r := thriftReader{b: b}
	err := r.readStruct(0, func(id int16, typ byte) (bool, error) {
		if typ != ttList {
			return false, nil
		}
		switch id {
		case 1:
			_, n, err := r.listHeader(1)
			if err != nil {
				return false, err
			}
			ci.nullPages = make([]bool, n)
			for i := range ci.nullPages {
				c, err := r.byte()
				if err != nil {
					return false, err
				}
				ci.nullPages[i] = c == 1
			}
			return true, nil
		case 2, 3:
			et, n, err := r.listHeader(1)
			if err != nil {
				return false, err
			}
			if et != ttBinary {
				return false, errors.New("page index: min/max values are not binary")
			}
			vals := make([][]byte, n)
			for i := range vals {
				if vals[i], err = r.binary(); err != nil {
					return false, err
				}
			}
			if id == 2 {
				ci.mins = vals
			} else {
				ci.maxs = vals
			}
			return true, nil
		case 5:
			et, n, err := r.listHeader(1)
			if err != nil {
				return false, err
			}
			if et != ttI64 {
				return false, errors.New("page index: null counts are not i64")
			}
			ci.nullCount = make([]int64, n)
			for i := range ci.nullCount {
				if ci.nullCount[i], err = r.varint(); err != nil {
					return false, err
				}
			}
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	n := len(ci.nullPages)
	if len(ci.mins) != n || len(ci.maxs) != n || (ci.nullCount != nil && len(ci.nullCount) != n) {
		return nil, fmt.Errorf("page index: %d null flags, %d mins, %d maxes, %d null counts", n, len(ci.mins), len(ci.maxs), len(ci.nullCount))
	}
	return ci, nil
}

func parseOffsetIndex(b []byte) ([]pageLoc, error) {
	var locs []pageLoc
	r := thriftReader{b: b}
	err := r.readStruct(0, func(id int16, typ byte) (bool, error) {
		if id != 1 || typ != ttList {
			return false, nil
		}
		et, n, err := r.listHeader(4) // three fields and a stop
		if err != nil {
			return false, err
		}
		if et != ttStruct {
			return false, errors.New("page index: page locations are not structs")
		}
		locs = make([]pageLoc, n)
		for i := range locs {
			l := &locs[i]
			var seen uint8
			err := r.readStruct(1, func(id int16, typ byte) (bool, error) {
				switch {
				case id == 1 && typ == ttI64:
					seen |= 1
					v, err := r.varint()
					l.offset = v
					return true, err
				case id == 2 && typ == ttI32:
					seen |= 2
					return r.i32Field(typ, &l.size)
				case id == 3 && typ == ttI64:
					seen |= 4
					v, err := r.varint()
					l.firstRow = v
					return true, err
				}
				return false, nil
			})
			if err != nil {
				return false, err
			}
			if seen != 7 {
				return false, errors.New("page index: page location misses a required field")
			}
		}
		return true, nil
	})
	return locs, err
}

// validLocs checks an offset index against the chunk's byte range and row
// count so that the reader can trust it to place pages.
func validLocs(locs []pageLoc, start, end, rows int64) bool {
	if len(locs) == 0 || locs[0].firstRow != 0 {
		return false
	}
	for i, l := range locs {
		if l.offset < start || l.size <= 0 || l.offset+int64(l.size) > end || l.firstRow >= max(rows, 1) {
			return false
		}
		if i > 0 && (l.firstRow <= locs[i-1].firstRow || l.offset < locs[i-1].offset+int64(locs[i-1].size)) {
			return false
		}
	}
	return true
}

// readIndex fetches a serialized index at [off, off+length).
func (f *File) readIndex(off *int64, length *int32) ([]byte, error) {
	if off == nil || length == nil {
		return nil, nil
	}
	if *off < 4 || *length <= 0 || *length > maxIndexSize || *off+int64(*length) > f.dataEnd {
		return nil, fmt.Errorf("corrupt page index location (offset %d, length %d)", *off, *length)
	}
	if f.remote {
		if b, ok := f.readIndexRemote(*off, *length); ok {
			return b, nil
		}
	}
	b := make([]byte, *length)
	if _, err := f.r.ReadAt(b, *off); err != nil {
		return nil, err
	}
	return b, nil
}

// rowRange is a half-open range of row indexes within a row group.
type rowRange struct{ from, to int64 }

// intersectRanges returns the rows in both sorted, disjoint range lists.
func intersectRanges(a, b []rowRange) []rowRange {
	var out []rowRange
	for i, j := 0, 0; i < len(a) && j < len(b); {
		lo, hi := max(a[i].from, b[j].from), min(a[i].to, b[j].to)
		if lo < hi {
			out = append(out, rowRange{lo, hi})
		}
		if a[i].to < b[j].to {
			i++
		} else {
			j++
		}
	}
	return out
}

// pageRanges turns the pages that may match into merged row ranges.
func pageRanges(locs []pageLoc, rows int64, keep []bool) []rowRange {
	var out []rowRange
	for i, l := range locs {
		if !keep[i] {
			continue
		}
		to := rows
		if i+1 < len(locs) {
			to = locs[i+1].firstRow
		}
		if n := len(out); n > 0 && out[n-1].to == l.firstRow {
			out[n-1].to = to
		} else {
			out = append(out, rowRange{l.firstRow, to})
		}
	}
	return out
}
