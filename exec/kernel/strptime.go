package kernel

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// strptimeNode parses strings into timestamps through a format compiled
// with strftime's specifier table (parseStrftime); try gives NULL instead
// of an error.
type strptimeNode struct {
	x      node
	format string
	fmt    []fmtPiece
	try    bool
	res    result
}

func (c *compiler) compileStrptime(e *expr.Func, args []node) (node, error) {
	if len(args) != 3 || e.Typ.ID != coldata.Timestamp {
		return nil, errorf("strptime takes (VARCHAR, format, try)")
	}
	if isNullConst(args[0]) || isNullConst(args[1]) || args[0].typ().ID == coldata.Unknown {
		return newConst(e.Typ, coldata.NullDatum), nil
	}
	k, ok := args[1].(*constNode)
	t, tok := args[2].(*constNode)
	if args[0].typ().ID != coldata.String || !ok || k.t.ID != coldata.String || !tok {
		return nil, errorf("strptime needs a VARCHAR and a constant format")
	}
	pieces, err := parseStrftime(k.d.S)
	if err != nil {
		return nil, err
	}
	pieces = expandComposite(pieces)
	for _, p := range pieces {
		if containsByte("GUWVzZ", p.code) {
			return nil, errorf("strptime with the specifier %%%c is not supported yet", p.code)
		}
	}
	return fold(&strptimeNode{x: args[0], format: k.d.S, fmt: pieces, try: t.d.B}, args[0]), nil
}

// expandComposite replaces %x, %X and %c by the pieces they stand for.
func expandComposite(pieces []fmtPiece) []fmtPiece {
	var out []fmtPiece
	for _, p := range pieces {
		switch p.code {
		case 'x':
			out = append(out, dateFmt...)
		case 'X':
			out = append(out, timeFmt...)
		case 'c':
			out = append(append(append(out, dateFmt...), fmtPiece{lit: " "}), timeFmt...)
		default:
			out = append(out, p)
		}
	}
	return out
}

func (n *strptimeNode) typ() coldata.Type { return coldata.TypeTimestamp }

func (n *strptimeNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	xv, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(coldata.TypeTimestamp, rows)
	nulls := n.res.copyNulls(sel, rows, xv)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if nulls[i] {
			continue
		}
		us, err := parseWithFormat(xv.Str[i], n.fmt)
		if err == nil {
			out.I64[i] = us
			continue
		}
		if n.try {
			nulls[i] = true
			continue
		}
		if pe, ok := err.(*parseErr); ok {
			return nil, invalidInputf("Could not parse string \"%s\" according to format specifier \"%s\"\n%s\n%s^\nError: %s",
				xv.Str[i], n.format, xv.Str[i], strings.Repeat(" ", pe.pos), pe.why)
		}
		return nil, err
	}
	return out, nil
}

// parseErr is a string that does not match its format, at byte pos.
type parseErr struct {
	pos int
	why string
}

func (e *parseErr) Error() string { return e.why }

