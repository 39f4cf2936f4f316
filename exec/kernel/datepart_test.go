package kernel

import (
	"math"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// refDatePartOp is the oracle for datepart.go, on package time's calendar.
func refDatePartOp(e *expr.Func, args []coldata.Datum) (coldata.Datum, bool, error) {
	asTime := func(d coldata.Datum, t coldata.Type) time.Time {
		if t.ID == coldata.Date {
			return time.Unix(d.I*86400, 0).UTC()
		}
		return time.UnixMicro(d.I).UTC()
	}
	switch e.Op {
	case expr.OpDatePart:
		t := asTime(args[0], e.Args[0].Type())
		canon, ok := expr.DatePart(args[1].S)
		if !ok {
			return coldata.Datum{}, true, conversionErrorf("extract specifier \"%s\" not recognized", args[1].S)
		}
		return refDatePart(t, canon), true, nil
	case expr.OpEpochUnits:
		if e.Typ.ID == coldata.Timestamp {
			return coldata.Datum{I: args[0].I * (1_000_000 / args[1].I)}, true, nil
		}
		t := asTime(args[0], e.Args[0].Type())
		switch args[1].I {
		case 1000:
			return coldata.Datum{I: t.UnixMicro() / 1000}, true, nil
		case 1_000_000:
			return coldata.Datum{I: t.UnixMicro()}, true, nil
		}
		return coldata.Datum{I: t.UnixMicro() * 1000}, true, nil
	case expr.OpMakeTS:
		sec := math.Floor(args[5].F)
		t := time.Date(int(args[0].I), time.Month(args[1].I), int(args[2].I), int(args[3].I), int(args[4].I),
			int(sec), int(math.Round((args[5].F-sec)*1e6))*1000, time.UTC)
		if t.Day() != int(args[2].I) || t.Month() != time.Month(args[1].I) {
			return coldata.Datum{}, true, conversionErrorf("Date out of range")
		}
		return coldata.Datum{I: t.UnixMicro()}, true, nil
	}
	return coldata.Datum{}, false, nil
}

func refDatePart(t time.Time, part string) coldata.Datum {
	y := int64(t.Year())
	iy, iw := t.ISOWeek()
	us := int64(t.Nanosecond()/1000) + int64(t.Second())*1_000_000
	century := func(n int64) int64 {
		if y > 0 {
			return (y-1)/n + 1
		}
		return y/n - 1
	}
	v := map[string]int64{
		"year": y, "month": int64(t.Month()), "day": int64(t.Day()), "decade": y / 10,
		"century": century(100), "millennium": century(1000), "quarter": (int64(t.Month()) + 2) / 3,
		"dow": int64(t.Weekday()), "isodow": (int64(t.Weekday())+6)%7 + 1, "doy": int64(t.YearDay()),
		"week": int64(iw), "isoyear": int64(iy), "yearweek": int64(iy)*100 + int64(iw),
		"hour": int64(t.Hour()), "minute": int64(t.Minute()), "second": int64(t.Second()),
		"millisecond": us / 1000, "microsecond": us, "era": map[bool]int64{true: 1}[y > 0],
		"timezone": 0, "timezone_hour": 0, "timezone_minute": 0,
	}
	switch part {
	case "epoch":
		return coldata.Datum{F: float64(t.UnixMicro()) / 1e6}
	case "julian":
		return coldata.Datum{F: float64(t.UnixMicro())/864e8 + 2440588}
	}
	return coldata.Datum{I: v[part]}
}

func TestDatePart(t *testing.T) {
	ts := types(tTS, tD, tS)
	rows := rowsOf(ts,
		"2020-05-17 10:11:12.345678|2020-05-17|dow",
		"1969-12-31 23:59:59.999999|1969-12-31|week",
		"NULL|NULL|NULL",
		"2021-01-03 23:00:00|2021-01-03|yearweek",
		"0044-03-15 12:00:00|0044-03-15|microseconds",
		"2000-02-29 00:00:00|1900-03-01|doy")
	var cases []tcase
	for _, p := range []string{"year", "month", "day", "decade", "century", "millennium", "quarter", "dow", "isodow", "doy",
		"week", "isoyear", "yearweek", "hour", "minute", "second", "ms", "us", "era", "timezone", "epoch", "julian"} {
		typ := tI64
		if p == "epoch" || p == "julian" {
			typ = tF
		}
		cases = append(cases, tcase{name: "ts " + p, types: ts, rows: rows, e: fn(expr.OpDatePart, typ, col(0, tTS), lit(tS, p))})
		if p != "timezone" {
			cases = append(cases, tcase{name: "date " + p, types: ts, rows: rows, e: fn(expr.OpDatePart, typ, col(1, tD), lit(tS, p))})
		}
	}
	cases = append(cases,
		tcase{name: "want week", types: ts, rows: rows, e: fn(expr.OpDatePart, tI64, col(0, tTS), lit(tS, "week")),
			want: strs("20", "1", "NULL", "53", "11", "9")},
		tcase{name: "want yearweek", types: ts, rows: rows, e: fn(expr.OpDatePart, tI64, col(0, tTS), lit(tS, "yearweek")),
			want: strs("202020", "197001", "NULL", "202053", "4411", "200009")},
		tcase{name: "per-row part", types: ts, rows: rows, e: fn(expr.OpDatePart, tI64, col(0, tTS), col(2, tS)),
			want: strs("0", "1", "NULL", "202053", "0", "60")},
		tcase{name: "bad part", types: ts, rows: rowsOf(ts, "2020-01-01 00:00:00|2020-01-01|fortnight"), e: fn(expr.OpDatePart, tI64, col(0, tTS), col(2, tS)),
			err: "Conversion Error: extract specifier \"fortnight\" not recognized"},
		tcase{name: "epoch_ms", types: ts, rows: rows, e: fn(expr.OpEpochUnits, tI64, col(0, tTS), lit(tI64, "1000")),
			want: strs("1589710272345", "0", "NULL", "1609714800000", "-60772248000000", "951782400000")},
		tcase{name: "epoch_us date", types: ts, rows: rows, e: fn(expr.OpEpochUnits, tI64, col(1, tD), lit(tI64, "1000000"))},
		tcase{name: "epoch_ns", types: ts, rows: rows[:4], e: fn(expr.OpEpochUnits, tI64, col(0, tTS), lit(tI64, "1000000000"))},
	)
	runCases(t, cases)
}

func TestMakeTimestamp(t *testing.T) {
	ts := types(tI64, tI64, tI64, tI64, tI64, tF)
	rows := rowsOf(ts, "2020|1|2|3|4|5.5", "1969|12|31|23|59|59.999999", "NULL|1|1|1|1|1", "44|3|15|12|0|0")
	args := []expr.Expr{col(0, tI64), col(1, tI64), col(2, tI64), col(3, tI64), col(4, tI64), col(5, tF)}
	runCases(t, []tcase{
		{name: "parts", types: ts, rows: rows, e: fn(expr.OpMakeTS, tTS, args...),
			want: strs("2020-01-02 03:04:05.5", "1969-12-31 23:59:59.999999", "NULL", "0044-03-15 12:00:00")},
		{name: "micros", types: ts, rows: rows, e: fn(expr.OpEpochUnits, tTS, col(0, tI64), lit(tI64, "1000000"))},
		{name: "bad date", types: ts, rows: rowsOf(ts, "2020|2|30|1|1|1"), e: fn(expr.OpMakeTS, tTS, args...),
			err: "Conversion Error: Date out of range: 2020-2-30"},
	})
}
