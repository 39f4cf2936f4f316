package parser

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Tokens splits src into tokens, comments and white space included, for
// highlighting and completion: concatenating every Text gives src back. It
// never stops early: an unterminated string, identifier or comment becomes a
// token running to the end of src, and the first such problem is returned
// as err (a *Error) next to the complete token list.
func Tokens(src string) ([]Token, error) {
	l := lexer{src: src, trivia: true}
	return l.run()
}

// lex returns src's significant tokens followed by an EOF token.
func lex(src string) ([]Token, error) {
	l := lexer{src: src}
	toks, err := l.run()
	if err != nil {
		return nil, err
	}
	return append(toks, Token{Kind: EOF, Pos: len(src), End: len(src)}), nil
}

type lexer struct {
	src    string
	trivia bool
	toks   []Token
	err    error
}

func (l *lexer) run() ([]Token, error) {
	l.toks = make([]Token, 0, len(l.src)/4+1)
	for i := 0; i < len(l.src); {
		i = l.next(i)
	}
	return l.toks, l.err
}

func (l *lexer) emit(kind Kind, start, end int, val string) {
	if !l.trivia && (kind == Space || kind == Comment) {
		return
	}
	t := Token{Kind: kind, Pos: start, End: end, Text: l.src[start:end], Val: val}
	if kind == Ident {
		if k, ok := LookupKeyword(t.Text); ok {
			t.Keyword, t.Category = k.Word, k.Category
			if nameLikeKeywords[k.Word] {
				t.Category = Unreserved
			}
		}
	}
	l.toks = append(l.toks, t)
}

// fail records an unterminated token running from start to the end.
func (l *lexer) fail(kind Kind, start int, what string) int {
	if l.err == nil {
		l.err = &Error{Msg: "unterminated " + what + " at or near \"" + Clip(strings.TrimRight(l.src[start:], " \t\r\n")) + "\"", Pos: start, Src: l.src}
	}
	l.emit(kind, start, len(l.src), "")
	return len(l.src)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || c|0x20 >= 'a' && c|0x20 <= 'z' || c >= 0x80 }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) || c == '$' }

// opChars may form multi-character operators.
const opChars = "+-*/<>=~!@#%^&|"

// operators are the operators DuckDB knows; a run of operator characters
// is split into the longest known operators.
var operators = map[string]bool{
	"+": true, "-": true, "*": true, "/": true, "%": true, "^": true, "**": true, "//": true,
	"=": true, "==": true, "<>": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true,
	"||": true, "&": true, "|": true, "#": true, "~": true, "<<": true, ">>": true, "!": true, "@": true,
	"~~": true, "!~~": true, "~~*": true, "!~~*": true, "~~~": true, "!~~~": true, "~*": true, "!~": true,
	"!~*": true, "^@": true, "@>": true, "<@": true, "&&": true, "->": true, "->>": true, "=>": true,
}

// maxOperatorLen is the length of the longest entry of operators.
const maxOperatorLen = 4

// opRun returns the end of the run of operator characters starting at i,
// looking no further than limit; a comment start ends the run.
func (l *lexer) opRun(i, limit int) int {
	src := l.src
	j := i
	for j < len(src) && j < limit && strings.IndexByte(opChars, src[j]) >= 0 {
		if j > i && (strings.HasPrefix(src[j:], "--") || strings.HasPrefix(src[j:], "/*")) {
			break
		}
		j++
	}
	return j
}

