package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// MAP values: MAP {k: v, ...} and map(keys, values) build them;
// map_from_entries/map_entries convert from and to lists of STRUCT(key,
// value); map_extract/element_at give the value as a list (empty when the
// key is absent), map_contains tests a key. (m[k], map_extract_value,
// map_keys, map_values and cardinality are bind_nested.go's.)

var mapFuncNames = map[string]bool{"map": true, "map_from_entries": true, "map_entries": true,
	"map_extract": true, "element_at": true, "map_contains": true}

// mapLiteral binds MAP {k: v, ...} as map([k, ...], [v, ...]).
func (c *exprCtx) mapLiteral(x *ast.MapLit) (expr.Expr, error) {
	keys := make([]expr.Expr, len(x.Entries))
	vals := make([]expr.Expr, len(x.Entries))
	for i, en := range x.Entries {
		var err error
		if keys[i], err = c.bind(en.Key); err != nil {
			return nil, err
		}
		if vals[i], err = c.bind(en.Value); err != nil {
			return nil, err
		}
	}
	kl, err := listValue(keys)
	if err != nil {
		return nil, at(err, x)
	}
	vl, err := listValue(vals)
	if err != nil {
		return nil, at(err, x)
	}
	out, err := mapOf(kl, vl)
	return out, at(err, x)
}

// mapOf is map(keys, values) over two lists.
func mapOf(keys, vals expr.Expr) (expr.Expr, error) {
	kt, vt := keys.Type(), vals.Type()
	if kt.ID == coldata.Unknown && vt.ID == coldata.Unknown {
		kt, vt = coldata.ListType(coldata.TypeInt32), coldata.ListType(coldata.TypeInt32)
	}
	if kt.ID != coldata.List || vt.ID != coldata.List {
		return nil, &Error{Kind: "Binder", Msg: "map takes two lists (keys and values), got " + kt.String() + " and " + vt.String(), Pos: -1}
	}
	key, val := kt.Nest.Elem, vt.Nest.Elem
	if key.ID == coldata.Unknown {
		key = coldata.TypeInt32
	}
	if val.ID == coldata.Unknown {
		val = coldata.TypeInt32
	}
	var err error
	if keys, err = castTo(keys, coldata.ListType(key)); err != nil {
		return nil, err
	}
	if vals, err = castTo(vals, coldata.ListType(val)); err != nil {
		return nil, err
	}
	return &expr.Func{Op: expr.OpMapFromLists, Args: []expr.Expr{keys, vals}, Typ: coldata.MapType(key, val)}, nil
}

// mapFunction binds the map functions of mapFuncNames; ok is false for
// other names.
func mapFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	if !mapFuncNames[name] {
		return nil, false, nil
	}
	arity := func(n int) error {
		if len(args) != n {
			return binderErr(e, "function %s does not take %d arguments", name, len(args))
		}
		return nil
	}
	switch name {
	case "map":
		if len(args) == 0 {
			empty := &expr.Const{Val: coldata.Datum{Null: true}, Typ: coldata.TypeUnknown}
			x, err := mapOf(empty, empty)
			if err != nil {
				return nil, true, err
			}
			// map() is an empty map, not NULL.
			l := &expr.Func{Op: expr.OpListValue, Typ: coldata.ListType(coldata.TypeInt32)}
			x.(*expr.Func).Args = []expr.Expr{l, l}
			return x, true, nil
		}
		if err := arity(2); err != nil {
			return nil, true, err
		}
		x, err := mapOf(args[0], args[1])
		return x, true, at(err, e)
	case "map_from_entries":
		if err := arity(1); err != nil {
			return nil, true, err
		}
		t := args[0].Type()
		if t.ID != coldata.List || t.Nest.Elem.ID != coldata.Struct || len(t.Nest.Elem.Nest.Fields) != 2 {
			return nil, true, binderErr(e, "map_from_entries takes a list of STRUCT(key, value), got %s", t)
		}
		f := t.Nest.Elem.Nest.Fields
		return &expr.Func{Op: expr.OpMapFromEntries, Args: args, Typ: coldata.MapType(f[0].Type, f[1].Type)}, true, nil
	}
	want := 2
	if name == "map_entries" {
		want = 1
	}
	if err := arity(want); err != nil {
		return nil, true, err
	}
	m := args[0].Type()
	if m.ID != coldata.Map {
		return nil, true, binderErr(e, "%s takes a MAP, got %s", name, m)
	}
	if name == "map_entries" {
		st := coldata.StructType([]coldata.Field{{Name: "key", Type: m.Nest.Key}, {Name: "value", Type: m.Nest.Value}})
		return &expr.Func{Op: expr.OpMapEntries, Args: args, Typ: coldata.ListType(st)}, true, nil
	}
	k, err := castTo(args[1], m.Nest.Key)
	if err != nil {
		return nil, true, at(err, e)
	}
	keys := &expr.Func{Op: expr.OpMapKeys, Args: args[:1], Typ: coldata.ListType(m.Nest.Key)}
	has := &expr.Func{Op: expr.OpListContains, Args: []expr.Expr{keys, k}, Typ: coldata.TypeBool}
	if name == "map_contains" {
		return has, true, nil
	}
	// map_extract/element_at: [m[k]] when m has k, [] otherwise (the
	// one-element list sliced to nothing: CASE does not yield lists).
	val := &expr.Func{Op: expr.OpMapElement, Args: []expr.Expr{args[0], k}, Typ: m.Nest.Value}
	one := &expr.Func{Op: expr.OpListValue, Args: []expr.Expr{val}, Typ: coldata.ListType(m.Nest.Value)}
	i64 := func(n int64) expr.Expr { return &expr.Const{Val: coldata.Datum{I: n}, Typ: coldata.TypeInt64} }
	end := &expr.Case{Whens: []expr.When{{Cond: has, Then: i64(1)}}, Else: i64(0), Typ: coldata.TypeInt64}
	return &expr.Func{Op: expr.OpListSlice, Args: []expr.Expr{one, i64(1), end}, Typ: one.Typ}, true, nil
}
