package kernel

import (
	"fmt"
	"math"
	"strconv"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// compileScalarOp hands the operators of expr's scalar block (math,
// hashing/encoding, JSON) to the node implementing them.
func (c *compiler) compileScalarOp(e *expr.Func, args []node) (node, error) {
	switch e.Op {
	case expr.OpRandom, expr.OpSetSeed, expr.OpUUID:
		return compileVolatile(e, args)
	case expr.OpSHA1, expr.OpSHA256, expr.OpMD5Number, expr.OpHash, expr.OpToBase64, expr.OpFromBase64,
		expr.OpToHex, expr.OpFromHex, expr.OpToBinary, expr.OpFromBinary:
		return compileEncode(e, args)
	case expr.OpJSONExtract, expr.OpJSONExtractStr, expr.OpJSONArrayLength, expr.OpJSONType, expr.OpJSONValid,
		expr.OpJSONKeys, expr.OpJSONQuote, expr.OpJSONObject, expr.OpJSONArray, expr.OpJSONStructure,
		expr.OpJSONExists, expr.OpJSONValue:
		return compileJSON(e, args)
	case expr.OpSign, expr.OpTrunc, expr.OpTruncDigits, expr.OpFactorial, expr.OpBitCount:
		return compileIntMath(e, args)
	}
	return compileDoubleFn(e, args)
}

// doubleFnNode is a math function of DOUBLE arguments (the trigonometric
// and hyperbolic functions, degrees/radians, gamma, log(b, x), fmod, fdiv,
// nextafter, even, round_even) or a DOUBLE predicate (isnan, isinf,
// isfinite, signbit). Domain errors are checked after the loop, over the
// live non-NULL rows, and read like DuckDB's.
type doubleFnNode struct {
	op   expr.Op
	args []node
	vs   []*coldata.Vec
	t    coldata.Type
	res  result
}

func compileDoubleFn(e *expr.Func, args []node) (node, error) {
	want := 1
	switch e.Op {
	case expr.OpAtan2, expr.OpLogBase, expr.OpFmod, expr.OpFdiv, expr.OpNextAfter, expr.OpRoundEven:
		want = 2
	}
	if len(args) != want {
		return nil, errorf("%s takes %d arguments, got %d", e.Op, want, len(args))
	}
	for i, a := range args {
		if isNullConst(a) || a.typ().ID == coldata.Unknown {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
		wantT := coldata.TypeFloat64
		if e.Op == expr.OpRoundEven && i == 1 {
			wantT = coldata.TypeInt64
		}
		if a.typ() != wantT {
			return nil, errorf("%s needs %s argument %d, got %s", e.Op, wantT, i+1, a.typ())
		}
	}
	n := &doubleFnNode{op: e.Op, args: args, t: e.Typ}
	return fold(n, args...), nil
}

func (n *doubleFnNode) typ() coldata.Type { return n.t }

func (n *doubleFnNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(n.t, rows)
	var y *coldata.Vec
	if len(vs) == 2 {
		y = vs[1]
	}
	n.res.shareNulls(sel, rows, vs[0], y)
	x := vs[0].F64
	if n.t.ID == coldata.Bool {
		n.predicate(out.B, x, sel, rows)
		return out, nil
	}
	o := out.F64
	switch n.op {
	case expr.OpSin:
		mapFloats(o, x, sel, rows, math.Sin)
	case expr.OpCos:
		mapFloats(o, x, sel, rows, math.Cos)
	case expr.OpTan:
		mapFloats(o, x, sel, rows, math.Tan)
	case expr.OpCot:
		mapFloats(o, x, sel, rows, func(v float64) float64 { return 1 / math.Tan(v) })
	case expr.OpAsin:
		mapFloats(o, x, sel, rows, math.Asin)
	case expr.OpAcos:
		mapFloats(o, x, sel, rows, math.Acos)
	case expr.OpAtan:
		mapFloats(o, x, sel, rows, math.Atan)
	case expr.OpSinh:
		mapFloats(o, x, sel, rows, math.Sinh)
	case expr.OpCosh:
		mapFloats(o, x, sel, rows, math.Cosh)
	case expr.OpTanh:
		mapFloats(o, x, sel, rows, math.Tanh)
	case expr.OpAsinh:
		mapFloats(o, x, sel, rows, math.Asinh)
	case expr.OpAcosh:
		mapFloats(o, x, sel, rows, math.Acosh)
	case expr.OpAtanh:
		mapFloats(o, x, sel, rows, math.Atanh)
	case expr.OpDegrees:
		mapFloats(o, x, sel, rows, func(v float64) float64 { return v * (180 / math.Pi) })
	case expr.OpRadians:
		mapFloats(o, x, sel, rows, func(v float64) float64 { return v * (math.Pi / 180) })
	case expr.OpGamma:
		mapFloats(o, x, sel, rows, math.Gamma)
	case expr.OpLgamma:
		mapFloats(o, x, sel, rows, func(v float64) float64 { r, _ := math.Lgamma(v); return r })
	case expr.OpEven:
		mapFloats(o, x, sel, rows, even)
	default:
		n.binary(o, x, vs[1], sel, rows)
	}
	return out, n.check(vs, sel, rows)
}

func (n *doubleFnNode) binary(o, x []float64, yv *coldata.Vec, sel []int32, rows int) {
	if n.op == expr.OpRoundEven {
		d := yv.I64
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			o[i] = roundEven(x[i], d[i])
		}
		return
	}
	y := yv.F64
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		a, b := x[i], y[i]
		switch n.op {
		case expr.OpAtan2:
			o[i] = math.Atan2(a, b)
		case expr.OpLogBase:
			o[i] = math.Log(b) / math.Log(a)
		case expr.OpFmod:
			o[i] = a - b*math.Floor(a/b)
		case expr.OpFdiv:
			o[i] = math.Floor(a / b)
		case expr.OpNextAfter:
			o[i] = math.Nextafter(a, b)
		}
	}
}

