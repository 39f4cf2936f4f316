package kernel

import (
	"math"
	"math/bits"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// intMathNode is sign, trunc (with or without digits), factorial and
// bit_count: functions whose loops depend on the physical type of the
// argument (integers, DECIMAL's scaled int64, DOUBLE, HUGEINT).
type intMathNode struct {
	op   expr.Op
	args []node
	vs   []*coldata.Vec
	in   coldata.Type
	t    coldata.Type
	res  result
}

func compileIntMath(e *expr.Func, args []node) (node, error) {
	if len(args) == 0 || len(args) > 2 || (len(args) == 2) != (e.Op == expr.OpTruncDigits) {
		return nil, errorf("%s takes %d arguments", e.Op, len(args))
	}
	for _, a := range args {
		if isNullConst(a) || a.typ().ID == coldata.Unknown {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
	}
	in := args[0].typ()
	ok := false
	switch e.Op {
	case expr.OpSign:
		ok = (in.ID == coldata.Int64 || in.ID == coldata.Float64) && e.Typ.ID == coldata.Int32
	case expr.OpTrunc:
		ok = in.ID == coldata.Float64 && e.Typ == in ||
			in.ID == coldata.Decimal && e.Typ == coldata.DecimalType(int(in.Precision), 0)
	case expr.OpTruncDigits:
		ok = e.Typ == in && args[1].typ().ID == coldata.Int64 &&
			(in.ID == coldata.Float64 || in.ID == coldata.Int32 || in.ID == coldata.Int64 || in.ID == coldata.Decimal ||
				in.ID == coldata.Hugeint)
	case expr.OpFactorial:
		ok = in.ID == coldata.Int32 && e.Typ.ID == coldata.Hugeint
	case expr.OpBitCount:
		ok = (in.ID == coldata.Int32 || in.ID == coldata.Int64 || in.ID == coldata.Hugeint) && e.Typ.ID == coldata.Int32
	}
	if !ok {
		return nil, errorf("%s(%s) -> %s is not supported", e.Op, in, e.Typ)
	}
	return fold(&intMathNode{op: e.Op, args: args, in: in, t: e.Typ}, args...), nil
}

func (n *intMathNode) typ() coldata.Type { return n.t }

func (n *intMathNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(n.t, rows)
	var d *coldata.Vec
	if len(vs) == 2 {
		d = vs[1]
	}
	n.res.shareNulls(sel, rows, vs[0], d)
	x := vs[0]
	switch n.op {
	case expr.OpSign:
		if n.in.ID == coldata.Int64 {
			for k := 0; k < liveLen(sel, rows); k++ {
				i := rowAt(sel, k)
				v := x.I64[i]
				out.I32[i] = int32(v>>63) | int32(uint64(-v)>>63)
			}
			return out, nil
		}
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			switch v := x.F64[i]; {
			case v > 0:
				out.I32[i] = 1
			case v < 0:
				out.I32[i] = -1
			default:
				out.I32[i] = 0 // zero and NaN
			}
		}
	case expr.OpTrunc:
		if n.in.ID == coldata.Float64 {
			mapFloats(out.F64, x.F64, sel, rows, math.Trunc)
			return out, nil
		}
		p := pow10i(int(n.in.Scale))
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			out.I64[i] = x.I64[i] / p
		}
	case expr.OpTruncDigits:
		n.truncDigits(out, x, d, sel, rows)
	case expr.OpFactorial:
		return out, factorials(out.I128, x.I32, x.Nulls, sel, rows)
	case expr.OpBitCount:
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			switch n.in.ID {
			case coldata.Int32:
				out.I32[i] = int32(bits.OnesCount32(uint32(x.I32[i])))
			case coldata.Int64:
				out.I32[i] = int32(bits.OnesCount64(uint64(x.I64[i])))
			default:
				h := x.I128[i]
				out.I32[i] = int32(bits.OnesCount64(h.Lo) + bits.OnesCount64(uint64(h.Hi)))
			}
		}
	}
	return out, nil
}

// truncDigits drops the digits after position d (d < 0: before the
// decimal point) towards zero, keeping the input's type; a DECIMAL keeps
// its scale here and the binder narrows it.
func (n *intMathNode) truncDigits(out, x, d *coldata.Vec, sel []int32, rows int) {
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		digits := d.I64[i]
		switch n.in.ID {
		case coldata.Float64:
			v := x.F64[i]
			out.F64[i] = v
			if digits >= 0 && digits < 308 {
				p := math.Pow(10, float64(digits))
				if r := math.Trunc(v*p) / p; !math.IsInf(r, 0) && r == r {
					out.F64[i] = r
				}
			} else if digits < 0 {
				p := math.Pow(10, float64(-digits))
				out.F64[i] = math.Trunc(v/p) * p
			}
		case coldata.Int32:
			out.I32[i] = int32(truncInt(int64(x.I32[i]), -digits))
		case coldata.Int64:
			out.I64[i] = truncInt(x.I64[i], -digits)
		case coldata.Decimal:
			out.I64[i] = truncInt(x.I64[i], int64(n.in.Scale)-digits)
		case coldata.Hugeint:
			out.I128[i] = truncInt128(x.I128[i], -digits)
		}
	}
}

// truncInt zeroes the drop lowest decimal digits of v.
func truncInt(v, drop int64) int64 {
	if drop <= 0 {
		return v
	}
	if drop > 18 {
		return 0
	}
	p := pow10i(int(drop))
	return v / p * p
}

// factorials computes n! as HUGEINT; DuckDB errors for a negative n and
// for a result past HUGEINT's range.
func factorials(out []coldata.Int128, x []int32, nulls []bool, sel []int32, rows int) error {
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if nulls != nil && nulls[i] {
			continue
		}
		v := x[i]
		if v < 0 {
			return rangeErrorf("factorial of a negative number is undefined")
		}
		r := coldata.Int128From(1)
		for f := int64(2); f <= int64(v); f++ {
			var ovf bool
			if r, ovf = r.Mul(coldata.Int128From(f)); ovf {
				return rangeErrorf("Value out of range")
			}
		}
		out[i] = r
	}
	return nil
}

// truncInt128 is truncInt for HUGEINT.
func truncInt128(v coldata.Int128, drop int64) coldata.Int128 {
	if drop <= 0 {
		return v
	}
	if drop > 38 {
		return coldata.Int128{}
	}
	p := coldata.Int128From(1)
	for ; drop > 0; drop-- {
		p, _ = p.Mul(coldata.Int128From(10))
	}
	q, _, _ := v.QuoRem(p)
	r, _ := q.Mul(p)
	return r
}
