package kernel

import (
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// The map kernels under the harness (batch sizes, selections) on pinned
// rows with DuckDB's answers: map(keys, values), map_entries,
// map_from_entries, and DuckDB's errors for unaligned lists, NULL and
// repeated keys.
func TestMapKernels(t *testing.T) {
	ls, li := coldata.ListType(coldata.TypeString), coldata.ListType(coldata.TypeInt32)
	mt := coldata.MapType(coldata.TypeString, coldata.TypeInt32)
	st := coldata.StructType([]coldata.Field{{Name: "key", Type: coldata.TypeString}, {Name: "value", Type: coldata.TypeInt32}})
	s := func(v string) coldata.Datum { return coldata.Datum{S: v} }
	n := func(v int64) coldata.Datum { return coldata.Datum{I: v} }
	nul := coldata.NullDatum
	tys := []coldata.Type{ls, li}
	rows := [][]coldata.Datum{
		{coldata.ListDatum(s("a"), s("b")), coldata.ListDatum(n(1), n(2))},
		{coldata.ListDatum(), coldata.ListDatum()},
		{nul, coldata.ListDatum(n(1))},
		{coldata.ListDatum(s("z")), coldata.ListDatum(nul)},
	}
	fn := func(op expr.Op, t coldata.Type, args ...expr.Expr) expr.Expr {
		return &expr.Func{Op: op, Args: args, Typ: t}
	}
	keys, vals := &expr.Column{Index: 0, Typ: ls}, &expr.Column{Index: 1, Typ: li}
	build := fn(expr.OpMapFromLists, mt, keys, vals)
	entries := fn(expr.OpMapEntries, coldata.ListType(st), build)
	back := fn(expr.OpMapFromEntries, mt, entries)
	bad := func(k, v []coldata.Datum) [][]coldata.Datum {
		return [][]coldata.Datum{{coldata.ListDatum(k...), coldata.ListDatum(v...)}}
	}
	runCases(t, []tcase{
		{name: "map", types: tys, rows: rows, e: build, want: []string{"{a=1, b=2}", "{}", "NULL", "{z=NULL}"}},
		{name: "map_entries", types: tys, rows: rows, e: entries,
			want: []string{"[{'key': a, 'value': 1}, {'key': b, 'value': 2}]", "[]", "NULL", "[{'key': z, 'value': NULL}]"}},
		{name: "map_from_entries", types: tys, rows: rows, e: back, want: []string{"{a=1, b=2}", "{}", "NULL", "{z=NULL}"}},
		{name: "unaligned", types: tys, rows: bad([]coldata.Datum{s("a")}, nil), e: build,
			err: "The map key list does not align with the map value list."},
		{name: "null key", types: tys, rows: bad([]coldata.Datum{nul}, []coldata.Datum{n(1)}), e: build,
			err: "Map keys can not be NULL."},
		{name: "repeated key", types: tys, rows: bad([]coldata.Datum{s("a"), s("a")}, []coldata.Datum{n(1), n(2)}), e: build,
			err: "Map keys must be unique."},
	})
}