// parseWithFormat reads s as the pieces say; whitespace in the format
// matches any run of whitespace, numbers may follow spaces.
func parseWithFormat(s string, pieces []fmtPiece) (int64, error) {
	y, m, d, doy := int64(1900), int64(1), int64(1), int64(-1)
	var h, mi, sec, frac int64
	pm := -1
	pos := 0
	num := func(lo, hi int) (int64, bool) {
		for pos < len(s) && isSpace(s[pos]) {
			pos++
		}
		v, rest, ok := digits(s[pos:], lo, hi)
		if !ok {
			return 0, false
		}
		pos = len(s) - len(rest)
		return v, true
	}
	name := func(full []string, abbrev bool) (int, bool) {
		for i, f := range full {
			if len(s)-pos >= len(f) && strings.EqualFold(s[pos:pos+len(f)], f) {
				pos += len(f)
				return i, true
			}
		}
		for i, f := range full {
			if abbrev && len(s)-pos >= 3 && strings.EqualFold(s[pos:pos+3], f[:3]) {
				pos += 3
				return i, true
			}
		}
		return 0, false
	}
	for _, p := range pieces {
		start := pos
		if p.code == 0 {
			for j := 0; j < len(p.lit); j++ {
				c := p.lit[j]
				switch {
				case isSpace(c):
					for pos < len(s) && isSpace(s[pos]) {
						pos++
					}
				case pos < len(s) && s[pos] == c:
					pos++
				default:
					return 0, &parseErr{pos, "Literal does not match, expected " + p.lit[j:]}
				}
			}
			continue
		}
		ok := true
		var v int64
		switch p.code {
		case 'Y':
			y, ok = num(1, 9)
		case 'y':
			if v, ok = num(1, 2); ok {
				y = 1900 + v
				if v < 69 {
					y = 2000 + v
				}
			}
		case 'm':
			if m, ok = num(1, 2); ok && (m < 1 || m > 12) {
				return 0, &parseErr{start, "Month out of range, expected a value between 1 and 12"}
			}
		case 'd':
			if d, ok = num(1, 2); ok && (d < 1 || d > 31) {
				return 0, &parseErr{start, "Day out of range, expected a value between 1 and 31"}
			}
		case 'j':
			if doy, ok = num(1, 3); ok && (doy < 1 || doy > 366) {
				return 0, &parseErr{start, "Day of the year out of range, expected a value between 1 and 366"}
			}
		case 'H':
			if h, ok = num(1, 2); ok && h > 23 {
				return 0, &parseErr{start, "Hour out of range, expected a value between 0 and 23"}
			}
		case 'I':
			if h, ok = num(1, 2); ok && (h < 1 || h > 12) {
				return 0, &parseErr{start, "Hour12 out of range, expected a value between 1 and 12"}
			}
		case 'M':
			if mi, ok = num(1, 2); ok && mi > 59 {
				return 0, &parseErr{start, "Minutes out of range, expected a value between 0 and 59"}
			}
		case 'S':
			if sec, ok = num(1, 2); ok && sec > 59 {
				return 0, &parseErr{start, "Seconds out of range, expected a value between 0 and 59"}
			}
		case 'f', 'g', 'n':
			width := map[byte]int{'f': 6, 'g': 3, 'n': 9}[p.code]
			from := pos
			if v, ok = num(1, width); ok {
				for w := pos - from; w < 6; w++ {
					v *= 10
				}
				for w := pos - from; w > 6; w-- {
					v /= 10
				}
				frac = v
			}
		case 'w', 'u':
			_, ok = num(1, 1)
		case 'p':
			switch {
			case len(s)-pos >= 2 && strings.EqualFold(s[pos:pos+2], "AM"):
				pm = 0
			case len(s)-pos >= 2 && strings.EqualFold(s[pos:pos+2], "PM"):
				pm = 1
			default:
				ok = false
			}
			pos += 2 * b2i(ok)
		case 'a', 'A':
			_, ok = name(dayNames[:], true)
		case 'b', 'h', 'B':
			var mo int
			if mo, ok = name(monthNames[:], true); ok {
				m = int64(mo) + 1
			}
		}
		if !ok {
			return 0, &parseErr{start, fmt.Sprintf("Could not parse %%%c", p.code)}
		}
	}
	for pos < len(s) && isSpace(s[pos]) {
		pos++
	}
	if pos < len(s) {
		return 0, &parseErr{pos, "Full specifier did not match: trailing characters"}
	}
	if pm >= 0 {
		h = h%12 + 12*int64(pm)
	}
	var days int64
	if doy >= 0 {
		days = daysFromCivil(y, 1, 1) + doy - 1
	} else {
		dd, ok := makeDate(y, m, d)
		if !ok {
			return 0, conversionErrorf("Date out of range: %d-%d-%d", y, m, d)
		}
		days = int64(dd)
	}
	us, ov := mul64(days, usPerDay)
	if ov != 0 {
		return 0, conversionErrorf("Date and time not in timestamp range")
	}
	return us + h*usPerHour + mi*usPerMin + sec*usPerSec + frac, nil
}
