package kernel

import (
	"math"
	"strconv"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// toString formats each live value into the node's arena (one allocation per
// batch) following coldata.Format.
func (n *castNode) toString(out, v *coldata.Vec, sel []int32, rows int) {
	if n.from.ID == coldata.Bool {
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			out.Str[i] = "false"
			if v.B[i] {
				out.Str[i] = "true"
			}
		}
		return
	}
	a := &n.arena
	a.reset(rows)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := int32(rowAt(sel, k))
		if v.IsNull(int(i)) {
			out.Str[i] = ""
			a.skip(i)
			continue
		}
		start := len(a.buf)
		switch n.from.ID {
		case coldata.Int32:
			a.buf = strconv.AppendInt(a.buf, int64(v.I32[i]), 10)
		case coldata.Int64:
			if n.from.Kind == coldata.KindTime {
				a.buf = coldata.AppendTime(a.buf, v.I64[i])
				break
			}
			a.buf = strconv.AppendInt(a.buf, v.I64[i], 10)
		case coldata.Hugeint:
			a.buf = append(a.buf, v.I128[i].String()...)
		case coldata.Float64:
			a.buf = appendFloatKind(a.buf, v.F64[i], n.from.Kind)
		case coldata.Decimal:
			a.buf = appendDecimalVarchar(a.buf, v.I64[i], n.from)
		case coldata.Date:
			a.buf = appendDate(a.buf, int64(v.I32[i]))
		case coldata.Timestamp:
			a.buf = appendTimestamp(a.buf, v.I64[i])
			if n.from.Kind == coldata.KindTimestampTZ && v.I64[i] != math.MaxInt64 && v.I64[i] != -math.MaxInt64 {
				a.buf = append(a.buf, "+00"...)
			}
		}
		a.mark(i, start)
	}
	a.finish(out.Str, sel, rows)
}

// appendFloat is coldata.FormatFloat without the allocation.
func appendFloat(buf []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(buf, "nan"...)
	case math.IsInf(f, 1):
		return append(buf, "inf"...)
	case math.IsInf(f, -1):
		return append(buf, "-inf"...)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.AppendFloat(buf, f, 'f', 1, 64)
	}
	return strconv.AppendFloat(buf, f, 'g', -1, 64)
}

// appendDecimal is coldata.FormatDecimal without the allocation.
func appendDecimal(buf []byte, v int64, scale int) []byte {
	if scale == 0 {
		return strconv.AppendInt(buf, v, 10)
	}
	u := uint64(v)
	if v < 0 {
		buf = append(buf, '-')
		u = -u
	}
	var tmp [24]byte
	digits := strconv.AppendUint(tmp[:0], u, 10)
	if len(digits) <= scale {
		buf = append(buf, '0')
		buf = append(buf, '.')
		for range scale - len(digits) {
			buf = append(buf, '0')
		}
		return append(buf, digits...)
	}
	cut := len(digits) - scale
	buf = append(buf, digits[:cut]...)
	buf = append(buf, '.')
	return append(buf, digits[cut:]...)
}

// fromString parses each live non-NULL value.
func (n *castNode) fromString(out, v *coldata.Vec, sel []int32, rows int) error {
	to := n.to
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if v.IsNull(i) {
			continue
		}
		s := v.Str[i]
		ok := true
		switch to.ID {
		case coldata.Bool:
			out.B[i], ok = parseBool(s)
		case coldata.Hugeint:
			if out.I128[i], ok = parseI128(s); !ok {
				out.I128[i], ok = parseI128Text(s)
			}
		case coldata.Int32:
			var x int64
			x, ok = parseInt(s)
			ok = ok && x >= math.MinInt32 && x <= math.MaxInt32
			out.I32[i] = int32(x)
		case coldata.Int64:
			if to.Kind == coldata.KindTime {
				out.I64[i], ok = coldata.ParseTime(s)
				break
			}
			out.I64[i], ok = parseInt(s)
		case coldata.Float64:
			f, err := strconv.ParseFloat(trimSpace(s), 64)
			out.F64[i], ok = f, err == nil
		case coldata.Decimal:
			out.I64[i], ok = parseDecimal(s, to)
		case coldata.Date:
			var d int64
			d, ok = parseDate(s)
			out.I32[i] = int32(d)
		case coldata.Timestamp:
			out.I64[i], ok = parseTimestamp(s)
		}
		if !ok {
			return n.withSource(stringCastError(s, to))
		}
	}
	return nil
}

