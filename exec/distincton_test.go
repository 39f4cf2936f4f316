package exec

import (
	"math"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// TestDistinctOn: the first row of each run of equal keys passes, across
// batch boundaries and with NULL keys equal to each other.
func TestDistinctOn(t *testing.T) {
	mk := func(keys ...int) func([][]Operator) Operator {
		return func(ins [][]Operator) Operator { return NewDistinctOn(single(ins), keys) }
	}
	sorted := seq(40, func(i int) row { return row{i / 7, "s" + string(rune('a'+i%7)), i} })
	var firsts []row
	for i := 0; i < 40; i += 7 {
		firsts = append(firsts, sorted[i])
	}
	ts := types(i64, str, i64)
	runCases(t, []opCase{
		{name: "int key", types: [][]coldata.Type{ts}, inputs: [][]row{sorted}, expected: firsts, ordered: true, mk: mk(0)},
		{name: "all keys", types: [][]coldata.Type{ts}, inputs: [][]row{sorted}, expected: sorted, ordered: true, mk: mk(0, 1)},
		{name: "nulls", types: [][]coldata.Type{types(str, i64)},
			inputs:   [][]row{{{"a", 1}, {"a", 2}, {nil, 3}, {nil, 4}, {"b", 5}, {nil, 6}}},
			expected: []row{{"a", 1}, {nil, 3}, {"b", 5}, {nil, 6}}, ordered: true, mk: mk(0)},
		{name: "two keys", types: [][]coldata.Type{types(i64, str, i64)},
			inputs:   [][]row{{{1, "x", 1}, {1, "x", 2}, {1, nil, 3}, {2, nil, 4}, {2, nil, 5}, {2, "y", 6}}},
			expected: []row{{1, "x", 1}, {1, nil, 3}, {2, nil, 4}, {2, "y", 6}}, ordered: true, mk: mk(0, 1)},
		{name: "floats", types: [][]coldata.Type{types(f64, i64)},
			inputs:   [][]row{{{1.5, 1}, {1.5, 2}, {math.NaN(), 3}, {math.NaN(), 4}, {nil, 5}}},
			expected: []row{{1.5, 1}, {math.NaN(), 3}, {nil, 5}}, ordered: true, mk: mk(0)},
		{name: "dates and decimals", types: [][]coldata.Type{types(dt, coldata.DecimalType(15, 2), i64)},
			inputs:   [][]row{{{"1994-01-01", "1.50", 1}, {"1994-01-01", "1.50", 2}, {"1994-01-01", "2.00", 3}, {"1995-01-01", "2.00", 4}}},
			expected: []row{{"1994-01-01", "1.50", 1}, {"1994-01-01", "2.00", 3}, {"1995-01-01", "2.00", 4}}, ordered: true, mk: mk(0, 1)},
		{name: "empty", types: [][]coldata.Type{ts}, inputs: [][]row{nil}, expected: nil, mk: mk(0)},
	})
}
