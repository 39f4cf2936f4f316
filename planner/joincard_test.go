package planner

import (
	"math"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// testRel is a relation with integer key columns of given measured
// distinct counts over a base table of baseRows rows.
type testRel struct {
	rows, baseRows float64
	ndv            []float64
}

func testGraph(e *estimator, rels []testRel, eq [][4]int) (*joinGraph, []Node, [][]*expr.Column) {
	var nodes []Node
	var cols [][]*expr.Column
	id := 1
	for _, r := range rels {
		v := &Values{}
		var cs []*expr.Column
		for _, d := range r.ndv {
			v.Out = append(v.Out, ColMeta{ID: id, Type: coldata.TypeInt64})
			e.cols[id] = colInfo{rows: r.baseRows}
			e.ndvs[id] = baseNDV{d: d, measured: true}
			cs = append(cs, &expr.Column{Index: id, Typ: coldata.TypeInt64})
			id++
		}
		nodes, cols = append(nodes, v), append(cols, cs)
	}
	ids := make([]map[ColID]bool, len(nodes))
	card := make([]float64, len(nodes))
	for i, n := range nodes {
		ids[i], card[i] = IDs(n.Cols()), rels[i].rows
	}
	var conds []expr.Expr
	for _, q := range eq {
		conds = append(conds, &expr.Func{Op: expr.OpEq, Args: []expr.Expr{cols[q[0]][q[1]], cols[q[2]][q[3]]}, Typ: coldata.TypeBool})
	}
	return newJoinGraph(e, nodes, ids, card, conds, nil), nodes, cols
}

func near(got, want float64) bool { return math.Abs(got-want) <= 0.02*want }

// TestJoinGraphCompositeKey: lineitem joins partsupp on (partkey, suppkey),
// a composite foreign key: every lineitem row finds its one partsupp row.
// The product of the two keys' selectivities would make it 6M·800K /
// (200K·10K) = 2,400 rows.
func TestJoinGraphCompositeKey(t *testing.T) {
	e := newEstimator()
	g, _, _ := testGraph(e, []testRel{
		{rows: 6e6, baseRows: 6e6, ndv: []float64{2e5, 1e4}},
		{rows: 8e5, baseRows: 8e5, ndv: []float64{2e5, 1e4}},
	}, [][4]int{{0, 0, 1, 0}, {0, 1, 1, 1}})
	if got := g.rows(3); !near(got, 6e6) {
		t.Errorf("lineitem ⋈ partsupp: %v rows, want 6M", got)
	}
}

// TestJoinGraphStar: a fact table joined to two filtered dimensions keeps
// each dimension's share of its rows, whatever the order.
func TestJoinGraphStar(t *testing.T) {
	e := newEstimator()
	g, _, _ := testGraph(e, []testRel{
		{rows: 1e6, baseRows: 1e6, ndv: []float64{1000, 100}},
		{rows: 10, baseRows: 1000, ndv: []float64{1000}},
		{rows: 50, baseRows: 100, ndv: []float64{100}},
	}, [][4]int{{0, 0, 1, 0}, {0, 1, 2, 0}})
	if got := g.rows(7); !near(got, 1e6*10/1000*50/100) {
		t.Errorf("fact ⋈ d1 ⋈ d2: %v rows, want 5000", got)
	}
	if got := g.rows(3); !near(got, 1e4) {
		t.Errorf("fact ⋈ d1: %v rows, want 10000", got)
	}
	// The two dimensions share no condition: a cross product, which the
	// ordering never forms.
	if hash, theta := g.link(2, 4); hash || theta {
		t.Errorf("d1 and d2 linked")
	}
}

// TestDPAvoidsThetaJoins: with A = B, B = C and a non-equality between A
// and C, the plan joins through B's hash keys and applies the
// non-equality as a residual, never as a cross product of A and C.
func TestDPAvoidsThetaJoins(t *testing.T) {
	e := newEstimator()
	g, nodes, cols := testGraph(e, []testRel{
		{rows: 1000, baseRows: 1000, ndv: []float64{1000, 1000}},
		{rows: 1e6, baseRows: 1e6, ndv: []float64{1000, 1000}},
		{rows: 1000, baseRows: 1000, ndv: []float64{1000, 1000}},
	}, [][4]int{{0, 0, 1, 0}, {1, 1, 2, 0}})
	theta := &expr.Func{Op: expr.OpGt, Args: []expr.Expr{cols[2][1], cols[0][1]}, Typ: coldata.TypeBool}
	ids := []map[ColID]bool{IDs(nodes[0].Cols()), IDs(nodes[1].Cols()), IDs(nodes[2].Cols())}
	g = newJoinGraph(e, nodes, ids, g.card, append([]expr.Expr{
		&expr.Func{Op: expr.OpEq, Args: []expr.Expr{cols[0][0], cols[1][0]}, Typ: coldata.TypeBool},
		&expr.Func{Op: expr.OpEq, Args: []expr.Expr{cols[1][1], cols[2][0]}, Typ: coldata.TypeBool},
	}, theta), nil)
	o := &optimizer{est: e}
	root := o.dpJoins(g, nodes)
	var check func(n Node)
	check = func(n Node) {
		if j, ok := n.(*Join); ok {
			if len(j.LeftKeys) == 0 {
				t.Errorf("a join without hash keys (a cross product) in the plan")
			}
			check(j.Left)
			check(j.Right)
		}
	}
	check(root)
}

// TestConjunctionSel: comparisons of one column form an interval, and
// predicates on different columns back off rather than multiply.
func TestConjunctionSel(t *testing.T) {
	e := newEstimator()
	const x, y ColID = 1, 2
	for _, id := range []ColID{x, y} {
		e.cols[id] = colInfo{rows: 1000}
		e.ndvs[id] = baseNDV{d: 100, measured: true}
		e.rng[id] = colRange{lo: 0, hi: 99, ok: true}
	}
	col := func(id ColID) *expr.Column { return &expr.Column{Index: id, Typ: coldata.TypeInt64} }
	k := func(v int64) *expr.Const { return &expr.Const{Val: coldata.Datum{I: v}, Typ: coldata.TypeInt64} }
	cmp := func(op expr.Op, id ColID, v int64) expr.Expr {
		return &expr.Func{Op: op, Args: []expr.Expr{col(id), k(v)}, Typ: coldata.TypeBool}
	}
	// 10 <= x <= 19: ten of a hundred values, not (90/100)·(20/100).
	if got := e.conjunctionSel([]expr.Expr{cmp(expr.OpGe, x, 10), cmp(expr.OpLe, x, 19)}); !near(got, 0.1) {
		t.Errorf("interval: %v, want 0.1", got)
	}
	// x = 5 AND y = 7: 1/100 · (1/100)^(1/2).
	if got := e.conjunctionSel([]expr.Expr{cmp(expr.OpEq, x, 5), cmp(expr.OpEq, y, 7)}); !near(got, 0.001) {
		t.Errorf("backoff: %v, want 0.001", got)
	}
	// x = 1 OR x = 2 OR x = 3: three values.
	or := &expr.Func{Op: expr.OpOr, Args: []expr.Expr{&expr.Func{Op: expr.OpOr, Args: []expr.Expr{cmp(expr.OpEq, x, 1), cmp(expr.OpEq, x, 2)}, Typ: coldata.TypeBool}, cmp(expr.OpEq, x, 3)}, Typ: coldata.TypeBool}
	if got := e.selectivity(or); !near(got, 0.03) {
		t.Errorf("values of one column: %v, want 0.03", got)
	}
	// An n-ary AND (as the front end may build it) reads every term.
	and := &expr.Func{Op: expr.OpAnd, Args: []expr.Expr{cmp(expr.OpGe, x, 10), cmp(expr.OpLe, x, 19), cmp(expr.OpEq, y, 7)}, Typ: coldata.TypeBool}
	if got := e.selectivity(and); !near(got, 0.01*math.Sqrt(0.1)) {
		t.Errorf("n-ary AND: %v, want %v", got, 0.01*math.Sqrt(0.1))
	}
}
