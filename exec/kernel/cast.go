package kernel

import (
	"errors"
	"math"
	"strconv"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// castNode converts between types. Casts never create NULLs: a value that
// does not fit is an error naming the value and the target type. Rows that
// are NULL are skipped on the error paths, since their slots hold garbage.
type castNode struct {
	x        node
	from, to coldata.Type
	res      result
	arena    strArena
	// source names the column cast, for DuckDB's "when casting from
	// source column x" ("" when the argument is not a column).
	source string
	// try makes failed rows NULL (TRY_CAST); one is its 1-row selection.
	try bool
	one [1]int32
}

func (c *compiler) compileCast(e *expr.Cast) (node, error) {
	x, err := c.compile(e.Arg)
	if err != nil {
		return nil, err
	}
	if err := checkType(e.Typ); err != nil {
		return nil, err
	}
	from, to := x.typ(), e.Typ
	if from.ID == coldata.Unknown || isNullConst(x) {
		return newConst(to, coldata.NullDatum), nil
	}
	if from == to {
		return x, nil
	}
	if from.IsBytes() || to.IsBytes() {
		return c.compileBytesCast(x, from, to, e.Try)
	}
	if from.IsTemporalKind() || to.IsTemporalKind() {
		return c.compileTimeCast(e, x, from, to)
	}
	if (from.Kind != coldata.KindNone || to.Kind != coldata.KindNone) && to.ID != coldata.String {
		src := ""
		if col, ok := e.Arg.(*expr.Column); ok {
			src = col.Name
		}
		return c.compileKindCast(x, from, to, src)
	}
	if !castable(from.ID, to.ID) {
		if e.Try {
			return newConst(to, coldata.NullDatum), nil
		}
		return nil, conversionErrorf("Unimplemented type for cast (%s -> %s)", from, to)
	}
	n := &castNode{x: x, from: from, to: to, try: e.Try}
	if col, ok := e.Arg.(*expr.Column); ok {
		n.source = col.Name
	}
	return fold(n, x), nil
}

// sourceSuffix is what DuckDB appends to a failed cast of a column.
func (n *castNode) sourceSuffix() string {
	if n.source == "" {
		return ""
	}
	return " when casting from source column " + n.source
}

func castable(from, to coldata.TypeID) bool {
	numeric := func(id coldata.TypeID) bool {
		switch id {
		case coldata.Bool, coldata.Int32, coldata.Int64, coldata.Float64, coldata.Decimal, coldata.Hugeint:
			return true
		}
		return false
	}
	switch {
	case from == coldata.String || to == coldata.String:
		return true
	case numeric(from) && numeric(to):
		return true
	case (from == coldata.Date || from == coldata.Timestamp) && (to == coldata.Date || to == coldata.Timestamp):
		return true
	}
	return false
}

func (n *castNode) typ() coldata.Type { return n.to }

func (n *castNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(n.to, rows)
	n.res.shareNulls(sel, rows, v, nil)
	if err := n.convert(out, v, sel, rows); err != nil {
		if !n.try {
			return nil, err
		}
		n.retryRows(out, v, sel, rows)
	}
	return out, nil
}

// convert casts the live rows of v into out, stopping at the first failure.
func (n *castNode) convert(out, v *coldata.Vec, sel []int32, rows int) error {
	switch {
	case n.to.ID == coldata.String:
		n.toString(out, v, sel, rows)
		return nil
	case n.from.ID == coldata.String:
		return n.fromString(out, v, sel, rows)
	}
	return n.numeric(out, v, sel, rows)
}

type number interface {
	~uint8 | ~int32 | ~int64 | ~float64
}

// conv is the value-preserving conversion (widening, int to double).
func conv[S, D number](dst []D, src []S, sel []int32, n int) {
	if sel == nil {
		dst, src = dst[:n], src[:n]
		for i, x := range src {
			dst[i] = D(x)
		}
		return
	}
	for _, i := range sel {
		dst[i] = D(src[i])
	}
}

func toBool[S number](dst []bool, src []S, sel []int32, n int) {
	if sel == nil {
		dst, src = dst[:n], src[:n]
		for i, x := range src {
			dst[i] = x != 0
		}
		return
	}
	for _, i := range sel {
		dst[i] = src[i] != 0
	}
}

// numeric converts among BOOLEAN, the integers, DOUBLE and DECIMAL (and
// DATE/TIMESTAMP among themselves). Conversions that cannot fail run as
// generic loops; the others check each row.
func (n *castNode) numeric(out, v *coldata.Vec, sel []int32, rows int) error {
	from, to := n.from, n.to
	if to.ID == coldata.Hugeint {
		if i, ok := castToI128(out.I128, v, sel, rows); !ok {
			return n.rangeError(v.Get(i))
		}
		return nil
	}
	if from.ID == coldata.Hugeint {
		if i, ok := castFromI128(out, v.I128, v.Nulls, to, sel, rows); !ok {
			return n.rangeError(v.Get(i))
		}
		return nil
	}
	var u8 []uint8 // BOOLEAN source viewed as 0/1
	switch from.ID {
	case coldata.Bool:
		u8 = boolBytes(v.B)
	case coldata.Date, coldata.Timestamp:
		return n.dateTime(out, v, sel, rows)
	}
	switch to.ID {
	case coldata.Bool:
		switch from.ID {
		case coldata.Int32:
			toBool(out.B, v.I32, sel, rows)
		case coldata.Int64, coldata.Decimal:
			toBool(out.B, v.I64, sel, rows)
		case coldata.Float64:
			toBool(out.B, v.F64, sel, rows)
		}
		return nil
	case coldata.Float64:
		switch from.ID {
		case coldata.Bool:
			conv(out.F64, u8, sel, rows)
		case coldata.Int32:
			conv(out.F64, v.I32, sel, rows)
		case coldata.Int64:
			conv(out.F64, v.I64, sel, rows)
		case coldata.Decimal:
			// One correctly rounded division: exact for |v| < 2^53.
			p := float64(coldata.Pow10[from.Scale])
			conv(out.F64, v.I64, sel, rows)
			for k := 0; k < liveLen(sel, rows); k++ {
				i := rowAt(sel, k)
				out.F64[i] /= p
			}
		}
		return nil
	case coldata.Int64:
		switch from.ID {
		case coldata.Bool:
			conv(out.I64, u8, sel, rows)
			return nil
		case coldata.Int32:
			conv(out.I64, v.I32, sel, rows)
			return nil
		}
	case coldata.Int32:
		if from.ID == coldata.Bool {
			conv(out.I32, u8, sel, rows)
			return nil
		}
	}
	// The remaining casts can fail; each row checks and reports.
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		var r int64
		var ok bool
		switch from.ID {
		case coldata.Float64:
			r, ok = n.fromFloat(v.F64[i])
		case coldata.Decimal:
			r, ok = n.fromDecimal(v.I64[i])
		default:
			var x int64
			switch from.ID {
			case coldata.Bool:
				x = int64(u8[i])
			case coldata.Int32:
				x = int64(v.I32[i])
			default:
				x = v.I64[i]
			}
			r, ok = n.fromInt(x)
		}
		if !ok {
			if v.IsNull(i) {
				continue
			}
			return n.rangeError(v.Get(i))
		}
		if to.ID == coldata.Int32 {
			out.I32[i] = int32(r)
		} else {
			out.I64[i] = r
		}
	}
	return nil
}

