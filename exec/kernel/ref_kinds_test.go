package kernel

import (
	"fmt"
	"math"
	"math/big"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// The reference's view of the small and unsigned integers and FLOAT: their
// ranges (from the SQL type definitions, not from coldata's tables), the
// wrapping negation of unsigned values, and float32 rounding.

var refKindBits = map[coldata.Kind]struct {
	bits     uint
	unsigned bool
}{
	coldata.KindTinyint: {8, false}, coldata.KindSmallint: {16, false},
	coldata.KindUTinyint: {8, true}, coldata.KindUSmallint: {16, true},
	coldata.KindUInteger: {32, true}, coldata.KindUBigint: {64, true},
}

// refKindRange is the range of an integer kind (ok false for other types).
func refKindRange(t coldata.Type) (lo, hi *big.Int, ok bool) {
	k, ok := refKindBits[t.Kind]
	if !ok {
		return nil, nil, false
	}
	one := big.NewInt(1)
	if k.unsigned {
		return big.NewInt(0), new(big.Int).Sub(new(big.Int).Lsh(one, k.bits), one), true
	}
	lim := new(big.Int).Lsh(one, k.bits-1)
	return new(big.Int).Neg(lim), new(big.Int).Sub(lim, one), true
}

// refNegKind negates an unsigned kind modulo 2^bits (ok false otherwise).
func refNegKind(t coldata.Type, x coldata.Datum) (coldata.Datum, bool) {
	k, ok := refKindBits[t.Kind]
	if !ok || !k.unsigned {
		return coldata.Datum{}, false
	}
	m := new(big.Int).Lsh(big.NewInt(1), k.bits)
	v := new(big.Int).Neg(bigOf(t, x))
	return resultDatum(t, v.Mod(v, m)), true
}

// refFloatKind rounds a FLOAT result to float32; a finite value beyond
// float32's range is an error.
func refFloatKind(t coldata.Type, d coldata.Datum, err error) (coldata.Datum, error) {
	if err != nil || t.Kind != coldata.KindFloat || d.Null {
		return d, err
	}
	if !math.IsInf(d.F, 0) && math.Abs(d.F) > math.MaxFloat32 {
		return d, fmt.Errorf("%v out of FLOAT's range", d.F)
	}
	return coldata.Datum{F: float64(float32(d.F))}, nil
}

// refCastKind is refCast with FLOAT targets: a DOUBLE (infinities and NaN
// included) rounds to float32, other sources convert as to DOUBLE first.
func refCastKind(from, to coldata.Type, x coldata.Datum) (coldata.Datum, error) {
	if to.Kind == coldata.KindFloat && from.ID == coldata.Float64 {
		return refFloatKind(to, x, nil)
	}
	d, err := refCast(from, to, x)
	return refFloatKind(to, d, err)
}
