package exec

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// ASOF joins: each probe (left) row takes the one build (right) row that
// is nearest by an inequality among the rows equal on the keys (DuckDB's
// ASOF JOIN: a trade takes the latest quote at or before its time). The
// build is an ordinary JoinBuild hashed on the equality keys (a constant
// without keys), so its rows of a key are contiguous; an index then sorts
// each key's rows by the inequality column once, after which a probe row
// is a hash lookup and a binary search: O((n + m) log m). The index of an
// in-memory build is shared by every probe worker; after a spill each
// partition is joined by one worker, which indexes it for itself (the
// Grace join of hashjoin_spill.go, reused through the wrapped hashJoin).

// AsofOp is the inequality of an ASOF join, probe value against build value.
type AsofOp uint8

// The four ASOF inequalities, named for probe op build (l.t >= r.t is
// AsofGe): each picks the nearest build value on its side.
const (
	AsofGe AsofOp = iota // the largest build value <= the probe's
	AsofGt               // the largest build value < the probe's
	AsofLe               // the smallest build value >= the probe's
	AsofLt               // the smallest build value > the probe's
)

func asofOp(op expr.Op) (AsofOp, error) {
	switch op {
	case expr.OpGe:
		return AsofGe, nil
	case expr.OpGt:
		return AsofGt, nil
	case expr.OpLe:
		return AsofLe, nil
	case expr.OpLt:
		return AsofLt, nil
	}
	return 0, fmt.Errorf("Internal Error: ASOF join inequality %s", op)
}

// AsofSpec is an ASOF join's inequality: probe column ProbeCol Op build
// column BuildCol; Outer keeps probe rows without a match (ASOF LEFT).
type AsofSpec struct {
	Op                 AsofOp
	ProbeCol, BuildCol int
	Outer              bool
}

// asofShared is the index of an in-memory build, made once.
type asofShared struct {
	once sync.Once
	idx  *asofIndex
	err  error
}

// asofIndex orders a join table's rows by the inequality column within
// each key: order[start[g]:ends[g]] are key g's rows with a non-NULL value,
// ascending (ties by row), and vals holds their values in that order.
type asofIndex struct {
	jt    *joinTable
	order []int32
	ends  []int32
	vals  *coldata.Vec
}

