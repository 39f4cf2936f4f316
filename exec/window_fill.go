package exec

import (
	"errors"
	"math"
	"slices"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// fill evaluates DuckDB's fill(x) OVER (ORDER BY k): a NULL x becomes the
// linear interpolation, by k, of the nearest non-NULL values before and
// after it; before the first or after the last it extrapolates the nearest
// two, and a single non-NULL value is copied. Rows whose k is NULL take no
// part and keep their own value. With fill(x ORDER BY k) the key and the
// order neighbours are found in are the argument's, not the window's.
func (e *winEval) fill(c *planner.PhysWindowCall, out *coldata.Vec) error {
	n := e.n
	val := e.cols[c.Args[0]]
	var key *coldata.Vec
	var perm []int32 // the rows in key order; nil: the window's order
	if len(c.ArgOrder) == 1 {
		o := c.ArgOrder[0]
		key = e.cols[o.Col]
		perm = make([]int32, n)
		for i := range perm {
			perm[i] = int32(i)
		}
		cmp := keyComparator(key, SortKey{Col: o.Col, Desc: o.Desc, NullsFirst: o.NullsFirst})
		slices.SortStableFunc(perm, cmp)
	} else {
		if len(e.order) != 1 {
			return errors.New("Binder Error: FILL functions must have only one ORDER BY expression")
		}
		key = e.cols[e.order[0].Col]
	}
	row := func(p int) int {
		if perm == nil {
			return p
		}
		return int(perm[p])
	}
	// known lists the positions (in key order) of the rows with a
	// non-NULL, finite value and key (infinities and NaN would make every
	// interpolation next to them infinite or NaN).
	known := e.idx[:0]
	for p := 0; p < n; p++ {
		if i := row(p); !val.IsNull(i) && !key.IsNull(i) && finite(fillNum(val, i)) && finite(fillNum(key, i)) {
			known = append(known, int32(p))
		}
	}
	e.idx = known
	next := 0 // index in known of the first known position after p
	for p := 0; p < n; p++ {
		i := row(p)
		for next < len(known) && int(known[next]) <= p {
			next++
		}
		if !val.IsNull(i) {
			copyRow(out, i, val, i)
			continue
		}
		if key.IsNull(i) || len(known) == 0 {
			out.SetNull(i)
			continue
		}
		var pa, pb int32 // the positions of the two rows to interpolate between
		switch {
		case len(known) == 1:
			copyRow(out, i, val, row(int(known[0])))
			continue
		case next == 0:
			pa, pb = known[0], known[1]
		case next == len(known):
			pa, pb = known[next-2], known[next-1]
		default:
			pa, pb = known[next-1], known[next]
		}
		a, b := row(int(pa)), row(int(pb))
		ka, kb, k := fillNum(key, a), fillNum(key, b), fillNum(key, i)
		va, vb := fillNum(val, a), fillNum(val, b)
		v := va
		if kb != ka {
			v = va + (vb-va)*(k-ka)/(kb-ka)
		}
		setFillNum(out, i, v)
	}
	return nil
}

// fillNum reads a numeric or temporal value as a float64.
func fillNum(v *coldata.Vec, i int) float64 {
	switch v.Type.ID {
	case coldata.Int32, coldata.Date:
		return float64(v.I32[i])
	case coldata.Int64, coldata.Timestamp, coldata.Decimal:
		return float64(v.I64[i])
	case coldata.Float64:
		return v.F64[i]
	case coldata.Hugeint:
		return v.I128[i].Float64()
	}
	return math.NaN()
}

// setFillNum stores an interpolated value, rounded for integral types.
func setFillNum(v *coldata.Vec, i int, f float64) {
	switch v.Type.ID {
	case coldata.Int32, coldata.Date:
		v.I32[i] = int32(math.Round(f))
	case coldata.Int64, coldata.Timestamp, coldata.Decimal:
		v.I64[i] = int64(math.Round(f))
	case coldata.Float64:
		v.F64[i] = f
	case coldata.Hugeint:
		v.I128[i], _ = coldata.Int128FromFloat64(math.Round(f))
	}
}

func finite(f float64) bool { return !math.IsInf(f, 0) && !math.IsNaN(f) }
