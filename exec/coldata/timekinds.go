package coldata

import (
	"strconv"
	"strings"
)

// TIME and TIMESTAMP WITH TIME ZONE are kinds (see kinds.go): TIME keeps
// microseconds since midnight in Int64 storage, TIMESTAMPTZ an instant as
// microseconds since the epoch in UTC in Timestamp storage, so ordering,
// hashing and comparison run the storage kernels. The session time zone is
// UTC (there is no SET TimeZone yet), so TIMESTAMPTZ prints with +00 and
// converts to and from TIMESTAMP unchanged.

// The time kinds.
var (
	TypeTime        = Type{ID: Int64, Kind: KindTime}
	TypeTimestampTZ = Type{ID: Timestamp, Kind: KindTimestampTZ}
)

// MicrosPerDay is the length of a day in microseconds; TIME holds values
// in [0, MicrosPerDay] (24:00:00 included, as DuckDB allows it).
const MicrosPerDay = 86400 * 1000000

// IsTemporalKind reports TIME and TIMESTAMPTZ, which are not numbers even
// though their storage class is.
func (t Type) IsTemporalKind() bool { return t.Kind == KindTime || t.Kind == KindTimestampTZ }

// AppendTime appends a TIME as DuckDB prints it: HH:MM:SS, then the
// fraction of a second without trailing zeros.
func AppendTime(buf []byte, us int64) []byte {
	h, m, s, f := us/3600e6, us/60e6%60, us/1e6%60, us%1e6
	buf = append2(buf, h)
	buf = append(buf, ':')
	buf = append2(buf, m)
	buf = append(buf, ':')
	buf = append2(buf, s)
	if f == 0 {
		return buf
	}
	var tmp [7]byte
	frac := strconv.AppendInt(tmp[:0], 1e6+f, 10)[1:]
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	buf = append(buf, '.')
	return append(buf, frac...)
}

func append2(buf []byte, v int64) []byte {
	return append(buf, byte('0'+v/10), byte('0'+v%10))
}

// FormatTime prints a TIME.
func FormatTime(us int64) string { return string(AppendTime(nil, us)) }

// FormatTimestampTZ prints a TIMESTAMPTZ in the session time zone (UTC)
// with its offset, as DuckDB does: 2020-01-01 00:00:00+00.
func FormatTimestampTZ(us int64) string {
	s := FormatTimestamp(us)
	if s == "infinity" || s == "-infinity" {
		return s
	}
	return s + "+00"
}

// ParseTime parses DuckDB's TIME text: [YYYY-MM-DD ]HH:MM[:SS[.ffffff]],
// surrounding spaces allowed; ok is false for anything else or a field out
// of range.
func ParseTime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[4] == '-' && (s[10] == ' ' || s[10] == 'T') {
		s = strings.TrimLeft(s[11:], " ")
	}
	var f [3]int64
	i := 0
	for part := 0; part < 3; part++ {
		if part > 0 {
			if i >= len(s) || s[i] != ':' {
				if part == 2 {
					break
				}
				return 0, false
			}
			i++
			if i == len(s) { // '11:' and '11:11:' leave the rest zero
				break
			}
		}
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' && n < 2 {
			f[part] = f[part]*10 + int64(s[i]-'0')
			i, n = i+1, n+1
		}
		if n == 0 {
			return 0, false
		}
	}
	var frac int64
	if i < len(s) && s[i] == '.' {
		i++
		digits := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if digits < 6 {
				frac = frac*10 + int64(s[i]-'0')
			}
			i, digits = i+1, digits+1
		}
		if digits == 0 {
			return 0, false
		}
		for ; digits < 6; digits++ {
			frac *= 10
		}
	}
	if i != len(s) || f[1] > 59 || f[2] > 59 || f[0] > 24 {
		return 0, false
	}
	us := (f[0]*3600+f[1]*60+f[2])*1e6 + frac
	return us, us <= MicrosPerDay
}
