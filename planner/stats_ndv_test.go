package planner

import (
	"math"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

func TestPredValues(t *testing.T) {
	str := coldata.Type{ID: coldata.String}
	col := func(id ColID) *expr.Column { return &expr.Column{Index: id, Typ: str, Name: "c"} }
	k := func(s string) *expr.Const { return &expr.Const{Val: coldata.Datum{S: s}, Typ: str} }
	eq := func(id ColID, s string) expr.Expr {
		return &expr.Func{Op: expr.OpEq, Args: []expr.Expr{col(id), k(s)}, Typ: coldata.TypeBool}
	}
	or := func(a, b expr.Expr) expr.Expr {
		return &expr.Func{Op: expr.OpOr, Args: []expr.Expr{a, b}, Typ: coldata.TypeBool}
	}
	in := func(id ColID, n int, not bool) expr.Expr {
		return &expr.In{Arg: col(id), List: make([]coldata.Datum, n), Not: not}
	}
	cases := []struct {
		name string
		p    expr.Expr
		want float64 // 0: no bound
	}{
		{"c = k", eq(1, "a"), 1},
		{"k = c", &expr.Func{Op: expr.OpEq, Args: []expr.Expr{k("a"), col(1)}, Typ: coldata.TypeBool}, 1},
		{"other column", eq(2, "a"), 0},
		{"IN", in(1, 3, false), 3},
		{"NOT IN", in(1, 3, true), 0},
		{"OR of equalities", or(eq(1, "a"), eq(1, "b")), 2},
		{"OR with another column", or(eq(1, "a"), eq(2, "b")), 0},
		{"AND keeps the tighter", expr.And(in(1, 4, false), eq(1, "a")), 1},
		{"AND with another column", expr.And(eq(2, "x"), in(1, 2, false)), 2},
		{"c <> k", &expr.Func{Op: expr.OpNe, Args: []expr.Expr{col(1), k("a")}, Typ: coldata.TypeBool}, 0},
	}
	for _, c := range cases {
		got, ok := predValues(c.p, 1)
		if c.want == 0 {
			if ok {
				t.Errorf("%s: got %v, want no bound", c.name, got)
			}
			continue
		}
		if !ok || got != c.want {
			t.Errorf("%s: got %v (%v), want %v", c.name, got, ok, c.want)
		}
	}
}

// TestNDVScaledToFilteredRows checks Cardenas' formula as ndv applies it:
// a column with D values over N rows keeps D·(1 − (1 − n/N)^(N/D)) of
// them in n random rows.
func TestNDVScaledToFilteredRows(t *testing.T) {
	e := newEstimator()
	const id ColID = 7
	e.cols[id] = colInfo{rows: 1e6}
	cases := []struct {
		d, n, want float64
	}{
		{10, 1e6, 10},       // unfiltered: all
		{10, 1e5, 10},       // 10% of rows still see every one of 10 values
		{1e6, 1e5, 1e5},     // a unique column keeps one value per row
		{1e5, 1e4, 9561.79}, // 10 rows per value, 1% of rows: mostly distinct
		{1e5, 2e6, 1e5},     // more rows than the table (after a join): all
	}
	for _, c := range cases {
		e.ndvs[id] = baseNDV{d: c.d, measured: true}
		if got := e.ndv(id, c.n); math.Abs(got-c.want) > 0.01*c.want {
			t.Errorf("D=%v n=%v: got %v, want %v", c.d, c.n, got, c.want)
		}
	}
	// Columns the estimator does not know count as all distinct.
	if got := e.ndv(99, 1234); got != 1234 {
		t.Errorf("unknown column: %v", got)
	}
}
