package kernel

import (
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

func TestKinds(t *testing.T) {
	ti8, tu8, tu32, tu64, tf32 := coldata.TypeTinyint, coldata.TypeUTinyint, coldata.TypeUInteger, coldata.TypeUBigint, coldata.TypeFloat32
	i8s, u8s, u32s, u64s := types(ti8, ti8), types(tu8, tu8), types(tu32, tu32), types(tu64, tu64)
	// Expected values and messages: DuckDB 1.5.5 (duckq).
	runCases(t, []tcase{
		{name: "tinyint add", types: i8s, rows: rowsOf(i8s, "100|27", "-100|-28", "NULL|1"),
			e: bin(expr.OpAdd, col(0, ti8), col(1, ti8)), want: strs("127", "-128", "NULL")},
		{name: "tinyint add overflow", types: i8s, rows: rowsOf(i8s, "1|1", "100|100"),
			e: bin(expr.OpAdd, col(0, ti8), col(1, ti8)), err: "Out of Range Error: Overflow in addition of INT8 (100 + 100)!"},
		{name: "tinyint mul overflow", types: i8s, rows: rowsOf(i8s, "-64|2", "-64|3"),
			e: bin(expr.OpMul, col(0, ti8), col(1, ti8)), err: "Out of Range Error: Overflow in multiplication of INT8 (-64 * 3)!"},
		{name: "utinyint sub overflow", types: u8s, rows: rowsOf(u8s, "5|5", "1|2"),
			e: bin(expr.OpSub, col(0, tu8), col(1, tu8)), err: "Out of Range Error: Overflow in subtraction of UINT8 (1 - 2)!"},
		{name: "uinteger mul", types: u32s, rows: rowsOf(u32s, "65535|65537", "NULL|3"),
			e: bin(expr.OpMul, col(0, tu32), col(1, tu32)), want: strs("4294967295", "NULL")},
		{name: "uinteger mul overflow", types: u32s, rows: rowsOf(u32s, "70000|70000"),
			e: bin(expr.OpMul, col(0, tu32), col(1, tu32)), err: "Out of Range Error: Overflow in multiplication of UINT32 (70000 * 70000)!"},
		{name: "ubigint sub overflow", types: u64s, rows: rowsOf(u64s, "1|2"),
			e: bin(expr.OpSub, col(0, tu64), col(1, tu64)), err: "Out of Range Error: Overflow in subtraction of UINT64 (1 - 2)!"},
		{name: "utinyint negation wraps", types: u8s, rows: rowsOf(u8s, "1|0", "0|0", "NULL|0"),
			e: fn(expr.OpNeg, tu8, col(0, tu8)), want: strs("255", "0", "NULL")},
		{name: "tinyint negation overflow", types: i8s, rows: rowsOf(i8s, "5|0", "-128|0"),
			e: fn(expr.OpNeg, ti8, col(0, ti8)), err: "Out of Range Error: Overflow in negation of numeric value!"},
		{name: "tinyint abs", types: i8s, rows: rowsOf(i8s, "-12|0", "NULL|0"),
			e: fn(expr.OpAbs, ti8, col(0, ti8)), want: strs("12", "NULL")},
		{name: "tinyint abs overflow", types: i8s, rows: rowsOf(i8s, "-12|0", "-128|0"),
			e: fn(expr.OpAbs, ti8, col(0, ti8)), err: "Out of Range Error: Overflow on abs(-128)"},
		{name: "integer to tinyint", types: types(tI32), rows: rowsOf(types(tI32), "127", "-128", "NULL"),
			e: castTo(col(0, tI32), ti8), want: strs("127", "-128", "NULL")},
		{name: "integer to tinyint fails", types: types(tI32), rows: rowsOf(types(tI32), "1", "300"),
			e: castTo(col(0, tI32), ti8), err: "Conversion Error: Type INT32 with value 300 can't be cast because the value is out of range for the destination type INT8"},
		{name: "tinyint to utinyint fails", types: i8s, rows: rowsOf(i8s, "-42|0"),
			e: castTo(col(0, ti8), tu8), err: "Conversion Error: Type INT8 with value -42 can't be cast because the value is out of range for the destination type UINT8"},
		{name: "bigint to uinteger fails", types: types(tI64), rows: rowsOf(types(tI64), "4294967296"),
			e: castTo(col(0, tI64), tu32), err: "Conversion Error: Type INT64 with value 4294967296 can't be cast because the value is out of range for the destination type UINT32"},
		{name: "varchar to utinyint", types: types(tS), rows: rowsOf(types(tS), "255", "NULL"),
			e: castTo(col(0, tS), tu8), want: strs("255", "NULL")},
		{name: "varchar to utinyint fails", types: types(tS), rows: rowsOf(types(tS), "256"),
			e: castTo(col(0, tS), tu8), err: "Conversion Error: Could not convert string '256' to UINT8"},
		{name: "varchar to utinyint garbage", types: types(tS), rows: rowsOf(types(tS), "abc"),
			e: castTo(col(0, tS), tu8), err: "Conversion Error: Could not convert string 'abc' to UINT8"},
		{name: "double to float", types: types(tF), rows: rowsOf(types(tF), "0.1", "1e-50", "inf"),
			e: castTo(castTo(col(0, tF), tf32), tS), want: strs("0.1", "0.0", "inf")},
		{name: "double to float fails", types: types(tF), rows: rowsOf(types(tF), "1e40"),
			e: castTo(col(0, tF), tf32), err: "Conversion Error: Type DOUBLE with value 1e+40 can't be cast because the value is out of range for the destination type FLOAT"},
		{name: "float to double", types: types(tF), rows: rowsOf(types(tF), "0.1"),
			e: castTo(castTo(col(0, tF), tf32), tF), want: strs("0.10000000149011612")},
		{name: "ubigint to bigint fails", types: u64s, rows: rowsOf(u64s, "9223372036854775808|0"),
			e: castTo(col(0, tu64), tI64), err: "Conversion Error: Type UINT64 with value 9223372036854775808 can't be cast because the value is out of range for the destination type INT64"},
		{name: "utinyint compare", types: u8s, rows: rowsOf(u8s, "200|100", "NULL|1"),
			e: bin(expr.OpGt, col(0, tu8), col(1, tu8)), want: strs("true", "NULL")},
	})
}
