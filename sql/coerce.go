package sql

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
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

// castConst converts a constant (the binder's constant folding of casts).
func castConst(v coldata.Datum, from, to coldata.Type) (coldata.Datum, error) {
	if v.Null || from == to {
		return v, nil
	}
	fail := func() (coldata.Datum, error) {
		return coldata.Datum{}, fmt.Errorf("Conversion Error: Could not convert %s '%s' to %s", from, coldata.Format(from, v), to)
	}
	switch from.ID {
	case coldata.String:
		s := strings.TrimSpace(v.S)
		switch to.ID {
		case coldata.Date:
			d, err := coldata.ParseDate(s)
			if err != nil {
				return coldata.Datum{}, fmt.Errorf("Conversion Error: %v", err)
			}
			return coldata.Datum{I: int64(d)}, nil
		case coldata.Timestamp:
			ts, err := coldata.ParseTimestamp(s)
			if err != nil {
				return coldata.Datum{}, fmt.Errorf("Conversion Error: %v", err)
			}
			return coldata.Datum{I: ts}, nil
		case coldata.Int32, coldata.Int64:
			i, err := strconv.ParseInt(s, 10, 64)
			if err != nil || (to.ID == coldata.Int32 && (i > math.MaxInt32 || i < math.MinInt32)) {
				return fail()
			}
			return coldata.Datum{I: i}, nil
		case coldata.Float64:
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fail()
			}
			return coldata.Datum{F: f}, nil
		case coldata.Decimal:
			d, err := coldata.ParseDecimal(s, int(to.Scale))
			if err != nil {
				return fail()
			}
			return coldata.Datum{I: d}, nil
		case coldata.Bool:
			switch strings.ToLower(s) {
			case "true", "t", "1", "yes", "y":
				return coldata.Datum{B: true}, nil
			case "false", "f", "0", "no", "n":
				return coldata.Datum{B: false}, nil
			}
			return fail()
		}
	case coldata.Int32, coldata.Int64:
		switch to.ID {
		case coldata.Int32:
			if v.I > math.MaxInt32 || v.I < math.MinInt32 {
				return fail()
			}
			return v, nil
		case coldata.Int64:
			return v, nil
		case coldata.Float64:
			return coldata.Datum{F: float64(v.I)}, nil
		case coldata.Decimal:
			if to.Scale > 18 {
				return fail()
			}
			p := coldata.Pow10[to.Scale]
			r := v.I * p
			if v.I != 0 && r/p != v.I {
				return fail()
			}
			return coldata.Datum{I: r}, nil
		case coldata.String:
			return coldata.Datum{S: strconv.FormatInt(v.I, 10)}, nil
		case coldata.Bool:
			return coldata.Datum{B: v.I != 0}, nil
		}
	case coldata.Decimal:
		switch to.ID {
		case coldata.Decimal:
			return coldata.Datum{I: rescale(v.I, int(from.Scale), int(to.Scale))}, nil
		case coldata.Float64:
			return coldata.Datum{F: float64(v.I) / math.Pow10(int(from.Scale))}, nil
		case coldata.Int32, coldata.Int64:
			return coldata.Datum{I: rescale(v.I, int(from.Scale), 0)}, nil
		case coldata.String:
			return coldata.Datum{S: coldata.FormatDecimal(v.I, int(from.Scale))}, nil
		}
	case coldata.Float64:
		switch to.ID {
		case coldata.Int32, coldata.Int64:
			return coldata.Datum{I: int64(math.Round(v.F))}, nil
		case coldata.Decimal:
			return coldata.Datum{I: int64(math.Round(v.F * math.Pow10(int(to.Scale))))}, nil
		case coldata.String:
			return coldata.Datum{S: coldata.FormatFloat(v.F)}, nil
		}
	case coldata.Date:
		switch to.ID {
		case coldata.Timestamp:
			return coldata.Datum{I: v.I * 86400 * 1e6}, nil
		case coldata.String:
			return coldata.Datum{S: coldata.FormatDate(int32(v.I))}, nil
		}
	case coldata.Timestamp:
		switch to.ID {
		case coldata.Date:
			d := v.I / (86400 * 1e6)
			if v.I < 0 && v.I%(86400*1e6) != 0 {
				d--
			}
			return coldata.Datum{I: d}, nil
		case coldata.String:
			return coldata.Datum{S: coldata.FormatTimestamp(v.I)}, nil
		}
	case coldata.Bool:
		switch to.ID {
		case coldata.String:
			return coldata.Datum{S: strconv.FormatBool(v.B)}, nil
		case coldata.Int32, coldata.Int64:
			if v.B {
				return coldata.Datum{I: 1}, nil
			}
			return coldata.Datum{I: 0}, nil
		}
	case coldata.Unknown:
		return coldata.NullDatum, nil
	}
	return fail()
}

// rescale changes a decimal's scale, rounding half away from zero.
func rescale(v int64, from, to int) int64 {
	for from < to {
		v *= 10
		from++
	}
	if from > to {
		p := coldata.Pow10[from-to]
		q, r := v/p, v%p
		if r*2 >= p {
			q++
		} else if r*2 <= -p {
			q--
		}
		v = q
	}
	return v
}
