package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// tryCastTo binds TRY_CAST(e AS t): the cast's value, or NULL where the
// cast fails. A constant folds here; anything else becomes a Cast marked
// Try, whose kernel turns the rows it cannot convert into NULLs.
func tryCastTo(at ast.Node, e expr.Expr, t coldata.Type) (expr.Expr, error) {
	from := e.Type()
	if from == t {
		return e, nil
	}
	if from.IsNested() || t.IsNested() {
		return nil, notImplemented(at, "TRY_CAST of a nested type")
	}
	if c, ok := e.(*expr.Const); ok {
		v, err := castConst(c.Val, c.Typ, t)
		if err != nil {
			v = coldata.NullDatum
		}
		return &expr.Const{Val: v, Typ: t}, nil
	}
	if p, ok := e.(*expr.Param); ok && p.Typ.ID == coldata.Unknown {
		// An untyped parameter takes the cast's type; its value is cast
		// (and may fail) when the statement runs, as with CAST.
		q := *p
		q.Typ = t
		return &q, nil
	}
	return &expr.Cast{Arg: e, Typ: t, Try: true}, nil
}
