package kernel

import (
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// TestTryCast: failing rows become NULL, the others convert as CAST does,
// whichever rows of the batch fail (first, last, all, none).
func TestTryCast(t *testing.T) {
	try := func(from, to coldata.Type, in []string, want ...string) tcase {
		ts := types(from)
		return tcase{name: "TRY " + from.String() + "->" + to.String(), types: ts, rows: rowsOf(ts, in...),
			e: &expr.Cast{Arg: col(0, from), Typ: to, Try: true}, want: want}
	}
	runCases(t, []tcase{
		try(tS, tI32, strs("abc", "12", "NULL", "1e2", "3000000000"), "NULL", "12", "NULL", "100", "NULL"),
		try(tS, tI32, strs("1", "2", "x"), "1", "2", "NULL"),
		try(tS, tI32, strs("x", "y"), "NULL", "NULL"),
		try(tS, tI32, strs("5", "6"), "5", "6"),
		try(tS, dec(4, 1), strs("1.25", "999.95", "-5e-2", "nope"), "1.3", "NULL", "-0.1", "NULL"),
		try(tS, tD, strs("2021-02-03", "2021-02-30", "x"), "2021-02-03", "NULL", "NULL"),
		try(tF, tI32, strs("1.5", "1e10", "NaN", "-2.5"), "2", "NULL", "NULL", "-2"),
		try(tI64, tI32, strs("3000000000", "7", "NULL"), "NULL", "7", "NULL"),
		try(dec(10, 2), dec(3, 1), strs("12.34", "99.95", "-99.94"), "12.3", "NULL", "-99.9"),
		try(tS, coldata.TypeHugeint, strs("1e2", "-1.5e1", "17014118346046923173168730371588410572.7e1", "1.7014118346046923173168730371588410572e39", "1e", "1_0"),
			"100", "-15", "170141183460469231731687303715884105727", "NULL", "NULL", "10"),
		try(coldata.TypeHugeint, tI64, strs("170141183460469231731687303715884105727", "-5"), "NULL", "-5"),
	})
}
