package sql

import (
	"fmt"
	"math"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// Nested values users write: [a, b] and list_value, {'a': x} and
// struct_pack, slices l[a:b], and the list functions (bound here; their
// kernels are exec/kernel/list*.go).

// nestedExpr binds the list and struct literals and slices; ok is false
// for other expressions.
func (c *exprCtx) nestedExpr(e ast.Expr) (expr.Expr, bool, error) {
	switch x := e.(type) {
	case *ast.ListLit:
		elems := make([]expr.Expr, len(x.Items))
		for i, it := range x.Items {
			b, err := c.bind(it)
			if err != nil {
				return nil, true, err
			}
			elems[i] = b
		}
		out, err := listValue(elems)
		return out, true, err
	case *ast.StructLit:
		names := make([]string, len(x.Fields))
		vals := make([]expr.Expr, len(x.Fields))
		for i, f := range x.Fields {
			v, err := c.bind(f.Value)
			if err != nil {
				return nil, true, err
			}
			names[i], vals[i] = f.Name.Name, v
		}
		out, err := structPack(names, vals)
		return out, true, at(err, e)
	case *ast.Slice:
		out, err := c.slice(x)
		return out, true, err
	case *ast.MapLit:
		out, err := c.mapLiteral(x)
		return out, true, err
	}
	return nil, false, nil
}

// unifyTypes is the type both a and b are cast to in one list: DuckDB's
// implicit casts, applied through nested types.
func unifyTypes(a, b coldata.Type) (coldata.Type, error) {
	switch {
	case a.ID == coldata.Unknown:
		return b, nil
	case b.ID == coldata.Unknown || a.Equal(b):
		return a, nil
	case a.ID == coldata.List && b.ID == coldata.List:
		e, err := unifyTypes(a.Nest.Elem, b.Nest.Elem)
		return coldata.ListType(e), err
	case a.ID == coldata.Struct && b.ID == coldata.Struct && len(a.Nest.Fields) == len(b.Nest.Fields):
		fs := make([]coldata.Field, len(a.Nest.Fields))
		for i, f := range a.Nest.Fields {
			if !strings.EqualFold(f.Name, b.Nest.Fields[i].Name) {
				return coldata.Type{}, fmt.Errorf("Binder Error: Cannot combine %s and %s", a, b)
			}
			t, err := unifyTypes(f.Type, b.Nest.Fields[i].Type)
			if err != nil {
				return coldata.Type{}, err
			}
			fs[i] = coldata.Field{Name: f.Name, Type: t}
		}
		return coldata.StructType(fs), nil
	case a.IsNested() || b.IsNested():
		return coldata.Type{}, fmt.Errorf("Binder Error: Cannot combine %s and %s", a, b)
	}
	return commonType(a, b)
}

// castNested converts to or from a nested type: element by element
// between lists (or structs of the same fields), printed to VARCHAR, and a
// NULL to any nested type. ok is false when neither side is nested.
func castNested(e expr.Expr, t coldata.Type) (expr.Expr, bool, error) {
	from := e.Type()
	if !from.IsNested() && !t.IsNested() {
		return nil, false, nil
	}
	switch {
	case from.Equal(t):
		if from == t {
			return e, true, nil
		}
	case from.ID == coldata.Unknown:
		if _, ok := e.(*expr.Const); ok {
			return &expr.Const{Val: coldata.NullDatum, Typ: t}, true, nil
		}
	case from.IsNested() && t.ID == coldata.String:
	case from.ID == t.ID && from.ID != coldata.Map && len(from.ChildTypes()) == len(t.ChildTypes()):
		for i, ct := range from.ChildTypes() {
			if _, err := castable(ct, t.ChildTypes()[i]); err != nil {
				return nil, true, err
			}
		}
	default:
		return nil, true, fmt.Errorf("Conversion Error: Unimplemented type for cast (%s -> %s)", from, t)
	}
	return &expr.Cast{Arg: e, Typ: t}, true, nil
}

// castable checks that a value of from can be cast to t (the kernels
// decide the rest per value).
func castable(from, t coldata.Type) (bool, error) {
	if from.IsNested() || t.IsNested() {
		_, _, err := castNested(&expr.Column{Typ: from}, t)
		return err == nil, err
	}
	return true, nil
}

// listValue builds [elems...] with the elements cast to their common type.
func listValue(elems []expr.Expr) (expr.Expr, error) {
	t := coldata.TypeUnknown
	for _, x := range elems {
		var err error
		if t, err = unifyTypes(t, x.Type()); err != nil {
			return nil, err
		}
	}
	args := make([]expr.Expr, len(elems))
	for i, x := range elems {
		var err error
		if args[i], err = castTo(x, t); err != nil {
			return nil, err
		}
	}
	return &expr.Func{Op: expr.OpListValue, Args: args, Typ: coldata.ListType(t)}, nil
}

func structPack(names []string, vals []expr.Expr) (expr.Expr, error) {
	fields := make([]coldata.Field, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		if seen[strings.ToLower(n)] {
			return nil, &Error{Kind: "Binder", Msg: fmt.Sprintf("Duplicate struct entry name %q", n), Pos: -1}
		}
		seen[strings.ToLower(n)] = true
		fields[i] = coldata.Field{Name: n, Type: vals[i].Type()}
	}
	return &expr.Func{Op: expr.OpStructPack, Args: vals, Typ: coldata.StructType(fields)}, nil
}

// slice binds l[a:b] (bounds 1-based and inclusive, negative from the
// end, omitted ones the whole list).
func (c *exprCtx) slice(x *ast.Slice) (expr.Expr, error) {
	if x.Step != nil {
		return nil, notImplemented(x, "a slice with a step")
	}
	l, err := c.bind(x.X)
	if err != nil {
		return nil, err
	}
	bound := func(b ast.Expr, dflt int64) (expr.Expr, error) {
		if b == nil {
			return &expr.Const{Val: coldata.Datum{I: dflt}, Typ: coldata.TypeInt64}, nil
		}
		return c.bind(b)
	}
	lo, err := bound(x.Lo, 1)
	if err != nil {
		return nil, err
	}
	hi, err := bound(x.Hi, math.MaxInt64)
	if err != nil {
		return nil, err
	}
	if l.Type().ID == coldata.String {
		return nil, notImplemented(x, "slicing a string")
	}
	return listCall("list_slice", []expr.Expr{l, lo, hi})
}

// listFuncNames are the list functions listCall binds (beside the
// nested functions of bind_nested.go).
var listFuncNames = map[string]string{
	"list_value": "list_value", "list_pack": "list_value", "array_value": "list_value", "struct_pack": "struct_pack",
	"list_slice": "list_slice", "array_slice": "list_slice",
	"list_concat": "list_concat", "list_cat": "list_concat", "array_concat": "list_concat", "array_cat": "list_concat",
	"list_append": "list_append", "array_append": "list_append", "array_push_back": "list_append",
	"list_prepend": "list_prepend", "array_prepend": "list_prepend", "array_push_front": "list_prepend",
	"list_sort": "list_sort", "array_sort": "list_sort", "list_reverse_sort": "list_reverse_sort", "array_reverse_sort": "list_reverse_sort",
	"list_reverse": "list_reverse", "array_reverse": "list_reverse",
	"list_distinct": "list_distinct", "array_distinct": "list_distinct", "list_unique": "list_unique", "array_unique": "list_unique",
	"list_position": "list_position", "list_indexof": "list_position", "array_position": "list_position", "array_indexof": "list_position",
	"flatten":        "flatten",
	"list_aggregate": "list_aggregate", "array_aggregate": "list_aggregate", "list_aggr": "list_aggregate", "array_aggr": "list_aggregate", "aggregate": "list_aggregate",
	"list_sum": "sum", "list_min": "min", "list_max": "max", "list_avg": "avg", "list_count": "count",
	"array_to_string": "array_to_string",
	"range":           "range", "generate_series": "generate_series",
	"string_split": "string_split", "str_split": "string_split", "string_to_array": "string_split", "split": "string_split",
	"list_transform": "list_transform", "array_transform": "list_transform", "list_apply": "list_transform", "array_apply": "list_transform", "apply": "list_transform",
	"list_filter": "list_filter", "array_filter": "list_filter", "filter": "list_filter",
	"list_reduce": "list_reduce", "array_reduce": "list_reduce", "reduce": "list_reduce",
}

// listFunction binds a call of one of listFuncNames: struct_pack's named
// arguments and the lambdas need their unbound arguments.
func (c *exprCtx) listFunction(e *ast.FuncCall, name string, argList []ast.Expr) (expr.Expr, error) {
	canon := listFuncNames[name]
	if canon == "struct_pack" {
		var names []string
		var vals []expr.Expr
		for _, a := range argList {
			na, ok := a.(*ast.NamedArg)
			if !ok {
				return nil, binderErr(a, "Need named argument for struct pack, e.g., STRUCT_PACK(a := b)")
			}
			v, err := c.bind(na.Value)
			if err != nil {
				return nil, err
			}
			names, vals = append(names, na.Name.Name), append(vals, v)
		}
		if len(vals) == 0 {
			return nil, binderErr(e, "Can't pack nothing into a struct")
		}
		x, err := structPack(names, vals)
		return x, at(err, e)
	}
	if canon == "list_transform" || canon == "list_filter" || canon == "list_reduce" {
		x, err := c.lambdaCall(e, canon, argList)
		return x, at(err, e)
	}
	args, err := c.args(argList, name)
	if err != nil {
		return nil, err
	}
	x, err := listCall(canon, args)
	return x, at(err, e)
}

// listArg casts args[i] to a list: a NULL becomes a NULL list.
func listArg(fn string, args []expr.Expr, i int) (expr.Expr, error) {
	if i >= len(args) {
		return nil, fmt.Errorf("Binder Error: function %s does not take %d arguments", fn, len(args))
	}
	t := args[i].Type()
	if t.ID == coldata.Unknown {
		return castTo(args[i], coldata.ListType(coldata.TypeUnknown))
	}
	if t.ID != coldata.List {
		return nil, fmt.Errorf("Binder Error: No function matches the given name and argument types '%s(%s)'. You might need to add explicit type casts.", fn, argTypes(args))
	}
	return args[i], nil
}

func argTypes(args []expr.Expr) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.Type().String()
	}
	return strings.Join(parts, ", ")
}

