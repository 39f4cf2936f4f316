package exec

import (
	"context"
	"io"
	"math/rand"
	"syscall"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// replay emits prepared batches without copying them.
type replay struct {
	ts      []coldata.Type
	batches []*coldata.Batch
	pos     int
}

func (r *replay) Types() []coldata.Type      { return r.ts }
func (r *replay) Open(context.Context) error { r.pos = 0; return nil }
func (r *replay) Close() error               { return nil }
func (r *replay) Next(context.Context) (*coldata.Batch, error) {
	if r.pos >= len(r.batches) {
		return nil, io.EOF
	}
	r.pos++
	return r.batches[r.pos-1], nil
}

// int64Batches splits columns (all Int64, equal length) into batches.
func int64Batches(cols ...[]int64) []*coldata.Batch {
	var out []*coldata.Batch
	n := len(cols[0])
	for from := 0; from < n; from += coldata.DefaultBatchSize {
		to := min(n, from+coldata.DefaultBatchSize)
		b := &coldata.Batch{N: to - from}
		for _, c := range cols {
			b.Vecs = append(b.Vecs, &coldata.Vec{Type: coldata.TypeInt64, I64: c[from:to]})
		}
		out = append(out, b)
	}
	return out
}

// splitReplay deals batches round-robin to w sources.
func splitReplay(ts []coldata.Type, batches []*coldata.Batch, w int) []Operator {
	srcs := make([]*replay, w)
	for i := range srcs {
		srcs[i] = &replay{ts: ts}
	}
	for i, b := range batches {
		srcs[i%w].batches = append(srcs[i%w].batches, b)
	}
	ops := make([]Operator, w)
	for i, s := range srcs {
		ops[i] = s
	}
	return ops
}

func runOp(b *testing.B, op Operator) int {
	ctx := context.Background()
	if err := op.Open(ctx); err != nil {
		b.Fatal(err)
	}
	n := 0
	for {
		out, err := op.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		n += out.Len()
	}
	if err := op.Close(); err != nil {
		b.Fatal(err)
	}
	return n
}

// reportPerRow reports wall and CPU nanoseconds per input row. CPU time
// (all threads, from getrusage since startCPU) stays meaningful on a shared,
// oversubscribed machine where wall time does not.
func reportPerRow(b *testing.B, rows int, startCPU time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
	b.ReportMetric(float64((cpuTime()-startCPU).Nanoseconds())/float64(b.N)/float64(rows), "cpu-ns/row")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

const benchRows = 1 << 20

func benchAgg(b *testing.B, groups, workers int) {
	rng := rand.New(rand.NewSource(1))
	keys := make([]int64, benchRows)
	vals := make([]int64, benchRows)
	perm := rng.Perm(benchRows)
	for i := range keys {
		keys[i] = int64(perm[i] % groups)
		vals[i] = int64(rng.Intn(1000))
	}
	batches := int64Batches(keys, vals)
	ts := types(i64, i64)
	aggs := []AggSpec{countStar(), agg(AggSum, 1, i64)}
	b.SetBytes(16 * benchRows)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		if got := runOp(b, NewHashAgg(splitReplay(ts, batches, workers), []int{0}, aggs)); got != groups {
			b.Fatalf("%d groups", got)
		}
	}
	reportPerRow(b, benchRows, cpu0)
}

func BenchmarkHashAgg4Groups(b *testing.B)          { benchAgg(b, 4, 1) }
func BenchmarkHashAgg4Groups2Workers(b *testing.B)  { benchAgg(b, 4, 2) }
func BenchmarkHashAgg1MGroups(b *testing.B)         { benchAgg(b, benchRows, 1) }
func BenchmarkHashAgg1MGroups2Workers(b *testing.B) { benchAgg(b, benchRows, 2) }
func BenchmarkHashAgg64KGroups(b *testing.B)        { benchAgg(b, 1<<16, 1) }

// BenchmarkHashAgg1MGroupsReaders reads 1M groups (flushed partitions)
// through two readers.
func BenchmarkHashAgg1MGroupsReaders(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	keys, vals := make([]int64, benchRows), make([]int64, benchRows)
	for i, p := range rng.Perm(benchRows) {
		keys[i], vals[i] = int64(p), int64(rng.Intn(1000))
	}
	batches := int64Batches(keys, vals)
	ts := types(i64, i64)
	b.SetBytes(16 * benchRows)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		h := NewHashAgg(splitReplay(ts, batches, 2), []int{0}, []AggSpec{countStar(), agg(AggSum, 1, i64)}).(*hashAgg)
		h.threads = 2
		if got := runOp(b, NewGather(h.Readers(2))); got != benchRows {
			b.Fatalf("%d groups", got)
		}
	}
	reportPerRow(b, benchRows, cpu0)
}

func BenchmarkHashAggStringKeys(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	words := []string{"A|F", "N|F", "N|O", "R|F"}
	var batches []*coldata.Batch
	for from := 0; from < benchRows; from += coldata.DefaultBatchSize {
		n := coldata.DefaultBatchSize
		bt := coldata.NewBatch(types(str, str, i64), n)
		for k := 0; k < n; k++ {
			w := words[rng.Intn(4)]
			bt.Vecs[0].Str[k], bt.Vecs[1].Str[k] = w[:1], w[2:]
			bt.Vecs[2].I64[k] = int64(k)
		}
		batches = append(batches, bt)
	}
	b.SetBytes(8 * benchRows)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		runOp(b, NewHashAgg(splitReplay(types(str, str, i64), batches, 1), []int{0, 1},
			[]AggSpec{countStar(), agg(AggSum, 2, i64)}))
	}
	reportPerRow(b, benchRows, cpu0)
}

