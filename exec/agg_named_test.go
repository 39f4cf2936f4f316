package exec

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

func named(name string, arg int, out coldata.Type, params ...coldata.Datum) AggSpec {
	return AggSpec{Func: AggNamed, Name: name, Arg: arg, Out: out, Params: params}
}

// log2Entropy is the entropy of n equally frequent values, summed as the
// accumulator sums it.
func log2Entropy(n int) float64 {
	var e float64
	p := 1 / float64(n)
	for range n {
		e -= p * math.Log2(p)
	}
	return e
}

// namedAggsCase: key, BIGINT, DOUBLE, VARCHAR, BOOLEAN rows whose results
// do not depend on the order rows reach the groups (string_agg and
// any_value see one distinct value per group; the moments stay exact).
func namedAggsCase() ([]coldata.Type, []row, []AggSpec) {
	ts := types(i64, i64, f64, str, coldata.TypeBool)
	in := []row{
		{1, 10, 2.0, "a", true}, {1, 20, 4.0, "a", true}, {1, 30, nil, "a", false},
		{2, 5, 1.0, "b", nil}, {2, nil, 3.0, "b", false},
		{3, 7, nil, nil, nil},
		{nil, 1, 8.0, "c", true},
	}
	half := coldata.Datum{F: 0.5}
	aggs := []AggSpec{
		named("median", 1, f64), named("quantile_disc", 1, i64, half), named("quantile_cont", 1, f64, coldata.Datum{F: 0.25}),
		named("mode", 3, str), named("entropy", 1, f64), named("string_agg", 3, str, coldata.Datum{S: ","}),
		named("bool_and", 4, coldata.TypeBool), named("bool_or", 4, coldata.TypeBool), named("count_if", 4, coldata.TypeHugeint),
		named("bit_or", 1, i64), named("bit_xor", 1, i64), named("product", 2, f64), named("var_pop", 2, f64),
		named("var_samp", 2, f64), named("approx_count_distinct", 1, i64), named("any_value", 3, str),
		{Func: AggNamed, Name: "median", Arg: 1, Out: f64, Distinct: true},
	}
	return ts, in, aggs
}

func TestNamedAggs(t *testing.T) {
	ts, in, aggs := namedAggsCase()
	e3 := log2Entropy(3)
	grouped := []row{
		{1, 20.0, 20, 15.0, "a", e3, "a,a,a", false, true, 2, 30, 0, 8.0, 1.0, 2.0, 3, "a", 20.0},
		{2, 5.0, 5, 5.0, "b", 0.0, "b,b", false, false, 0, 5, 5, 3.0, 1.0, 2.0, 1, "b", 5.0},
		{3, 7.0, 7, 7.0, nil, 0.0, nil, nil, nil, nil, 7, 7, nil, nil, nil, 1, nil, 7.0},
		{nil, 1.0, 1, 1.0, "c", 0.0, "c", true, true, 1, 1, 1, 8.0, 0.0, nil, 1, "c", 1.0},
	}
	runCases(t, []opCase{{
		name:     "grouped",
		types:    [][]coldata.Type{ts},
		inputs:   [][]row{in},
		expected: grouped,
		workers:  2,
		mk:       func(ins [][]Operator) Operator { return NewHashAgg(ins[0], []int{0}, aggs) },
	}, {
		name:     "grouped, two tasks",
		types:    [][]coldata.Type{ts, ts},
		inputs:   [][]row{in[:3], in[3:]},
		expected: withoutLast(grouped),
		mk:       twoLevel(ts, []int{0}, aggs[:16]...),
	}, {
		name:     "ungrouped",
		types:    [][]coldata.Type{ts},
		inputs:   [][]row{in},
		expected: []row{{8.5, 7, 5.5, "a", log2Entropy(6), false, true, 3, 31, 3, 192.0, 6, 8.5}},
		workers:  2,
		mk: func(ins [][]Operator) Operator {
			return NewHashAgg(ins[0], nil, []AggSpec{aggs[0], aggs[1], aggs[2], aggs[3], aggs[4], aggs[6], aggs[7], aggs[8],
				aggs[9], aggs[10], aggs[11], aggs[14], aggs[16]})
		},
	}, {
		name:     "ungrouped, empty",
		types:    [][]coldata.Type{ts},
		inputs:   [][]row{nil},
		expected: []row{{nil, nil, nil, nil, 0.0, nil, nil, nil, nil, nil, nil, nil, nil, nil, 0, nil, nil}},
		mk:       func(ins [][]Operator) Operator { return NewHashAgg(ins[0], nil, aggs) },
	}})
}

// namedSpillInput: groups of perKey rows; a group's strings are all alike
// (string_agg and mode are then order-free), its numbers are not.
func namedSpillInput(groups, perKey int) ([]coldata.Type, []row) {
	ts := types(i64, i64, f64, str, coldata.TypeBool)
	var in []row
	for i := range groups * perKey {
		k := (i * 7919) % groups
		var v any = (i * 31) % 1000
		if i%13 == 0 {
			v = nil
		}
		in = append(in, row{k, v, float64(i%7 - 3), fmt.Sprintf("s%05d", k%977), i%3 == 0})
	}
	return ts, in
}

