package exec

import (
	"fmt"
	"math"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// TestArgMinMaxNullVariants: arg_min_null/arg_max_null keep rows whose
// value is NULL, the _nulls_last forms also rows whose key is NULL (after
// every other key), in memory, across two tasks (states stored and loaded)
// and spilled. Non-NULL keys are distinct, so no ties decide a result.
func TestArgMinMaxNullVariants(t *testing.T) {
	ts := types(i64, str, i64)
	var in []row
	for k := range 2000 {
		var v, key any = fmt.Sprintf("v%d", k), (k * 7919) % 2003
		if k%3 == 0 {
			v = nil
		}
		if k%7 == 0 {
			key = nil
		}
		in = append(in, row{k % 500, v, key})
	}
	aggs := []AggSpec{pairAgg("arg_min_null", 1, 2, str), pairAgg("arg_max_null", 1, 2, str),
		pairAgg("arg_min_nulls_last", 1, 2, str), pairAgg("arg_max_nulls_last", 1, 2, str)}
	small := []row{{1, "a", 3}, {1, nil, 1}, {1, "c", nil}, {2, "d", nil}, {2, "e", 4}, {3, "f", nil}}
	runCases(t, []opCase{{
		name:   "grouped",
		types:  [][]coldata.Type{ts},
		inputs: [][]row{small},
		expected: []row{
			{1, nil, "a", nil, "a"},
			{2, "e", "e", "e", "e"},
			{3, nil, nil, "f", "f"},
		},
		workers: 2,
		mk:      func(ins [][]Operator) Operator { return NewHashAgg(ins[0], []int{0}, aggs) },
	}, {
		name:     "two tasks",
		types:    [][]coldata.Type{ts, ts},
		inputs:   [][]row{small[:3], small[3:]},
		expected: []row{{nil, "e", nil, "e"}},
		mk:       twoLevel(ts, nil, aggs[0], aggs[1], aggs[2], aggs[3]),
	}})
	c, mk := aggSpillCase("argnulls", ts, in, []int{0}, aggs...)
	c.expected = inMemory(t, c, mk)
	runSpilling(t, c, 128<<10, true, mk)
}

// TestWeightedAvg: weighted_avg under the harness, across two tasks and
// spilled (integer-valued doubles: the sums are exact in any order).
func TestWeightedAvg(t *testing.T) {
	ts := types(i64, f64, f64)
	var in []row
	for k := range 3000 {
		var x any = float64(k % 13)
		if k%10 == 0 {
			x = nil
		}
		in = append(in, row{k % 700, x, float64(k%4 + 1)})
	}
	aggs := []AggSpec{pairAgg("weighted_avg", 1, 2, f64)}
	small := []row{{1, 1.0, 2.0}, {1, 3.0, nil}, {1, nil, 1.0}, {1, 5.0, 1.0}, {2, 4.0, 0.0}, {3, nil, nil}}
	runCases(t, []opCase{{
		name:     "grouped",
		types:    [][]coldata.Type{ts},
		inputs:   [][]row{small},
		expected: []row{{1, 7.0 / 3}, {2, math.NaN()}, {3, nil}},
		workers:  2,
		mk:       func(ins [][]Operator) Operator { return NewHashAgg(ins[0], []int{0}, aggs) },
	}, {
		name:     "two tasks",
		types:    [][]coldata.Type{ts, ts},
		inputs:   [][]row{small[:2], small[2:4]},
		expected: []row{{7.0 / 3}},
		mk:       twoLevel(ts, nil, aggs[0]),
	}})
	c, mk := aggSpillCase("wavg", ts, in, []int{0}, aggs...)
	c.expected = inMemory(t, c, mk)
	runSpilling(t, c, 128<<10, true, mk)
}
