package kernel

import (
	"math"
	"strings"
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
	case expr.OpTSAddInterval:
		t := time.UnixMicro(args[0].I).UTC()
		if args[0].I == math.MaxInt64 || args[0].I == -math.MaxInt64 {
			return args[0], true, nil
		}
		if args[1].I > 12*290000 || args[1].I < -12*290000 {
			return coldata.Datum{}, true, conversionErrorf("Date and time not in timestamp range")
		}
		return coldata.Datum{I: refAddInterval(t, args[1].I, args[2].I, args[3].I).UnixMicro()}, true, nil
	case expr.OpTimeBucket:
		t := refAddInterval(time.UnixMicro(args[0].I).UTC(), -args[4].I, -args[5].I, -args[6].I)
		o := time.UnixMicro(args[1].I).UTC()
		var b time.Time
		if args[2].I == 0 {
			w := args[3].I
			d := t.UnixMicro() - o.UnixMicro()
			q := d / w
			if d%w < 0 {
				q--
			}
			b = time.UnixMicro(o.UnixMicro() + q*w).UTC()
		} else {
			months := int64(t.Year()-o.Year())*12 + int64(t.Month()-o.Month())
			q := months / args[2].I
			if months%args[2].I < 0 {
				q--
			}
			b = time.Date(o.Year(), o.Month()+time.Month(q*args[2].I), 1, 0, 0, 0, 0, time.UTC)
		}
		return coldata.Datum{I: refAddInterval(b, args[4].I, args[5].I, args[6].I).UnixMicro()}, true, nil
	case expr.OpDateSub:
		canon, _ := expr.DatePart(args[0].S)
		a, z := time.UnixMicro(args[1].I).UTC(), time.UnixMicro(args[2].I).UTC()
		per := map[string]time.Duration{"microsecond": time.Microsecond, "millisecond": time.Millisecond, "second": time.Second,
			"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour, "week": 7 * 24 * time.Hour}[canon]
		if per != 0 {
			return coldata.Datum{I: int64(z.Sub(a) / per)}, true, nil
		}
		step := map[string]int64{"month": 1, "quarter": 3, "year": 12, "decade": 120}[canon]
		sign := int64(1)
		if z.Before(a) {
			a, z, sign = z, a, -1
		}
		n := int64(0)
		for !refAddInterval(a, (n+1)*step, 0, 0).After(z) {
			n++
		}
		return coldata.Datum{I: sign * n}, true, nil
	case expr.OpStrptime:
		layout := strings.NewReplacer("%Y", "2006", "%m", "01", "%d", "02", "%H", "15", "%M", "04", "%S", "05",
			"%f", "000000", "%B", "January", "%I", "03", "%p", "PM", "%A", "Monday").Replace(args[1].S)
		t, err := time.Parse(layout, args[0].S)
		if err != nil {
			if args[2].B {
				return coldata.NullDatum, true, nil
			}
			return coldata.Datum{}, true, err
		}
		return coldata.Datum{I: t.UnixMicro()}, true, nil
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
		tcase{name: "trunc per-row part", types: ts, rows: rows, e: fn(expr.OpDateTrunc, tTS, col(0, tTS), col(2, tS)),
			want: strs("2020-05-17 00:00:00", "1969-12-29 00:00:00", "NULL", "2020-12-28 00:00:00", "0044-03-15 12:00:00", "2000-02-29 00:00:00")},
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

// refAddInterval adds months (the day clamped to the month's end), days and
// microseconds.
func refAddInterval(t time.Time, months, days, us int64) time.Time {
	if months != 0 {
		first := time.Date(t.Year(), t.Month()+time.Month(months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		t = first.AddDate(0, 0, min(t.Day(), last)-1)
	}
	return t.AddDate(0, 0, int(days)).Add(time.Duration(us) * time.Microsecond)
}

func TestTimestampInterval(t *testing.T) {
	ts := types(tTS, tI64, tI64, tI64, tTS)
	rows := rowsOf(ts,
		"2020-01-31 10:00:00|1|0|0|2000-01-01 06:00:00",
		"2020-03-31 12:00:00|-1|-2|-3600000000|1980-02-03 00:00:00",
		"NULL|1|1|1|2000-01-03 00:00:00",
		"1969-12-31 23:59:59.999999|0|3|90000000|2000-01-03 00:00:00",
		"0044-03-15 12:00:00|25|0|1|2000-01-01 00:00:00")
	a := func(i int) expr.Expr { return col(i, tI64) }
	k := func(v string) expr.Expr { return lit(tI64, v) }
	runCases(t, []tcase{
		{name: "add", types: ts, rows: rows, e: fn(expr.OpTSAddInterval, tTS, col(0, tTS), a(1), a(2), a(3))},
		{name: "add want", types: ts, rows: rows[:2], e: fn(expr.OpTSAddInterval, tTS, col(0, tTS), a(1), a(2), a(3)),
			want: strs("2020-02-29 10:00:00", "2020-02-27 11:00:00")},
		{name: "overflow", types: ts, rows: rowsOf(ts, "2020-01-01 00:00:00|9223372036854775|0|0|2000-01-01 00:00:00"),
			e: fn(expr.OpTSAddInterval, tTS, col(0, tTS), a(1), a(2), a(3)), err: "Conversion Error: Date and time not in timestamp range"},
		{name: "bucket days", types: ts, rows: rows, e: fn(expr.OpTimeBucket, tTS, col(0, tTS), col(4, tTS), k("0"), k("172800000000"), k("0"), k("0"), k("0"))},
		{name: "bucket hour offset", types: ts, rows: rows, e: fn(expr.OpTimeBucket, tTS, col(0, tTS), col(4, tTS), k("0"), k("3600000000"), k("0"), k("0"), k("900000000"))},
		{name: "bucket months", types: ts, rows: rows, e: fn(expr.OpTimeBucket, tTS, col(0, tTS), col(4, tTS), k("5"), k("0"), k("0"), k("0"), k("0"))},
		{name: "bucket months offset", types: ts, rows: rows, e: fn(expr.OpTimeBucket, tTS, col(0, tTS), col(4, tTS), k("3"), k("0"), k("0"), k("6"), k("0"))},
		{name: "bucket want", types: ts, rows: rows[:2], e: fn(expr.OpTimeBucket, tTS, col(0, tTS), col(4, tTS), k("5"), k("0"), k("0"), k("0"), k("0")),
			want: strs("2020-01-01 00:00:00", "2020-02-01 00:00:00")},
	})
}

func TestDateSub(t *testing.T) {
	ts := types(tTS, tTS)
	rows := rowsOf(ts,
		"2020-01-31 00:00:00|2020-02-29 00:00:00",
		"2020-02-29 10:00:00|2021-02-28 11:00:00",
		"2020-02-29 10:00:00|2021-02-28 09:00:00",
		"2020-03-31 00:00:00|2020-02-29 00:00:00",
		"NULL|2020-01-01 00:00:00",
		"1969-12-31 23:59:59.999999|1970-01-01 00:00:00",
		"2020-01-01 10:00:00|2020-01-01 08:30:00")
	var cases []tcase
	for _, p := range []string{"month", "quarter", "year", "decade", "day", "week", "hour", "minute", "second", "ms", "us"} {
		cases = append(cases, tcase{name: p, types: ts, rows: rows, e: fn(expr.OpDateSub, tI64, lit(tS, p), col(0, tTS), col(1, tTS))})
	}
	cases = append(cases, tcase{name: "month want", types: ts, rows: rows, e: fn(expr.OpDateSub, tI64, lit(tS, "month"), col(0, tTS), col(1, tTS)),
		want: strs("1", "12", "11", "-1", "NULL", "0", "0")})
	runCases(t, cases)
}

func TestStrptime(t *testing.T) {
	ts := types(tS)
	rows := rowsOf(ts, "2020-01-05 10:11:12.123456", "1969-12-31 23:59:59.000001", "NULL", "0044-03-15 12:00:00.000000")
	f := "%Y-%m-%d %H:%M:%S.%f"
	bad := rowsOf(ts, "2020-13-05 10:11:12.123456", "2020-01-05 10:11:12.123456", "junk")
	named := rowsOf(ts, "Monday, March 02, 2020 03:04:05 PM", "Sunday, December 31, 1899 12:00:00 AM")
	runCases(t, []tcase{
		{name: "parse", types: ts, rows: rows, e: fn(expr.OpStrptime, tTS, col(0, tS), lit(tS, f), lit(tB, "false")),
			want: strs("2020-01-05 10:11:12.123456", "1969-12-31 23:59:59.000001", "NULL", "0044-03-15 12:00:00")},
		{name: "names", types: ts, rows: named, e: fn(expr.OpStrptime, tTS, col(0, tS), lit(tS, "%A, %B %d, %Y %I:%M:%S %p"), lit(tB, "false"))},
		{name: "error", types: ts, rows: bad, e: fn(expr.OpStrptime, tTS, col(0, tS), lit(tS, f), lit(tB, "false")),
			err: "Month out of range"},
		{name: "try", types: ts, rows: bad, e: fn(expr.OpStrptime, tTS, col(0, tS), lit(tS, f), lit(tB, "true")),
			want: strs("NULL", "2020-01-05 10:11:12.123456", "NULL")},
	})
}
