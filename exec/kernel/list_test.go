package kernel

import (
	"math/rand/v2"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// The list kernels under the harness: random lists (NULL lists, NULL and
// edge elements, empty lists) checked against the reference in
// ref_list_test.go, with and without selections; a few cases pin the
// reference itself to DuckDB's answers.
func TestListKernels(t *testing.T) {
	li := coldata.ListType(coldata.TypeInt32)
	ls := coldata.ListType(coldata.TypeString)
	lf := coldata.ListType(coldata.TypeFloat64)
	lli := coldata.ListType(li)
	tys := []coldata.Type{li, ls, coldata.TypeInt64, coldata.TypeInt64, lli, lf, coldata.TypeInt32, coldata.TypeString}
	rng := rand.New(rand.NewPCG(3, 5))
	var rows [][]coldata.Datum
	for range 40 {
		r := make([]coldata.Datum, len(tys))
		for c, ty := range tys {
			r[c] = randDatum(rng, ty, 0.15)
		}
		r[2].I, r[3].I = r[2].I%6, r[3].I%6
		rows = append(rows, r)
	}
	col := func(i int) expr.Expr { return &expr.Column{Index: i, Typ: tys[i]} }
	fn := func(op expr.Op, t coldata.Type, args ...expr.Expr) expr.Expr {
		return &expr.Func{Op: op, Args: args, Typ: t}
	}
	flag := func(b bool) expr.Expr { return &expr.Const{Val: coldata.Datum{B: b}, Typ: coldata.TypeBool} }
	str := func(s string) expr.Expr { return &expr.Const{Val: coldata.Datum{S: s}, Typ: coldata.TypeString} }
	i64 := func(v int64) expr.Expr { return &expr.Const{Val: coldata.Datum{I: v}, Typ: coldata.TypeInt64} }
	x := &expr.Column{Index: 0, Typ: coldata.TypeInt32}
	exprs := map[string]expr.Expr{
		"list_value":        fn(expr.OpListValue, li, col(6), &expr.Const{Val: coldata.Datum{I: 7}, Typ: coldata.TypeInt32}, col(6)),
		"list_value_nested": fn(expr.OpListValue, lli, col(0), col(0)),
		"struct_pack":       fn(expr.OpStructPack, coldata.StructType([]coldata.Field{{Name: "a", Type: li}, {Name: "b", Type: coldata.TypeString}}), col(0), col(7)),
		"slice":             fn(expr.OpListSlice, li, col(0), col(2), col(3)),
		"slice_neg":         fn(expr.OpListSlice, ls, col(1), i64(-2), i64(1<<40)),
		"reverse":           fn(expr.OpListReverse, ls, col(1)),
		"sort":              fn(expr.OpListSort, li, col(0), flag(false), flag(false)),
		"sort_desc_nf":      fn(expr.OpListSort, ls, col(1), flag(true), flag(true)),
		"sort_float":        fn(expr.OpListSort, lf, col(5), flag(false), flag(true)),
		"distinct":          fn(expr.OpListDistinct, li, col(0)),
		"unique":            fn(expr.OpListUnique, coldata.TypeInt64, col(1)),
		"flatten":           fn(expr.OpFlatten, li, col(4)),
		"concat":            fn(expr.OpListConcat, li, col(0), col(0), flag(false)),
		"concat_strict":     fn(expr.OpListConcat, li, col(0), fn(expr.OpListReverse, li, col(0)), flag(true)),
		"append":            fn(expr.OpListAppend, ls, col(1), col(7)),
		"prepend":           fn(expr.OpListPrepend, li, col(6), col(0)),
		"position":          fn(expr.OpListPosition, coldata.TypeInt32, col(0), col(6)),
		"to_string":         fn(expr.OpListToString, coldata.TypeString, col(0), str("|"), flag(false)),
		"string_agg":        fn(expr.OpListToString, coldata.TypeString, col(1), str(", "), flag(true)),
		"sum":               fn(expr.OpListAggregate, coldata.TypeHugeint, col(0), str("sum")),
		"min":               fn(expr.OpListAggregate, coldata.TypeString, col(1), str("min")),
		"max":               fn(expr.OpListAggregate, coldata.TypeInt32, col(0), str("max")),
		"count":             fn(expr.OpListAggregate, coldata.TypeInt64, col(0), str("count")),
		"avg_float":         fn(expr.OpListAggregate, coldata.TypeFloat64, col(5), str("avg")),
		"range":             fn(expr.OpListRange, coldata.ListType(coldata.TypeInt64), col(2), col(3), i64(1), flag(false)),
		"series_down":       fn(expr.OpListRange, coldata.ListType(coldata.TypeInt64), col(3), col(2), i64(-2), flag(true)),
		"split":             fn(expr.OpStringSplit, ls, col(7), str("e")),
		"transform": fn(expr.OpListTransform, coldata.ListType(coldata.TypeInt64), col(0),
			&expr.Lambda{Params: []string{"x"}, Types: []coldata.Type{coldata.TypeInt32},
				Body: fn(expr.OpAdd, coldata.TypeInt64, &expr.Cast{Arg: x, Typ: coldata.TypeInt64}, i64(1))}),
		"filter_capture": fn(expr.OpListFilter, li, col(0),
			&expr.Lambda{Params: []string{"x"}, Types: []coldata.Type{coldata.TypeInt32, coldata.TypeInt32},
				Body: fn(expr.OpGt, coldata.TypeBool, x, &expr.Column{Index: 1, Typ: coldata.TypeInt32})}, col(6)),
	}
	var cases []tcase
	for name, e := range exprs {
		cases = append(cases, tcase{name: name, types: tys, rows: rows, e: e})
	}
	one := func(vals ...int64) coldata.Datum {
		ds := make([]coldata.Datum, len(vals))
		for i, v := range vals {
			ds[i] = coldata.Datum{I: v}
		}
		return coldata.ListDatum(ds...)
	}
	nul := coldata.NullDatum
	pinned := [][]coldata.Datum{{one(3, 1, 2)}, {coldata.ListDatum(coldata.Datum{I: 3}, nul, coldata.Datum{I: 1})}, {one()}, {nul}}
	pt := []coldata.Type{li}
	p0 := &expr.Column{Index: 0, Typ: li}
	cases = append(cases,
		tcase{name: "pinned sort", types: pt, rows: pinned, e: fn(expr.OpListSort, li, p0, flag(false), flag(false)),
			want: []string{"[1, 2, 3]", "[1, 3, NULL]", "[]", "NULL"}},
		tcase{name: "pinned slice", types: pt, rows: pinned, e: fn(expr.OpListSlice, li, p0, i64(-2), i64(1<<40)),
			want: []string{"[1, 2]", "[NULL, 1]", "[]", "NULL"}},
		tcase{name: "pinned reduce", types: pt, rows: pinned[:1], e: fn(expr.OpListReduce, coldata.TypeInt32, p0,
			&expr.Lambda{Params: []string{"a", "b"}, Types: []coldata.Type{coldata.TypeInt32, coldata.TypeInt32},
				Body: fn(expr.OpMul, coldata.TypeInt32, x, &expr.Column{Index: 1, Typ: coldata.TypeInt32})}),
			want: []string{"6"}},
		tcase{name: "reduce empty", types: pt, rows: pinned[2:3], e: fn(expr.OpListReduce, coldata.TypeInt32, p0,
			&expr.Lambda{Params: []string{"a", "b"}, Types: []coldata.Type{coldata.TypeInt32, coldata.TypeInt32}, Body: x}),
			err: "Cannot perform list_reduce on an empty input list"},
	)
	runCases(t, cases)
}