func arity(fn string, args []expr.Expr, ns ...int) error {
	for _, n := range ns {
		if len(args) == n {
			return nil
		}
	}
	return fmt.Errorf("Binder Error: function %s does not take %d arguments", fn, len(args))
}

func listCall(fn string, args []expr.Expr) (expr.Expr, error) {
	call := func(op expr.Op, t coldata.Type, xs ...expr.Expr) expr.Expr {
		return &expr.Func{Op: op, Args: xs, Typ: t}
	}
	i64 := func(x expr.Expr) (expr.Expr, error) { return castTo(x, coldata.TypeInt64) }
	switch fn {
	case "list_value":
		return listValue(args)
	case "range", "generate_series":
		return rangeCall(fn, args)
	case "string_split":
		if err := arity(fn, args, 2); err != nil {
			return nil, err
		}
		s, err := castTo(args[0], coldata.TypeString)
		if err != nil {
			return nil, err
		}
		sep, err := castTo(args[1], coldata.TypeString)
		if err != nil {
			return nil, err
		}
		return call(expr.OpStringSplit, coldata.ListType(coldata.TypeString), s, sep), nil
	case "list_prepend":
		if err := arity(fn, args, 2); err != nil {
			return nil, err
		}
		return listCall("list_append_rev", []expr.Expr{args[1], args[0]})
	}
	l, err := listArg(fn, args, 0)
	if err != nil {
		return nil, err
	}
	lt := l.Type()
	elem := lt.Nest.Elem
	switch fn {
	case "list_slice":
		if err := arity(fn, args, 3); err != nil {
			return nil, err
		}
		lo, err := i64(args[1])
		if err != nil {
			return nil, err
		}
		hi, err := i64(args[2])
		if err != nil {
			return nil, err
		}
		return call(expr.OpListSlice, lt, l, lo, hi), nil
	case "list_concat", "||":
		if err := arity(fn, args, 2); err != nil {
			return nil, err
		}
		r, err := listArg(fn, args, 1)
		if err != nil {
			return nil, err
		}
		t, err := unifyTypes(lt, r.Type())
		if err != nil {
			return nil, err
		}
		if l, err = castTo(l, t); err != nil {
			return nil, err
		}
		if r, err = castTo(r, t); err != nil {
			return nil, err
		}
		strict := &expr.Const{Val: coldata.Datum{B: fn == "||"}, Typ: coldata.TypeBool}
		return call(expr.OpListConcat, t, l, r, strict), nil
	case "list_append", "list_append_rev":
		if err := arity(fn, args, 2); err != nil {
			return nil, err
		}
		t, err := unifyTypes(elem, args[1].Type())
		if err != nil {
			return nil, err
		}
		if l, err = castTo(l, coldata.ListType(t)); err != nil {
			return nil, err
		}
		x, err := castTo(args[1], t)
		if err != nil {
			return nil, err
		}
		if fn == "list_append_rev" {
			return call(expr.OpListPrepend, coldata.ListType(t), x, l), nil
		}
		return call(expr.OpListAppend, coldata.ListType(t), l, x), nil
	case "list_sort", "list_reverse_sort":
		return sortCall(fn, l, args)
	case "list_reverse", "list_distinct", "flatten", "list_unique":
		if err := arity(fn, args, 1); err != nil {
			return nil, err
		}
		switch fn {
		case "list_reverse":
			return call(expr.OpListReverse, lt, l), nil
		case "list_distinct":
			return call(expr.OpListDistinct, lt, l), nil
		case "list_unique":
			return call(expr.OpListUnique, coldata.TypeInt64, l), nil
		}
		if elem.ID == coldata.Unknown {
			return call(expr.OpFlatten, lt, castListNull(l, coldata.ListType(lt))), nil
		}
		if elem.ID != coldata.List {
			return nil, fmt.Errorf("Binder Error: No function matches the given name and argument types 'flatten(%s)'. You might need to add explicit type casts.", lt)
		}
		return call(expr.OpFlatten, elem, l), nil
	case "list_position":
		if err := arity(fn, args, 2); err != nil {
			return nil, err
		}
		x, err := castTo(args[1], elem)
		if err != nil {
			return nil, err
		}
		return call(expr.OpListPosition, coldata.TypeInt32, l, x), nil
	case "array_to_string", "array_to_string_agg":
		if err := arity(fn, args, 2); err != nil {
			return nil, err
		}
		sep, err := castTo(args[1], coldata.TypeString)
		if err != nil {
			return nil, err
		}
		agg := &expr.Const{Val: coldata.Datum{B: fn == "array_to_string_agg"}, Typ: coldata.TypeBool}
		return call(expr.OpListToString, coldata.TypeString, l, sep, agg), nil
	case "list_aggregate":
		if len(args) < 2 {
			return nil, arity(fn, args, 2)
		}
		k, ok := args[1].(*expr.Const)
		if !ok || k.Typ.ID != coldata.String || k.Val.Null {
			return nil, fmt.Errorf("Binder Error: list_aggregate: the aggregate name must be a constant string")
		}
		name := strings.ToLower(k.Val.S)
		if name == "string_agg" || name == "group_concat" {
			// string_agg(x, sep) over the elements: array_to_string, NULL
			// when no element is left.
			sep := expr.Expr(&expr.Const{Val: coldata.Datum{S: ","}, Typ: coldata.TypeString})
			if len(args) == 3 {
				sep = args[2]
			}
			return listCall("array_to_string_agg", []expr.Expr{l, sep})
		}
		if len(args) != 2 {
			return nil, arity(fn, args, 2)
		}
		return listAggregate(name, l)
	case "sum", "min", "max", "avg", "count":
		if err := arity(fn, args, 1); err != nil {
			return nil, err
		}
		return listAggregate(fn, l)
	}
	return nil, fmt.Errorf("Binder Error: unknown list function %s", fn)
}

