package coldata

import (
	"math"
	"strconv"
)

// Kind is a logical type stored in a wider type's Vec slice: the small and
// unsigned integers and single-precision FLOAT. The storage class stays in
// Type.ID, so every kernel that dispatches on ID works unchanged on them;
// what differs is the range a value may take (casts and arithmetic check
// it, see exec/kernel/kinds.go), the name, the printing and the file and
// Arrow types they map to.
//
//	TINYINT, SMALLINT, UTINYINT, USMALLINT   in Int32 (Vec.I32)
//	UINTEGER                                 in Int64 (Vec.I64)
//	UBIGINT                                  in Hugeint (Vec.I128)
//	FLOAT                                    in Float64 (Vec.F64), values rounded to float32
type Kind uint8

// The kinds; KindNone is the storage class's own type.
const (
	KindNone Kind = iota
	KindTinyint
	KindSmallint
	KindUTinyint
	KindUSmallint
	KindUInteger
	KindUBigint
	KindFloat
	KindBlob        // bytes in Vec.Str (blob.go)
	KindUUID        // canonical lower-case 36-char text in Vec.Str (blob.go)
	KindTime        // TIME in Int64 (Vec.I64), microseconds since midnight; see timekinds.go
	KindTimestampTZ // TIMESTAMPTZ in Timestamp (Vec.I64), microseconds since the epoch, UTC
)

// The kinded types.
var (
	TypeTinyint   = Type{ID: Int32, Kind: KindTinyint}
	TypeSmallint  = Type{ID: Int32, Kind: KindSmallint}
	TypeUTinyint  = Type{ID: Int32, Kind: KindUTinyint}
	TypeUSmallint = Type{ID: Int32, Kind: KindUSmallint}
	TypeUInteger  = Type{ID: Int64, Kind: KindUInteger}
	TypeUBigint   = Type{ID: Hugeint, Kind: KindUBigint}
	TypeFloat32   = Type{ID: Float64, Kind: KindFloat}
)

var kindInfo = [...]struct {
	name, phys string
	lo, hi     int64 // integer range (UBIGINT's hi is 2^64-1, see IntRange)
	digits     int   // decimal digits of the largest magnitude
	unsigned   bool
	width      int // bytes
}{
	KindTinyint:   {"TINYINT", "INT8", math.MinInt8, math.MaxInt8, 3, false, 1},
	KindSmallint:  {"SMALLINT", "INT16", math.MinInt16, math.MaxInt16, 5, false, 2},
	KindUTinyint:  {"UTINYINT", "UINT8", 0, math.MaxUint8, 3, true, 1},
	KindUSmallint: {"USMALLINT", "UINT16", 0, math.MaxUint16, 5, true, 2},
	KindUInteger:  {"UINTEGER", "UINT32", 0, math.MaxUint32, 10, true, 4},
	KindUBigint:   {"UBIGINT", "UINT64", 0, math.MaxInt64, 20, true, 8},
	KindFloat:     {"FLOAT", "FLOAT", 0, 0, 0, false, 4},
	KindBlob:      {"BLOB", "BLOB", 0, 0, 0, false, 0},
	KindUUID:      {"UUID", "UUID", 0, 0, 0, false, 0},
	// The time kinds are not numbers: IsTemporalKind keeps them out of
	// the integer rules below.
	KindTime:        {"TIME", "TIME", 0, 0, 0, false, 0},
	KindTimestampTZ: {"TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE", 0, 0, 0, false, 0},
}

// String is the kind's SQL name.
func (k Kind) String() string { return kindInfo[k].name }

// PhysName is the name DuckDB's conversion and overflow errors use (INT8,
// UINT32, FLOAT).
func (k Kind) PhysName() string { return kindInfo[k].phys }

// Storage is the type whose Vec slice holds t's values: t without its kind.
func (t Type) Storage() Type {
	t.Kind = KindNone
	return t
}

// IsUnsigned reports the unsigned integer types.
func (t Type) IsUnsigned() bool { return t.Kind != KindNone && kindInfo[t.Kind].unsigned }

// IntRange is the range of a kinded integer type stored in 64 bits or less
// (ok is false for other types; UBIGINT checks its range with UBigintMax).
func (t Type) IntRange() (lo, hi int64, ok bool) {
	if t.Kind == KindNone || t.Kind == KindFloat || t.Kind == KindUBigint || t.IsTemporalKind() || t.IsBytes() {
		return 0, 0, false
	}
	k := kindInfo[t.Kind]
	return k.lo, k.hi, true
}

// UBigintMax is 2^64-1, UBIGINT's largest value.
var UBigintMax = Int128{Hi: 0, Lo: math.MaxUint64}

