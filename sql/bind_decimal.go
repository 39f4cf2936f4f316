package sql

import "github.com/peregrinedb/peregrine/exec/coldata"

// fitInt64Decimal narrows the result type of a decimal +, - or * as DuckDB
// does when both operands are at most 18 digits wide (held in 64 bits):
// a result wider than 18 digits becomes DECIMAL(18,s) and the kernel checks
// for overflow, rather than widening (DECIMAL(18,2) + DECIMAL(18,2) is
// DECIMAL(18,2), DECIMAL(15,2) * DECIMAL(9,1) is DECIMAL(18,3)).
func fitInt64Decimal(res, a, b coldata.Type) coldata.Type {
	width := func(t coldata.Type) int {
		if t.ID == coldata.Decimal {
			return int(t.Precision)
		}
		return intDigits(t)
	}
	if res.ID != coldata.Decimal || res.Precision <= 18 || res.Scale > 18 || width(a) > 18 || width(b) > 18 {
		return res
	}
	return coldata.DecimalType(18, int(res.Scale))
}