func (l *lexer) next(i int) int {
	src := l.src
	c := src[i]
	start := i
	switch {
	case isSpace(c):
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		l.emit(Space, start, i, "")
	case c == '-' && i+1 < len(src) && src[i+1] == '-':
		for i < len(src) && src[i] != '\n' {
			i++
		}
		l.emit(Comment, start, i, "")
	case c == '/' && i+1 < len(src) && src[i+1] == '*':
		// Block comments nest, as in PostgreSQL and DuckDB.
		depth := 0
		for i < len(src) {
			switch {
			case strings.HasPrefix(src[i:], "/*"):
				depth++
				i += 2
			case strings.HasPrefix(src[i:], "*/"):
				depth--
				i += 2
				if depth == 0 {
					l.emit(Comment, start, i, "")
					return i
				}
			default:
				i++
			}
		}
		return l.fail(Comment, start, "/* comment")
	case c == '\'':
		return l.quoted(start, start+1, '\'', String, "quoted string")
	case (c == 'e' || c == 'E') && i+1 < len(src) && src[i+1] == '\'':
		return l.escapeString(start)
	case c == '"':
		return l.quoted(start, start+1, '"', QuotedIdent, "quoted identifier")
	case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
		return l.number(start)
	case isIdentStart(c):
		for i < len(src) && isIdentPart(src[i]) {
			i++
		}
		l.emit(Ident, start, i, "")
	case c == '$':
		return l.dollar(start)
	case c == '?':
		// ?1 is DuckDB's spelling of $1.
		j := i + 1
		for j < len(src) && isDigit(src[j]) {
			j++
		}
		l.emit(Param, start, j, src[i+1:j])
		return j
	case c == ':':
		if i+1 < len(src) && (src[i+1] == ':' || src[i+1] == '=') {
			l.emit(Op, start, i+2, "")
			return i + 2
		}
		l.emit(Op, start, i+1, "")
		return i + 1
	case strings.IndexByte(opChars, c) >= 0:
		// The longest known operator at the start of the run, else the
		// whole run. Known operators are short: looking only that far
		// first keeps a long run (^^^^…) linear, not quadratic.
		j := l.opRun(i, i+maxOperatorLen)
		for k := j; k > i; k-- {
			if operators[src[i:k]] {
				l.emit(Op, start, k, "")
				return k
			}
		}
		j = l.opRun(i, len(src))
		l.emit(Op, start, j, "")
		return j
	case strings.IndexByte("()[]{},;.", c) >= 0:
		l.emit(Op, start, i+1, "")
		return i + 1
	default:
		// Any other byte (a stray backslash, a control character, a
		// non-UTF-8 byte) is a token of its own; the parser reports it.
		_, n := utf8.DecodeRuneInString(src[i:])
		l.emit(Op, start, i+n, "")
		return i + n
	}
	return i
}

// quoted scans a '...' or "..." token whose body starts at body; a doubled
// quote stands for itself. Adjacent string literals separated by white
// space that holds a newline are one literal (SQL's rule).
func (l *lexer) quoted(start, body int, q byte, kind Kind, what string) int {
	src := l.src
	var sb strings.Builder
	i := body
	for {
		j := strings.IndexByte(src[i:], q)
		if j < 0 {
			return l.fail(kind, start, what)
		}
		sb.WriteString(src[i : i+j])
		i += j + 1
		if i < len(src) && src[i] == q {
			sb.WriteByte(q)
			i++
			continue
		}
		if kind == String {
			if k := continuation(src, i); k > 0 {
				i = k + 1
				continue
			}
		}
		break
	}
	l.emit(kind, start, i, sb.String())
	return i
}

// continuation returns the offset of the quote that continues a string
// literal ending at i (white space with a newline, then a quote), or -1.
func continuation(src string, i int) int {
	newline := false
	j := i
	for j < len(src) && isSpace(src[j]) {
		newline = newline || src[j] == '\n'
		j++
	}
	if newline && j < len(src) && src[j] == '\'' {
		return j
	}
	return -1
}

// escapeString scans E'...' with C-style backslash escapes.
func (l *lexer) escapeString(start int) int {
	src := l.src
	var sb strings.Builder
	i := start + 2
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\'':
			if i+1 < len(src) && src[i+1] == '\'' {
				sb.WriteByte('\'')
				i += 2
				continue
			}
			l.emit(String, start, i+1, sb.String())
			return i + 1
		case c == '\\' && i+1 < len(src):
			i = unescape(&sb, src, i+1)
		default:
			sb.WriteByte(c)
			i++
		}
	}
	return l.fail(String, start, "quoted string")
}

