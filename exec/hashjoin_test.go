package exec

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// joinSpec describes a join for both the operator and the reference.
type joinSpec struct {
	bk, pk   []int
	typ      JoinType
	probeOut []int
	buildOut []int
	residual *colCmpSel // over [probe..., build...]
}

func (s joinSpec) mk(ins [][]Operator) Operator {
	jb := NewJoinBuild(ins[0], s.bk)
	var res Selector
	if s.residual != nil {
		res = *s.residual
	}
	ps := make([]Operator, len(ins[1]))
	for i, p := range ins[1] {
		ps[i] = NewHashJoin(jb, p, s.pk, s.typ, s.probeOut, s.buildOut, res)
	}
	if len(ps) == 1 {
		return ps[0]
	}
	return NewGather(ps)
}

// ref is a nested-loop reference join over test rows.
func (s joinSpec) ref(build, probe []row) []row {
	match := func(p, b row) bool {
		for i := range s.pk {
			x, y := p[s.pk[i]], b[s.bk[i]]
			if x == nil || y == nil || x != y {
				return false
			}
		}
		if r := s.residual; r != nil {
			pair := append(append(row{}, p...), b...)
			x, y := pair[r.a], pair[r.b]
			if x == nil || y == nil {
				return false
			}
			xi, yi := x.(int), y.(int)
			switch r.op {
			case "<>":
				return xi != yi
			case "<":
				return xi < yi
			case "=":
				return xi == yi
			}
		}
		return true
	}
	hasNull := func(r row, keys []int) bool {
		for _, k := range keys {
			if r[k] == nil {
				return true
			}
		}
		return false
	}
	buildNull := false
	for _, b := range build {
		buildNull = buildNull || hasNull(b, s.bk)
	}
	var out []row
	matched := make([]bool, len(build))
	for _, p := range probe {
		pr := row{}
		for _, c := range s.probeOut {
			pr = append(pr, p[c])
		}
		n := 0
		for bi, b := range build {
			if !match(p, b) {
				continue
			}
			n++
			matched[bi] = true
			if s.typ == JoinInner || s.typ == JoinLeft || s.typ == JoinFull {
				r := append(row{}, pr...)
				for _, c := range s.buildOut {
					r = append(r, b[c])
				}
				out = append(out, r)
			}
		}
		switch s.typ {
		case JoinLeft, JoinFull:
			if n == 0 {
				r := append(row{}, pr...)
				for range s.buildOut {
					r = append(r, nil)
				}
				out = append(out, r)
			}
		case JoinSemi:
			if n > 0 {
				out = append(out, pr)
			}
		case JoinAnti:
			if n == 0 {
				out = append(out, pr)
			}
		case JoinAntiNullAware:
			switch {
			case len(build) == 0:
				out = append(out, pr)
			case buildNull || hasNull(p, s.pk):
			case n == 0:
				out = append(out, pr)
			}
		}
	}
	if s.typ == JoinFull {
		for bi, b := range build {
			if matched[bi] {
				continue
			}
			r := make(row, len(s.probeOut))
			for _, c := range s.buildOut {
				r = append(r, b[c])
			}
			out = append(out, r)
		}
	}
	return out
}

func joinCase(name string, bt, pt []coldata.Type, build, probe []row, s joinSpec) opCase {
	return opCase{name: name, types: [][]coldata.Type{bt, pt}, inputs: [][]row{build, probe},
		expected: s.ref(build, probe), workers: 3, mk: s.mk}
}

var allJoinTypes = []JoinType{JoinInner, JoinLeft, JoinSemi, JoinAnti, JoinAntiNullAware, JoinFull}

