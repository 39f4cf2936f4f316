package exec

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// finalSpillInput is the input of the final aggregation's spill tests:
// nGroups keys in random order, each seen perKey times, with a DECIMAL(18,2)
// of 17 digits, a BIGINT near 2^62 (summed into a HUGEINT) and
// a string for MIN/MAX; one key in 97 is NULL. The batches go round-robin
// to tasks partial aggregations.
func finalSpillInput(nGroups, perKey int) (ts []coldata.Type, batches []*coldata.Batch) {
	ts = types(i64, coldata.DecimalType(18, 2), i64, str)
	rng := rand.New(rand.NewSource(17))
	keys := make([]int, 0, nGroups*perKey)
	for range perKey {
		keys = append(keys, rng.Perm(nGroups)...)
	}
	rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	for from := 0; from < len(keys); from += coldata.DefaultBatchSize {
		n := min(len(keys), from+coldata.DefaultBatchSize) - from
		b := coldata.NewBatch(ts, n)
		b.Reset(n)
		for _, v := range b.Vecs {
			v.Nulls = make([]bool, n)
		}
		for k, key := range keys[from : from+n] {
			b.Vecs[0].I64[k] = int64(key)
			b.Vecs[0].Nulls[k] = key%97 == 0
			// Signs alternate so that the ungrouped total fits the
			// result type too (DECIMAL results are 64-bit).
			b.Vecs[1].I64[k] = (15_999_999_999_999_000 + int64(rng.Intn(1000))) * int64(1-2*(k%2))
			b.Vecs[1].Nulls[k] = key%89 == 0 && k%2 == 0
			b.Vecs[2].I64[k] = int64(rng.Intn(1<<62)) * int64(1-2*(key%2))
			b.Vecs[3].Str[k] = fmt.Sprintf("s%06d-%d", rng.Intn(nGroups), key%5)
		}
		b.N = n
		batches = append(batches, b)
	}
	return ts, batches
}

func finalSpillAggs() []AggSpec {
	d182 := coldata.DecimalType(18, 2)
	return []AggSpec{countStar(), agg(AggCount, 1, i64), agg(AggSum, 1, coldata.DecimalType(38, 2)),
		agg(AggAvg, 1, f64), agg(AggMin, 1, d182), agg(AggSum, 2, hi), agg(AggAvg, 2, f64),
		agg(AggMin, 3, str), agg(AggMax, 3, str)}
}

// distributedAgg is the two-level form of one hash aggregation: a partial
// aggregation per task (no limit: they are other workers), their state
// rows gathered into one final aggregation under env.
func distributedAgg(ts []coldata.Type, batches []*coldata.Batch, tasks int, groups []int, aggs []AggSpec, env memEnv) Operator {
	var parts []Operator
	for _, in := range splitReplay(ts, batches, tasks) {
		parts = append(parts, NewPartialAgg([]Operator{in}, groups, aggs))
	}
	return withMemory(NewFinalAgg(NewGather(parts), ts, groups, aggs), env)
}

