package kernel

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

const (
	usPerMs   = 1000
	usPerMin  = 60 * usPerSec
	usPerHour = 60 * usPerMin
)

// Date parts, resolved once at compile time so the loops switch on an int.
const (
	partMicrosecond = iota
	partMillisecond
	partSecond
	partMinute
	partHour
	partDay
	partWeek
	partMonth
	partQuarter
	partYear
	partDecade
	partCentury
	partMillennium
)

var partCodes = map[string]int{"microsecond": partMicrosecond, "millisecond": partMillisecond, "second": partSecond, "minute": partMinute, "hour": partHour, "day": partDay, "week": partWeek, "month": partMonth, "quarter": partQuarter, "year": partYear, "decade": partDecade, "century": partCentury, "millennium": partMillennium}

var (
	dayNames   = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	monthNames = [12]string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}
)

// calNode is date_trunc, date_diff, last_day, dayname, monthname and
// make_date: calendar arithmetic on day numbers and microseconds.
type calNode struct {
	op   expr.Op
	args []node
	part int // date_trunc, date_diff: the part's code
	t    coldata.Type
	res  result
	vs   []*coldata.Vec
}

func (c *compiler) compileCalFunc(e *expr.Func, args []node) (node, error) {
	type sig struct {
		args []coldata.TypeID
		res  coldata.TypeID
	}
	ts, d, i64, s := coldata.Timestamp, coldata.Date, coldata.Int64, coldata.String
	want := map[expr.Op]sig{
		expr.OpDateTrunc: {[]coldata.TypeID{ts, s}, ts}, expr.OpDateDiff: {[]coldata.TypeID{s, ts, ts}, i64},
		expr.OpLastDay: {[]coldata.TypeID{d}, d}, expr.OpDayName: {[]coldata.TypeID{d}, s},
		expr.OpMonthName: {[]coldata.TypeID{d}, s}, expr.OpMakeDate: {[]coldata.TypeID{i64, i64, i64}, d},
	}[e.Op]
	if len(args) != len(want.args) || e.Typ.ID != want.res {
		return nil, errorf("%s takes %d arguments and returns %s", e.Op, len(want.args), coldata.Type{ID: want.res})
	}
	n := &calNode{op: e.Op, args: args, t: e.Typ}
	for i, a := range args {
		if isNullConst(a) || a.typ().ID == coldata.Unknown {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
		if a.typ().ID != want.args[i] {
			return nil, errorf("%s argument %d must be %s, got %s", e.Op, i+1, coldata.Type{ID: want.args[i]}, a.typ())
		}
		if want.args[i] == s {
			k, ok := a.(*constNode)
			if !ok && e.Op == expr.OpDateTrunc {
				return &truncRowsNode{x: args[0], parts: a}, nil
			}
			if !ok {
				return nil, errorf("%s needs a constant part", e.Op)
			}
			canon, ok := expr.DatePart(k.d.S)
			if !ok {
				return nil, conversionErrorf("extract specifier %q not recognized", k.d.S)
			}
			if n.part, ok = calPart(partCodes[canon]); !ok {
				return nil, errorf("Specifier type not implemented for %s", map[bool]string{true: "DATETRUNC statistics", false: "DATEDIFF"}[e.Op == expr.OpDateTrunc])
			}
		}
	}
	if e.Op == expr.OpDateTrunc {
		n.args = args[:1]
	}
	if e.Op == expr.OpDateDiff {
		n.args = args[1:]
	}
	return fold(n, n.args...), nil
}

func (n *calNode) typ() coldata.Type { return n.t }

func (n *calNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	out := n.res.reset(n.t, rows)
	if len(vs) == 1 {
		n.res.shareNulls(sel, rows, vs[0], nil)
	} else {
		n.res.copyNulls(sel, rows, vs...)
	}
	if n.op == expr.OpLastDay || n.op == expr.OpDayName || n.op == expr.OpMonthName || n.op == expr.OpDateDiff {
		nullInfinite(&n.res, sel, rows, vs...)
	}
	nulls := out.Nulls
	live := func(i int) bool { return nulls == nil || !nulls[i] }
	switch n.op {
	case expr.OpDateTrunc:
		x := vs[0].I64
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			out.I64[i] = truncMicros(x[i], n.part)
			if isInfinite(vs[0], i) {
				out.I64[i] = x[i]
			}
		}
	case expr.OpDateDiff:
		a, z := vs[0].I64, vs[1].I64
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			out.I64[i] = diffMicros(a[i], z[i], n.part)
		}
	case expr.OpLastDay:
		x := vs[0].I32
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			y, m, _ := civil(int64(x[i]))
			out.I32[i] = int32(daysFromCivil(y, m, daysInMonth(y, m)))
		}
	case expr.OpDayName:
		x := vs[0].I32
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			out.Str[i] = dayNames[floorMod(int64(x[i])+4, 7)]
		}
	case expr.OpMonthName:
		x := vs[0].I32
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			_, m, _ := civil(int64(x[i]))
			out.Str[i] = monthNames[m-1]
		}
	case expr.OpMakeDate:
		y, m, d := vs[0].I64, vs[1].I64, vs[2].I64
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			if !live(i) {
				continue
			}
			days, ok := makeDate(y[i], m[i], d[i])
			if !ok {
				return nil, conversionErrorf("Date out of range: %d-%d-%d", y[i], m[i], d[i])
			}
			out.I32[i] = days
		}
	}
	return out, nil
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// makeDate is the day number of y-m-d, if that is a date an int32 holds.
func makeDate(y, m, d int64) (int32, bool) {
	if m < 1 || m > 12 || d < 1 || y < -5877641 || y > 5881580 || d > daysInMonth(y, m) {
		return 0, false
	}
	days := daysFromCivil(y, m, d)
	return int32(days), days == int64(int32(days))
}