const buildRows = 100_000

func joinInputs() (build, probe []*coldata.Batch) {
	rng := rand.New(rand.NewSource(2))
	bk := make([]int64, buildRows)
	bv := make([]int64, buildRows)
	for i, p := range rng.Perm(buildRows) {
		bk[i], bv[i] = int64(p), int64(i)
	}
	pk := make([]int64, benchRows)
	pv := make([]int64, benchRows)
	for i := range pk {
		pk[i], pv[i] = int64(rng.Intn(buildRows)), int64(i)
	}
	return int64Batches(bk, bv), int64Batches(pk, pv)
}

func BenchmarkHashJoinProbe(b *testing.B) {
	build, probe := joinInputs()
	ts := types(i64, i64)
	jb := NewJoinBuild([]Operator{&replay{ts: ts, batches: build}}, []int{0})
	jb.acquire() // keep the build alive across iterations
	if err := jb.ensure(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(16 * benchRows)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		j := NewHashJoin(jb, &replay{ts: ts, batches: probe}, []int{0}, JoinInner, []int{0, 1}, []int{1}, nil)
		if got := runOp(b, j); got != benchRows {
			b.Fatalf("%d rows", got)
		}
	}
	reportPerRow(b, benchRows, cpu0)
}

// BenchmarkHashJoinProbeDup probes a build side with 4 rows per key, the
// general (pairs) path.
func BenchmarkHashJoinProbeDup(b *testing.B) {
	build, probe := joinInputs()
	for _, bt := range build {
		for k := range bt.Vecs[0].I64 {
			bt.Vecs[0].I64[k] /= 4
		}
	}
	ts := types(i64, i64)
	jb := NewJoinBuild([]Operator{&replay{ts: ts, batches: build}}, []int{0})
	jb.acquire()
	if err := jb.ensure(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(16 * benchRows)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	out := 0
	for range b.N {
		j := NewHashJoin(jb, &replay{ts: ts, batches: probe}, []int{0}, JoinInner, []int{0, 1}, []int{1}, nil)
		out = runOp(b, j)
	}
	reportPerRow(b, benchRows, cpu0)
	b.ReportMetric(float64(out)/benchRows, "out/row")
}

func BenchmarkJoinBuild100K(b *testing.B) {
	build, _ := joinInputs()
	ts := types(i64, i64)
	b.SetBytes(16 * buildRows)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for range b.N {
		jb := NewJoinBuild([]Operator{&replay{ts: ts, batches: build}}, []int{0})
		if err := jb.ensure(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	reportPerRow(b, buildRows, cpu0)
}

func BenchmarkSortInt64(b *testing.B) {
	rng := rand.New(rand.NewSource(3))
	keys := make([]int64, benchRows)
	for i := range keys {
		keys[i] = rng.Int63()
	}
	batches := int64Batches(keys)
	b.SetBytes(8 * benchRows)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		runOp(b, NewSort([]Operator{&replay{ts: types(i64), batches: batches}}, []SortKey{{Col: 0}}))
	}
	reportPerRow(b, benchRows, cpu0)
}

// BenchmarkSortParallel sorts 1M rows from two workers on two threads:
// ranges sorted in parallel, merged at merge-path splits.
func BenchmarkSortParallel(b *testing.B) {
	rng := rand.New(rand.NewSource(3))
	keys := make([]int64, benchRows)
	for i := range keys {
		keys[i] = rng.Int63()
	}
	batches := int64Batches(keys)
	b.SetBytes(8 * benchRows)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		s := NewSort(splitReplay(types(i64), batches, 2), []SortKey{{Col: 0}}).(*sortOp)
		s.threads = 2
		runOp(b, s)
	}
	reportPerRow(b, benchRows, cpu0)
}

func BenchmarkSortTwoKeys(b *testing.B) {
	rng := rand.New(rand.NewSource(3))
	k1 := make([]int64, benchRows)
	k2 := make([]int64, benchRows)
	for i := range k1 {
		k1[i], k2[i] = int64(rng.Intn(1000)), rng.Int63()
	}
	batches := int64Batches(k1, k2)
	b.SetBytes(16 * benchRows)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		runOp(b, NewSort([]Operator{&replay{ts: types(i64, i64), batches: batches}}, []SortKey{{Col: 0}, {Col: 1, Desc: true}}))
	}
	reportPerRow(b, benchRows, cpu0)
}

func BenchmarkTopN10(b *testing.B) {
	rng := rand.New(rand.NewSource(4))
	keys := make([]int64, benchRows)
	for i := range keys {
		keys[i] = rng.Int63()
	}
	batches := int64Batches(keys)
	b.SetBytes(8 * benchRows)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		runOp(b, NewTopN([]Operator{&replay{ts: types(i64), batches: batches}}, []SortKey{{Col: 0, Desc: true}}, 10))
	}
	reportPerRow(b, benchRows, cpu0)
}
