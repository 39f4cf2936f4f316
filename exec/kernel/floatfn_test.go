package kernel

import (
	"testing"

	"github.com/peregrinedb/peregrine/planner/expr"
)

func TestFloatFunctions(t *testing.T) {
	ts := types(tF, dec(15, 2), tI64)
	rows := rowsOf(ts, "4|1.55|3", "2|-1.55|-3", "0.5|0.00|0", "1e300|-0.01|7", "NULL|NULL|NULL", "NaN|99.99|-9223372036854775808",
		"+Inf|-99.99|9223372036854775807", "100|0.01|1")
	x, d := col(0, tF), col(1, dec(15, 2))
	cases := []tcase{
		{name: "sqrt", types: ts, rows: rows, e: fn(expr.OpSqrt, tF, x), want: strs("2", "1.4142135623730951", "0.7071067811865476", "1e+150", "NULL", "nan", "inf", "10")},
		{name: "ceil decimal", types: ts, rows: rows, e: fn(expr.OpCeil, dec(15, 0), d), want: strs("2", "-1", "0", "0", "NULL", "100", "-99", "1")},
		{name: "floor decimal", types: ts, rows: rows, e: fn(expr.OpFloor, dec(15, 0), d), want: strs("1", "-2", "0", "-1", "NULL", "99", "-100", "0")},
		{name: "trunc decimal", types: ts, rows: rows, e: fn(expr.OpTrunc, dec(15, 0), d), want: strs("1", "-1", "0", "0", "NULL", "99", "-99", "0")},
		{name: "sqrt negative", types: ts, rows: rows, e: fn(expr.OpSqrt, tF, fn(expr.OpNeg, tF, x)), err: "cannot take square root of a negative number"},
		{name: "ln zero", types: ts, rows: rows[2:3], e: fn(expr.OpLn, tF, fn(expr.OpSub, tF, x, lit(tF, "0.5"))), err: "cannot take logarithm of zero"},
		{name: "log2 negative", types: ts, rows: rows[:2], e: fn(expr.OpLog2, tF, fn(expr.OpNeg, tF, x)), err: "cannot take logarithm of a negative number"},
		{name: "ln in case", types: ts, rows: rows, e: caseOf(tF, lit(tF, "0"), fn(expr.OpGt, tB, x, lit(tF, "0")), fn(expr.OpLn, tF, x))},
	}
	for _, op := range []expr.Op{expr.OpCbrt, expr.OpExp, expr.OpLn, expr.OpLog10, expr.OpLog2, expr.OpCeil, expr.OpFloor, expr.OpTrunc} {
		r := rows
		if op == expr.OpLn || op == expr.OpLog10 || op == expr.OpLog2 {
			r = rows[:5] // positive or NULL
		}
		cases = append(cases, tcase{name: op.String(), types: ts, rows: r, e: fn(op, tF, x)})
	}
	runCases(t, cases)
}

func TestGreatestLeast(t *testing.T) {
	ts := types(tI64, tI64, tF, tF, tS, tS, tD, tD)
	rows := rowsOf(ts,
		"1|2|1.5|NaN|a|b|2020-01-01|2019-01-01", "NULL|2|NULL|NULL|NULL|x|NULL|NULL", "NULL|NULL|NaN|NaN|||2020-02-29|2020-02-29",
		"-9223372036854775808|9223372036854775807|-Inf|+Inf|é|e|1970-01-01|1969-12-31", "5|-5|0|-0|ab|a|NULL|2000-01-01")
	for _, op := range []expr.Op{expr.OpGreatest, expr.OpLeast} {
		runCases(t, []tcase{
			{name: op.String() + " int", types: ts, rows: rows, e: fn(op, tI64, col(0, tI64), col(1, tI64))},
			{name: op.String() + " int const", types: ts, rows: rows, e: fn(op, tI64, col(0, tI64), lit(tI64, "3"), null(tI64), col(1, tI64))},
			{name: op.String() + " double", types: ts, rows: rows, e: fn(op, tF, col(2, tF), col(3, tF))},
			{name: op.String() + " varchar", types: ts, rows: rows, e: fn(op, tS, col(4, tS), col(5, tS))},
			{name: op.String() + " date", types: ts, rows: rows, e: fn(op, tD, col(6, tD), col(7, tD))},
			{name: op.String() + " all null", types: ts, rows: rows, e: fn(op, tD, null(tD))},
		})
	}
	runCases(t, []tcase{{name: "greatest int want", types: ts, rows: rows, e: fn(expr.OpGreatest, tI64, col(0, tI64), col(1, tI64)),
		want: strs("2", "2", "NULL", "9223372036854775807", "5")}})
}

func TestGcdLcm(t *testing.T) {
	ts := types(tI64, tI64)
	rows := rowsOf(ts, "12|18", "-12|18", "0|0", "0|-5", "NULL|3", "7|NULL", "9223372036854775807|1", "3037000499|3037000499",
		"1071|462", "-9223372036854775807|-3")
	a, b := col(0, tI64), col(1, tI64)
	runCases(t, []tcase{
		{name: "gcd", types: ts, rows: rows, e: fn(expr.OpGcd, tI64, a, b),
			want: strs("6", "6", "0", "5", "NULL", "NULL", "1", "3037000499", "21", "1")},
		{name: "lcm", types: ts, rows: rows[:9], e: fn(expr.OpLcm, tI64, a, b)},
		{name: "lcm const", types: ts, rows: rows[:6], e: fn(expr.OpLcm, tI64, a, lit(tI64, "-4"))},
		{name: "lcm overflow", types: ts, rows: rows, e: fn(expr.OpLcm, tI64, a, b), err: "lcm value is out of range"},
		{name: "gcd min", types: ts, rows: rowsOf(ts, "-9223372036854775808|0"), e: fn(expr.OpGcd, tI64, a, b), err: "Overflow on abs(-9223372036854775808)"},
	})
}
