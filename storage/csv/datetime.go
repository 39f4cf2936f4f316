package csv

import (
	"fmt"
	"strings"
)

// daysFromCivil converts a proleptic Gregorian date to days since
// 1970-01-01 (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

var monthDays = [13]int64{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func validDate(y, m, d int64) bool {
	if m < 1 || m > 12 || d < 1 || d > monthDays[m] {
		return false
	}
	if m == 2 && d == 29 {
		return y%4 == 0 && (y%100 != 0 || y%400 == 0)
	}
	return true
}

// digits reads exactly n decimal digits at b[i:].
func digits(b []byte, i, n int) (int64, bool) {
	if i+n > len(b) {
		return 0, false
	}
	var v int64
	for _, c := range b[i : i+n] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// parseISODate reads YYYY-MM-DD at the start of b and returns the days and
// the bytes consumed.
func parseISODate(b []byte) (int64, int, bool) {
	y, ok := digits(b, 0, 4)
	if !ok || len(b) < 10 || b[4] != '-' || b[7] != '-' {
		return 0, 0, false
	}
	m, ok1 := digits(b, 5, 2)
	d, ok2 := digits(b, 8, 2)
	if !ok1 || !ok2 || !validDate(y, m, d) {
		return 0, 0, false
	}
	return daysFromCivil(y, m, d), 10, true
}

// parseDate accepts YYYY-MM-DD only (what the sniffer calls a DATE).
func parseDate(b []byte) (int32, bool) {
	b = trimSpace(b)
	d, n, ok := parseISODate(b)
	if !ok || n != len(b) {
		return 0, false
	}
	return int32(d), true
}

// parseTimestamp accepts YYYY-MM-DD[( |T)HH:MM[:SS[.f{1,9}]]][Z|+HH[:MM]]
// and returns microseconds since the epoch.
func parseTimestamp(b []byte) (int64, bool) {
	b = trimSpace(b)
	days, i, ok := parseISODate(b)
	if !ok {
		return 0, false
	}
	us := days * 86400e6
	if i == len(b) {
		return us, true
	}
	if b[i] != ' ' && b[i] != 'T' {
		return 0, false
	}
	i++
	h, ok1 := digits(b, i, 2)
	if !ok1 || i+5 > len(b) || b[i+2] != ':' {
		return 0, false
	}
	mi, ok2 := digits(b, i+3, 2)
	if !ok2 || h > 24 || mi > 59 {
		return 0, false
	}
	i += 5
	var s int64
	if i < len(b) && b[i] == ':' {
		var ok bool
		if s, ok = digits(b, i+1, 2); !ok || s > 60 {
			return 0, false
		}
		i += 3
	}
	us += (h*3600 + mi*60 + s) * 1e6
	if i < len(b) && b[i] == '.' {
		i++
		var frac, scale int64 = 0, 100000
		st := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if scale > 0 {
				frac += int64(b[i]-'0') * scale
				scale /= 10
			}
			i++
		}
		if i == st {
			return 0, false
		}
		us += frac
	}
	if i < len(b) && (b[i] == 'Z' || b[i] == 'z') && i+1 == len(b) {
		i++
	} else if i < len(b) && (b[i] == '+' || b[i] == '-') {
		sign := int64(1)
		if b[i] == '-' {
			sign = -1
		}
		oh, ok := digits(b, i+1, 2)
		if !ok {
			return 0, false
		}
		i += 3
		var om int64
		if i < len(b) && b[i] == ':' {
			i++
		}
		if i < len(b) {
			if om, ok = digits(b, i, 2); !ok {
				return 0, false
			}
			i += 2
		}
		us -= sign * (oh*3600 + om*60) * 1e6
	}
	return us, i == len(b)
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// layout is a compiled strptime format (dateformat, timestampformat):
// %Y %y %m %d %H %M %S %f %b %p and literal text.
type layout struct {
	src    string
	pieces []piece
}

type piece struct {
	spec byte   // 0 for literal text
	lit  string // the text
}

var monthNames = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

func compileLayout(f string) (*layout, error) {
	l := &layout{src: f}
	var lit strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit.WriteByte(f[i])
			continue
		}
		if i+1 == len(f) {
			return nil, fmt.Errorf("Invalid Input Error: Failed to parse format specifier %s: Trailing format character %%", f)
		}
		i++
		c := f[i]
		if c == '%' {
			lit.WriteByte('%')
			continue
		}
		if !strings.ContainsRune("YymdHMSfbBpjI", rune(c)) {
			return nil, fmt.Errorf("Invalid Input Error: Failed to parse format specifier %s: Unrecognized format for strftime/strptime: %%%c", f, c)
		}
		if lit.Len() > 0 {
			l.pieces = append(l.pieces, piece{lit: lit.String()})
			lit.Reset()
		}
		l.pieces = append(l.pieces, piece{spec: c})
	}
	if lit.Len() > 0 {
		l.pieces = append(l.pieces, piece{lit: lit.String()})
	}
	return l, nil
}

