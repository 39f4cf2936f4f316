package exec

import (
	"errors"
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// distinctAgg computes COUNT, SUM and AVG (DISTINCT) over every row's
// frame with a multiset of the frame's values whose ends move from row to
// row (MIN and MAX ignore DISTINCT and never come here).
func (e *winEval) distinctAgg(c *planner.PhysWindowCall, val, out *coldata.Vec) error {
	switch val.Type.ID {
	case coldata.Int32, coldata.Date:
		return slideDistinct(e, c, val, out, func(i int) int64 { return int64(val.I32[i]) })
	case coldata.Int64, coldata.Decimal, coldata.Timestamp:
		return slideDistinct(e, c, val, out, func(i int) int64 { return val.I64[i] })
	case coldata.Float64:
		return slideDistinct(e, c, val, out, func(i int) float64 {
			f := val.F64[i]
			if f == 0 {
				return 0 // -0 and +0 are one value
			}
			if f != f {
				return math.NaN()
			}
			return f
		})
	case coldata.String:
		return slideDistinct(e, c, val, out, func(i int) string { return val.Str[i] })
	case coldata.Hugeint:
		return slideDistinct(e, c, val, out, func(i int) coldata.Int128 { return val.I128[i] })
	case coldata.Bool:
		return slideDistinct(e, c, val, out, func(i int) bool { return val.B[i] })
	}
	return errors.New("Not implemented Error: DISTINCT window aggregates over " + val.Type.String() + " are not supported")
}

// distinctSet is the multiset of a frame's values with the running sum of
// its distinct ones.
type distinctSet[K comparable] struct {
	m        map[K]int32
	distinct int64
	sumI     coldata.Int128
	sumF     float64
	key      func(i int) K
	val      *coldata.Vec
	sum      bool
}

func (d *distinctSet[K]) add(i int, sign int32) {
	if d.val.IsNull(i) {
		return
	}
	k := d.key(i)
	c := d.m[k] + sign
	if c == 0 {
		delete(d.m, k)
	} else {
		d.m[k] = c
	}
	if c == 0 && sign < 0 || c == 1 && sign > 0 {
		d.distinct += int64(sign)
		if d.sum {
			d.addSum(i, sign)
		}
	}
}

func (d *distinctSet[K]) addSum(i int, sign int32) {
	var x coldata.Int128
	switch d.val.Type.ID {
	case coldata.Float64:
		d.sumF += float64(sign) * d.val.F64[i]
		return
	case coldata.Int32:
		x = coldata.Int128From(int64(d.val.I32[i]))
	case coldata.Int64, coldata.Decimal:
		x = coldata.Int128From(d.val.I64[i])
	case coldata.Hugeint:
		x = d.val.I128[i]
	}
	if sign < 0 {
		d.sumI, _ = d.sumI.Sub(x)
	} else {
		d.sumI, _ = d.sumI.Add(x)
	}
}

func slideDistinct[K comparable](e *winEval, c *planner.PhysWindowCall, val, out *coldata.Vec, key func(i int) K) error {
	d := &distinctSet[K]{m: map[K]int32{}, key: key, val: val, sum: c.Agg != planner.AggCount}
	if d.sum && !val.Type.IsNumeric() {
		return errors.New("window: cannot sum " + val.Type.String())
	}
	lo, hi := int32(0), int32(0)
	var rs []int32
	for i := 0; i < e.n; i++ {
		s, t := e.fs[i], max(e.fe[i], e.fs[i])
		if s >= hi || t <= lo {
			for ; lo < hi; lo++ {
				d.add(int(lo), -1)
			}
			lo, hi = s, s
		}
		for ; lo < s; lo++ {
			d.add(int(lo), -1)
		}
		for lo > s {
			lo--
			d.add(int(lo), 1)
		}
		for ; hi < t; hi++ {
			d.add(int(hi), 1)
		}
		for hi > t {
			hi--
			d.add(int(hi), -1)
		}
		// EXCLUDE: take the excluded rows out for this row only.
		rs = e.pieces(rs[:0], c.Frame.Exclude, int32(i), s, t)
		gaps := excludedRanges(rs, s, t)
		for p := 0; p < len(gaps); p += 2 {
			for r := gaps[p]; r < gaps[p+1]; r++ {
				d.add(int(r), -1)
			}
		}
		d.emit(c, out, i)
		for p := 0; p < len(gaps); p += 2 {
			for r := gaps[p]; r < gaps[p+1]; r++ {
				d.add(int(r), 1)
			}
		}
	}
	return nil
}

// excludedRanges are the parts of [s,t) outside the pieces rs.
func excludedRanges(rs []int32, s, t int32) []int32 {
	var out []int32
	at := s
	for p := 0; p < len(rs); p += 2 {
		if rs[p] > at {
			out = append(out, at, rs[p])
		}
		at = rs[p+1]
	}
	if at < t {
		out = append(out, at, t)
	}
	return out
}

func (d *distinctSet[K]) emit(c *planner.PhysWindowCall, out *coldata.Vec, i int) {
	switch {
	case c.Agg == planner.AggCount:
		out.I64[i] = d.distinct
	case d.distinct == 0:
		out.SetNull(i)
	case c.Agg == planner.AggAvg:
		f := d.sumF
		if d.val.Type.ID != coldata.Float64 {
			f = d.sumI.Float64() / math.Pow10(int(d.val.Type.Scale))
		}
		out.F64[i] = f / float64(d.distinct)
	case out.Type.ID == coldata.Float64:
		out.F64[i] = d.sumF
	case out.Type.ID == coldata.Hugeint:
		out.I128[i] = d.sumI
	default:
		out.I64[i] = d.sumI.Int64()
	}
}
