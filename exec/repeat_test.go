package exec

import (
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// TestRepeat: each row comes back count times (NULL, zero and negative
// counts: none), also across output batches when a count exceeds one.
func TestRepeat(t *testing.T) {
	in := seq(12, func(i int) row {
		var n any = i%4 - 1 // -1, 0, 1, 2
		if i == 5 {
			n = nil
		}
		return row{i, "s", n}
	})
	var want []row
	for _, r := range in {
		if n, ok := r[2].(int); ok {
			for range n {
				want = append(want, r)
			}
		}
	}
	big := []row{{7, nil, 5000}, {8, "x", 1}}
	var wantBig []row
	for range 5000 {
		wantBig = append(wantBig, big[0])
	}
	wantBig = append(wantBig, big[1])
	runCases(t, []opCase{{
		name:     "counts",
		types:    [][]coldata.Type{types(i64, str, i64)},
		inputs:   [][]row{in},
		expected: want,
		ordered:  true,
		mk:       func(ins [][]Operator) Operator { return NewRepeat(single(ins), 2) },
	}, {
		name:     "more than a batch",
		types:    [][]coldata.Type{types(i64, str, i64)},
		inputs:   [][]row{big},
		expected: wantBig,
		ordered:  true,
		mk:       func(ins [][]Operator) Operator { return NewRepeat(single(ins), 2) },
	}, {
		name:     "all null",
		types:    [][]coldata.Type{types(i64, i64)},
		inputs:   [][]row{seq(5, func(int) row { return row{nil, nil} })},
		expected: nil,
		mk:       func(ins [][]Operator) Operator { return NewRepeat(single(ins), 1) },
	}})
}