func (n *doubleFnNode) predicate(o []bool, x []float64, sel []int32, rows int) {
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		v := x[i]
		switch n.op {
		case expr.OpIsNan:
			o[i] = v != v
		case expr.OpIsInf:
			o[i] = math.IsInf(v, 0)
		case expr.OpIsFinite:
			o[i] = !math.IsInf(v, 0) && v == v
		case expr.OpSignBit:
			o[i] = math.Signbit(v)
		}
	}
}

// check reports DuckDB's error for the first live non-NULL row outside the
// function's domain.
func (n *doubleFnNode) check(vs []*coldata.Vec, sel []int32, rows int) error {
	x, nulls := vs[0].F64, vs[0].Nulls
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if nulls != nil && nulls[i] || len(vs) == 2 && vs[1].Nulls != nil && vs[1].Nulls[i] {
			continue
		}
		v := x[i]
		switch n.op {
		case expr.OpSin, expr.OpCos, expr.OpTan:
			if math.IsInf(v, 0) {
				return rangeErrorf("input value %s is out of range for numeric function", cFloat(v))
			}
		case expr.OpCot:
			if v == 0 || math.IsInf(v, 0) {
				return rangeErrorf("input value %s is out of range for numeric function cotangent", cFloat(v))
			}
		case expr.OpAsin, expr.OpAcos, expr.OpAtanh:
			if v < -1 || v > 1 {
				return invalidInputf("%s is undefined outside [-1,1]", map[expr.Op]string{expr.OpAsin: "ASIN", expr.OpAcos: "ACOS", expr.OpAtanh: "ATANH"}[n.op])
			}
		case expr.OpGamma:
			if v == 0 {
				return rangeErrorf("cannot take gamma of zero")
			}
		case expr.OpLgamma:
			if v == 0 {
				return rangeErrorf("cannot take log gamma of zero")
			}
		case expr.OpLogBase:
			for _, w := range [2]float64{v, vs[1].F64[i]} {
				if w == 0 {
					return rangeErrorf("cannot take logarithm of zero")
				} else if w < 0 {
					return rangeErrorf("cannot take logarithm of a negative number")
				}
			}
		}
	}
	return nil
}

// cFloat prints a double as C's %f does (DuckDB's messages use it).
func cFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case v != v:
		return "nan"
	}
	return strconv.FormatFloat(v, 'f', 6, 64)
}

// even rounds away from zero to the next even integer.
func even(v float64) float64 {
	if v < 0 {
		return -even(-v)
	}
	r := math.Ceil(v)
	if math.Mod(r, 2) != 0 {
		r++
	}
	return r
}

// roundEven rounds to d decimal digits, halves to even.
func roundEven(v float64, d int64) float64 {
	if d < -308 || d > 308 {
		return v
	}
	p := math.Pow(10, float64(d))
	r := math.RoundToEven(v*p) / p
	if math.IsInf(r, 0) || r != r {
		return v
	}
	return r
}

var _ = fmt.Sprint
