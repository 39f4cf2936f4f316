package sql

import (
	"sort"
	"strconv"
	"strings"
)

// TokenKind classifies a Token for tools outside the parser.
type TokenKind uint8

// Token kinds. Keywords are TokenWord: telling them from identifiers is the
// caller's business (the shell keeps a keyword list).
const (
	TokenSpace TokenKind = iota
	TokenComment
	TokenWord         // bare word: keyword or identifier
	TokenQuotedIdent  // "identifier"
	TokenString       // 'literal'
	TokenNumber       // 12, 1.5, 1e3
	TokenPunct        // operators and punctuation
	TokenOther        // a byte the lexer does not know
	TokenUnterminated // an unterminated string, identifier or comment running to the end
)

// Token is one token of SQL text with its byte offset, for the shell's
// highlighting, completion and statement splitting.
type Token struct {
	Kind TokenKind
	Text string
	Pos  int
}

// Tokens lexes src without failing: an unterminated string, quoted
// identifier or block comment becomes one TokenUnterminated token that runs
// to the end (what a user is still typing).
func Tokens(src string) []Token {
	toks, err := lex(src)
	end := len(src)
	if err != nil {
		end = errorPos(err.Error(), len(src))
		toks, err = lex(src[:end])
		if err != nil {
			return []Token{{Kind: TokenUnterminated, Text: src}}
		}
	}
	out := make([]Token, 0, len(toks)+1)
	for _, t := range toks {
		out = append(out, Token{Kind: exportKind(t), Text: t.text, Pos: t.pos})
	}
	if end < len(src) {
		out = append(out, Token{Kind: TokenUnterminated, Text: src[end:], Pos: end})
	}
	return out
}

// errorPos reads the 1-based "at position N" of a lexer error as a byte
// offset (n when absent).
func errorPos(msg string, n int) int {
	i := strings.LastIndex(msg, "position ")
	if i < 0 {
		return n
	}
	p, err := strconv.Atoi(strings.TrimSpace(msg[i+len("position "):]))
	if err != nil || p < 1 || p > n {
		return n
	}
	return p - 1
}

func exportKind(t token) TokenKind {
	switch t.kind {
	case tkSpace:
		return TokenSpace
	case tkComment:
		return TokenComment
	case tkIdent:
		return TokenWord
	case tkQuoted:
		return TokenQuotedIdent
	case tkString:
		return TokenString
	case tkNumber:
		return TokenNumber
	case tkPunct:
		return TokenPunct
	}
	return TokenOther
}

// FunctionNames lists the scalar, aggregate and table functions the binder
// knows, sorted, for the shell's completion. Keep it in step with the
// binder's switch statements (TestFunctionNamesBind checks every name).
func FunctionNames() []string {
	names := []string{
		// scalar (bind_func.go)
		"upper", "ucase", "lower", "lcase", "trim", "length", "char_length", "character_length", "len", "strlen",
		"substring", "substr", "concat", "starts_with", "prefix", "contains", "abs", "round", "nullif",
		"coalesce", "ifnull", "year", "month", "day",
		// nested (bind_nested.go)
		"struct_extract", "list_element", "list_extract", "array_extract", "map_extract_value",
		"list_contains", "array_contains", "list_has", "array_has", "map_keys", "map_values",
		"array_length", "list_length", "cardinality",
	}
	for n := range aggNames {
		names = append(names, n)
	}
	for n := range tableFuncNames {
		names = append(names, n)
	}
	sort.Strings(names)
	out := names[:0]
	for i, n := range names {
		if i == 0 || n != names[i-1] {
			out = append(out, n)
		}
	}
	return out
}

// IsTableFunction reports whether name is a table function (FROM name(...)).
func IsTableFunction(name string) bool { return tableFuncNames[strings.ToLower(name)] }
