package kernel

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// refList is the row-at-a-time reference for the list kernels: plain Go
// over Datums, written from DuckDB's documented semantics.
func refList(e *expr.Func, row []coldata.Datum) (coldata.Datum, error) {
	if e.Op == expr.OpListTransform || e.Op == expr.OpListFilter || e.Op == expr.OpListReduce {
		return refLambda(e, row)
	}
	args := make([]coldata.Datum, len(e.Args))
	for i, a := range e.Args {
		d, err := refEval(a, row)
		if err != nil {
			return d, err
		}
		args[i] = d
	}
	elems := func(d coldata.Datum) []coldata.Datum {
		if d.Null || d.N == nil {
			return nil
		}
		return d.N.Elems
	}
	list := func(ds []coldata.Datum) (coldata.Datum, error) { return coldata.ListDatum(ds...), nil }
	null := coldata.NullDatum
	switch e.Op {
	case expr.OpListValue:
		return list(args)
	case expr.OpMapFromLists:
		if args[0].Null || args[1].Null {
			return null, nil
		}
		ks, vs := elems(args[0]), elems(args[1])
		if len(ks) != len(vs) {
			return null, errors.New("The map key list does not align with the map value list.")
		}
		for i, k := range ks {
			if k.Null {
				return null, errors.New("Map keys can not be NULL.")
			}
			for _, p := range ks[:i] {
				if coldata.Compare(e.Typ.Nest.Key, p, k) == 0 {
					return null, errors.New("Map keys must be unique.")
				}
			}
		}
		return coldata.MapDatum(ks, vs), nil
	case expr.OpMapEntries:
		if args[0].Null {
			return null, nil
		}
		var out []coldata.Datum
		for i, k := range args[0].N.Keys {
			out = append(out, coldata.StructDatum(k, args[0].N.Elems[i]))
		}
		return list(out)
	case expr.OpMapFromEntries:
		if args[0].Null {
			return null, nil
		}
		var ks, vs []coldata.Datum
		for _, en := range elems(args[0]) {
			ks, vs = append(ks, en.N.Elems[0]), append(vs, en.N.Elems[1])
		}
		return coldata.MapDatum(ks, vs), nil
	case expr.OpStructPack:
		return coldata.StructDatum(args...), nil
	case expr.OpListConcat:
		if len(args) == 3 && args[2].B && (args[0].Null || args[1].Null) {
			return null, nil
		}
		return list(append(slices.Clone(elems(args[0])), elems(args[1])...))
	case expr.OpListAppend:
		return list(append(slices.Clone(elems(args[0])), args[1]))
	case expr.OpListPrepend:
		return list(append([]coldata.Datum{args[0]}, elems(args[1])...))
	case expr.OpListRange:
		if args[0].Null || args[1].Null || args[2].Null {
			return null, nil
		}
		var out []coldata.Datum
		for v := args[0].I; args[2].I > 0 && (v < args[1].I || args[3].B && v == args[1].I) || args[2].I < 0 && (v > args[1].I || args[3].B && v == args[1].I); v += args[2].I {
			out = append(out, coldata.Datum{I: v})
		}
		return list(out)
	case expr.OpStringSplit:
		if args[0].Null {
			return null, nil
		}
		if args[1].Null {
			return list([]coldata.Datum{args[0]})
		}
		var out []coldata.Datum
		for _, p := range strings.Split(args[0].S, args[1].S) {
			out = append(out, coldata.Datum{S: p})
		}
		return list(out)
	}
	for _, a := range args[:min(len(args), 3)] {
		if a.Null && e.Op != expr.OpListPosition && e.Op != expr.OpListSort {
			return null, nil
		}
	}
	if args[0].Null {
		return null, nil
	}
	xs := elems(args[0])
	et := e.Args[0].Type().Nest.Elem
	cmp := func(a, b coldata.Datum) int {
		if et.IsNested() {
			return coldata.CompareNested(et, a, b)
		}
		return coldata.Compare(et, a, b)
	}
	nonNull := func() []coldata.Datum {
		var out []coldata.Datum
		for _, x := range xs {
			if !x.Null {
				out = append(out, x)
			}
		}
		return out
	}
	switch e.Op {
	case expr.OpListSlice:
		size := int64(len(xs))
		b, en := args[1].I, args[2].I
		if b < 0 {
			b += size + 1
		}
		if en < 0 {
			en += size + 1
		}
		b, en = max(b, 1), min(en, size)
		if b > en {
			return list(nil)
		}
		return list(xs[b-1 : en])
	case expr.OpListReverse:
		out := slices.Clone(xs)
		slices.Reverse(out)
		return list(out)
	case expr.OpListSort:
		vals := nonNull()
		slices.SortStableFunc(vals, cmp)
		if args[1].B {
			slices.Reverse(vals)
		}
		nulls := make([]coldata.Datum, len(xs)-len(vals))
		for i := range nulls {
			nulls[i] = null
		}
		if args[2].B {
			return list(append(nulls, vals...))
		}
		return list(append(vals, nulls...))
	case expr.OpListDistinct, expr.OpListUnique:
		vals := nonNull()
		slices.SortStableFunc(vals, cmp)
		vals = slices.CompactFunc(vals, func(a, b coldata.Datum) bool { return cmp(a, b) == 0 })
		if e.Op == expr.OpListUnique {
			return coldata.Datum{I: int64(len(vals))}, nil
		}
		return list(vals)
	case expr.OpFlatten:
		var out []coldata.Datum
		for _, x := range xs {
			out = append(out, elems(x)...)
		}
		return list(out)
	case expr.OpListPosition:
		for i, x := range xs {
			if x.Null && args[1].Null || !x.Null && !args[1].Null && cmp(x, args[1]) == 0 {
				return coldata.Datum{I: int64(i + 1)}, nil
			}
		}
		return null, nil
	case expr.OpListToString:
		var parts []string
		for _, x := range nonNull() {
			parts = append(parts, coldata.Format(et, x))
		}
		if len(parts) == 0 && (len(xs) > 0 || len(args) > 2 && args[2].B) {
			return null, nil
		}
		return coldata.Datum{S: strings.Join(parts, args[1].S)}, nil
	case expr.OpListAggregate:
		return refListAgg(e.Args[1].(*expr.Const).Val.S, et, e.Typ, nonNull(), cmp)
	}
	return null, fmt.Errorf("refList: %s", e.Op)
}

