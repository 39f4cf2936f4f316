package exec

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// leftBuildSpec is a SEMI/ANTI/NOT IN or LEFT join run both ways: as a
// left-build join (left hashed, right streamed) and as the ordinary hash
// join (right hashed). Inputs: 0 is the left side, 1 the right side.
// Output: all left columns (then all right columns for LEFT).
type leftBuildSpec struct {
	lk, rk   []int
	typ      JoinType
	residual *colCmpSel // over [left..., right...]
}

func (s leftBuildSpec) mkLeftBuild(ins [][]Operator) Operator {
	var newRes func(bool) (Selector, error)
	var cols map[int]bool
	if s.residual != nil {
		r := *s.residual
		nl, nr := len(ins[0][0].Types()), len(ins[1][0].Types())
		newRes = func(swapped bool) (Selector, error) {
			if !swapped {
				return r, nil
			}
			// Over [right..., left...].
			swap := func(c int) int {
				if c < nl {
					return nr + c
				}
				return c - nl
			}
			return colCmpSel{a: swap(r.a), b: swap(r.b), op: r.op}, nil
		}
		cols = map[int]bool{r.a: true, r.b: true}
	}
	ops, err := NewLeftBuildJoin(ins[0], s.lk, ins[1], s.rk, s.typ, newRes, cols, 2)
	if err != nil {
		return &errOp{err: err}
	}
	if len(ops) == 1 {
		return ops[0]
	}
	return NewGather(ops)
}

// mkHash is the same join in the ordinary form.
func (s leftBuildSpec) mkHash(ins [][]Operator) Operator {
	jb := NewJoinBuild(ins[1], s.rk)
	var res Selector
	if s.residual != nil {
		res = *s.residual
	}
	out := allCols(len(ins[0][0].Types()))
	var bout []int
	if s.typ == JoinLeft {
		bout = allCols(len(ins[1][0].Types()))
	}
	ps := make([]Operator, len(ins[0]))
	for i, p := range ins[0] {
		ps[i] = NewHashJoin(jb, p, s.lk, s.typ, out, bout, res)
	}
	if len(ps) == 1 {
		return ps[0]
	}
	return NewGather(ps)
}

func (s leftBuildSpec) joinSpec(width, rightWidth int) joinSpec {
	js := joinSpec{bk: s.rk, pk: s.lk, typ: s.typ, probeOut: allCols(width), residual: s.residual}
	if s.typ == JoinLeft {
		js.buildOut = allCols(rightWidth)
	}
	return js
}

// errOp fails Open (a constructor error in a harness case).
type errOp struct{ err error }

func (e *errOp) Types() []coldata.Type                        { return nil }
func (e *errOp) Open(context.Context) error                   { return e.err }
func (e *errOp) Next(context.Context) (*coldata.Batch, error) { return nil, e.err }
func (e *errOp) Close() error                                 { return nil }

var leftBuildTypes = []JoinType{JoinSemi, JoinAnti, JoinAntiNullAware, JoinLeft}

// leftBuildCases builds, for each case, one harness case per form (left-build and
// ordinary), both checked against the nested-loop reference.
func leftBuildCases(name string, lt, rt []coldata.Type, left, right []row, s leftBuildSpec) []opCase {
	want := s.joinSpec(len(lt), len(rt)).ref(right, left)
	c := opCase{name: name + " left-build", types: [][]coldata.Type{lt, rt}, inputs: [][]row{left, right},
		expected: want, workers: 4, mk: s.mkLeftBuild}
	h := c
	h.name, h.mk = name+" hash", s.mkHash
	return []opCase{c, h}
}

func TestLeftBuildJoinTypes(t *testing.T) {
	// Left: the rows filtered (duplicates included); right: the subquery.
	left := []row{{1, 10}, {2, 20}, {2, 21}, {4, 40}, {nil, 50}, {5, 60}, {1, 11}, {nil, 70}, {1, 10}}
	right := []row{{1, "b1"}, {2, "b2"}, {2, "b2x"}, {3, "b3"}, {nil, "bnull"}, {5, "b5"}, {5, "b5x"}}
	rightNoNull := []row{{1, "b1"}, {2, "b2"}, {2, "b2x"}, {3, "b3"}}
	lt, rt := types(i64, i64), types(i64, str)
	var cases []opCase
	for _, typ := range leftBuildTypes {
		s := leftBuildSpec{lk: []int{0}, rk: []int{0}, typ: typ}
		n := typ.String()
		cases = append(cases, leftBuildCases(n, lt, rt, left, right, s)...)
		cases = append(cases, leftBuildCases(n+" no null right", lt, rt, left, rightNoNull, s)...)
		cases = append(cases, leftBuildCases(n+" empty right", lt, rt, left, nil, s)...)
		cases = append(cases, leftBuildCases(n+" empty left", lt, rt, nil, right, s)...)
		cases = append(cases, leftBuildCases(n+" all null", lt, rt, []row{{nil, 1}, {nil, 2}}, []row{{nil, "x"}, {nil, "y"}}, s)...)
		cases = append(cases, leftBuildCases(n+" null left only", lt, rt, []row{{nil, 1}, {3, 2}, {7, 3}}, rightNoNull, s)...)
		cases = append(cases, leftBuildCases(n+" right null only", lt, rt, []row{{1, 1}, {7, 3}}, []row{{nil, "x"}}, s)...)
	}
	runCases(t, cases)
}

