package kernel

import (
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

func TestTrigFunctions(t *testing.T) {
	ts := types(tF, tF)
	rows := rowsOf(ts, "0.5|2", "-0.25|-1", "NULL|1", "1|NULL", "0.75|0.5", "NaN|3")
	x, y := col(0, tF), col(1, tF)
	var cases []tcase
	for _, op := range []expr.Op{expr.OpSin, expr.OpCos, expr.OpTan, expr.OpCot, expr.OpAsin, expr.OpAcos, expr.OpAtan,
		expr.OpSinh, expr.OpCosh, expr.OpTanh, expr.OpAsinh, expr.OpAtanh, expr.OpDegrees, expr.OpRadians, expr.OpGamma, expr.OpEven} {
		cases = append(cases, tcase{name: op.String(), types: ts, rows: rows, e: fn(op, tF, x)})
	}
	for _, op := range []expr.Op{expr.OpIsNan, expr.OpIsInf, expr.OpIsFinite, expr.OpSignBit} {
		cases = append(cases, tcase{name: op.String(), types: ts, rows: rows, e: fn(op, tB, x)})
	}
	cases = append(cases,
		tcase{name: "atan2", types: ts, rows: rows, e: fn(expr.OpAtan2, tF, x, y)},
		tcase{name: "fmod", types: ts, rows: rows, e: fn(expr.OpFmod, tF, x, y)},
		tcase{name: "sign", types: ts, rows: rows, e: fn(expr.OpSign, tI32, x), want: strs("1", "-1", "NULL", "1", "1", "0")},
		tcase{name: "asin domain", types: ts, rows: rows, e: fn(expr.OpAsin, tF, y), err: "ASIN is undefined outside [-1,1]"},
		tcase{name: "cot zero", types: ts, rows: rows[:1], e: fn(expr.OpCot, tF, fn(expr.OpSub, tF, x, x)), err: "out of range for numeric function cotangent"},
		tcase{name: "asin in case", types: ts, rows: rows, e: caseOf(tF, lit(tF, "0"), fn(expr.OpLe, tB, y, lit(tF, "1")), fn(expr.OpAsin, tF, y))},
	)
	runCases(t, cases)
}

func TestIntMathFunctions(t *testing.T) {
	ts := types(tI64, tI32, dec(10, 3))
	rows := rowsOf(ts, "1234|5|12.345", "-1789|0|-9.999", "NULL|NULL|NULL", "0|20|0.001", "9223372036854775807|1|-0.5")
	n, k, d := col(0, tI64), col(1, tI32), col(2, dec(10, 3))
	hugeint := coldata.TypeHugeint
	runCases(t, []tcase{
		{name: "sign", types: ts, rows: rows, e: fn(expr.OpSign, tI32, n), want: strs("1", "-1", "NULL", "0", "1")},
		{name: "trunc -2", types: ts, rows: rows, e: fn(expr.OpTruncDigits, tI64, n, lit(tI64, "-2")), want: strs("1200", "-1700", "NULL", "0", "9223372036854775800")},
		{name: "trunc decimal 1", types: ts, rows: rows, e: fn(expr.OpTruncDigits, dec(10, 3), d, lit(tI64, "1")), want: strs("12.300", "-9.900", "NULL", "0.000", "-0.500")},
		{name: "factorial", types: ts, rows: rows, e: fn(expr.OpFactorial, hugeint, k), want: strs("120", "1", "NULL", "2432902008176640000", "1")},
		{name: "factorial overflow", types: ts, rows: rowsOf(ts, "0|40|0"), e: fn(expr.OpFactorial, hugeint, k), err: "Value out of range"},
		{name: "bit_count", types: ts, rows: rows, e: fn(expr.OpBitCount, tI32, n), want: strs("5", "56", "NULL", "0", "63")},
	})
}

func TestEncodeFunctions(t *testing.T) {
	ts := types(tS)
	rows := rowsOf(ts, "abc", "", "NULL", "héllo", "4142")
	s := col(0, tS)
	runCases(t, []tcase{
		{name: "sha1", types: ts, rows: rows, e: fn(expr.OpSHA1, tS, s)},
		{name: "hex", types: ts, rows: rows, e: fn(expr.OpToHex, tS, s), want: strs("616263", "", "NULL", "68C3A96C6C6F", "34313432")},
		{name: "unhex", types: ts, rows: rows[3:], e: fn(expr.OpFromHex, tS, fn(expr.OpToHex, tS, s))},
		{name: "unhex bad", types: ts, rows: rows[3:4], e: fn(expr.OpFromHex, tS, s), err: "Invalid input for hex digit"},
	})
}

func TestJSONFunctions(t *testing.T) {
	ts := types(tS, tS)
	rows := rowsOf(ts, `{"a": {"b": [1, 22, "x"]}}|$.a.b`, `{"a":1}|$.a`, `NULL|$.a`, `[10, {"k": -3}]|$[1].k`,
		`{"a": "str"}|$.a`, `{"a": null}|$.a`, `{"a": [true, false]}|$.b`, `{"a":{"b":[1,22,"x"]}}|NULL`, `{"a": 18446744073709551615}|$.a`)
	j, p := col(0, tS), col(1, tS)
	runCases(t, []tcase{
		{name: "extract", types: ts, rows: rows, e: fn(expr.OpJSONExtract, tS, j, p),
			want: strs(`[1,22,"x"]`, "1", "NULL", "-3", `"str"`, "null", "NULL", "NULL", "18446744073709551615")},
		{name: "extract const path", types: ts, rows: rows, e: fn(expr.OpJSONExtract, tS, j, lit(tS, "$.a"))},
		{name: "extract string", types: ts, rows: rows, e: fn(expr.OpJSONExtractStr, tS, j, p)},
		{name: "type", types: ts, rows: rows, e: fn(expr.OpJSONType, tS, j, p)},
		{name: "array length", types: ts, rows: rows, e: fn(expr.OpJSONArrayLength, tI64, j, p)},
		{name: "malformed", types: ts, rows: rowsOf(ts, `{"a":|$.a`), e: fn(expr.OpJSONExtract, tS, j, p), err: "Malformed JSON"},
	})
}