func TestHashJoinTypes(t *testing.T) {
	build := []row{{1, "b1"}, {2, "b2"}, {2, "b2x"}, {3, "b3"}, {nil, "bnull"}, {5, "b5"}, {5, "b5x"}, {5, "b5y"}}
	buildNoNull := []row{{1, "b1"}, {2, "b2"}, {2, "b2x"}, {3, "b3"}}
	probe := []row{{1, 10}, {2, 20}, {2, 21}, {4, 40}, {nil, 50}, {5, 60}, {1, 11}, {nil, 70}}
	bt, pt := types(i64, str), types(i64, i64)
	var cases []opCase
	for _, typ := range allJoinTypes {
		s := joinSpec{bk: []int{0}, pk: []int{0}, typ: typ, probeOut: []int{1, 0}, buildOut: []int{1}}
		cases = append(cases,
			joinCase(typ.String(), bt, pt, build, probe, s),
			joinCase(typ.String()+" no null build", bt, pt, buildNoNull, probe, s),
			joinCase(typ.String()+" empty build", bt, pt, nil, probe, s),
			joinCase(typ.String()+" empty probe", bt, pt, build, nil, s),
			joinCase(typ.String()+" unique build", bt, pt, []row{{1, "u1"}, {5, "u5"}, {7, "u7"}}, probe, s),
			joinCase(typ.String()+" all null", bt, pt, []row{{nil, "x"}, {nil, "y"}}, []row{{nil, 1}, {nil, 2}}, s),
		)
	}
	runCases(t, cases)
}

func TestHashJoinKeys(t *testing.T) {
	// Composite keys (int32, string), string keys, dates, decimals, Int32
	// probing Int64.
	build := []row{{1, "a", 100}, {1, "b", 101}, {2, "a", 102}, {1, "a", 103}, {nil, "a", 104}, {3, nil, 105}}
	probe := []row{{1, "a", 0}, {1, "b", 1}, {2, "b", 2}, {nil, "a", 3}, {3, nil, 4}, {2, "a", 5}}
	ts := types(i32, str, i64)
	var cases []opCase
	for _, typ := range allJoinTypes {
		cases = append(cases, joinCase("composite "+typ.String(), ts, ts, build, probe,
			joinSpec{bk: []int{0, 1}, pk: []int{0, 1}, typ: typ, probeOut: []int{2}, buildOut: []int{2}}))
		cases = append(cases, joinCase("string "+typ.String(), ts, ts, build, probe,
			joinSpec{bk: []int{1}, pk: []int{1}, typ: typ, probeOut: []int{2, 1}, buildOut: []int{2, 0}}))
	}
	d := coldata.DecimalType(15, 2)
	cases = append(cases, opCase{
		name:     "date and decimal",
		types:    [][]coldata.Type{types(dt, d), types(d, dt)},
		inputs:   [][]row{{{"1995-01-01", "1.50"}, {"1996-02-29", "2.00"}}, {{"1.50", "1995-01-01"}, {"1.50", "1996-02-29"}, {"2.00", "1996-02-29"}}},
		expected: []row{{"1.50", "1995-01-01"}, {"2.00", "1996-02-29"}},
		workers:  2,
		mk:       joinSpec{bk: []int{0, 1}, pk: []int{1, 0}, typ: JoinInner, probeOut: []int{0, 1}}.mk,
	}, opCase{
		name:     "int32 probes int64",
		types:    [][]coldata.Type{types(i64), types(i32)},
		inputs:   [][]row{{{1}, {2}, {1 << 40}}, {{1}, {3}, {2}, {0}}},
		expected: []row{{1, 1}, {2, 2}},
		mk:       joinSpec{bk: []int{0}, pk: []int{0}, typ: JoinInner, probeOut: []int{0}, buildOut: []int{0}}.mk,
	}, opCase{
		name:    "key type mismatch",
		types:   [][]coldata.Type{types(str), types(i64)},
		inputs:  [][]row{nil, nil},
		wantErr: "compares",
		mk:      joinSpec{bk: []int{0}, pk: []int{0}, typ: JoinInner}.mk,
	})
	runCases(t, cases)
}

