package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// ifFunc binds DuckDB's if(cond, a, b) as
// CASE WHEN cond THEN a ELSE b END, typed as a and b's common type.
func (c *exprCtx) ifFunc(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, error) {
	if len(args) != 3 {
		return nil, binderErr(e, "%s takes 3 arguments, got %d", name, len(args))
	}
	cond, err := castTo(args[0], coldata.TypeBool)
	if err != nil {
		return nil, err
	}
	t, err := resultType(args[1].Type(), args[2].Type())
	if err != nil {
		return nil, binderErr(e, "%s arguments have incompatible types: %v", name, err)
	}
	a, err := castTo(args[1], t)
	if err != nil {
		return nil, err
	}
	b, err := castTo(args[2], t)
	if err != nil {
		return nil, err
	}
	return &expr.Case{Whens: []expr.When{{Cond: cond, Then: a}}, Else: b, Typ: t}, nil
}
