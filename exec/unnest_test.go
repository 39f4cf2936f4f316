package exec

import (
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// TestUnnest: rows become one row per element of their longest list, the
// shorter lists padded with NULLs; NULL and empty lists add nothing, and a
// row with more elements than a batch spans batches.
func TestUnnest(t *testing.T) {
	li := coldata.ListType(i64)
	ls := coldata.ListType(str)
	in := []row{
		{1, []any{10, 20, 30}, []any{"a"}},
		{2, nil, []any{"b", "c"}},
		{3, []any{}, nil},
		{4, []any{nil, 40}, []any{}},
		{5, nil, nil},
	}
	want := []row{
		{1, 10, "a"},
		{1, 20, nil},
		{1, 30, nil},
		{2, nil, "b"},
		{2, nil, "c"},
		{4, nil, nil},
		{4, 40, nil},
	}
	long := make([]any, 5000)
	for i := range long {
		long[i] = i
	}
	var wantLong []row
	for i := range long {
		wantLong = append(wantLong, row{7, i})
	}
	wantLong = append(wantLong, row{8, 1})
	nested := coldata.ListType(li)
	runCases(t, []opCase{{
		name:     "zip",
		types:    [][]coldata.Type{types(i64, li, ls)},
		inputs:   [][]row{in},
		expected: want,
		ordered:  true,
		mk:       func(ins [][]Operator) Operator { return NewUnnest(single(ins), []int{1, 2}) },
	}, {
		name:     "more than a batch",
		types:    [][]coldata.Type{types(i64, li)},
		inputs:   [][]row{{{7, long}, {8, []any{1}}}},
		expected: wantLong,
		ordered:  true,
		mk: func(ins [][]Operator) Operator {
			return NewUnnest(single(ins), []int{1})
		},
	}, {
		name:     "lists of lists",
		types:    [][]coldata.Type{types(i64, nested)},
		inputs:   [][]row{{{1, []any{[]any{1, 2}, nil, []any{}}}}},
		expected: []row{{1, []any{1, 2}}, {1, nil}, {1, []any{}}},
		ordered:  true,
		mk: func(ins [][]Operator) Operator {
			return NewUnnest(single(ins), []int{1})
		},
	}, {
		name:     "empty",
		types:    [][]coldata.Type{types(i64, li)},
		inputs:   [][]row{{{1, nil}, {2, []any{}}}},
		expected: nil,
		mk:       func(ins [][]Operator) Operator { return NewUnnest(single(ins), []int{1}) },
	}})
}