// newAsofIndex indexes jt on column col, the keys' groups sorted on up
// to threads goroutines; acc is charged what the index holds.
func newAsofIndex(ctx context.Context, jt *joinTable, col, threads int, acc *MemoryAccount) (*asofIndex, error) {
	src := jt.cols[col]
	n := len(jt.rowIdx)
	if acc != nil {
		if err := acc.Grow(int64(n) * (4 + fixedWidth(src.Type))); err != nil {
			return nil, err
		}
	}
	ix := &asofIndex{jt: jt, order: make([]int32, n), ends: make([]int32, max(len(jt.start)-1, 0))}
	ng := len(ix.ends)
	chunks := min(ng, 4*max(threads, 1))
	err := runTasks(ctx, "ASOF join index", chunks, threads, func(ctx context.Context, c int) error {
		for g := c * ng / chunks; g < (c+1)*ng/chunks; g++ {
			if g%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := ix.sortGroup(g, src); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ix.vals = coldata.NewVec(src.Type, len(ix.order))
	gatherInto(ix.vals, src, nil, ix.order)
	return ix, nil
}

// sortGroup orders key g's rows with a non-NULL value by it.
func (ix *asofIndex) sortGroup(g int, src *coldata.Vec) error {
	jt := ix.jt
	from, to := jt.start[g], jt.start[g+1]
	rows := ix.order[from:from]
	for _, r := range jt.rowIdx[from:to] {
		if src.Nulls == nil || !src.Nulls[r] {
			rows = append(rows, r)
		}
	}
	ix.ends[g] = from + int32(len(rows))
	switch src.Type.ID {
	case coldata.Int32, coldata.Date:
		sortRowsBy(rows, src.I32)
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		sortRowsBy(rows, src.I64)
	case coldata.Float64:
		sortRowsBy(rows, src.F64)
	case coldata.String:
		sortRowsBy(rows, src.Str)
	default:
		return fmt.Errorf("Not implemented Error: ASOF JOIN on a %s inequality is not supported yet", src.Type)
	}
	return nil
}

func sortRowsBy[T cmp.Ordered](rows []int32, vals []T) {
	slices.SortFunc(rows, func(a, b int32) int {
		if c := cmp.Compare(vals[a], vals[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}

// nearest returns the position in ks of the value nearest v by op, or -1.
func nearest[T cmp.Ordered](ks []T, v T, op AsofOp) int {
	// lower: the first k >= v; upper: the first k > v.
	bound := func(strict bool) int {
		lo, hi := 0, len(ks)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			c := cmp.Compare(ks[m], v)
			if c < 0 || strict && c == 0 {
				lo = m + 1
			} else {
				hi = m
			}
		}
		return lo
	}
	var i int
	switch op {
	case AsofGe:
		i = bound(true) - 1
	case AsofGt:
		i = bound(false) - 1
	case AsofLe:
		i = bound(false)
	default:
		i = bound(true)
	}
	if i >= len(ks) {
		return -1
	}
	return i
}

// asofJoin is one probe worker: the wrapped hashJoin reads the probe
// rows (from its input, or after a spill from the partition whose table
// it holds) and finds their key ids; the index finds the nearest row.
type asofJoin struct {
	opStats
	h      *hashJoin
	spec   AsofSpec
	sh     *asofShared
	local  *asofIndex // the index of a spilled partition's table
	built  bool
	closed bool

	gids    []int32
	pi, bi  []int32
	out     coldata.Batch
	buildVs []*coldata.Vec
}

// NewAsofJoin returns a probe worker of an ASOF join; the workers of one
// join share jb and sh. The output is every probe column, then every
// build column (NULL where there is no match: ASOF LEFT).
func NewAsofJoin(jb *JoinBuild, probe Operator, probeKeys []int, spec AsofSpec, sh *asofShared) (Operator, error) {
	pt := probe.Types()
	h := NewHashJoin(jb, probe, probeKeys, JoinInner, allCols(len(pt)), allCols(len(jb.types)), nil).(*hashJoin)
	a := &asofJoin{h: h, spec: spec, sh: sh}
	if h.err != nil {
		return a, nil // reported by Open and Next
	}
	if spec.ProbeCol < 0 || spec.ProbeCol >= len(pt) || spec.BuildCol < 0 || spec.BuildCol >= len(jb.types) {
		h.err = errors.New("Internal Error: ASOF join: inequality column out of range")
	} else if p, b := pt[spec.ProbeCol], jb.types[spec.BuildCol]; p.ID != b.ID || p.ID == coldata.Decimal && p.Scale != b.Scale {
		h.err = fmt.Errorf("Internal Error: ASOF join compares %s with %s", p, b)
	}
	a.buildVs = newVecs(jb.types)
	if h.err == nil {
		h.rowExtra = 4 + fixedWidth(jb.types[spec.BuildCol])
	}
	return a, nil
}

func (a *asofJoin) Types() []coldata.Type { return a.h.types }

func (a *asofJoin) Open(ctx context.Context) error { return a.h.Open(ctx) }

func (a *asofJoin) Next(ctx context.Context) (*coldata.Batch, error) {
	h := a.h
	if h.err != nil {
		return nil, h.err
	}
	if a.closed {
		return nil, errors.New("asof join: Next after Close")
	}
	t0 := time.Now()
	if !a.built {
		if err := h.jb.ensure(ctx); err != nil {
			h.err = err
			return nil, err
		}
		a.built, h.built, h.jt = true, true, h.jb.jt
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := h.nextProbe(ctx)
		if err != nil {
			if err != io.EOF {
				h.err = err
			}
			return nil, err
		}
		if b.Len() == 0 {
			continue
		}
		ix, err := a.index(ctx)
		if err != nil {
			h.err = err
			return nil, err
		}
		if out := a.match(b, ix); out != nil {
			a.done(t0, out.Len())
			return out, nil
		}
	}
}

// index returns the index of the table the probe rows are joined with.
func (a *asofJoin) index(ctx context.Context) (*asofIndex, error) {
	jt := a.h.jt
	if jb := a.h.jb; jt == jb.jt {
		a.sh.once.Do(func() { a.sh.idx, a.sh.err = newAsofIndex(ctx, jt, a.spec.BuildCol, jb.threads, jb.acc) })
		return a.sh.idx, a.sh.err
	}
	if a.local == nil || a.local.jt != jt {
		// A spilled partition's table: loadPartition reserved the index.
		ix, err := newAsofIndex(ctx, jt, a.spec.BuildCol, 1, nil)
		if err != nil {
			return nil, err
		}
		a.local = ix
	}
	return a.local, nil
}

// match pairs the live rows of b with their nearest build rows.
func (a *asofJoin) match(b *coldata.Batch, ix *asofIndex) *coldata.Batch {
	h := a.h
	n := b.Len()
	denseCols(b, h.probeKeys, h.keyDense, h.keyScratch)
	a.gids = coldata.Grow(a.gids, n)
	gids := a.gids[:n]
	if ix.jt.nrows == 0 {
		for k := range gids {
			gids[k] = -1
		}
	} else {
		ix.jt.find(h.keyDense, n, gids, &h.sc, &h.ps)
	}
	a.pi, a.bi = a.pi[:0], a.bi[:0]
	v := b.Vecs[a.spec.ProbeCol]
	for k, g := range gids {
		p := int32(selRow(b.Sel, k))
		r := int32(-1)
		if g >= 0 && (v.Nulls == nil || !v.Nulls[p]) {
			from, to := ix.jt.start[g], ix.ends[g]
			var i int
			switch v.Type.ID {
			case coldata.Int32, coldata.Date:
				i = nearest(ix.vals.I32[from:to], v.I32[p], a.spec.Op)
			case coldata.Int64, coldata.Decimal, coldata.Timestamp:
				i = nearest(ix.vals.I64[from:to], v.I64[p], a.spec.Op)
			case coldata.Float64:
				i = nearest(ix.vals.F64[from:to], v.F64[p], a.spec.Op)
			case coldata.String:
				i = nearest(ix.vals.Str[from:to], v.Str[p], a.spec.Op)
			}
			if i >= 0 {
				r = ix.order[int(from)+i]
			}
		}
		if r >= 0 || a.spec.Outer {
			a.pi = append(a.pi, p)
			a.bi = append(a.bi, r)
		}
	}
	if len(a.pi) == 0 {
		return nil
	}
	np := len(b.Vecs)
	if cap(a.out.Vecs) < np+len(a.buildVs) {
		a.out.Vecs = make([]*coldata.Vec, np+len(a.buildVs))
	}
	a.out.Vecs = a.out.Vecs[:np+len(a.buildVs)]
	copy(a.out.Vecs, b.Vecs)
	for c, bv := range a.buildVs {
		bv.Resize(b.N)
		gatherInto(bv, ix.jt.cols[c], a.pi, a.bi)
		a.out.Vecs[np+c] = bv
	}
	a.out.N, a.out.Sel = b.N, a.pi
	return &a.out
}

// OpStats adds the wrapped probe's partition tables.
func (a *asofJoin) OpStats() OpStats {
	st := a.st
	st.PeakBytes = a.h.OpStats().PeakBytes
	return st
}

func (a *asofJoin) Close() error {
	if a.closed {
		return nil
	}
	a.closed = true
	a.out = coldata.Batch{}
	return a.h.Close()
}
