package coldata

import (
	"math"
	"math/big"
	"math/bits"
	"strings"
)

// Int128 is a two's-complement 128-bit integer: HUGEINT's value. Hi holds
// the sign and the upper bits. The methods are value-returning and
// allocation-free so that kernels can loop over []Int128 like any other
// typed slice; each arithmetic method reports overflow instead of wrapping.
type Int128 struct {
	Lo uint64
	Hi int64
}

var (
	// MaxInt128 is 2^127 - 1.
	MaxInt128 = Int128{Lo: math.MaxUint64, Hi: math.MaxInt64}
	// MinInt128 is -2^127.
	MinInt128 = Int128{Hi: math.MinInt64}
)

// Int128From widens an int64.
func Int128From(v int64) Int128 { return Int128{Lo: uint64(v), Hi: v >> 63} }

// IsInt64 reports whether x fits in an int64.
func (x Int128) IsInt64() bool { return x.Hi == int64(x.Lo)>>63 }

// Int64 returns the low 64 bits as an int64 (x's value when IsInt64).
func (x Int128) Int64() int64 { return int64(x.Lo) }

// Sign is -1, 0 or +1.
func (x Int128) Sign() int {
	switch {
	case x.Hi < 0:
		return -1
	case x.Hi == 0 && x.Lo == 0:
		return 0
	}
	return 1
}

// Cmp compares: -1, 0 or +1.
func (x Int128) Cmp(y Int128) int {
	switch {
	case x.Hi < y.Hi:
		return -1
	case x.Hi > y.Hi:
		return 1
	case x.Lo < y.Lo:
		return -1
	case x.Lo > y.Lo:
		return 1
	}
	return 0
}

// Less reports x < y.
func (x Int128) Less(y Int128) bool { return x.Hi < y.Hi || x.Hi == y.Hi && x.Lo < y.Lo }

// Add returns x+y and whether it overflowed.
func (x Int128) Add(y Int128) (Int128, bool) {
	lo, c := bits.Add64(x.Lo, y.Lo, 0)
	hi := x.Hi + y.Hi + int64(c)
	// Overflow when both operands have one sign and the result the other.
	return Int128{lo, hi}, (hi^x.Hi)&(hi^y.Hi) < 0
}

// Sub returns x-y and whether it overflowed.
func (x Int128) Sub(y Int128) (Int128, bool) {
	lo, b := bits.Sub64(x.Lo, y.Lo, 0)
	hi := x.Hi - y.Hi - int64(b)
	return Int128{lo, hi}, (x.Hi^y.Hi)&(x.Hi^hi) < 0
}

// Neg returns -x and whether it overflowed (only for the minimum).
func (x Int128) Neg() (Int128, bool) {
	r, _ := Int128{}.Sub(x)
	return r, x == MinInt128
}

// abs returns |x| as an unsigned pair (exact even for the minimum).
func (x Int128) abs() (hi, lo uint64) {
	if x.Hi >= 0 {
		return uint64(x.Hi), x.Lo
	}
	lo, b := bits.Sub64(0, x.Lo, 0)
	hi, _ = bits.Sub64(0, uint64(x.Hi), b)
	return hi, lo
}

// fromMagnitude makes ±(hi,lo); ok is false when it does not fit.
func fromMagnitude(neg bool, hi, lo uint64) (Int128, bool) {
	if !neg {
		return Int128{lo, int64(hi)}, hi <= math.MaxInt64
	}
	if hi > 1<<63 || hi == 1<<63 && lo != 0 {
		return Int128{}, false
	}
	l, b := bits.Sub64(0, lo, 0)
	h, _ := bits.Sub64(0, hi, b)
	return Int128{l, int64(h)}, true
}

// Mul returns x*y and whether it overflowed.
func (x Int128) Mul(y Int128) (Int128, bool) {
	xh, xl := x.abs()
	yh, yl := y.abs()
	if xh != 0 && yh != 0 {
		return Int128{}, true
	}
	// One operand's magnitude fits 64 bits: (ah,al) * b.
	ah, al, b := xh, xl, yl
	if xh == 0 {
		ah, al, b = yh, yl, xl
	}
	h1, l1 := bits.Mul64(al, b)
	h2, l2 := bits.Mul64(ah, b)
	hi, c := bits.Add64(h1, l2, 0)
	if h2 != 0 || c != 0 {
		return Int128{}, true
	}
	r, ok := fromMagnitude((x.Hi < 0) != (y.Hi < 0), hi, l1)
	return r, !ok
}

// QuoRem returns the quotient (truncated towards zero) and remainder of
// x/y, and whether the quotient overflowed (the minimum divided by -1).
// y must not be zero.
func (x Int128) QuoRem(y Int128) (q, r Int128, overflow bool) {
	xh, xl := x.abs()
	yh, yl := y.abs()
	qh, ql, rh, rl := divMagnitude(xh, xl, yh, yl)
	q, ok := fromMagnitude((x.Hi < 0) != (y.Hi < 0), qh, ql)
	r, _ = fromMagnitude(x.Hi < 0, rh, rl)
	return q, r, !ok
}

