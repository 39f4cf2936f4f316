package exec

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// This file holds the column helpers the buffering operators share:
// appending batches into growing columns, zero-copy range views and
// single-row copies. coldata.Vec.Resize drops the null mask, so growing a
// column that already holds data goes through growVec instead.

// growVec sets v's physical length to n keeping its contents and null mask.
// New positions are unspecified; callers overwrite them.
func growVec(v *coldata.Vec, n int) {
	switch v.Type.ID {
	case coldata.List, coldata.Map, coldata.Struct:
		coldata.GrowKeep(v, n)
		return
	case coldata.Bool:
		v.B = coldata.Grow(v.B, n)
	case coldata.Int32, coldata.Date:
		v.I32 = coldata.Grow(v.I32, n)
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		v.I64 = coldata.Grow(v.I64, n)
	case coldata.Float64:
		v.F64 = coldata.Grow(v.F64, n)
	case coldata.String:
		v.Str = coldata.Grow(v.Str, n)
	case coldata.Hugeint:
		v.I128 = coldata.Grow(v.I128, n)
	case coldata.Unknown:
		old := len(v.Nulls)
		v.Nulls = coldata.Grow(v.Nulls, n)
		for i := old; i < n; i++ {
			v.Nulls[i] = true
		}
		return
	}
	if v.Nulls != nil {
		v.Nulls = coldata.Grow(v.Nulls, n)
	}
}

// appendVec appends n rows of src (rows sel[k], or k when sel is nil) to dst.
func appendVec(dst, src *coldata.Vec, sel []int32, n int) {
	if n == 0 {
		return
	}
	old := dst.Len()
	growVec(dst, old+n)
	if dst.Type.ID == coldata.Unknown {
		return
	}
	dst.CopyFrom(src, sel, n, old)
}

// appendBatch appends the live rows of b's columns cols (all when nil) to dst.
func appendBatch(dst []*coldata.Vec, b *coldata.Batch, cols []int) {
	n := b.Len()
	for i, d := range dst {
		c := i
		if cols != nil {
			c = cols[i]
		}
		appendVec(d, b.Vecs[c], b.Sel, n)
	}
}

// newVecs returns empty vectors of the given types.
func newVecs(types []coldata.Type) []*coldata.Vec {
	vs := make([]*coldata.Vec, len(types))
	for i, t := range types {
		vs[i] = coldata.NewVec(t, 0)
	}
	return vs
}

// sliceVec returns a view of rows [from,to) of v sharing its storage.
func sliceVec(dst, v *coldata.Vec, from, to int) *coldata.Vec {
	if dst == nil {
		dst = &coldata.Vec{}
	}
	*dst = coldata.Vec{Type: v.Type}
	switch v.Type.ID {
	case coldata.List, coldata.Map, coldata.Struct:
		coldata.SliceNested(dst, v, from, to)
		return dst
	case coldata.Bool:
		dst.B = v.B[from:to]
	case coldata.Int32, coldata.Date:
		dst.I32 = v.I32[from:to]
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		dst.I64 = v.I64[from:to]
	case coldata.Float64:
		dst.F64 = v.F64[from:to]
	case coldata.String:
		dst.Str = v.Str[from:to]
	case coldata.Hugeint:
		dst.I128 = v.I128[from:to]
	}
	if v.Nulls != nil {
		dst.Nulls = v.Nulls[from:to]
	}
	return dst
}

// copyRow copies row j of src into row i of dst (same type); for the rare
// per-row moves (top-N replacement).
func copyRow(dst *coldata.Vec, i int, src *coldata.Vec, j int) {
	switch dst.Type.ID {
	case coldata.List, coldata.Map, coldata.Struct:
		coldata.ReplaceRow(dst, i, src, j)
		return
	case coldata.Bool:
		dst.B[i] = src.B[j]
	case coldata.Int32, coldata.Date:
		dst.I32[i] = src.I32[j]
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		dst.I64[i] = src.I64[j]
	case coldata.Float64:
		dst.F64[i] = src.F64[j]
	case coldata.String:
		dst.Str[i] = src.Str[j]
	case coldata.Hugeint:
		dst.I128[i] = src.I128[j]
	case coldata.Unknown:
		return
	}
	if src.IsNull(j) {
		dst.SetNull(i)
	} else if dst.Nulls != nil {
		dst.Nulls[i] = false
	}
}

// vecBytes estimates the memory held by v's storage (capacity, not length).
func vecBytes(v *coldata.Vec) int64 {
	b := int64(cap(v.Nulls))
	b += int64(cap(v.B)) + 4*int64(cap(v.I32)) + 8*int64(cap(v.I64)) + 8*int64(cap(v.F64))
	for _, s := range v.Str {
		b += 16 + int64(len(s))
	}
	if v.Type.IsNested() {
		b += coldata.NestedBytes(v)
	}
	return b
}

func vecsBytes(vs []*coldata.Vec) int64 {
	var b int64
	for _, v := range vs {
		b += vecBytes(v)
	}
	return b
}

// denseCols returns the columns cols of b with no selection: b's own vectors
// when b.Sel is nil, otherwise copies into scratch (reused across calls).
// Operators that hash or aggregate compact only the columns they read, which
// keeps every kernel below free of a selection-vector variant.
func denseCols(b *coldata.Batch, cols []int, out []*coldata.Vec, scratch []*coldata.Vec) {
	if b.Sel == nil {
		for i, c := range cols {
			out[i] = b.Vecs[c]
		}
		return
	}
	n := len(b.Sel)
	for i, c := range cols {
		src := b.Vecs[c]
		s := scratch[i]
		if s.Type != src.Type {
			*s = coldata.Vec{Type: src.Type}
		}
		s.Resize(n)
		if src.Type.ID != coldata.Unknown {
			s.CopyFrom(src, b.Sel, n, 0)
		}
		out[i] = s
	}
}

func checkCols(what string, cols []int, width int) error {
	for _, c := range cols {
		if c < 0 || c >= width {
			return fmt.Errorf("%s: column %d out of range [0,%d)", what, c, width)
		}
	}
	return nil
}