func TestLeftBuildJoinKeys(t *testing.T) {
	// Composite keys (int32, string) with NULLs in either column on either
	// side, string keys, and int32 probing int64.
	left := []row{{1, "a", 0}, {1, "b", 1}, {2, "b", 2}, {nil, "a", 3}, {3, nil, 4}, {2, "a", 5}, {1, "a", 6}}
	right := []row{{1, "a", 100}, {1, "b", 101}, {2, "a", 102}, {1, "a", 103}, {nil, "a", 104}, {3, nil, 105}}
	rightNoNull := []row{{1, "a", 100}, {2, "a", 102}, {1, "a", 103}}
	ts := types(i32, str, i64)
	var cases []opCase
	for _, typ := range leftBuildTypes {
		n := typ.String()
		comp := leftBuildSpec{lk: []int{0, 1}, rk: []int{0, 1}, typ: typ}
		cases = append(cases, leftBuildCases("composite "+n, ts, ts, left, right, comp)...)
		cases = append(cases, leftBuildCases("composite no null right "+n, ts, ts, left, rightNoNull, comp)...)
		cases = append(cases, leftBuildCases("string "+n, ts, ts, left, right, leftBuildSpec{lk: []int{1}, rk: []int{1}, typ: typ})...)
	}
	cases = append(cases, opCase{
		name:     "int32 left int64 right",
		types:    [][]coldata.Type{types(i32), types(i64)},
		inputs:   [][]row{{{1}, {3}, {2}, {0}, {1}}, {{1}, {2}, {1 << 40}}},
		expected: []row{{1}, {2}, {1}},
		workers:  4,
		mk:       leftBuildSpec{lk: []int{0}, rk: []int{0}, typ: JoinSemi}.mkLeftBuild,
	}, opCase{
		name:    "key type mismatch",
		types:   [][]coldata.Type{types(str), types(i64)},
		inputs:  [][]row{nil, nil},
		wantErr: "compares",
		mk:      leftBuildSpec{lk: []int{0}, rk: []int{0}, typ: JoinSemi}.mkLeftBuild,
	})
	runCases(t, cases)
}

func TestLeftBuildJoinResidual(t *testing.T) {
	// Q21 shape: EXISTS (same order, different supplier); columns are
	// [l.order, l.supp, r.order, r.supp].
	left := []row{{1, 10}, {1, 12}, {2, 20}, {3, 30}, {3, 31}, {4, 40}, {5, 50}, {nil, 1}, {3, 31}, {6, nil}}
	right := []row{{1, 10}, {1, 11}, {2, 20}, {3, 30}, {3, 30}, {4, nil}, {nil, 5}, {6, 1}}
	rightNoNull := []row{{1, 10}, {1, 11}, {2, 20}, {3, 30}, {3, 30}, {4, nil}, {6, 1}}
	ts := types(i64, i64)
	var cases []opCase
	for _, typ := range leftBuildTypes {
		n := typ.String()
		for _, op := range []string{"<>", "<", "="} {
			s := leftBuildSpec{lk: []int{0}, rk: []int{0}, typ: typ, residual: &colCmpSel{a: 1, b: 3, op: op}}
			cases = append(cases, leftBuildCases(n+" "+op, ts, ts, left, right, s)...)
			cases = append(cases, leftBuildCases(n+" no null right "+op, ts, ts, left, rightNoNull, s)...)
			cases = append(cases, leftBuildCases(n+" empty right "+op, ts, ts, left, nil, s)...)
		}
	}
	runCases(t, cases)
}

