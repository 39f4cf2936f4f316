package kernel

import (
	"math"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// TestNestedSortKeyOrder: keys of values listed in DuckDB's ascending order
// (ORDER BY l) increase strictly.
func TestNestedSortKeyOrder(t *testing.T) {
	i := func(v int64) coldata.Datum { return coldata.Datum{I: v} }
	lt := coldata.ListType(coldata.TypeInt64)
	lists := []coldata.Datum{
		coldata.ListDatum(),
		coldata.ListDatum(i(-5)),
		coldata.ListDatum(i(0), i(5)),
		coldata.ListDatum(i(1)),
		coldata.ListDatum(i(1), i(2)),
		coldata.ListDatum(i(1), coldata.NullDatum),
		coldata.ListDatum(coldata.NullDatum),
	}
	st := coldata.StructType([]coldata.Field{{Name: "f", Type: coldata.TypeFloat64}, {Name: "s", Type: coldata.TypeString}})
	f := func(v float64) coldata.Datum { return coldata.Datum{F: v} }
	s := func(v string) coldata.Datum { return coldata.Datum{S: v} }
	structs := []coldata.Datum{
		coldata.StructDatum(f(math.Inf(-1)), s("")),
		coldata.StructDatum(f(-1.5), s("b")),
		coldata.StructDatum(f(0), s("")),
		coldata.StructDatum(f(0), s("\x00")),
		coldata.StructDatum(f(0), s("a")),
		coldata.StructDatum(f(0), s("a\x00")),
		coldata.StructDatum(f(0), s("ab")),
		coldata.StructDatum(f(0), coldata.NullDatum),
		coldata.StructDatum(f(2), s("a")),
		coldata.StructDatum(coldata.NullDatum, s("a")),
	}
	for _, c := range []struct {
		t    coldata.Type
		vals []coldata.Datum
	}{{lt, lists}, {st, structs}, {coldata.ListType(st), []coldata.Datum{coldata.ListDatum(structs[1]), coldata.ListDatum(structs[2], structs[0])}}} {
		for k := 1; k < len(c.vals); k++ {
			a, b := sortKey(nil, c.t, c.vals[k-1]), sortKey(nil, c.t, c.vals[k])
			if string(a) >= string(b) {
				t.Errorf("%s does not sort before %s", coldata.Format(c.t, c.vals[k-1]), coldata.Format(c.t, c.vals[k]))
			}
		}
	}
	if SortKeyable(coldata.MapType(coldata.TypeInt32, coldata.TypeInt32)) || !SortKeyable(lt) {
		t.Error("SortKeyable")
	}
}
