package scan

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// TestFilterInLongLists checks the hash-set path of IN lists longer than
// inListLinear against the linear one, with duplicates, negative and
// extreme values, with and without a selection.
func TestFilterInLongLists(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	for _, size := range []int{inListLinear + 1, 20, 64, 300} {
		list := make([]int64, size)
		for i := range list {
			list[i] = rng.Int63n(2000) - 1000
		}
		list[0], list[1], list[2] = -1<<63, 1<<63-1, list[5] // extremes and a duplicate
		vals := make([]int64, 4096)
		for i := range vals {
			vals[i] = rng.Int63n(2200) - 1100
		}
		vals[7], vals[8] = -1<<63, 1<<63-1
		var sel []int32
		for i := range vals {
			if rng.Intn(3) == 0 {
				sel = append(sel, int32(i))
			}
		}
		v32, l32 := make([]int32, len(vals)), make([]int32, len(list))
		for i, x := range vals {
			v32[i] = int32(x)
		}
		for i, x := range list {
			l32[i] = int32(x)
		}
		for _, s := range [][]int32{nil, sel} {
			if got, want := filterIn(nil, s, len(vals), vals, list, nil), inRef(s, vals, list); !slices.Equal(got, want) {
				t.Fatalf("int64 list of %d, sel %v: %d rows kept, want %d", size, s != nil, len(got), len(want))
			}
			// The reader's path: the list hashed once from the predicate.
			p := Predicate{Op: OpIn}
			for _, x := range list {
				p.Vals = append(p.Vals, coldata.Datum{I: x})
			}
			if got, want := filterIn(nil, s, len(vals), vals, list, inSetFor(&p, coldata.TypeInt64)), inRef(s, vals, list); !slices.Equal(got, want) {
				t.Fatalf("int64 list of %d hashed once, sel %v: %d rows kept, want %d", size, s != nil, len(got), len(want))
			}
			if got, want := filterIn(nil, s, len(v32), v32, l32, nil), inRef(s, v32, l32); !slices.Equal(got, want) {
				t.Fatalf("int32 list of %d, sel %v: %d rows kept, want %d", size, s != nil, len(got), len(want))
			}
		}
	}
}

// inRef is IN by a map, the reference for filterIn.
func inRef[T int32 | int64](sel []int32, vals, list []T) []int32 {
	m := map[T]bool{}
	for _, x := range list {
		m[x] = true
	}
	var out []int32
	for i, x := range vals {
		if (sel == nil || slices.Contains(sel, int32(i))) && m[x] {
			out = append(out, int32(i))
		}
	}
	return out
}

// BenchmarkFilterInList: a runtime filter's IN list of 57 join keys over
// a batch of 4096 keys (Q18 at SF 1 evaluates this on 4.3M rows).
func BenchmarkFilterInList(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	vals := make([]int64, 4096)
	for i := range vals {
		vals[i] = rng.Int63n(6_000_000)
	}
	list := make([]int64, 57)
	for i := range list {
		list[i] = rng.Int63n(6_000_000)
	}
	list[3] = vals[100]
	p := Predicate{Op: OpIn}
	for _, x := range list {
		p.Vals = append(p.Vals, coldata.Datum{I: x})
	}
	set := inSetFor(&p, coldata.TypeInt64) // as a reader does, once
	out := make([]int32, 0, 4096)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out = filterIn(out[:0], nil, len(vals), vals, list, set)
	}
	if len(out) == 0 {
		b.Fatal("nothing kept")
	}
}
