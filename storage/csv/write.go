package csv

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// WriteOptions are COPY ... TO (FORMAT csv)'s options.
type WriteOptions struct {
	Delim     byte   // DELIMITER, default ','
	Quote     byte   // QUOTE, default '"'
	Escape    byte   // ESCAPE, default the quote (doubled)
	NoHeader  bool   // HEADER false
	NullStr   string // NULLSTR, default ""
	DateFmt   string // DATEFORMAT (strftime)
	TsFmt     string // TIMESTAMPFORMAT (strftime)
	ForceText bool   // quote every non-NULL string (FORCE_QUOTE *)
}

// Encoder writes rows as RFC 4180 CSV the way DuckDB's COPY does: a header
// line, fields quoted only when they hold the delimiter, the quote, a
// newline or are empty strings (so that they differ from NULL), NULL as
// the NULL string. It implements storage.RowEncoder.
type Encoder struct {
	o       WriteOptions
	dateFmt *layout
	tsFmt   *layout
	buf     []byte
	special [256]bool
}

// NewEncoder checks the options and returns an encoder.
func NewEncoder(o WriteOptions) (*Encoder, error) {
	if o.Delim == 0 {
		o.Delim = ','
	}
	if o.Quote == 0 {
		o.Quote = '"'
	}
	if o.Escape == 0 {
		o.Escape = o.Quote
	}
	e := &Encoder{o: o}
	var err error
	if o.DateFmt != "" {
		if e.dateFmt, err = compileLayout(o.DateFmt); err != nil {
			return nil, err
		}
	}
	if o.TsFmt != "" {
		if e.tsFmt, err = compileLayout(o.TsFmt); err != nil {
			return nil, err
		}
	}
	for _, c := range []byte{o.Delim, o.Quote, o.Escape, '\n', '\r'} {
		e.special[c] = true
	}
	return e, nil
}

// Ext is the file extension of the files written.
func (e *Encoder) Ext() string { return ".csv" }

// Begin writes the header.
func (e *Encoder) Begin(w io.Writer, names []string, types []coldata.Type) error {
	if e.o.NoHeader {
		return nil
	}
	b := e.buf[:0]
	for i, n := range names {
		if i > 0 {
			b = append(b, e.o.Delim)
		}
		b = e.appendString(b, n)
	}
	b = append(b, '\n')
	e.buf = b
	_, err := w.Write(b)
	return err
}

// End writes nothing: a CSV file has no trailer.
func (e *Encoder) End(w io.Writer) error { return nil }

// Encode writes the rows (all when rows is nil) of the columns cols of b.
func (e *Encoder) Encode(w io.Writer, b *coldata.Batch, cols []int, rows []int32) error {
	var err error
	e.buf, err = EncodeRows(w, e.buf, b, rows, func(buf []byte, r int) []byte {
		for j, c := range cols {
			if j > 0 {
				buf = append(buf, e.o.Delim)
			}
			buf = e.appendValue(buf, b.Vecs[c], r)
		}
		return append(buf, '\n')
	})
	return err
}

// EncodeRows appends each row (rows, or all of b's) with row into buf and
// writes buf to w whenever it has grown past 64 KiB, and at the end; it
// returns buf for reuse. Text encoders share it.
func EncodeRows(w io.Writer, buf []byte, b *coldata.Batch, rows []int32, row func(buf []byte, r int) []byte) ([]byte, error) {
	n := b.N
	if rows != nil {
		n = len(rows)
	}
	buf = buf[:0]
	for k := 0; k < n; k++ {
		r := k
		if rows != nil {
			r = int(rows[k])
		}
		buf = row(buf, r)
		if len(buf) > 1<<16 {
			if _, err := w.Write(buf); err != nil {
				return buf, err
			}
			buf = buf[:0]
		}
	}
	_, err := w.Write(buf)
	return buf, err
}

func (e *Encoder) appendValue(b []byte, v *coldata.Vec, r int) []byte {
	if v.IsNull(r) || v.Type.ID == coldata.Unknown {
		return append(b, e.o.NullStr...)
	}
	switch v.Type.ID {
	case coldata.Bool:
		return strconv.AppendBool(b, v.B[r])
	case coldata.Int32:
		return strconv.AppendInt(b, int64(v.I32[r]), 10)
	case coldata.Int64:
		return strconv.AppendInt(b, v.I64[r], 10)
	case coldata.Float64:
		if v.Type.Kind == coldata.KindFloat {
			return AppendFloat32(b, v.F64[r])
		}
		return AppendFloat(b, v.F64[r])
	case coldata.Decimal:
		return AppendDecimal(b, v.I64[r], int(v.Type.Scale))
	case coldata.Date:
		if e.dateFmt != nil {
			return e.dateFmt.format(b, int64(v.I32[r])*86400e6)
		}
		return AppendDate(b, int64(v.I32[r]))
	case coldata.Timestamp:
		if e.tsFmt != nil {
			return e.tsFmt.format(b, v.I64[r])
		}
		return AppendTimestamp(b, v.I64[r])
	case coldata.String:
		if v.Type.Kind == coldata.KindBlob {
			return e.appendString(b, coldata.FormatBlob(v.Str[r]))
		}
		return e.appendString(b, v.Str[r])
	}
	return e.appendString(b, coldata.Format(v.Type, v.Get(r)))
}