// residualJoinRows are a build and a probe side for residual tests: keys
// with duplicates, equal and unequal second columns, and NULLs in both.
func residualJoinRows() (build, probe []row) {
	build = []row{{1, 10}, {1, 11}, {2, 20}, {3, 30}, {3, 30}, {4, nil}, {nil, 5}}
	probe = []row{{1, 10}, {1, 12}, {2, 20}, {3, 30}, {3, 31}, {4, 40}, {5, 50}, {nil, 1}}
	return build, probe
}

func TestHashJoinResidual(t *testing.T) {
	// Q21 shape: EXISTS (same order, different supplier).
	build, probe := residualJoinRows()
	ts := types(i64, i64)
	var cases []opCase
	for _, typ := range allJoinTypes {
		s := joinSpec{bk: []int{0}, pk: []int{0}, typ: typ, probeOut: []int{0, 1}, buildOut: []int{1},
			residual: &colCmpSel{a: 1, b: 3, op: "<>"}}
		cases = append(cases, joinCase("ne "+typ.String(), ts, ts, build, probe, s))
		// Unique build keys take the Sel-based path.
		cases = append(cases, joinCase("unique ne "+typ.String(), ts, ts, []row{{1, 10}, {2, 21}, {3, nil}}, probe, s))
	}
	runCases(t, cases)
}

func TestHashJoinFanout(t *testing.T) {
	// Every probe row matches 3000 build rows: outputs span many batches
	// and resume in the middle of a row's matches.
	build := seq(6001, func(i int) row { return row{i % 2, i} })
	probe := []row{{0, "x"}, {1, "y"}, {2, "z"}, {0, "w"}}
	bt, pt := types(i64, i64), types(i64, str)
	var cases []opCase
	for _, typ := range []JoinType{JoinInner, JoinLeft} {
		cases = append(cases, joinCase("fanout "+typ.String(), bt, pt, build, probe,
			joinSpec{bk: []int{0}, pk: []int{0}, typ: typ, probeOut: []int{1}, buildOut: []int{1}}))
	}
	cases = append(cases, joinCase("fanout residual semi", bt, types(i64, i64), build, []row{{0, 6000}, {1, 5999}, {0, 7}},
		joinSpec{bk: []int{0}, pk: []int{0}, typ: JoinSemi, probeOut: []int{1}, residual: &colCmpSel{a: 1, b: 3, op: "<"}}))
	cases = append(cases, joinCase("fanout residual left", bt, types(i64, i64), build, []row{{0, 6000}, {1, 5999}, {0, 7}},
		joinSpec{bk: []int{0}, pk: []int{0}, typ: JoinLeft, probeOut: []int{1}, buildOut: []int{1}, residual: &colCmpSel{a: 1, b: 3, op: "<"}}))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, w := range []int{1, 3} {
				for _, bs := range []int{1, 1024} {
					runVariant(t, c, fmt.Sprintf("w=%d/bs=%d", w, bs), w, bs, bs == 1024)
				}
			}
		})
	}
}

// TestHashJoinSharedBuild runs many probes of one JoinBuild concurrently
// (meaningful under -race) and checks the build ran exactly once. The
// string key takes the general table path, the int key the single-key one.
func TestHashJoinSharedBuild(t *testing.T) {
	for _, strKey := range []bool{false, true} {
		t.Run(fmt.Sprint("string=", strKey), func(t *testing.T) { testSharedBuild(t, strKey) })
	}
}