// divMagnitude divides unsigned 128-bit numbers.
func divMagnitude(nh, nl, dh, dl uint64) (qh, ql, rh, rl uint64) {
	if dh == 0 {
		// Two steps of 128/64 division.
		qh = nh / dl
		var r uint64
		ql, r = bits.Div64(nh%dl, nl, dl)
		return qh, ql, 0, r
	}
	if nh < dh || nh == dh && nl < dl {
		return 0, 0, nh, nl
	}
	// The divisor has 65 or more bits, so the quotient fits in 64. Estimate
	// it from the divisor's top 64 bits (normalised) and the dividend
	// shifted right by one so the estimate cannot overflow; the estimate is
	// at most one too large after the decrement, and one correction fixes
	// it (Hacker's Delight, divlu for 128/128).
	s := uint(bits.LeadingZeros64(dh))
	vh := dh<<s | dl>>(64-s) // dl>>64 is 0 in Go
	uh, ul := nh>>1, nh<<63|nl>>1
	est, _ := bits.Div64(uh, ul, vh)
	est >>= 63 - s
	if est != 0 {
		est--
	}
	// remainder = n - est*d
	ph, pl := bits.Mul64(est, dl)
	ph += est * dh
	rl, b := bits.Sub64(nl, pl, 0)
	rh, _ = bits.Sub64(nh, ph, b)
	if rh > dh || rh == dh && rl >= dl {
		est++
		rl, b = bits.Sub64(rl, dl, 0)
		rh, _ = bits.Sub64(rh, dh, b)
	}
	return 0, est, rh, rl
}

// Float64 converts to the nearest double.
func (x Int128) Float64() float64 {
	if x.IsInt64() {
		return float64(int64(x.Lo))
	}
	h, l := x.abs()
	f := float64(h)*(1<<64) + float64(l)
	if x.Hi < 0 {
		return -f
	}
	return f
}

// Int128FromFloat64 truncates f towards zero; ok is false for NaN and
// values outside HUGEINT's range.
func Int128FromFloat64(f float64) (Int128, bool) {
	if math.IsNaN(f) || f >= 0x1p127 || f < -0x1p127 {
		return Int128{}, false
	}
	f = math.Trunc(f)
	neg := f < 0
	a := math.Abs(f)
	hi := math.Floor(a / (1 << 64))
	lo := a - hi*(1<<64)
	return fromMagnitude(neg, uint64(hi), uint64(lo))
}

// pow10x19 is 10^19, the largest power of ten below 2^64.
const pow10x19 = 10_000_000_000_000_000_000

// String prints x in decimal.
func (x Int128) String() string {
	if x.IsInt64() {
		return big.NewInt(int64(x.Lo)).String()
	}
	h, l := x.abs()
	// Up to 39 digits: split off 19-digit groups.
	var groups []uint64
	for h != 0 {
		var r uint64
		qh := h / pow10x19
		var ql uint64
		ql, r = bits.Div64(h%pow10x19, l, pow10x19)
		h, l = qh, ql
		groups = append(groups, r)
	}
	var sb strings.Builder
	if x.Hi < 0 {
		sb.WriteByte('-')
	}
	sb.WriteString(uitoa(l))
	for i := len(groups) - 1; i >= 0; i-- {
		s := uitoa(groups[i])
		sb.WriteString(strings.Repeat("0", 19-len(s)))
		sb.WriteString(s)
	}
	return sb.String()
}

func uitoa(u uint64) string { return new(big.Int).SetUint64(u).String() }

// ParseInt128 reads an optionally signed decimal integer (surrounding
// spaces allowed); ok is false for anything else or a value outside
// HUGEINT's range.
func ParseInt128(s string) (Int128, bool) {
	s = strings.TrimSpace(s)
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	if s == "" {
		return Int128{}, false
	}
	var hi, lo uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return Int128{}, false
		}
		// (hi,lo) = (hi,lo)*10 + c, failing past 2^128.
		h1, l1 := bits.Mul64(lo, 10)
		h2, l2 := bits.Mul64(hi, 10)
		if h2 != 0 {
			return Int128{}, false
		}
		var carry uint64
		hi, carry = bits.Add64(h1, l2, 0)
		if carry != 0 {
			return Int128{}, false
		}
		lo, carry = bits.Add64(l1, uint64(c-'0'), 0)
		if hi, carry = bits.Add64(hi, 0, carry); carry != 0 {
			return Int128{}, false
		}
	}
	return fromMagnitude(neg, hi, lo)
}

// Datum carries an Int128 in I (the low 64 bits) and I2 (the high ones).

// Int128Datum makes a HUGEINT datum.
func Int128Datum(x Int128) Datum { return Datum{I: int64(x.Lo), I2: x.Hi} }

// Int128 reads a HUGEINT datum.
func (d Datum) Int128() Int128 { return Int128{Lo: uint64(d.I), Hi: d.I2} }

// BigInt converts to a math/big integer (what database/sql users get).
func (x Int128) BigInt() *big.Int {
	h, l := x.abs()
	b := new(big.Int).SetUint64(h)
	b.Lsh(b, 64)
	b.Or(b, new(big.Int).SetUint64(l))
	if x.Hi < 0 {
		b.Neg(b)
	}
	return b
}
