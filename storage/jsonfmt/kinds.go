package jsonfmt

import (
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// kindDatum converts v to a small, unsigned or FLOAT type (coldata.Kind):
// as its storage type, then held to the kind's range (a value outside it
// is a conversion error, never a wrapped value).
func kindDatum(v *value, t coldata.Type) (coldata.Datum, error) {
	if t.Kind == coldata.KindUBigint {
		text := v.raw
		if v.kind == kString {
			text = strings.TrimSpace(v.s)
		}
		if x, err := strconv.ParseUint(text, 10, 64); err == nil && (v.kind == kInt || v.kind == kString) {
			return coldata.Int128Datum(coldata.Int128{Lo: x}), nil
		}
		return coldata.Datum{}, mismatch(v, t)
	}
	d, err := datum(v, t.Storage())
	if err != nil || d.Null {
		return d, err
	}
	if !coldata.FitsKind(t, d) {
		return coldata.Datum{}, mismatch(v, t)
	}
	if t.Kind == coldata.KindFloat {
		d.F = float64(float32(d.F))
	}
	return d, nil
}
