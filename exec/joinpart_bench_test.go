package exec

import (
	"context"
	"fmt"
	"math/rand"
	"runtime"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// BenchmarkJoinBuildProbe times a whole join, build and probe, with the
// build broadcast (drained through a Gather and hashed in one goroutine) and
// partitioned (drained and hashed by every worker), for several build sizes
// and a probe of as many rows as the build, all with GOMAXPROCS workers on
// each side (run with -cpu 2 for the two-core figures). dup4: four build
// rows per key (lineitem-side builds), uniq: one (orders-side builds).
//
//	go test ./exec -run '^$' -bench JoinBuildProbe -cpu 2
func BenchmarkJoinBuildProbe(b *testing.B) {
	for _, rows := range []int{16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20} {
		for _, dup := range []int{1, 4} {
			build, probe := joinBenchInputs(rows, dup)
			for _, mode := range []string{"broadcast", "partitioned"} {
				name := fmt.Sprintf("rows=%s/dup%d/%s", humanCount(rows), dup, mode)
				b.Run(name, func(b *testing.B) { benchJoinBuildProbe(b, build, probe, rows, mode == "partitioned") })
			}
		}
	}
}

func humanCount(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dM", n>>20)
	}
	return fmt.Sprintf("%dK", n>>10)
}

func joinBenchInputs(rows, dup int) (build, probe []*coldata.Batch) {
	rng := rand.New(rand.NewSource(int64(rows + dup)))
	bk := make([]int64, rows)
	bv := make([]int64, rows)
	for i, p := range rng.Perm(rows) {
		bk[i], bv[i] = int64(p/dup)*7, int64(i)
	}
	pk := make([]int64, rows)
	pv := make([]int64, rows)
	for i := range pk {
		pk[i], pv[i] = int64(rng.Intn(rows/dup+rows/dup/4))*7, int64(i)
	}
	return int64Batches(bk, bv), int64Batches(pk, pv)
}

func benchJoinBuildProbe(b *testing.B, build, probe []*coldata.Batch, rows int, partitioned bool) {
	ts := types(i64, i64)
	w := runtime.GOMAXPROCS(0)
	b.SetBytes(int64(16 * rows))
	b.ReportAllocs()
	cpu0 := cpuTime()
	out := 0
	for range b.N {
		ins := splitReplay(ts, build, w)
		var jb *JoinBuild
		if partitioned {
			jb = NewPartitionedJoinBuild(ins, []int{0}, DefaultJoinPartBits(w), w)
		} else {
			jb = NewJoinBuild(ins, []int{0})
		}
		var ps []Operator
		for _, p := range splitReplay(ts, probe, w) {
			ps = append(ps, NewHashJoin(jb, p, []int{0}, JoinInner, []int{0, 1}, []int{1}, nil))
		}
		out = runOp(b, NewGather(ps))
	}
	reportPerRow(b, rows, cpu0)
	b.ReportMetric(float64(out)/float64(rows), "out/row")
}

// BenchmarkJoinProbeOnly probes a finished build (broadcast or
// partitioned) with one worker: the per-row lookup cost alone.
func BenchmarkJoinProbeOnly(b *testing.B) {
	for _, rows := range []int{64 << 10, 4 << 20} {
		build, probe := joinBenchInputs(rows, 1)
		for _, bits := range []uint{0, 2, 4, 6} {
			b.Run(fmt.Sprintf("rows=%s/bits=%d", humanCount(rows), bits), func(b *testing.B) {
				ts := types(i64, i64)
				var jb *JoinBuild
				if bits == 0 {
					jb = NewJoinBuild([]Operator{&replay{ts: ts, batches: build}}, []int{0})
				} else {
					jb = NewPartitionedJoinBuild(splitReplay(ts, build, 2), []int{0}, bits, 2)
				}
				jb.acquire() // keep the build alive across iterations
				if err := jb.ensure(context.Background()); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				cpu0 := cpuTime()
				for range b.N {
					j := NewHashJoin(jb, &replay{ts: ts, batches: probe}, []int{0}, JoinInner, []int{0, 1}, []int{1}, nil)
					runOp(b, j)
				}
				reportPerRow(b, rows, cpu0)
			})
		}
	}
}
