package sql

import (
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// argOrderAllowed reports whether a window function may carry an ORDER BY
// inside its arguments: fill() interpolates along it, and the aggregates
// whose result does not depend on row order ignore it, as DuckDB does.
func argOrderAllowed(name string) bool {
	return name == "fill" || orderInsensitive(name)
}

// fillArgOrder binds fill(x ORDER BY k): k, not the window's ORDER BY, is
// the interpolation key and the order neighbours are found in.
func (c *exprCtx) fillArgOrder(fe *ast.FuncCall, call *planner.WindowCall, w *winState) error {
	if len(fe.OrderBy) != 1 {
		return binderErr(fe, "FILL functions must have only one ORDER BY expression")
	}
	o := fe.OrderBy[0]
	x, err := c.bind(o.Expr)
	if err != nil {
		return err
	}
	if !fillable(x.Type()) {
		return binderErr(fe, "FILL ordering must support subtraction")
	}
	col := w.column(c.b, x, outputName(o.Expr))
	call.ArgOrder = []planner.SortKey{{Col: col.ID, Desc: o.Desc, NullsFirst: c.b.nullsFirst(o)}}
	return nil
}
