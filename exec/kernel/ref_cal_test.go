package kernel

import (
	"fmt"
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
		switch p {
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
