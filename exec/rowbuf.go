package exec

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// rowBuf buffers rows of fixed column types in chunks, for the breakers
// that materialise their input (join builds, sort, CTEs). Appending never
// copies what is already buffered, so there is no reallocation and no 2×
// slack of a doubling column (only the last chunk is partly empty, and
// chunks stop growing at rowBufMaxChunk rows); take then lays the rows out
// in exact-size columns, one column at a time, dropping each column's
// chunks as it goes so that only one column is ever held twice.
type rowBuf struct {
	types    []coldata.Type
	chunks   [][]*coldata.Vec // per chunk, one vector per column
	fill     int              // rows in the last chunk
	room     int              // rows the last chunk was sized for
	n        int
	strBytes int64 // string contents of the buffered rows
	capBytes int64 // fixed-width storage of the chunks (capacity)
}

const (
	rowBufMinChunk = 256
	rowBufMaxChunk = 1 << 16
)

func newRowBuf(types []coldata.Type) *rowBuf { return &rowBuf{types: types} }

// Len is the number of buffered rows.
func (r *rowBuf) Len() int { return r.n }

// bytes estimates what the buffer holds.
func (r *rowBuf) bytes() int64 { return r.capBytes + r.strBytes + r.nestedBytes() }

func (r *rowBuf) nestedBytes() int64 {
	var b int64
	for c, t := range r.types {
		if !t.IsNested() {
			continue
		}
		for _, ch := range r.chunks {
			b += coldata.NestedBytes(ch[c])
		}
	}
	return b
}

// appendBatch appends the live rows of b (its columns cols, all when nil).
func (r *rowBuf) appendBatch(b *coldata.Batch, cols []int) {
	r.appendRows(b.Vecs, cols, b.Sel, b.Len())
}

// appendRows appends n rows of vecs (rows sel[k], or k when sel is nil),
// taking column cols[i] (i when cols is nil) as column i.
func (r *rowBuf) appendRows(vecs []*coldata.Vec, cols []int, sel []int32, n int) {
	for done := 0; done < n; {
		if r.fill == r.room {
			r.newChunk(n - done)
		}
		m := min(n-done, r.room-r.fill)
		var s []int32
		if sel != nil {
			s = sel[done : done+m]
		}
		ch := r.chunks[len(r.chunks)-1]
		for i, v := range ch {
			c := i
			if cols != nil {
				c = cols[i]
			}
			src := vecs[c]
			if sel == nil && done > 0 {
				// A dense source continues at row done.
				tmp := sliceVec(nil, src, done, done+m)
				src = tmp
			}
			appendVec(v, src, s, m)
			if v.Type.ID == coldata.String {
				r.strBytes += strLen(v.Str[r.fill : r.fill+m])
			}
		}
		r.fill += m
		r.n += m
		done += m
	}
}

func strLen(ss []string) int64 {
	var t int64
	for _, s := range ss {
		t += int64(len(s))
	}
	return t
}

// newChunk starts a chunk sized for want more rows (at most a batch): half
// the rows buffered so far, within [rowBufMinChunk, rowBufMaxChunk], so
// the unused room of the last chunk stays under a third of the buffer.
func (r *rowBuf) newChunk(want int) {
	room := max(rowBufMinChunk, min(rowBufMaxChunk, max(r.n/2, want)))
	ch := make([]*coldata.Vec, len(r.types))
	for i, t := range r.types {
		v := &coldata.Vec{Type: t}
		switch t.ID {
		case coldata.Bool:
			v.B = make([]bool, 0, room)
		case coldata.Int32, coldata.Date:
			v.I32 = make([]int32, 0, room)
		case coldata.Int64, coldata.Decimal, coldata.Timestamp:
			v.I64 = make([]int64, 0, room)
		case coldata.Float64:
			v.F64 = make([]float64, 0, room)
		case coldata.String:
			v.Str = make([]string, 0, room)
		case coldata.Hugeint:
			v.I128 = make([]coldata.Int128, 0, room)
		}
		ch[i] = v
		r.capBytes += int64(room) * fixedWidth(t)
	}
	r.chunks = append(r.chunks, ch)
	r.fill, r.room = 0, room
}

// fixedWidth is the bytes per row of t's fixed-width storage (a string's
// header; nested types are counted by nestedBytes).
func fixedWidth(t coldata.Type) int64 {
	switch t.ID {
	case coldata.Bool:
		return 1
	case coldata.Int32, coldata.Date:
		return 4
	case coldata.Int64, coldata.Decimal, coldata.Timestamp, coldata.Float64:
		return 8
	case coldata.String, coldata.Hugeint:
		return 16
	}
	return 0
}

// take returns the rows as exact-size columns and empties the buffer.
// Column c's chunks are dropped once it is laid out; a buffer of a single
// chunk hands its vectors over as they are.
func (r *rowBuf) take() []*coldata.Vec {
	out := make([]*coldata.Vec, len(r.types))
	if len(r.chunks) == 1 {
		copy(out, r.chunks[0])
	} else {
		for c, t := range r.types {
			v := coldata.NewVec(t, r.n)
			if t.ID != coldata.Unknown {
				r.concatInto(v, c, 0)
			}
			r.dropCol(c)
			out[c] = v
		}
	}
	if len(r.chunks) == 0 {
		for c, t := range r.types {
			out[c] = coldata.NewVec(t, 0)
		}
	}
	r.reset()
	return out
}

// concatInto copies column c of every chunk into v from row at on. v must
// have room; for nested types rows must be filled in order.
func (r *rowBuf) concatInto(v *coldata.Vec, c, at int) {
	for _, ch := range r.chunks {
		src := ch[c]
		if src.Nulls != nil {
			v.EnsureNulls()
		}
	}
	for _, ch := range r.chunks {
		src := ch[c]
		n := src.Len()
		v.CopyFrom(src, nil, n, at)
		at += n
	}
}

// dropCol drops column c of every chunk (once laid out elsewhere).
func (r *rowBuf) dropCol(c int) {
	for _, ch := range r.chunks {
		ch[c] = nil
	}
}

func (r *rowBuf) reset() {
	r.chunks = nil
	r.fill, r.room, r.n = 0, 0, 0
	r.strBytes, r.capBytes = 0, 0
}
