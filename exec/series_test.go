package exec

import (
	"math"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// TestSeries: range/generate_series values, ascending and descending,
// with the stop excluded or included, across batches, stopping before
// int64 overflow, and timestamps stepping by months (clamped days, each
// step added to the previous value).
func TestSeries(t *testing.T) {
	ints := func(vs ...int) []row {
		out := make([]row, len(vs))
		for i, v := range vs {
			out[i] = row{v}
		}
		return out
	}
	long := seq(2500, func(i int) row { return row{3 * i} })
	day := int64(86400e6)
	ts := coldata.Type{ID: coldata.Timestamp}
	jan30 := 18291 * day // 2020-01-30
	cases := []struct {
		name string
		s    Series
		want []row
	}{
		{"range", Series{Typ: i64, Stop: 4, Step: 1}, ints(0, 1, 2, 3)},
		{"inclusive", Series{Typ: i64, Start: 1, Stop: 7, Step: 3, Inclusive: true}, ints(1, 4, 7)},
		{"descending", Series{Typ: i64, Start: 5, Stop: 0, Step: -2}, ints(5, 3, 1)},
		{"descending inclusive", Series{Typ: i64, Start: 4, Stop: 0, Step: -2, Inclusive: true}, ints(4, 2, 0)},
		{"empty", Series{Typ: i64, Start: 5, Stop: 1, Step: 1}, nil},
		{"null argument", Series{Typ: i64, Stop: 10, Step: 1, Empty: true}, nil},
		{"batches", Series{Typ: i64, Stop: 7500, Step: 3}, long},
		{"overflow", Series{Typ: i64, Start: math.MaxInt64 - 4, Stop: math.MaxInt64, Step: 3, Inclusive: true},
			[]row{{math.MaxInt64 - 4}, {math.MaxInt64 - 1}}},
		{"hours", Series{Typ: ts, Start: 0, Stop: day, Step: 10 * 3600e6}, []row{{0}, {36000000000}, {72000000000}}},
		{"days", Series{Typ: ts, Start: 0, Stop: 2 * day, Days: 1, Inclusive: true}, []row{{0}, {int(day)}, {int(2 * day)}}},
		{"months", Series{Typ: ts, Start: jan30, Stop: jan30 + 70*day, Months: 1},
			[]row{{int(jan30)}, {int(jan30 + 30*day)}, {int(jan30 + 59*day)}}},
	}
	for _, c := range cases {
		s := c.s
		oc := opCase{name: c.name, expected: c.want, ordered: true,
			mk: func([][]Operator) Operator { return NewSeries(s) }}
		runCases(t, []opCase{oc})
		runSpilling(t, oc, 4<<20, false, func(_ [][]Operator, _ memEnv) Operator { return NewSeries(s) })
	}
}