// decimalLimit is the largest magnitude DECIMAL(t) holds in int64.
func decimalLimit(t coldata.Type) int64 {
	return coldata.Pow10[min(t.Precision, 18)] - 1
}

// fromInt converts an integer to Int32, Int64 or Decimal.
func (n *castNode) fromInt(x int64) (int64, bool) {
	switch n.to.ID {
	case coldata.Int32:
		return x, x >= math.MinInt32 && x <= math.MaxInt32
	case coldata.Decimal:
		p := coldata.Pow10[n.to.Scale]
		lim := decimalLimit(n.to) / p
		return x * p, x >= -lim && x <= lim
	}
	return x, true
}

// fromFloat rounds a double to an integer (half to even, like DuckDB's
// nearbyint) or to a decimal. For decimals DuckDB scales, nudges the product
// by 1e-9 away from zero (so 1.005 becomes 1.01 despite its binary value
// being 1.00499...), then rounds half to even; we do the same.
func (n *castNode) fromFloat(f float64) (int64, bool) {
	switch n.to.ID {
	case coldata.Int32:
		r := math.RoundToEven(f)
		return int64(r), r >= math.MinInt32 && r <= math.MaxInt32
	case coldata.Int64:
		r := math.RoundToEven(f)
		return int64(r), r >= -(1<<63) && r < 1<<63
	}
	v := f * float64(coldata.Pow10[n.to.Scale])
	if v > 0 {
		v += 1e-9
	} else if v < 0 {
		v -= 1e-9
	}
	r := math.RoundToEven(v)
	lim := float64(decimalLimit(n.to))
	return int64(r), r >= -lim && r <= lim
}

