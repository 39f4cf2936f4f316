package kernel

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// negInts negates; x & -x is negative only for the minimum value, the one
// input whose negation overflows.
func negInts[T signed](out, a []T, sel []int32, n int) bool {
	var o T
	if sel == nil {
		out, a = out[:n], a[:n]
		for i, x := range a {
			out[i] = -x
			o |= x & -x
		}
		return o < 0
	}
	for _, i := range sel {
		x := a[i]
		out[i] = -x
		o |= x & -x
	}
	return o < 0
}

// absInts takes absolute values; only the minimum value stays negative,
// which flags the overflow.
func absInts[T signed](out, a []T, sel []int32, n int) bool {
	var o T
	if sel == nil {
		out, a = out[:n], a[:n]
		for i, x := range a {
			y := x
			if x < 0 {
				y = -x
			}
			out[i] = y
			o |= y
		}
		return o < 0
	}
	for _, i := range sel {
		y := a[i]
		if y < 0 {
			y = -y
		}
		out[i] = y
		o |= y
	}
	return o < 0
}

func negFloats(out, a []float64, sel []int32, n int, abs bool) {
	if sel == nil {
		out, a = out[:n], a[:n]
		for i, x := range a {
			if abs {
				out[i] = math.Abs(x)
			} else {
				out[i] = -x
			}
		}
		return
	}
	for _, i := range sel {
		if abs {
			out[i] = math.Abs(a[i])
		} else {
			out[i] = -a[i]
		}
	}
}

// roundScaled rounds v to a multiple of 10^k (k >= 1), half away from zero;
// ok is false when the result does not fit in int64 (callers check their
// own narrower ranges).
func roundScaled(v int64, k int64) (int64, bool) {
	if k > 18 {
		// 10^19 is beyond int64: everything rounds to 0 or overflows.
		return 0, v > -5e18 && v < 5e18
	}
	p := coldata.Pow10[k]
	q, r := v/p, v%p
	if r >= (p+1)/2 {
		q++
	} else if -r >= (p+1)/2 {
		q--
	}
	res, ov := mul64(q, p)
	return res, ov == 0
}

// roundFloat is DuckDB's round(double, digits), including its fallbacks
// when the scaling overflows to Inf or NaN.
func roundFloat(x float64, digits int64, mod float64) float64 {
	if digits < 0 {
		r := math.Round(x/mod) * mod
		if math.IsInf(r, 0) || math.IsNaN(r) {
			return 0
		}
		return r
	}
	r := math.Round(x*mod) / mod
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return x
	}
	return r
}

func roundModifier(digits int64) float64 {
	if digits < 0 {
		return math.Pow(10, float64(-digits))
	}
	return math.Pow(10, float64(digits))
}

// mathNode is unary minus, abs and round.
type mathNode struct {
	op   expr.Op
	x    node
	dig  node // round's digits
	cdig *constNode
	t    coldata.Type
	p    phys
	res  result
}