// appendString quotes s when it needs it.
func (e *Encoder) appendString(b []byte, s string) []byte {
	quote := s == "" || e.o.ForceText || s == e.o.NullStr
	for i := 0; i < len(s) && !quote; i++ {
		quote = e.special[s[i]]
	}
	if !quote {
		return append(b, s...)
	}
	b = append(b, e.o.Quote)
	for i := 0; i < len(s); i++ {
		if s[i] == e.o.Quote || s[i] == e.o.Escape {
			b = append(b, e.o.Escape)
		}
		b = append(b, s[i])
	}
	return append(b, e.o.Quote)
}

// AppendFloat prints a double as DuckDB does (coldata.FormatFloat).
func AppendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "nan"...)
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.AppendFloat(b, f, 'f', 1, 64)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// AppendDecimal prints v/10^scale with scale fractional digits.
func AppendDecimal(b []byte, v int64, scale int) []byte {
	if scale == 0 {
		return strconv.AppendInt(b, v, 10)
	}
	u := uint64(v)
	if v < 0 {
		b = append(b, '-')
		u = uint64(-v)
	}
	p := uint64(coldata.Pow10[scale])
	b = strconv.AppendUint(b, u/p, 10)
	b = append(b, '.')
	frac := u % p
	for d := p / 10; d > 0; d /= 10 {
		b = append(b, byte('0'+frac/d%10))
	}
	return b
}

// civil converts days since the epoch to a date.
func civil(days int64) (y, m, d int64) {
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return
}

func appendPad(b []byte, v int64, w int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(s); i < w; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// AppendDate prints YYYY-MM-DD.
func AppendDate(b []byte, days int64) []byte {
	y, m, d := civil(days)
	if y < 0 {
		return append(b, coldata.FormatDate(int32(days))...)
	}
	b = appendPad(b, y, 4)
	b = append(b, '-')
	b = appendPad(b, m, 2)
	b = append(b, '-')
	return appendPad(b, d, 2)
}

// AppendTimestamp prints YYYY-MM-DD HH:MM:SS[.ffffff] (trailing zeros of
// the fraction dropped), as DuckDB does.
func AppendTimestamp(b []byte, us int64) []byte {
	days := us / 86400e6
	rem := us % 86400e6
	if rem < 0 {
		days--
		rem += 86400e6
	}
	b = AppendDate(b, days)
	b = append(b, ' ')
	secs := rem / 1e6
	b = appendPad(b, secs/3600, 2)
	b = append(b, ':')
	b = appendPad(b, secs/60%60, 2)
	b = append(b, ':')
	b = appendPad(b, secs%60, 2)
	if f := rem % 1e6; f != 0 {
		b = append(b, '.')
		w := 6
		for f%10 == 0 {
			f /= 10
			w--
		}
		b = appendPad(b, f, w)
	}
	return b
}

// format prints microseconds since the epoch with the layout (strftime).
func (l *layout) format(b []byte, us int64) []byte {
	days := us / 86400e6
	rem := us % 86400e6
	if rem < 0 {
		days--
		rem += 86400e6
	}
	y, m, d := civil(days)
	secs := rem / 1e6
	for _, p := range l.pieces {
		switch p.spec {
		case 0:
			b = append(b, p.lit...)
		case 'Y':
			b = appendPad(b, y, 4)
		case 'y':
			b = appendPad(b, y%100, 2)
		case 'm':
			b = appendPad(b, m, 2)
		case 'd':
			b = appendPad(b, d, 2)
		case 'H':
			b = appendPad(b, secs/3600, 2)
		case 'I':
			h := secs / 3600 % 12
			if h == 0 {
				h = 12
			}
			b = appendPad(b, h, 2)
		case 'M':
			b = appendPad(b, secs/60%60, 2)
		case 'S':
			b = appendPad(b, secs%60, 2)
		case 'f':
			b = appendPad(b, rem%1e6, 6)
		case 'j':
			b = appendPad(b, days-daysFromCivil(y, 1, 1)+1, 3)
		case 'b':
			b = append(b, monthAbbr[m-1]...)
		case 'B':
			b = append(b, monthFull[m-1]...)
		case 'p':
			if secs/3600 < 12 {
				b = append(b, "AM"...)
			} else {
				b = append(b, "PM"...)
			}
		default:
			b = append(b, fmt.Sprintf("%%%c", p.spec)...)
		}
	}
	return b
}

var monthAbbr = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
var monthFull = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