// TestLeftBuildJoinDifferential compares the left-build form with the ordinary form on
// random inputs: many duplicate keys on both sides, NULL keys, composite
// keys, a residual or not, several chunks of left rows, 1 and 4 workers.
func TestLeftBuildJoinDifferential(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	gen := func(n, keys int, nullFrac float64) []row {
		out := make([]row, n)
		for i := range out {
			r := row{rng.Intn(keys), rng.Intn(4), rng.Intn(5)}
			for c := 0; c < 2; c++ {
				if rng.Float64() < nullFrac {
					r[c] = nil
				}
			}
			out[i] = r
		}
		return out
	}
	ts := types(i64, i64, i64)
	for _, typ := range leftBuildTypes {
		for _, res := range []*colCmpSel{nil, {a: 2, b: 5, op: "<>"}, {a: 2, b: 5, op: "<"}} {
			for _, keys := range [][]int{{0}, {0, 1}} {
				for _, nulls := range shortOr([]float64{0, 0.001, 0.05}, []float64{0.05}) {
					left := gen(2500, 1500, nulls)
					right := gen(6000, 2000, nulls/10)
					s := leftBuildSpec{lk: keys, rk: keys, typ: typ, residual: res}
					name := fmt.Sprintf("%s/res=%v/keys=%d/nulls=%v", typ, res != nil, len(keys), nulls)
					t.Run(name, func(t *testing.T) {
						for _, w := range []int{1, 4} {
							for _, bs := range shortOr([]int{7, 1024}, []int{1024}) {
								got := runJoin(t, s.mkLeftBuild, ts, left, right, w, bs)
								want := runJoin(t, s.mkHash, ts, left, right, w, bs)
								if !slices.Equal(got, want) {
									t.Fatalf("w=%d bs=%d: left-build form gives %d rows, hash form %d", w, bs, len(got), len(want))
								}
							}
						}
					})
				}
			}
		}
	}
}

