package kernel

import (
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

func TestArithmetic(t *testing.T) {
	ii := types(tI64, tI64)
	i32 := types(tI32, tI32)
	ff := types(tF, tF)
	d2 := types(dec(15, 2), dec(15, 2))
	runCases(t, []tcase{
		{name: "add int64", types: ii, rows: rowsOf(ii, "1|2", "-5|3", "NULL|1", "4|NULL"),
			e: bin(expr.OpAdd, col(0, tI64), col(1, tI64)), want: strs("3", "-2", "NULL", "NULL")},
		{name: "add int64 overflow", types: ii, rows: rowsOf(ii, "1|2", "9223372036854775807|1"),
			e: bin(expr.OpAdd, col(0, tI64), col(1, tI64)), err: "Overflow in addition of INT64 (9223372036854775807 + 1)!"},
		{name: "add int32 overflow", types: i32, rows: rowsOf(i32, "2147483647|1"),
			e: bin(expr.OpAdd, col(0, tI32), col(1, tI32)), err: "Overflow in addition of INT32 (2147483647 + 1)!"},
		{name: "add const", types: ii, rows: rowsOf(ii, "1|0", "NULL|0"),
			e: bin(expr.OpAdd, col(0, tI64), lit(tI64, "41")), want: strs("42", "NULL")},
		{name: "sub int64 overflow", types: ii, rows: rowsOf(ii, "-9223372036854775808|1"),
			e: bin(expr.OpSub, col(0, tI64), col(1, tI64)), err: "Overflow in subtraction of INT64"},
		{name: "sub int32", types: i32, rows: rowsOf(i32, "5|7", "-2147483647|1"),
			e: bin(expr.OpSub, col(0, tI32), col(1, tI32)), want: strs("-2", "-2147483648")},
		{name: "const minus col", types: i32, rows: rowsOf(i32, "5|7", "NULL|1"),
			e: bin(expr.OpSub, lit(tI32, "1"), col(0, tI32)), want: strs("-4", "NULL")},
		{name: "mul int64", types: ii, rows: rowsOf(ii, "3037000499|3037000499", "-4|5"),
			e: bin(expr.OpMul, col(0, tI64), col(1, tI64)), want: strs("9223372030926249001", "-20")},
		{name: "mul int64 overflow", types: ii, rows: rowsOf(ii, "3037000500|3037000500"),
			e: bin(expr.OpMul, col(0, tI64), col(1, tI64)), err: "Overflow in multiplication of INT64 (3037000500 * 3037000500)!"},
		{name: "mul int64 min", types: ii, rows: rowsOf(ii, "-9223372036854775808|-1"),
			e: bin(expr.OpMul, col(0, tI64), col(1, tI64)), err: "Overflow in multiplication"},
		{name: "mul int32 overflow", types: i32, rows: rowsOf(i32, "46341|46341"),
			e: bin(expr.OpMul, col(0, tI32), col(1, tI32)), err: "Overflow in multiplication of INT32"},
		{name: "mod int", types: ii, rows: rowsOf(ii, "7|3", "-7|3", "7|-3", "7|0", "-9223372036854775807|-1", "NULL|0", "-9223372036854775808|NULL"),
			e: bin(expr.OpMod, col(0, tI64), col(1, tI64)), want: strs("1", "-1", "1", "NULL", "0", "NULL", "NULL")},
		// DuckDB reports the minimum divided by -1 for both % and //.
		{name: "mod int overflow", types: ii, rows: rowsOf(ii, "7|3", "-9223372036854775808|-1"),
			e: bin(expr.OpMod, col(0, tI64), col(1, tI64)), err: "Out of Range Error: Overflow in division of -9223372036854775808 / -1"},
		{name: "int div overflow", types: i32, rows: rowsOf(types(tI32, tI32), "7|3", "-2147483648|-1"),
			e: bin(expr.OpIntDiv, col(0, tI32), col(1, tI32)), err: "Out of Range Error: Overflow in division of -2147483648 / -1"},
		{name: "mod int32 by zero const", types: i32, rows: rowsOf(i32, "7|3"),
			e: bin(expr.OpMod, col(0, tI32), lit(tI32, "0")), want: strs("NULL")},
		{name: "double arith", types: ff, rows: rowsOf(ff, "1.5|2", "NaN|1", "Inf|-Inf"),
			e: bin(expr.OpMul, bin(expr.OpAdd, col(0, tF), col(1, tF)), lit(tF, "2")), want: strs("7.0", "nan", "nan")},
		{name: "double division by zero is IEEE", types: ff, rows: rowsOf(ff, "1|0", "-1|0", "0|0", "1|4", "NULL|1"),
			e: bin(expr.OpDiv, col(0, tF), col(1, tF)), want: strs("inf", "-inf", "nan", "0.25", "NULL")},
		{name: "double mod", types: ff, rows: rowsOf(ff, "7.5|2", "-7.5|2", "1|0"),
			e: bin(expr.OpMod, col(0, tF), col(1, tF)), want: strs("1.5", "-1.5", "nan")},
		{name: "decimal add", types: d2, rows: rowsOf(d2, "1.25|2.50", "-0.05|0.01", "NULL|1"),
			e: fn(expr.OpAdd, dec(16, 2), col(0, dec(15, 2)), col(1, dec(15, 2))), want: strs("3.75", "-0.04", "NULL")},
		{name: "decimal mod", types: d2, rows: rowsOf(d2, "7.50|2.00", "1.00|0.00"),
			e: fn(expr.OpMod, dec(15, 2), col(0, dec(15, 2)), col(1, dec(15, 2))), want: strs("1.50", "NULL")},
		{name: "decimal mul scales add", types: types(dec(15, 2), dec(4, 3)), rows: rowsOf(types(dec(15, 2), dec(4, 3)), "12.50|0.123", "-1.00|1.000"),
			e: fn(expr.OpMul, dec(19, 5), col(0, dec(15, 2)), col(1, dec(4, 3))), want: strs("1.53750", "-1.00000")},
		{name: "decimal a*(1-b)", types: d2, rows: rowsOf(d2, "100.00|0.05", "NULL|0.1", "20.00|NULL"),
			e: fn(expr.OpMul, dec(31, 4), col(0, dec(15, 2)),
				fn(expr.OpSub, dec(16, 2), lit(dec(15, 2), "1.00"), col(1, dec(15, 2)))),
			want: strs("95.0000", "NULL", "NULL")},
		{name: "decimal mul beyond 18 digits", types: types(dec(18, 0), dec(18, 0)), rows: rowsOf(types(dec(18, 0), dec(18, 0)), "1000000000|1000000000"),
			e: fn(expr.OpMul, dec(36, 0), col(0, dec(18, 0)), col(1, dec(18, 0))), err: "Out of Range Error: Overflow in multiplication of DECIMAL(18) (1000000000 * 1000000000). You might want to add an explicit cast to a bigger decimal."},
		{name: "decimal add beyond 18 digits", types: types(dec(18, 0), dec(18, 0)), rows: rowsOf(types(dec(18, 0), dec(18, 0)), "999999999999999999|1"),
			e: fn(expr.OpAdd, dec(19, 0), col(0, dec(18, 0)), col(1, dec(18, 0))), err: "Overflow in addition"},
		{name: "neg", types: ii, rows: rowsOf(ii, "5|0", "NULL|0", "-9223372036854775807|0"),
			e: fn(expr.OpNeg, tI64, col(0, tI64)), want: strs("-5", "NULL", "9223372036854775807")},
		{name: "neg overflow", types: ii, rows: rowsOf(ii, "-9223372036854775808|0"),
			e: fn(expr.OpNeg, tI64, col(0, tI64)), err: "Out of Range Error: Overflow in negation of numeric value!"},
		{name: "abs", types: i32, rows: rowsOf(i32, "-5|0", "5|0", "NULL|0"),
			e: fn(expr.OpAbs, tI32, col(0, tI32)), want: strs("5", "5", "NULL")},
		{name: "abs overflow", types: i32, rows: rowsOf(i32, "-2147483648|0"),
			e: fn(expr.OpAbs, tI32, col(0, tI32)), err: "Overflow on abs(-2147483648)"},
		{name: "abs double and decimal", types: types(tF, dec(5, 2)), rows: rowsOf(types(tF, dec(5, 2)), "-1.5|-3.25"),
			e:    fn(expr.OpAdd, tF, fn(expr.OpAbs, tF, col(0, tF)), castTo(fn(expr.OpAbs, dec(5, 2), col(1, dec(5, 2))), tF)),
			want: strs("4.75")},
	})
}

func TestRound(t *testing.T) {
	f := types(tF, tI64)
	d := types(dec(10, 3), tI64)
	runCases(t, []tcase{
		{name: "double", types: f, rows: rowsOf(f, "2.5|0", "-2.5|0", "1.2345|2", "1234.5|-2", "1.5|400", "1.5|-400", "NULL|1", "1|NULL"),
			e: fn(expr.OpRound, tF, col(0, tF), col(1, tI64)), want: strs("3.0", "-3.0", "1.23", "1200.0", "1.5", "0.0", "NULL", "NULL")},
		{name: "double one arg", types: f, rows: rowsOf(f, "0.5|0", "-0.4|0"),
			e: fn(expr.OpRound, tF, col(0, tF)), want: strs("1.0", "-0.0")},
		{name: "decimal keeps scale", types: d, rows: rowsOf(d, "1.235|2", "-1.235|2", "15.000|-1", "14.999|-1", "1.234|5", "5.000|-1", "4.999|-30"),
			e:    fn(expr.OpRound, dec(10, 3), col(0, dec(10, 3)), col(1, tI64)),
			want: strs("1.240", "-1.240", "20.000", "10.000", "1.234", "10.000", "0.000")},
		{name: "decimal const digits", types: d, rows: rowsOf(d, "2.5|0", "-2.5|0"),
			e: fn(expr.OpRound, dec(10, 3), col(0, dec(10, 3)), lit(tI64, "0")), want: strs("3.000", "-3.000")},
		{name: "integers", types: types(tI64, tI32), rows: rowsOf(types(tI64, tI32), "1250|-2", "-1250|-2", "1249|-2", "7|3"),
			e: fn(expr.OpRound, tI64, col(0, tI64), col(1, tI32)), want: strs("1300", "-1300", "1200", "7")},
		{name: "integer overflow", types: types(tI32, tI64), rows: rowsOf(types(tI32, tI64), "2147483647|-1"),
			e: fn(expr.OpRound, tI32, col(0, tI32), col(1, tI64)), err: "Overflow in round"},
	})
}

func TestCompare(t *testing.T) {
	ops := []expr.Op{expr.OpEq, expr.OpNe, expr.OpLt, expr.OpLe, expr.OpGt, expr.OpGe}
	sets := []struct {
		t    coldata.Type
		rows []string
		c    string
	}{
		{tI32, []string{"1|2", "2|2", "3|2", "NULL|2", "2|NULL", "-2147483648|2147483647"}, "2"},
		{tI64, []string{"1|2", "2|2", "9223372036854775807|-9223372036854775808", "NULL|NULL"}, "2"},
		{tF, []string{"1|2", "NaN|NaN", "NaN|Inf", "-0|0", "-Inf|NaN", "2|2", "NULL|1"}, "NaN"},
		{tF, []string{"1|2", "NaN|1", "-0|0", "0|-0"}, "0"},
		{tS, []string{"a|b", "abc|ab", "|a", "b|b", "é|z", "NULL|x"}, "ab"},
		{tB, []string{"true|false", "false|true", "true|true", "NULL|true"}, "true"},
		{tD, []string{"1992-01-01|1992-01-02", "1969-12-31|1970-01-01", "2000-02-29|2000-02-29"}, "1970-01-01"},
		{tTS, []string{"1992-01-01 10:00:00|1992-01-01 09:59:59.999999", "1969-12-31 23:59:59|1970-01-01"}, "1970-01-01"},
		{dec(12, 2), []string{"1.25|1.30", "-0.01|0.00", "99.99|99.99"}, "0.00"},
	}
	var cases []tcase
	for _, s := range sets {
		ts := types(s.t, s.t)
		rows := rowsOf(ts, s.rows...)
		for _, op := range ops {
			cases = append(cases,
				tcase{name: s.t.String() + " col " + op.String() + " col", types: ts, rows: rows, e: bin(op, col(0, s.t), col(1, s.t))},
				tcase{name: s.t.String() + " col " + op.String() + " const", types: ts, rows: rows, e: bin(op, col(0, s.t), lit(s.t, s.c))},
				tcase{name: s.t.String() + " const " + op.String() + " col", types: ts, rows: rows, e: bin(op, lit(s.t, s.c), col(1, s.t))},
				tcase{name: s.t.String() + " col " + op.String() + " NULL", types: ts, rows: rows, e: bin(op, col(0, s.t), null(s.t))},
			)
		}
	}
	runCases(t, cases)
	// Spot-check DuckDB's NaN ordering explicitly.
	ff := types(tF, tF)
	runCases(t, []tcase{
		{name: "nan ordering", types: ff, rows: rowsOf(ff, "NaN|NaN", "NaN|Inf", "-0|0"),
			e: bin(expr.OpGe, col(0, tF), col(1, tF)), want: strs("true", "true", "true")},
		{name: "nan equals", types: ff, rows: rowsOf(ff, "NaN|NaN", "NaN|1"),
			e: bin(expr.OpEq, col(0, tF), col(1, tF)), want: strs("true", "false")},
	})
}

func TestLogic(t *testing.T) {
	bb := types(tB, tB)
	rows := rowsOf(bb, "true|true", "true|false", "true|NULL", "false|true", "false|false", "false|NULL", "NULL|true", "NULL|false", "NULL|NULL")
	a, b := col(0, tB), col(1, tB)
	runCases(t, []tcase{
		{name: "and", types: bb, rows: rows, e: bin(expr.OpAnd, a, b),
			want: strs("true", "false", "NULL", "false", "false", "false", "NULL", "false", "NULL")},
		{name: "or", types: bb, rows: rows, e: bin(expr.OpOr, a, b),
			want: strs("true", "true", "true", "true", "false", "NULL", "true", "NULL", "NULL")},
		{name: "not", types: bb, rows: rows, e: fn(expr.OpNot, tB, a),
			want: strs("false", "false", "false", "true", "true", "true", "NULL", "NULL", "NULL")},
		{name: "not and", types: bb, rows: rows, e: fn(expr.OpNot, tB, bin(expr.OpAnd, a, b))},
		{name: "not or", types: bb, rows: rows, e: fn(expr.OpNot, tB, bin(expr.OpOr, a, b))},
		{name: "and const true", types: bb, rows: rows, e: bin(expr.OpAnd, a, lit(tB, "true"))},
		{name: "and const false", types: bb, rows: rows, e: bin(expr.OpAnd, a, lit(tB, "false"))},
		{name: "or const null", types: bb, rows: rows, e: bin(expr.OpOr, a, null(tB))},
		{name: "and null", types: bb, rows: rows, e: bin(expr.OpAnd, null(tB), b)},
		{name: "nary", types: bb, rows: rows, e: fn(expr.OpOr, tB, a, fn(expr.OpNot, tB, b), bin(expr.OpAnd, a, b))},
		{name: "is null", types: bb, rows: rows, e: isNull(a, false)},
		{name: "is not null", types: bb, rows: rows, e: isNull(b, true)},
		{name: "is null of expr", types: bb, rows: rows, e: isNull(bin(expr.OpAnd, a, b), false)},
		{name: "is null const", types: bb, rows: rows, e: isNull(null(tI32), false)},
		{name: "not is null", types: bb, rows: rows, e: fn(expr.OpNot, tB, isNull(a, false))},
		{name: "and short-circuits errors", types: types(tS, tB), rows: rowsOf(types(tS, tB), "abc|true", "12|true"),
			e: bin(expr.OpAnd, bin(expr.OpNe, col(0, tS), lit(tS, "abc")),
				bin(expr.OpGt, castTo(col(0, tS), tI32), lit(tI32, "10"))),
			want: strs("false", "true")},
		{name: "or short-circuits errors", types: types(tS, tB), rows: rowsOf(types(tS, tB), "abc|true", "5|true"),
			e: bin(expr.OpOr, bin(expr.OpEq, col(0, tS), lit(tS, "abc")),
				bin(expr.OpGt, castTo(col(0, tS), tI32), lit(tI32, "10"))),
			want: strs("true", "false")},
	})
}

func TestCaseCoalesce(t *testing.T) {
	ts := types(tS, tI32)
	rows := rowsOf(ts, "abc|1", "12|NULL", "NULL|3", "-4|-4")
	s, i := col(0, tS), col(1, tI32)
	runCases(t, []tcase{
		{name: "case skips rows taken earlier", types: ts, rows: rows,
			e: caseOf(tI32, castTo(s, tI32),
				bin(expr.OpEq, s, lit(tS, "abc")), lit(tI32, "0"),
				isNull(s, false), i),
			want: strs("0", "12", "3", "-4")},
		{name: "case without else", types: ts, rows: rows,
			e:    caseOf(tI32, nil, bin(expr.OpGt, i, lit(tI32, "0")), fn(expr.OpMul, tI32, i, lit(tI32, "10"))),
			want: strs("10", "NULL", "30", "NULL")},
		{name: "case null condition falls through", types: ts, rows: rows,
			e:    caseOf(tS, lit(tS, "else"), bin(expr.OpLt, i, lit(tI32, "2")), lit(tS, "small")),
			want: strs("small", "else", "else", "small")},
		{name: "case constant conditions", types: ts, rows: rows,
			e:    caseOf(tI32, lit(tI32, "9"), lit(tB, "false"), lit(tI32, "1"), null(tB), lit(tI32, "2"), lit(tB, "true"), i),
			want: strs("1", "NULL", "3", "-4")},
		{name: "case true after others", types: ts, rows: rows,
			e:    caseOf(tI32, lit(tI32, "9"), isNull(i, false), lit(tI32, "-1"), lit(tB, "true"), i),
			want: strs("1", "-1", "3", "-4")},
		{name: "case null branch", types: ts, rows: rows,
			e:    caseOf(tI32, i, isNull(s, false), null(tU)),
			want: strs("1", "NULL", "NULL", "-4")},
		{name: "case error in taken branch", types: ts, rows: rowsOf(ts, "abc|1"),
			e: caseOf(tI32, lit(tI32, "0"), isNull(s, true), castTo(s, tI32)), err: "Could not convert string 'abc' to INT32"},
		{name: "coalesce", types: ts, rows: rows,
			e:    fn(expr.OpCoalesce, tI32, i, lit(tI32, "7")),
			want: strs("1", "7", "3", "-4")},
		{name: "coalesce lazy", types: ts, rows: rowsOf(ts, "abc|1", "12|NULL"),
			e:    fn(expr.OpCoalesce, tI32, i, castTo(s, tI32)),
			want: strs("1", "12")},
		{name: "coalesce three", types: ts, rows: rows,
			e:    fn(expr.OpCoalesce, tS, null(tS), castTo(i, tS), s, lit(tS, "z")),
			want: strs("1", "12", "3", "-4")},
		{name: "coalesce all null", types: ts, rows: rows,
			e:    fn(expr.OpCoalesce, tI32, null(tI32), i),
			want: strs("1", "NULL", "3", "-4")},
	})
}

func TestInList(t *testing.T) {
	ii := types(tI64, tS)
	rows := rowsOf(ii, "1|a", "5|b", "NULL|NULL", "100000|abc", "-3|é")
	many := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "-3"}
	sparse := []string{"1", "1000000000", "-3", "4", "5", "6", "7", "8", "9", "10", "11"}
	words := []string{"a", "x", "y", "z", "w", "v", "u", "t", "s", "é"}
	ff := types(tF, tD)
	frows := rowsOf(ff, "NaN|1992-01-01", "-0|1970-01-01", "1.5|NULL")
	runCases(t, []tcase{
		{name: "small", types: ii, rows: rows, e: inList(col(0, tI64), false, "5", "1"), want: strs("true", "true", "NULL", "false", "false")},
		{name: "not in", types: ii, rows: rows, e: inList(col(0, tI64), true, "5", "1"), want: strs("false", "false", "NULL", "true", "true")},
		{name: "with null", types: ii, rows: rows, e: inList(col(0, tI64), false, "5", "NULL"), want: strs("NULL", "true", "NULL", "NULL", "NULL")},
		{name: "not in with null", types: ii, rows: rows, e: inList(col(0, tI64), true, "5", "NULL"), want: strs("NULL", "false", "NULL", "NULL", "NULL")},
		{name: "bitmap", types: ii, rows: rows, e: inList(col(0, tI64), false, many...), want: strs("true", "true", "NULL", "false", "true")},
		{name: "sorted", types: ii, rows: rows, e: inList(col(0, tI64), false, sparse...), want: strs("true", "true", "NULL", "false", "true")},
		{name: "not sorted", types: ii, rows: rows, e: inList(col(0, tI64), true, sparse...)},
		{name: "strings", types: ii, rows: rows, e: inList(col(1, tS), false, "b", "abc"), want: strs("false", "true", "NULL", "true", "false")},
		{name: "string map", types: ii, rows: rows, e: inList(col(1, tS), false, words...), want: strs("true", "false", "NULL", "false", "true")},
		{name: "string map not", types: ii, rows: rows, e: inList(col(1, tS), true, words...)},
		{name: "empty", types: ii, rows: rows, e: inList(col(0, tI64), false)},
		{name: "doubles", types: ff, rows: frows, e: inList(col(0, tF), false, "NaN", "0"), want: strs("true", "true", "false")},
		{name: "dates", types: ff, rows: frows, e: inList(col(1, tD), false, "1970-01-01", "2000-01-01"), want: strs("false", "true", "NULL")},
		{name: "expression arg", types: ii, rows: rows, e: inList(bin(expr.OpMul, col(0, tI64), lit(tI64, "2")), false, "10", "2")},
		{name: "in under not", types: ii, rows: rows, e: fn(expr.OpNot, tB, inList(col(0, tI64), false, "5", "NULL"))},
	})
}

