package exec

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

func aggOp(groupCols []int, aggs ...AggSpec) func([][]Operator) Operator {
	return func(ins [][]Operator) Operator { return withReaders(NewHashAgg(ins[0], groupCols, aggs)) }
}

func countStar() AggSpec { return AggSpec{Func: AggCountStar, Arg: -1, Out: i64} }
func agg(f AggFunc, arg int, out coldata.Type) AggSpec {
	return AggSpec{Func: f, Arg: arg, Out: out}
}
func distinct(f AggFunc, arg int, out coldata.Type) AggSpec {
	return AggSpec{Func: f, Arg: arg, Out: out, Distinct: true}
}

func TestHashAggBasic(t *testing.T) {
	in := []row{
		{1, 10}, {2, 20}, {1, nil}, {3, 5}, {nil, 7}, {2, -4}, {1, 30}, {nil, nil}, {4, nil},
	}
	all := []AggSpec{countStar(), agg(AggCount, 1, i64), agg(AggSum, 1, i64), agg(AggAvg, 1, f64),
		agg(AggMin, 1, i64), agg(AggMax, 1, i64)}
	runCases(t, []opCase{{
		name:   "int64 key all funcs",
		types:  [][]coldata.Type{types(i64, i64)},
		inputs: [][]row{in},
		expected: []row{
			{1, 3, 2, 40, 20.0, 10, 30},
			{2, 2, 2, 16, 8.0, -4, 20},
			{3, 1, 1, 5, 5.0, 5, 5},
			{4, 1, 0, nil, nil, nil, nil},
			{nil, 2, 1, 7, 7.0, 7, 7},
		},
		workers: 3,
		mk:      aggOp([]int{0}, all...),
	}, {
		name:     "ungrouped",
		types:    [][]coldata.Type{types(i64, i64)},
		inputs:   [][]row{in},
		expected: []row{{9, 6, 68, 68.0 / 6, -4, 30}},
		workers:  3,
		mk:       aggOp(nil, all...),
	}, {
		name:     "ungrouped empty",
		types:    [][]coldata.Type{types(i64, i64)},
		inputs:   [][]row{nil},
		expected: []row{{0, 0, nil, nil, nil, nil}},
		workers:  2,
		mk:       aggOp(nil, all...),
	}, {
		name:     "grouped empty",
		types:    [][]coldata.Type{types(i64, i64)},
		inputs:   [][]row{nil},
		expected: nil,
		workers:  2,
		mk:       aggOp([]int{0}, all...),
	}, {
		name:     "all null",
		types:    [][]coldata.Type{types(i64, i64)},
		inputs:   [][]row{{{nil, nil}, {nil, nil}, {nil, nil}}},
		expected: []row{{nil, 3, 0, nil, nil, nil, nil}},
		workers:  2,
		mk:       aggOp([]int{0}, all...),
	}, {
		name:     "int32 key and arg",
		types:    [][]coldata.Type{types(i32, i32)},
		inputs:   [][]row{{{1, 2147483647}, {1, 2147483647}, {2, -5}, {nil, 1}}},
		expected: []row{{1, 4294967294, 2147483647}, {2, -5, -5}, {nil, 1, 1}},
		workers:  2,
		mk:       aggOp([]int{0}, agg(AggSum, 1, i64), agg(AggMax, 1, i32)),
	}, {
		name:     "group only (distinct rows)",
		types:    [][]coldata.Type{types(str, i64)},
		inputs:   [][]row{{{"a", 1}, {"b", 1}, {"a", 1}, {"a", 2}, {nil, 1}, {nil, 1}}},
		expected: []row{{"a", 1}, {"b", 1}, {"a", 2}, {nil, 1}},
		workers:  3,
		mk:       aggOp([]int{0, 1}),
	}})
}