// TestFinalAggSpill: the final aggregation of 200K groups' state rows
// under a limit far below what its table needs spills, merges its
// partitions one at a time and gives the local aggregation's exact
// results (the 128-bit DECIMAL and HUGEINT sums, AVG as one division).
func TestFinalAggSpill(t *testing.T) {
	nGroups := 200_000
	if testing.Short() {
		nGroups = 40_000
	}
	ts, batches := finalSpillInput(nGroups, 2)
	aggs := finalSpillAggs()
	groups := []int{0}
	want := byIntKey(runAggCollect(t, NewHashAgg(splitReplay(ts, batches, 2), groups, aggs)))

	free := NewMemoryPool(0)
	got := runAggCollect(t, distributedAgg(ts, batches, 4, groups, aggs, memEnv{pool: free, dir: t.TempDir()}))
	if !slices.EqualFunc(byIntKey(got), want, slices.Equal) {
		t.Fatalf("without a limit: %d rows differ from the local aggregation's %d", len(got), len(want))
	}

	const limit = 4 << 20
	pool, dir := NewMemoryPool(limit), t.TempDir()
	op := distributedAgg(ts, batches, 4, groups, aggs, memEnv{pool: pool, dir: dir})
	got = runAggCollect(t, op)
	if g := byIntKey(got); !slices.EqualFunc(g, want, slices.Equal) {
		for i := range min(len(g), len(want)) {
			if !slices.Equal(g[i], want[i]) {
				t.Fatalf("under %s: row %d is %v, want %v (%d rows, want %d)", humanBytes(limit), i, g[i], want[i], len(g), len(want))
			}
		}
		t.Fatalf("under %s: %d rows, want %d", humanBytes(limit), len(g), len(want))
	}
	st := op.(StatsReporter).OpStats()
	if st.SpilledBytes == 0 {
		t.Errorf("nothing spilled under %s", humanBytes(limit))
	}
	if pool.Used() != 0 {
		t.Errorf("pool holds %d bytes after Close", pool.Used())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("%d spill files left in %s", len(ents), dir)
	}
	t.Logf("%d groups: peak %s without a limit; under %s peak %s, spilled %s",
		len(want), humanBytes(free.Peak()), humanBytes(limit), humanBytes(pool.Peak()), humanBytes(st.SpilledBytes))
}

// byIntKey sorts rows by their first column, an integer key (NULL first).
func byIntKey(rs [][]coldata.Datum) [][]coldata.Datum {
	slices.SortFunc(rs, func(a, b []coldata.Datum) int {
		if a[0].Null != b[0].Null {
			if a[0].Null {
				return -1
			}
			return 1
		}
		return cmp.Compare(a[0].I, b[0].I)
	})
	return rs
}

// TestFinalAggSpillHarness runs the final aggregation through the spill
// harness (batch sizes, selection vectors, the pool and the directory
// released): DECIMAL, HUGEINT and string states, grouped and not.
func TestFinalAggSpillHarness(t *testing.T) {
	ts, batches := finalSpillInput(6000, 3)
	var in []row
	for _, b := range batches {
		for k := range b.N {
			r := row{}
			for c, d := range b.Row(k) {
				r = append(r, literal(ts[c], d))
			}
			in = append(in, r)
		}
	}
	for _, g := range []struct {
		groups []int
		limit  int64
		spill  bool
	}{{[]int{0}, 1 << 20, true}, {[]int{0, 3}, 3 << 19, true}, {nil, 256 << 10, false}} {
		aggs := finalSpillAggs()
		mk := func(ins [][]Operator, env memEnv) Operator {
			var parts []Operator
			for _, src := range ins[0] {
				parts = append(parts, NewPartialAgg([]Operator{src}, g.groups, aggs))
			}
			return withMemory(NewFinalAgg(NewGather(parts), ts, g.groups, aggs), env)
		}
		c := opCase{name: fmt.Sprintf("final groups %v", g.groups), types: [][]coldata.Type{ts},
			inputs: [][]row{in}, workers: 3}
		c.expected = inMemory(t, c, func(ins [][]Operator, env memEnv) Operator {
			return withMemory(NewHashAgg(ins[0], g.groups, aggs), env)
		})
		runSpilling(t, c, g.limit, g.spill, mk)
	}
}

// cancelAfter passes its input's batches through and cancels the context
// once the final aggregation above has spilled.
type cancelAfter struct {
	Operator
	h      *hashAgg
	cancel context.CancelFunc
}

func (c *cancelAfter) Next(ctx context.Context) (*coldata.Batch, error) {
	if c.h.spilled.Load() {
		c.cancel()
	}
	return c.Operator.Next(ctx)
}

