package kernel

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// decimalText is the shape of a decimal string once validated: its digits
// (with '_' separators and the '.' still in place), how many of them follow
// the point, and the exponent.
type decimalText struct {
	body    string // digits, '_' between digits, at most one '.'
	nDigits int
	frac    int
	exp     int
	neg     bool
}

// scanDecimalText validates s as DuckDB's string-to-DECIMAL cast does:
// surrounding spaces, an optional sign, digits with an optional point (a
// single '_' may separate two digits), at least one digit, then an optional
// exponent e[+-]digits within the 16-bit range.
func scanDecimalText(s string) (decimalText, bool) {
	var t decimalText
	s = trimSpace(s)
	if s != "" && (s[0] == '-' || s[0] == '+') {
		t.neg, s = s[0] == '-', s[1:]
	}
	i, point := 0, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			t.nDigits++
			if point {
				t.frac++
			}
			continue
		case c == '_':
			if i > 0 && isDigit(s[i-1]) && i+1 < len(s) && isDigit(s[i+1]) {
				continue
			}
			return t, false
		case c == '.' && !point:
			point = true
			continue
		}
		break
	}
	if t.nDigits == 0 {
		return t, false
	}
	t.body = s[:i]
	s = s[i:]
	if s == "" {
		return t, true
	}
	if s[0] != 'e' && s[0] != 'E' {
		return t, false
	}
	s = s[1:]
	eneg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		eneg, s = s[0] == '-', s[1:]
	}
	if s == "" {
		return t, false
	}
	e := 0
	for j := 0; j < len(s); j++ {
		if !isDigit(s[j]) {
			return t, false
		}
		if e = e*10 + int(s[j]-'0'); e > 1<<15 {
			return t, false
		}
	}
	if eneg {
		e = -e
	} else if e == 1<<15 {
		return t, false
	}
	t.exp = e
	return t, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parseDecimal reads a decimal string into DECIMAL(t) (see scanDecimalText
// for the accepted forms), rounding half away from zero beyond t's scale and
// failing beyond its precision.
func parseDecimal(s string, t coldata.Type) (int64, bool) {
	d, ok := scanDecimalText(s)
	if !ok {
		return 0, false
	}
	v, ok := d.scaled(int(t.Scale), coldata.Int128From(decimalLimit(t)))
	if d.neg {
		return -v.Int64(), ok
	}
	return v.Int64(), ok
}

// parseIntText is the integer cast's slow path for what parseInt's digit
// loop does not take: exponents and '_' separators ('1e2' is 100).
func parseIntText(s string) (int64, bool) {
	d, ok := scanDecimalText(s)
	if !ok {
		return 0, false
	}
	if d.neg {
		v, ok := d.scaled(0, coldata.Int128{Lo: 1 << 63})
		return -int64(v.Lo), ok
	}
	v, ok := d.scaled(0, coldata.Int128From(math.MaxInt64))
	return v.Int64(), ok
}

// appendDecimalVarchar is a DECIMAL cast to VARCHAR. When every digit is
// fractional (precision = scale) DuckDB writes no leading zero: '.100'.
func appendDecimalVarchar(buf []byte, v int64, t coldata.Type) []byte {
	start := len(buf)
	buf = appendDecimal(buf, v, int(t.Scale))
	if t.Scale == 0 || t.Precision != t.Scale {
		return buf
	}
	if v < 0 {
		start++
	}
	return append(buf[:start], buf[start+1:]...)
}

// scaled returns the text's value times 10^scale as a non-negative
// magnitude, rounded half away from zero, and false when it exceeds lim.
// Digits are consumed only while they still matter, so any exponent and any
// number of digits cost at most one pass; 128 bits serve every target
// (DECIMAL, the integers, HUGEINT).
func (t decimalText) scaled(scale int, lim coldata.Int128) (coldata.Int128, bool) {
	shift := t.exp - t.frac + scale
	keep := t.nDigits
	if shift < 0 {
		keep += shift
	}
	ten := coldata.Int128From(10)
	var v coldata.Int128
	seen := 0
	roundUp := false
	for j := 0; j < len(t.body) && seen <= keep; j++ {
		c := t.body[j]
		if !isDigit(c) {
			continue
		}
		if seen == keep {
			roundUp = c >= '5'
			break
		}
		seen++
		var over bool
		if v, over = mulAdd10(v, int64(c-'0'), ten); over || lim.Less(v) {
			return v, false
		}
	}
	if roundUp {
		var over bool
		if v, over = v.Add(coldata.Int128From(1)); over {
			return v, false
		}
	}
	for ; shift > 0 && v.Sign() != 0; shift-- {
		var over bool
		if v, over = mulAdd10(v, 0, ten); over || lim.Less(v) {
			return v, false
		}
	}
	return v, !lim.Less(v)
}

// mulAdd10 is v*10+d and whether it overflowed.
func mulAdd10(v coldata.Int128, d int64, ten coldata.Int128) (coldata.Int128, bool) {
	v, over := v.Mul(ten)
	if over {
		return v, true
	}
	return v.Add(coldata.Int128From(d))
}

// parseI128Text is the HUGEINT cast's slow path for exponents and '_'.
func parseI128Text(s string) (coldata.Int128, bool) {
	d, ok := scanDecimalText(s)
	if !ok {
		return coldata.Int128{}, false
	}
	lim := coldata.Int128{Hi: math.MaxInt64, Lo: math.MaxUint64}
	v, ok := d.scaled(0, lim)
	if d.neg {
		v, _ = v.Neg()
	}
	return v, ok
}