// TestNamedAggSpill: the holistic states (value lists, HyperLogLog
// sketches) and the others spill under a small limit and merge back to
// the in-memory results, grouped and not.
func TestNamedAggSpill(t *testing.T) {
	ts, in := namedSpillInput(3000, 4)
	q := coldata.Datum{F: 0.3}
	aggs := []AggSpec{
		named("median", 1, f64), named("quantile_disc", 1, i64, q), named("quantile_cont", 1, f64, q),
		named("mode", 3, str), named("entropy", 1, f64), named("string_agg", 3, str, coldata.Datum{S: "|"}),
		named("count_if", 4, coldata.TypeHugeint), named("bit_xor", 1, i64), named("approx_count_distinct", 1, i64),
		named("any_value", 3, str), named("kurtosis", 2, f64), named("bool_or", 4, coldata.TypeBool),
		{Func: AggNamed, Name: "median", Arg: 1, Out: f64, Distinct: true},
	}
	for _, g := range []struct {
		groups []int
		limit  int64
		spill  bool
	}{{[]int{0}, 256 << 10, true}, {nil, 4 << 20, false}} {
		use := aggs
		if g.groups == nil {
			// One group sees every string: string_agg, mode and any_value
			// would depend on the order rows arrive in.
			use = []AggSpec{aggs[0], aggs[1], aggs[2], aggs[4], aggs[6], aggs[7], aggs[8], aggs[10], aggs[11], aggs[12]}
		}
		c, mk := aggSpillCase(fmt.Sprintf("named groups %v", g.groups), ts, in, g.groups, use...)
		c.expected = inMemory(t, c, mk)
		runSpilling(t, c, g.limit, g.spill, mk)
	}
}

func withoutLast(rs []row) []row {
	out := make([]row, len(rs))
	for i, r := range rs {
		out[i] = r[:len(r)-1]
	}
	return out
}

// TestSelectKth: selection puts the sorted order's k-th value at k, with
// nothing larger before it nor smaller after it, on random inputs with and
// without duplicates, sorted and reversed ones.
func TestSelectKth(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for trial := range 300 {
		n := 1 + rng.Intn(200)
		vals := make([]int64, n)
		for i := range vals {
			vals[i] = int64(rng.Intn(1 + trial%50*n/10))
		}
		switch trial % 5 {
		case 1:
			slices.Sort(vals)
		case 2:
			slices.Sort(vals)
			slices.Reverse(vals)
		}
		sorted := slices.Sorted(slices.Values(vals))
		k := rng.Intn(n)
		got := slices.Clone(vals)
		selectKth(got, k)
		if got[k] != sorted[k] {
			t.Fatalf("trial %d: k=%d got %d want %d", trial, k, got[k], sorted[k])
		}
		if slices.Max(got[:k+1]) != got[k] || slices.Min(got[k:]) != got[k] {
			t.Fatalf("trial %d: k=%d not partitioned", trial, k)
		}
	}
}

func pairAgg(name string, arg, arg2 int, out coldata.Type) AggSpec {
	return AggSpec{Func: AggNamed, Name: name, Arg: arg, Arg2: arg2, Out: out}
}

// TestPairAggs: arg_min/arg_max and the (y, x) statistics under the
// harness and the spill harness. Every group has two rows of small
// integers, so the moments are exact whatever order rows merge in, and
// distinct keys leave arg_min no ties.
func TestPairAggs(t *testing.T) {
	ts := types(i64, str, i64, f64, f64)
	var in []row
	for k := range 2000 {
		var y any = float64(k % 7)
		if k%11 == 0 {
			y = nil
		}
		in = append(in, row{k % 1000, fmt.Sprintf("v%d", k), k, y, float64(k % 5)})
	}
	aggs := []AggSpec{pairAgg("arg_min", 1, 2, str), pairAgg("arg_max", 1, 2, str), pairAgg("arg_max", 2, 3, i64),
		pairAgg("covar_pop", 3, 4, f64), pairAgg("covar_samp", 3, 4, f64), pairAgg("regr_sxy", 3, 4, f64),
		pairAgg("regr_avgx", 3, 4, f64), pairAgg("regr_sxx", 3, 4, f64)}
	small := []row{{1, "a", 3, 1.0, 2.0}, {1, "b", 1, 3.0, 4.0}, {2, nil, 0, 5.0, 1.0}, {2, "d", 5, nil, 3.0}, {3, "e", nil, nil, nil}}
	runCases(t, []opCase{{
		name:   "grouped",
		types:  [][]coldata.Type{ts},
		inputs: [][]row{small},
		expected: []row{
			{1, "b", "a", 1, 1.0, 2.0, 2.0, 3.0, 2.0},
			{2, "d", "d", 0, 0.0, nil, 0.0, 1.0, 0.0},
			{3, nil, nil, nil, nil, nil, nil, nil, nil},
		},
		workers: 2,
		mk:      func(ins [][]Operator) Operator { return NewHashAgg(ins[0], []int{0}, aggs) },
	}, {
		name:     "two tasks",
		types:    [][]coldata.Type{ts, ts},
		inputs:   [][]row{small[:1], small[1:]},
		expected: []row{{"b", "d", 0, -2.0 / 3, -1.0, -2.0, 7.0 / 3, 4.666666666666667}},
		mk:       twoLevel(ts, nil, aggs[0], aggs[1], aggs[2], aggs[3], aggs[4], aggs[5], aggs[6], aggs[7]),
	}})
	c, mk := aggSpillCase("pairs", ts, in, []int{0}, aggs...)
	c.expected = inMemory(t, c, mk)
	runSpilling(t, c, 128<<10, true, mk)
}
