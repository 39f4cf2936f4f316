package kernel

import (
	"math"
	"strconv"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// printf (C style, %d) and format (fmt style, {}): the format string is
// parsed once into fmtSpecs (again only when a row's format differs from
// the last one), then every row appends its pieces to the arena. The
// arguments arrive as BIGINT, DOUBLE, BOOLEAN or VARCHAR (the binder casts
// the rest); like DuckDB's fmt, a verb must suit its argument's type.

// fmtSpec is a literal piece (arg < 0) or one conversion.
type fmtSpec struct {
	lit                           string
	arg                           int  // argument index, -1: literal
	widthArg                      int  // argument holding the width (%*d), -1: none
	width, prec                   int  // -1: not given
	verb                          byte // 0: the default ({})
	minus, plus, space, zero, alt bool
	align, fill                   byte // format's < > ^ (0: the type's default) and fill character
	sep                           byte // thousands separator (DuckDB's extension: , . _ ' or format's t<c>), 0: none
}

type printfNode struct {
	fmtStyle bool // format's {} rather than printf's %
	args     []node
	res      result
	arena    strArena
	vs       []*coldata.Vec
	specs    []fmtSpec
	lastFmt  string
	parsed   bool
	num      []byte
	scratch  []byte
}

func (c *compiler) compilePrintf(e *expr.Func, args []node) (node, error) {
	if len(args) < 1 || e.Typ.ID != coldata.String {
		return nil, errorf("%s takes a format and returns VARCHAR", e.Op)
	}
	for i, a := range args {
		t := a.typ()
		if t.ID == coldata.Unknown || isNullConst(a) {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
		switch t.ID {
		case coldata.String, coldata.Int64, coldata.Float64, coldata.Bool:
		default:
			return nil, errorf("%s argument %d of type %s", e.Op, i+1, t)
		}
	}
	if args[0].typ().ID != coldata.String {
		return nil, errorf("%s needs a VARCHAR format", e.Op)
	}
	n := &printfNode{fmtStyle: e.Op == expr.OpFormat, args: args}
	return fold(n, args...), nil
}

func (n *printfNode) typ() coldata.Type { return coldata.TypeString }

func (n *printfNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	out := n.res.reset(coldata.TypeString, rows)
	nulls := n.res.copyNulls(sel, rows, vs...)
	a := &n.arena
	a.reset(rows)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		a.skip(int32(i))
		if nulls[i] {
			continue
		}
		if f := vs[0].Str[i]; !n.parsed || f != n.lastFmt {
			if n.fmtStyle {
				n.specs, err = parseFmtFormat(n.specs[:0], f)
			} else {
				n.specs, err = parsePrintfFormat(n.specs[:0], f)
			}
			if err != nil {
				return nil, err
			}
			n.lastFmt, n.parsed = f, true
		}
		start := len(a.buf)
		if a.buf, err = n.format(a.buf, vs[1:], i); err != nil {
			return nil, err
		}
		a.mark(int32(i), start)
	}
	a.finish(out.Str, sel, rows)
	dropEmptyNulls(out, sel, rows)
	return out, nil
}

func argOutOfRange(k int) error { return invalidInputf("Argument index \"%d\" out of range", k) }

// format appends row i formatted by n.specs.
func (n *printfNode) format(buf []byte, args []*coldata.Vec, i int) ([]byte, error) {
	for si := range n.specs {
		sp := &n.specs[si]
		if sp.arg < 0 {
			buf = append(buf, sp.lit...)
			continue
		}
		width := sp.width
		if sp.widthArg >= 0 {
			if sp.widthArg >= len(args) {
				return buf, argOutOfRange(sp.widthArg)
			}
			if args[sp.widthArg].Type.ID != coldata.Int64 {
				return buf, invalidInputf("width is not integer")
			}
			width = int(args[sp.widthArg].I64[i])
			if width < 0 { // a negative * width left-aligns
				sp2 := *sp
				sp2.minus, width = true, -width
				sp = &sp2
			}
		}
		if sp.arg >= len(args) {
			return buf, argOutOfRange(sp.arg)
		}
		v := args[sp.arg]
		num := n.num[:0]
		var err error
		numeric := true
		switch v.Type.ID {
		case coldata.Int64:
			num, err = appendIntVerb(num, v.I64[i], sp, n.fmtStyle)
		case coldata.Bool:
			if sp.verb == 0 || sp.verb == 's' {
				numeric = false
				num = strconv.AppendBool(num, v.B[i])
			} else {
				x := int64(0)
				if v.B[i] {
					x = 1
				}
				num, err = appendIntVerb(num, x, sp, n.fmtStyle)
			}
		case coldata.Float64:
			num, err = appendFloatVerb(num, v.F64[i], sp, n.fmtStyle)
		default:
			numeric = false
			if sp.verb != 0 && sp.verb != 's' {
				return buf, invalidInputf("Invalid type specifier \"%c\" for formatting a value of type string", sp.verb)
			}
			s := v.Str[i]
			if sp.prec >= 0 && sp.prec < len(s) {
				s = s[:sp.prec]
			}
			num = append(num, s...)
		}
		if err == nil && sp.sep != 0 && numeric {
			num = n.group(num, sp.sep)
		}
		n.num = num
		if err != nil {
			return buf, err
		}
		buf = pad(buf, num, width, sp, numeric, n.fmtStyle)
	}
	return buf, nil
}

// group inserts sep between each three digits of the number's integer
// part.
func (n *printfNode) group(num []byte, sep byte) []byte {
	lo := 0
	for lo < len(num) && (num[lo] < '0' || num[lo] > '9') {
		lo++
	}
	hi := lo
	for hi < len(num) && num[hi] >= '0' && num[hi] <= '9' {
		hi++
	}
	if hi-lo <= 3 {
		return num
	}
	out := append(n.scratch[:0], num[:lo]...)
	for k := lo; k < hi; k++ {
		if k > lo && (hi-k)%3 == 0 {
			out = append(out, sep)
		}
		out = append(out, num[k])
	}
	out = append(out, num[hi:]...)
	n.scratch = num[:0] // the two buffers swap roles
	return out
}

// appendIntVerb formats x for d, i, x, X, o, b, c (or the default).
func appendIntVerb(dst []byte, x int64, sp *fmtSpec, fmtStyle bool) ([]byte, error) {
	base, upper := 10, false
	switch sp.verb {
	case 0, 'd', 'i':
	case 'x':
		base = 16
	case 'X':
		base, upper = 16, true
	case 'o':
		base = 8
	case 'b', 'B':
		base = 2
	case 'c':
		return append(dst, string(rune(x))...), nil
	default:
		return dst, invalidInputf("Invalid type specifier \"%c\" for formatting a value of type int", sp.verb)
	}
	// printf shows a negative number in another base as its two's
	// complement, format with a sign.
	signed := x < 0 && (base == 10 || fmtStyle)
	u := uint64(x)
	if signed {
		u = -u
	}
	switch {
	case signed:
		dst = append(dst, '-')
	case sp.plus:
		dst = append(dst, '+')
	case sp.space:
		dst = append(dst, ' ')
	}
	if sp.alt {
		switch base {
		case 16:
			dst = append(dst, '0', sp.verb)
		case 8:
			dst = append(dst, '0')
		case 2:
			dst = append(dst, '0', sp.verb)
		}
	}
	start := len(dst)
	dst = strconv.AppendUint(dst, u, base)
	if upper {
		for k := start; k < len(dst); k++ {
			if dst[k] >= 'a' && dst[k] <= 'f' {
				dst[k] -= 'a' - 'A'
			}
		}
	}
	return dst, nil
}

// appendFloatVerb formats x for f, F, e, E, g, G (or the default: the
// shortest form that reads back, as fmt's {}).
func appendFloatVerb(dst []byte, x float64, sp *fmtSpec, fmtStyle bool) ([]byte, error) {
	verb, prec := sp.verb, sp.prec
	switch verb {
	case 'f', 'F', 'e', 'E', 'g', 'G':
		if prec < 0 && (!fmtStyle || verb != 'g' && verb != 'G') {
			prec = 6
		}
	case 0:
		// The shortest digits that read back, fixed unless the exponent is
		// below -4 or at least 16 (fmt's {} and Python's repr).
		verb = 'f'
		if a := math.Abs(x); prec >= 0 {
			verb = 'g' // {:.N}: N significant digits
		} else if a != 0 && (a < 1e-4 || a >= 1e16) {
			verb = 'e'
		}
	default:
		return dst, invalidInputf("Invalid type specifier \"%c\" for formatting a value of type float", verb)
	}
	if !math.Signbit(x) || math.IsNaN(x) {
		if sp.plus {
			dst = append(dst, '+')
		} else if sp.space {
			dst = append(dst, ' ')
		}
	}
	switch {
	case math.IsInf(x, 0) || math.IsNaN(x):
		s := "inf"
		if math.IsNaN(x) {
			s = "nan"
		} else if x < 0 {
			s = "-inf"
		}
		return append(dst, s...), nil
	case verb == 'F':
		verb = 'f'
	}
	return strconv.AppendFloat(dst, x, verb, prec, 64), nil
}

// pad applies the width: fill characters on the side the alignment
// leaves free (printf right-aligns everything, format numbers only); a
// numeric zero flag pads with zeros after the sign and base prefix.
func pad(buf, s []byte, width int, sp *fmtSpec, numeric, fmtStyle bool) []byte {
	align := sp.align
	if sp.minus {
		align = '<'
	}
	fill := width - utf8Count(s)
	if fill <= 0 {
		return append(buf, s...)
	}
	if align == 0 && sp.zero && numeric {
		k := 0
		for k < len(s) && (s[k] == '-' || s[k] == '+' || s[k] == ' ') {
			k++
		}
		if k+1 < len(s) && s[k] == '0' && (s[k+1] == 'x' || s[k+1] == 'X' || s[k+1] == 'b' || s[k+1] == 'B') {
			k += 2
		}
		buf = append(buf, s[:k]...)
		for ; fill > 0; fill-- {
			buf = append(buf, '0')
		}
		return append(buf, s[k:]...)
	}
	if align == 0 {
		align = '>'
		if fmtStyle && !numeric {
			align = '<'
		}
	}
	before := fill
	switch align {
	case '<':
		before = 0
	case '^':
		before = fill / 2
	}
	c := sp.fill
	if c == 0 {
		c = ' '
	}
	for k := 0; k < before; k++ {
		buf = append(buf, c)
	}
	buf = append(buf, s...)
	for k := before; k < fill; k++ {
		buf = append(buf, c)
	}
	return buf
}

func utf8Count(s []byte) int {
	n := 0
	for _, c := range s {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// parsePrintfFormat splits a printf format: %[flags][width|*][.prec]
// [length]verb, with %% a percent sign. C's length modifiers are read and
// ignored (the argument's type decides).
func parsePrintfFormat(specs []fmtSpec, f string) ([]fmtSpec, error) {
	next := 0
	lit := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		if i+1 < len(f) && f[i+1] == '%' {
			specs = append(specs, fmtSpec{lit: f[lit : i+1], arg: -1})
			i++
			lit = i + 1
			continue
		}
		if lit < i {
			specs = append(specs, fmtSpec{lit: f[lit:i], arg: -1})
		}
		sp := fmtSpec{widthArg: -1, width: -1, prec: -1}
		j := i + 1
	flags:
		for ; j < len(f); j++ {
			switch f[j] {
			case '-':
				sp.minus = true
			case '+':
				sp.plus = true
			case ' ':
				sp.space = true
			case '0':
				sp.zero = true
			case '#':
				sp.alt = true
			case ',', '_', '\'':
				sp.sep = f[j]
			default:
				break flags
			}
		}
		if j < len(f) && f[j] == '*' {
			sp.widthArg = next
			next++
			j++
		} else {
			sp.width, j = atoiAt(f, j)
		}
		if j+1 < len(f) && f[j] == '.' && (f[j+1] == 'd' || f[j+1] == 'i') {
			sp.sep = '.' // %.d groups with dots
			j++
		} else if j < len(f) && f[j] == '.' {
			sp.prec, j = atoiAt(f, j+1)
			sp.prec = max(sp.prec, 0)
		}
		for j < len(f) && (f[j] == 'h' || f[j] == 'l' || f[j] == 'z' || f[j] == 'j' || f[j] == 't' || f[j] == 'L' || f[j] == 'q') {
			j++
		}
		if j >= len(f) || !isPrintfVerb(f[j]) {
			return specs, invalidInputf("invalid format string")
		}
		sp.verb = f[j]
		if sp.verb == 'i' || sp.verb == 'u' {
			sp.verb = 'd'
		}
		sp.arg = next
		next++
		specs = append(specs, sp)
		i = j
		lit = j + 1
	}
	if lit < len(f) {
		specs = append(specs, fmtSpec{lit: f[lit:], arg: -1})
	}
	return specs, nil
}

func isPrintfVerb(c byte) bool {
	switch c {
	case 'd', 'i', 'u', 'x', 'X', 'o', 'b', 'B', 'c', 's', 'f', 'F', 'e', 'E', 'g', 'G':
		return true
	}
	return false
}

// atoiAt reads the decimal digits at f[j:]; -1 when there are none.
func atoiAt(f string, j int) (int, int) {
	v := -1
	for ; j < len(f) && f[j] >= '0' && f[j] <= '9'; j++ {
		v = max(v, 0)*10 + int(f[j]-'0')
	}
	return v, j
}

// parseFmtFormat splits a fmt format: {[index][:[[fill]align][sign][#][0]
// [width][.prec][type]]}, with {{ and }} literal braces.
func parseFmtFormat(specs []fmtSpec, f string) ([]fmtSpec, error) {
	next := 0
	var lit []byte
	flush := func() {
		if len(lit) > 0 {
			specs = append(specs, fmtSpec{lit: string(lit), arg: -1})
			lit = nil
		}
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c == '}' {
			if i+1 < len(f) && f[i+1] == '}' {
				lit = append(lit, '}')
				i++
				continue
			}
			return specs, invalidInputf("unmatched '}' in format string")
		}
		if c != '{' {
			lit = append(lit, c)
			continue
		}
		if i+1 < len(f) && f[i+1] == '{' {
			lit = append(lit, '{')
			i++
			continue
		}
		end := i + 1
		for end < len(f) && f[end] != '}' {
			end++
		}
		if end >= len(f) {
			return specs, invalidInputf("invalid format string")
		}
		flush()
		sp, err := parseFmtField(f[i+1:end], &next)
		if err != nil {
			return specs, err
		}
		specs = append(specs, sp)
		i = end
	}
	flush()
	return specs, nil
}

func parseFmtField(body string, next *int) (fmtSpec, error) {
	sp := fmtSpec{widthArg: -1, width: -1, prec: -1}
	id, j := atoiAt(body, 0)
	if id < 0 {
		id = *next
		*next++
	}
	sp.arg = id
	if j == len(body) {
		return sp, nil
	}
	if body[j] != ':' {
		return sp, invalidInputf("invalid format string")
	}
	s := body[j+1:]
	isAlign := func(c byte) bool { return c == '<' || c == '>' || c == '^' }
	switch {
	case len(s) >= 2 && isAlign(s[1]) && s[0] != '{' && s[0] != '}':
		sp.fill, sp.align, s = s[0], s[1], s[2:]
	case len(s) >= 1 && isAlign(s[0]):
		sp.align, s = s[0], s[1:]
	}
	if len(s) > 0 && (s[0] == '+' || s[0] == '-' || s[0] == ' ') {
		sp.plus, sp.space = s[0] == '+', s[0] == ' '
		s = s[1:]
	}
	if len(s) > 0 && s[0] == '#' {
		sp.alt, s = true, s[1:]
	}
	if len(s) > 0 && s[0] == '0' {
		sp.zero, s = true, s[1:]
	}
	var k int
	sp.width, k = atoiAt(s, 0)
	s = s[k:]
	if len(s) > 0 && s[0] == '.' {
		sp.prec, k = atoiAt(s, 1)
		if sp.prec < 0 {
			return sp, invalidInputf("missing precision specifier")
		}
		s = s[k:]
	}
	switch {
	case len(s) == 1 && (s[0] == ',' || s[0] == '_' || s[0] == '\''):
		sp.sep, s = s[0], ""
	case len(s) >= 2 && s[0] == 't':
		sp.sep, s = s[1], s[2:]
		if s == "s" { // t<c>s: still the default presentation
			s = ""
		}
	}
	if len(s) > 1 {
		return sp, invalidInputf("invalid format specifier")
	}
	if len(s) == 1 {
		sp.verb = s[0]
		if sp.verb == 'L' {
			sp.verb = 0
		}
	}
	return sp, nil
}