func testSharedBuild(t *testing.T, strKey bool) {
	kt := i64
	key := func(i int) any { return i }
	if strKey {
		kt = str
		key = func(i int) any { return fmt.Sprint(i) }
	}
	bt := types(kt, i64)
	build := &testSource{types: bt, rows: datums(bt, seq(5000, func(i int) row { return row{key(i), i * 2} })), batchSize: 700, t: t}
	jb := NewJoinBuild([]Operator{build}, []int{0})
	const probes = 8
	ops := make([]Operator, probes)
	pt := types(kt, i64, i64)
	for p := range ops {
		rows := seq(3000, func(i int) row { k := (i*7 + p) % 6000; return row{key(k), k, p} })
		src := &testSource{types: pt, rows: datums(pt, rows), batchSize: 256, t: t}
		ops[p] = NewHashJoin(jb, src, []int{0}, JoinInner, []int{1, 2}, []int{1}, nil)
	}
	var wg sync.WaitGroup
	counts := make([]int, probes)
	errs := make([]error, probes)
	for p, op := range ops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows, err := drain(context.Background(), op)
			for _, r := range rows {
				f := strings.Split(r, "|")
				var k, v int
				fmt.Sscan(f[0], &k)
				fmt.Sscan(f[2], &v)
				if v != 2*k {
					err = fmt.Errorf("bad row %s", r)
				}
			}
			counts[p], errs[p] = len(rows), err
			_ = op.Close()
		}()
	}
	wg.Wait()
	for p := range ops {
		want := 0
		for i := 0; i < 3000; i++ {
			if (i*7+p)%6000 < 5000 {
				want++
			}
		}
		if errs[p] != nil || counts[p] != want {
			t.Errorf("probe %d: %d rows (want %d), %v", p, counts[p], want, errs[p])
		}
	}
	if build.opened != 1 || build.closed != 1 {
		t.Errorf("build opened %d, closed %d times", build.opened, build.closed)
	}
	if jb.jt != nil {
		t.Error("build data not released after the last probe closed")
	}
}

func TestHashJoinBuildError(t *testing.T) {
	before := runtime.NumGoroutine()
	bt := types(i64)
	build := &testSource{types: bt, rows: datums(bt, []row{{1}}), batchSize: 1, t: t, err: errors.New("build broke")}
	jb := NewJoinBuild([]Operator{build}, []int{0})
	var ops []Operator
	for range 3 {
		src := &testSource{types: bt, rows: datums(bt, []row{{1}}), batchSize: 1, t: t}
		ops = append(ops, NewHashJoin(jb, src, []int{0}, JoinInner, []int{0}, nil, nil))
	}
	g := NewGather(ops)
	_, err := drain(context.Background(), g)
	if err == nil || err.Error() != "build broke" {
		t.Fatalf("got %v", err)
	}
	_ = g.Close()
	for _, op := range ops {
		if _, err := drain(context.Background(), op); err == nil {
			t.Fatal("probe after build error succeeded")
		}
		_ = op.Close()
	}
	checkNoLeak(t, before)

	// A join whose build is never needed still closes the build input.
	b2 := &testSource{types: bt, t: t}
	jb2 := NewJoinBuild([]Operator{b2}, []int{0})
	j := NewHashJoin(jb2, &testSource{types: bt, t: t}, []int{0}, JoinInner, nil, nil, nil)
	_ = j.Close()
	if b2.closed != 1 || b2.opened != 0 {
		t.Fatalf("unused build: opened %d closed %d", b2.opened, b2.closed)
	}
}

// TestHashJoinCollisions reruns the join matrix with degenerate hashes.
func TestHashJoinCollisions(t *testing.T) {
	degradeHashForTest = true
	defer func() { degradeHashForTest = false }()
	build := seq(300, func(i int) row { return row{i % 40, fmt.Sprint("s", i%7), i} })
	probe := seq(200, func(i int) row { return row{i % 50, fmt.Sprint("s", i%9), i} })
	ts := types(i64, str, i64)
	for _, typ := range allJoinTypes {
		c := joinCase(typ.String(), ts, ts, build, probe,
			joinSpec{bk: []int{0, 1}, pk: []int{0, 1}, typ: typ, probeOut: []int{2}, buildOut: []int{2}})
		runVariant(t, c, "w=3/"+typ.String(), 3, 64, true)
	}
}