func TestHashAggTypes(t *testing.T) {
	d152 := coldata.DecimalType(15, 2)
	d382 := coldata.DecimalType(38, 2)
	in := []row{
		{"A", "F", "17.00", "21168.23", 0.25, "1996-03-13"},
		{"A", "F", "36.00", "45983.16", 0.5, "1996-04-12"},
		{"N", "O", "8.00", "13309.60", 0.10, "1996-01-29"},
		{"N", "O", nil, nil, nil, nil},
		{"R", "F", "28.00", "28955.64", 0.09, "1994-02-02"},
		{"A", "F", "1.00", "-0.01", -1.5, "1992-01-01"},
	}
	ts := types(str, str, d152, d152, f64, dt)
	runCases(t, []opCase{{
		name:   "q1 shape",
		types:  [][]coldata.Type{ts},
		inputs: [][]row{in},
		expected: []row{
			{"A", "F", "54.00", "67151.38", 18.0, -0.25, 3, "1992-01-01", "1996-04-12", "-0.01"},
			{"N", "O", "8.00", "13309.60", 8.0, 0.10, 2, "1996-01-29", "1996-01-29", "13309.60"},
			{"R", "F", "28.00", "28955.64", 28.0, 0.09, 1, "1994-02-02", "1994-02-02", "28955.64"},
		},
		workers: 2,
		mk: aggOp([]int{0, 1}, agg(AggSum, 2, d382), agg(AggSum, 3, d382), agg(AggAvg, 2, f64),
			agg(AggAvg, 4, f64), countStar(), agg(AggMin, 5, dt), agg(AggMax, 5, dt), agg(AggMin, 3, d152)),
	}, {
		name:     "strings min max",
		types:    [][]coldata.Type{types(i64, str)},
		inputs:   [][]row{{{1, "pear"}, {1, "apple"}, {1, nil}, {2, "z"}, {1, "zebra"}, {2, ""}}},
		expected: []row{{1, "apple", "zebra", 3}, {2, "", "z", 2}},
		workers:  2,
		mk:       aggOp([]int{0}, agg(AggMin, 1, str), agg(AggMax, 1, str), agg(AggCount, 1, i64)),
	}, {
		name:     "float keys and sums",
		types:    [][]coldata.Type{types(f64, f64)},
		inputs:   [][]row{{{0.0, 1.5}, {math.Copysign(0, -1), 2.5}, {1.25, nil}, {1.25, -1.0}, {nil, 3.0}}},
		expected: []row{{0.0, 4.0, 1.5, 2.5}, {1.25, -1.0, -1.0, -1.0}, {nil, 3.0, 3.0, 3.0}},
		workers:  2,
		mk:       aggOp([]int{0}, agg(AggSum, 1, f64), agg(AggMin, 1, f64), agg(AggMax, 1, f64)),
	}, {
		name:     "bool key",
		types:    [][]coldata.Type{types(coldata.TypeBool, i64)},
		inputs:   [][]row{{{true, 1}, {false, 2}, {true, 3}, {nil, 4}}},
		expected: []row{{true, 4}, {false, 2}, {nil, 4}},
		mk:       aggOp([]int{0}, agg(AggSum, 1, i64)),
	}, {
		name:     "sum overflow",
		types:    [][]coldata.Type{types(i64)},
		inputs:   [][]row{{{math.MaxInt64}, {1}}},
		wantErr:  "Out of Range Error: Overflow in SUM",
		workers:  2,
		mk:       aggOp(nil, agg(AggSum, 0, i64)),
		expected: nil,
	}, {
		// Intermediate sums overflow 64 bits but the total fits.
		name:     "sum 128-bit intermediate",
		types:    [][]coldata.Type{types(i64)},
		inputs:   [][]row{{{math.MaxInt64}, {math.MaxInt64}, {-math.MaxInt64}, {-math.MaxInt64}, {5}}},
		expected: []row{{5, 1.0}},
		mk:       aggOp(nil, agg(AggSum, 0, i64), agg(AggAvg, 0, f64)),
	}, {
		name:     "bool min max and null arg",
		types:    [][]coldata.Type{types(i64, coldata.TypeBool, coldata.TypeUnknown)},
		inputs:   [][]row{{{1, true, nil}, {1, false, nil}, {2, true, nil}, {2, nil, nil}, {3, nil, nil}}},
		expected: []row{{1, false, true, nil, 0}, {2, true, true, nil, 0}, {3, nil, nil, nil, 0}},
		workers:  2,
		mk: aggOp([]int{0}, agg(AggMin, 1, coldata.TypeBool), agg(AggMax, 1, coldata.TypeBool),
			agg(AggMax, 2, coldata.TypeUnknown), agg(AggCount, 2, i64)),
	}, {
		name:    "decimal scale mismatch",
		types:   [][]coldata.Type{types(coldata.DecimalType(15, 2))},
		inputs:  [][]row{nil},
		wantErr: "not supported",
		mk:      aggOp(nil, agg(AggSum, 0, coldata.DecimalType(38, 3))),
	}, {
		name:    "unsupported",
		types:   [][]coldata.Type{types(str)},
		inputs:  [][]row{nil},
		wantErr: "not supported",
		mk:      aggOp(nil, agg(AggSum, 0, i64)),
	}})
}

