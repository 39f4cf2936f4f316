package exec

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// refSort orders rows by keys with a Datum-based reference comparator.
func refSort(ts []coldata.Type, rows []row, keys []SortKey) []row {
	ds := datums(ts, rows)
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		for _, k := range keys {
			x, y := ds[a][k.Col], ds[b][k.Col]
			var c int
			switch {
			case x.Null && y.Null:
				c = 0
			case x.Null || y.Null:
				c = 1
				if x.Null == k.NullsFirst {
					c = -1
				}
			default:
				if ts[k.Col].ID == coldata.Float64 {
					c = cmpFloat(x.F, y.F)
				} else {
					c = coldata.Compare(ts[k.Col], x, y)
				}
				if k.Desc {
					c = -c
				}
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	out := make([]row, len(rows))
	for i, j := range idx {
		out[i] = rows[j]
	}
	return out
}

func keyCols(keys []SortKey) []int {
	var cs []int
	for _, k := range keys {
		cs = append(cs, k.Col)
	}
	return cs
}

func sortCase(name string, ts []coldata.Type, rows []row, keys []SortKey) opCase {
	return opCase{name: name, types: [][]coldata.Type{ts}, inputs: [][]row{rows},
		expected: refSort(ts, rows, keys), orderedCols: keyCols(keys), workers: 3,
		mk: func(ins [][]Operator) Operator { return NewSort(ins[0], keys) }}
}

func topNCase(name string, ts []coldata.Type, rows []row, keys []SortKey, n int) opCase {
	exp := refSort(ts, rows, keys)
	if n < len(exp) {
		exp = exp[:n]
	}
	return opCase{name: name, types: [][]coldata.Type{ts}, inputs: [][]row{rows},
		expected: exp, orderedCols: keyCols(keys), keysOnly: true, workers: 3,
		mk: func(ins [][]Operator) Operator { return NewTopN(ins[0], keys, int64(n)) }}
}

func sortInput(n int, seed int64) []row {
	rng := rand.New(rand.NewSource(seed))
	words := []string{"apple", "apples", "applesauce-long", "applesauce-longer", "b", "", "zz", "Zebra"}
	return seq(n, func(i int) row {
		r := row{rng.Intn(20) - 10, words[rng.Intn(len(words))], float64(rng.Intn(7)) / 4, i, "1990-01-01"}
		if rng.Intn(6) == 0 {
			r[0] = nil
		}
		if rng.Intn(6) == 0 {
			r[1] = nil
		}
		switch rng.Intn(10) {
		case 0:
			r[2] = nil
		case 1:
			r[2] = math.NaN()
		case 2:
			r[2] = math.Inf(-1)
		case 3:
			r[2] = math.Copysign(0, -1)
		}
		r[4] = fmt.Sprintf("199%d-0%d-1%d", rng.Intn(10), 1+rng.Intn(9), rng.Intn(10))
		return r
	})
}

var sortTypes = types(i64, str, f64, i64, dt)

var sortKeySets = map[string][]SortKey{
	"int":              {{Col: 0}},
	"int desc nf":      {{Col: 0, Desc: true, NullsFirst: true}},
	"str":              {{Col: 1}},
	"str desc":         {{Col: 1, Desc: true}},
	"float":            {{Col: 2}},
	"float desc nf":    {{Col: 2, Desc: true, NullsFirst: true}},
	"int,str desc":     {{Col: 0}, {Col: 1, Desc: true}},
	"str nf,int desc":  {{Col: 1, NullsFirst: true}, {Col: 0, Desc: true, NullsFirst: true}},
	"date desc,float":  {{Col: 4, Desc: true}, {Col: 2}},
	"unique":           {{Col: 3, Desc: true}},
	"int,float,str,id": {{Col: 0}, {Col: 2, Desc: true}, {Col: 1}, {Col: 3}},
}

func TestSort(t *testing.T) {
	in := sortInput(300, 1)
	var cases []opCase
	for name, keys := range sortKeySets {
		cases = append(cases, sortCase(name, sortTypes, in, keys))
	}
	cases = append(cases,
		sortCase("empty", sortTypes, nil, sortKeySets["int"]),
		sortCase("all null", types(i64, str), []row{{nil, "a"}, {nil, "b"}, {nil, nil}}, []SortKey{{Col: 0}, {Col: 1}}),
		sortCase("bool", types(coldata.TypeBool), []row{{true}, {false}, {nil}, {true}}, []SortKey{{Col: 0}}),
		sortCase("no keys", types(i64), []row{{1}, {2}}, nil),
	)
	runCases(t, cases)
}

// TestSortLarge exercises the radix path (≥ 256 rows) and multi-batch output.
func TestSortLarge(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	in := seq(6000, func(i int) row {
		if i%97 == 0 {
			return row{nil, i}
		}
		return row{rng.Intn(1 << 20), i}
	})
	big := seq(3000, func(i int) row { return row{(rng.Intn(3) - 1) * (rng.Intn(1<<30) << 30), i} })
	for _, c := range []opCase{
		sortCase("asc", types(i64, i64), in, []SortKey{{Col: 0}}),
		sortCase("desc nulls first", types(i64, i64), in, []SortKey{{Col: 0, Desc: true, NullsFirst: true}}),
		sortCase("wide", types(i64, i64), big, []SortKey{{Col: 0}}),
		sortCase("mixed", sortTypes, sortInput(5000, 3), sortKeySets["int,float,str,id"]),
		topNCase("topn", types(i64, i64), in, []SortKey{{Col: 0, Desc: true}}, 2500),
		fullRows(topNCase("topn compacting", types(i64, i64), in, []SortKey{{Col: 1}}, 5)),
		fullRows(topNCase("topn compacting desc", types(i64, i64), in, []SortKey{{Col: 1, Desc: true}}, 3)),
	} {
		for _, bs := range []int{3, 1024} {
			runVariant(t, c, c.name, 1, bs, true)
		}
	}
}

func fullRows(c opCase) opCase { c.keysOnly = false; return c }

func TestTopN(t *testing.T) {
	in := sortInput(200, 2)
	var cases []opCase
	for name, keys := range sortKeySets {
		for _, n := range []int{0, 7, 199, 1000} {
			cases = append(cases, topNCase(fmt.Sprintf("%s n=%d", name, n), sortTypes, in, keys, n))
		}
	}
	// Full-row comparison where keys are unique.
	u := topNCase("unique full rows", sortTypes, in, sortKeySets["unique"], 50)
	u.keysOnly = false
	cases = append(cases, u, topNCase("empty", sortTypes, nil, sortKeySets["int"], 5))
	runCases(t, cases)
}

// TestTopNState: the kept state stays near n rows however long the input.
func TestTopNState(t *testing.T) {
	in := &endless{}
	*in = *newEndless()
	op := NewLimit(NewTopN([]Operator{NewLimit(in, 0, 200000)}, []SortKey{{Col: 0, Desc: true}}, 10), 0, -1)
	rows, err := drain(context.Background(), op)
	if err != nil || len(rows) != 10 || rows[0] != "99" {
		t.Fatalf("%v %v", rows, err)
	}
	tn := op.(*limitOp).child.(*topN)
	if pk := tn.OpStats().PeakBytes; pk > 200<<10 {
		t.Fatalf("top-10 held %d bytes", pk)
	}
	_ = op.Close()
}

// TestSortParallel sorts ranges on several threads and merges them
// pairwise at merge-path splits: odd and even range counts, duplicate keys,
// NULLs and strings, every worker count and batch size of the harness.
func TestSortParallel(t *testing.T) {
	defer func(old int) { minParallelSortRows = old }(minParallelSortRows)
	minParallelSortRows = 64
	in := sortInput(3000, 11)
	for _, threads := range []int{2, 3, 5} {
		for _, name := range []string{"int", "int,float,str,id", "str nf,int desc"} {
			keys := sortKeySets[name]
			c := sortCase(fmt.Sprintf("threads=%d %s", threads, name), sortTypes, in, keys)
			c.mk = func(ins [][]Operator) Operator {
				s := NewSort(ins[0], keys).(*sortOp)
				s.threads = threads
				return s
			}
			// Batch size 1 would make this slow without adding coverage.
			for _, w := range []int{1, 3} {
				for _, bs := range []int{3, 1024} {
					runVariant(t, c, fmt.Sprintf("%s/w=%d/bs=%d", c.name, w, bs), w, bs, true)
				}
			}
		}
	}
}

// TestMergeSplit checks every merge-path split of two sorted runs against
// a sequential merge.
func TestMergeSplit(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	vals := make([]int64, 400)
	for i := range vals {
		vals[i] = int64(rng.Intn(40))
	}
	v := &coldata.Vec{Type: i64, I64: vals}
	cmp := comparator([]*coldata.Vec{v}, []SortKey{{Col: 0}})
	var a, b []int32
	for i := range int32(len(vals)) {
		if rng.Intn(3) == 0 {
			a = append(a, i)
		} else {
			b = append(b, i)
		}
	}
	slices.SortFunc(a, cmp)
	slices.SortFunc(b, cmp)
	whole := make([]int32, len(a)+len(b))
	mergeInto(whole, a, b, cmp)
	for d := 0; d <= len(whole); d++ {
		i := mergeSplit(a, b, d, cmp)
		if i < 0 || i > len(a) || d-i < 0 || d-i > len(b) {
			t.Fatalf("d=%d: split %d out of range", d, i)
		}
		got := make([]int32, d)
		mergeInto(got, a[:i], b[:d-i], cmp)
		for k := range got {
			if cmp(got[k], whole[k]) != 0 {
				t.Fatalf("d=%d: prefix differs at %d", d, k)
			}
		}
	}
}
