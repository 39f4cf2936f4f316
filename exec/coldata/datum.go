package coldata

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Datum is one value whose meaning comes from a Type held elsewhere:
//
//	Bool: B; Int32/Int64/Date/Timestamp: I; Decimal: I scaled by 10^Scale;
//	Float64: F; String: S; Interval: I months, I2 days, I3 microseconds;
//	Hugeint: I the low 64 bits, I2 the high ones (see Int128Datum).
//
// It is the slow-path currency of constants, statistics and printing; hot
// loops never see it.
type Datum struct {
	Null bool
	B    bool
	I    int64
	I2   int64
	I3   int64
	F    float64
	S    string
	// N holds a nested value (List, Struct, Map); see Nested.
	N *Nested
}

// NullDatum is the SQL NULL.
var NullDatum = Datum{Null: true}

// Format renders d of type t the way DuckDB prints it.
func Format(t Type, d Datum) string {
	if d.Null {
		return "NULL"
	}
	switch t.ID {
	case Bool:
		if d.B {
			return "true"
		}
		return "false"
	case Int32, Int64:
		if t.Kind == KindTime {
			return FormatTime(d.I)
		}
		return strconv.FormatInt(d.I, 10)
	case Hugeint:
		return d.Int128().String()
	case Float64:
		if t.Kind == KindFloat {
			return FormatFloat32(d.F)
		}
		return FormatFloat(d.F)
	case Decimal:
		return FormatDecimal(d.I, int(t.Scale))
	case String:
		if t.Kind == KindBlob {
			return FormatBlob(d.S)
		}
		return d.S
	case Date:
		return FormatDate(int32(d.I))
	case Timestamp:
		if t.Kind == KindTimestampTZ {
			return FormatTimestampTZ(d.I)
		}
		return FormatTimestamp(d.I)
	case Interval:
		return fmt.Sprintf("%d months %d days %d us", d.I, d.I2, d.I3)
	case List, Struct, Map:
		return formatNested(t, d)
	}
	return "?"
}

// FormatFloat prints the shortest representation that round-trips.
func FormatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// FormatDecimal prints v/10^scale with exactly scale fractional digits.
func FormatDecimal(v int64, scale int) string {
	if scale == 0 {
		return strconv.FormatInt(v, 10)
	}
	neg := v < 0
	var u uint64
	if neg {
		u = uint64(-v)
	} else {
		u = uint64(v)
	}
	digits := strconv.FormatUint(u, 10)
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	cut := len(digits) - scale
	s := digits[:cut] + "." + digits[cut:]
	if neg {
		s = "-" + s
	}
	return s
}

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// FormatDate prints days since the epoch as DuckDB does: YYYY-MM-DD, years
// before 1 as "YYYY-MM-DD (BC)", ±(2^31-1) as infinity and -infinity.
func FormatDate(days int32) string {
	switch days {
	case math.MaxInt32:
		return "infinity"
	case -math.MaxInt32:
		return "-infinity"
	}
	return formatCivil(epoch.AddDate(0, 0, int(days)), "")
}

// formatCivil prints t's date, then tod, then " (BC)" for years before 1.
func formatCivil(t time.Time, tod string) string {
	y := t.Year()
	bc := ""
	if y <= 0 {
		y, bc = 1-y, " (BC)"
	}
	return fmt.Sprintf("%04d-%02d-%02d%s%s", y, int(t.Month()), t.Day(), bc, tod)
}

// FormatTimestamp prints microseconds since the epoch as DuckDB does.
func FormatTimestamp(us int64) string {
	switch us {
	case math.MaxInt64:
		return "infinity"
	case -math.MaxInt64:
		return "-infinity"
	}
	t := time.UnixMicro(us).UTC()
	if t.Nanosecond() == 0 {
		return formatCivil(t, t.Format(" 15:04:05"))
	}
	return formatCivil(t, strings.TrimRight(t.Format(" 15:04:05.000000"), "0"))
}

// ParseDate parses YYYY-MM-DD (leading/trailing space allowed) into days.
func ParseDate(s string) (int32, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("invalid date %q: expected YYYY-MM-DD", s)
	}
	return DaysFromTime(t), nil
}

// DaysFromTime converts a time to days since the epoch (floor).
func DaysFromTime(t time.Time) int32 {
	secs := t.Unix()
	d := secs / 86400
	if secs%86400 < 0 {
		d--
	}
	return int32(d)
}

// DateToTime converts days since the epoch to a UTC time.
func DateToTime(days int32) time.Time { return epoch.AddDate(0, 0, int(days)) }

// ParseTimestamp parses 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]' into microseconds.
func ParseTimestamp(s string) (int64, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMicro(), nil
		}
	}
	return 0, fmt.Errorf("invalid timestamp %q", s)
}

// ParseDecimal parses a decimal literal into a value scaled to scale digits,
// rounding half away from zero when the literal has more digits.
func ParseDecimal(s string, scale int) (int64, error) {
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return 0, fmt.Errorf("invalid decimal %q", s)
	}
	var v int64
	for _, c := range intPart {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("invalid decimal %q", s)
		}
		if v > (math.MaxInt64-9)/10 {
			return 0, fmt.Errorf("decimal %q out of range", s)
		}
		v = v*10 + int64(c-'0')
	}
	for i := 0; i < scale; i++ {
		d := int64(0)
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("invalid decimal %q", s)
			}
			d = int64(c - '0')
		}
		if v > (math.MaxInt64-9)/10 {
			return 0, fmt.Errorf("decimal %q out of range", s)
		}
		v = v*10 + d
	}
	for _, c := range frac {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("invalid decimal %q", s)
		}
	}
	if len(frac) > scale {
		if c := frac[scale]; c >= '5' && c <= '9' {
			v++
		}
	}
	if neg {
		v = -v
	}
	return v, nil
}

// DecimalDigits returns the (precision, scale) DuckDB gives a literal like
// "12.50": every digit written counts, leading zeros too (0.5 is
// DECIMAL(2,1), .5 is DECIMAL(1,1), 007.5 is DECIMAL(4,1)).
func DecimalDigits(s string) (int, int) {
	s = strings.TrimLeft(strings.TrimSpace(s), "+-")
	intPart, frac, _ := strings.Cut(s, ".")
	return max(len(intPart)+len(frac), 1), len(frac)
}

// Compare orders two non-NULL datums of the same type: -1, 0 or +1.
func Compare(t Type, a, b Datum) int {
	switch t.ID {
	case Bool:
		switch {
		case a.B == b.B:
			return 0
		case !a.B:
			return -1
		}
		return 1
	case Float64:
		switch {
		case a.F < b.F:
			return -1
		case a.F > b.F:
			return 1
		}
		return 0
	case String:
		return strings.Compare(a.S, b.S)
	case List, Struct, Map:
		return CompareNested(t, a, b)
	case Hugeint:
		return a.Int128().Cmp(b.Int128())
	}
	switch {
	case a.I < b.I:
		return -1
	case a.I > b.I:
		return 1
	}
	return 0
}
