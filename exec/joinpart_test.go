package exec

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// mkPart builds the join with a partitioned build over the build input's
// workers: 1<<bits partitions built by threads goroutines.
func (s joinSpec) mkPart(bits uint, threads int) func(ins [][]Operator) Operator {
	return func(ins [][]Operator) Operator { return s.mkPartEnv(ins, memEnv{}, bits, threads) }
}

func (s joinSpec) mkPartEnv(ins [][]Operator, env memEnv, bits uint, threads int) Operator {
	jb := NewPartitionedJoinBuild(ins[0], s.bk, bits, threads)
	jb.env = env
	var res Selector
	if s.residual != nil {
		res = *s.residual
	}
	ps := make([]Operator, len(ins[1]))
	for i, p := range ins[1] {
		ps[i] = NewHashJoin(jb, p, s.pk, s.typ, s.probeOut, s.buildOut, res)
	}
	if len(ps) == 1 {
		return &buildStatsOp{Operator: ps[0], jb: jb}
	}
	return &buildStatsOp{Operator: NewGather(ps), jb: jb}
}

type joinMatrixCase struct {
	name         string
	bt, pt       []coldata.Type
	build, probe []row
	s            joinSpec
}

// partModes are the build forms every matrix case runs in.
var partModes = []struct {
	name    string
	bits    uint
	threads int
}{{"broadcast", 0, 0}, {"part1", 0, 2}, {"part2", 1, 2}, {"part8", 3, 4}, {"part256", 8, 3}}

// runJoinBothWays runs each case broadcast and partitioned (several
// partition counts), with 1 and 4 workers on each side, every harness batch
// size and random selections, against the nested-loop reference.
func runJoinBothWays(t *testing.T, cases []joinMatrixCase) {
	t.Helper()
	for _, jc := range cases {
		for _, m := range partModes {
			c := joinCase(jc.name, jc.bt, jc.pt, jc.build, jc.probe, jc.s)
			c.workers = 4
			if m.threads > 0 {
				c.mk = jc.s.mkPart(m.bits, m.threads)
			}
			t.Run(jc.name+"/"+m.name, func(t *testing.T) { runCase(t, c) })
		}
	}
}

func TestPartitionedJoinTypes(t *testing.T) {
	build := []row{{1, "b1"}, {2, "b2"}, {2, "b2x"}, {3, "b3"}, {nil, "bnull"}, {5, "b5"}, {5, "b5x"}, {5, "b5y"}}
	buildNoNull := []row{{1, "b1"}, {2, "b2"}, {2, "b2x"}, {3, "b3"}}
	probe := []row{{1, 10}, {2, 20}, {2, 21}, {4, 40}, {nil, 50}, {5, 60}, {1, 11}, {nil, 70}}
	bt, pt := types(i64, str), types(i64, i64)
	var cases []joinMatrixCase
	for _, typ := range allJoinTypes {
		s := joinSpec{bk: []int{0}, pk: []int{0}, typ: typ, probeOut: []int{1, 0}, buildOut: []int{1}}
		n := typ.String()
		cases = append(cases,
			joinMatrixCase{n, bt, pt, build, probe, s},
			joinMatrixCase{n + " no null build", bt, pt, buildNoNull, probe, s},
			joinMatrixCase{n + " empty build", bt, pt, nil, probe, s},
			joinMatrixCase{n + " empty probe", bt, pt, build, nil, s},
			joinMatrixCase{n + " unique build", bt, pt, []row{{1, "u1"}, {5, "u5"}, {7, "u7"}}, probe, s},
			joinMatrixCase{n + " all null", bt, pt, []row{{nil, "x"}, {nil, "y"}}, []row{{nil, 1}, {nil, 2}}, s},
		)
	}
	runJoinBothWays(t, cases)
}

