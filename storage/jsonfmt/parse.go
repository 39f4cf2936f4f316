package jsonfmt

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// kind is the JSON kind of a value.
type kind uint8

const (
	kNull kind = iota
	kBool
	kInt
	kFloat
	kString
	kArray
	kObject
)

// value is a parsed JSON value. Strings without escapes and raw texts
// point into the file's bytes.
type value struct {
	kind kind
	b    bool
	i    int64
	f    float64
	s    string  // kString
	raw  string  // the value's JSON text
	arr  []value // kArray
	keys []string
	vals []value // kObject
}

// parser reads JSON values from a buffer.
type parser struct {
	buf  []byte
	pos  int
	text string // buf as a string (no copy)
}

func newParser(buf []byte) *parser {
	p := &parser{buf: buf}
	if len(buf) > 0 {
		p.text = unsafe.String(&buf[0], len(buf))
	}
	return p
}

type syntaxError struct {
	pos int
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

func (p *parser) fail(msg string) error { return &syntaxError{pos: p.pos, msg: msg} }

func (p *parser) skipSpace() {
	for p.pos < len(p.buf) {
		switch p.buf[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value parses one value; depth bounds nesting.
func (p *parser) value(depth int) (value, error) {
	p.skipSpace()
	if p.pos >= len(p.buf) {
		return value{}, p.fail("unexpected end of data.")
	}
	if depth > 1000 {
		return value{}, p.fail("nesting too deep.")
	}
	start := p.pos
	var v value
	var err error
	switch c := p.buf[p.pos]; {
	case c == '{':
		v, err = p.object(depth)
	case c == '[':
		v, err = p.array(depth)
	case c == '"':
		v.kind = kString
		v.s, err = p.str()
	case c == 't' || c == 'f' || c == 'n':
		v, err = p.literal()
	case c == '-' || (c >= '0' && c <= '9'):
		v, err = p.number()
	default:
		return value{}, p.fail(fmt.Sprintf("unexpected character %q.", c))
	}
	if err != nil {
		return value{}, err
	}
	v.raw = p.text[start:p.pos]
	return v, nil
}

func (p *parser) literal() (value, error) {
	for _, l := range []struct {
		s string
		v value
	}{{"true", value{kind: kBool, b: true}}, {"false", value{kind: kBool}}, {"null", value{}}} {
		if len(p.buf)-p.pos >= len(l.s) && string(p.buf[p.pos:p.pos+len(l.s)]) == l.s {
			p.pos += len(l.s)
			return l.v, nil
		}
	}
	return value{}, p.fail("invalid literal.")
}

func (p *parser) number() (value, error) {
	st := p.pos
	isFloat := false
	for p.pos < len(p.buf) {
		c := p.buf[p.pos]
		if c >= '0' && c <= '9' || c == '-' || c == '+' {
			p.pos++
		} else if c == '.' || c == 'e' || c == 'E' {
			isFloat = true
			p.pos++
		} else {
			break
		}
	}
	t := p.text[st:p.pos]
	if !isFloat {
		if i, err := strconv.ParseInt(t, 10, 64); err == nil {
			return value{kind: kInt, i: i, f: float64(i)}, nil
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !math.IsInf(f, 0) {
		return value{}, p.fail(fmt.Sprintf("invalid number %q.", t))
	}
	return value{kind: kFloat, f: f}, nil
}

// str parses a string at the opening quote.
func (p *parser) str() (string, error) {
	p.pos++
	st := p.pos
	for p.pos < len(p.buf) {
		c := p.buf[p.pos]
		if c == '"' {
			s := p.text[st:p.pos]
			p.pos++
			return s, nil
		}
		if c == '\\' {
			return p.strEscaped(st)
		}
		p.pos++
	}
	return "", p.fail("unexpected end of data.")
}

func (p *parser) strEscaped(st int) (string, error) {
	out := append([]byte(nil), p.buf[st:p.pos]...)
	for p.pos < len(p.buf) {
		c := p.buf[p.pos]
		switch c {
		case '"':
			p.pos++
			return string(out), nil
		case '\\':
			if p.pos+1 >= len(p.buf) {
				return "", p.fail("unexpected end of data.")
			}
			e := p.buf[p.pos+1]
			p.pos += 2
			switch e {
			case 'n':
				out = append(out, '\n')
			case 't':
				out = append(out, '\t')
			case 'r':
				out = append(out, '\r')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '/', '\\', '"':
				out = append(out, e)
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.fail("invalid unicode escape.")
				}
				if utf16.IsSurrogate(r) && p.pos+1 < len(p.buf) && p.buf[p.pos] == '\\' && p.buf[p.pos+1] == 'u' {
					p.pos += 2
					r2, ok := p.hex4()
					if !ok {
						return "", p.fail("invalid unicode escape.")
					}
					r = utf16.DecodeRune(r, r2)
				}
				out = utf8.AppendRune(out, r)
			default:
				return "", p.fail("invalid escape.")
			}
		default:
			out = append(out, c)
			p.pos++
		}
	}
	return "", p.fail("unexpected end of data.")
}

func (p *parser) hex4() (rune, bool) {
	if p.pos+4 > len(p.buf) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.text[p.pos:p.pos+4], 16, 32)
	p.pos += 4
	return rune(n), err == nil
}

func (p *parser) array(depth int) (value, error) {
	v := value{kind: kArray}
	p.pos++
	p.skipSpace()
	if p.pos < len(p.buf) && p.buf[p.pos] == ']' {
		p.pos++
		return v, nil
	}
	for {
		e, err := p.value(depth + 1)
		if err != nil {
			return v, err
		}
		v.arr = append(v.arr, e)
		p.skipSpace()
		if p.pos >= len(p.buf) {
			return v, p.fail("unexpected end of data.")
		}
		switch p.buf[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return v, nil
		default:
			return v, p.fail("expected ',' or ']'.")
		}
	}
}

func (p *parser) object(depth int) (value, error) {
	v := value{kind: kObject}
	p.pos++
	p.skipSpace()
	if p.pos < len(p.buf) && p.buf[p.pos] == '}' {
		p.pos++
		return v, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.buf) || p.buf[p.pos] != '"' {
			if p.pos >= len(p.buf) {
				return v, p.fail("unexpected end of data.")
			}
			return v, p.fail("expected a string key.")
		}
		k, err := p.str()
		if err != nil {
			return v, err
		}
		p.skipSpace()
		if p.pos >= len(p.buf) || p.buf[p.pos] != ':' {
			return v, p.fail("expected ':'.")
		}
		p.pos++
		e, err := p.value(depth + 1)
		if err != nil {
			return v, err
		}
		v.keys = append(v.keys, k)
		v.vals = append(v.vals, e)
		p.skipSpace()
		if p.pos >= len(p.buf) {
			return v, p.fail("unexpected end of data.")
		}
		switch p.buf[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return v, nil
		default:
			return v, p.fail("expected ',' or '}'.")
		}
	}
}
