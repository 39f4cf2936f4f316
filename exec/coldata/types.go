package coldata

import (
	"fmt"
	"strings"
)

// TypeID names a logical type. Each logical type has exactly one physical
// representation in a Vec, listed beside it.
type TypeID uint8

// The logical types, each with the Vec field that holds its values.
const (
	Unknown   TypeID = iota // the type of a bare NULL; no storage
	Bool                    // Vec.B
	Int32                   // Vec.I32 (INTEGER)
	Int64                   // Vec.I64 (BIGINT)
	Float64                 // Vec.F64 (DOUBLE)
	Decimal                 // Vec.I64, value = I64 / 10^Scale
	String                  // Vec.Str (VARCHAR)
	Date                    // Vec.I32, days since 1970-01-01
	Timestamp               // Vec.I64, microseconds since 1970-01-01 00:00:00 UTC
	Interval                // constants only: Datum.I = months, Datum.F unused, Datum.I2 = days (see Datum)
	List                    // Vec.Offsets (n+1) and Vec.Child[0] (elements); see nested.go
	Struct                  // Vec.Child, one per field, each of the struct's length
	Map                     // Vec.Offsets and Vec.Child[0] (keys), Vec.Child[1] (values)
	Hugeint                 // Vec.I128 (HUGEINT, 128-bit integers; see int128.go)
)

// MaxDecimalPrecision is the largest precision a DECIMAL may declare. Values
// are stored in 64 bits, so a value whose magnitude needs more than 18 digits
// is an overflow error at the point it is produced; sums accumulate in 128 bits.
const MaxDecimalPrecision = 38

// Type is a logical type. Precision and Scale are meaningful for Decimal only.
//
// Nested types (List, Struct, Map) carry their children in Nest, a pointer to
// an immutable descriptor, so that Type stays comparable. == on two nested
// types compares descriptor identity; use Equal to compare structurally.
type Type struct {
	ID        TypeID
	Precision uint8
	Scale     uint8
	Nest      *NestedType
	// Kind refines an integer or DOUBLE storage class into a narrower
	// logical type (TINYINT, UBIGINT, FLOAT, ...; see kinds.go). ID stays
	// the storage class, so kernels that dispatch on ID keep working.
	Kind Kind
}

// The types without parameters (DecimalType, ListType, StructType and
// MapType make the others).
var (
	TypeUnknown   = Type{ID: Unknown}
	TypeBool      = Type{ID: Bool}
	TypeInt32     = Type{ID: Int32}
	TypeInt64     = Type{ID: Int64}
	TypeFloat64   = Type{ID: Float64}
	TypeString    = Type{ID: String}
	TypeDate      = Type{ID: Date}
	TypeTimestamp = Type{ID: Timestamp}
	TypeInterval  = Type{ID: Interval}
	TypeHugeint   = Type{ID: Hugeint}
)

// DecimalType returns DECIMAL(p,s).
func DecimalType(p, s int) Type { return Type{ID: Decimal, Precision: uint8(p), Scale: uint8(s)} }

// IsNumeric reports whether t takes part in arithmetic.
func (t Type) IsNumeric() bool {
	if t.IsTemporalKind() {
		return false
	}
	switch t.ID {
	case Int32, Int64, Float64, Decimal, Hugeint:
		return true
	}
	return false
}

// IsInteger reports whether t is one of the 32- or 64-bit integer types
// (HUGEINT, 128 bits wide, has its own kernels and is not among them).
func (t Type) IsInteger() bool {
	return (t.ID == Int32 || t.ID == Int64) && !t.IsTemporalKind()
}

// String is the type's SQL name as DuckDB prints it (BIGINT,
// DECIMAL(15,2), VARCHAR[], STRUCT(a BIGINT), ...).
func (t Type) String() string {
	if t.Kind != 0 {
		return t.Kind.String()
	}
	switch t.ID {
	case Unknown:
		return "NULL"
	case Bool:
		return "BOOLEAN"
	case Int32:
		return "INTEGER"
	case Int64:
		return "BIGINT"
	case Hugeint:
		return "HUGEINT"
	case Float64:
		return "DOUBLE"
	case Decimal:
		return fmt.Sprintf("DECIMAL(%d,%d)", t.Precision, t.Scale)
	case String:
		return "VARCHAR"
	case Date:
		return "DATE"
	case Timestamp:
		return "TIMESTAMP"
	case Interval:
		return "INTERVAL"
	case List, Struct, Map:
		return nestedTypeString(t)
	}
	return fmt.Sprintf("TYPE(%d)", t.ID)
}

// ParseTypeName maps a SQL type name (as written in CAST) to a Type.
// Decimal precision/scale are given separately by the caller.
func ParseTypeName(name string) (Type, bool) {
	up := strings.ToUpper(strings.TrimSpace(name))
	if t, ok := parseKindName(up); ok {
		return t, true
	}
	switch up {
	case "BOOLEAN", "BOOL":
		return TypeBool, true
	case "INTEGER", "INT", "INT4", "SIGNED":
		return TypeInt32, true
	case "BIGINT", "INT8", "LONG":
		return TypeInt64, true
	case "HUGEINT", "INT128":
		return TypeHugeint, true
	case "DOUBLE", "FLOAT8", "DOUBLE PRECISION":
		return TypeFloat64, true
	case "DECIMAL", "NUMERIC":
		return DecimalType(18, 3), true
	case "VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR":
		return TypeString, true
	case "DATE":
		return TypeDate, true
	case "TIMESTAMP", "DATETIME":
		return TypeTimestamp, true
	}
	return Type{}, false
}

// Pow10 holds 10^i for i in [0, 18].
var Pow10 = [19]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}
