package exec

import (
	"context"
	"io"
	"sort"
	"testing"
)

// TestHashAggMergeSpills: each worker's partial fits under the limit but
// folding them together would not; the merge must then go through disk,
// with the same result and the pool back to zero.
func TestHashAggMergeSpills(t *testing.T) {
	const perWorker = 30000
	ts := types(i64, i64)
	mkInputs := func() []Operator {
		var ins []Operator
		for w := range 2 {
			rows := seq(perWorker, func(i int) row { return row{w*perWorker + i, i % 10} })
			ins = append(ins, &testSource{types: ts, rows: datums(ts, rows), batchSize: 1024, t: t})
		}
		return ins
	}
	run := func(env memEnv) (map[int64][2]int64, *hashAgg) {
		t.Helper()
		op := withMemory(NewHashAgg(mkInputs(), []int{0}, []AggSpec{countStar(), agg(AggSum, 1, i64)}), env)
		ctx := context.Background()
		if err := op.Open(ctx); err != nil {
			t.Fatal(err)
		}
		got := map[int64][2]int64{}
		for {
			b, err := op.Next(ctx)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			for k := range b.Len() {
				r := b.Row(k)
				got[r[0].I] = [2]int64{r[1].I, r[2].I}
			}
		}
		h := findHashAgg(op)
		if err := op.Close(); err != nil {
			t.Fatal(err)
		}
		return got, h
	}
	want, h := run(memEnv{pool: NewMemoryPool(0), dir: t.TempDir()})
	if len(want) != 2*perWorker || h == nil {
		t.Fatalf("unlimited run: %d groups", len(want))
	}
	// One partial's size, measured on a single-input run.
	one := NewHashAgg([]Operator{mkInputs()[0]}, []int{0}, []AggSpec{countStar(), agg(AggSum, 1, i64)})
	if _, err := drain(context.Background(), one); err != nil {
		t.Fatal(err)
	}
	_ = one.Close()
	part := findHashAgg(one).OpStats().PeakBytes
	limit := 2*part + part/8 // both partials at their peak, not the merge
	r := &spillRun{limit: limit, t: t}
	got, h := run(r.env())
	r.check("merge spill")
	if !h.mergeSpilled {
		t.Errorf("limit %d (partial %d): the merge did not spill (spilled %d bytes)", limit, part, h.OpStats().SpilledBytes)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d groups, want %d", len(got), len(want))
	}
	keys := make([]int64, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	for _, k := range keys {
		if got[k] != want[k] {
			t.Fatalf("group %d: got %v, want %v", k, got[k], want[k])
		}
	}
}

func findHashAgg(op Operator) *hashAgg {
	h, _ := op.(*hashAgg)
	return h
}
