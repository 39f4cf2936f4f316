package csv

import (
	"math"
	"strconv"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// convertKind parses one field into row k of a vector of a small, unsigned
// or FLOAT type (see coldata.Kind): parsed as its storage type, then held
// to the kind's range, so '300' is an error for a TINYINT column as in
// DuckDB, never a wrong value.
func (c *converter) convertKind(v *coldata.Vec, k int, b []byte) bool {
	switch v.Type.Kind {
	case coldata.KindBlob:
		// DuckDB's blob text, \xNN escapes
		out, err := coldata.AppendBlobParse(nil, string(b))
		v.Str[k] = string(out)
		return err == nil
	case coldata.KindUUID:
		out, ok := coldata.AppendUUIDParse(nil, string(trimSpace(b)))
		v.Str[k] = string(out)
		return ok
	case coldata.KindUBigint:
		x, err := strconv.ParseUint(string(trimSpace(b)), 10, 64)
		v.I128[k] = coldata.Int128{Lo: x}
		return err == nil
	case coldata.KindFloat:
		f, ok := parseFloat(b)
		v.F64[k] = float64(float32(f))
		return ok && coldata.FitsFloat32(f)
	}
	x, ok := parseInt(b)
	lo, hi, _ := v.Type.IntRange()
	if v.Type.ID == coldata.Int64 {
		v.I64[k] = x
	} else {
		v.I32[k] = int32(x)
	}
	return ok && x >= lo && x <= hi
}

// AppendFloat32 prints a FLOAT as DuckDB does (coldata.FormatFloat32)
// without allocating.
func AppendFloat32(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return AppendFloat(b, f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return append(strconv.AppendFloat(b, f, 'f', -1, 32), ".0"...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 32)
}
