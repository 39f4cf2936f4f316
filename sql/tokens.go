package sql

import (
	"sort"
	"strings"

	"github.com/peregrinedb/peregrine/sql/parser"
)

// TokenKind classifies a Token for tools outside the parser (the shell's
// highlighting, completion and statement splitting).
type TokenKind uint8

// Token kinds. Keywords are TokenWord: parser.LookupKeyword tells them from
// identifiers.
const (
	TokenSpace TokenKind = iota
	TokenComment
	TokenWord         // bare word: keyword or identifier
	TokenQuotedIdent  // "identifier"
	TokenString       // 'literal', E'literal', $$literal$$
	TokenNumber       // 12, 1.5, 1e3, 0x1F
	TokenPunct        // operators, punctuation and parameters (?, $1)
	TokenOther        // a byte the lexer does not know
	TokenUnterminated // an unterminated string, identifier or comment running to the end
)

// Token is one token of SQL text with its byte offset.
type Token struct {
	Kind TokenKind
	Text string
	Pos  int
}

// Tokens lexes src with the parser's own lexer, without failing: an
// unterminated string, quoted identifier or block comment becomes one
// TokenUnterminated token that runs to the end (what a user is still typing).
func Tokens(src string) []Token {
	toks, err := parser.Tokens(src)
	open := -1
	if e, ok := err.(*parser.Error); ok {
		open = e.Pos
	}
	out := make([]Token, len(toks))
	for i, t := range toks {
		out[i] = Token{Kind: exportKind(t), Text: t.Text, Pos: t.Pos}
		if t.Pos == open && t.End == len(src) {
			out[i].Kind = TokenUnterminated
		}
	}
	return out
}

func exportKind(t parser.Token) TokenKind {
	switch t.Kind {
	case parser.Space:
		return TokenSpace
	case parser.Comment:
		return TokenComment
	case parser.Ident:
		return TokenWord
	case parser.QuotedIdent:
		return TokenQuotedIdent
	case parser.String:
		return TokenString
	case parser.Number:
		return TokenNumber
	case parser.Param:
		return TokenPunct
	case parser.Op:
		if c := t.Text[0]; c < 0x80 && strings.IndexByte("+-*/<>=~!@#%^&|()[]{},;.:$", c) >= 0 {
			return TokenPunct
		}
	}
	return TokenOther
}

// FunctionNames lists the scalar, aggregate and table functions the binder
// knows, sorted, for the shell's completion.
func FunctionNames() []string {
	var names []string
	for _, f := range Functions() {
		names = append(names, f.Name)
	}
	return dedupSorted(names)
}

func dedupSorted(names []string) []string {
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
