package kernel

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// refScalarOp is the oracle for the scalar block's math and encoding
// operators (no NULL arguments): one value at a time, through package
// math and math/big.
func refScalarOp(e *expr.Func, args []coldata.Datum) (coldata.Datum, bool, error) {
	if !e.Op.IsScalarOp() {
		return coldata.Datum{}, false, nil
	}
	unary := map[expr.Op]func(float64) float64{
		expr.OpSin: math.Sin, expr.OpCos: math.Cos, expr.OpTan: math.Tan, expr.OpAsin: math.Asin,
		expr.OpAcos: math.Acos, expr.OpAtan: math.Atan, expr.OpSinh: math.Sinh, expr.OpCosh: math.Cosh,
		expr.OpTanh: math.Tanh, expr.OpAsinh: math.Asinh, expr.OpAcosh: math.Acosh, expr.OpAtanh: math.Atanh,
		expr.OpGamma:   math.Gamma,
		expr.OpCot:     func(x float64) float64 { return math.Cos(x) / math.Sin(x) },
		expr.OpDegrees: func(x float64) float64 { return x / math.Pi * 180 },
		expr.OpRadians: func(x float64) float64 { return x / 180 * math.Pi },
	}
	if f, ok := unary[e.Op]; ok {
		x := args[0].F
		switch {
		case (e.Op == expr.OpAsin || e.Op == expr.OpAcos || e.Op == expr.OpAtanh) && math.Abs(x) > 1,
			e.Op == expr.OpCot && x == 0, e.Op == expr.OpGamma && x == 0,
			(e.Op == expr.OpSin || e.Op == expr.OpCos || e.Op == expr.OpTan) && math.IsInf(x, 0):
			return coldata.Datum{}, true, fmt.Errorf("domain")
		}
		return coldata.Datum{F: f(x)}, true, nil
	}
	switch e.Op {
	case expr.OpAtan2:
		return coldata.Datum{F: math.Atan2(args[0].F, args[1].F)}, true, nil
	case expr.OpFmod:
		a, b := args[0].F, args[1].F
		return coldata.Datum{F: a - b*math.Floor(a/b)}, true, nil
	case expr.OpEven:
		r := math.Ceil(math.Abs(args[0].F))
		if int64(r)%2 != 0 {
			r++
		}
		return coldata.Datum{F: math.Copysign(r, args[0].F)}, true, nil
	case expr.OpIsNan, expr.OpIsInf, expr.OpIsFinite, expr.OpSignBit:
		x := args[0].F
		r := map[expr.Op]bool{expr.OpIsNan: math.IsNaN(x), expr.OpIsInf: math.IsInf(x, 0),
			expr.OpIsFinite: !math.IsNaN(x) && !math.IsInf(x, 0), expr.OpSignBit: math.Signbit(x)}[e.Op]
		return coldata.Datum{B: r}, true, nil
	case expr.OpSign:
		if e.Args[0].Type().ID == coldata.Int64 {
			return coldata.Datum{I: int64(big.NewInt(args[0].I).Sign())}, true, nil
		}
		switch x := args[0].F; {
		case x > 0:
			return coldata.Datum{I: 1}, true, nil
		case x < 0:
			return coldata.Datum{I: -1}, true, nil
		}
		return coldata.Datum{I: 0}, true, nil
	case expr.OpTruncDigits:
		// Integers and decimals: drop digits through math/big.
		at := e.Args[0].Type()
		drop := -args[1].I
		if at.ID == coldata.Decimal {
			drop += int64(at.Scale)
		}
		if drop <= 0 {
			return args[0], true, nil
		}
		p := pow10(drop)
		v := new(big.Int).Quo(big.NewInt(args[0].I), p)
		return coldata.Datum{I: v.Mul(v, p).Int64()}, true, nil
	case expr.OpFactorial:
		if args[0].I < 0 {
			return coldata.Datum{}, true, fmt.Errorf("negative")
		}
		v := new(big.Int).MulRange(1, args[0].I)
		if v.BitLen() > 127 {
			return coldata.Datum{}, true, fmt.Errorf("overflow")
		}
		return coldata.Int128Datum(coldata.Int128{Lo: v.Uint64(), Hi: new(big.Int).Rsh(v, 64).Int64()}), true, nil
	case expr.OpBitCount:
		n := 0
		for v := uint64(args[0].I); v != 0; v &= v - 1 {
			n++
		}
		return coldata.Datum{I: int64(n)}, true, nil
	case expr.OpSHA1:
		sum := sha1.Sum([]byte(args[0].S))
		return coldata.Datum{S: hex.EncodeToString(sum[:])}, true, nil
	case expr.OpToHex:
		return coldata.Datum{S: strings.ToUpper(hex.EncodeToString([]byte(args[0].S)))}, true, nil
	case expr.OpFromHex:
		b, err := hex.DecodeString(args[0].S)
		return coldata.Datum{S: string(b)}, true, err
	case expr.OpJSONExtract, expr.OpJSONExtractStr, expr.OpJSONType, expr.OpJSONArrayLength:
		return refJSON(e.Op, args[0].S, args[1].S)
	}
	return coldata.Datum{}, false, nil
}

// refJSON is the oracle for the JSON extraction functions: encoding/json
// decodes the document, the path ($.key / [n] steps only) is followed on
// the decoded value, and the result is marshalled again. The tests keep to
// documents where that equals DuckDB's form (integers, keys in order).
func refJSON(op expr.Op, doc, path string) (coldata.Datum, bool, error) {
	d := json.NewDecoder(strings.NewReader(doc))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return coldata.Datum{}, true, err
	}
	for _, step := range strings.FieldsFunc(strings.TrimPrefix(path, "$"), func(r rune) bool { return r == '.' || r == '[' }) {
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[step]; !ok {
				return coldata.NullDatum, true, nil
			}
		case []any:
			var k int
			if _, err := fmt.Sscanf(step, "%d]", &k); err != nil || k >= len(c) {
				return coldata.NullDatum, true, nil
			}
			v = c[k]
		default:
			return coldata.NullDatum, true, nil
		}
	}
	switch op {
	case expr.OpJSONType:
		t := map[bool]string{true: "ARRAY"}
		switch x := v.(type) {
		case []any:
		case map[string]any:
			t[true] = "OBJECT"
		case string:
			t[true] = "VARCHAR"
		case bool:
			t[true] = "BOOLEAN"
		case nil:
			t[true] = "NULL"
		case json.Number:
			t[true] = "DOUBLE"
			_, errU := strconv.ParseUint(string(x), 10, 64)
			_, errI := strconv.ParseInt(string(x), 10, 64)
			switch {
			case errU == nil:
				t[true] = "UBIGINT"
			case errI == nil:
				t[true] = "BIGINT"
			}
		}
		return coldata.Datum{S: t[true]}, true, nil
	case expr.OpJSONArrayLength:
		a, _ := v.([]any)
		return coldata.Datum{I: int64(len(a))}, true, nil
	case expr.OpJSONExtractStr:
		if s, ok := v.(string); ok {
			return coldata.Datum{S: s}, true, nil
		}
		if v == nil {
			return coldata.NullDatum, true, nil
		}
	}
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return coldata.Datum{}, true, err
	}
	return coldata.Datum{S: strings.TrimSuffix(sb.String(), "\n")}, true, nil
}
