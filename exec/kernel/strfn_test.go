package kernel

import (
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

func TestStringFunctions(t *testing.T) {
	ts := types(tS, tS)
	rows := rowsOf(ts, "hello|lo", "héllo wörld|wö", "  pad  |pad", "|", "NULL|x", "日本語|本", "MiXeD 123|MIX")
	s, p := col(0, tS), col(1, tS)
	runCases(t, []tcase{
		{name: "upper", types: ts, rows: rows, e: fn(expr.OpUpper, tS, s),
			want: strs("HELLO", "HÉLLO WÖRLD", "  PAD  ", "", "NULL", "日本語", "MIXED 123")},
		{name: "lower", types: ts, rows: rows, e: fn(expr.OpLower, tS, s),
			want: strs("hello", "héllo wörld", "  pad  ", "", "NULL", "日本語", "mixed 123")},
		{name: "length", types: ts, rows: rows, e: fn(expr.OpLength, tI64, s),
			want: strs("5", "11", "7", "0", "NULL", "3", "9")},
		{name: "trim", types: ts, rows: rows, e: fn(expr.OpTrim, tS, s),
			want: strs("hello", "héllo wörld", "pad", "", "NULL", "日本語", "MiXeD 123")},
		{name: "concat", types: ts, rows: rows, e: fn(expr.OpConcat, tS, s, p),
			want: strs("hellolo", "héllo wörldwö", "  pad  pad", "", "NULL", "日本語本", "MiXeD 123MIX")},
		{name: "concat const", types: ts, rows: rows, e: fn(expr.OpConcat, tS, lit(tS, "<"), s, lit(tS, ">"))},
		{name: "concat null const", types: ts, rows: rows, e: fn(expr.OpConcat, tS, s, null(tS))},
		{name: "starts_with", types: ts, rows: rows, e: fn(expr.OpStartsWith, tB, s, p),
			want: strs("false", "false", "false", "true", "NULL", "false", "false")},
		{name: "starts_with const", types: ts, rows: rows, e: fn(expr.OpStartsWith, tB, s, lit(tS, "hé"))},
		{name: "contains", types: ts, rows: rows, e: fn(expr.OpContains, tB, s, p),
			want: strs("true", "true", "true", "true", "NULL", "true", "false")},
		{name: "contains const", types: ts, rows: rows, e: fn(expr.OpContains, tB, s, lit(tS, "l"))},
		{name: "contains wildcard chars", types: ts, rows: rows, e: fn(expr.OpContains, tB, s, lit(tS, "%"))},
		{name: "not contains const", types: ts, rows: rows, e: fn(expr.OpNot, tB, fn(expr.OpContains, tB, s, lit(tS, "l")))},
	})
}

func TestSubstring(t *testing.T) {
	ts := types(tS, tI64, tI64)
	rows := rowsOf(ts,
		"hello|2|3", "hello|0|2", "hello|0|1", "hello|-3|2", "hello|3|-2", "hello|10|2", "hello|1|0",
		"hello|-10|3", "hello|-10|20", "hello|5|-10", "héllo|2|2", "日本語|2|5", "日本語|-1|1", "hello|NULL|1",
		"hello|1|NULL", "hello|0|-1", "hello|2|9223372036854775807", "hello|-9223372036854775808|-9223372036854775808",
		"hello|9223372036854775807|1")
	s, start, length := col(0, tS), col(1, tI64), col(2, tI64)
	runCases(t, []tcase{
		{name: "three args", types: ts, rows: rows, e: fn(expr.OpSubstring, tS, s, start, length),
			want: strs("ell", "h", "", "ll", "he", "", "", "hel", "hello", "hell", "él", "本語", "語", "NULL", "NULL", "", "ello", "", "")},
		{name: "two args", types: ts, rows: rows[:14], e: fn(expr.OpSubstring, tS, s, start),
			want: strs("ello", "hello", "hello", "llo", "llo", "", "hello", "hello", "hello", "o", "éllo", "本語", "語", "NULL")},
		{name: "int32 positions", types: types(tS, tI32), rows: rowsOf(types(tS, tI32), "hello|2", "hello|-1"),
			e: fn(expr.OpSubstring, tS, col(0, tS), col(1, tI32), lit(tI32, "2")), want: strs("el", "o")},
	})
}

func TestDateFunctions(t *testing.T) {
	ts := types(tD, tTS, tI64)
	rows := rowsOf(ts,
		"2024-01-31|2024-01-31 23:59:59|1",
		"2023-01-31|1969-12-31 23:59:59.999999|1",
		"2024-03-31|1900-02-28 12:00:00|-1",
		"2000-02-29|2000-02-29 00:00:00|12",
		"1969-01-31|1969-01-31 00:00:00|1",
		"1600-02-29|1600-02-29 00:00:00|-12",
		"0001-01-01|0001-01-01 00:00:00|-1",
		"1970-01-01|NULL|NULL",
		"NULL|1970-01-01 00:00:00|0",
		"1969-12-31|1583-10-15 10:00:00|-25",
	)
	d, tsc, n := col(0, tD), col(1, tTS), col(2, tI64)
	runCases(t, []tcase{
		{name: "year of date", types: ts, rows: rows, e: fn(expr.OpExtractYear, tI64, d),
			want: strs("2024", "2023", "2024", "2000", "1969", "1600", "1", "1970", "NULL", "1969")},
		{name: "month of date", types: ts, rows: rows, e: fn(expr.OpExtractMonth, tI64, d),
			want: strs("1", "1", "3", "2", "1", "2", "1", "1", "NULL", "12")},
		{name: "day of date", types: ts, rows: rows, e: fn(expr.OpExtractDay, tI64, d),
			want: strs("31", "31", "31", "29", "31", "29", "1", "1", "NULL", "31")},
		{name: "year of timestamp", types: ts, rows: rows, e: fn(expr.OpExtractYear, tI64, tsc),
			want: strs("2024", "1969", "1900", "2000", "1969", "1600", "1", "NULL", "1970", "1583")},
		{name: "day of timestamp", types: ts, rows: rows, e: fn(expr.OpExtractDay, tI64, tsc),
			want: strs("31", "31", "28", "29", "31", "29", "1", "NULL", "1", "15")},
		{name: "month of timestamp", types: ts, rows: rows, e: fn(expr.OpExtractMonth, tI64, tsc)},
		{name: "add months clamps", types: ts, rows: rows, e: fn(expr.OpDateAddMonths, tD, d, n),
			want: strs("2024-02-29", "2023-02-28", "2024-02-29", "2001-02-28", "1969-02-28", "1599-02-28", "0001-12-01 (BC)", "NULL", "NULL", "1967-11-30")},
		{name: "add days", types: ts, rows: rows, e: fn(expr.OpDateAddDays, tD, d, n),
			want: strs("2024-02-01", "2023-02-01", "2024-03-30", "2000-03-12", "1969-02-01", "1600-02-17", "0001-12-31 (BC)", "NULL", "NULL", "1969-12-06")},
		{name: "add days const", types: ts, rows: rows, e: fn(expr.OpDateAddDays, tD, d, lit(tI64, "-90"))},
		{name: "add months overflow", types: ts, rows: rowsOf(ts, "2024-01-31|NULL|100000000000"),
			e: fn(expr.OpDateAddMonths, tD, d, n), err: "Conversion Error: Date out of range: "},
		{name: "add days overflow", types: ts, rows: rowsOf(ts, "2024-01-31|NULL|9223372036854775807"),
			e: fn(expr.OpDateAddDays, tD, d, n), err: "Out of Range Error: Date out of range"},
	})
}

func TestCivilExhaustive(t *testing.T) {
	// Every day from 1600 to 2400 and a wide stride beyond: civil and
	// daysFromCivil invert each other and agree with package time.
	for days := int64(-135140); days < 157000; days++ {
		y, m, d := civil(days)
		if back := daysFromCivil(y, m, d); back != days {
			t.Fatalf("daysFromCivil(civil(%d)) = %d", days, back)
		}
		if fy, fm, fd := civilFast(days); fy != y || fm != m || fd != d {
			t.Fatalf("civilFast(%d) = %d-%d-%d, civil says %d-%d-%d", days, fy, fm, fd, y, m, d)
		}
		tm := coldata.DateToTime(int32(days))
		if int64(tm.Year()) != y || int64(tm.Month()) != m || int64(tm.Day()) != d {
			t.Fatalf("civil(%d) = %d-%d-%d, time says %s", days, y, m, d, tm.Format("2006-01-02"))
		}
	}
	for days := int64(-2147483648); days < 2147483647-1_000_003; days += 1_000_003 {
		y, m, d := civil(days)
		if back := daysFromCivil(y, m, d); back != days {
			t.Fatalf("daysFromCivil(civil(%d)) = %d", days, back)
		}
	}
}
