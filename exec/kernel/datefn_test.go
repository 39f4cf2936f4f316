package kernel

import (
	"testing"

	"github.com/peregrinedb/peregrine/planner/expr"
)

func TestCalendarFunctions(t *testing.T) {
	ts := types(tTS, tTS, tD, tI64, tI64, tI64)
	rows := rowsOf(ts,
		"2020-05-17 10:11:12.345678|2021-03-01 00:00:00|2020-02-29|2020|2|29",
		"1969-12-31 23:59:59.999999|1970-01-01 00:00:00|1969-12-31|1970|1|1",
		"1900-02-28 12:00:00|2099-12-31 23:59:59|2000-01-01|1|12|31",
		"NULL|2000-01-01 00:00:00|NULL|NULL|3|3",
		"1999-12-31 23:30:00|1999-12-31 23:29:00|1583-10-15|2400|2|29",
		"0044-03-15 12:00:00|2027-05-17 00:00:00|2027-05-17|2023|6|31")
	a, z, d := col(0, tTS), col(1, tTS), col(2, tD)
	var cases []tcase
	for _, p := range []string{"microsecond", "ms", "second", "minute", "hour", "day", "week", "month", "quarter", "year", "decade", "century", "millennium"} {
		cases = append(cases,
			tcase{name: "trunc " + p, types: ts, rows: rows, e: fn(expr.OpDateTrunc, tTS, a, lit(tS, p))},
			tcase{name: "diff " + p, types: ts, rows: rows, e: fn(expr.OpDateDiff, tI64, lit(tS, p), a, z)})
	}
	cases = append(cases,
		tcase{name: "trunc month want", types: ts, rows: rows, e: fn(expr.OpDateTrunc, tTS, z, lit(tS, "mon")),
			want: strs("2021-03-01 00:00:00", "1970-01-01 00:00:00", "2099-12-01 00:00:00", "2000-01-01 00:00:00", "1999-12-01 00:00:00", "2027-05-01 00:00:00")},
		tcase{name: "diff month want", types: ts, rows: rows, e: fn(expr.OpDateDiff, tI64, lit(tS, "month"), a, z),
			want: strs("10", "1", "2398", "NULL", "0", "23798")},
		tcase{name: "last_day", types: ts, rows: rows, e: fn(expr.OpLastDay, tD, d),
			want: strs("2020-02-29", "1969-12-31", "2000-01-31", "NULL", "1583-10-31", "2027-05-31")},
		tcase{name: "dayname", types: ts, rows: rows, e: fn(expr.OpDayName, tS, d),
			want: strs("Saturday", "Wednesday", "Saturday", "NULL", "Saturday", "Monday")},
		tcase{name: "monthname", types: ts, rows: rows, e: fn(expr.OpMonthName, tS, d)},
		tcase{name: "make_date", types: ts, rows: rows[:4], e: fn(expr.OpMakeDate, tD, col(3, tI64), col(4, tI64), col(5, tI64)),
			want: strs("2020-02-29", "1970-01-01", "0001-12-31", "NULL")},
		tcase{name: "make_date invalid", types: ts, rows: rows, e: fn(expr.OpMakeDate, tD, col(3, tI64), col(4, tI64), col(5, tI64)),
			err: "Conversion Error: Date out of range: 2023-6-31"},
	)
	runCases(t, cases)
}

func TestStrftime(t *testing.T) {
	ts := types(tTS, tD)
	rows := rowsOf(ts, "2020-03-05 07:08:09.123456|2020-03-05", "1969-12-31 23:59:59.999999|1969-12-31", "2024-12-30 12:00:00|2024-12-30",
		"NULL|NULL", "0044-01-01 00:00:00.000001|2027-01-01", "2021-01-03 23:00:00|2021-01-03", "9999-12-31 13:14:15|1583-10-15")
	all := "%a|%A|%w|%u|%d|%-d|%b|%h|%B|%m|%-m|%y|%-y|%Y|%G|%H|%-H|%I|%-I|%p|%M|%-M|%S|%-S|%f|%g|%n|%j|%-j|%U|%W|%V|%x|%X|%c|%%|%z"
	runCases(t, []tcase{
		{name: "timestamp", types: ts, rows: rows, e: fn(expr.OpStrftime, tS, col(0, tTS), lit(tS, all))},
		{name: "date", types: ts, rows: rows, e: fn(expr.OpStrftime, tS, col(1, tD), lit(tS, all))},
		{name: "literal only", types: ts, rows: rows, e: fn(expr.OpStrftime, tS, col(1, tD), lit(tS, "x%%y")),
			want: strs("x%y", "x%y", "x%y", "NULL", "x%y", "x%y", "x%y")},
		{name: "month", types: ts, rows: rows, e: fn(expr.OpStrftime, tS, col(1, tD), lit(tS, "%Y-%m")),
			want: strs("2020-03", "1969-12", "2024-12", "NULL", "2027-01", "2021-01", "1583-10")},
	})
}