// castListNull types a NULL list argument.
func castListNull(l expr.Expr, t coldata.Type) expr.Expr {
	x, err := castTo(l, t)
	if err != nil {
		return l
	}
	return x
}

func sortCall(fn string, l expr.Expr, args []expr.Expr) (expr.Expr, error) {
	if err := arity(fn, args, 1, 2, 3); err != nil {
		return nil, err
	}
	desc, nullsFirst := fn == "list_reverse_sort", false
	for i, a := range args[1:] {
		k, ok := a.(*expr.Const)
		if !ok || k.Typ.ID != coldata.String || k.Val.Null {
			return nil, fmt.Errorf("Binder Error: Sorting order must be a constant")
		}
		s := strings.ToUpper(strings.TrimSpace(k.Val.S))
		switch {
		case i == 0 && fn == "list_sort" && (s == "ASC" || s == "DESC"):
			desc = s == "DESC"
		case (i == 1 || fn == "list_reverse_sort") && (s == "NULLS FIRST" || s == "NULLS LAST"):
			nullsFirst = s == "NULLS FIRST"
		default:
			return nil, fmt.Errorf("Invalid Input Error: Sorting order must be either ASC or DESC")
		}
	}
	flag := func(b bool) expr.Expr { return &expr.Const{Val: coldata.Datum{B: b}, Typ: coldata.TypeBool} }
	return &expr.Func{Op: expr.OpListSort, Args: []expr.Expr{l, flag(desc), flag(nullsFirst)}, Typ: l.Type()}, nil
}