// parseBool accepts what DuckDB does: true/false, t/f, 1/0, any case.
func parseBool(s string) (bool, bool) {
	s = trimSpace(s)
	switch len(s) {
	case 1:
		switch s[0] {
		case 't', 'T', '1':
			return true, true
		case 'f', 'F', '0':
			return false, true
		}
	case 4:
		return true, s[0]|0x20 == 't' && s[1]|0x20 == 'r' && s[2]|0x20 == 'u' && s[3]|0x20 == 'e'
	case 5:
		return false, s[0]|0x20 == 'f' && s[1]|0x20 == 'a' && s[2]|0x20 == 'l' && s[3]|0x20 == 's' && s[4]|0x20 == 'e'
	}
	return false, false
}

// parseInt reads an optionally signed integer; a fractional part rounds half
// away from zero ('1.5' is 2), as DuckDB's string-to-integer cast does.
func parseInt(s string) (int64, bool) {
	in := s
	s = trimSpace(s)
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	var u uint64
	n := 0
	for ; n < len(s) && s[n] >= '0' && s[n] <= '9'; n++ {
		if u > (math.MaxUint64-9)/10 {
			return 0, false
		}
		u = u*10 + uint64(s[n]-'0')
	}
	s = s[n:]
	frac := 0
	if s != "" && s[0] == '.' {
		s = s[1:]
		for ; frac < len(s) && s[frac] >= '0' && s[frac] <= '9'; frac++ {
		}
		if frac > 0 && s[0] >= '5' {
			u++
		}
		s = s[frac:]
	}
	if s != "" || n+frac == 0 {
		return parseIntText(in)
	}
	if neg {
		return -int64(u), u <= 1<<63
	}
	return int64(u), u <= math.MaxInt64
}

// stringCastError is DuckDB's message for a string that does not convert.
func stringCastError(s string, to coldata.Type) error {
	if to.Kind == coldata.KindTime {
		return conversionErrorf("time field value out of range: \"%s\", expected format is ([YYYY-MM-DD ]HH:MM:SS[.MS])", s)
	}
	switch to.ID {
	case coldata.Decimal:
		return conversionErrorf("Could not convert string \"%s\" to %s", s, to)
	case coldata.Date:
		if dateShaped(s) {
			return conversionErrorf("date field value out of range: \"%s\"", s)
		}
		return conversionErrorf("invalid date field format: \"%s\", expected format is (YYYY-MM-DD)", s)
	case coldata.Timestamp:
		if dateShaped(s) {
			return conversionErrorf("timestamp field value out of range: \"%s\"", s)
		}
		return conversionErrorf("invalid timestamp field format: \"%s\", expected format is (YYYY-MM-DD HH:MM:SS[.US][±HH[:MM[:SS]]| ZONE])", s)
	}
	return conversionErrorf("Could not convert string '%s' to %s", s, typeName(to))
}

// dateShaped reports whether s is shaped like a date (digits, separator,
// digits, separator, digits, then nothing or a time), so that a failure is
// a field out of range rather than a malformed value.
func dateShaped(s string) bool {
	s = trimSpace(s)
	for part := 0; part < 3; part++ {
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 0 {
			return false
		}
		s = s[n:]
		if part < 2 {
			if s == "" || (s[0] != '-' && s[0] != '/') {
				return false
			}
			s = s[1:]
		}
	}
	return s == "" || s[0] == ' ' || s[0] == 'T'
}
