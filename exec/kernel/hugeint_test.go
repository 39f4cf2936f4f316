package kernel

import (
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

func TestHugeint(t *testing.T) {
	h := coldata.TypeHugeint
	hh := types(h, h)
	const max, min = "170141183460469231731687303715884105727", "-170141183460469231731687303715884105728"
	// Expected values and messages: DuckDB 1.5.5 (duckq).
	runCases(t, []tcase{
		{name: "hugeint add", types: hh, rows: rowsOf(hh, "18446744073709551616|-1", "NULL|1", max+"|-"+max),
			e: bin(expr.OpAdd, col(0, h), col(1, h)), want: strs("18446744073709551615", "NULL", "0")},
		{name: "hugeint sub exact", types: hh, rows: rowsOf(hh, "12345678901234567890123|12345678901234567890122"),
			e: bin(expr.OpSub, col(0, h), col(1, h)), want: strs("1")},
		{name: "hugeint add overflow", types: hh, rows: rowsOf(hh, "1|1", max+"|1"),
			e: bin(expr.OpAdd, col(0, h), col(1, h)), err: "Out of Range Error: Overflow in addition of INT128 (" + max + " + 1)!"},
		{name: "hugeint mul overflow", types: hh, rows: rowsOf(hh, max+"|2"),
			e: bin(expr.OpMul, col(0, h), col(1, h)), err: "Out of Range Error: Overflow in multiplication of INT128 (" + max + " * 2)!"},
		{name: "hugeint div mod", types: hh, rows: rowsOf(hh, "12|5", "-12|5", "12|0", "NULL|0"),
			e: bin(expr.OpIntDiv, col(0, h), col(1, h)), want: strs("2", "-2", "NULL", "NULL")},
		{name: "hugeint mod", types: hh, rows: rowsOf(hh, "12|5", "-12|5", "12|0"),
			e: bin(expr.OpMod, col(0, h), col(1, h)), want: strs("2", "-2", "NULL")},
		{name: "hugeint div overflow", types: hh, rows: rowsOf(hh, min+"|-1"),
			e: bin(expr.OpIntDiv, col(0, h), col(1, h)), err: "Out of Range Error: Overflow in division of " + min + " / -1"},
		{name: "hugeint neg overflow", types: hh, rows: rowsOf(hh, "5|0", min+"|0"),
			e: fn(expr.OpNeg, h, col(0, h)), err: "Out of Range Error: Overflow in negation of numeric value!"},
		{name: "hugeint abs", types: hh, rows: rowsOf(hh, "-18446744073709551616|0", "NULL|0"),
			e: fn(expr.OpAbs, h, col(0, h)), want: strs("18446744073709551616", "NULL")},
		{name: "hugeint abs overflow", types: hh, rows: rowsOf(hh, min+"|0"),
			e: fn(expr.OpAbs, h, col(0, h)), err: "Out of Range Error: Overflow on abs(" + min + ")"},
		{name: "hugeint compare", types: hh, rows: rowsOf(hh, "18446744073709551615|18446744073709551616", "-1|-1", "NULL|1"),
			e: bin(expr.OpLt, col(0, h), col(1, h)), want: strs("true", "false", "NULL")},
		{name: "hugeint compare const", types: hh, rows: rowsOf(hh, "18446744073709551615|0", "18446744073709551616|0"),
			e: bin(expr.OpEq, col(0, h), lit(h, "18446744073709551616")), want: strs("false", "true")},
		{name: "hugeint in", types: hh, rows: rowsOf(hh, "18446744073709551616|0", "18446744073709551615|0", "NULL|0"),
			e: &expr.In{Arg: col(0, h), List: []coldata.Datum{datum(h, "18446744073709551616"), datum(h, "-1")}}, want: strs("true", "false", "NULL")},
		{name: "hugeint to bigint overflow", types: hh, rows: rowsOf(hh, max+"|0"),
			e: castTo(col(0, h), tI64), err: "Conversion Error: Type INT128 with value " + max + " can't be cast because the value is out of range for the destination type INT64"},
		{name: "hugeint to varchar", types: hh, rows: rowsOf(hh, min+"|0", "NULL|0"),
			e: castTo(col(0, h), tS), want: strs(min, "NULL")},
		{name: "hugeint to double", types: hh, rows: rowsOf(hh, max+"|0"),
			e: castTo(col(0, h), tF), want: strs("1.7014118346046923e+38")},
		{name: "varchar to hugeint", types: types(tS), rows: rowsOf(types(tS), "12.5", " 12 ", "-12.5", max),
			e: castTo(col(0, tS), h), want: strs("13", "12", "-13", max)},
		{name: "varchar to hugeint fails", types: types(tS), rows: rowsOf(types(tS), "170141183460469231731687303715884105728"),
			e: castTo(col(0, tS), h), err: "Conversion Error: Could not convert string '170141183460469231731687303715884105728' to INT128"},
		{name: "double to hugeint", types: types(tF), rows: rowsOf(types(tF), "2.5", "3.5", "1.5e20"),
			e: castTo(col(0, tF), h), want: strs("2", "4", "150000000000000000000")},
		{name: "double to hugeint fails", types: types(tF), rows: rowsOf(types(tF), "1e39"),
			e: castTo(col(0, tF), h), err: "Conversion Error: Type DOUBLE with value 1e+39 can't be cast because the value is out of range for the destination type INT128"},
		{name: "decimal to hugeint", types: types(dec(4, 2)), rows: rowsOf(types(dec(4, 2)), "12.55", "-12.50"),
			e: castTo(col(0, dec(4, 2)), h), want: strs("13", "-13")},
		{name: "hugeint to decimal", types: hh, rows: rowsOf(hh, "123|0"),
			e: castTo(col(0, h), dec(18, 2)), want: strs("123.00")},
		{name: "hugeint to decimal fails", types: hh, rows: rowsOf(hh, "123456789012345678901234567890|0"),
			e: castTo(col(0, h), dec(18, 2)), err: "Conversion Error: Could not cast value 123456789012345678901234567890 to DECIMAL(18,2)"},
	})
}
