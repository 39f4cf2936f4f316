package sql

import (
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// windowNamedAgg binds an aggregate the executor resolves by name
// (stddev, arg_min, median, string_agg, ...) used as a window function: the
// arguments and constant parameters bind as in GROUP BY (namedAgg), and
// the executor folds each row's frame through the same accumulator.
func (c *exprCtx) windowNamedAgg(fe *ast.FuncCall, name string, args []ast.Expr, call *planner.WindowCall, w *winState) error {
	if fe.Star {
		return binderErr(fe, "%s(*) is not allowed; only count(*)", name)
	}
	if fe.Distinct {
		return notImplemented(fe, "DISTINCT in the window function "+name)
	}
	if fe.Filter != nil {
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
	call.Func, call.Agg, call.Name, call.Params, call.Typ = planner.WinAggregate, planner.AggNamed, ac.Name, ac.Params, ac.Typ
	call.Args = []planner.ColMeta{w.column(c.b, ac.Arg, ac.Arg.String())}
	if ac.Arg2 != nil {
		call.Args = append(call.Args, w.column(c.b, ac.Arg2, ac.Arg2.String()))
	}
	return nil
}
