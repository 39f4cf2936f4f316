package kernel

import (
	"strconv"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// fmtPiece is one piece of a compiled strftime format: literal text, or a
// specifier (its letter, '-' prefixed for the unpadded forms).
type fmtPiece struct {
	lit  string
	code byte
	trim bool // %-d: no zero padding
}

// parseStrftime compiles a format with DuckDB's specifiers and errors.
func parseStrftime(f string) ([]fmtPiece, error) {
	fail := func(why string) error {
		return invalidInputf("Failed to parse format specifier %s: %s", f, why)
	}
	if f == "" {
		return nil, fail("Empty format string")
	}
	var out []fmtPiece
	lit := []byte{}
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit = append(lit, f[i])
			continue
		}
		if i+1 == len(f) {
			return nil, fail("Trailing format character %")
		}
		i++
		if f[i] == '%' {
			lit = append(lit, '%')
			continue
		}
		p := fmtPiece{code: f[i]}
		const plain, trimmable = "aAwubhBYGpfgnUWVxXcz", "dmyHIMSj"
		if f[i] == '-' && i+1 < len(f) && containsByte(trimmable, f[i+1]) {
			i++
			p = fmtPiece{code: f[i], trim: true}
		} else if !containsByte(plain+trimmable, f[i]) {
			return nil, fail("Unrecognized format for strftime/strptime: %" + string(f[i]))
		}
		if len(lit) > 0 {
			out = append(out, fmtPiece{lit: string(lit)})
			lit = lit[:0]
		}
		out = append(out, p)
	}
	if len(lit) > 0 {
		out = append(out, fmtPiece{lit: string(lit)})
	}
	return out, nil
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// strftimeNode formats dates or timestamps through a compiled format into
// the node's arena.
type strftimeNode struct {
	x     node
	date  bool
	fmt   []fmtPiece
	res   result
	arena strArena
}

func (c *compiler) compileStrftime(e *expr.Func, args []node) (node, error) {
	if len(args) != 2 || e.Typ.ID != coldata.String {
		return nil, errorf("strftime takes (DATE or TIMESTAMP, VARCHAR) -> VARCHAR")
	}
	if isNullConst(args[0]) || isNullConst(args[1]) || args[0].typ().ID == coldata.Unknown {
		return newConst(e.Typ, coldata.NullDatum), nil
	}
	t := args[0].typ().ID
	k, ok := args[1].(*constNode)
	if (t != coldata.Date && t != coldata.Timestamp) || !ok || k.t.ID != coldata.String {
		return nil, errorf("strftime needs a DATE or TIMESTAMP and a constant format")
	}
	pieces, err := parseStrftime(k.d.S)
	if err != nil {
		return nil, err
	}
	return fold(&strftimeNode{x: args[0], date: t == coldata.Date, fmt: pieces}, args[0]), nil
}

func (n *strftimeNode) typ() coldata.Type { return coldata.TypeString }

func (n *strftimeNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	xv, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(coldata.TypeString, rows)
	n.res.shareNulls(sel, rows, xv, nil)
	a := &n.arena
	a.reset(rows)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		a.skip(int32(i))
		if xv.Nulls != nil && xv.Nulls[i] {
			continue
		}
		var day, us int64
		if n.date {
			day = int64(xv.I32[i])
		} else {
			day, us = floorDiv(xv.I64[i], usPerDay), floorMod(xv.I64[i], usPerDay)
		}
		start := len(a.buf)
		a.buf = appendStrftime(a.buf, n.fmt, day, us)
		a.mark(int32(i), start)
	}
	a.finish(out.Str, sel, rows)
	return out, nil
}

