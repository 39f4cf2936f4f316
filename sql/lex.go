package sql

import (
	"fmt"
	"strings"
)

// tokKind classifies a token of the pre-parse lexer. The lexer only needs to
// know enough to rewrite ANSI/DuckDB forms into what the MySQL parser
// accepts; it never validates SQL.
type tokKind uint8

const (
	tkSpace tokKind = iota
	tkComment
	tkIdent   // bare word (identifier or keyword)
	tkQuoted  // "identifier" or `identifier`
	tkString  // 'literal'
	tkNumber  // 12, 1.5, 1e3
	tkPunct   // operators and punctuation
	tkUnknown // a lone unexpected byte
)

type token struct {
	kind tokKind
	text string // source text of the token
	pos  int    // byte offset in the original statement
}

// upper returns the token text upper-cased for keyword comparison.
func (t token) upper() string { return strings.ToUpper(t.text) }

func (t token) isWord(w string) bool { return t.kind == tkIdent && strings.EqualFold(t.text, w) }

// stringValue returns the unescaped contents of a 'literal' token.
func (t token) stringValue() string {
	s := t.text[1 : len(t.text)-1]
	return strings.ReplaceAll(s, "''", "'")
}

// identValue returns the unquoted name of an identifier token.
func (t token) identValue() string {
	if t.kind == tkQuoted {
		q := t.text[:1]
		return strings.ReplaceAll(t.text[1:len(t.text)-1], q+q, q)
	}
	return t.text
}

// lex splits src into tokens. An unterminated string, identifier or comment
// is an error naming its position.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		start := i
		kind := tkPunct
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			for i < len(src) && strings.IndexByte(" \t\n\r\f", src[i]) >= 0 {
				i++
			}
			kind = tkSpace
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			kind = tkComment
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("unterminated comment at position %d", start+1)
			}
			i += end + 4
			kind = tkComment
		case c == '\'' || c == '"' || c == '`':
			i++
			for {
				if i >= len(src) {
					what := "string"
					if c != '\'' {
						what = "quoted identifier"
					}
					return nil, fmt.Errorf("unterminated %s at position %d", what, start+1)
				}
				if src[i] == c {
					if i+1 < len(src) && src[i+1] == c {
						i += 2
						continue
					}
					i++
					break
				}
				i++
			}
			kind = tkString
			if c != '\'' {
				kind = tkQuoted
			}
		case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
			for i < len(src) && (isDigit(src[i]) || src[i] == '.') {
				i++
			}
			if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
				j := i + 1
				if j < len(src) && (src[j] == '+' || src[j] == '-') {
					j++
				}
				if j < len(src) && isDigit(src[j]) {
					i = j
					for i < len(src) && isDigit(src[i]) {
						i++
					}
				}
			}
			kind = tkNumber
		case isIdentStart(c):
			for i < len(src) && isIdentPart(src[i]) {
				i++
			}
			kind = tkIdent
		default:
			i++
			if i < len(src) {
				two := src[start : i+1]
				switch two {
				case "<=", ">=", "<>", "!=", "||", "::", "<<", ">>", "//":
					i++
				}
			}
			if c == 0 || c >= 0x80 {
				kind = tkUnknown
			}
		}
		toks = append(toks, token{kind: kind, text: src[start:i], pos: start})
	}
	return toks, nil
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) || c == '$' }

// significant returns the tokens that are not whitespace or comments.
func significant(toks []token) []token {
	out := make([]token, 0, len(toks))
	for _, t := range toks {
		if t.kind != tkSpace && t.kind != tkComment {
			out = append(out, t)
		}
	}
	return out
}

// SplitStatements splits a script on semicolons outside strings, quoted
// identifiers and comments. Empty statements are dropped. Each piece keeps its
// text without the trailing semicolon.
func SplitStatements(script string) ([]string, error) {
	toks, err := lex(script)
	if err != nil {
		return nil, err
	}
	var out []string
	start := 0
	hasContent := false
	for _, t := range toks {
		if t.kind == tkPunct && t.text == ";" {
			if hasContent {
				out = append(out, strings.TrimSpace(script[start:t.pos]))
			}
			start = t.pos + 1
			hasContent = false
			continue
		}
		if t.kind != tkSpace && t.kind != tkComment {
			hasContent = true
		}
	}
	if hasContent {
		out = append(out, strings.TrimSpace(script[start:]))
	}
	return out, nil
}

// Complete reports whether buf holds at least one whole statement ending in
// a semicolon outside quotes and comments (the REPL's "run now" test). An
// unterminated string means the user is still typing.
func Complete(buf string) bool {
	toks, err := lex(buf)
	if err != nil {
		return false
	}
	for i := len(toks) - 1; i >= 0; i-- {
		switch toks[i].kind {
		case tkSpace, tkComment:
			continue
		case tkPunct:
			return toks[i].text == ";"
		default:
			return false
		}
	}
	return false
}