func TestPartitionedJoinKeys(t *testing.T) {
	build := []row{{1, "a", 100}, {1, "b", 101}, {2, "a", 102}, {1, "a", 103}, {nil, "a", 104}, {3, nil, 105}}
	probe := []row{{1, "a", 0}, {1, "b", 1}, {2, "b", 2}, {nil, "a", 3}, {3, nil, 4}, {2, "a", 5}}
	ts := types(i32, str, i64)
	var cases []joinMatrixCase
	for _, typ := range allJoinTypes {
		cases = append(cases,
			joinMatrixCase{"composite " + typ.String(), ts, ts, build, probe,
				joinSpec{bk: []int{0, 1}, pk: []int{0, 1}, typ: typ, probeOut: []int{2}, buildOut: []int{2}}},
			joinMatrixCase{"string " + typ.String(), ts, ts, build, probe,
				joinSpec{bk: []int{1}, pk: []int{1}, typ: typ, probeOut: []int{2, 1}, buildOut: []int{2, 0}}},
			joinMatrixCase{"int32 " + typ.String(), ts, ts, build, probe,
				joinSpec{bk: []int{0}, pk: []int{0}, typ: typ, probeOut: []int{2, 1}, buildOut: []int{2, 1}}})
	}
	// Int32 probing Int64 on the int path.
	cases = append(cases, joinMatrixCase{"int32 probes int64", types(i64), types(i32),
		[]row{{1}, {2}, {1 << 40}, {-7}}, []row{{1}, {3}, {2}, {0}, {-7}},
		joinSpec{bk: []int{0}, pk: []int{0}, typ: JoinInner, probeOut: []int{0}, buildOut: []int{0}}})
	runJoinBothWays(t, cases)
}

func TestPartitionedJoinResidual(t *testing.T) {
	build, probe := residualJoinRows()
	ts := types(i64, i64)
	var cases []joinMatrixCase
	for _, typ := range allJoinTypes {
		s := joinSpec{bk: []int{0}, pk: []int{0}, typ: typ, probeOut: []int{0, 1}, buildOut: []int{1},
			residual: &colCmpSel{a: 1, b: 3, op: "<>"}}
		cases = append(cases, joinMatrixCase{"ne " + typ.String(), ts, ts, build, probe, s},
			joinMatrixCase{"unique ne " + typ.String(), ts, ts, []row{{1, 10}, {2, 21}, {3, nil}}, probe, s})
	}
	runJoinBothWays(t, cases)
}

// TestPartitionedJoinRandom: larger random inputs with NULL keys, duplicate
// keys, string and composite keys, every join type, with and without a
// residual, so every partition holds rows.
func TestPartitionedJoinRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	key := func(n int) any {
		if rng.Intn(40) == 0 {
			return nil
		}
		return rng.Intn(n) - n/4
	}
	build := seq(700, func(i int) row { return row{key(500), fmt.Sprint("s", rng.Intn(30)), i} })
	probe := seq(400, func(i int) row { return row{key(650), fmt.Sprint("s", rng.Intn(40)), i * 3} })
	ts := types(i64, str, i64)
	var cases []joinMatrixCase
	for _, typ := range allJoinTypes {
		for _, res := range shortOr([]*colCmpSel{nil, {a: 2, b: 5, op: "<"}}, []*colCmpSel{{a: 2, b: 5, op: "<"}}) {
			n := typ.String()
			if res != nil {
				n += " residual"
			}
			cases = append(cases,
				joinMatrixCase{"int " + n, ts, ts, build, probe,
					joinSpec{bk: []int{0}, pk: []int{0}, typ: typ, probeOut: []int{2, 0}, buildOut: []int{2, 1}, residual: res}},
				joinMatrixCase{"str " + n, ts, ts, build, probe,
					joinSpec{bk: []int{1}, pk: []int{1}, typ: typ, probeOut: []int{2}, buildOut: []int{2}, residual: res}},
				joinMatrixCase{"composite " + n, ts, ts, build, probe,
					joinSpec{bk: []int{1, 0}, pk: []int{1, 0}, typ: typ, probeOut: []int{2}, buildOut: []int{2}, residual: res}})
		}
	}
	runJoinBothWays(t, cases)
}