func TestIsNullAndUnknown(t *testing.T) {
	ts := types(tU, tI32)
	rows := rowsOf(ts, "NULL|1", "NULL|NULL")
	runCases(t, []tcase{
		{name: "unknown column is null", types: ts, rows: rows, e: isNull(col(0, tU), false), want: strs("true", "true")},
		{name: "cast unknown", types: ts, rows: rows, e: castTo(col(0, tU), tI64), want: strs("NULL", "NULL")},
		{name: "coalesce unknown", types: ts, rows: rows, e: fn(expr.OpCoalesce, tI32, col(0, tU), col(1, tI32)), want: strs("1", "NULL")},
	})
}

func TestEvalConst(t *testing.T) {
	for _, tc := range []struct {
		e    expr.Expr
		want string
		err  string
	}{
		{e: bin(expr.OpAdd, lit(tI64, "1"), lit(tI64, "2")), want: "3"},
		{e: fn(expr.OpConcat, tS, lit(tS, "a"), lit(tS, "b")), want: "ab"},
		{e: bin(expr.OpAdd, lit(tI64, "9223372036854775807"), lit(tI64, "1")), err: "Overflow in addition"},
		{e: castTo(lit(tS, "abc"), tI32), err: "Could not convert string 'abc' to INT32"},
		{e: castTo(lit(tS, "1995-03-15"), tD), want: "1995-03-15"},
		{e: fn(expr.OpDateAddMonths, tD, lit(tD, "2024-01-31"), lit(tI64, "1")), want: "2024-02-29"},
		{e: bin(expr.OpLt, lit(tI32, "1"), null(tI32)), want: "NULL"},
		{e: col(0, tI32), err: "out of range"},
		{e: caseOf(tI32, lit(tI32, "2"), bin(expr.OpGt, lit(tI32, "1"), lit(tI32, "0")), lit(tI32, "1")), want: "1"},
	} {
		d, err := EvalConst(tc.e)
		switch {
		case tc.err != "":
			if err == nil || !contains(err.Error(), tc.err) {
				t.Errorf("EvalConst(%s): error %v, want %q", tc.e, err, tc.err)
			}
		case err != nil:
			t.Errorf("EvalConst(%s): %v", tc.e, err)
		case coldata.Format(tc.e.Type(), d) != tc.want:
			t.Errorf("EvalConst(%s) = %s, want %s", tc.e, coldata.Format(tc.e.Type(), d), tc.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		e     expr.Expr
		input []coldata.Type
	}{
		{bin(expr.OpAdd, col(0, tI32), col(1, tI64)), types(tI32, tI64)},
		{fn(expr.OpDiv, tI64, col(0, tI64), col(0, tI64)), types(tI64)},
		{bin(expr.OpLt, col(0, tI32), lit(tS, "a")), types(tI32)},
		{col(0, tI64), types(tI32)},
		{col(3, tI64), types(tI64)},
		{castTo(col(0, tD), tI32), types(tD)},
		{like(col(0, tI32), "a%", false), types(tI32)},
		{like(col(0, tS), `abc\`, false), types(tS)},
		{fn(expr.OpUpper, tS, col(0, tI32)), types(tI32)},
		{fn(expr.OpMul, dec(10, 2), col(0, dec(5, 2)), col(0, dec(5, 2))), types(dec(5, 2))},
		{fn(expr.OpExtractYear, tI64, col(0, tS)), types(tS)},
		{fn(expr.OpAnd, tB, col(0, tI32), col(0, tI32)), types(tI32)},
		{castTo(col(0, tI32), dec(40, 2)), types(tI32)},
		{fn(expr.OpSubstring, tS, col(0, tS)), types(tS)},
	} {
		if _, err := Compile(tc.e, tc.input); err == nil {
			t.Errorf("Compile(%s) succeeded, want an error", tc.e)
		}
	}
	if _, err := CompileFilter(col(0, tI32), types(tI32)); err == nil {
		t.Errorf("CompileFilter of an INTEGER succeeded")
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
