package kernel

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// refCalOp is the oracle for datefn.go (no NULL arguments), on package
// time's calendar.
func refCalOp(e *expr.Func, args []coldata.Datum) (coldata.Datum, bool, error) {
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	day := func(t time.Time) int64 { // time.Duration would saturate beyond 292 years
		u := t.Unix()
		if u < 0 {
			return -((-u + 86399) / 86400)
		}
		return u / 86400
	}
	asTime := func(d coldata.Datum, t coldata.Type) time.Time {
		if t.ID == coldata.Date {
			return epoch.AddDate(0, 0, int(d.I))
		}
		return time.UnixMicro(d.I).UTC()
	}
	switch e.Op {
	case expr.OpLastDay, expr.OpDayName, expr.OpMonthName:
		t := asTime(args[0], e.Args[0].Type())
		switch e.Op {
		case expr.OpLastDay:
			return coldata.Datum{I: day(time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC))}, true, nil
		case expr.OpDayName:
			return coldata.Datum{S: t.Weekday().String()}, true, nil
		}
		return coldata.Datum{S: t.Month().String()}, true, nil
	case expr.OpStrftime:
		return coldata.Datum{S: refStrftime(asTime(args[0], e.Args[0].Type()), args[1].S)}, true, nil
	case expr.OpMakeDate:
		y, m, d := args[0].I, args[1].I, args[2].I
		t := time.Date(int(y), time.Month(m), int(d), 0, 0, 0, 0, time.UTC)
		if m < 1 || m > 12 || d < 1 || t.Day() != int(d) {
			return coldata.Datum{}, true, fmt.Errorf("invalid date")
		}
		return coldata.Datum{I: day(t)}, true, nil
	case expr.OpDateTrunc:
		p, _ := expr.DatePart(args[1].S)
		t := asTime(args[0], e.Args[0].Type())
		var r time.Time
		if alias, ok := map[string]string{"dow": "day", "isodow": "day", "doy": "day", "julian": "day", "yearweek": "week", "epoch": "second"}[p]; ok {
			p = alias
		}
		switch p {
		case "isoyear":
			iy, _ := t.ISOWeek()
			jan4 := time.Date(iy, 1, 4, 0, 0, 0, 0, time.UTC)
			r = jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
		case "microsecond", "millisecond", "second", "minute", "hour":
			u := map[string]time.Duration{"microsecond": time.Microsecond, "millisecond": time.Millisecond,
				"second": time.Second, "minute": time.Minute, "hour": time.Hour}[p]
			r = t.Truncate(u) // exact for the multiples of a second since year 1
		case "day":
			r = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		case "week":
			back := (int(t.Weekday()) + 6) % 7
			r = time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, time.UTC)
		case "month":
			r = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		case "quarter":
			r = time.Date(t.Year(), (t.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
		case "year", "decade", "century", "millennium":
			y := t.Year()
			k := map[string]int{"year": 1, "decade": 10, "century": 100, "millennium": 1000}[p]
			y -= ((y % k) + k) % k
			r = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		return coldata.Datum{I: r.UnixMicro()}, true, nil
	case expr.OpDateDiff:
		p, _ := expr.DatePart(args[0].S)
		a, z := asTime(args[1], e.Args[1].Type()), asTime(args[2], e.Args[2].Type())
		trunc := func(x time.Time, part string) int64 {
			d := coldata.Datum{I: x.UnixMicro()}
			v, _, _ := refCalOp(&expr.Func{Op: expr.OpDateTrunc, Args: []expr.Expr{&expr.Const{Typ: coldata.TypeTimestamp}}, Typ: coldata.TypeTimestamp},
				[]coldata.Datum{d, {S: part}})
			return v.I
		}
		switch p {
		case "microsecond":
			return coldata.Datum{I: z.UnixMicro() - a.UnixMicro()}, true, nil
		case "millisecond", "second", "minute", "hour", "day":
			u := map[string]int64{"millisecond": 1e3, "second": 1e6, "minute": 6e7, "hour": 36e8, "day": 864e8}[p]
			return coldata.Datum{I: (trunc(z, p) - trunc(a, p)) / u}, true, nil
		case "week":
			return coldata.Datum{I: (trunc(z, "day") - trunc(a, "day")) / 864e8 / 7}, true, nil
		}
		months := func(t time.Time) int64 { return int64(t.Year())*12 + int64(t.Month()) - 1 }
		k := map[string]int64{"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200, "millennium": 12000}[p]
		fl := func(x int64) int64 {
			if x < 0 {
				return -((-x + k - 1) / k)
			}
			return x / k
		}
		return coldata.Datum{I: fl(months(z)) - fl(months(a))}, true, nil
	}
	return coldata.Datum{}, false, nil
}

// refStrftime formats with package time's layouts and ISOWeek/YearDay, for
// years 0-9999 and the specifiers the tests use.
func refStrftime(t time.Time, f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			b.WriteByte(f[i])
			continue
		}
		i++
		trim := f[i] == '-'
		if trim {
			i++
		}
		layout := map[byte]string{'a': "Mon", 'A': "Monday", 'd': "02", 'b': "Jan", 'h': "Jan", 'B': "January",
			'm': "01", 'y': "06", 'Y': "2006", 'H': "15", 'I': "03", 'p': "PM", 'M': "04", 'S': "05",
			'x': "2006-01-02", 'X': "15:04:05", 'c': "2006-01-02 15:04:05", 'j': "002"}[f[i]]
		isoY, isoW := t.ISOWeek()
		var v string
		switch {
		case f[i] == '%':
			v = "%"
		case layout != "":
			v = t.Format(layout)
		case f[i] == 'w':
			v = strconv.Itoa(int(t.Weekday()))
		case f[i] == 'u':
			v = strconv.Itoa((int(t.Weekday())+6)%7 + 1)
		case f[i] == 'f':
			v = fmt.Sprintf("%06d", t.Nanosecond()/1000)
		case f[i] == 'g':
			v = fmt.Sprintf("%03d", t.Nanosecond()/1000000)
		case f[i] == 'n':
			v = fmt.Sprintf("%09d", t.Nanosecond())
		case f[i] == 'V':
			v = fmt.Sprintf("%02d", isoW)
		case f[i] == 'G':
			v = fmt.Sprintf("%04d", isoY)
		case f[i] == 'U', f[i] == 'W':
			wd := int(t.Weekday())
			if f[i] == 'W' {
				wd = (wd + 6) % 7
			}
			v = fmt.Sprintf("%02d", (t.YearDay()-1+7-wd)/7)
		case f[i] == 'z':
			v = "+00"
		}
		if trim {
			v = strings.TrimLeft(v, "0")
			if v == "" {
				v = "0"
			}
		}
		b.WriteString(v)
	}
	return b.String()
}
