package exec

import (
	"context"
	"io"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// NewDistinctOn passes the first row of each run of consecutive rows with
// equal key columns (NULLs equal). Over input sorted by the keys and then
// by an ORDER BY, that is SELECT DISTINCT ON's row per key: the planner
// puts a sort, which spills, below it, so the operator itself holds only
// the last row's keys.
func NewDistinctOn(child Operator, keys []int) Operator {
	return &distinctOnOp{child: child, keys: keys}
}

type distinctOnOp struct {
	opStats
	child Operator
	keys  []int
	prev  []coldata.Datum // the keys of the last row seen; nil before the first
	idx   []int32         // physical positions of the batch's live rows
	fresh []bool          // per live row: it starts a run
	sel   []int32
	out   coldata.Batch
}

func (d *distinctOnOp) Types() []coldata.Type { return d.child.Types() }

func (d *distinctOnOp) Open(ctx context.Context) error { return d.child.Open(ctx) }

func (d *distinctOnOp) Next(ctx context.Context) (*coldata.Batch, error) {
	t0 := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := d.child.Next(ctx)
		if err != nil {
			if err == io.EOF {
				d.done(t0, 0)
			}
			return nil, err
		}
		n := b.Len()
		if n == 0 {
			continue
		}
		d.idx = d.idx[:0]
		for k := 0; k < n; k++ {
			if b.Sel != nil {
				d.idx = append(d.idx, b.Sel[k])
			} else {
				d.idx = append(d.idx, int32(k))
			}
		}
		if cap(d.fresh) < n {
			d.fresh = make([]bool, n)
		}
		d.fresh = d.fresh[:n]
		clear(d.fresh)
		d.fresh[0] = d.prev == nil
		for ki, c := range d.keys {
			v := b.Vecs[c]
			if d.prev != nil && !d.fresh[0] && !sameKey(v.Type, d.prev[ki], v.Get(int(d.idx[0]))) {
				d.fresh[0] = true
			}
			markRuns(v, d.idx, d.fresh)
		}
		d.sel = d.sel[:0]
		for k, f := range d.fresh {
			if f {
				d.sel = append(d.sel, d.idx[k])
			}
		}
		last := int(d.idx[n-1])
		d.prev = d.prev[:0]
		for _, c := range d.keys {
			d.prev = append(d.prev, b.Vecs[c].Get(last))
		}
		if len(d.sel) == 0 {
			continue
		}
		d.out = coldata.Batch{Vecs: b.Vecs, N: b.N, Sel: d.sel}
		d.done(t0, len(d.sel))
		return &d.out, nil
	}
}

// markRuns sets fresh[j] when live row j's value differs from row j-1's.
func markRuns(v *coldata.Vec, idx []int32, fresh []bool) {
	switch v.Type.ID {
	case coldata.Bool:
		runs(v.B, v.Nulls, idx, fresh)
	case coldata.Int32, coldata.Date:
		runs(v.I32, v.Nulls, idx, fresh)
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		runs(v.I64, v.Nulls, idx, fresh)
	case coldata.Float64:
		// NaNs are equal to each other as DISTINCT keys.
		f := v.F64
		for j := 1; j < len(idx); j++ {
			a, b := idx[j-1], idx[j]
			if v.Nulls != nil && (v.Nulls[a] || v.Nulls[b]) {
				if v.Nulls[a] != v.Nulls[b] {
					fresh[j] = true
				}
				continue
			}
			if f[a] != f[b] && (f[a] == f[a] || f[b] == f[b]) {
				fresh[j] = true
			}
		}
	case coldata.String:
		runs(v.Str, v.Nulls, idx, fresh)
	case coldata.Hugeint:
		runs(v.I128, v.Nulls, idx, fresh)
	default:
		// Nested and other values: compared as datums (the binder encodes
		// nested keys, so this is not a hot path).
		for j := 1; j < len(idx); j++ {
			if !fresh[j] && !sameKey(v.Type, v.Get(int(idx[j-1])), v.Get(int(idx[j]))) {
				fresh[j] = true
			}
		}
	}
}

// sameKey compares two key datums as DISTINCT does: NULLs equal, NaNs equal.
func sameKey(t coldata.Type, a, b coldata.Datum) bool {
	if a.Null || b.Null {
		return a.Null == b.Null
	}
	if t.ID == coldata.Float64 && a.F != b.F {
		return a.F != a.F && b.F != b.F
	}
	return coldata.Compare(t, a, b) == 0
}

func runs[T comparable](vals []T, nulls []bool, idx []int32, fresh []bool) {
	if nulls == nil {
		for j := 1; j < len(idx); j++ {
			if vals[idx[j-1]] != vals[idx[j]] {
				fresh[j] = true
			}
		}
		return
	}
	for j := 1; j < len(idx); j++ {
		a, b := idx[j-1], idx[j]
		if nulls[a] != nulls[b] || !nulls[a] && vals[a] != vals[b] {
			fresh[j] = true
		}
	}
}

func (d *distinctOnOp) Close() error {
	d.out = coldata.Batch{}
	return d.child.Close()
}