func (c *compiler) compileMath(e *expr.Func, args []node) (node, error) {
	x := args[0]
	t := x.typ()
	if t.ID == coldata.Unknown || isNullConst(x) {
		return newConst(e.Typ, coldata.NullDatum), nil
	}
	if !t.IsNumeric() || e.Typ != t {
		return nil, errorf("%s needs a numeric argument of its result type, got %s -> %s", e.Op, t, e.Typ)
	}
	n := &mathNode{op: e.Op, x: x, t: t, p: physOf(t)}
	if e.Op == expr.OpRound && n.p == physI128 {
		return nil, errorf("round(HUGEINT) is not supported yet")
	}
	if e.Op == expr.OpRound {
		if len(args) == 1 {
			args = append(args, newConst(coldata.TypeInt64, coldata.Datum{}))
		}
		if args[1].typ().ID != coldata.Int64 && args[1].typ().ID != coldata.Int32 {
			return nil, errorf("round digits must be an integer, got %s", args[1].typ())
		}
		if isNullConst(args[1]) {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
		n.dig = args[1]
		n.cdig, _ = args[1].(*constNode)
		return fold(n, x, n.dig), nil
	}
	return fold(n, x), nil
}

func (n *mathNode) typ() coldata.Type { return n.t }

func (n *mathNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	xv, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	if n.op == expr.OpRound {
		return n.round(b, xv, sel)
	}
	out := n.res.reset(n.t, rows)
	n.res.shareNulls(sel, rows, xv, nil)
	ovf := false
	abs := n.op == expr.OpAbs
	switch n.p {
	case physI32:
		if abs {
			ovf = absInts(out.I32, xv.I32, sel, rows)
		} else {
			ovf = negInts(out.I32, xv.I32, sel, rows)
		}
	case physI64:
		if abs {
			ovf = absInts(out.I64, xv.I64, sel, rows)
		} else {
			ovf = negInts(out.I64, xv.I64, sel, rows)
		}
	case physF64:
		negFloats(out.F64, xv.F64, sel, rows, abs)
	case physI128:
		if i, ok := negI128(abs, out.I128, xv.I128, xv.Nulls, sel, rows); !ok {
			if abs {
				return nil, rangeErrorf("Overflow on abs(%s)", xv.I128[i])
			}
			return nil, rangeErrorf("Overflow in negation of numeric value!")
		}
	}
	if ovf {
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			if d := xv.Get(i); !d.Null && (d.I == math.MinInt64 || n.p == physI32 && d.I == math.MinInt32) {
				if abs {
					return nil, rangeErrorf("Overflow on abs(%d)", d.I)
				}
				return nil, rangeErrorf("Overflow in negation of numeric value!")
			}
		}
	}
	return out, nil
}

// round rounds to digits places; decimals keep their scale, integers only
// change for negative digits.
func (n *mathNode) round(b *coldata.Batch, xv *coldata.Vec, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	dv, err := n.dig.eval(b, sel)
	if err != nil {
		return nil, err
	}
	out := n.res.reset(n.t, rows)
	n.res.shareNulls(sel, rows, xv, dv)
	if n.p == physF64 {
		var mod float64
		if n.cdig != nil {
			mod = roundModifier(n.cdig.d.I)
		}
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			d := intAt(dv, i)
			m := mod
			if n.cdig == nil {
				m = roundModifier(d)
			}
			out.F64[i] = roundFloat(xv.F64[i], d, m)
		}
		return out, nil
	}
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		var v int64
		if n.p == physI32 {
			v = int64(xv.I32[i])
		} else {
			v = xv.I64[i]
		}
		// Decimal places to round away; beyond ±40 every value rounds to
		// itself or to 0, and clamping keeps the subtraction from overflowing.
		drop := int64(n.t.Scale) - min(max(intAt(dv, i), -40), 40)
		if drop > 0 {
			r, ok := roundScaled(v, drop)
			// A decimal may carry past 18 digits here (99999999999999999.9
			// to 100000000000000000.0): the binder's cast to the rounded
			// scale that follows checks the final value, as in DuckDB.
			if n.t.ID == coldata.Int32 {
				ok = ok && r >= math.MinInt32 && r <= math.MaxInt32
			}
			if !ok && !(xv.Nulls != nil && xv.Nulls[i]) && !(dv.Nulls != nil && dv.Nulls[i]) {
				return nil, rangeErrorf("Overflow in round(%s, %d)", coldata.Format(n.t, coldata.Datum{I: v}), intAt(dv, i))
			}
			v = r
		}
		if n.p == physI32 {
			out.I32[i] = int32(v)
		} else {
			out.I64[i] = v
		}
	}
	return out, nil
}

// rowAt is the k-th live row.
func rowAt(sel []int32, k int) int {
	if sel == nil {
		return k
	}
	return int(sel[k])
}
