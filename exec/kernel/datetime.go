package kernel

import (
	"math"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// Dates are days since 1970-01-01 and timestamps microseconds since then.
// The conversions to and from civil dates use Howard Hinnant's algorithms
// (proleptic Gregorian calendar, exact for every int32 day), which cost a
// handful of integer operations per value instead of a time.Time.

const (
	usPerSec = 1_000_000
	usPerDay = 86_400 * usPerSec
)

// civil returns the year, month (1-12) and day (1-31) of a day number.
func civil(days int64) (y, m, d int64) {
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // [0, 11], March-based
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// civilFast is civil with tables for 1900-2299, where nearly all real
// dates fall: the year comes from a linear estimate corrected against a table
// of January 1sts, month and day from a day-of-year table. It is several
// times cheaper than the general algorithm's chain of multiplications.
func civilFast(days int64) (y, m, d int64) {
	off := days - civilLo
	if uint64(off) >= 146097 {
		return civil(days)
	}
	yi := off * 400 / 146097
	for days < int64(yearStarts[yi]) {
		yi--
	}
	for days >= int64(yearStarts[yi+1]) {
		yi++
	}
	start := int64(yearStarts[yi])
	leap := b2i(yearStarts[yi+1]-yearStarts[yi] == 366)
	md := monthDay[leap][days-start]
	return 1900 + yi, int64(md >> 8), int64(md & 0xff)
}

// civilLo is 1900-01-01; the tables cover the 400 years from there.
const civilLo = -25567

var (
	yearStarts [401]int32     // day number of January 1st of 1900+i
	monthDay   [2][366]uint16 // [leap][day of year] = month<<8 | day
)

func init() {
	for i := range yearStarts {
		yearStarts[i] = int32(daysFromCivil(1900+int64(i), 1, 1))
	}
	for leap, y := range []int64{1999, 2000} {
		doy := 0
		for m := int64(1); m <= 12; m++ {
			for d := int64(1); d <= daysInMonth(y, m); d++ {
				monthDay[leap][doy] = uint16(m<<8 | d)
				doy++
			}
		}
	}
}

// daysFromCivil is civil's inverse; the day must be valid for the month.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := m - 3
	if m <= 2 {
		mp = m + 9
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInMonth(y, m int64) int64 {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// floorDiv divides rounding toward negative infinity, so instants before the
// epoch fall on the right day.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// appendDate formats like coldata.FormatDate; years outside 0..9999 take
// the slow path so the two never disagree.
func appendDate(buf []byte, days int64) []byte {
	y, m, d := civilFast(days)
	if y <= 0 || y > 9999 {
		return append(buf, coldata.FormatDate(int32(days))...)
	}
	return append(buf, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// appendTimestamp formats like coldata.FormatTimestamp.
func appendTimestamp(buf []byte, us int64) []byte {
	days := floorDiv(us, usPerDay)
	if y, _, _ := civilFast(days); y <= 0 || y > 9999 {
		return append(buf, coldata.FormatTimestamp(us)...)
	}
	buf = appendDate(buf, days)
	tod := us - days*usPerDay
	secs, frac := tod/usPerSec, tod%usPerSec
	h, mi, s := secs/3600, secs/60%60, secs%60
	buf = append(buf, ' ', byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':',
		byte('0'+s/10), byte('0'+s%10))
	if frac == 0 {
		return buf
	}
	buf = append(buf, '.')
	for p := int64(100000); p > 0 && frac > 0; p /= 10 {
		buf = append(buf, byte('0'+frac/p))
		frac %= p
	}
	return buf
}

// parseDate reads [space]Y+-M{1,2}-D{1,2}[space] ('/' also separates).
func parseDate(s string) (int64, bool) {
	s = trimSpace(s)
	if inf, ok := infinity(s); ok {
		return inf * math.MaxInt32, true
	}
	days, rest, ok := parseDatePrefix(s)
	return days, ok && rest == ""
}

// infinity recognises [+-]infinity, giving its sign.
func infinity(s string) (int64, bool) {
	sign := int64(1)
	if s != "" && (s[0] == '-' || s[0] == '+') {
		sign = int64(44 - int(s[0])) // '+' is 43, '-' 45
		s = s[1:]
	}
	return sign, len(s) == 8 && strings.EqualFold(s, "infinity")
}

// parseDatePrefix reads a date: [-]Y+-M-D, the year astronomical when
// negative, or followed by " (BC)" counting years before 1.
func parseDatePrefix(s string) (int64, string, bool) {
	neg := s != "" && s[0] == '-'
	if neg {
		s = s[1:]
	}
	y, s, ok := digits(s, 1, 9)
	if neg {
		y = -y
	}
	if !ok || s == "" || (s[0] != '-' && s[0] != '/') {
		return 0, "", false
	}
	sep := s[0]
	m, s, ok := digits(s[1:], 1, 2)
	if !ok || s == "" || s[0] != sep {
		return 0, "", false
	}
	d, s, ok := digits(s[1:], 1, 2)
	if rest, bc := strings.CutPrefix(s, " (BC)"); bc && !neg && y > 0 {
		y, s = 1-y, rest
	}
	if !ok || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) {
		return 0, "", false
	}
	days := daysFromCivil(y, m, d)
	if days < -maxDateDays || days > maxDateDays {
		return 0, "", false
	}
	return days, s, true
}

// parseTimestamp reads a date, optionally followed by ' ' or 'T' and
// HH:MM[:SS[.fraction]], and an optional 'Z' or ±HH[:MM] offset.
func parseTimestamp(s string) (int64, bool) {
	s = trimSpace(s)
	if inf, ok := infinity(s); ok {
		return inf * math.MaxInt64, true
	}
	days, s, ok := parseDatePrefix(s)
	if !ok {
		return 0, false
	}
	// Timestamps are int64 microseconds: years past 294247 do not fit,
	// and the arithmetic below must say so rather than wrap.
	us, ov := mul64(days, usPerDay)
	if ov != 0 {
		return 0, false
	}
	if s == "" {
		return us, true
	}
	if s[0] != ' ' && s[0] != 'T' {
		return 0, false
	}
	h, s, ok := digits(s[1:], 1, 2)
	if !ok || s == "" || s[0] != ':' {
		return 0, false
	}
	mi, s, ok := digits(s[1:], 2, 2)
	if !ok {
		return 0, false
	}
	var sec, frac int64
	if s != "" && s[0] == ':' {
		if sec, s, ok = digits(s[1:], 2, 2); !ok {
			return 0, false
		}
		if s != "" && s[0] == '.' {
			n := 0
			for s = s[1:]; s != "" && s[0] >= '0' && s[0] <= '9'; s = s[1:] {
				if n < 6 { // beyond microseconds: truncate
					frac = frac*10 + int64(s[0]-'0')
				}
				n++
			}
			if n == 0 {
				return 0, false
			}
			for ; n < 6; n++ {
				frac *= 10
			}
		}
	}
	if h > 24 || mi > 59 || sec > 59 || (h == 24 && (mi != 0 || sec != 0 || frac != 0)) {
		return 0, false
	}
	if us, ok = addChecked(us, ((h*60+mi)*60+sec)*usPerSec+frac); !ok {
		return 0, false
	}
	switch {
	case s == "" || s == "Z":
	case s[0] == '+' || s[0] == '-':
		oh, rest, ok := digits(s[1:], 2, 2)
		var om int64
		if ok && rest != "" && rest[0] == ':' {
			om, rest, ok = digits(rest[1:], 2, 2)
		}
		if !ok || rest != "" || oh > 23 || om > 59 {
			return 0, false
		}
		off := (oh*60 + om) * 60 * usPerSec
		if s[0] == '+' {
			off = -off
		}
		if us, ok = addChecked(us, off); !ok {
			return 0, false
		}
	default:
		return 0, false
	}
	return us, true
}

// addChecked adds, reporting int64 overflow.
func addChecked(a, b int64) (int64, bool) {
	s := a + b
	return s, (s^a)&(s^b) >= 0
}

// digits reads between lo and hi decimal digits.
func digits(s string, lo, hi int) (int64, string, bool) {
	var v int64
	n := 0
	for n < len(s) && n < hi && s[n] >= '0' && s[n] <= '9' {
		v = v*10 + int64(s[n]-'0')
		n++
	}
	return v, s[n:], n >= lo
}

func trimSpace(s string) string {
	for s != "" && isSpace(s[0]) {
		s = s[1:]
	}
	for s != "" && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// dateNode is extract(year|month|day), date_add_days and date_add_months.
type dateNode struct {
	op   expr.Op
	x    node
	arg  node // days or months to add
	from coldata.Type
	t    coldata.Type
	res  result
}

func (c *compiler) compileDateFunc(e *expr.Func, args []node) (node, error) {
	x := args[0]
	from := x.typ()
	if from.ID == coldata.Unknown || isNullConst(x) || len(args) > 1 && (args[1].typ().ID == coldata.Unknown || isNullConst(args[1])) {
		return newConst(e.Typ, coldata.NullDatum), nil
	}
	n := &dateNode{op: e.Op, x: x, from: from, t: e.Typ}
	switch e.Op {
	case expr.OpExtractYear, expr.OpExtractMonth, expr.OpExtractDay:
		if (from.ID != coldata.Date && from.ID != coldata.Timestamp) || e.Typ.ID != coldata.Int64 {
			return nil, errorf("%s(%s) -> %s is not supported", e.Op, from, e.Typ)
		}
		return fold(n, x), nil
	}
	if len(args) != 2 || from.ID != coldata.Date || e.Typ.ID != coldata.Date || !args[1].typ().IsInteger() {
		return nil, errorf("%s needs (DATE, integer) -> DATE", e.Op)
	}
	n.arg = args[1]
	return fold(n, x, n.arg), nil
}

func (n *dateNode) typ() coldata.Type { return n.t }

func (n *dateNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	xv, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	if n.arg == nil {
		out := n.res.reset(n.t, rows)
		n.res.shareNulls(sel, rows, xv, nil)
		n.extract(out.I64, xv, sel, rows)
		return out, nil
	}
	av, err := n.arg.eval(b, sel)
	if err != nil {
		return nil, err
	}
	out := n.res.reset(n.t, rows)
	n.res.shareNulls(sel, rows, xv, av)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		days := int64(xv.I32[i])
		var delta int64
		if av.Type.ID == coldata.Int32 {
			delta = int64(av.I32[i])
		} else {
			delta = av.I64[i]
		}
		r, ok := days+delta, true
		if n.op == expr.OpDateAddDays {
			ok = (delta >= 0) == (r >= days) // no int64 wrap
		} else {
			r, ok = addMonths(days, delta)
		}
		if !ok || r < -maxDateDays || r > maxDateDays {
			if xv.IsNull(i) || av.IsNull(i) {
				continue
			}
			if n.op == expr.OpDateAddMonths {
				// DuckDB names the civil date it could not make.
				y, m, d := civil(days)
				total := y*12 + m - 1 + delta
				ny, nm := floorDiv(total, 12), total-12*floorDiv(total, 12)+1
				return nil, conversionErrorf("Date out of range: %d-%d-%d", ny, nm, d)
			}
			return nil, rangeErrorf("Date out of range")
		}
		out.I32[i] = int32(r)
	}
	return out, nil
}

// maxDateDays bounds DATE values: DuckDB keeps ±(2^31-1) days for
// ±infinity, so the finite dates lie strictly within.
const maxDateDays = math.MaxInt32 - 1

// addMonths adds months, clamping the day to the new month's length
// ('2024-01-31' + 1 month = '2024-02-29'), as DuckDB does.
func addMonths(days, months int64) (int64, bool) {
	if months > 1e11 || months < -1e11 { // far beyond any DATE; keeps y*12 in range
		return 0, false
	}
	y, m, d := civilFast(days)
	total := y*12 + (m - 1) + months
	ny := total / 12
	nm := total % 12
	if nm < 0 {
		nm += 12
		ny--
	}
	nm++
	return daysFromCivil(ny, nm, min(d, daysInMonth(ny, nm))), true
}

func (n *dateNode) extract(out []int64, xv *coldata.Vec, sel []int32, rows int) {
	ts := n.from.ID == coldata.Timestamp
	inf := false
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		var days int64
		if ts {
			days = floorDiv(xv.I64[i], usPerDay)
			inf = inf || xv.I64[i] == math.MaxInt64 || xv.I64[i] == -math.MaxInt64
		} else {
			days = int64(xv.I32[i])
			inf = inf || days == math.MaxInt32 || days == -math.MaxInt32
		}
		y, m, d := civilFast(days)
		switch n.op {
		case expr.OpExtractYear:
			out[i] = y
		case expr.OpExtractMonth:
			out[i] = m
		default:
			out[i] = d
		}
	}
	if inf { // ±infinity has no parts: NULL, as in DuckDB
		nulls := n.res.copyNulls(sel, rows, xv)
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			if ts {
				nulls[i] = nulls[i] || xv.I64[i] == math.MaxInt64 || xv.I64[i] == -math.MaxInt64
			} else {
				nulls[i] = nulls[i] || xv.I32[i] == math.MaxInt32 || xv.I32[i] == -math.MaxInt32
			}
		}
	}
}