func refListAgg(name string, et, t coldata.Type, vals []coldata.Datum, cmp func(a, b coldata.Datum) int) (coldata.Datum, error) {
	if name == "count" {
		return coldata.Datum{I: int64(len(vals))}, nil
	}
	if len(vals) == 0 {
		return coldata.NullDatum, nil
	}
	switch name {
	case "min":
		return slices.MinFunc(vals, cmp), nil
	case "max":
		return slices.MaxFunc(vals, cmp), nil
	}
	var f float64
	var h coldata.Int128
	for _, v := range vals {
		switch et.ID {
		case coldata.Int32, coldata.Int64:
			h, _ = h.Add(coldata.Int128From(v.I))
			f += float64(v.I)
		case coldata.Float64:
			f += v.F
		}
	}
	switch {
	case name == "avg":
		return coldata.Datum{F: f / float64(len(vals))}, nil
	case t.ID == coldata.Hugeint:
		return coldata.Int128Datum(h), nil
	}
	return coldata.Datum{F: f}, nil
}

// refLambda evaluates the lambda's body per element with refEval.
func refLambda(e *expr.Func, row []coldata.Datum) (coldata.Datum, error) {
	l, err := refEval(e.Args[0], row)
	if err != nil || l.Null {
		return coldata.NullDatum, err
	}
	lam := e.Args[1].(*expr.Lambda)
	var caps []coldata.Datum
	for _, a := range e.Args[2:] {
		d, err := refEval(a, row)
		if err != nil {
			return d, err
		}
		caps = append(caps, d)
	}
	xs := l.N.Elems
	call := func(params ...coldata.Datum) (coldata.Datum, error) {
		return refEval(lam.Body, append(params, caps...))
	}
	var out []coldata.Datum
	switch e.Op {
	case expr.OpListTransform, expr.OpListFilter:
		for _, x := range xs {
			r, err := call(x)
			if err != nil {
				return r, err
			}
			switch {
			case e.Op == expr.OpListTransform:
				out = append(out, r)
			case !r.Null && r.B:
				out = append(out, x)
			}
		}
		return coldata.ListDatum(out...), nil
	}
	if len(xs) == 0 {
		return coldata.NullDatum, fmt.Errorf("Parameter Not Allowed Error: Cannot perform list_reduce on an empty input list")
	}
	acc := xs[0]
	for _, x := range xs[1:] {
		if acc, err = call(acc, x); err != nil {
			return acc, err
		}
	}
	return acc, nil
}
