package kernel

import (
	"math/rand/v2"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

func TestFilterShapes(t *testing.T) {
	schema := types(tI64, tD, tS, tI32)
	x, d, s, i := col(0, tI64), col(1, tD), col(2, tS), col(3, tI32)
	between := bin(expr.OpAnd, bin(expr.OpGe, d, lit(tD, "1994-01-01")), bin(expr.OpLt, d, lit(tD, "1995-01-01")))
	f, err := CompileFilter(between, schema)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := f.root.(*rangeSel); !ok || r.lo != 8766 || r.hi != 9130 {
		t.Errorf("BETWEEN compiled to %T %+v, want one range [8766, 9130]", f.root, f.root)
	}
	// Cheap, infallible conjuncts first; fallible ones keep their order last.
	mixed := expr.And(
		like(s, "%x%y%", false),
		bin(expr.OpGt, castTo(s, tI64), lit(tI64, "0")),
		bin(expr.OpLt, x, lit(tI64, "5")),
		bin(expr.OpGt, bin(expr.OpAdd, x, lit(tI64, "1")), lit(tI64, "0")),
		isNull(i, true),
	)
	f, err = CompileFilter(mixed, schema)
	if err != nil {
		t.Fatal(err)
	}
	and, ok := f.root.(*andSel)
	if !ok || len(and.terms) != 5 {
		t.Fatalf("compiled to %T", f.root)
	}
	if _, ok := and.terms[0].(*isNullSel); !ok {
		t.Errorf("first conjunct is %T, want the IS NOT NULL", and.terms[0])
	}
	if _, ok := and.terms[2].(*likeSel); !ok {
		t.Errorf("third conjunct is %T, want the LIKE", and.terms[2])
	}
	if c, ok := and.terms[3].(*cmpSel); !ok || !isCast(c.l) {
		t.Errorf("fourth conjunct is %T, want the CAST comparison kept before the addition", and.terms[3])
	}
	// NOT is pushed to the leaves.
	f, err = CompileFilter(fn(expr.OpNot, tB, bin(expr.OpOr, bin(expr.OpLt, x, lit(tI64, "1")), like(s, "a%", false))), schema)
	if err != nil {
		t.Fatal(err)
	}
	if and, ok := f.root.(*andSel); !ok || and.terms[0].(*cmpSel).op != expr.OpGe || !and.terms[1].(*likeSel).not {
		t.Errorf("NOT (x < 1 OR s LIKE 'a%%') compiled to %#v", f.root)
	}
}

func isCast(n node) bool { _, ok := n.(*castNode); return ok }

func TestFilterCases(t *testing.T) {
	ts := types(tI64, tI32, tS)
	rows := rowsOf(ts, "-9223372036854775808|-2147483648|a", "9223372036854775807|2147483647|b", "0|0|NULL", "NULL|NULL|c", "5|5|green")
	x, y := col(0, tI64), col(1, tI32)
	rng := func(lo, hi string, strict bool) expr.Expr {
		lop, hop := expr.OpGe, expr.OpLe
		if strict {
			lop, hop = expr.OpGt, expr.OpLt
		}
		return bin(expr.OpAnd, bin(lop, x, lit(tI64, lo)), bin(hop, x, lit(tI64, hi)))
	}
	runCases(t, []tcase{
		{name: "full range", types: ts, rows: rows, e: rng("-9223372036854775808", "9223372036854775807", false)},
		{name: "strict full range", types: ts, rows: rows, e: rng("-9223372036854775808", "9223372036854775807", true)},
		{name: "empty range", types: ts, rows: rows, e: rng("5", "4", false)},
		{name: "point range", types: ts, rows: rows, e: rng("5", "5", false)},
		{name: "int32 range", types: ts, rows: rows,
			e: bin(expr.OpAnd, bin(expr.OpLe, y, lit(tI32, "2147483647")), bin(expr.OpGt, y, lit(tI32, "-2147483648")))},
		{name: "reversed bounds", types: ts, rows: rows,
			e: bin(expr.OpAnd, bin(expr.OpLt, x, lit(tI64, "6")), bin(expr.OpGe, x, lit(tI64, "0")))},
		{name: "three bounds", types: ts, rows: rows,
			e: expr.And(bin(expr.OpGt, x, lit(tI64, "-1")), bin(expr.OpLt, x, lit(tI64, "6")), bin(expr.OpNe, x, lit(tI64, "5")))},
		{name: "or of ands", types: ts, rows: rows,
			e: bin(expr.OpOr, rng("-1", "1", false), bin(expr.OpAnd, like(col(2, tS), "g%", false), bin(expr.OpGt, y, lit(tI32, "0"))))},
		{name: "or with null", types: ts, rows: rows, e: bin(expr.OpOr, bin(expr.OpEq, x, lit(tI64, "0")), null(tB))},
		{name: "and with true", types: ts, rows: rows, e: bin(expr.OpAnd, lit(tB, "true"), isNull(x, false))},
		{name: "not not", types: ts, rows: rows, e: fn(expr.OpNot, tB, fn(expr.OpNot, tB, bin(expr.OpLt, x, lit(tI64, "1"))))},
		{name: "bool column", types: types(tB), rows: rowsOf(types(tB), "true", "false", "NULL"), e: col(0, tB)},
		{name: "not bool column", types: types(tB), rows: rowsOf(types(tB), "true", "false", "NULL"), e: fn(expr.OpNot, tB, col(0, tB))},
		{name: "null filter", types: ts, rows: rows, e: null(tB)},
		{name: "starts_with filter", types: ts, rows: rows, e: fn(expr.OpStartsWith, tB, col(2, tS), lit(tS, "gr"))},
		{name: "contains % filter", types: ts, rows: rowsOf(ts, "1|1|50%", "2|2|50"), e: fn(expr.OpContains, tB, col(2, tS), lit(tS, "0%"))},
	})
}

// TestFilterKeepsDense: a filter every row passes leaves b.Sel nil, so later
// operators keep their dense loops.
func TestFilterKeepsDense(t *testing.T) {
	b := makeBatch(types(tI64), rowsOf(types(tI64), "1", "2", "3"))
	f, err := CompileFilter(bin(expr.OpGt, col(0, tI64), lit(tI64, "0")), types(tI64))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Select(b); err != nil || b.Sel != nil {
		t.Fatalf("Select: %v, Sel %v", err, b.Sel)
	}
	f, _ = CompileFilter(bin(expr.OpGt, col(0, tI64), lit(tI64, "1")), types(tI64))
	if err := f.Select(b); err != nil || len(b.Sel) != 2 {
		t.Fatalf("Select: %v, Sel %v", err, b.Sel)
	}
}

// TestNoAllocs checks the steady state: after the first batch, evaluating or
// filtering reuses every buffer.
func TestNoAllocs(t *testing.T) {
	schema := types(tI64, tD, dec(15, 2), dec(15, 2), tS, tF)
	b := benchBatch(schema, 2048)
	x, d, p, disc, s := col(0, tI64), col(1, tD), col(2, dec(15, 2)), col(3, dec(15, 2)), col(4, tS)
	filters := map[string]expr.Expr{
		"int64 <":  bin(expr.OpLt, x, lit(tI64, "500")),
		"date <":   bin(expr.OpLt, d, lit(tD, "1995-01-01")),
		"between":  bin(expr.OpAnd, bin(expr.OpGe, d, lit(tD, "1994-01-01")), bin(expr.OpLt, d, lit(tD, "1995-01-01"))),
		"like":     like(s, "%green%", false),
		"in":       inList(s, false, "a", "b", "forest green"),
		"or":       bin(expr.OpOr, bin(expr.OpLt, x, lit(tI64, "10")), like(s, "f%", false)),
		"decimals": bin(expr.OpGt, fn(expr.OpMul, dec(31, 4), p, fn(expr.OpSub, dec(16, 2), lit(dec(15, 2), "1.00"), disc)), lit(dec(31, 4), "100.0000")),
	}
	for name, e := range filters {
		f, err := CompileFilter(e, schema)
		if err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(20, func() {
			b.Sel = nil
			if err := f.Select(b); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("filter %s: %v allocations per batch", name, allocs)
		}
	}
	b.Sel = nil
	evals := map[string]expr.Expr{
		"a*(1-b)": fn(expr.OpMul, dec(31, 4), p, fn(expr.OpSub, dec(16, 2), lit(dec(15, 2), "1.00"), disc)),
		"compare": bin(expr.OpLe, d, lit(tD, "1998-09-02")),
		"case":    caseOf(tF, lit(tF, "0"), like(s, "PROMO%", false), castTo(p, tF)),
		"and":     bin(expr.OpAnd, bin(expr.OpLt, x, lit(tI64, "10")), isNull(s, true)),
		"year":    fn(expr.OpExtractYear, tI64, d),
	}
	for name, e := range evals {
		ev, err := Compile(e, schema)
		if err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(20, func() {
			if _, err := ev.Eval(b); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("eval %s: %v allocations per batch", name, allocs)
		}
	}
	_ = coldata.DefaultBatchSize
}

// TestEmptySelection: a batch whose selection is empty evaluates nothing, so
// even an expression that fails on every row succeeds.
func TestEmptySelection(t *testing.T) {
	ts := types(tS, tI64)
	b := makeBatch(ts, rowsOf(ts, "abc|1", "x|9223372036854775807"))
	b.Sel = []int32{}
	for _, e := range []expr.Expr{
		castTo(col(0, tS), tI32),
		bin(expr.OpAdd, col(1, tI64), lit(tI64, "9223372036854775807")),
		bin(expr.OpAnd, bin(expr.OpGt, castTo(col(0, tS), tI32), lit(tI32, "1")), isNull(col(1, tI64), true)),
		caseOf(tI32, castTo(col(0, tS), tI32), bin(expr.OpGt, col(1, tI64), lit(tI64, "0")), lit(tI32, "1")),
		fn(expr.OpCoalesce, tI32, null(tI32), castTo(col(0, tS), tI32)),
	} {
		ev, err := Compile(e, ts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ev.Eval(b); err != nil {
			t.Errorf("Eval(%s) on an empty selection: %v", e, err)
		}
		if e.Type().ID == coldata.Bool {
			f, _ := CompileFilter(e, ts)
			if err := f.Select(b); err != nil || len(b.Sel) != 0 || b.Sel == nil {
				t.Errorf("Select(%s) on an empty selection: %v, %v", e, err, b.Sel)
			}
		}
	}
}

// TestReuseAcrossSizes runs one evaluator over batches that grow and shrink,
// so every reused buffer is exercised in both directions.
func TestReuseAcrossSizes(t *testing.T) {
	schema := types(tI64, tS, dec(15, 2), tD)
	x, s, d, dt := col(0, tI64), col(1, tS), col(2, dec(15, 2)), col(3, tD)
	exprs := []expr.Expr{
		caseOf(tS, fn(expr.OpUpper, tS, s), bin(expr.OpLt, x, lit(tI64, "0")), castTo(x, tS), isNull(d, false), lit(tS, "none")),
		fn(expr.OpConcat, tS, s, castTo(dt, tS)),
		fn(expr.OpCoalesce, dec(15, 2), d, castTo(x, dec(15, 2))),
		bin(expr.OpOr, like(s, "%e%", false), inList(x, false, "1", "2", "3", "NULL")),
		fn(expr.OpMul, dec(30, 4), d, d),
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for _, e := range exprs {
		ev, err := Compile(e, schema)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{3, 2000, 1, 700, 0, 40} {
			rows := make([][]coldata.Datum, n)
			for i := range rows {
				rows[i] = junkRow(rng, schema)
				if rows[i][0].I > 1e12 || rows[i][0].I < -1e12 {
					rows[i][0].I = 5 // keep the casts to DECIMAL(15,2) in range
				}
			}
			checkEval(t, "reuse", ev, e, makeBatch(schema, rows), refAll(e, rows))
		}
	}
}
