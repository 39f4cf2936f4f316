package coldata

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseIntegerLiteral types an integer literal of any length the way
// DuckDB does and returns its value: INTEGER when it fits 32 bits, BIGINT
// when it fits 64, HUGEINT when it fits 128, and DOUBLE beyond (DuckDB
// types [2^127, 2^128) as UHUGEINT, which Peregrine does not have; those
// become DOUBLE too). text is the literal's digits, optionally with a sign
// and '_' separators. A minus folded into the literal keeps the type of
// the digits, as DuckDB's negation of a constant does (-2147483648 is a
// BIGINT), except that -9223372036854775808 is a BIGINT, not a HUGEINT.
//
// It is the binder's one entry point for integer literals:
// `18446744073709551616` is HUGEINT, so comparing it with
// 18446744073709551615 is exact, and arithmetic on such literals runs on
// HUGEINT's kernels with overflow checks.
func ParseIntegerLiteral(text string) (Type, Datum, error) {
	s := strings.ReplaceAll(strings.TrimSpace(text), "_", "")
	body := strings.TrimLeft(s, "+-")
	if body == "" || len(s)-len(body) > 1 || strings.Trim(body, "0123456789") != "" {
		return Type{}, Datum{}, fmt.Errorf("Parser Error: invalid integer literal %q", text)
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		if v >= -(1<<31-1) && v < 1<<31 {
			return TypeInt32, Datum{I: v}, nil
		}
		return TypeInt64, Datum{I: v}, nil
	}
	if v, ok := ParseInt128(s); ok {
		return TypeHugeint, Int128Datum(v), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		return Type{}, Datum{}, fmt.Errorf("Parser Error: invalid integer literal %q", text)
	}
	return TypeFloat64, Datum{F: f}, nil
}

// intWidth ranks the integer types by width (0: not an integer type).
func intWidth(t Type) int {
	switch t.ID {
	case Int32:
		return 1
	case Int64:
		return 2
	case Hugeint:
		return 3
	}
	return 0
}

// intDigits is how many decimal digits an integer type's values need.
func intDigits(t Type) int {
	if t.Kind != KindNone {
		return kindDigits(t)
	}
	return [...]int{0, 10, 19, 39}[intWidth(t)]
}

// CommonNumeric is the type DuckDB casts two numeric operands to before
// comparing or combining them (its implicit casts): the wider integer
// type; DOUBLE if either is DOUBLE; otherwise a DECIMAL with the integer
// digits of the wider operand and the larger scale, capped at 38 digits
// (HUGEINT with DECIMAL(10,2) is DECIMAL(38,2), BIGINT with it
// DECIMAL(22,2)). ok is false when either type is not numeric.
func CommonNumeric(a, b Type) (Type, bool) {
	switch {
	case !a.IsNumeric() || !b.IsNumeric():
		return Type{}, false
	case a.ID == Float64 && b.ID == Float64:
		if a.Kind == KindFloat && b.Kind == KindFloat {
			return TypeFloat32, true
		}
		return TypeFloat64, true
	case a.Kind == KindFloat || b.Kind == KindFloat:
		// FLOAT with an integer or DECIMAL is FLOAT, as in DuckDB.
		return TypeFloat32, true
	case a.ID == Float64 || b.ID == Float64:
		return TypeFloat64, true
	case intWidth(a) > 0 && intWidth(b) > 0:
		return commonInteger(a, b), true
	}
	digits := func(t Type) int {
		if t.ID == Decimal {
			return int(t.Precision) - int(t.Scale)
		}
		return intDigits(t)
	}
	scale := max(int(a.Scale), int(b.Scale))
	p := min(max(digits(a), digits(b))+scale, MaxDecimalPrecision)
	return DecimalType(max(p, 1), scale), true
}

// SumType is the type of SUM over arg in DuckDB: HUGEINT for the integer
// types (so a sum of BIGINTs cannot overflow), DECIMAL(38, s) for decimals,
// DOUBLE for DOUBLE.
func SumType(arg Type) Type {
	switch {
	case intWidth(arg) > 0:
		return TypeHugeint
	case arg.ID == Decimal:
		return DecimalType(MaxDecimalPrecision, int(arg.Scale))
	}
	return arg.Storage()
}