// truncMicros truncates a timestamp to the start of its part.
func truncMicros(us int64, part int) int64 {
	switch part {
	case partMicrosecond:
		return us
	case partMillisecond:
		return floorDiv(us, usPerMs) * usPerMs
	case partSecond:
		return floorDiv(us, usPerSec) * usPerSec
	case partMinute:
		return floorDiv(us, usPerMin) * usPerMin
	case partHour:
		return floorDiv(us, usPerHour) * usPerHour
	}
	day := floorDiv(us, usPerDay)
	if part == partDay {
		return day * usPerDay
	}
	if part == partWeek { // ISO weeks start on Monday; day 0 was a Thursday
		return (day - floorMod(day+3, 7)) * usPerDay
	}
	if part == partISOYear {
		return isoYearStart(isoYear(day)) * usPerDay
	}
	y, m, _ := civil(day)
	switch part {
	case partMonth:
	case partQuarter:
		m = (m-1)/3*3 + 1
	case partYear:
		m = 1
	case partDecade:
		y, m = floorDiv(y, 10)*10, 1
	case partCentury:
		y, m = floorDiv(y, 100)*100, 1
	case partMillennium:
		y, m = floorDiv(y, 1000)*1000, 1
	}
	return daysFromCivil(y, m, 1) * usPerDay
}

// diffMicros counts the part boundaries between two timestamps, as
// DuckDB's date_diff; weeks are whole 7-day spans.
func diffMicros(a, z int64, part int) int64 {
	switch part {
	case partMicrosecond:
		return z - a
	case partMillisecond:
		return floorDiv(z, usPerMs) - floorDiv(a, usPerMs)
	case partSecond:
		return floorDiv(z, usPerSec) - floorDiv(a, usPerSec)
	case partMinute:
		return floorDiv(z, usPerMin) - floorDiv(a, usPerMin)
	case partHour:
		return floorDiv(z, usPerHour) - floorDiv(a, usPerHour)
	}
	da, dz := floorDiv(a, usPerDay), floorDiv(z, usPerDay)
	switch part {
	case partDay:
		return dz - da
	case partWeek:
		return (dz - da) / 7
	}
	if part == partISOYear {
		return isoYear(dz) - isoYear(da)
	}
	ya, ma, _ := civil(da)
	yz, mz, _ := civil(dz)
	switch part {
	case partMonth:
		return (yz*12 + mz) - (ya*12 + ma)
	case partQuarter:
		return (yz*4 + (mz-1)/3) - (ya*4 + (ma-1)/3)
	case partYear:
		return yz - ya
	case partDecade:
		return floorDiv(yz, 10) - floorDiv(ya, 10)
	case partCentury:
		return floorDiv(yz, 100) - floorDiv(ya, 100)
	}
	return floorDiv(yz, 1000) - floorDiv(ya, 1000)
}
