package kernel

import (
	"unsafe"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// phys is the physical storage of a logical type (which Vec slice it uses).
type phys uint8

const (
	physNone phys = iota // Unknown: nulls only
	physBool
	physI32
	physI64
	physF64
	physStr
	physI128
)

func physOf(t coldata.Type) phys {
	switch t.ID {
	case coldata.Bool:
		return physBool
	case coldata.Int32, coldata.Date:
		return physI32
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		return physI64
	case coldata.Float64:
		return physF64
	case coldata.String:
		return physStr
	case coldata.Hugeint:
		return physI128
	}
	return physNone
}

// result is a node's output vector, reused across batches. The null mask has
// its own backing array because Vec.Resize drops Nulls.
type result struct {
	vec   coldata.Vec
	nulls []bool
}

// reset sizes the output for n rows with no null mask.
func (r *result) reset(t coldata.Type, n int) *coldata.Vec {
	r.vec.Type = t
	r.vec.Resize(n)
	return &r.vec
}

// ownNulls installs the node's own null mask of length n. Its contents are
// stale: the caller writes every live row.
func (r *result) ownNulls(n int) []bool {
	r.nulls = coldata.Grow(r.nulls, n)
	r.vec.Nulls = r.nulls
	return r.nulls
}

// clearedNulls is ownNulls with every row non-NULL.
func (r *result) clearedNulls(n int) []bool {
	nb := r.ownNulls(n)
	clear(nb)
	return nb
}

// shareNulls gives the output the union of the inputs' null masks. With a
// single nullable input the mask is shared, not copied: outputs are read-only
// to their consumers, and the node never adds NULLs of its own after this.
func (r *result) shareNulls(sel []int32, n int, a, b *coldata.Vec) {
	var an, bn []bool
	if a != nil {
		an = a.Nulls
	}
	if b != nil {
		bn = b.Nulls
	}
	switch {
	case an == nil && bn == nil:
		r.vec.Nulls = nil
	case bn == nil:
		r.vec.Nulls = an[:n]
	case an == nil:
		r.vec.Nulls = bn[:n]
	default:
		orNulls(r.ownNulls(n), an, bn, sel, n)
	}
}

// copyNulls gives the output its own copy of the union of the inputs' masks
// (or a cleared mask), for nodes that go on to add NULLs.
func (r *result) copyNulls(sel []int32, n int, vs ...*coldata.Vec) []bool {
	nb := r.clearedNulls(n)
	for _, v := range vs {
		if v != nil && v.Nulls != nil {
			orInto(nb, v.Nulls, sel, n)
		}
	}
	return nb
}

// dropEmptyNulls removes the null mask if no live row is NULL, sparing
// consumers the null-aware loop variants.
func dropEmptyNulls(v *coldata.Vec, sel []int32, n int) {
	if v.Nulls == nil {
		return
	}
	if sel == nil {
		for _, x := range v.Nulls[:n] {
			if x {
				return
			}
		}
	} else {
		for _, i := range sel {
			if v.Nulls[i] {
				return
			}
		}
	}
	v.Nulls = nil
}

func orNulls(dst, a, b []bool, sel []int32, n int) {
	if sel == nil {
		dst, a, b = dst[:n], a[:n], b[:n]
		for i := range dst {
			dst[i] = a[i] || b[i]
		}
		return
	}
	for _, i := range sel {
		dst[i] = a[i] || b[i]
	}
}

func orInto(dst, a []bool, sel []int32, n int) {
	if sel == nil {
		dst, a = dst[:n], a[:n]
		for i := range dst {
			dst[i] = dst[i] || a[i]
		}
		return
	}
	for _, i := range sel {
		dst[i] = dst[i] || a[i]
	}
}

// anyNull reports whether a live row of v is NULL.
func anyNull(v *coldata.Vec, sel []int32, n int) bool {
	if v.Nulls == nil {
		return false
	}
	if sel == nil {
		for _, x := range v.Nulls[:n] {
			if x {
				return true
			}
		}
		return false
	}
	for _, i := range sel {
		if v.Nulls[i] {
			return true
		}
	}
	return false
}

// liveLen is the number of live rows.
func liveLen(sel []int32, n int) int {
	if sel == nil {
		return n
	}
	return len(sel)
}

// selBuf returns *buf resized to n. The slice is never nil, even when empty,
// because a nil selection means "all rows".
func selBuf(buf *[]int32, n int) []int32 {
	*buf = coldata.Grow(*buf, max(n, 1))
	return (*buf)[:n]
}

// identity returns the selection 0..n-1 in *buf.
func identity(buf *[]int32, n int) []int32 {
	s := selBuf(buf, n)
	for i := range s {
		s[i] = int32(i)
	}
	return s
}

// selectNonNull writes the live rows of v that are not NULL to dst (which may
// alias sel) and returns them.
func selectNonNull(nulls []bool, sel []int32, n int, dst []int32) []int32 {
	k := 0
	if sel == nil {
		nulls = nulls[:n]
		for i, isNull := range nulls {
			dst[k] = int32(i)
			k += b2i(!isNull)
		}
		return dst[:k]
	}
	for _, i := range sel {
		dst[k] = i
		k += b2i(!nulls[i])
	}
	return dst[:k]
}

// complement returns the rows of sel (dense 0..n-1 when nil) missing from
// sub, which must be a subsequence of sel (every kernel keeps row order).
// dst may alias sel.
func complement(sel []int32, n int, sub []int32, dst []int32) []int32 {
	k, j := 0, 0
	if sel == nil {
		for i := 0; i < n; i++ {
			if j < len(sub) && sub[j] == int32(i) {
				j++
				continue
			}
			dst[k] = int32(i)
			k++
		}
		return dst[:k]
	}
	for _, i := range sel {
		if j < len(sub) && sub[j] == i {
			j++
			continue
		}
		dst[k] = i
		k++
	}
	return dst[:k]
}

// b2i converts a bool to 0/1; the compiler emits a SETcc, which keeps the
// selection loops free of unpredictable branches.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// boolBytes views a []bool as []uint8 (Go bools are 0 or 1) so the generic
// ordered kernels serve booleans with false < true.
func boolBytes(b []bool) []uint8 {
	return unsafe.Slice((*uint8)(unsafe.Pointer(unsafe.SliceData(b))), len(b))
}

// copyRows copies rows sel (all n when nil) of src into dst, which has
// src's type, including their nulls. dst must have its own null mask (or
// none if src has none and dst never had one).
func copyRows(dst, src *coldata.Vec, dstNulls []bool, sel []int32, n int) {
	switch physOf(dst.Type) {
	case physBool:
		scatter(dst.B, src.B, sel, n)
	case physI32:
		scatter(dst.I32, src.I32, sel, n)
	case physI64:
		scatter(dst.I64, src.I64, sel, n)
	case physF64:
		scatter(dst.F64, src.F64, sel, n)
	case physStr:
		scatter(dst.Str, src.Str, sel, n)
	case physI128:
		scatter(dst.I128, src.I128, sel, n)
	}
	if dstNulls == nil {
		return
	}
	if src.Nulls == nil {
		if sel == nil {
			clear(dstNulls[:n])
		} else {
			for _, i := range sel {
				dstNulls[i] = false
			}
		}
		return
	}
	scatter(dstNulls, src.Nulls, sel, n)
}

// scatter copies positions sel of src to the same positions of dst.
func scatter[T any](dst, src []T, sel []int32, n int) {
	if sel == nil {
		copy(dst[:n], src[:n])
		return
	}
	for _, i := range sel {
		dst[i] = src[i]
	}
}

// strArena collects the bytes of a batch's computed strings so the whole
// batch costs one allocation: the bytes become one string whose substrings
// are handed out. A retained value keeps its batch's bytes alive, which is
// the price for not allocating per value.
type strArena struct {
	buf    []byte
	starts []int32 // row i's bytes are buf[starts[i]:ends[i]]; starts[i] < 0: row set directly
	ends   []int32
}

func (a *strArena) reset(n int) {
	a.buf = a.buf[:0]
	a.starts = coldata.Grow(a.starts, n)
	a.ends = coldata.Grow(a.ends, n)
}

// mark records that row i's value is the bytes appended since start.
func (a *strArena) mark(i int32, start int) {
	a.starts[i] = int32(start)
	a.ends[i] = int32(len(a.buf))
}

// skip records that row i's value was stored directly (or is NULL).
func (a *strArena) skip(i int32) { a.starts[i] = -1 }

// finish stores the arena strings of rows sel (all n when nil) in out.
func (a *strArena) finish(out []string, sel []int32, n int) {
	s := string(a.buf)
	if sel == nil {
		for i := 0; i < n; i++ {
			if a.starts[i] >= 0 {
				out[i] = s[a.starts[i]:a.ends[i]]
			}
		}
		return
	}
	for _, i := range sel {
		if a.starts[i] >= 0 {
			out[i] = s[a.starts[i]:a.ends[i]]
		}
	}
}

// evalArgs evaluates every argument over sel, keeping the result slice in
// *buf for the next batch.
func evalArgs(args []node, b *coldata.Batch, sel []int32, buf *[]*coldata.Vec) ([]*coldata.Vec, error) {
	vs := (*buf)[:0]
	for _, a := range args {
		v, err := a.eval(b, sel)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	*buf = vs
	return vs, nil
}
