package exec

import (
	"unsafe"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// wavgState is a group's running sums of weighted_avg(x, w).
type wavgState struct {
	sxw, sw, n float64
}

// wavgAcc is weighted_avg(x, w): sum(x * w) / sum(w) over the rows where
// neither is NULL (NULL without such rows; NaN when the weights sum to 0,
// as in DuckDB).
type wavgAcc struct {
	st []wavgState
}

func (a *wavgAcc) resize(g int) { a.st = growZero(a.st, g) }
func (a *wavgAcc) reset()       { a.st = emptied(a.st) }

func (a *wavgAcc) update(gids []int32, arg *coldata.Vec, n int) {
	vx, vw := arg.Child[0], arg.Child[1]
	xs, ws := vx.F64[:n], vw.F64[:n]
	nx, nw := argNulls(vx, n), argNulls(vw, n)
	for i, g := range gids[:n] {
		if nx != nil && nx[i] || nw != nil && nw[i] {
			continue
		}
		s := &a.st[g]
		s.sxw += xs[i] * ws[i]
		s.sw += ws[i]
		s.n++
	}
}

func (a *wavgAcc) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*wavgAcc).st
	for x, g := range gmap {
		s, d := ss[srcRow(rows, x)], &a.st[g]
		d.sxw += s.sxw
		d.sw += s.sw
		d.n += s.n
	}
}

func (a *wavgAcc) finalize(out *coldata.Vec, from, to int) error {
	for i, s := range a.st[from:to] {
		if s.n == 0 {
			out.SetNull(i)
			continue
		}
		out.F64[i] = s.sxw / s.sw
	}
	return nil
}

func (a *wavgAcc) bytes() int64 {
	return int64(unsafe.Sizeof(wavgState{})) * int64(cap(a.st))
}

func (a *wavgAcc) stateTypes(coldata.Type) []coldata.Type {
	return []coldata.Type{coldata.TypeFloat64, coldata.TypeFloat64, coldata.TypeFloat64}
}

func (a *wavgAcc) store(dst []*coldata.Vec, rows []int32) {
	for k, r := range rows {
		s := a.st[r]
		dst[0].F64[k], dst[1].F64[k], dst[2].F64[k] = s.sxw, s.sw, s.n
	}
}

func (a *wavgAcc) load(src []*coldata.Vec, n int) {
	a.st = coldata.Grow(a.st[:0], n)
	for k := range a.st {
		a.st[k] = wavgState{sxw: src[0].F64[k], sw: src[1].F64[k], n: src[2].F64[k]}
	}
}