func TestHashAggDistinct(t *testing.T) {
	// Every value appears in several rows, so each worker sees duplicates of
	// what the others see.
	var in []row
	for i := 0; i < 60; i++ {
		var v any = i % 7
		if i%11 == 0 {
			v = nil
		}
		in = append(in, row{i % 3, v})
	}
	exp := map[int][3]int{} // group → distinct count, distinct sum, count
	seen := map[[2]int]bool{}
	for _, r := range in {
		g := r[0].(int)
		e := exp[g]
		if r[1] != nil {
			v := r[1].(int)
			if !seen[[2]int{g, v}] {
				seen[[2]int{g, v}] = true
				e[0]++
				e[1] += v
			}
			e[2]++
		}
		exp[g] = e
	}
	var want []row
	for g, e := range exp {
		want = append(want, row{g, e[0], e[1], float64(e[1]) / float64(e[0]), e[2]})
	}
	var ungrouped = map[int]bool{}
	sum := 0
	for _, r := range in {
		if r[1] != nil && !ungrouped[r[1].(int)] {
			ungrouped[r[1].(int)] = true
			sum += r[1].(int)
		}
	}
	runCases(t, []opCase{{
		name:     "grouped",
		types:    [][]coldata.Type{types(i64, i64)},
		inputs:   [][]row{in},
		expected: want,
		workers:  4,
		mk: aggOp([]int{0}, distinct(AggCount, 1, i64), distinct(AggSum, 1, i64), distinct(AggAvg, 1, f64),
			agg(AggCount, 1, i64)),
	}, {
		name:     "ungrouped",
		types:    [][]coldata.Type{types(i64, i64)},
		inputs:   [][]row{in},
		expected: []row{{len(ungrouped), sum, 60}},
		workers:  4,
		mk:       aggOp(nil, distinct(AggCount, 1, i64), distinct(AggSum, 1, i64), countStar()),
	}, {
		name:     "strings",
		types:    [][]coldata.Type{types(str)},
		inputs:   [][]row{{{"a"}, {"b"}, {"a"}, {nil}, {"c"}, {"b"}}},
		expected: []row{{3, "a", "c"}},
		workers:  3,
		mk:       aggOp(nil, distinct(AggCount, 0, i64), distinct(AggMin, 0, str), distinct(AggMax, 0, str)),
	}, {
		name:     "empty",
		types:    [][]coldata.Type{types(i64)},
		inputs:   [][]row{nil},
		expected: []row{{0, nil}},
		mk:       aggOp(nil, distinct(AggCount, 0, i64), distinct(AggSum, 0, i64)),
	}})
}

func TestHashAggManyGroups(t *testing.T) {
	const n = 12000
	in := seq(n, func(i int) row { return row{(i * 7919) % 5003, fmt.Sprint("k", i%5), i} })
	type acc struct{ cnt, sum, min, max int }
	exp := map[[2]any]*acc{}
	for _, r := range in {
		k := [2]any{r[0], r[1]}
		a := exp[k]
		v := r[2].(int)
		if a == nil {
			a = &acc{min: v, max: v}
			exp[k] = a
		}
		a.cnt++
		a.sum += v
		a.min = min(a.min, v)
		a.max = max(a.max, v)
	}
	var want []row
	for k, a := range exp {
		want = append(want, row{k[0], k[1], a.cnt, a.sum, a.min, a.max})
	}
	mk := aggOp([]int{0, 1}, countStar(), agg(AggSum, 2, i64), agg(AggMin, 2, i64), agg(AggMax, 2, i64))
	// One int key: the single-key fast path.
	exp1 := map[int]*acc{}
	for _, r := range in {
		a := exp1[r[0].(int)]
		if a == nil {
			a = &acc{}
			exp1[r[0].(int)] = a
		}
		a.cnt++
	}
	var want1 []row
	for k, a := range exp1 {
		want1 = append(want1, row{k, a.cnt})
	}
	cases := []opCase{
		{name: "composite", types: [][]coldata.Type{types(i64, str, i64)}, inputs: [][]row{in}, expected: want, workers: 3, mk: mk},
		{name: "int key", types: [][]coldata.Type{types(i64, str, i64)}, inputs: [][]row{in}, expected: want1, workers: 3,
			mk: aggOp([]int{0}, countStar())},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Batch size 1 would make this slow without adding coverage.
			for _, w := range []int{1, 3} {
				for _, bs := range []int{7, 1024} {
					runVariant(t, c, fmt.Sprintf("w=%d/bs=%d", w, bs), w, bs, true)
				}
			}
		})
	}
}