// FitsKind reports whether the value d of storage type t.Storage() lies in
// t's range (true for types without a kind).
func FitsKind(t Type, d Datum) bool {
	switch t.Kind {
	case KindNone, KindBlob, KindUUID, KindTime, KindTimestampTZ:
		return true
	case KindFloat:
		return FitsFloat32(d.F)
	case KindUBigint:
		v := d.Int128()
		return v.Hi == 0
	}
	lo, hi, _ := t.IntRange()
	return d.I >= lo && d.I <= hi
}

// FitsFloat32 reports whether f rounds to a finite float32 (or is
// already infinite or NaN, which FLOAT holds too).
func FitsFloat32(f float64) bool {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return true
	}
	return !math.IsInf(float64(float32(f)), 0)
}

// FormatFloat32 prints a FLOAT as DuckDB does: the shortest representation
// that round-trips through float32.
func FormatFloat32(f float64) string {
	switch {
	case math.IsNaN(f), math.IsInf(f, 0):
		return FormatFloat(f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		// 123456789::FLOAT is 123456792 exactly; DuckDB prints the
		// float32's shortest digits, 123456790.0.
		return strconv.FormatFloat(f, 'f', -1, 32) + ".0"
	}
	return strconv.FormatFloat(f, 'g', -1, 32)
}

// parseKindName maps the names (upper case) of the kinded types.
func parseKindName(up string) (Type, bool) {
	switch up {
	case "TINYINT", "INT1":
		return TypeTinyint, true
	case "SMALLINT", "INT2", "SHORT":
		return TypeSmallint, true
	case "UTINYINT", "UINT8":
		return TypeUTinyint, true
	case "USMALLINT", "UINT16":
		return TypeUSmallint, true
	case "UINTEGER", "UINT32":
		return TypeUInteger, true
	case "UBIGINT", "UINT64":
		return TypeUBigint, true
	case "FLOAT", "FLOAT4", "REAL":
		return TypeFloat32, true
	case "BLOB", "BYTEA", "BINARY", "VARBINARY":
		return TypeBlob, true
	case "UUID":
		return TypeUUID, true
	case "TIME", "TIME WITHOUT TIME ZONE":
		return TypeTime, true
	case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE":
		return TypeTimestampTZ, true
	}
	return Type{}, false
}

// integerKindRank orders the integer types for the common-type rules:
// width in bytes (INTEGER 4, BIGINT 8, HUGEINT 16) and signedness.
func integerKindRank(t Type) (width int, unsigned bool, ok bool) {
	if t.Kind != KindNone {
		if t.Kind == KindFloat || t.IsTemporalKind() || t.IsBytes() {
			return 0, false, false
		}
		k := kindInfo[t.Kind]
		return k.width, k.unsigned, true
	}
	switch t.ID {
	case Int32:
		return 4, false, true
	case Int64:
		return 8, false, true
	case Hugeint:
		return 16, false, true
	}
	return 0, false, false
}

// signedOfWidth is the signed integer type of the given width in bytes.
func signedOfWidth(w int) Type {
	switch w {
	case 1:
		return TypeTinyint
	case 2:
		return TypeSmallint
	case 4:
		return TypeInt32
	case 8:
		return TypeInt64
	}
	return TypeHugeint
}

// commonInteger is DuckDB's implicit common type of two integer types:
// the wider one when it can hold the other's values, else the signed type
// twice the unsigned one's width (UTINYINT with TINYINT is SMALLINT,
// UBIGINT with BIGINT HUGEINT).
func commonInteger(a, b Type) Type {
	wa, ua, _ := integerKindRank(a)
	wb, ub, _ := integerKindRank(b)
	switch {
	case ua == ub:
		if wa >= wb {
			return a
		}
		return b
	case ua && wb > wa:
		return b
	case ub && wa > wb:
		return a
	case ua:
		return signedOfWidth(2 * wa)
	}
	return signedOfWidth(2 * wb)
}

// ArithInteger is the type DuckDB adds, subtracts or multiplies two integer
// types in: their common type, except that mixing signed and unsigned
// types of which neither holds the other goes to BIGINT (HUGEINT for
// UBIGINT), as DuckDB's operator overloads resolve it.
func ArithInteger(a, b Type) Type {
	wa, ua, _ := integerKindRank(a)
	wb, ub, _ := integerKindRank(b)
	t := commonInteger(a, b)
	if ua != ub && !(ua && wb > wa) && !(ub && wa > wb) {
		if max(wa, wb) == 8 {
			return TypeHugeint
		}
		return TypeInt64
	}
	return t
}

// IntDigits is how many decimal digits an integer type's values need.
func IntDigits(t Type) int { return intDigits(t) }

// kindDigits is how many decimal digits a kinded integer's values need.
func kindDigits(t Type) int { return kindInfo[t.Kind].digits }
