package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// windowNamedAgg binds an aggregate the executor resolves by name
// (stddev, arg_min, median, string_agg, ...) used as a window function: the
// arguments and constant parameters bind as in GROUP BY (namedAgg), and
// the executor folds each row's frame through the same accumulator.
func (c *exprCtx) windowNamedAgg(fe *ast.FuncCall, name string, args []ast.Expr, call *planner.WindowCall, w *winState) error {
	if namedAggs[name] == "weighted_avg" {
		// DuckDB's weighted_avg is a macro over sum()s, not a window function.
		return errAt(fe, "Catalog", "/ is not an aggregate function")
	}
	if fe.Star {
		return binderErr(fe, "%s(*) is not allowed; only count(*)", name)
	}
	if fe.Distinct {
		return notImplemented(fe, "DISTINCT in the window function "+name)
	}
	if fe.Filter != nil && keepsNulls[namedAggs[name]] {
		return notImplemented(fe.Filter, "FILTER on the window function "+name)
	}
	for _, a := range args {
		if _, ok := a.(*ast.NamedArg); ok {
			return binderErr(a, "%s does not take named arguments", name)
		}
	}
	ac, err := c.namedAgg(fe, name, args, c)
	if err != nil {
		return err
	}
	if fe.Filter != nil {
		// The aggregate skips NULL arguments: filtered-out rows become NULLs.
		f, err := c.bind(fe.Filter)
		if err != nil {
			return err
		}
		if f, err = castTo(f, coldata.TypeBool); err != nil {
			return at(err, fe.Filter)
		}
		ac.Arg = &expr.Case{Whens: []expr.When{{Cond: f, Then: ac.Arg}}, Typ: ac.Arg.Type()}
		if ac.Arg2 != nil {
			ac.Arg2 = &expr.Case{Whens: []expr.When{{Cond: f, Then: ac.Arg2}}, Typ: ac.Arg2.Type()}
		}
	}
	call.Func, call.Agg, call.Name, call.Params, call.Typ = planner.WinAggregate, planner.AggNamed, ac.Name, ac.Params, ac.Typ
	call.Args = []planner.ColMeta{w.column(c.b, ac.Arg, ac.Arg.String())}
	if ac.Arg2 != nil {
		call.Args = append(call.Args, w.column(c.b, ac.Arg2, ac.Arg2.String()))
	}
	return nil
}

// keepsNulls are the named aggregates that see NULL arguments (so a FILTER
// cannot turn filtered-out rows into NULLs for them).
var keepsNulls = map[string]bool{
	"list": true, "first": true, "last": true, "arg_min_null": true, "arg_max_null": true,
	"arg_min_nulls_last": true, "arg_max_nulls_last": true,
}