// fromDecimal rescales a decimal to an integer or another decimal, rounding
// half away from zero when digits are dropped.
func (n *castNode) fromDecimal(x int64) (int64, bool) {
	to := n.to
	ts := int64(0)
	if to.ID == coldata.Decimal {
		ts = int64(to.Scale)
	}
	diff := ts - int64(n.from.Scale)
	r, ok := x, true
	switch {
	case diff > 0:
		var ov uint64
		r, ov = mul64(x, coldata.Pow10[diff])
		ok = ov == 0
	case diff < 0:
		r, ok = roundDiv(x, coldata.Pow10[-diff]), true
	}
	switch to.ID {
	case coldata.Int32:
		ok = ok && r >= math.MinInt32 && r <= math.MaxInt32
	case coldata.Decimal:
		lim := decimalLimit(to)
		ok = ok && r >= -lim && r <= lim
	}
	return r, ok
}

// roundDiv is x/p rounded half away from zero.
func roundDiv(x, p int64) int64 {
	q, r := x/p, x%p
	if 2*r >= p {
		q++
	} else if -2*r >= p {
		q--
	}
	return q
}

// rangeError is DuckDB's message for a value out of the target's range.
func (n *castNode) rangeError(d coldata.Datum) error {
	return n.withSource(n.rangeErrorText(d))
}

func (n *castNode) rangeErrorText(d coldata.Datum) error {
	src := coldata.Format(n.from, d)
	switch {
	case n.from.ID == coldata.Hugeint && n.to.ID == coldata.Decimal:
		return conversionErrorf("Could not cast value %s to %s", src, n.to)
	case n.from.ID == coldata.Decimal && n.to.ID == coldata.Decimal:
		return conversionErrorf("Casting value \"%s\" to type %s failed: value is out of range!", src, n.to)
	case n.to.ID == coldata.Decimal && n.from.ID == coldata.Float64:
		if !math.IsInf(d.F, 0) && !math.IsNaN(d.F) {
			src = strconv.FormatFloat(d.F, 'f', 6, 64)
		}
		return conversionErrorf("Could not cast value %s to %s", src, n.to)
	case n.to.ID == coldata.Decimal:
		return conversionErrorf("Could not cast value %s to %s", src, n.to)
	case n.from.ID == coldata.Decimal:
		// DuckDB prints the value rounded to the target's precision.
		r, _ := roundTo(d.I, int64(n.from.Scale))
		return conversionErrorf("Failed to cast decimal value %d to type %s", r, typeName(n.to))
	}
	return conversionErrorf("Type %s with value %s can't be cast because the value is out of range for the destination type %s",
		typeName(n.from), src, typeName(n.to))
}

// withSource appends the source column to a cast error.
func (n *castNode) withSource(err error) error {
	if err == nil || n.source == "" {
		return err
	}
	return errors.New(err.Error() + n.sourceSuffix())
}

// roundTo drops k decimal places, rounding half away from zero.
func roundTo(v, k int64) (int64, bool) {
	if k == 0 {
		return v, true
	}
	return roundDiv(v, coldata.Pow10[k]), true
}

// dateTime converts between DATE and TIMESTAMP.
func (n *castNode) dateTime(out, v *coldata.Vec, sel []int32, rows int) error {
	if n.from.ID == coldata.Timestamp { // to Date: the day the instant falls on
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			out.I32[i] = int32(floorDiv(v.I64[i], usPerDay))
			if x := v.I64[i]; x == math.MaxInt64 || x == -math.MaxInt64 { // ±infinity
				out.I32[i] = int32(x / math.MaxInt64 * math.MaxInt32)
			}
		}
		return nil
	}
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		us, ov := mul64(int64(v.I32[i]), usPerDay)
		if d := v.I32[i]; d == math.MaxInt32 || d == -math.MaxInt32 { // ±infinity
			us, ov = int64(d/math.MaxInt32)*math.MaxInt64, 0
		}
		if ov != 0 && !v.IsNull(i) {
			return n.withSource(conversionErrorf("Type INT32 with value %s can't be cast to the destination type INT64", coldata.FormatDate(v.I32[i])))
		}
		out.I64[i] = us
	}
	return nil
}
