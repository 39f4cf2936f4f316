package exec

import (
	"errors"
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// fill evaluates DuckDB's fill(x) OVER (ORDER BY k): a NULL x becomes the
// linear interpolation, by k, of the nearest non-NULL values before and
// after it; before the first or after the last it extrapolates the nearest
// two, and a single non-NULL value is copied. Rows whose k is NULL take no
// part and keep their own value.
func (e *winEval) fill(c *planner.PhysWindowCall, out *coldata.Vec) error {
	if len(e.order) != 1 {
		return errors.New("Binder Error: FILL functions must have only one ORDER BY expression")
	}
	val, key := e.cols[c.Args[0]], e.cols[e.order[0].Col]
	n := e.n
	// known lists the rows with a non-NULL value and key, in sort order.
	known := e.idx[:0]
	for i := 0; i < n; i++ {
		if !val.IsNull(i) && !key.IsNull(i) {
			known = append(known, int32(i))
		}
	}
	e.idx = known
	next := 0 // index in known of the first known row after i
	for i := 0; i < n; i++ {
		for next < len(known) && int(known[next]) <= i {
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
		var a, b int32 // the two rows to interpolate between
		switch {
		case len(known) == 1:
			copyRow(out, i, val, int(known[0]))
			continue
		case next == 0:
			a, b = known[0], known[1]
		case next == len(known):
			a, b = known[next-2], known[next-1]
		default:
			a, b = known[next-1], known[next]
		}
		ka, kb, k := fillNum(key, int(a)), fillNum(key, int(b)), fillNum(key, i)
		va, vb := fillNum(val, int(a)), fillNum(val, int(b))
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
