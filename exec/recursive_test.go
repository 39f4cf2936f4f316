package exec

import (
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// recursiveStep is the physical step `SELECT x + add, tag FROM work WHERE
// x < stop` over (BIGINT x, VARCHAR tag).
func recursiveStep(add, stop int64) (*planner.PhysRecursiveCTE, []coldata.Type) {
	ts := types(i64, str)
	out := []planner.ColMeta{{ID: 1, Name: "x", Type: i64}, {ID: 2, Name: "tag", Type: str}}
	col := func(i int, t coldata.Type) expr.Expr { return &expr.Column{Index: i, Typ: t} }
	k := func(v int64) expr.Expr { return &expr.Const{Val: coldata.Datum{I: v}, Typ: i64} }
	wt := &planner.PhysWorkTable{Name: "t"}
	scan := &planner.PhysWorkScan{PhysBase: planner.PhysBase{Out: out}, Work: wt}
	filter := &planner.PhysFilter{PhysBase: planner.PhysBase{Out: out}, Input: scan,
		Pred: &expr.Func{Op: expr.OpLt, Args: []expr.Expr{col(0, i64), k(stop)}, Typ: coldata.TypeBool}}
	proj := &planner.PhysProject{PhysBase: planner.PhysBase{Out: out}, Input: filter, Exprs: []expr.Expr{
		&expr.Func{Op: expr.OpAdd, Args: []expr.Expr{col(0, i64), k(add)}, Typ: i64}, col(1, str)}}
	return &planner.PhysRecursiveCTE{PhysBase: planner.PhysBase{Out: out}, Work: wt, Step: proj,
		AnchorIdx: []int{0, 1}, StepIdx: []int{0, 1}}, ts
}

func testBuilder(env memEnv, maxIter int64) *builder {
	return &builder{threads: 2, env: env, maxRecursion: maxIter, q: &Query{ops: map[planner.Physical][]Operator{},
		scans: map[*planner.PhysScan]scanStatser{}, builds: map[planner.Physical]*JoinBuild{}, rows: map[planner.Physical]int64{},
		scanOut: map[*planner.PhysScan][]Operator{}}}
}

// recursiveOver builds the recursive operator with the harness's source as
// its anchor.
func recursiveOver(p *planner.PhysRecursiveCTE, anchor Operator, env memEnv, maxIter int64) Operator {
	b := testBuilder(env, maxIter)
	wt := &workTable{}
	b.work = map[*planner.PhysWorkTable]*workTable{p.Work: wt}
	return &recursiveOp{b: b, p: p, wt: wt, types: planner.Types(p), maxIter: maxIter, anchor: anchor}
}

// TestRecursiveCTE: UNION ALL keeps every round's rows; UNION drops rows
// seen in any earlier round or earlier in the same one (duplicates in the
// anchor too); the iteration limit fails the query instead of looping.
func TestRecursiveCTE(t *testing.T) {
	anchor := []row{{0, "a"}, {0, "a"}, {5, "b"}, {nil, "n"}}
	all, _ := recursiveStep(1, 8)
	var wantAll []row
	for _, r := range anchor {
		wantAll = append(wantAll, r)
		if r[0] == nil {
			continue
		}
		for x := r[0].(int) + 1; x <= 8; x++ {
			wantAll = append(wantAll, row{x, r[1]})
		}
	}
	distinct, _ := recursiveStep(1, 8)
	distinct.Distinct = true
	var wantDistinct []row
	for x := 0; x <= 8; x++ {
		wantDistinct = append(wantDistinct, row{x, "a"})
	}
	for x := 5; x <= 8; x++ {
		wantDistinct = append(wantDistinct, row{x, "b"})
	}
	wantDistinct = append(wantDistinct, row{nil, "n"})
	cycle, _ := recursiveStep(0, 100) // x + 0: a fixed point at once under UNION, endless under UNION ALL
	cycleDistinct := *cycle
	cycleDistinct.Distinct = true
	long := seq(3000, func(i int) row { return row{i, "z"} })
	longStep, _ := recursiveStep(1, 3000)
	longStep.Distinct = true
	ts := types(i64, str)
	cases := []struct {
		c       opCase
		p       *planner.PhysRecursiveCTE
		maxIter int64
	}{
		{opCase{name: "union all", inputs: [][]row{anchor}, expected: wantAll}, all, 100},
		{opCase{name: "union", inputs: [][]row{anchor}, expected: wantDistinct}, distinct, 100},
		{opCase{name: "fixed point", inputs: [][]row{{{1, "c"}}}, expected: []row{{1, "c"}}}, &cycleDistinct, 3},
		{opCase{name: "limit", inputs: [][]row{{{1, "c"}}}, wantErr: "did not finish within 3 iterations"}, cycle, 3},
		{opCase{name: "large rounds", inputs: [][]row{long}, expected: append(long, row{3000, "z"})}, longStep, 5},
	}
	for _, tc := range cases {
		c, p, maxIter := tc.c, tc.p, tc.maxIter
		c.types = [][]coldata.Type{ts}
		c.mk = func(ins [][]Operator) Operator { return recursiveOver(p, single(ins), memEnv{}, maxIter) }
		runCases(t, []opCase{c})
		runSpilling(t, c, 4<<20, false, func(ins [][]Operator, env memEnv) Operator {
			return recursiveOver(p, single(ins), env, maxIter)
		})
	}
}
