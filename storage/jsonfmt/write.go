package jsonfmt

import (
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/storage/csv"
)

// WriteOptions are COPY ... TO (FORMAT json)'s options.
type WriteOptions struct {
	Array   bool   // ARRAY true: one JSON array instead of one object a line
	DateFmt string // not applied yet: dates are written ISO
	TsFmt   string
}

// Encoder writes rows as JSON objects. It implements storage.RowEncoder.
type Encoder struct {
	o     WriteOptions
	keys  [][]byte // each column's `"name":` prefix
	buf   []byte
	first bool
}

// NewEncoder returns an encoder.
func NewEncoder(o WriteOptions) *Encoder { return &Encoder{o: o} }

// Ext is the file extension of the files written.
func (e *Encoder) Ext() string { return ".json" }

// Begin prepares the keys and opens the array.
func (e *Encoder) Begin(w io.Writer, names []string, types []coldata.Type) error {
	e.keys = e.keys[:0]
	for _, n := range names {
		k := appendString(nil, n)
		e.keys = append(e.keys, append(k, ':'))
	}
	e.first = true
	if e.o.Array {
		_, err := io.WriteString(w, "[\n")
		return err
	}
	return nil
}

// End closes the array.
func (e *Encoder) End(w io.Writer) error {
	if !e.o.Array {
		return nil
	}
	s := "]\n"
	if !e.first {
		s = "\n]\n"
	}
	_, err := io.WriteString(w, s)
	return err
}

// Encode writes the rows (all when rows is nil) of the columns cols.
func (e *Encoder) Encode(w io.Writer, b *coldata.Batch, cols []int, rows []int32) error {
	var err error
	e.buf, err = csv.EncodeRows(w, e.buf, b, rows, func(buf []byte, r int) []byte {
		if e.o.Array {
			if !e.first {
				buf = append(buf, ",\n"...)
			}
			buf = append(buf, '\t')
		}
		e.first = false
		buf = append(buf, '{')
		for j, c := range cols {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, e.keys[j]...)
			buf = appendVec(buf, b.Vecs[c], r)
		}
		buf = append(buf, '}')
		if !e.o.Array {
			buf = append(buf, '\n')
		}
		return buf
	})
	return err
}

func appendVec(b []byte, v *coldata.Vec, r int) []byte {
	if v.IsNull(r) || v.Type.ID == coldata.Unknown {
		return append(b, "null"...)
	}
	switch v.Type.ID {
	case coldata.Bool:
		return strconv.AppendBool(b, v.B[r])
	case coldata.Int32:
		return strconv.AppendInt(b, int64(v.I32[r]), 10)
	case coldata.Int64:
		return strconv.AppendInt(b, v.I64[r], 10)
	case coldata.Float64:
		return appendFloat(b, v.F64[r])
	case coldata.Decimal:
		// DuckDB writes decimals as JSON numbers through DOUBLE (3.10 as 3.1).
		return appendFloat(b, float64(v.I64[r])/float64(coldata.Pow10[v.Type.Scale]))
	case coldata.String:
		if v.Type.Kind == coldata.KindBlob {
			return appendString(b, coldata.FormatBlob(v.Str[r]))
		}
		return appendString(b, v.Str[r])
	case coldata.Date:
		b = append(b, '"')
		return append(csv.AppendDate(b, int64(v.I32[r])), '"')
	case coldata.Timestamp:
		b = append(b, '"')
		return append(csv.AppendTimestamp(b, v.I64[r]), '"')
	}
	return appendDatum(b, v.Type, v.Get(r))
}

func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	return csv.AppendFloat(b, f)
}

// appendDatum writes a value of any type (nested ones recursively).
func appendDatum(b []byte, t coldata.Type, d coldata.Datum) []byte {
	if d.Null {
		return append(b, "null"...)
	}
	switch t.ID {
	case coldata.List:
		b = append(b, '[')
		for i, x := range d.N.Elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendDatum(b, t.Nest.Elem, x)
		}
		return append(b, ']')
	case coldata.Struct:
		b = append(b, '{')
		for i, f := range t.Nest.Fields {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, f.Name)
			b = append(b, ':')
			b = appendDatum(b, f.Type, d.N.Elems[i])
		}
		return append(b, '}')
	case coldata.Map:
		b = append(b, '{')
		for i := range d.N.Keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, coldata.Format(t.Nest.Key, d.N.Keys[i]))
			b = append(b, ':')
			b = appendDatum(b, t.Nest.Value, d.N.Elems[i])
		}
		return append(b, '}')
	case coldata.Bool, coldata.Int32, coldata.Int64, coldata.Hugeint, coldata.Decimal:
		return append(b, coldata.Format(t, d)...)
	case coldata.Float64:
		return appendFloat(b, d.F)
	}
	return appendString(b, coldata.Format(t, d))
}

const hex = "0123456789abcdef"

// appendString writes s as a JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
