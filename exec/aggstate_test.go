package exec

import (
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// twoLevel aggregates each input separately (as two tasks would), then
// merges the partial states of both: the distributed form of one hash
// aggregation over the union of the inputs.
func twoLevel(inTypes []coldata.Type, groups []int, aggs ...AggSpec) func([][]Operator) Operator {
	return func(ins [][]Operator) Operator {
		var parts []Operator
		for _, in := range ins {
			parts = append(parts, NewPartialAgg(in, groups, aggs))
		}
		return NewFinalAgg(NewGather(parts), inTypes, groups, aggs)
	}
}

func TestPartialFinalAgg(t *testing.T) {
	d182 := coldata.DecimalType(18, 2)
	d382 := coldata.DecimalType(38, 2)
	in := []row{{1, 10}, {2, 20}, {1, nil}, {3, 5}, {nil, 7}, {2, -4}, {1, 30}, {nil, nil}, {4, nil}}
	all := []AggSpec{countStar(), agg(AggCount, 1, i64), agg(AggSum, 1, i64), agg(AggAvg, 1, f64),
		agg(AggMin, 1, i64), agg(AggMax, 1, i64)}
	tt := types(i64, i64)
	// Each task's DECIMAL sum overflows 64 bits; the total does not, as in
	// one local aggregation, whose 128-bit state the partials carry.
	big := "90000000000000000.00"
	runCases(t, []opCase{{
		name:   "grouped, two tasks",
		types:  [][]coldata.Type{tt, tt},
		inputs: [][]row{in[:4], in[4:]},
		expected: []row{
			{1, 3, 2, 40, 20.0, 10, 30},
			{2, 2, 2, 16, 8.0, -4, 20},
			{3, 1, 1, 5, 5.0, 5, 5},
			{4, 1, 0, nil, nil, nil, nil},
			{nil, 2, 1, 7, 7.0, 7, 7},
		},
		workers: 2,
		mk:      twoLevel(tt, []int{0}, all...),
	}, {
		name:     "ungrouped, one task empty",
		types:    [][]coldata.Type{tt, tt},
		inputs:   [][]row{in, nil},
		expected: []row{{9, 6, 68, 68.0 / 6, -4, 30}},
		mk:       twoLevel(tt, nil, all...),
	}, {
		name:     "ungrouped, all empty",
		types:    [][]coldata.Type{tt},
		inputs:   [][]row{nil},
		expected: []row{{0, 0, nil, nil, nil, nil}},
		mk:       twoLevel(tt, nil, all...),
	}, {
		name:  "decimal sums past 64 bits per task",
		types: [][]coldata.Type{types(i64, d182), types(i64, d182)},
		inputs: [][]row{
			{{1, big}, {1, big}, {1, big}},
			{{1, "-" + big}, {1, "-" + big}, {1, "-" + big}, {1, "1.25"}},
		},
		expected: []row{{1, "1.25", 1.25 / 7}},
		mk: twoLevel(types(i64, d182), []int{0}, agg(AggSum, 1, d382),
			agg(AggAvg, 1, f64)),
	}})
}