func TestAvgDecimalMatchesDuckDB(t *testing.T) {
	// TPC-H Q1 answers (sf0.01 and sf1) as printed by DuckDB.
	for _, c := range []struct {
		sum   string
		cnt   int64
		scale int
		want  string
	}{
		{"380456.00", 14876, 2, "25.575154611454693"},
		{"532348211.65", 14876, 2, "35785.70930693735"},
		{"37734107.00", 1478493, 2, "25.522005853257337"},
		{"56586554400.73", 1478493, 2, "38273.129734621674"},
		{"111701729697.74", 2920374, 2, "38249.11798890827"},
	} {
		v, err := coldata.ParseDecimal(c.sum, c.scale)
		if err != nil {
			t.Fatal(err)
		}
		s := sum128{lo: uint64(v), hi: v >> 63, cnt: c.cnt}
		if got := coldata.FormatFloat(avgDecimal(s, c.scale)); got != c.want {
			t.Errorf("avg(%s/%d) = %s, want %s", c.sum, c.cnt, got, c.want)
		}
		// The slow path (big operands) must agree with the fast one.
		big := s
		big.hi, big.lo = 0, uint64(v)<<10
		big.cnt = c.cnt << 10
		if got := coldata.FormatFloat(avgDecimal(big, c.scale)); got != c.want {
			t.Errorf("slow avg(%s/%d) = %s, want %s", c.sum, c.cnt, got, c.want)
		}
	}
	// Beyond 64 bits: 2^70 / 2^10 = 2^60.
	if got := avgDecimal(sum128{lo: 0, hi: 1 << 6, cnt: 1 << 10}, 0); got != math.Ldexp(1, 60) {
		t.Errorf("got %v", got)
	}
}

func TestHashAggCancel(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	h := NewHashAgg([]Operator{newEndless(), newEndless()}, []int{0}, []AggSpec{countStar()})
	if err := h.Open(ctx); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, cancel)
	t0 := time.Now()
	_, err := h.Next(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(t0); d > time.Second {
		t.Fatalf("cancellation took %v", d)
	}
	_ = h.Close()
	checkNoLeak(t, before)

	// A worker error stops the others.
	bad := newEndless()
	bad.err = errors.New("bad page")
	h = NewHashAgg([]Operator{newEndless(), bad}, nil, []AggSpec{countStar()})
	_, err = drain(context.Background(), h)
	if err == nil || !strings.Contains(err.Error(), "bad page") {
		t.Fatalf("got %v", err)
	}
	_ = h.Close()
	checkNoLeak(t, before)

	// Closed without Next.
	h = NewHashAgg([]Operator{newEndless()}, nil, []AggSpec{countStar()})
	_ = h.Open(context.Background())
	_ = h.Close()
	checkNoLeak(t, before)
}

