package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// kindArithType adjusts the type + - * // % run in when an operand is one
// of the small or unsigned integers (coldata.Kind), as DuckDB types them:
// a signed with an unsigned type of which neither holds the other goes to
// BIGINT (HUGEINT with UBIGINT), and an integer constant that fits the
// other operand's type takes that type, as DuckDB's integer literals do
// (200::UTINYINT + 100 is UTINYINT arithmetic and overflows; litL and litR
// tell whether an operand is written as a number, not a cast).
func kindArithType(t coldata.Type, l, r expr.Expr, litL, litR bool) coldata.Type {
	lt, rt := l.Type(), r.Type()
	if lt.Kind == coldata.KindNone && rt.Kind == coldata.KindNone {
		return t
	}
	if !integral(lt) || !integral(rt) {
		return t
	}
	if k, ok := r.(*expr.Const); ok && litR && lt.Kind != coldata.KindNone && rt.Kind == coldata.KindNone && constFits(k, lt) {
		return lt
	}
	if k, ok := l.(*expr.Const); ok && litL && rt.Kind != coldata.KindNone && lt.Kind == coldata.KindNone && constFits(k, rt) {
		return rt
	}
	return coldata.ArithInteger(lt, rt)
}

// divType is the type of l / r: FLOAT when both operands' common type is
// FLOAT, else DOUBLE.
func divType(lt, rt coldata.Type) coldata.Type {
	if t, err := commonType(lt, rt); err == nil && t.Kind == coldata.KindFloat {
		return t
	}
	return coldata.TypeFloat64
}

// isNumberLit reports an operand written as a number (-1 included).
func isNumberLit(e ast.Expr) bool {
	_, ok := e.(*ast.NumberLit)
	return ok
}
