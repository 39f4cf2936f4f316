package exec

import (
	"cmp"
	"context"
	"math/rand"
	"slices"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// The window operator is checked against a brute-force reference that
// evaluates every frame by its definition (each row's frame is the set of
// rows satisfying the frame's condition), over random partitions with
// NULL keys, ties and NULL values.

// Input columns: p (partition, NULLs), k (order key, ties and NULLs), id
// (unique), v (value, NULLs), s (string, NULLs), the constant columns one
// (1) and three (3) used as frame offsets, and k-3 and k+1, the values of
// RANGE 3 PRECEDING and 1 FOLLOWING as the binder computes them.
var winTypes = types(i64, i64, i64, i64, str, i64, i64, i64, i64)

const (
	wP, wK, wID, wV, wS, wOne, wThree, wKlo, wKhi = 0, 1, 2, 3, 4, 5, 6, 7, 8
)

func winInput(n int, parts int, seed int64) []row {
	rng := rand.New(rand.NewSource(seed))
	words := []string{"a", "bb", "c", "dd", ""}
	return seq(n, func(i int) row {
		k := rng.Intn(12)
		r := row{rng.Intn(parts), k, i, rng.Intn(9) - 3, words[rng.Intn(len(words))], 1, 3, k - 3, k + 1}
		if rng.Intn(9) == 0 {
			r[wP] = nil
		}
		if rng.Intn(8) == 0 {
			r[wK], r[wKlo], r[wKhi] = nil, nil, nil
		}
		if rng.Intn(5) == 0 {
			r[wV] = nil
		}
		if rng.Intn(6) == 0 {
			r[wS] = nil
		}
		return r
	})
}

// winSpec is one window of the test: partitioned by p, ordered by the keys.
type winSpec struct {
	name  string
	order []SortKey
	calls []planner.PhysWindowCall
}

func frame(mode planner.FrameMode, s, e planner.BoundKind, sv, ev int, ex planner.FrameExclude) planner.PhysWinFrame {
	return planner.PhysWinFrame{Mode: mode, Start: planner.PhysWinBound{Kind: s, Value: sv},
		End: planner.PhysWinBound{Kind: e, Value: ev}, Exclude: ex, RangeKey: wK}
}

var winSpecs = []winSpec{
	{"ranks", []SortKey{{Col: wK}}, []planner.PhysWindowCall{
		{Func: planner.WinRank, Typ: i64}, {Func: planner.WinDenseRank, Typ: i64},
		{Func: planner.WinCumeDist, Typ: f64},
		{Func: planner.WinAggregate, Agg: planner.AggSum, Args: []int{wV}, Typ: coldata.TypeHugeint,
			Frame: frame(planner.FrameRange, planner.BoundPreceding, planner.BoundFollowing, wKlo, wKhi, planner.ExcludeNoOthers)},
		{Func: planner.WinAggregate, Agg: planner.AggMin, Args: []int{wS}, Typ: str,
			Frame: frame(planner.FrameGroups, planner.BoundPreceding, planner.BoundCurrentRow, wOne, -1, planner.ExcludeCurrentRow)},
		{Func: planner.WinAggregate, Agg: planner.AggCount, Args: []int{wV}, Typ: i64,
			Frame: frame(planner.FrameRange, planner.BoundUnboundedPreceding, planner.BoundCurrentRow, -1, -1, planner.ExcludeTies)},
	}},
	{"rows", []SortKey{{Col: wK, Desc: true, NullsFirst: true}, {Col: wID}}, []planner.PhysWindowCall{
		{Func: planner.WinRowNumber, Typ: i64},
		{Func: planner.WinLag, Args: []int{wV}, Typ: i64},
		{Func: planner.WinLead, Args: []int{wS, wThree}, IgnoreNulls: true, Typ: str},
		{Func: planner.WinAggregate, Agg: planner.AggSum, Args: []int{wV}, Typ: coldata.TypeHugeint,
			Frame: frame(planner.FrameRows, planner.BoundPreceding, planner.BoundFollowing, wThree, wOne, planner.ExcludeNoOthers)},
		{Func: planner.WinAggregate, Agg: planner.AggMax, Args: []int{wV}, Typ: i64,
			Frame: frame(planner.FrameRows, planner.BoundCurrentRow, planner.BoundFollowing, -1, wThree, planner.ExcludeCurrentRow)},
		{Func: planner.WinAggregate, Agg: planner.AggCount, Distinct: true, Args: []int{wV}, Typ: i64,
			Frame: frame(planner.FrameRows, planner.BoundPreceding, planner.BoundCurrentRow, wThree, -1, planner.ExcludeNoOthers)},
		{Func: planner.WinNthValue, Args: []int{wS, wOne}, Typ: str,
			Frame: frame(planner.FrameRows, planner.BoundPreceding, planner.BoundUnboundedFollowing, wOne, -1, planner.ExcludeNoOthers)},
	}},
}

// winRef computes the expected rows: each input row followed by the calls.
func winRef(in []row, partition bool, spec winSpec) []row {
	parts := map[any][]row{}
	for _, r := range in {
		key := any("all")
		if partition {
			key = r[wP]
		}
		parts[key] = append(parts[key], r)
	}
	var out []row
	for _, rows := range parts {
		slices.SortFunc(rows, func(a, b row) int { return cmpRows(a, b, spec.order) })
		grp := make([]int, len(rows)) // peer group numbers
		for i := 1; i < len(rows); i++ {
			grp[i] = grp[i-1]
			if cmpRows(rows[i-1], rows[i], spec.order) != 0 {
				grp[i]++
			}
		}
		for i, r := range rows {
			o := append(row{}, r...)
			for _, c := range spec.calls {
				o = append(o, refCall(rows, grp, i, spec.order, c))
			}
			out = append(out, o)
		}
	}
	return out
}

func cmpVals(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	switch x := a.(type) {
	case int:
		return cmp.Compare(x, b.(int))
	case string:
		return cmp.Compare(x, b.(string))
	}
	panic("cmpVals")
}

func cmpRows(a, b row, keys []SortKey) int {
	for _, k := range keys {
		c := cmpVals(a[k.Col], b[k.Col])
		if a[k.Col] == nil || b[k.Col] == nil {
			if k.NullsFirst {
				c = -c
			}
		} else if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// inFrame reports whether row j is in row i's frame, by definition.
func inFrame(rows []row, grp []int, i, j int, order []SortKey, f planner.PhysWinFrame) bool {
	peer := func(a, b int) bool { return grp[a] == grp[b] }
	group := func(x int) int { return grp[x] }
	off := func(b planner.PhysWinBound) int { return rows[i][b.Value].(int) }
	pos := func(b planner.PhysWinBound, start bool) bool { // j satisfies bound b
		switch b.Kind {
		case planner.BoundUnboundedPreceding, planner.BoundUnboundedFollowing:
			return true
		}
		if f.Mode != planner.FrameRange {
			d := j - i // rows or peer groups from row i to row j
			if f.Mode == planner.FrameGroups {
				d = group(j) - group(i)
			}
			switch b.Kind {
			case planner.BoundPreceding:
				d += off(b)
			case planner.BoundFollowing:
				d -= off(b)
			}
			return start && d >= 0 || !start && d <= 0
		}
		// RANGE over k ascending (the test's RANGE frames).
		ki, kj := rows[i][wK], rows[j][wK]
		if b.Kind == planner.BoundCurrentRow || ki == nil || kj == nil {
			c := cmpRows(rows[j], rows[i], order)
			return start && c >= 0 || !start && c <= 0
		}
		bound := off(b) // the binder's key - n or key + n
		return start && kj.(int) >= bound || !start && kj.(int) <= bound
	}
	if !pos(f.Start, true) || !pos(f.End, false) {
		return false
	}
	switch f.Exclude {
	case planner.ExcludeCurrentRow:
		return j != i
	case planner.ExcludeGroup:
		return !peer(i, j)
	case planner.ExcludeTies:
		return j == i || !peer(i, j)
	}
	return true
}

func refCall(rows []row, grp []int, i int, order []SortKey, c planner.PhysWindowCall) any {
	peer := func(a, b int) bool { return cmpRows(rows[a], rows[b], order) == 0 }
	switch c.Func {
	case planner.WinRowNumber:
		return i + 1
	case planner.WinRank:
		r := i
		for r > 0 && peer(r-1, i) {
			r--
		}
		return r + 1
	case planner.WinDenseRank:
		g := 1
		for y := 1; y <= i; y++ {
			if !peer(y-1, y) {
				g++
			}
		}
		return g
	case planner.WinCumeDist:
		e := i + 1
		for e < len(rows) && peer(e, i) {
			e++
		}
		return float64(e) / float64(len(rows))
	case planner.WinLag, planner.WinLead:
		off, step := 1, -1
		if len(c.Args) > 1 {
			off = rows[i][c.Args[1]].(int)
		}
		if c.Func == planner.WinLead {
			step = 1
		}
		for j := i + step; j >= 0 && j < len(rows); j += step {
			if c.IgnoreNulls && rows[j][c.Args[0]] == nil {
				continue
			}
			if off--; off == 0 {
				return rows[j][c.Args[0]]
			}
		}
		return nil
	}
	var vals []any
	for j := range rows {
		if inFrame(rows, grp, i, j, order, c.Frame) {
			vals = append(vals, rows[j][c.Args[0]])
		}
	}
	if c.Agg == planner.AggNamed {
		return refNamed(c.Name, vals)
	}
	if c.Func == planner.WinNthValue {
		n := rows[i][c.Args[1]].(int)
		if n <= len(vals) {
			return vals[n-1]
		}
		return nil
	}
	var nonNull []any
	seen := map[any]bool{}
	for _, v := range vals {
		if v != nil && !(c.Distinct && seen[v]) {
			nonNull = append(nonNull, v)
			seen[v] = true
		}
	}
	switch c.Agg {
	case planner.AggCount:
		return len(nonNull)
	}
	if len(nonNull) == 0 {
		return nil
	}
	switch c.Agg {
	case planner.AggSum:
		s := 0
		for _, v := range nonNull {
			s += v.(int)
		}
		return s
	case planner.AggMin:
		return slices.MinFunc(nonNull, cmpVals)
	case planner.AggMax:
		return slices.MaxFunc(nonNull, cmpVals)
	}
	panic("refCall")
}

func winCase(name string, in []row, partition bool, spec winSpec) opCase {
	var part []int
	if partition {
		part = []int{wP}
	}
	return opCase{
		name: name, types: [][]coldata.Type{winTypes}, inputs: [][]row{in},
		expected: winRef(in, partition, spec), workers: 3,
		mk: func(ins [][]Operator) Operator {
			return NewWindow(ins[0], part, spec.order, spec.calls)
		},
	}
}

func TestWindow(t *testing.T) {
	defer func(old int) { windowBlockRows = old }(windowBlockRows)
	for _, block := range []int{5, windowBlockRows} {
		windowBlockRows = block
		testWindowSpecs(t)
	}
	// Integer sums through the segment tree instead of prefix sums.
	windowPrefixSums = false
	defer func() { windowPrefixSums = true }()
	testWindowSpecs(t)
}

func testWindowSpecs(t *testing.T) {
	for _, spec := range winSpecs {
		for _, partition := range []bool{true, false} {
			in := winInput(150, 7, 3)
			name := spec.name
			if partition {
				name += "/partitioned"
			}
			runCases(t, []opCase{winCase(name, in, partition, spec)})
		}
		runCases(t, []opCase{winCase(spec.name+"/empty", nil, true, spec)})
	}
}

// TestWindowSpill runs partitioned windows under a memory limit that
// makes their sort spill: same rows, nothing left behind.
func TestWindowSpill(t *testing.T) {
	in := winInput(30000, 300, 8)
	for _, spec := range winSpecs {
		c := winCase("spill "+spec.name, in, true, spec)
		runSpilling(t, c, 4<<20, true, func(ins [][]Operator, env memEnv) Operator {
			return withMemory(NewWindow(ins[0], []int{wP}, spec.order, spec.calls), env)
		})
	}
}

// TestWindowCancel stops a window over a large input when its context is
// cancelled.
func TestWindowCancel(t *testing.T) {
	in := winInput(20000, 1, 5)
	src := &testSource{types: winTypes, rows: datums(winTypes, in), batchSize: 1024, t: t}
	op := NewWindow([]Operator{src}, nil, winSpecs[1].order, winSpecs[1].calls)
	ctx, cancel := context.WithCancel(context.Background())
	if err := op.Open(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	done := make(chan error, 1)
	go func() { _, err := op.Next(ctx); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Next after cancel returned no error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Next did not return after cancel")
	}
	_ = op.Close()
}

// TestWindowReaders reads a window through several readers, each
// evaluating its own blocks of partitions.
func TestWindowReaders(t *testing.T) {
	defer func(old int) { windowBlockRows = old }(windowBlockRows)
	windowBlockRows = 7
	for _, spec := range winSpecs {
		c := winCase("readers "+spec.name, winInput(400, 30, 4), true, spec)
		c.mk = func(ins [][]Operator) Operator {
			w := NewWindow(ins[0], []int{wP}, spec.order, spec.calls).(*windowOp)
			return NewGather(w.Readers(3))
		}
		runCases(t, []opCase{c})
	}
}