// listAggregate binds list_aggregate(l, name) for the aggregates the
// kernel folds, typed as the aggregate over the element type.
func listAggregate(name string, l expr.Expr) (expr.Expr, error) {
	elem := l.Type().Nest.Elem
	var t coldata.Type
	switch name {
	case "sum", "avg":
		if !elem.IsNumeric() && elem.ID != coldata.Unknown {
			return nil, fmt.Errorf("Binder Error: No function matches the given name and argument types '%s(%s)'. You might need to add explicit type casts.", name, elem)
		}
		t = coldata.TypeFloat64
		if name == "sum" {
			t = coldata.SumType(elem)
			if elem.ID == coldata.Unknown {
				t = coldata.TypeHugeint
			}
		}
	case "min", "max":
		if elem.IsNested() {
			return nil, fmt.Errorf("Not implemented Error: list_%s over nested elements (%s) is not supported yet", name, elem)
		}
		t = elem
	case "count":
		t = coldata.TypeInt64
	default:
		return nil, fmt.Errorf("Not implemented Error: list_aggregate with the aggregate %q is not supported yet", name)
	}
	k := &expr.Const{Val: coldata.Datum{S: name}, Typ: coldata.TypeString}
	return &expr.Func{Op: expr.OpListAggregate, Args: []expr.Expr{l, k}, Typ: t}, nil
}

