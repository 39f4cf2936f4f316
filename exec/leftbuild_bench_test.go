package exec

import (
	"fmt"
	"math/rand"
	"testing"
)

// BenchmarkSemiJoinForms runs a SEMI and a LEFT join of a small left side
// (50K rows) with a large right side (2M rows, 1 in 40 matching) in both
// forms: the ordinary one hashes the right side, the left-build form the
// left. Two workers; cpu-ns/row is per right row.
func BenchmarkSemiJoinForms(b *testing.B) {
	const leftRows, rightRows = 50_000, 2_000_000
	rng := rand.New(rand.NewSource(3))
	lk, lv := make([]int64, leftRows), make([]int64, leftRows)
	for i := range lk {
		lk[i], lv[i] = int64(i*40), int64(i%7)
	}
	rk, rv := make([]int64, rightRows), make([]int64, rightRows)
	for i := range rk {
		rk[i], rv[i] = rng.Int63n(2*rightRows), int64(i%5)
	}
	left, right := int64Batches(lk, lv), int64Batches(rk, rv)
	ts := types(i64, i64)
	for _, typ := range []JoinType{JoinSemi, JoinLeft} {
		for _, res := range []*colCmpSel{nil, {a: 1, b: 3, op: "<>"}} {
			for _, form := range []string{"hash", "left-build"} {
				b.Run(fmt.Sprintf("%s/%s/residual=%v", typ, form, res != nil), func(b *testing.B) {
					s := leftBuildSpec{lk: []int{0}, rk: []int{0}, typ: typ, residual: res}
					b.ReportAllocs()
					cpu0 := cpuTime()
					for range b.N {
						ins := [][]Operator{splitReplay(ts, left, 2), splitReplay(ts, right, 2)}
						op := s.mkLeftBuild
						if form == "hash" {
							op = s.mkHash
						}
						if got := runOp(b, op(ins)); got == 0 {
							b.Fatal("no rows")
						}
					}
					reportPerRow(b, rightRows, cpu0)
				})
			}
		}
	}
}