// TestGroupTableCollisions forces hash collisions so that key verification
// and probing past false candidates decide every result.
func TestGroupTableCollisions(t *testing.T) {
	degradeHashForTest = true
	defer func() { degradeHashForTest = false }()
	in := seq(600, func(i int) row {
		var s any = fmt.Sprint("s", i%13)
		if i%17 == 0 {
			s = nil
		}
		return row{i % 11, s}
	})
	exp := map[string]int{}
	for _, r := range in {
		exp[fmt.Sprint(r[0], "|", r[1])]++
	}
	var want []row
	for k, n := range exp {
		a, b, _ := strings.Cut(k, "|")
		var kb any = b
		if b == "<nil>" {
			kb = nil
		}
		var ka int
		fmt.Sscan(a, &ka)
		want = append(want, row{ka, kb, n})
	}
	c := opCase{name: "collide", types: [][]coldata.Type{types(i64, str)}, inputs: [][]row{in}, expected: want, workers: 3,
		mk: aggOp([]int{0, 1}, countStar())}
	for _, w := range []int{1, 3} {
		for _, bs := range []int{1, 7, 1024} {
			for _, sel := range []bool{false, true} {
				runVariant(t, c, fmt.Sprintf("w=%d/bs=%d/sel=%v", w, bs, sel), w, bs, sel)
			}
		}
	}
	// DISTINCT sets are general-path tables too.
	d := opCase{name: "distinct", types: [][]coldata.Type{types(i64, str)}, inputs: [][]row{in},
		expected: []row{{13}}, mk: aggOp(nil, distinct(AggCount, 1, i64))}
	for _, w := range []int{1, 3} {
		runVariant(t, d, fmt.Sprintf("distinct w=%d", w), w, 5, false)
		runVariant(t, d, fmt.Sprintf("distinct w=%d/sel", w), w, 5, true)
	}
}

// TestHashAggParallelCombine reruns the aggregation suites with the
// partitioned parallel merge forced on.
func TestHashAggParallelCombine(t *testing.T) {
	defer func(v int64) { parallelMergeMin = v }(parallelMergeMin)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	parallelMergeMin = 0
	t.Run("basic", TestHashAggBasic)
	t.Run("types", TestHashAggTypes)
	t.Run("distinct", TestHashAggDistinct)
	t.Run("many", TestHashAggManyGroups)
	t.Run("collisions", TestGroupTableCollisions)
}

// TestHashAggFlush reruns the aggregation and spill cases with tables that
// flush every 16 groups: results come from merging the flushed partitions
// (in parallel, lazily), from spilled flushed buffers, and from partitions
// too large to merge in memory that go to disk and split again.
func TestHashAggFlush(t *testing.T) {
	defer func(old int) { flushGroups = old }(flushGroups)
	flushGroups = 16
	t.Run("basic", TestHashAggBasic)
	if !testing.Short() {
		t.Run("types", TestHashAggTypes)
		t.Run("many groups", TestHashAggManyGroups)
	}
	t.Run("spill", TestHashAggSpill)
	t.Run("repartition", TestHashAggRepartition)
	t.Run("flushes", func(t *testing.T) {
		in := seq(3000, func(i int) row { return row{i % 1000, i} })
		h := NewHashAgg([]Operator{&testSource{types: types(i64, i64), rows: datums(types(i64, i64), in), batchSize: 100, t: t}},
			[]int{0}, []AggSpec{countStar(), agg(AggSum, 1, i64)}).(*hashAgg)
		rows, err := drain(context.Background(), h)
		_ = h.Close()
		if err != nil || len(rows) != 1000 || !h.flushedAny.Load() {
			t.Fatalf("%d rows, %v, flushed %v", len(rows), err, h.flushedAny.Load())
		}
	})
}

// TestHashAggReaders reads aggregates through several readers at once (the
// pipeline above an aggregate runs on every worker): the same groups, from
// the in-memory merge, from flushed partitions and from spilled ones.
func TestHashAggReaders(t *testing.T) {
	defer func(old int) { aggReadersForTest = old }(aggReadersForTest)
	aggReadersForTest = 3
	t.Run("basic", TestHashAggBasic)
	t.Run("many groups", TestHashAggManyGroups)
	t.Run("spill", TestHashAggSpill)
	defer func(old int) { flushGroups = old }(flushGroups)
	flushGroups = 16
	t.Run("flushed", TestHashAggManyGroups)
	t.Run("flushed spill", TestHashAggSpill)
}

