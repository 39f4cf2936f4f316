package sql

import (
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/exec/kernel"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// namedAggs maps the names of the aggregates the executor resolves by name
// (planner.AggNamed) to the name it knows them by: DuckDB's aliases
// (stddev is stddev_samp) resolve here.
var namedAggs = map[string]string{
	"bool_and": "bool_and", "bool_or": "bool_or", "count_if": "count_if", "countif": "count_if",
	"bit_and": "bit_and", "bit_or": "bit_or", "bit_xor": "bit_xor", "product": "product",
	"first": "first", "last": "last", "any_value": "any_value", "arbitrary": "first",
	"approx_count_distinct": "approx_count_distinct",
	"var_samp":              "var_samp", "var_pop": "var_pop", "variance": "var_samp", "stddev": "stddev_samp",
	"stddev_samp": "stddev_samp", "stddev_pop": "stddev_pop", "skewness": "skewness", "kurtosis": "kurtosis",
	"kurtosis_pop": "kurtosis_pop", "sem": "sem",
	"median": "median", "quantile_cont": "quantile_cont", "quantile_disc": "quantile_disc",
	"quantile": "quantile_disc", "mode": "mode", "mad": "mad", "entropy": "entropy", "approx_quantile": "approx_quantile",
	"string_agg": "string_agg", "listagg": "string_agg", "group_concat": "string_agg",
	"list": "list", "array_agg": "list", "fsum": "fsum", "kahan_sum": "fsum", "sumkahan": "fsum", "favg": "favg",
	"arg_min": "arg_min", "argmin": "arg_min", "min_by": "arg_min", "arg_max": "arg_max", "argmax": "arg_max",
	"max_by": "arg_max", "arg_min_null": "arg_min_null", "arg_max_null": "arg_max_null",
	"arg_min_nulls_last": "arg_min_nulls_last", "arg_max_nulls_last": "arg_max_nulls_last",
	"weighted_avg": "weighted_avg", "wavg": "weighted_avg", "covar_pop": "covar_pop", "covar_samp": "covar_samp", "corr": "corr",
	"regr_slope": "regr_slope", "regr_intercept": "regr_intercept", "regr_r2": "regr_r2", "regr_avgx": "regr_avgx",
	"regr_avgy": "regr_avgy", "regr_sxx": "regr_sxx", "regr_syy": "regr_syy", "regr_sxy": "regr_sxy",
}

// pairAggs take two column arguments (planner.AggCall.Arg2).
var pairAggs = map[string]bool{
	"arg_min": true, "arg_max": true, "arg_min_null": true, "arg_max_null": true, "arg_min_nulls_last": true,
	"arg_max_nulls_last": true, "weighted_avg": true, "covar_pop": true, "covar_samp": true, "corr": true, "regr_slope": true,
	"regr_intercept": true, "regr_r2": true, "regr_avgx": true, "regr_avgy": true, "regr_sxx": true,
	"regr_syy": true, "regr_sxy": true,
}

// namedAggSpec binds a named aggregate's arguments: the value argument
// (cast to the type the executor reads) and the constant parameters, and
// returns DuckDB's result type.
func (c *exprCtx) namedAggSpec(fe *ast.FuncCall, name string, args []ast.Expr, inner *exprCtx) (arg expr.Expr, params []coldata.Datum, out coldata.Type, err error) {
	fn := namedAggs[name]
	if pairAggs[fn] {
		return nil, nil, out, binderErr(fe, "internal error: %s takes two columns", name)
	}
	nargs := 1
	switch fn {
	case "quantile_cont", "quantile_disc", "approx_quantile":
		nargs = 2
	case "string_agg":
		if len(args) == 1 {
			params = []coldata.Datum{{S: ","}}
		} else {
			nargs = 2
		}
	}
	if len(args) != nargs {
		return nil, nil, out, noAggMatch(fe, name, args, inner)
	}
	if containsAggregate(args[0]) {
		return nil, nil, out, binderErr(fe, "aggregate function calls cannot be nested")
	}
	if arg, err = inner.bind(args[0]); err != nil {
		return nil, nil, out, err
	}
	t := arg.Type()
	if t.ID == coldata.Unknown {
		// DuckDB types an aggregate of a bare NULL as one of INTEGERs
		// (BIGINTs for the bitwise ones).
		t = coldata.TypeInt32
		if fn == "bit_and" || fn == "bit_or" || fn == "bit_xor" {
			t = coldata.TypeInt64
		}
		arg = &expr.Cast{Arg: arg, Typ: t}
	}
	if t.IsNested() {
		return nil, nil, out, errAt(fe, "Not implemented", "%s on the nested value %s (%s) is not supported", clip(fe.String()), clip(arg.String()), t)
	}
	noMatch := func() error {
		return binderErr(fe, "No function matches the given name and argument types '%s(%s)'. You might need to add explicit type casts.", name, t)
	}
	cast := func(to coldata.Type) error {
		if arg, err = castTo(arg, to); err != nil {
			return err
		}
		out = to
		return nil
	}
	switch fn {
	case "bool_and", "bool_or":
		err = cast(coldata.TypeBool)
	case "count_if":
		err = cast(coldata.TypeBool)
		out = coldata.TypeHugeint
	case "bit_and", "bit_or", "bit_xor":
		if !t.IsInteger() {
			return nil, nil, out, noMatch()
		}
		out = t
	case "product", "fsum", "favg", "var_samp", "var_pop", "stddev_samp", "stddev_pop", "skewness", "kurtosis", "kurtosis_pop", "sem":
		if !t.IsNumeric() {
			return nil, nil, out, noMatch()
		}
		err = cast(coldata.TypeFloat64)
	case "first", "last", "any_value", "mode", "quantile_disc":
		out = t
	case "approx_count_distinct":
		out = coldata.TypeInt64
	case "entropy":
		out = coldata.TypeFloat64
	case "string_agg":
		err = cast(coldata.TypeString)
	case "list":
		out = coldata.ListType(t)
	case "median", "quantile_cont":
		out = quantileType(t)
	case "mad":
		out, err = madType(fe, t, cast)
	case "approx_quantile":
		if t.ID == coldata.Decimal || t.ID == coldata.String || t.ID == coldata.Bool {
			return nil, nil, out, notImplemented(fe, "approx_quantile of "+t.String())
		}
		out = t
	}
	if err != nil {
		return nil, nil, out, err
	}
	if nargs == 2 {
		p, list, err := c.aggParam(fe, fn, args[1], inner)
		if err != nil {
			return nil, nil, out, err
		}
		params = append(params, p)
		if list {
			out = coldata.ListType(out)
		}
	}
	return arg, params, out, nil
}

// quantileType is a continuous quantile's type: DOUBLE for integers and
// doubles, the argument's for DECIMAL and TIMESTAMP, TIMESTAMP for DATE,
// and the discrete value for strings.
func quantileType(t coldata.Type) coldata.Type {
	switch t.ID {
	case coldata.Decimal, coldata.Timestamp, coldata.String:
		return t
	case coldata.Date:
		return coldata.TypeTimestamp
	}
	return coldata.TypeFloat64
}

// aggParam evaluates an aggregate's constant parameter: a separator, or a
// quantile fraction or list of fractions (list reports the latter).
func (c *exprCtx) aggParam(fe *ast.FuncCall, fn string, a ast.Expr, inner *exprCtx) (coldata.Datum, bool, error) {
	e, err := inner.bind(a)
	if err != nil {
		return coldata.Datum{}, false, err
	}
	if !constant(e) {
		if fn == "string_agg" {
			return coldata.Datum{}, false, binderErr(fe, "Separator argument to StringAgg must be a constant")
		}
		return coldata.Datum{}, false, binderErr(fe, "QUANTILE can only take constant parameters")
	}
	want := coldata.TypeFloat64
	list := e.Type().ID == coldata.List
	switch {
	case fn == "string_agg":
		want = coldata.TypeString
	case list:
		want = coldata.ListType(coldata.TypeFloat64)
	}
	if e, err = castTo(e, want); err != nil {
		return coldata.Datum{}, false, err
	}
	v, err := kernel.EvalConst(e)
	if err != nil {
		return coldata.Datum{}, false, categorized(err, "Binder")
	}
	if fn == "string_agg" {
		return v, false, nil // a NULL separator makes every result NULL
	}
	fracs := []coldata.Datum{v}
	if list && v.N != nil {
		fracs = v.N.Elems
	}
	for _, f := range fracs {
		if f.Null || f.F < 0 || f.F > 1 {
			// DuckDB takes -1..0 too (descending); Peregrine not yet.
			return coldata.Datum{}, false, binderErr(fe, "QUANTILE can only take parameters in the range [-1, 1]")
		}
	}
	return v, list, nil
}

// paramKey spells a parameter for the aggregate's dedup key.
func paramKey(p coldata.Datum) string {
	if p.N == nil {
		return strconv.Quote(p.S) + strconv.FormatFloat(p.F, 'g', -1, 64)
	}
	k := "["
	for _, e := range p.N.Elems {
		k += paramKey(e) + ","
	}
	return k + "]"
}

// pairAggSpec binds a two-argument aggregate: arg_min/arg_max keep the
// first argument's type and order by the second; the statistics of
// (y, x) pairs read DOUBLEs and are DOUBLEs.
func (c *exprCtx) pairAggSpec(fe *ast.FuncCall, name string, args []ast.Expr, inner *exprCtx) (arg, arg2 expr.Expr, out coldata.Type, err error) {
	fn := namedAggs[name]
	if len(args) != 2 {
		return nil, nil, out, noAggMatch(fe, name, args, inner)
	}
	var xs [2]expr.Expr
	for i, a := range args {
		if containsAggregate(a) {
			return nil, nil, out, binderErr(fe, "aggregate function calls cannot be nested")
		}
		if xs[i], err = inner.bind(a); err != nil {
			return nil, nil, out, err
		}
		t := xs[i].Type()
		if t.IsNested() || t.ID == coldata.Hugeint {
			return nil, nil, out, errAt(fe, "Not implemented", "%s of %s is not supported", name, t)
		}
		if t.ID == coldata.Unknown {
			xs[i] = &expr.Cast{Arg: xs[i], Typ: coldata.TypeInt32}
		}
	}
	if strings.HasPrefix(fn, "arg_m") {
		return xs[0], xs[1], xs[0].Type(), nil
	}
	for i, x := range xs {
		if !x.Type().IsNumeric() {
			return nil, nil, out, binderErr(fe, "No function matches the given name and argument types '%s(%s, %s)'. You might need to add explicit type casts.", name, xs[0].Type(), xs[1].Type())
		}
		if xs[i], err = castTo(x, coldata.TypeFloat64); err != nil {
			return nil, nil, out, err
		}
	}
	return xs[0], xs[1], coldata.TypeFloat64, nil
}

// namedAgg binds a call of an aggregate the executor resolves by name.
func (c *exprCtx) namedAgg(fe *ast.FuncCall, name string, args []ast.Expr, inner *exprCtx) (planner.AggCall, error) {
	call := planner.AggCall{Func: planner.AggNamed, Name: namedAggs[name], Distinct: fe.Distinct}
	var err error
	if pairAggs[call.Name] {
		if fe.Distinct {
			return call, notImplemented(fe, "DISTINCT in "+name)
		}
		call.Arg, call.Arg2, call.Typ, err = c.pairAggSpec(fe, name, args, inner)
		return call, err
	}
	call.Arg, call.Params, call.Typ, err = c.namedAggSpec(fe, name, args, inner)
	return call, err
}

// noAggMatch is DuckDB's error for a call with the wrong number of
// arguments, naming the types of those given.
func noAggMatch(fe *ast.FuncCall, name string, args []ast.Expr, inner *exprCtx) error {
	types := make([]string, 0, len(args))
	for _, a := range args {
		t := "ANY"
		if x, err := inner.bind(a); err == nil {
			t = x.Type().String()
		}
		types = append(types, t)
	}
	return binderErr(fe, "No function matches the given name and argument types '%s(%s)'. You might need to add explicit type casts.", name, strings.Join(types, ", "))
}
