package exec

import (
	"fmt"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// ordered makes an ordered aggregate over arg by the keys, filtered by
// the BOOLEAN column filter (-1: none).
func ordered(s AggSpec, filter int, keys ...AggOrderKey) AggSpec {
	s.Order = keys
	if filter >= 0 {
		s.Filter, s.Filtered = filter, true
	}
	return s
}

// orderedAggsCase: key, VARCHAR value, BIGINT order key, BOOLEAN filter;
// the order keys are distinct within every group, so results do not
// depend on the order rows reach the groups.
func orderedAggsCase() ([]coldata.Type, []row, []AggSpec) {
	ts := types(i64, str, i64, coldata.TypeBool)
	in := []row{
		{1, "a", 3, true}, {1, "b", 1, false}, {1, "c", 2, true}, {1, nil, 4, true}, {1, "a", 5, false},
		{2, "d", 6, true}, {2, "e", 7, nil},
		{3, "f", nil, true},
	}
	asc, desc := AggOrderKey{Col: 2}, AggOrderKey{Col: 2, Desc: true}
	sep := coldata.Datum{S: ","}
	distinct := named("string_agg", 1, str, sep)
	distinct.Distinct = true
	aggs := []AggSpec{
		ordered(named("string_agg", 1, str, sep), -1, asc),
		ordered(named("string_agg", 1, str, sep), 3, desc),
		ordered(named("first", 1, str), -1, desc),
		ordered(named("last", 2, i64), -1, AggOrderKey{Col: 1}, asc),
		ordered(named("count_if", 3, coldata.TypeHugeint), 3),
		ordered(distinct, -1, AggOrderKey{Col: 1, Desc: true}),
	}
	return ts, in, aggs
}

// TestOrderedAggs: ORDER BY and FILTER inside named aggregates, grouped
// across workers, as partial states merged by a second task, ungrouped.
func TestOrderedAggs(t *testing.T) {
	ts, in, aggs := orderedAggsCase()
	grouped := []row{
		{1, "b,c,a,a", "a,c", "a", 4, 3, "c,b,a"},
		{2, "d,e", "d", "e", 7, 1, "e,d"},
		{3, "f", "f", "f", nil, 1, "f"},
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
		expected: grouped,
		mk:       twoLevel(ts, []int{0}, aggs...),
	}, {
		name:     "ungrouped",
		types:    [][]coldata.Type{ts},
		inputs:   [][]row{in},
		expected: []row{{"b,c,a,a,d,e,f", "d,a,c,f", "e", 4, 5, "f,e,d,c,b,a"}},
		workers:  2,
		mk:       func(ins [][]Operator) Operator { return NewHashAgg(ins[0], nil, aggs) },
	}, {
		name:     "ungrouped, empty",
		types:    [][]coldata.Type{ts},
		inputs:   [][]row{nil},
		expected: []row{{nil, nil, nil, nil, nil, nil}},
		mk:       func(ins [][]Operator) Operator { return NewHashAgg(ins[0], nil, aggs) },
	}})
}

// TestOrderedAggSpill: the kept rows of ordered aggregates spill as
// encoded blocks (and the filtered ones as their inner states) and merge
// back to the in-memory results. The aggregates give one answer whatever
// the order of ties: strings alike within a group, max-like firsts.
func TestOrderedAggSpill(t *testing.T) {
	ts, in := namedSpillInput(3000, 4)
	v, vDesc, f := AggOrderKey{Col: 1}, AggOrderKey{Col: 1, Desc: true, NullsFirst: true}, AggOrderKey{Col: 2}
	distinct := named("string_agg", 3, str, coldata.Datum{S: "|"})
	distinct.Distinct = true
	aggs := []AggSpec{
		ordered(named("first", 1, i64), -1, vDesc),
		ordered(named("last", 1, i64), 4, v),
		ordered(named("string_agg", 3, str, coldata.Datum{S: "|"}), -1, f, v),
		ordered(named("count_if", 4, coldata.TypeHugeint), 4),
		ordered(named("median", 1, f64), 4),
		ordered(distinct, -1, AggOrderKey{Col: 3}),
		ordered(named("arg_max", 3, str), 4, v),
	}
	aggs[6].Arg2 = 1
	for _, g := range []struct {
		groups []int
		limit  int64
		spill  bool
	}{{[]int{0}, 256 << 10, true}, {nil, 4 << 20, false}} {
		use := aggs
		if g.groups == nil {
			use = aggs[:2]
		}
		c, mk := aggSpillCase(fmt.Sprintf("ordered groups %v", g.groups), ts, in, g.groups, use...)
		c.expected = inMemory(t, c, mk)
		runSpilling(t, c, g.limit, g.spill, mk)
	}
}

// TestOrderedAggReaders: several readers finalize disjoint group ranges of
// the same ordered accumulators at once, from memory, flushed and spilled
// partitions.
func TestOrderedAggReaders(t *testing.T) {
	defer func(old int) { aggReadersForTest = old }(aggReadersForTest)
	aggReadersForTest = 3
	t.Run("spill", TestOrderedAggSpill)
	defer func(old int) { flushGroups = old }(flushGroups)
	flushGroups = 16
	t.Run("flushed spill", TestOrderedAggSpill)
}