// unescape decodes the escape after a backslash at src[i-1].
func unescape(sb *strings.Builder, src string, i int) int {
	c := src[i]
	simple := map[byte]byte{'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}
	if r, ok := simple[c]; ok {
		sb.WriteByte(r)
		return i + 1
	}
	digits := func(start, max int, ok func(byte) bool) int {
		j := start
		for j < len(src) && j-start < max && ok(src[j]) {
			j++
		}
		return j
	}
	isHex := func(b byte) bool { return isDigit(b) || b|0x20 >= 'a' && b|0x20 <= 'f' }
	switch {
	case c == 'x':
		if j := digits(i+1, 2, isHex); j > i+1 {
			v, _ := strconv.ParseUint(src[i+1:j], 16, 8)
			sb.WriteByte(byte(v))
			return j
		}
	case c == 'u' || c == 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if j := digits(i+1, n, isHex); j == i+1+n {
			v, _ := strconv.ParseUint(src[i+1:j], 16, 32)
			sb.WriteRune(rune(v))
			return j
		}
	case c >= '0' && c <= '7':
		j := digits(i, 3, func(b byte) bool { return b >= '0' && b <= '7' })
		v, _ := strconv.ParseUint(src[i:j], 8, 16)
		sb.WriteByte(byte(v))
		return j
	}
	sb.WriteByte(c)
	return i + 1
}

// dollar scans $1 and $name parameters and $tag$...$tag$ strings.
func (l *lexer) dollar(start int) int {
	src := l.src
	i := start + 1
	if i < len(src) && isDigit(src[i]) {
		for i < len(src) && isDigit(src[i]) {
			i++
		}
		l.emit(Param, start, i, src[start+1:i])
		return i
	}
	for i < len(src) && (isIdentStart(src[i]) || isDigit(src[i])) {
		i++
	}
	if i < len(src) && src[i] == '$' {
		tag := src[start : i+1]
		end := strings.Index(src[i+1:], tag)
		if end < 0 {
			return l.fail(String, start, "dollar-quoted string")
		}
		body := src[i+1 : i+1+end]
		stop := i + 1 + end + len(tag)
		l.emit(String, start, stop, body)
		return stop
	}
	if i == start+1 {
		l.emit(Op, start, i, "")
		return i
	}
	l.emit(Param, start, i, src[start+1:i])
	return i
}

// number scans a numeric literal: digits with _ separators, a fraction, an
// exponent; 0x and 0b prefixes for hexadecimal and binary integers.
func (l *lexer) number(start int) int {
	src := l.src
	i := start
	if src[i] == '0' && i+2 < len(src) && (src[i+1]|0x20 == 'x' || src[i+1]|0x20 == 'b') {
		base := src[i+1] | 0x20
		j := i + 2
		for j < len(src) && (isDigit(src[j]) || base == 'x' && src[j]|0x20 >= 'a' && src[j]|0x20 <= 'f' || src[j] == '_' && j > i+2) {
			j++
		}
		if j > i+2 {
			l.emit(Number, start, j, "")
			return j
		}
	}
	digits := func() {
		for i < len(src) && (isDigit(src[i]) || src[i] == '_' && i > start && isDigit(src[i-1]) && i+1 < len(src) && isDigit(src[i+1])) {
			i++
		}
	}
	digits()
	if i < len(src) && src[i] == '.' && !(i+1 < len(src) && src[i+1] == '.') {
		i++
		digits()
	}
	if i < len(src) && src[i]|0x20 == 'e' {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && isDigit(src[j]) {
			i = j
			digits()
		}
	}
	l.emit(Number, start, i, "")
	return i
}

// nameLikeKeywords are listed by DuckDB as type-or-function keywords but
// usable as column and table names in its grammar (see Token.Category).
var nameLikeKeywords = map[string]bool{"COLUMNS": true, "GENERATED": true, "MAP": true, "STRUCT": true, "TRY_CAST": true}