// runJoin runs a two-input operator over rows split across w workers and
// returns its output rows sorted.
func runJoin(t *testing.T, mk func([][]Operator) Operator, ts []coldata.Type, left, right []row, w, bs int) []string {
	t.Helper()
	ins := make([][]Operator, 2)
	for i, rows := range [][]row{left, right} {
		all := datums(ts, rows)
		parts := make([][][]coldata.Datum, w)
		for r, d := range all {
			parts[r%w] = append(parts[r%w], d)
		}
		for _, p := range parts {
			ins[i] = append(ins[i], &testSource{types: ts, rows: p, batchSize: bs, t: t})
		}
	}
	op := mk(ins)
	got, err := drain(context.Background(), op)
	if cerr := op.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

// TestLeftBuildJoinMemoryLimit: a left side over the limit fails with the
// limit error and gives its memory back.
func TestLeftBuildJoinMemoryLimit(t *testing.T) {
	pool := NewMemoryPool(64 << 10)
	left := seq(20000, func(i int) row { return row{i, i} })
	ins := [][]Operator{{&testSource{types: types(i64, i64), rows: datums(types(i64, i64), left), batchSize: 1024, t: t}},
		{&testSource{types: types(i64), rows: datums(types(i64), []row{{1}}), batchSize: 1024, t: t}}}
	ops, err := NewLeftBuildJoin(ins[0][:1], []int{0}, ins[1], []int{0}, JoinSemi, nil, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	ops[0].(*leftBuildJoin).sh.env = memEnv{pool: pool}
	_, err = drain(context.Background(), ops[0])
	var le *MemoryLimitError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "semi or anti join") {
		t.Fatalf("got %v, want a memory limit error", err)
	}
	if err := ops[0].Close(); err != nil {
		t.Fatal(err)
	}
	if u := pool.Used(); u != 0 {
		t.Fatalf("pool holds %d bytes after Close", u)
	}
}

// TestLeftBuildJoinCancel: cancelling the context stops workers reading an
// endless right side, and workers waiting at the barrier.
func TestLeftBuildJoinCancel(t *testing.T) {
	goroutines := 0
	_ = goroutines
	left := &testSource{types: types(i64), rows: datums(types(i64), []row{{0}, {1}}), batchSize: 2, t: t}
	right := []Operator{newEndless(), &testSource{types: types(i64), rows: nil, batchSize: 1, t: t}}
	ops, err := NewLeftBuildJoin([]Operator{left}, []int{0}, right, []int{0}, JoinAnti, nil, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	g := NewGather(ops)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := drain(ctx, g)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("left-build join did not stop after cancel")
	}
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestLeftBuildJoinCloseEarly: closing the join before reading it all (a LIMIT
// above) neither blocks nor leaks.
func TestLeftBuildJoinCloseEarly(t *testing.T) {
	left := seq(10000, func(i int) row { return row{i % 100} })
	right := seq(300, func(i int) row { return row{i % 50} })
	for _, w := range []int{1, 4} {
		ins := make([][]Operator, 2)
		for i, rows := range [][]row{left, right} {
			for k := 0; k < w; k++ {
				var part [][]coldata.Datum
				for r, d := range datums(types(i64), rows) {
					if r%w == k {
						part = append(part, d)
					}
				}
				ins[i] = append(ins[i], &testSource{types: types(i64), rows: part, batchSize: 7, t: t})
			}
		}
		op := leftBuildSpec{lk: []int{0}, rk: []int{0}, typ: JoinSemi}.mkLeftBuild(ins)
		if err := op.Open(context.Background()); err != nil {
			t.Fatal(err)
		}
		if b, err := op.Next(context.Background()); err != nil || b.Len() == 0 {
			t.Fatalf("w=%d: first batch: %v", w, err)
		}
		if err := op.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// fellBack reports whether the executor ran p's ordinary form.
func fellBack(q *Query, p planner.Physical) bool {
	return slices.Contains(q.Notes(p), fellBackNote)
}

// leftBuildPlan is the left-build form of joinPlan(left, right): left hashed.
func leftBuildPlan(left, right *planner.PhysScan, key int, typ planner.JoinType) *planner.PhysLeftBuildJoin {
	j := joinPlan(left, right, key, typ)
	return &planner.PhysLeftBuildJoin{PhysBase: j.PhysBase, Left: left, Right: right, LeftKeys: j.ProbeKeys,
		RightKeys: j.BuildKeys, Type: typ, Join: j}
}

// TestLeftBuildJoinPlan runs left-build joins from physical plans over Parquet files:
// the same rows as the ordinary form, runtime filters from the left keys
// pruning the right scan (SEMI and ANTI only), EXPLAIN ANALYZE figures, and
// the ordinary form when the left side may not fit the memory limit.
func TestLeftBuildJoinPlan(t *testing.T) {
	const n = 100_000
	rightKeys := make([]int64, n)
	for i := range rightKeys {
		rightKeys[i] = int64(i / 2)
	}
	rightKeys[n-1] = -1 // a NULL key
	var leftKeys []int64
	for i := int64(0); i < 3000; i++ {
		leftKeys = append(leftKeys, 20_000+i%1000*3) // duplicates
	}
	leftKeys = append(leftKeys, -1, 10_000_000)
	leftF := writeKeyFile(t, "left", leftKeys, 1000)
	rightF := writeKeyFile(t, "right", rightKeys, 5000)
	for _, typ := range []planner.JoinType{planner.JoinSemi, planner.JoinAnti, planner.JoinAntiNull, planner.JoinLeft} {
		t.Run(typ.String(), func(t *testing.T) {
			want, _ := runPlan(t, joinPlan(keyScan(leftF), keyScan(rightF), 0, typ), BuildOptions{NoRuntimeFilters: true})
			mp := leftBuildPlan(keyScan(leftF), keyScan(rightF), 0, typ)
			got, q := runPlan(t, mp, BuildOptions{})
			if !slices.Equal(got, want) {
				t.Fatalf("left-build form: %d rows, ordinary form: %d", len(got), len(want))
			}
			if _, ok := q.ops[mp][0].(*leftBuildJoin); !ok || fellBack(q, mp) {
				t.Fatalf("ran %T, want a left-build join", q.ops[mp][0])
			}
			ann := q.Annotate(mp)
			if !strings.Contains(ann, fmt.Sprintf("actual rows: %d", len(want))) || !strings.Contains(ann, "memory:") {
				t.Errorf("annotation %q lacks rows or memory", ann)
			}
			st := q.scans[mp.Right.(*planner.PhysScan)].Stats()
			if pruned := st.RuntimeRowGroupsPruned > 0; pruned != (typ != planner.JoinAntiNull) {
				t.Errorf("right scan: %d row groups pruned by runtime filters", st.RuntimeRowGroupsPruned)
			}
			// Under a small limit the ordinary form runs (and spills).
			fb := leftBuildPlan(keyScan(leftF), keyScan(rightF), 0, typ)
			fb.Left.Base().EstRows = 3000
			got, q = runPlan(t, fb, BuildOptions{Memory: NewMemoryPool(256 << 10), TempDir: t.TempDir()})
			if !slices.Equal(got, want) {
				t.Fatalf("fallback: %d rows, want %d", len(got), len(want))
			}
			if _, ok := q.ops[fb][0].(*hashJoin); !ok || !fellBack(q, fb) {
				t.Fatalf("ran %T under the limit, want the ordinary hash join", q.ops[fb][0])
			}
			if ann := q.Annotate(fb); !strings.Contains(ann, "[built right: the left side did not fit in memory; actual rows:") {
				t.Errorf("fallback annotated as %q", ann)
			}
		})
	}
}

// TestLeftBuildJoinFallsBackAtRunTime: a left-build join whose left side was
// estimated tiny but does not fit the memory limit drops its left rows and
// runs the ordinary form (which spills), with the same rows, no spill files
// left and the pool back at zero.
func TestLeftBuildJoinFallsBackAtRunTime(t *testing.T) {
	nl, nr := 40_000, 100_000
	if testing.Short() {
		nl, nr = 20_000, 50_000
	}
	leftKeys := make([]int64, nl)
	for i := range leftKeys {
		leftKeys[i] = int64(i * 3)
	}
	rightKeys := make([]int64, nr)
	for i := range rightKeys {
		rightKeys[i] = int64(i)
	}
	rightKeys[5] = -1 // a NULL key
	leftF := writeKeyFile(t, "left", leftKeys, 5000)
	rightF := writeKeyFile(t, "right", rightKeys, 10_000)
	for _, typ := range []planner.JoinType{planner.JoinSemi, planner.JoinAnti, planner.JoinAntiNull, planner.JoinLeft} {
		t.Run(typ.String(), func(t *testing.T) {
			want, _ := runPlan(t, joinPlan(keyScan(leftF), keyScan(rightF), 0, typ), BuildOptions{NoRuntimeFilters: true})
			mp := leftBuildPlan(keyScan(leftF), keyScan(rightF), 0, typ)
			mp.Left.Base().EstRows = 10 // wrong on purpose: the left-build form is chosen
			pool, dir := NewMemoryPool(int64(nl)*25), t.TempDir()
			got, q := runPlan(t, mp, BuildOptions{Memory: pool, TempDir: dir})
			if !slices.Equal(got, want) {
				t.Fatalf("after falling back: %d rows, want %d", len(got), len(want))
			}
			if _, ok := q.ops[mp][0].(*leftBuildJoin); !ok || !fellBack(q, mp) {
				t.Fatalf("ran %T (fallback %v), want a left-build join that fell back", q.ops[mp][0], fellBack(q, mp))
			}
			if pool.Used() != 0 {
				t.Errorf("pool holds %d bytes after Close", pool.Used())
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("%d spill files left", len(ents))
			}
			// One left-build worker (the right side is a single stream) over two
			// probe workers of the ordinary form, which spills and waits
			// for both at a barrier: the worker must run them together.
			right := keyScan(rightF)
			lim := &planner.PhysLimit{PhysBase: right.PhysBase, Input: right, Count: 1 << 40}
			one := leftBuildPlan(keyScan(leftF), right, 0, typ)
			one.Right, one.Join.Build = lim, lim
			one.Left.Base().EstRows = 10
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			q2, err := Build(one, BuildOptions{Threads: 2, Memory: NewMemoryPool(int64(nl) * 25), TempDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := drain(ctx, q2.Root)
			_ = q2.Root.Close()
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(rows)
			if !slices.Equal(rows, want) || !fellBack(q2, one) {
				t.Fatalf("one left-build worker: %d rows (fallback %v), want %d", len(rows), fellBack(q2, one), len(want))
			}
		})
	}
}

// TestLeftBuildJoinUnderJoin: an inner join above a left-build join still filters the
// scan under the left-build join's left side (scanOrigin follows Left).
func TestLeftBuildJoinUnderJoin(t *testing.T) {
	leftKeys := make([]int64, 50_000)
	for i := range leftKeys {
		leftKeys[i] = int64(i)
	}
	leftF := writeKeyFile(t, "left", leftKeys, 5000)
	rightF := writeKeyFile(t, "right", leftKeys[:40_000], 5000)
	topF := writeKeyFile(t, "top", []int64{7, 12_345, 12_346}, 10)
	mp := leftBuildPlan(keyScan(leftF), keyScan(rightF), 0, planner.JoinSemi)
	top := &planner.PhysHashJoin{Probe: mp, Build: keyScan(topF), ProbeKeys: []int{0}, BuildKeys: []int{0}, Type: planner.JoinInner}
	top.Out = append(append(top.Out, mp.Out...), top.Build.Base().Out...)
	got, q := runPlan(t, top, BuildOptions{})
	if len(got) != 3 {
		t.Fatalf("got %d rows, want 3: %v", len(got), got)
	}
	if st := q.scans[mp.Left.(*planner.PhysScan)].Stats(); st.RuntimeRowGroupsPruned == 0 {
		t.Errorf("the left-build join's left scan took no runtime filter from the join above: %+v", st)
	}
}
