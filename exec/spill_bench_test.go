package exec

import (
	"math/rand"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// The spill benchmarks run 1M rows with no limit ("unlimited") and with a
// 16 MiB pool, reporting the bytes spilled per operation.

const spillBenchLimit = 16 << 20

func spillBenchEnv(b *testing.B, limited bool) memEnv {
	if !limited {
		return memEnv{}
	}
	return memEnv{pool: NewMemoryPool(spillBenchLimit), dir: b.TempDir()}
}

func reportSpill(b *testing.B, op Operator, extra int64) {
	reportRaw(b)
	var s int64
	if r, ok := op.(StatsReporter); ok {
		s = r.OpStats().SpilledBytes
	}
	b.ReportMetric(float64(s+extra), "spilled-B/op")
}

var raw0 int64

// reportRaw reports the bytes spilled before compression since raw0
// (spilled-B/op is after compression).
func reportRaw(b *testing.B) {
	b.ReportMetric(float64(spillRawTotal.Load()-raw0), "raw-B/op")
}

func benchSpillAgg(b *testing.B, limited bool) {
	rng := rand.New(rand.NewSource(1))
	keys, vals := make([]int64, benchRows), make([]int64, benchRows)
	for i := range keys {
		keys[i] = int64(rng.Intn(benchRows / 2))
		vals[i] = int64(rng.Intn(1000))
	}
	batches := int64Batches(keys, vals)
	ts := []coldata.Type{coldata.TypeInt64, coldata.TypeInt64}
	b.SetBytes(16 * benchRows)
	b.ReportAllocs()
	for b.Loop() {
		op := withMemory(NewHashAgg(splitReplay(ts, batches, 2), []int{0},
			[]AggSpec{{Func: AggCountStar, Arg: -1, Out: coldata.TypeInt64}, {Func: AggSum, Arg: 1, Out: coldata.TypeInt64}}),
			spillBenchEnv(b, limited))
		raw0 = spillRawTotal.Load()
		runOp(b, op)
		reportSpill(b, op, 0)
	}
}

func BenchmarkSpillAgg(b *testing.B)         { benchSpillAgg(b, false) }
func BenchmarkSpillAggLimited(b *testing.B)  { benchSpillAgg(b, true) }
func BenchmarkSpillJoin(b *testing.B)        { benchSpillJoin(b, false) }
func BenchmarkSpillJoinLimited(b *testing.B) { benchSpillJoin(b, true) }
func BenchmarkSpillSort(b *testing.B)        { benchSpillSort(b, false) }
func BenchmarkSpillSortLimited(b *testing.B) { benchSpillSort(b, true) }

func benchSpillJoin(b *testing.B, limited bool) {
	rng := rand.New(rand.NewSource(2))
	bk, bv := make([]int64, benchRows), make([]int64, benchRows)
	for i := range bk {
		bk[i], bv[i] = int64(i), int64(rng.Intn(1000))
	}
	pk := make([]int64, benchRows)
	for i := range pk {
		pk[i] = int64(rng.Intn(2 * benchRows))
	}
	build, probe := int64Batches(bk, bv), int64Batches(pk)
	ts2 := []coldata.Type{coldata.TypeInt64, coldata.TypeInt64}
	b.SetBytes(24 * benchRows)
	b.ReportAllocs()
	for b.Loop() {
		jb := NewJoinBuild([]Operator{&replay{ts: ts2, batches: build}}, []int{0})
		jb.env = spillBenchEnv(b, limited)
		ps := splitReplay(ts2[:1], probe, 2)
		for i, p := range ps {
			ps[i] = NewHashJoin(jb, p, []int{0}, JoinInner, []int{0}, []int{1}, nil)
		}
		op := NewGather(ps)
		raw0 = spillRawTotal.Load()
		runOp(b, op)
		reportRaw(b)
		b.ReportMetric(float64(jb.BuildStats().SpilledBytes), "spilled-B/op")
	}
}

func benchSpillSort(b *testing.B, limited bool) {
	rng := rand.New(rand.NewSource(3))
	k1, k2 := make([]int64, benchRows), make([]int64, benchRows)
	for i := range k1 {
		k1[i], k2[i] = int64(rng.Intn(1000)), rng.Int63()
	}
	batches := int64Batches(k1, k2)
	ts := []coldata.Type{coldata.TypeInt64, coldata.TypeInt64}
	b.SetBytes(16 * benchRows)
	b.ReportAllocs()
	for b.Loop() {
		op := withMemory(NewSort([]Operator{&replay{ts: ts, batches: batches}}, []SortKey{{Col: 0}, {Col: 1, Desc: true}}), spillBenchEnv(b, limited))
		raw0 = spillRawTotal.Load()
		runOp(b, op)
		reportSpill(b, op, 0)
	}
}
