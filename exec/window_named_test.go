package exec

import (
	"slices"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// Named aggregates over frames, against the brute-force reference of
// window_test.go: first and string_agg see the frame's rows in order
// (first through the segment tree, string_agg folded per frame), bit_or
// merges tree nodes, median is holistic.
var namedWinSpec = winSpec{"named", []SortKey{{Col: wK}, {Col: wID}}, []planner.PhysWindowCall{
	{Func: planner.WinAggregate, Agg: planner.AggNamed, Name: "first", Args: []int{wV}, Typ: i64,
		Frame: frame(planner.FrameRows, planner.BoundPreceding, planner.BoundFollowing, wThree, wOne, planner.ExcludeCurrentRow)},
	{Func: planner.WinAggregate, Agg: planner.AggNamed, Name: "string_agg", Args: []int{wS}, Typ: str,
		Params: []coldata.Datum{{S: ","}},
		Frame:  frame(planner.FrameGroups, planner.BoundPreceding, planner.BoundCurrentRow, wOne, -1, planner.ExcludeNoOthers)},
	{Func: planner.WinAggregate, Agg: planner.AggNamed, Name: "bit_or", Args: []int{wV}, Typ: i64,
		Frame: frame(planner.FrameRange, planner.BoundPreceding, planner.BoundFollowing, wKlo, wKhi, planner.ExcludeNoOthers)},
	{Func: planner.WinAggregate, Agg: planner.AggNamed, Name: "median", Args: []int{wV}, Typ: f64,
		Frame: frame(planner.FrameRows, planner.BoundUnboundedPreceding, planner.BoundCurrentRow, -1, -1, planner.ExcludeTies)},
}}

// refNamed folds a frame's values (in order, NULLs included) by definition.
func refNamed(name string, vals []any) any {
	if name == "first" {
		if len(vals) == 0 {
			return nil
		}
		return vals[0]
	}
	var nonNull []any
	for _, v := range vals {
		if v != nil {
			nonNull = append(nonNull, v)
		}
	}
	if len(nonNull) == 0 {
		return nil
	}
	switch name {
	case "string_agg":
		ss := make([]string, len(nonNull))
		for k, v := range nonNull {
			ss[k] = v.(string)
		}
		return strings.Join(ss, ",")
	case "bit_or":
		r := 0
		for _, v := range nonNull {
			r |= v.(int)
		}
		return r
	case "median":
		xs := make([]float64, len(nonNull))
		for k, v := range nonNull {
			xs[k] = float64(v.(int))
		}
		slices.Sort(xs)
		m := len(xs) / 2
		if len(xs)%2 == 1 {
			return xs[m]
		}
		return xs[m-1] + (xs[m]-xs[m-1])/2
	}
	panic("refNamed: " + name)
}

func TestWindowNamedAggs(t *testing.T) {
	for _, partition := range []bool{true, false} {
		runCases(t, []opCase{winCase("named", winInput(150, 7, 4), partition, namedWinSpec)})
	}
	runCases(t, []opCase{winCase("named/empty", nil, true, namedWinSpec)})
	c := winCase("spill named", winInput(20000, 200, 9), true, namedWinSpec)
	runSpilling(t, c, 4<<20, true, func(ins [][]Operator, env memEnv) Operator {
		return withMemory(NewWindow(ins[0], []int{wP}, namedWinSpec.order, namedWinSpec.calls), env)
	})
}