// number reads 1..max digits.
func number(b []byte, i, max int) (int64, int, bool) {
	st := i
	var v int64
	for i < len(b) && i-st < max && b[i] >= '0' && b[i] <= '9' {
		v = v*10 + int64(b[i]-'0')
		i++
	}
	return v, i, i > st
}

// parse returns microseconds since the epoch.
func (l *layout) parse(b []byte) (int64, bool) {
	b = trimSpace(b)
	y, m, d := int64(1970), int64(1), int64(1)
	var h, mi, s, us int64
	pm := -1
	i := 0
	var ok bool
	for _, p := range l.pieces {
		switch p.spec {
		case 0:
			if len(b)-i < len(p.lit) || string(b[i:i+len(p.lit)]) != p.lit {
				return 0, false
			}
			i += len(p.lit)
			continue
		case 'Y':
			y, i, ok = number(b, i, 4)
		case 'y':
			y, i, ok = number(b, i, 2)
			if y < 69 {
				y += 2000
			} else {
				y += 1900
			}
		case 'm':
			m, i, ok = number(b, i, 2)
		case 'd':
			d, i, ok = number(b, i, 2)
		case 'H', 'I':
			h, i, ok = number(b, i, 2)
		case 'M':
			mi, i, ok = number(b, i, 2)
		case 'S':
			s, i, ok = number(b, i, 2)
		case 'f':
			st := i
			var v int64
			v, i, ok = number(b, i, 6)
			for k := i - st; k < 6; k++ {
				v *= 10
			}
			us = v
		case 'j':
			var doy int64
			doy, i, ok = number(b, i, 3)
			m, d = 1, doy
		case 'b', 'B':
			ok = false
			for k, name := range monthNames {
				if len(b)-i >= 3 && strings.EqualFold(string(b[i:i+3]), name) {
					m, ok = int64(k+1), true
					i += 3
					for i < len(b) && (b[i]|0x20) >= 'a' && (b[i]|0x20) <= 'z' {
						i++
					}
					break
				}
			}
		case 'p':
			ok = len(b)-i >= 2
			if ok {
				switch strings.ToUpper(string(b[i : i+2])) {
				case "AM":
					pm = 0
				case "PM":
					pm = 1
				default:
					ok = false
				}
				i += 2
			}
		}
		if !ok {
			return 0, false
		}
	}
	if i != len(b) {
		return 0, false
	}
	if pm >= 0 {
		h %= 12
		if pm == 1 {
			h += 12
		}
	}
	days := daysFromCivil(y, m, 1) + d - 1
	if m < 1 || m > 12 || d < 1 || (d > monthDays[m] && m != 1) || h > 24 || mi > 59 || s > 60 {
		return 0, false
	}
	return days*86400e6 + (h*3600+mi*60+s)*1e6 + us, true
}

// ParseDate reads an ISO date (YYYY-MM-DD) into days since the epoch; the
// JSON reader types strings with it.
func ParseDate(b []byte) (int32, bool) { return parseDate(b) }

// ParseTimestamp reads an ISO timestamp into microseconds since the epoch.
func ParseTimestamp(b []byte) (int64, bool) { return parseTimestamp(b) }