func TestPartitionedJoinFanout(t *testing.T) {
	build := seq(6001, func(i int) row { return row{i % 2, i} })
	probe := []row{{0, 5}, {1, 6}, {2, 7}, {0, 6000}}
	bt, pt := types(i64, i64), types(i64, i64)
	for _, typ := range []JoinType{JoinInner, JoinLeft, JoinSemi} {
		s := joinSpec{bk: []int{0}, pk: []int{0}, typ: typ, probeOut: []int{1}, buildOut: []int{1}}
		if typ == JoinSemi {
			s.buildOut, s.residual = nil, &colCmpSel{a: 1, b: 3, op: "<"}
		}
		for _, m := range partModes[1:] {
			c := joinCase("fanout "+typ.String(), bt, pt, build, probe, s)
			c.mk = s.mkPart(m.bits, m.threads)
			for _, w := range []int{1, 4} {
				runVariant(t, c, fmt.Sprintf("%s/%s/w=%d", typ, m.name, w), w, 1024, w == 4)
			}
		}
	}
}

func TestPartitionedJoinCollisions(t *testing.T) {
	degradeHashForTest = true
	defer func() { degradeHashForTest = false }()
	build := seq(300, func(i int) row { return row{i % 40, fmt.Sprint("s", i%7), i} })
	probe := seq(200, func(i int) row { return row{i % 50, fmt.Sprint("s", i%9), i} })
	ts := types(i64, str, i64)
	for _, typ := range allJoinTypes {
		s := joinSpec{bk: []int{0, 1}, pk: []int{0, 1}, typ: typ, probeOut: []int{2}, buildOut: []int{2}}
		c := joinCase(typ.String(), ts, ts, build, probe, s)
		c.mk = s.mkPart(3, 2)
		runVariant(t, c, "w=3/"+typ.String(), 3, 64, true)
	}
}

// TestPartitionedJoinSpill: under a tiny memory limit the partitioned build
// falls back to the Grace path, with the same results, and releases its
// memory and files.
func TestPartitionedJoinSpill(t *testing.T) {
	build, probe, noNull, bt, pt := spillJoinInputs()
	mk := func(s joinSpec) func([][]Operator, memEnv) Operator {
		return func(ins [][]Operator, env memEnv) Operator { return s.mkPartEnv(ins, env, 4, 2) }
	}
	for _, typ := range allJoinTypes {
		for _, res := range []*colCmpSel{nil, {a: 1, b: 5, op: "<"}} {
			s := joinSpec{bk: []int{0}, pk: []int{0}, typ: typ, probeOut: []int{2, 0}, buildOut: []int{1}, residual: res}
			name := typ.String()
			if res != nil {
				name += " residual"
			}
			b := build
			if typ == JoinAntiNullAware && res == nil {
				runSpilling(t, joinCase(name+" null build", bt, pt, build, probe, s), 48<<10, false, mk(s))
				b = noNull
			}
			runSpilling(t, joinCase(name, bt, pt, b, probe, s), 48<<10, true, mk(s))
		}
	}
	s := joinSpec{bk: []int{1, 0}, pk: []int{2, 0}, typ: JoinInner, probeOut: []int{1}, buildOut: []int{2}}
	sb := seq(2000, func(i int) row { return row{i % 50, fmt.Sprint("p", i), i} })
	runSpilling(t, joinCase("composite", bt, pt, sb, probe, s), 48<<10, true, mk(s))
	// A limit that the buffers fit but the tables do not: the spill starts
	// between phase 1 and the table builds.
	big := seq(4000, func(i int) row { return row{i, "x", i} })
	s = joinSpec{bk: []int{0}, pk: []int{0}, typ: JoinInner, probeOut: []int{1}, buildOut: []int{2}}
	runSpilling(t, joinCase("tables", bt, pt, big, probe, s), 200<<10, true, mk(s))
}

// slowSource never ends: it yields batches until its context is cancelled.
type slowSource struct {
	b      coldata.Batch
	closed bool
}

func (s *slowSource) Types() []coldata.Type { return types(i64) }
func (s *slowSource) Open(context.Context) error {
	v := coldata.NewVec(i64, 1024)
	for i := range v.I64 {
		v.I64[i] = int64(i)
	}
	s.b = coldata.Batch{Vecs: []*coldata.Vec{v}, N: 1024}
	return nil
}
func (s *slowSource) Close() error { s.closed = true; return nil }
func (s *slowSource) Next(ctx context.Context) (*coldata.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	time.Sleep(50 * time.Microsecond)
	return &s.b, nil
}

