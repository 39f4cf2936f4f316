package kernel

import (
	"math/rand/v2"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// TestRandomData runs a broad set of expressions over random rows (edge
// values, NULLs) through the harness; the reference decides every answer.
func TestRandomData(t *testing.T) {
	schema := types(tI32, tI32, tI64, tI64, tF, tF, dec(15, 2), dec(15, 2), tS, tS, tD, tTS, tB, tB, dec(18, 4))
	c := func(i int) *expr.Column { return col(i, schema[i]) }
	i32a, i32b, i64a, i64b, fa, fb := c(0), c(1), c(2), c(3), c(4), c(5)
	da, db, sa, sb, dt, ts, ba, bb, dw := c(6), c(7), c(8), c(9), c(10), c(11), c(12), c(13), c(14)
	var exprs []expr.Expr
	for _, op := range []expr.Op{expr.OpAdd, expr.OpSub, expr.OpMul, expr.OpMod} {
		exprs = append(exprs, bin(op, i32a, i32b), bin(op, i64a, i64b), bin(op, fa, fb), bin(op, i64a, lit(tI64, "7")),
			bin(op, lit(tI32, "-3"), i32b))
	}
	exprs = append(exprs,
		fn(expr.OpAdd, dec(16, 2), da, db), fn(expr.OpSub, dec(16, 2), da, db), fn(expr.OpMod, dec(15, 2), da, db),
		fn(expr.OpMul, dec(30, 4), da, db), fn(expr.OpMul, dec(33, 6), dw, da), fn(expr.OpAdd, dec(19, 4), dw, dw),
		fn(expr.OpDiv, tF, fa, fb), fn(expr.OpNeg, tI32, i32a), fn(expr.OpAbs, tI64, i64a), fn(expr.OpNeg, tF, fa),
		fn(expr.OpRound, tF, fa, lit(tI64, "1")), fn(expr.OpRound, dec(15, 2), da, lit(tI64, "1")),
		fn(expr.OpRound, dec(18, 4), dw, i32a), fn(expr.OpRound, tI64, i64a, lit(tI64, "-3")),
		bin(expr.OpAnd, ba, bb), bin(expr.OpOr, ba, fn(expr.OpNot, tB, bb)),
		bin(expr.OpAnd, bin(expr.OpLt, i32a, i32b), bin(expr.OpGe, fa, lit(tF, "0"))),
		bin(expr.OpOr, like(sa, "%e%", false), inList(i64a, false, "1", "-1", "0")),
		fn(expr.OpNot, tB, bin(expr.OpOr, isNull(sa, false), bin(expr.OpEq, sa, sb))),
		bin(expr.OpAnd, bin(expr.OpGe, dt, lit(tD, "1994-01-01")), bin(expr.OpLt, dt, lit(tD, "1995-01-01"))),
		bin(expr.OpAnd, bin(expr.OpGt, i32a, lit(tI32, "-100")), bin(expr.OpLe, i32a, lit(tI32, "100"))),
		bin(expr.OpAnd, bin(expr.OpGt, i64a, lit(tI64, "9223372036854775807")), bin(expr.OpLt, i64a, lit(tI64, "0"))),
		bin(expr.OpAnd, bin(expr.OpGe, da, lit(dec(15, 2), "-5.00")), bin(expr.OpLe, da, lit(dec(15, 2), "5.00"))),
		inList(sa, true, "green", "abc", "NULL"), inList(fa, false, "NaN", "1", "-1.5", "2.5"),
		inList(dt, false, "1970-01-01", "1970-03-01", "1969-12-31"),
		like(sa, "_b_", false), like(sa, "%\\%%", false), like(sa, "%o%n", true), like(sa, "forest%", false),
		like(sa, "%green", false), like(sa, "%", false), like(sa, "a%c", false), like(sa, "日_語", false),
		isNull(sa, false), isNull(fa, true),
		caseOf(tS, sb, bin(expr.OpLt, i32a, lit(tI32, "0")), lit(tS, "neg"), bin(expr.OpEq, i32a, lit(tI32, "0")), null(tS)),
		caseOf(tI64, nil, ba, i64a, bb, i64b),
		fn(expr.OpCoalesce, tI64, i64a, i64b, lit(tI64, "0")),
		fn(expr.OpConcat, tS, sa, sb), fn(expr.OpSubstring, tS, sa, i32a, i32b), fn(expr.OpUpper, tS, sa),
		fn(expr.OpLower, tS, sa), fn(expr.OpLength, tI64, sa), fn(expr.OpTrim, tS, sa),
		fn(expr.OpStartsWith, tB, sa, sb), fn(expr.OpContains, tB, sa, lit(tS, "e")),
		fn(expr.OpExtractYear, tI64, dt), fn(expr.OpExtractMonth, tI64, ts), fn(expr.OpExtractDay, tI64, ts),
		fn(expr.OpDateAddDays, tD, dt, i32a), fn(expr.OpDateAddMonths, tD, dt, i32b),
		castTo(i64a, tI32), castTo(fa, tI64), castTo(fa, dec(15, 2)), castTo(da, tI32), castTo(dw, dec(15, 2)),
		castTo(da, dec(18, 4)), castTo(da, tF), castTo(sa, tI64), castTo(sa, tF), castTo(sa, dec(15, 2)),
		castTo(sa, tD), castTo(sa, tB), castTo(fa, tS), castTo(dt, tTS), castTo(ts, tD), castTo(ts, tS),
		castTo(i32a, dec(5, 2)), castTo(ba, dec(15, 2)), castTo(fa, tB),
	)
	for _, op := range []expr.Op{expr.OpEq, expr.OpNe, expr.OpLt, expr.OpLe, expr.OpGt, expr.OpGe} {
		for i := range schema {
			j := i ^ 1 // the column of the same type beside it, or itself
			if i >= 10 && i != 12 && i != 13 {
				j = i
			}
			exprs = append(exprs, bin(op, c(i), c(j)))
		}
		exprs = append(exprs, bin(op, fa, lit(tF, "NaN")), bin(op, sa, lit(tS, "green")), bin(op, lit(tD, "1970-02-01"), dt))
	}
	rng := rand.New(rand.NewPCG(42, 42))
	rows := make([][]coldata.Datum, 200)
	for i := range rows {
		rows[i] = junkRow(rng, schema)
	}
	vs := prepareVariants(schema, rows)
	nullRows := allNull(len(rows), len(schema))
	nvs := prepareVariants(schema, nullRows)
	for _, e := range exprs {
		checkVariants(t, e, schema, vs, refAll(e, rows))
		checkVariants(t, e, schema, nvs, refAll(e, nullRows))
	}
}
