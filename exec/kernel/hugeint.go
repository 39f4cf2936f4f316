package kernel

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// HUGEINT kernels: 128-bit values (coldata.Int128) in Vec.I128. They loop
// over typed slices like the others; each row's operation is a handful of
// 64-bit instructions (math/bits) and reports overflow instead of
// wrapping. DuckDB names the type INT128 in its messages.

// arithI128 computes + - * // % for the live rows. A zero divisor gives
// NULL (marked in nulls); bad reports the first live row that overflowed.
func arithI128(op expr.Op, out, a, b []coldata.Int128, nulls []bool, sel []int32, n int) (bad int, ok bool) {
	for k := 0; k < liveLen(sel, n); k++ {
		i := rowAt(sel, k)
		if nulls != nil && nulls[i] {
			continue
		}
		x, y := a[i], b[i]
		var r coldata.Int128
		var ovf bool
		switch op {
		case expr.OpAdd:
			r, ovf = x.Add(y)
		case expr.OpSub:
			r, ovf = x.Sub(y)
		case expr.OpMul:
			r, ovf = x.Mul(y)
		case expr.OpIntDiv, expr.OpMod:
			if y == (coldata.Int128{}) {
				nulls[i] = true
				continue
			}
			var rem coldata.Int128
			r, rem, ovf = x.QuoRem(y)
			if op == expr.OpMod {
				r = rem
			}
		}
		if ovf {
			return i, false
		}
		out[i] = r
	}
	return 0, true
}

// i128ArithError is DuckDB's message for an overflowing HUGEINT operation.
func i128ArithError(op expr.Op, x, y coldata.Int128) error {
	if op == expr.OpIntDiv || op == expr.OpMod {
		return rangeErrorf("Overflow in division of %s / %s", x, y)
	}
	return rangeErrorf("Overflow in %s of INT128 (%s %s %s)!", opWords[op], x, op, y)
}

// negI128 is unary minus or abs; bad is the first live row whose result
// does not fit (the minimum).
func negI128(abs bool, out, a []coldata.Int128, nulls []bool, sel []int32, n int) (bad int, ok bool) {
	for k := 0; k < liveLen(sel, n); k++ {
		i := rowAt(sel, k)
		x := a[i]
		if abs && x.Hi >= 0 {
			out[i] = x
			continue
		}
		r, ovf := x.Neg()
		if ovf && !(nulls != nil && nulls[i]) {
			return i, false
		}
		out[i] = r
	}
	return 0, true
}

// cmpResult turns a three-way comparison into op's answer.
func cmpResult(op expr.Op, c int) bool {
	switch op {
	case expr.OpEq:
		return c == 0
	case expr.OpNe:
		return c != 0
	case expr.OpLt:
		return c < 0
	case expr.OpLe:
		return c <= 0
	case expr.OpGt:
		return c > 0
	}
	return c >= 0
}

// cmpI128 compares a with b (or with the constant c when b is nil).
func cmpI128(op expr.Op, out []bool, a, b []coldata.Int128, c coldata.Int128, sel []int32, n int) {
	for k := 0; k < liveLen(sel, n); k++ {
		i := rowAt(sel, k)
		y := c
		if b != nil {
			y = b[i]
		}
		out[i] = cmpResult(op, a[i].Cmp(y))
	}
}

// selI128 is cmpI128 as a selector.
func selI128(op expr.Op, a, b []coldata.Int128, c coldata.Int128, sel []int32, n int, dst []int32) int {
	m := 0
	for k := 0; k < liveLen(sel, n); k++ {
		i := rowAt(sel, k)
		y := c
		if b != nil {
			y = b[i]
		}
		if cmpResult(op, a[i].Cmp(y)) {
			dst[m] = int32(i)
			m++
		}
	}
	return m
}

// castToI128 converts the live rows of v (BOOLEAN, the integers, DOUBLE,
// DECIMAL) to HUGEINT; DOUBLE rounds half to even and decimals half away
// from zero, as DuckDB does.
func castToI128(out []coldata.Int128, v *coldata.Vec, sel []int32, n int) (bad int, ok bool) {
	for k := 0; k < liveLen(sel, n); k++ {
		i := rowAt(sel, k)
		switch v.Type.ID {
		case coldata.Bool:
			out[i] = coldata.Int128From(int64(b2i(v.B[i])))
		case coldata.Int32:
			out[i] = coldata.Int128From(int64(v.I32[i]))
		case coldata.Int64:
			out[i] = coldata.Int128From(v.I64[i])
		case coldata.Decimal:
			r, _ := roundTo(v.I64[i], int64(v.Type.Scale))
			out[i] = coldata.Int128From(r)
		case coldata.Float64:
			r, fits := coldata.Int128FromFloat64(math.RoundToEven(v.F64[i]))
			if !fits && !v.IsNull(i) {
				return i, false
			}
			out[i] = r
		}
	}
	return 0, true
}

// castFromI128 converts the live rows of HUGEINT a to to's type.
func castFromI128(out *coldata.Vec, a []coldata.Int128, nulls []bool, to coldata.Type, sel []int32, n int) (bad int, ok bool) {
	for k := 0; k < liveLen(sel, n); k++ {
		i := rowAt(sel, k)
		x := a[i]
		fits := true
		switch to.ID {
		case coldata.Bool:
			out.B[i] = x != (coldata.Int128{})
		case coldata.Float64:
			out.F64[i] = x.Float64()
		case coldata.Int32:
			v := x.Int64()
			fits = x.IsInt64() && v >= math.MinInt32 && v <= math.MaxInt32
			out.I32[i] = int32(v)
		case coldata.Int64:
			fits = x.IsInt64()
			out.I64[i] = x.Int64()
		case coldata.Decimal:
			lim := decimalLimit(to) / coldata.Pow10[to.Scale]
			v := x.Int64()
			fits = x.IsInt64() && v >= -lim && v <= lim
			out.I64[i] = v * coldata.Pow10[to.Scale]
		}
		if !fits && !(nulls != nil && nulls[i]) {
			return i, false
		}
	}
	return 0, true
}

// parseI128 reads a string as DuckDB's string-to-integer cast does: an
// optional sign, digits, and a fraction that rounds half away from zero.
func parseI128(s string) (coldata.Int128, bool) {
	s = trimSpace(s)
	intPart, frac := s, ""
	for j := 0; j < len(s); j++ {
		if s[j] == '.' {
			intPart, frac = s[:j], s[j+1:]
			break
		}
	}
	for j := 0; j < len(frac); j++ {
		if frac[j] < '0' || frac[j] > '9' {
			return coldata.Int128{}, false
		}
	}
	if intPart == "" || intPart == "-" || intPart == "+" {
		if frac == "" {
			return coldata.Int128{}, false
		}
		intPart += "0"
	}
	v, ok := coldata.ParseInt128(intPart)
	if !ok || frac == "" || frac[0] < '5' {
		return v, ok
	}
	step := coldata.Int128From(1)
	if intPart[0] == '-' {
		step = coldata.Int128From(-1)
	}
	r, ovf := v.Add(step)
	return r, !ovf
}