// rangeCall binds range(stop), range(start, stop[, step]) and
// generate_series (stop included) as BIGINT lists.
func rangeCall(fn string, args []expr.Expr) (expr.Expr, error) {
	if err := arity(fn, args, 1, 2, 3); err != nil {
		return nil, err
	}
	ks := []expr.Expr{&expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt64}, nil, &expr.Const{Val: coldata.Datum{I: 1}, Typ: coldata.TypeInt64}}
	if len(args) == 1 {
		ks[1] = args[0]
	} else {
		copy(ks, args)
	}
	for i, a := range ks {
		if t := a.Type(); !integral(t) && t.ID != coldata.Unknown {
			return nil, fmt.Errorf("Not implemented Error: %s over %s is not supported yet", fn, t)
		}
		x, err := castTo(a, coldata.TypeInt64)
		if err != nil {
			return nil, err
		}
		ks[i] = x
	}
	ks = append(ks, &expr.Const{Val: coldata.Datum{B: fn == "generate_series"}, Typ: coldata.TypeBool})
	return &expr.Func{Op: expr.OpListRange, Args: ks, Typ: coldata.ListType(coldata.TypeInt64)}, nil
}

// lambdaCall binds list_transform, list_filter and list_reduce: the
// lambda's parameters are the list's elements (and list_reduce's
// accumulator); its body may read nothing else.
func (c *exprCtx) lambdaCall(e *ast.FuncCall, fn string, argList []ast.Expr) (expr.Expr, error) {
	if len(argList) != 2 {
		return nil, binderErr(e, "function %s does not take %d arguments", fn, len(argList))
	}
	lam, ok := argList[1].(*ast.Lambda)
	if !ok {
		return nil, binderErr(argList[1], "Invalid lambda expression!")
	}
	x, err := c.bind(argList[0])
	if err != nil {
		return nil, err
	}
	l, err := listArg(fn, []expr.Expr{x}, 0)
	if err != nil {
		return nil, err
	}
	elem := l.Type().Nest.Elem
	types := []coldata.Type{elem}
	if fn == "list_reduce" {
		types = append(types, elem)
	}
	if len(lam.Params) != len(types) {
		return nil, binderErr(lam, "Invalid number of function arguments!")
	}
	sc := &scope{}
	remap := map[int]int{}
	var params []string
	for i, p := range lam.Params {
		m := c.b.newCol(p.Name, "", types[i])
		sc.add("", []planner.ColMeta{m})
		remap[int(m.ID)] = i
		params = append(params, p.Name)
	}
	// The parameters shadow the query's columns, which the body may read
	// too: those become captures, extra arguments of the call that the
	// kernel repeats for each element of their row.
	sub := *c
	sub.innerFirst = sc
	body, err := sub.bind(lam.Body)
	if err != nil {
		return nil, err
	}
	switch fn {
	case "list_filter":
		if body, err = castTo(body, coldata.TypeBool); err != nil {
			return nil, err
		}
	case "list_reduce":
		if body, err = castTo(body, elem); err != nil {
			return nil, err
		}
	}
	args := []expr.Expr{l, nil}
	expr.Walk(body, func(x expr.Expr) bool {
		if col, ok := x.(*expr.Column); ok {
			if _, seen := remap[col.Index]; !seen {
				remap[col.Index] = len(types)
				types = append(types, col.Typ)
				args = append(args, &expr.Column{Index: col.Index, Typ: col.Typ, Name: col.Name})
			}
		}
		return true
	})
	body = expr.Remap(body, remap)
	args[1] = &expr.Lambda{Params: params, Types: types, Body: body}
	switch fn {
	case "list_transform":
		return &expr.Func{Op: expr.OpListTransform, Args: args, Typ: coldata.ListType(body.Type())}, nil
	case "list_filter":
		return &expr.Func{Op: expr.OpListFilter, Args: args, Typ: l.Type()}, nil
	}
	return &expr.Func{Op: expr.OpListReduce, Args: args, Typ: elem}, nil
}

// listConcatOp binds l || r with a list on one side: both lists (or a
// NULL), else DuckDB's error.
func listConcatOp(l, r expr.Expr) (expr.Expr, error) {
	for _, x := range []expr.Expr{l, r} {
		if id := x.Type().ID; id != coldata.List && id != coldata.Unknown {
			return nil, fmt.Errorf("Binder Error: Cannot concatenate types %s and %s - an explicit cast is required", l.Type(), r.Type())
		}
	}
	return listCall("||", []expr.Expr{l, r})
}
