package sql

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/exec/kernel"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// intDigits is how many decimal digits an integer type needs.
func intDigits(t coldata.Type) int {
	switch t.ID {
	case coldata.Int32:
		return 10
	case coldata.Int64:
		return 19
	case coldata.Decimal:
		return int(t.Precision) - int(t.Scale)
	}
	return 0
}

func decimalOf(intD, scale int) coldata.Type {
	p := intD + scale
	if p > coldata.MaxDecimalPrecision {
		p = coldata.MaxDecimalPrecision
	}
	if p < 1 {
		p = 1
	}
	return coldata.DecimalType(p, scale)
}

// commonType is the type two operands are cast to before comparing or adding
// them, following DuckDB's implicit casts for the types we have.
func commonType(a, b coldata.Type) (coldata.Type, error) {
	if a == b {
		return a, nil
	}
	switch {
	case a.ID == coldata.Unknown:
		return b, nil
	case b.ID == coldata.Unknown:
		return a, nil
	case a.ID == coldata.Float64 && b.IsNumeric(), b.ID == coldata.Float64 && a.IsNumeric():
		return coldata.TypeFloat64, nil
	case a.IsInteger() && b.IsInteger():
		return coldata.TypeInt64, nil
	case a.IsNumeric() && b.IsNumeric():
		scale := max(int(a.Scale), int(b.Scale))
		return decimalOf(max(intDigits(a), intDigits(b)), scale), nil
	case a.ID == coldata.Date && b.ID == coldata.Timestamp, a.ID == coldata.Timestamp && b.ID == coldata.Date:
		return coldata.TypeTimestamp, nil
	case a.ID == coldata.String && b.ID != coldata.Interval:
		return b, nil
	case b.ID == coldata.String && a.ID != coldata.Interval:
		return a, nil
	}
	return coldata.Type{}, fmt.Errorf("Cannot mix values of type %s and %s", a, b)
}

// castTo returns e converted to t, folding constants so that predicates stay
// in `column op constant` form for pushdown.
func castTo(e expr.Expr, t coldata.Type) (expr.Expr, error) {
	if e.Type() == t {
		return e, nil
	}
	if c, ok := e.(*expr.Const); ok {
		v, err := castConst(c.Val, c.Typ, t)
		if err != nil {
			return nil, err
		}
		return &expr.Const{Val: v, Typ: t}, nil
	}
	return &expr.Cast{Arg: e, Typ: t}, nil
}

// constFits reports whether constant c converts to t without loss, so a
// comparison can cast the constant instead of the column.
func constFits(c *expr.Const, t coldata.Type) bool {
	if c.Val.Null {
		return true
	}
	v, err := castConst(c.Val, c.Typ, t)
	if err != nil {
		return false
	}
	back, err := castConst(v, t, c.Typ)
	if err != nil {
		return false
	}
	if c.Typ.ID == coldata.String {
		// '1995-01-01' vs a DATE column: any successful parse is what the
		// user meant; the round trip may differ in spelling only.
		return true
	}
	return coldata.Compare(c.Typ, back, c.Val) == 0
}

// castConst converts a constant with the executor's cast kernel, so that
// folded casts behave exactly like casts at run time.
func castConst(v coldata.Datum, from, to coldata.Type) (coldata.Datum, error) {
	if v.Null || from == to {
		return v, nil
	}
	// The kernel's error already carries DuckDB's category.
	return kernel.EvalConst(&expr.Cast{Arg: &expr.Const{Val: v, Typ: from}, Typ: to})
}