// TestFinalAggSpillCancel cancels a spilling final aggregation while it
// takes in state rows and while it merges its partitions: the error is
// the cancellation, and neither spill files, memory nor goroutines stay.
func TestFinalAggSpillCancel(t *testing.T) {
	ts, batches := finalSpillInput(30_000, 2)
	aggs := finalSpillAggs()
	before := runtime.NumGoroutine()
	for _, during := range []string{"input", "merge"} {
		pool, dir := NewMemoryPool(512<<10), t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		var parts []Operator
		for _, in := range splitReplay(ts, batches, 2) {
			parts = append(parts, NewPartialAgg([]Operator{in}, []int{0}, aggs))
		}
		src := &cancelAfter{Operator: NewGather(parts), cancel: func() {}}
		op := withMemory(NewFinalAgg(src, ts, []int{0}, aggs), memEnv{pool: pool, dir: dir})
		h := op.(*hashAgg)
		src.h = h
		if during == "input" {
			src.cancel = cancel
		}
		if err := op.Open(ctx); err != nil {
			t.Fatal(err)
		}
		var err error
		for rows := 0; err == nil; {
			var b *coldata.Batch
			b, err = op.Next(ctx)
			if err == nil {
				rows += b.N
				if during == "merge" && rows > 0 {
					// Output has begun: the spilled partitions are
					// being merged one at a time.
					if ents, _ := os.ReadDir(dir); len(ents) == 0 {
						t.Fatalf("merge: no spill files while merging")
					}
					cancel()
				}
			}
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%s: got %v, want the cancellation", during, err)
		}
		if !h.spilled.Load() {
			t.Fatalf("%s: the aggregation never spilled", during)
		}
		if err := op.Close(); err != nil {
			t.Fatal(err)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("%s: %d spill files left after Close", during, len(ents))
		}
		if pool.Used() != 0 {
			t.Errorf("%s: pool holds %d bytes after Close", during, pool.Used())
		}
		checkNoLeak(t, before)
		cancel()
	}
}

// TestFinalAggTempSpaceLimit: a final aggregation whose spill would pass
// max_temp_directory_size fails with that limit's error and leaves nothing.
func TestFinalAggTempSpaceLimit(t *testing.T) {
	ts, batches := finalSpillInput(30_000, 2)
	temp := NewTempSpace()
	temp.SetLimit(64 << 10)
	pool, dir := NewMemoryPool(512<<10), t.TempDir()
	op := distributedAgg(ts, batches, 2, []int{0}, finalSpillAggs(), memEnv{pool: pool, dir: dir, temp: temp})
	_, err := drain(context.Background(), op)
	var te *TempSpaceError
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want the temp space limit's error", err)
	}
	if err := op.Close(); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("%d spill files left after Close", len(ents))
	}
	if temp.Used() != 0 || pool.Used() != 0 {
		t.Errorf("temp space holds %d, pool %d after Close", temp.Used(), pool.Used())
	}
}

// TestFinalAggFlush: a final aggregation whose table flushes (as the local
// one does past flushGroups) into in-memory partitions, with and without
// spilling them, gives the local aggregation's results.
func TestFinalAggFlush(t *testing.T) {
	defer func(old int) { flushGroups = old }(flushGroups)
	flushGroups = 512
	ts, batches := finalSpillInput(20_000, 2)
	aggs := finalSpillAggs()
	want := byIntKey(runAggCollect(t, NewHashAgg(splitReplay(ts, batches, 2), []int{0}, aggs)))
	for _, limit := range []int64{0, 1 << 20} {
		pool, dir := NewMemoryPool(limit), t.TempDir()
		op := distributedAgg(ts, batches, 3, []int{0}, aggs, memEnv{pool: pool, dir: dir})
		got := byIntKey(runAggCollect(t, op))
		h := op.(*hashAgg)
		if !h.flushedAny.Load() {
			t.Errorf("limit %d: the final aggregation never flushed", limit)
		}
		if spilled := h.OpStats().SpilledBytes; (spilled > 0) != (limit > 0) {
			t.Errorf("limit %d: spilled %d bytes", limit, spilled)
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("limit %d: %d rows, want %d; they differ", limit, len(got), len(want))
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 || pool.Used() != 0 {
			t.Errorf("limit %d: %d spill files and %d bytes left after Close", limit, len(ents), pool.Used())
		}
	}
}
