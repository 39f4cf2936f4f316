package peregrine

import (
	"fmt"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Decimal is an exact DECIMAL value as database/sql returns it: its text
// with the column's scale, e.g. "1234.50". It scans into a *Decimal, a
// *string (that text), a *float64, and an *int64 when the value is
// integral (database/sql parses the String form for numbers).
type Decimal string

// String is the shortest exact form: trailing fractional zeros dropped,
// no point when integral ("1234.5", "12").
func (d Decimal) String() string {
	s := string(d)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" || s == "" {
		s = "0"
	}
	return s
}

// Float64 is the nearest float64.
func (d Decimal) Float64() (float64, error) { return strconv.ParseFloat(string(d), 64) }

// Int64 is the value as an integer; an error when it has a fraction.
func (d Decimal) Int64() (int64, error) {
	n, err := strconv.ParseInt(d.String(), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("peregrine: decimal %s is not an integer", string(d))
	}
	return n, nil
}

// Rat is the exact value.
func (d Decimal) Rat() *big.Rat {
	r, _ := new(big.Rat).SetString(string(d))
	return r
}

// driverValue converts one value for database/sql: DECIMAL as Decimal,
// DATE and TIMESTAMP as time.Time (UTC), LIST as []any, STRUCT as
// map[string]any, MAP as map[any]any.
func driverValue(v *coldata.Vec, i int) any {
	if v.IsNull(i) {
		return nil
	}
	switch v.Type.ID {
	case coldata.Bool:
		return v.B[i]
	case coldata.Int32:
		return int64(v.I32[i])
	case coldata.Int64:
		if v.Type.Kind == coldata.KindTime {
			return timeOfDay(v.I64[i])
		}
		return v.I64[i]
	case coldata.Hugeint:
		if v.Type.Kind == coldata.KindUBigint {
			return v.I128[i].Lo // uint64, as DuckDB's Go driver returns UBIGINT
		}
		return v.I128[i].BigInt() // as DuckDB's Go driver returns HUGEINT
	case coldata.Float64:
		if v.Type.Kind == coldata.KindFloat {
			return float32(v.F64[i])
		}
		return v.F64[i]
	case coldata.Decimal:
		return Decimal(coldata.FormatDecimal(v.I64[i], int(v.Type.Scale)))
	case coldata.String:
		if v.Type.Kind == coldata.KindBlob {
			return []byte(v.Str[i]) // as DuckDB's Go driver returns BLOB
		}
		return v.Str[i]
	case coldata.Date:
		return coldata.DateToTime(v.I32[i])
	case coldata.Timestamp:
		return timeFromMicros(v.I64[i])
	case coldata.List, coldata.Struct, coldata.Map:
		return goValue(v.Type, v.Get(i))
	}
	return coldata.Format(v.Type, v.Get(i))
}

// goValue converts a datum of type t to the Go value database/sql returns.
func goValue(t coldata.Type, d coldata.Datum) any {
	if d.Null {
		return nil
	}
	switch t.ID {
	case coldata.Bool:
		return d.B
	case coldata.Int32, coldata.Int64:
		if t.Kind == coldata.KindTime {
			return timeOfDay(d.I)
		}
		return d.I
	case coldata.Hugeint:
		if t.Kind == coldata.KindUBigint {
			return d.Int128().Lo
		}
		return d.Int128().BigInt()
	case coldata.Float64:
		if t.Kind == coldata.KindFloat {
			return float32(d.F)
		}
		return d.F
	case coldata.Decimal:
		return Decimal(coldata.FormatDecimal(d.I, int(t.Scale)))
	case coldata.String:
		if t.Kind == coldata.KindBlob {
			return []byte(d.S)
		}
		return d.S
	case coldata.Date:
		return coldata.DateToTime(int32(d.I))
	case coldata.Timestamp:
		return timeFromMicros(d.I)
	}
	var nd coldata.Nested
	if d.N != nil {
		nd = *d.N
	}
	switch t.ID {
	case coldata.List:
		out := make([]any, len(nd.Elems))
		for i, e := range nd.Elems {
			out[i] = goValue(t.Nest.Elem, e)
		}
		return out
	case coldata.Struct:
		out := make(map[string]any, len(t.Nest.Fields))
		for i, f := range t.Nest.Fields {
			var e any
			if i < len(nd.Elems) {
				e = goValue(f.Type, nd.Elems[i])
			}
			out[f.Name] = e
		}
		return out
	case coldata.Map:
		out := make(map[any]any, len(nd.Keys))
		for i, k := range nd.Keys {
			out[goValue(t.Nest.Key, k)] = goValue(t.Nest.Value, nd.Elems[i])
		}
		return out
	}
	return coldata.Format(t, d)
}

// scanType is the Go type database/sql hands out for t.
func scanType(t coldata.Type) reflect.Type {
	if t.Kind == coldata.KindTime {
		return reflect.TypeOf(time.Time{})
	}
	switch t.ID {
	case coldata.Bool:
		return reflect.TypeOf(false)
	case coldata.Int32, coldata.Int64:
		return reflect.TypeOf(int64(0))
	case coldata.Hugeint:
		if t.Kind == coldata.KindUBigint {
			return reflect.TypeOf(uint64(0))
		}
		return reflect.TypeOf((*big.Int)(nil))
	case coldata.Float64:
		if t.Kind == coldata.KindFloat {
			return reflect.TypeOf(float32(0))
		}
		return reflect.TypeOf(float64(0))
	case coldata.Decimal:
		return reflect.TypeOf(Decimal(""))
	case coldata.String:
		return reflect.TypeOf("")
	case coldata.Date, coldata.Timestamp:
		return reflect.TypeOf(time.Time{})
	case coldata.List:
		return reflect.TypeOf([]any(nil))
	case coldata.Struct:
		return reflect.TypeOf(map[string]any(nil))
	case coldata.Map:
		return reflect.TypeOf(map[any]any(nil))
	}
	return reflect.TypeOf((*any)(nil)).Elem()
}

// timeOfDay is a TIME as database/sql returns it: a time.Time on
// 0001-01-01 UTC, as DuckDB's Go driver does.
func timeOfDay(us int64) time.Time {
	return time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(us) * time.Microsecond)
}
