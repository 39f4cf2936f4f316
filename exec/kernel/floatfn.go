package kernel

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// floatFnNode is a one-argument math function over DOUBLE (sqrt, cbrt,
// exp, ln, log10, log2, ceil, floor) or, for ceil and floor, DECIMAL. A
// domain error is DuckDB's Out of Range error for the first live row.
type floatFnNode struct {
	op  expr.Op
	x   node
	t   coldata.Type
	in  coldata.Type
	res result
}

func (c *compiler) compileFloatFn(e *expr.Func, args []node) (node, error) {
	if len(args) != 1 {
		return nil, errorf("%s takes 1 argument, got %d", e.Op, len(args))
	}
	x := args[0]
	t := x.typ()
	if t.ID == coldata.Unknown || isNullConst(x) {
		return newConst(e.Typ, coldata.NullDatum), nil
	}
	rounding := e.Op == expr.OpCeil || e.Op == expr.OpFloor || e.Op == expr.OpTrunc
	switch {
	case t.ID == coldata.Float64 && e.Typ.ID == coldata.Float64:
	case rounding && t.ID == coldata.Decimal && e.Typ == coldata.DecimalType(int(t.Precision), 0):
	default:
		return nil, errorf("%s(%s) -> %s is not supported", e.Op, t, e.Typ)
	}
	return fold(&floatFnNode{op: e.Op, x: x, t: e.Typ, in: t}, x), nil
}

func (n *floatFnNode) typ() coldata.Type { return n.t }

func (n *floatFnNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	xv, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(n.t, rows)
	n.res.shareNulls(sel, rows, xv, nil)
	if n.in.ID == coldata.Decimal {
		if n.op == expr.OpTrunc {
			truncDecimal(out.I64, xv.I64, sel, rows, pow10i(int(n.in.Scale)))
			return out, nil
		}
		roundDecimal(out.I64, xv.I64, sel, rows, pow10i(int(n.in.Scale)), n.op == expr.OpCeil)
		return out, nil
	}
	x, y := xv.F64, out.F64
	switch n.op {
	case expr.OpSqrt:
		mapFloats(y, x, sel, rows, math.Sqrt)
	case expr.OpCbrt:
		mapFloats(y, x, sel, rows, math.Cbrt)
	case expr.OpExp:
		mapFloats(y, x, sel, rows, math.Exp)
	case expr.OpLn:
		mapFloats(y, x, sel, rows, math.Log)
	case expr.OpLog10:
		mapFloats(y, x, sel, rows, math.Log10)
	case expr.OpLog2:
		mapFloats(y, x, sel, rows, math.Log2)
	case expr.OpCeil:
		mapFloats(y, x, sel, rows, math.Ceil)
	case expr.OpFloor:
		mapFloats(y, x, sel, rows, math.Floor)
	case expr.OpTrunc:
		mapFloats(y, x, sel, rows, math.Trunc)
	}
	switch n.op {
	case expr.OpSqrt, expr.OpLn, expr.OpLog10, expr.OpLog2:
		// The domain check runs after the loop, on live non-NULL rows only.
		if neg, zero := domain(x, xv.Nulls, sel, rows); neg && n.op == expr.OpSqrt {
			return nil, rangeErrorf("cannot take square root of a negative number")
		} else if n.op != expr.OpSqrt && zero {
			return nil, rangeErrorf("cannot take logarithm of zero")
		} else if n.op != expr.OpSqrt && neg {
			return nil, rangeErrorf("cannot take logarithm of a negative number")
		}
	}
	return out, nil
}

// mapFloats applies f to the live rows. It is inlined at each call site,
// so f is a direct call (or an intrinsic such as sqrt), not a func value.
func mapFloats(out, x []float64, sel []int32, n int, f func(float64) float64) {
	if sel == nil {
		out, x = out[:n], x[:n]
		for i, v := range x {
			out[i] = f(v)
		}
		return
	}
	for _, i := range sel {
		out[i] = f(x[i])
	}
}

// domain reports whether a live non-NULL row is negative, or zero.
func domain(x []float64, nulls []bool, sel []int32, n int) (neg, zero bool) {
	for k := 0; k < liveLen(sel, n); k++ {
		i := rowAt(sel, k)
		if v := x[i]; v <= 0 && (nulls == nil || !nulls[i]) {
			neg = neg || v < 0
			zero = zero || v == 0
		}
	}
	return neg, zero
}

// roundDecimal rounds scaled decimals up (ceil) or down to whole units,
// giving unscaled values.
func roundDecimal(out, x []int64, sel []int32, n int, p int64, up bool) {
	for k := 0; k < liveLen(sel, n); k++ {
		i := rowAt(sel, k)
		v := x[i]
		q, r := v/p, v%p
		if up && r > 0 {
			q++
		} else if !up && r < 0 {
			q--
		}
		out[i] = q
	}
}

// truncDecimal drops the fraction of scaled decimals (toward zero).
func truncDecimal(out, x []int64, sel []int32, n int, p int64) {
	for k := 0; k < liveLen(sel, n); k++ {
		i := rowAt(sel, k)
		out[i] = x[i] / p
	}
}

func pow10i(s int) int64 {
	p := int64(1)
	for ; s > 0; s-- {
		p *= 10
	}
	return p
}