// TestPackedGroupTable inserts batches of short strings, booleans and
// small integers (packed into one integer) and then keys that do not fit
// the layout (a longer string, an integer far out of range): ids must
// agree with a reference map throughout, stay the same across the switch to
// the general path, and hashOf must equal the general table's.
func TestPackedGroupTable(t *testing.T) {
	ts := []coldata.Type{coldata.TypeString, coldata.TypeBool, coldata.TypeInt32}
	rng := rand.New(rand.NewSource(9))
	tab := newGroupTable(ts, true)
	ref := newGroupTable(ts, true)
	ref.tryPack = false
	ids := map[string]int32{}
	batch := func(n int, strLen, intSpan int) []*coldata.Vec {
		vs := newVecs(ts)
		for _, v := range vs {
			v.Resize(n)
		}
		for k := 0; k < n; k++ {
			vs[0].Str[k] = "abcdefghijkl"[:rng.Intn(strLen+1)]
			vs[1].B[k] = rng.Intn(2) == 0
			vs[2].I32[k] = int32(rng.Intn(intSpan) - intSpan/2)
			for c := range vs {
				if rng.Intn(15) == 0 {
					vs[c].SetNull(k)
				}
			}
		}
		return vs
	}
	check := func(vs []*coldata.Vec, n int) {
		gids, rgids := make([]int32, n), make([]int32, n)
		tab.insert(vs, n, nil, gids)
		ref.insert(vs, n, nil, rgids)
		for k := 0; k < n; k++ {
			key := ""
			for c, v := range vs {
				if v.IsNull(k) {
					key += "|NULL"
				} else {
					key += "|" + coldata.Format(ts[c], v.Get(k))
				}
			}
			if id, ok := ids[key]; ok && id != gids[k] {
				t.Fatalf("row %d (%s): id %d, was %d", k, key, gids[k], id)
			}
			ids[key] = gids[k]
			if gids[k] != rgids[k] {
				t.Fatalf("row %d: id %d, general table %d", k, gids[k], rgids[k])
			}
		}
	}
	for range 20 {
		check(batch(500, 3, 50), 500)
	}
	if tab.packed == nil {
		t.Fatal("the table did not pack short keys")
	}
	check(batch(500, 12, 50), 500) // a string longer than the layout
	if tab.packed != nil {
		t.Fatal("the table still packs after a key that does not fit")
	}
	for range 5 {
		check(batch(500, 12, 1<<20), 500)
	}
	if tab.n != ref.n || len(ids) != tab.n {
		t.Fatalf("%d groups, general table %d, reference %d", tab.n, ref.n, len(ids))
	}
	for g := 0; g < tab.n; g++ {
		if tab.hashOf(g) != ref.hashOf(g) {
			t.Fatalf("group %d: hash differs from the general table's", g)
		}
	}
	// Integers out of range unpack too.
	tab2 := newGroupTable(ts, true)
	vs := batch(100, 2, 10)
	tab2.insert(vs, 100, nil, make([]int32, 100))
	vs[2].I32[7] = 1 << 30
	vs[2].Nulls = nil
	tab2.insert(vs, 100, nil, make([]int32, 100))
	if tab2.packed != nil {
		t.Fatal("an integer out of range did not unpack")
	}
}

// TestHashAggSharedSumAvg: SUM and AVG of one argument share a state and
// still finalize as themselves, next to other aggregates of the argument.
func TestHashAggSharedSumAvg(t *testing.T) {
	dec := coldata.DecimalType(15, 2)
	in := []row{{1, "1.50", 2.0}, {1, "2.25", 4.0}, {2, nil, nil}, {2, "3.00", 1.0}, {1, "-0.75", 6.0}}
	c := opCase{name: "shared", types: [][]coldata.Type{types(i64, dec, f64)}, inputs: [][]row{in}, workers: 2,
		expected: []row{{1, "3.00", 1.0, 3, 4.0, 12.0, 3}, {2, "3.00", 3.0, 1, 1.0, 1.0, 2}},
		mk: aggOp([]int{0}, agg(AggSum, 1, coldata.DecimalType(38, 2)), agg(AggAvg, 1, f64), agg(AggCount, 1, i64),
			agg(AggAvg, 2, f64), agg(AggSum, 2, f64), countStar())}
	runCases(t, []opCase{c})
	h := NewHashAgg([]Operator{&testSource{types: types(i64, dec, f64)}}, []int{0},
		[]AggSpec{agg(AggSum, 1, coldata.DecimalType(38, 2)), agg(AggAvg, 1, f64), agg(AggAvg, 2, f64), agg(AggSum, 2, f64)}).(*hashAgg)
	if len(h.aggs) != 2 || len(h.outs) != 4 {
		t.Fatalf("%d states for %d outputs, want 2 for 4", len(h.aggs), len(h.outs))
	}
}
