package sql

import (
	"fmt"
	"math"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/exec/kernel"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// intDigits is how many decimal digits an integer type needs.
func intDigits(t coldata.Type) int {
	if t.Kind != coldata.KindNone {
		return coldata.IntDigits(t)
	}
	switch t.ID {
	case coldata.Int32:
		return 10
	case coldata.Int64:
		return 19
	case coldata.Hugeint:
		return 39
	case coldata.Decimal:
		return int(t.Precision) - int(t.Scale)
	}
	return 0
}

// integral reports an integer type, HUGEINT included (coldata's IsInteger
// names the 64-bit-or-narrower ones the binder's constant shortcuts read).
func integral(t coldata.Type) bool { return t.IsInteger() || t.ID == coldata.Hugeint }

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
	case a.IsNumeric() && b.IsNumeric():
		// DuckDB's implicit casts: the wider integer (HUGEINT included),
		// DOUBLE with DOUBLE, else a DECIMAL holding both.
		t, _ := coldata.CommonNumeric(a, b)
		return t, nil
	case a.ID == coldata.Date && b.ID == coldata.Timestamp, a.ID == coldata.Timestamp && b.ID == coldata.Date,
		a.ID == coldata.Timestamp && b.ID == coldata.Timestamp:
		if a == coldata.TypeTimestampTZ || b == coldata.TypeTimestampTZ {
			return coldata.TypeTimestampTZ, nil
		}
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
	if x, ok, err := castNested(e, t); ok {
		return x, err
	}
	switch x := e.(type) {
	case *expr.Const:
		v, err := castConst(x.Val, x.Typ, t)
		if err != nil {
			return nil, err
		}
		return &expr.Const{Val: v, Typ: t}, nil
	case *expr.Param:
		// A parameter takes the type its context asks for; its value is
		// cast when the statement runs.
		p := *x
		p.Typ = t
		return &p, nil
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
	if out, ok := widenInt(v, from, to); ok {
		return out, nil
	}
	out, err := kernel.EvalConst(&expr.Cast{Arg: &expr.Const{Val: v, Typ: from}, Typ: to})
	if err != nil {
		// The kernel's error carries DuckDB's category; as a positioned
		// binder error it also gets the LINE context of the cast.
		e := categorized(err, "Conversion")
		if len(v.S) > 64 {
			e.Msg = strings.ReplaceAll(e.Msg, v.S, clip(v.S))
		}
		return coldata.Datum{}, e
	}
	return out, nil
}

// widenInt converts an integer constant to a type that holds it exactly
// (BIGINT, INTEGER in range, DOUBLE below 2^53, a DECIMAL wide enough)
// without compiling a cast kernel: binding a long IN list or AND chain
// casts every literal. Anything else goes through the kernel.
func widenInt(v coldata.Datum, from, to coldata.Type) (coldata.Datum, bool) {
	if !from.IsInteger() || to.Kind != coldata.KindNone {
		return coldata.Datum{}, false
	}
	i := v.I
	switch to.ID {
	case coldata.Int64:
		return coldata.Datum{I: i}, true
	case coldata.Int32:
		return coldata.Datum{I: i}, i >= math.MinInt32 && i <= math.MaxInt32
	case coldata.Float64:
		return coldata.Datum{F: float64(i)}, i > -1<<53 && i < 1<<53
	case coldata.Decimal:
		// Room for the value's digits next to the scale's, within 18 digits.
		limit := int64(1)
		for k := 0; k < int(to.Precision)-int(to.Scale) && k < 18; k++ {
			limit *= 10
		}
		if to.Precision > 18 || i >= limit || i <= -limit {
			return coldata.Datum{}, false
		}
		for k := 0; k < int(to.Scale); k++ {
			i *= 10
		}
		return coldata.Datum{I: i}, true
	}
	return coldata.Datum{}, false
}