// appendStrftime formats day (days since 1970-01-01) and us (microseconds
// into it) as the pieces say.
func appendStrftime(buf []byte, pieces []fmtPiece, day, us int64) []byte {
	y, m, d := civil(day)
	yday := day - daysFromCivil(y, 1, 1) // 0-based
	wday := floorMod(day+4, 7)           // Sunday = 0
	h, mi, s, frac := us/usPerHour, us/usPerMin%60, us/usPerSec%60, us%usPerSec
	for _, p := range pieces {
		if p.code == 0 {
			buf = append(buf, p.lit...)
			continue
		}
		switch p.code {
		case 'a':
			buf = append(buf, dayNames[wday][:3]...)
		case 'A':
			buf = append(buf, dayNames[wday]...)
		case 'w':
			buf = strconv.AppendInt(buf, wday, 10)
		case 'u':
			buf = strconv.AppendInt(buf, (wday+6)%7+1, 10)
		case 'd':
			buf = appendNum(buf, d, 2, p.trim)
		case 'b', 'h':
			buf = append(buf, monthNames[m-1][:3]...)
		case 'B':
			buf = append(buf, monthNames[m-1]...)
		case 'm':
			buf = appendNum(buf, m, 2, p.trim)
		case 'y':
			buf = appendNum(buf, floorMod(y, 100), 2, p.trim)
		case 'Y':
			buf = appendYear(buf, y)
		case 'G':
			buf = appendYear(buf, isoYear(day))
		case 'H':
			buf = appendNum(buf, h, 2, p.trim)
		case 'I':
			buf = appendNum(buf, (h+11)%12+1, 2, p.trim)
		case 'p':
			if h < 12 {
				buf = append(buf, "AM"...)
			} else {
				buf = append(buf, "PM"...)
			}
		case 'M':
			buf = appendNum(buf, mi, 2, p.trim)
		case 'S':
			buf = appendNum(buf, s, 2, p.trim)
		case 'f':
			buf = appendNum(buf, frac, 6, false)
		case 'n': // nanoseconds, as documented (DuckDB 1.5.5 prints 6 digits and 3 stray bytes)
			buf = appendNum(buf, frac*1000, 9, false)
		case 'g':
			buf = appendNum(buf, frac/1000, 3, false)
		case 'j':
			buf = appendNum(buf, yday+1, 3, p.trim)
		case 'U':
			buf = appendNum(buf, (yday+7-wday)/7, 2, false)
		case 'W':
			buf = appendNum(buf, (yday+7-(wday+6)%7)/7, 2, false)
		case 'V':
			buf = appendNum(buf, isoWeek(day), 2, false)
		case 'x':
			buf = appendStrftime(buf, dateFmt, day, us)
		case 'X':
			buf = appendStrftime(buf, timeFmt, day, us)
		case 'c':
			buf = appendStrftime(buf, dateFmt, day, us)
			buf = append(buf, ' ')
			buf = appendStrftime(buf, timeFmt, day, us)
		case 'z':
			buf = append(buf, "+00"...)
		}
	}
	return buf
}

var (
	dateFmt, _ = parseStrftime("%Y-%m-%d")
	timeFmt, _ = parseStrftime("%H:%M:%S")
)

// isoWeek and isoYear are the ISO 8601 week (1-53) and its year: the week
// that holds the Thursday of day's week.
func isoWeek(day int64) int64 {
	thu := day - floorMod(day+3, 7) + 3
	y, _, _ := civil(thu)
	return (thu-daysFromCivil(y, 1, 1))/7 + 1
}

func isoYear(day int64) int64 {
	y, _, _ := civil(day - floorMod(day+3, 7) + 3)
	return y
}

// appendNum appends v zero-padded to width digits (unpadded when trim).
func appendNum(buf []byte, v int64, width int, trim bool) []byte {
	if !trim && v >= 0 {
		for w := pow10i(width - 1); w >= 10 && v < w; w /= 10 {
			buf = append(buf, '0')
		}
	}
	return strconv.AppendInt(buf, v, 10)
}

// appendYear writes years 0-9999 with four digits, others as they are.
func appendYear(buf []byte, y int64) []byte {
	if y >= 0 && y <= 9999 {
		return appendNum(buf, y, 4, false)
	}
	return strconv.AppendInt(buf, y, 10)
}
