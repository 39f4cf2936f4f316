package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// tryCastTo binds TRY_CAST(e AS t): the cast's value, or NULL where the
// cast fails. A constant folds here; anything else becomes a Cast marked
// Try, whose kernel turns the rows it cannot convert into NULLs.
func tryCastTo(e expr.Expr, t coldata.Type) (expr.Expr, error) {
	from := e.Type()
	if from == t {
		return e, nil
	}
	if from.IsNested() || t.IsNested() {
		// Element by element: an element that does not convert is NULL,
		// a cast between unrelated shapes is NULL altogether.
		x, _, err := castNested(e, t)
		if err != nil {
			return &expr.Const{Val: coldata.NullDatum, Typ: t}, nil
		}
		if c, ok := x.(*expr.Cast); ok {
			c.Try = true
		}
		return x, nil
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
