package exec

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// sumType is SUM's result type for an integer or decimal argument.
func sumType(t coldata.Type) coldata.Type {
	if t.ID == coldata.Decimal {
		return coldata.DecimalType(38, int(t.Scale))
	}
	return coldata.TypeInt64
}

const spillTPCHDir = "../testdata/tpch-sf0.01-duckdb/"

func openSpillTPCH(t testing.TB, table string) *scan.File {
	t.Helper()
	f, err := scan.Open(spillTPCHDir + table + ".parquet")
	if err != nil {
		t.Skipf("TPC-H data not available: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func tpchScan(t testing.TB, f *scan.File, env memEnv, workers int, names ...string) []Operator {
	var cols []int
	for _, n := range names {
		for i, c := range f.Columns() {
			if c.Name == n {
				cols = append(cols, i)
			}
		}
	}
	src := newTestScanSource([]*scan.File{f}, cols, nil, -1)
	ws := scanWorkers(src, workers)
	for _, w := range ws {
		withMemory(w, env)
	}
	return ws
}

// runWithPool runs the plan mk builds once unlimited and once under limit,
// checks both agree (in order when ordered), that something spilled, and
// that the pool and the spill directory are empty afterwards.
func runWithPool(t *testing.T, name string, limit int64, ordered bool, mk func(env memEnv) Operator) {
	t.Run(name, func(t *testing.T) {
		run := func(env memEnv) ([]string, OpStats) {
			op := mk(env)
			got, err := drain(context.Background(), op)
			if cerr := op.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				t.Fatalf("limit %d: %v", env.pool.Limit(), err)
			}
			var st OpStats
			if s, ok := op.(StatsReporter); ok {
				st = s.OpStats()
			}
			return got, st
		}
		want, _ := run(memEnv{})
		pool, dir := NewMemoryPool(limit), t.TempDir()
		got, st := run(memEnv{pool: pool, dir: dir})
		if !ordered {
			slices.Sort(got)
			slices.Sort(want)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%d rows under the limit, %d without; first: %v / %v", len(got), len(want), trunc(got), trunc(want))
		}
		if st.SpilledBytes == 0 {
			t.Errorf("nothing spilled under %s", humanBytes(limit))
		}
		if pool.Used() != 0 {
			t.Errorf("pool holds %d bytes after Close", pool.Used())
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("%d spill files left", len(ents))
		}
		t.Logf("%d rows, spilled %s, pool peak %s", len(got), humanBytes(st.SpilledBytes), humanBytes(pool.Peak()))
	})
}

// TestSpillTPCH runs scan → aggregate / join / sort pipelines over the TPC-H
// SF 0.01 files with a small shared pool and compares with unlimited runs.
func TestSpillTPCH(t *testing.T) {
	li := openSpillTPCH(t, "lineitem")
	ord := openSpillTPCH(t, "orders")
	const w = 3
	// l_orderkey, l_suppkey, l_quantity, l_extendedprice, l_shipmode, l_comment
	liCols := []string{"l_orderkey", "l_suppkey", "l_quantity", "l_extendedprice", "l_shipmode", "l_comment"}
	runWithPool(t, "agg", 4<<20, false, func(env memEnv) Operator {
		in := tpchScan(t, li, env, w, liCols...)
		ts := in[0].Types()
		return withMemory(NewHashAgg(in, []int{0}, []AggSpec{countStar(),
			{Func: AggSum, Arg: 2, Out: sumType(ts[2])}, {Func: AggMin, Arg: 4, Out: ts[4]},
			{Func: AggMax, Arg: 5, Out: ts[5]}, {Func: AggCount, Arg: 1, Distinct: true, Out: i64},
			{Func: AggAvg, Arg: 3, Out: f64}}), env)
	})
	runWithPool(t, "agg string key", 2<<20, false, func(env memEnv) Operator {
		in := tpchScan(t, li, env, w, liCols...)
		return withMemory(NewHashAgg(in, []int{5}, []AggSpec{countStar(), {Func: AggSum, Arg: 0, Out: i64}}), env)
	})
	for _, typ := range allJoinTypes {
		runWithPool(t, "join "+typ.String(), 4<<20, false, func(env memEnv) Operator {
			build := tpchScan(t, li, env, w, "l_orderkey", "l_comment", "l_quantity")
			jb := NewJoinBuild(build, []int{0})
			jb.env = env
			probe := tpchScan(t, ord, env, w, "o_orderkey", "o_orderpriority")
			out := []int{0, 1}
			var bout []int
			if typ == JoinInner || typ == JoinLeft || typ == JoinFull {
				bout = []int{1}
			}
			ps := make([]Operator, len(probe))
			for i, p := range probe {
				ps[i] = NewHashJoin(jb, p, []int{0}, typ, out, bout, nil)
			}
			return &buildStatsOp{Operator: NewGather(ps), jb: jb}
		})
	}
	for _, op := range []AsofOp{AsofGe, AsofLt} {
		// Each order takes its lineitem shipped nearest its order date.
		runWithPool(t, fmt.Sprint("asof ", op), 4<<20, false, func(env memEnv) Operator {
			build := tpchScan(t, li, env, w, "l_orderkey", "l_shipdate", "l_linenumber")
			jb := NewJoinBuild(build, []int{0})
			jb.env = env
			probe := tpchScan(t, ord, env, w, "o_orderkey", "o_orderdate")
			sh := &asofShared{}
			ps := make([]Operator, len(probe))
			for i, p := range probe {
				a, err := NewAsofJoin(jb, p, []int{0}, AsofSpec{Op: op, ProbeCol: 1, BuildCol: 1, Outer: true}, sh)
				if err != nil {
					t.Fatal(err)
				}
				ps[i] = NewProject(a, []VecExpr{colRef(0), colRef(1), colRef(3)}, types(i64, coldata.TypeDate, coldata.TypeDate))
			}
			return &buildStatsOp{Operator: NewGather(ps), jb: jb}
		})
	}
	runWithPool(t, "sort", 4<<20, true, func(env memEnv) Operator {
		in := tpchScan(t, li, env, w, "l_shipmode", "l_comment", "l_orderkey", "l_quantity")
		return withMemory(NewSort(in, []SortKey{{Col: 0, Desc: true}, {Col: 1}, {Col: 2}}), env)
	})
}
