package scan

import (
	"path/filepath"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

func TestRowGroupMayMatchAny(t *testing.T) {
	f, err := Open(filepath.Join("testdata", "lineitem.parquet"))
	if err != nil {
		t.Skipf("lineitem testdata: %v", err)
	}
	defer f.Close()
	key := -1
	for i, c := range f.Columns() {
		if c.Name == "l_orderkey" {
			key = i
		}
	}
	if key < 0 {
		t.Skip("no l_orderkey")
	}
	st, ok := f.ColumnStats(0, key)
	if !ok || !st.HasMinMax {
		t.Skip("no statistics")
	}
	below := Predicate{Col: key, Op: OpLt, Vals: []coldata.Datum{{I: st.Min.I}}}
	above := Predicate{Col: key, Op: OpGt, Vals: []coldata.Datum{{I: st.Max.I}}}
	inside := Predicate{Col: key, Op: OpEq, Vals: []coldata.Datum{{I: st.Min.I}}}
	cases := []struct {
		d    Disjunction
		want bool
	}{
		{nil, true},
		{Disjunction{{below}, {above}}, false},
		{Disjunction{{below}, {inside}}, true},
		{Disjunction{{inside, above}, {below}}, false},
	}
	for i, c := range cases {
		if got := f.RowGroupMayMatchAny(0, c.d); got != c.want {
			t.Errorf("case %d: got %v, want %v", i, got, c.want)
		}
	}
}
