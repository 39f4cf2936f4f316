package csv

import (
	"math"
	"strconv"
	"unsafe"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// unsafeString views b as a string without copying; only for values that
// do not outlive b (parsing) or for b that is never written again (arenas).
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// parseInt reads an optionally signed decimal integer (spaces around it
// allowed).
func parseInt(b []byte) (int64, bool) {
	if len(b) > 0 && (b[0] == ' ' || b[len(b)-1] == ' ') {
		b = trimSpace(b)
	}
	if len(b) == 0 {
		return 0, false
	}
	neg := false
	switch b[0] {
	case '-':
		neg, b = true, b[1:]
	case '+':
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		d := uint64(c - '0')
		if d > 9 {
			return 0, false
		}
		if v > (math.MaxInt64+1-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

func parseFloat(b []byte) (float64, bool) {
	if len(b) > 0 && (b[0] == ' ' || b[len(b)-1] == ' ') {
		b = trimSpace(b)
	}
	if len(b) == 0 {
		return 0, false
	}
	// ParseFloat also takes hexadecimal floats and underscores after a
	// base prefix, which DuckDB's CSV reader does not.
	if len(b) > 1 && (b[1] == 'x' || b[1] == 'X' || (len(b) > 2 && (b[2] == 'x' || b[2] == 'X'))) {
		return 0, false
	}
	if f, ok := fastFloat(b); ok {
		return f, true
	}
	f, err := strconv.ParseFloat(unsafeString(b), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

var pow10f = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// fastFloat parses [-]digits[.digits] with at most 15 significant digits:
// the mantissa and the power of ten are then exact doubles, so one
// division rounds correctly (strconv's exact path, without its general
// scanning). Anything else is left to strconv.
func fastFloat(b []byte) (float64, bool) {
	neg := false
	if len(b) > 0 && b[0] == '-' {
		neg, b = true, b[1:]
	}
	if len(b) == 0 || len(b) > 16 {
		return 0, false
	}
	var m uint64
	frac, point, nd := 0, false, 0
	for _, c := range b {
		if c == '.' && !point {
			point = true
			continue
		}
		d := uint64(c - '0')
		if d > 9 {
			return 0, false
		}
		m = m*10 + d
		nd++
		if point {
			frac++
		}
	}
	if nd == 0 || nd > 15 {
		return 0, false
	}
	f := float64(m) / pow10f[frac]
	if neg {
		f = -f
	}
	return f, true
}

// parseDecimal reads a decimal number scaled to scale digits, rounding half
// away from zero; precision bounds the digits before the point.
func parseDecimal(b []byte, precision, scale int) (int64, bool) {
	b = trimSpace(b)
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg, b = b[0] == '-', b[1:]
	}
	var v int64
	intDigits, fracDigits, seen := 0, 0, false
	roundUp := false
	point := false
	for _, c := range b {
		if c == '.' && !point {
			point = true
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		seen = true
		if point {
			if fracDigits == scale {
				if fracDigits == scale && !roundUp && c >= '5' {
					roundUp = true
				}
				fracDigits++
				continue
			}
			fracDigits++
		} else if v != 0 || c != '0' {
			intDigits++
		}
		if v > math.MaxInt64/10-9 {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if !seen || intDigits > precision-scale {
		return 0, false
	}
	for k := min(fracDigits, scale); k < scale; k++ {
		v *= 10
	}
	if roundUp && fracDigits > scale {
		v++
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseBool accepts DuckDB's spellings of booleans (case-insensitive).
func parseBool(b []byte, sniff bool) (bool, bool) {
	b = trimSpace(b)
	switch len(b) {
	case 1:
		switch b[0] | 0x20 {
		case 't', 'y':
			return true, true
		case 'f', 'n':
			return false, true
		}
		if !sniff {
			switch b[0] {
			case '1':
				return true, true
			case '0':
				return false, true
			}
		}
	case 2, 3, 4, 5:
		var l [5]byte
		for i, c := range b {
			l[i] = c | 0x20
		}
		switch string(l[:len(b)]) {
		case "true", "yes":
			return true, true
		case "false", "no":
			return false, true
		}
	}
	return false, false
}

// fits reports whether text converts to t (the sniffer's test).
func (c *converter) fits(t coldata.Type, b []byte) bool {
	switch t.ID {
	case coldata.Bool:
		_, ok := parseBool(b, true)
		return ok
	case coldata.Int64:
		_, ok := parseInt(b)
		return ok
	case coldata.Int32:
		v, ok := parseInt(b)
		return ok && v == int64(int32(v))
	case coldata.Float64:
		_, ok := parseFloat(b)
		return ok
	case coldata.Decimal:
		_, ok := parseDecimal(b, int(t.Precision), int(t.Scale))
		return ok
	case coldata.Date:
		_, ok := c.date(b)
		return ok
	case coldata.Timestamp:
		_, ok := c.timestamp(b)
		return ok
	}
	return true
}

// converter holds what field conversion needs besides the type.
type converter struct {
	dateFmt, tsFmt *layout
}

func (c *converter) date(b []byte) (int32, bool) {
	if c.dateFmt != nil {
		us, ok := c.dateFmt.parse(b)
		return int32(us / 86400e6), ok && us%86400e6 == 0
	}
	return parseDate(b)
}

func (c *converter) timestamp(b []byte) (int64, bool) {
	if c.tsFmt != nil {
		return c.tsFmt.parse(b)
	}
	return parseTimestamp(b)
}

// convert parses n values of one column into v: the fields are refs[k*stride]
// of buf. Escaped quoted fields are unescaped into scratch first. It
// returns the first row that failed (-1 when none), marking failures in bad
// when bad is not nil (ignore_errors) and carrying on.
func (c *converter) convert(v *coldata.Vec, buf []byte, refs []field, stride, n int, d dialect, nulls nullSet, bad []bool) int {
	v.Resize(n)
	var scratch []byte
	text := func(f field) []byte {
		s := buf[f.start:f.end]
		if f.escaped {
			scratch = d.unescape(scratch[:0], s)
			return scratch
		}
		return s
	}
	failed := -1
	fail := func(k int) bool {
		if failed < 0 {
			failed = k
		}
		if bad == nil {
			return true
		}
		bad[k] = true
		return false
	}
	if v.Type.ID == coldata.String && !v.Type.IsBytes() {
		return c.convertStrings(v, buf, refs, stride, n, d, nulls)
	}
	for k := 0; k < n; k++ {
		f := refs[k*stride]
		if nulls.isNull(buf, f) {
			v.SetNull(k)
			continue
		}
		b := text(f)
		ok := true
		switch {
		case v.Type.Kind != coldata.KindNone:
			ok = c.convertKind(v, k, b)
		case v.Type.ID == coldata.Int64:
			v.I64[k], ok = parseInt(b)
		case v.Type.ID == coldata.Int32:
			var x int64
			x, ok = parseInt(b)
			ok = ok && x == int64(int32(x))
			v.I32[k] = int32(x)
		case v.Type.ID == coldata.Float64:
			v.F64[k], ok = parseFloat(b)
		case v.Type.ID == coldata.Decimal:
			v.I64[k], ok = parseDecimal(b, int(v.Type.Precision), int(v.Type.Scale))
		case v.Type.ID == coldata.Bool:
			v.B[k], ok = parseBool(b, false)
		case v.Type.ID == coldata.Date:
			v.I32[k], ok = c.date(b)
		case v.Type.ID == coldata.Timestamp:
			v.I64[k], ok = c.timestamp(b)
		}
		if !ok {
			v.SetNull(k)
			if fail(k) {
				return failed
			}
		}
	}
	return failed
}

// convertStrings copies the column's text into one arena per batch, so
// values cost no allocation each and do not pin the chunk.
func (c *converter) convertStrings(v *coldata.Vec, buf []byte, refs []field, stride, n int, d dialect, nulls nullSet) int {
	total := 0
	for k := 0; k < n; k++ {
		f := refs[k*stride]
		total += int(f.end - f.start)
	}
	arena := make([]byte, 0, total)
	for k := 0; k < n; k++ {
		f := refs[k*stride]
		if nulls.isNullText(buf, f) {
			v.SetNull(k)
			continue
		}
		st := len(arena)
		if f.escaped {
			arena = d.unescape(arena, buf[f.start:f.end])
		} else {
			arena = append(arena, buf[f.start:f.end]...)
		}
		v.Str[k] = unsafeString(arena[st:len(arena):len(arena)])
	}
	return -1
}

// nullSet is the strings read as NULL (nullstr); by default only the
// empty field. With other NULL strings an empty field is still NULL for
// every type but VARCHAR, where it is the empty string (as DuckDB).
type nullSet struct {
	strs      []string
	emptyOnly bool
	empty     bool // "" is among strs
}

func newNullSet(strs []string) nullSet {
	if strs == nil || (len(strs) == 1 && strs[0] == "") {
		return nullSet{emptyOnly: true, empty: true}
	}
	s := nullSet{strs: strs}
	for _, x := range strs {
		s.empty = s.empty || x == ""
	}
	return s
}

// isNull is for non-VARCHAR columns.
func (s nullSet) isNull(buf []byte, f field) bool {
	if f.start == f.end {
		return true
	}
	return !s.emptyOnly && s.match(buf[f.start:f.end])
}

// isNullText is for VARCHAR columns.
func (s nullSet) isNullText(buf []byte, f field) bool {
	if f.start == f.end {
		return s.empty
	}
	return !s.emptyOnly && s.match(buf[f.start:f.end])
}

func (s nullSet) match(b []byte) bool {
	for _, x := range s.strs {
		if string(b) == x {
			return true
		}
	}
	return false
}