// TestPartitionedJoinCancel: cancelling the query stops a partitioned
// build promptly and closes its inputs.
func TestPartitionedJoinCancel(t *testing.T) {
	before := runtime.NumGoroutine()
	srcs := []Operator{&slowSource{}, &slowSource{}, &slowSource{}}
	jb := NewPartitionedJoinBuild(srcs, []int{0}, 3, 2)
	probe := &testSource{types: types(i64), rows: datums(types(i64), []row{{1}}), batchSize: 1, t: t}
	j := NewHashJoin(jb, probe, []int{0}, JoinInner, []int{0}, []int{0}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := drain(ctx, j)
		done <- err
	}()
	time.Sleep(30 * time.Millisecond)
	t0 := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
		if d := time.Since(t0); d > 500*time.Millisecond {
			t.Errorf("cancel took %v", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("partitioned build ignored cancellation")
	}
	_ = j.Close()
	for i, s := range srcs {
		if !s.(*slowSource).closed {
			t.Errorf("input %d not closed", i)
		}
	}
	checkNoLeak(t, before)
}

// TestPartitionedJoinConcurrentProbes: many probes of one partitioned
// build at once (meaningful under -race); the build runs once and is freed
// after the last probe.
func TestPartitionedJoinConcurrentProbes(t *testing.T) {
	for _, strKey := range []bool{false, true} {
		kt := i64
		key := func(i int) any { return i }
		if strKey {
			kt = str
			key = func(i int) any { return fmt.Sprint(i) }
		}
		bt := types(kt, i64)
		var srcs []Operator
		var tss []*testSource
		for w := range 3 {
			rows := seq(5000, func(i int) row { return row{key(i), i * 2} })
			var mine []row
			for i, r := range rows {
				if i%3 == w {
					mine = append(mine, r)
				}
			}
			s := &testSource{types: bt, rows: datums(bt, mine), batchSize: 333, t: t}
			srcs, tss = append(srcs, s), append(tss, s)
		}
		jb := NewPartitionedJoinBuild(srcs, []int{0}, 4, 2)
		jb.refs++ // inspect the build before the probes release it
		if err := jb.ensure(context.Background()); err != nil {
			t.Fatal(err)
		}
		if jt := jb.jt; jt == nil || jt.parts == nil || max(len(jt.parts.tabs), len(jt.parts.ikeys)) != 16 || jt.nrows != 5000 || !jt.unique {
			t.Fatalf("string=%v: the build is not partitioned 16 ways", strKey)
		}
		pt := types(kt, i64, i64)
		var ops []Operator
		want := 0
		for p := range 6 {
			rows := seq(3000, func(i int) row { k := (i*7 + p) % 6000; return row{key(k), k, p} })
			for i := 0; i < 3000; i++ {
				if (i*7+p)%6000 < 5000 {
					want++
				}
			}
			src := &testSource{types: pt, rows: datums(pt, rows), batchSize: 256, t: t}
			ops = append(ops, NewHashJoin(jb, src, []int{0}, JoinInner, []int{1, 2}, []int{1}, nil))
		}
		g := NewGather(ops)
		rows, err := drain(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			f := strings.Split(r, "|")
			var k, v int
			fmt.Sscan(f[0], &k)
			fmt.Sscan(f[2], &v)
			if v != 2*k {
				t.Fatalf("bad row %s", r)
			}
		}
		if len(rows) != want {
			t.Errorf("string=%v: %d rows, want %d", strKey, len(rows), want)
		}
		_ = g.Close()
		jb.release()
		for i, s := range tss {
			if s.opened != 1 || s.closed != 1 {
				t.Errorf("input %d opened %d, closed %d times", i, s.opened, s.closed)
			}
		}
		if jb.jt != nil {
			t.Error("build data not released after the last probe closed")
		}
	}
}
