package exec

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// asofSpecCase is an ASOF join for both the operator and its reference:
// build and probe rows are (key, value, payload); the output is the probe
// row then the build row's key and value (ties between build rows with
// the same key and value are indistinguishable there).
type asofSpecCase struct {
	op    AsofOp
	outer bool
}

func (s asofSpecCase) mk(env memEnv) func(ins [][]Operator) Operator {
	return func(ins [][]Operator) Operator {
		jb := NewJoinBuild(ins[0], []int{0})
		jb.env = env
		sh := &asofShared{}
		spec := AsofSpec{Op: s.op, ProbeCol: 1, BuildCol: 1, Outer: s.outer}
		ps := make([]Operator, len(ins[1]))
		for i, p := range ins[1] {
			op, err := NewAsofJoin(jb, p, []int{0}, spec, sh)
			if err != nil {
				panic(err)
			}
			ps[i] = NewProject(op, []VecExpr{colRef(0), colRef(1), colRef(2), colRef(3), colRef(4)}, types(i64, i64, i64, i64, i64))
		}
		if len(ps) == 1 {
			return &buildStatsOp{Operator: ps[0], jb: jb}
		}
		return &buildStatsOp{Operator: NewGather(ps), jb: jb}
	}
}

// ref finds each probe row's nearest build value by brute force.
func (s asofSpecCase) ref(build, probe []row) []row {
	var out []row
	for _, p := range probe {
		var best any
		if p[0] != nil && p[1] != nil {
			pv := p[1].(int)
			for _, b := range build {
				if b[0] == nil || b[1] == nil || b[0] != p[0] {
					continue
				}
				bv := b[1].(int)
				ok := map[AsofOp]bool{AsofGe: pv >= bv, AsofGt: pv > bv, AsofLe: pv <= bv, AsofLt: pv < bv}[s.op]
				if !ok {
					continue
				}
				if best == nil || (s.op == AsofGe || s.op == AsofGt) && bv > best.(int) || (s.op == AsofLe || s.op == AsofLt) && bv < best.(int) {
					best = bv
				}
			}
		}
		switch {
		case best != nil:
			out = append(out, row{p[0], p[1], p[2], p[0], best})
		case s.outer:
			out = append(out, row{p[0], p[1], p[2], nil, nil})
		}
	}
	return out
}

func asofInputs(nb, np, keys int, seed int64) (build, probe []row) {
	rng := rand.New(rand.NewSource(seed))
	val := func(i int, nullEvery int) any {
		if i%nullEvery == 0 {
			return nil
		}
		return rng.Intn(keys)
	}
	build = seq(nb, func(i int) row { return row{val(i, 17), val(i+1, 13), i} })
	probe = seq(np, func(i int) row { return row{val(i, 19), val(i+2, 11), -i} })
	for i := range build {
		if build[i][1] != nil {
			build[i][1] = build[i][1].(int) * 10
		}
	}
	for i := range probe {
		if probe[i][1] != nil {
			probe[i][1] = probe[i][1].(int) * 10
		}
	}
	return build, probe
}

// colRef is a VecExpr reading input column c, so that the tests can drop
// the build payload (ties between build rows make it ambiguous).
type colRef int

func (c colRef) Eval(b *coldata.Batch) (*coldata.Vec, error) { return b.Vecs[c], nil }

func TestAsofJoin(t *testing.T) {
	build, probe := asofInputs(300, 200, 12, 3)
	// Build values repeat within a key (ties); one key only is the ASOF
	// join without equality keys (a constant key).
	oneKey := func(rs []row) []row {
		out := make([]row, len(rs))
		for i, r := range rs {
			out[i] = append(row{1}, r[1:]...)
		}
		return out
	}
	ts := types(i64, i64, i64)
	for _, op := range []AsofOp{AsofGe, AsofGt, AsofLe, AsofLt} {
		for _, outer := range []bool{false, true} {
			s := asofSpecCase{op: op, outer: outer}
			name := fmt.Sprintf("op%d/outer=%v", op, outer)
			cases := []opCase{
				{name: name, types: [][]coldata.Type{ts, ts}, inputs: [][]row{build, probe}, workers: 3, mk: s.mk(memEnv{})},
				{name: name + "/no keys", types: [][]coldata.Type{ts, ts}, inputs: [][]row{oneKey(build), oneKey(probe)}, workers: 2, mk: s.mk(memEnv{})},
				{name: name + "/empty build", types: [][]coldata.Type{ts, ts}, inputs: [][]row{nil, probe}, workers: 2, mk: s.mk(memEnv{})},
				{name: name + "/empty probe", types: [][]coldata.Type{ts, ts}, inputs: [][]row{build, nil}, workers: 2, mk: s.mk(memEnv{})},
			}
			for i := range cases {
				cases[i].expected = s.ref(cases[i].inputs[0], cases[i].inputs[1])
			}
			runCases(t, cases)
		}
	}
}

// TestAsofJoinSpill: under a small limit the build spills and every Grace
// partition is indexed and probed on its own, with the same results and
// no files left.
func TestAsofJoinSpill(t *testing.T) {
	build, probe := asofInputs(2500, 1500, 400, 5)
	ts := types(i64, i64, i64)
	for _, op := range []AsofOp{AsofGe, AsofLt} {
		for _, outer := range []bool{false, true} {
			s := asofSpecCase{op: op, outer: outer}
			c := opCase{name: fmt.Sprintf("op%d/outer=%v", op, outer), types: [][]coldata.Type{ts, ts},
				inputs: [][]row{build, probe}, workers: 3, expected: s.ref(build, probe)}
			runSpilling(t, c, 48<<10, true, func(ins [][]Operator, env memEnv) Operator { return s.mk(env)(ins) })
		}
	}
}

func TestPositionalJoin(t *testing.T) {
	lt, rt := types(i64, str), types(i64)
	mk := func(n int) []row {
		return seq(n, func(i int) row {
			if i%7 == 3 {
				return row{nil, nil}
			}
			return row{i, fmt.Sprint("s", i)}
		})
	}
	right := func(n int) []row { return seq(n, func(i int) row { return row{i * 10} }) }
	for _, sz := range [][2]int{{5, 5}, {2000, 1500}, {1500, 2000}, {0, 7}, {7, 0}, {0, 0}} {
		l, r := mk(sz[0]), right(sz[1])
		var want []row
		for i := 0; i < max(sz[0], sz[1]); i++ {
			w := row{nil, nil, nil}
			if i < sz[0] {
				copy(w, l[i])
			}
			if i < sz[1] {
				w[2] = r[i][0]
			}
			want = append(want, w)
		}
		runCases(t, []opCase{{name: fmt.Sprint(sz), types: [][]coldata.Type{lt, rt}, inputs: [][]row{l, r}, expected: want, ordered: true,
			mk: func(ins [][]Operator) Operator {
				op, err := NewPositionalJoin(ins[0], ins[1])
				if err != nil {
					panic(err)
				}
				return op
			}}})
	}
}
