package exec

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// hugeAcc is MIN, MAX or SUM of HUGEINT values. A sum of 128-bit values can
// itself pass 128 bits: DuckDB then stops with an overflow error, and so
// does this (at the addition that overflows, in update or merge).
type hugeAcc struct {
	fn  AggFunc // AggMin, AggMax or AggSum
	st  []hugeState
	err error // the first overflow, reported by finalize
}

type hugeState struct {
	v    coldata.Int128
	seen bool
}

func (a *hugeAcc) resize(g int) { a.st = growZero(a.st, g) }

// reset keeps err: an overflow stays the aggregate's outcome.
func (a *hugeAcc) reset() { a.st = emptied(a.st) }

// failed is the first overflow: stored states cannot carry it, so the
// aggregate checks before it flushes or spills a table.
func (a *hugeAcc) failed() error { return a.err }

func (a *hugeAcc) fold(s *hugeState, v coldata.Int128) {
	switch {
	case !s.seen:
		s.v, s.seen = v, true
	case a.fn == AggSum:
		r, ovf := s.v.Add(v)
		if ovf && a.err == nil {
			a.err = fmt.Errorf("Out of Range Error: Overflow in HUGEINT addition: %s + %s", s.v, v)
		}
		s.v = r
	case a.fn == AggMax && s.v.Less(v), a.fn == AggMin && v.Less(s.v):
		s.v = v
	}
}

func (a *hugeAcc) update(gids []int32, arg *coldata.Vec, n int) {
	if arg.Type.ID != coldata.Hugeint {
		return
	}
	nulls := argNulls(arg, n)
	for k, g := range gids[:n] {
		if nulls == nil || !nulls[k] {
			a.fold(&a.st[g], arg.I128[k])
		}
	}
}

func (a *hugeAcc) merge(src accumulator, rows, gmap []int32) {
	ss := src.(*hugeAcc)
	if ss.err != nil && a.err == nil {
		a.err = ss.err
	}
	for x, g := range gmap {
		if s := ss.st[srcRow(rows, x)]; s.seen {
			a.fold(&a.st[g], s.v)
		}
	}
}

func (a *hugeAcc) finalize(out *coldata.Vec, from, to int) error {
	if a.err != nil {
		return a.err
	}
	for i, s := range a.st[from:to] {
		if !s.seen {
			out.SetNull(i)
			continue
		}
		out.I128[i] = s.v
	}
	return nil
}

func (a *hugeAcc) bytes() int64 { return 24 * int64(cap(a.st)) }

// The state is the value so far, NULL while no value was seen.
func (a *hugeAcc) stateTypes(coldata.Type) []coldata.Type {
	return []coldata.Type{coldata.TypeHugeint}
}

func (a *hugeAcc) store(dst []*coldata.Vec, rows []int32) {
	for k, r := range rows {
		s := a.st[r]
		dst[0].I128[k] = s.v
		if !s.seen {
			dst[0].SetNull(k)
		}
	}
}

func (a *hugeAcc) load(src []*coldata.Vec, n int) {
	a.st = coldata.Grow(a.st[:0], n)
	nulls := argNulls(src[0], n)
	for k := range a.st {
		a.st[k] = hugeState{v: src[0].I128[k], seen: nulls == nil || !nulls[k]}
	}
}
