package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// jsonFuncs are DuckDB's JSON scalar functions Peregrine binds, over JSON
// text held in VARCHAR (the JSON type is an alias of VARCHAR here, so
// typeof says VARCHAR where DuckDB says JSON).
var jsonFuncs = map[string]scalarFn{
	"json_extract": {expr.OpJSONExtract, 2, str}, "json_extract_path": {expr.OpJSONExtract, 2, str},
	"json_extract_string": {expr.OpJSONExtractStr, 2, str}, "json_extract_path_text": {expr.OpJSONExtractStr, 2, str},
	"json_exists": {expr.OpJSONExists, 2, bool_}, "json_value": {expr.OpJSONValue, 2, str},
	"json_array_length": {expr.OpJSONArrayLength, 1, coldata.TypeInt64}, "json_type": {expr.OpJSONType, 1, str},
	"json_keys": {expr.OpJSONKeys, 1, coldata.ListType(str)}, "json_valid": {expr.OpJSONValid, 0, bool_},
	"to_json": {expr.OpJSONQuote, 0, str}, "json_quote": {expr.OpJSONQuote, 0, str},
	"json_object": {expr.OpJSONObject, 0, str}, "json_array": {expr.OpJSONArray, 0, str},
	"json": {expr.OpJSONExtract, 0, str}, "json_structure": {expr.OpJSONStructure, 0, str},
}

// jsonFunction binds the functions of jsonFuncs; ok is false for other
// names.
func jsonFunction(e ast.Node, name string, args []expr.Expr) (expr.Expr, bool, error) {
	f, known := jsonFuncs[name]
	if !known {
		return nil, false, nil
	}
	x, err := bindJSON(e, name, f, args)
	return x, true, err
}

func bindJSON(e ast.Node, name string, f scalarFn, args []expr.Expr) (expr.Expr, error) {
	call := func(xs ...expr.Expr) (expr.Expr, error) { return &expr.Func{Op: f.op, Args: xs, Typ: f.res}, nil }
	switch f.op {
	case expr.OpJSONQuote, expr.OpJSONArray, expr.OpJSONObject:
		if f.op == expr.OpJSONQuote && len(args) != 1 || f.op == expr.OpJSONObject && len(args)%2 != 0 {
			return nil, noMatch(e, name, args)
		}
		for i, a := range args {
			if a.Type().IsNested() {
				return nil, notImplemented(e, name+" of a nested value")
			}
			if f.op == expr.OpJSONObject && i%2 == 0 {
				var err error
				if args[i], err = castTo(a, str); err != nil {
					return nil, err
				}
			}
		}
		return call(args...)
	}
	if len(args) == 0 {
		return nil, noMatch(e, name, args)
	}
	doc, err := jsonText(e, name, args, 0)
	if err != nil {
		return nil, err
	}
	switch {
	case name == "json":
		if len(args) != 1 {
			return nil, noMatch(e, name, args)
		}
		return call(doc, &expr.Const{Val: coldata.Datum{S: "$"}, Typ: str})
	case f.op == expr.OpJSONValid || f.op == expr.OpJSONStructure:
		if len(args) != 1 {
			return nil, noMatch(e, name, args)
		}
		return call(doc)
	case len(args) == 1 && f.nargs == 1:
		return call(doc)
	case len(args) != 2:
		return nil, noMatch(e, name, args)
	}
	p := args[1]
	switch t := p.Type(); {
	case t.IsInteger():
		p, err = castTo(p, coldata.TypeInt64)
	case t.ID == coldata.String || t.ID == coldata.Unknown:
		p, err = castTo(p, str)
	case t.ID == coldata.List && f.op != expr.OpJSONKeys:
		return jsonPathList(e, name, f, doc, p)
	case t.IsNested():
		return nil, notImplemented(e, name+" with a list of paths")
	default:
		return nil, noMatch(e, name, args)
	}
	if err != nil {
		return nil, err
	}
	return call(doc, p)
}

// jsonText casts argument i to VARCHAR JSON text.
func jsonText(e ast.Node, name string, args []expr.Expr, i int) (expr.Expr, error) {
	if t := args[i].Type(); t.ID != coldata.String && t.ID != coldata.Unknown {
		return nil, noMatch(e, name, args)
	}
	return castTo(args[i], str)
}

// jsonArrow binds doc -> path (json_extract) and doc ->> path
// (json_extract_string).
func (c *exprCtx) jsonArrow(e *ast.Binary) (expr.Expr, error) {
	// The parser groups a -> b -> c to the right, as lambdas nest; JSON
	// paths chain to the left: (a -> b) -> c.
	if r, ok := e.R.(*ast.Binary); ok && e.Op == "->" && (r.Op == "->" || r.Op == "->>") {
		return c.jsonArrow(&ast.Binary{At: r.At, Op: r.Op, L: &ast.Binary{At: e.At, Op: "->", L: e.L, R: r.L}, R: r.R})
	}
	l, err := c.bind(e.L)
	if err != nil {
		return nil, err
	}
	r, err := c.bind(e.R)
	if err != nil {
		return nil, err
	}
	name := "json_extract"
	if e.Op == "->>" {
		name = "json_extract_string"
	}
	return bindJSON(e, name, jsonFuncs[name], []expr.Expr{l, r})
}

// jsonPathList binds f(doc, [path, ...]) with a constant list of paths as
// the list of f(doc, path): DuckDB's list-of-paths form.
func jsonPathList(e ast.Node, name string, f scalarFn, doc, list expr.Expr) (expr.Expr, error) {
	var paths []expr.Expr
	elem := list.Type().Nest.Elem
	switch l := list.(type) {
	case *expr.Const:
		if l.Val.Null {
			return &expr.Const{Val: coldata.NullDatum, Typ: coldata.ListType(f.res)}, nil
		}
		for _, d := range l.Val.N.Elems {
			paths = append(paths, &expr.Const{Val: d, Typ: elem})
		}
	case *expr.Func:
		if l.Op != expr.OpListValue {
			return nil, notImplemented(e, name+" with a list of paths that is not constant")
		}
		paths = l.Args
	default:
		return nil, notImplemented(e, name+" with a list of paths that is not constant")
	}
	calls := make([]expr.Expr, len(paths))
	for i, p := range paths {
		x, err := bindJSON(e, name, f, []expr.Expr{doc, p})
		if err != nil {
			return nil, err
		}
		calls[i] = x
	}
	lt := coldata.ListType(f.res)
	if k, ok := doc.(*expr.Const); ok && k.Val.Null {
		// A NULL document gives a NULL list. (A NULL row of a column still
		// gives a list of NULLs: CASE over lists is not supported yet.)
		return &expr.Const{Val: coldata.NullDatum, Typ: lt}, nil
	}
	return &expr.Func{Op: expr.OpListValue, Args: calls, Typ: lt}, nil
}
