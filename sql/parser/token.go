package parser

import (
	"sort"
	"strings"
)

// Kind classifies a token.
type Kind uint8

// The kinds of token.
const (
	EOF         Kind = iota // the end of the input
	Ident                   // a bare word: an identifier or a keyword (see Token.Keyword)
	QuotedIdent             // "identifier"
	String                  // 'text', E'text', $$text$$, $tag$text$tag$
	Number                  // 12, 1.5, .5, 1e3, 1_000, 0x1F, 0b101
	Param                   // ?, $1, $name
	Op                      // operators and punctuation: + - * / ( ) [ ] { } , ; . : :: ...
	Comment                 // -- line comment or /* block */ (only from Tokens)
	Space                   // white space (only from Tokens)
)

var kindNames = [...]string{"EOF", "identifier", "quoted identifier", "string", "number", "parameter", "operator", "comment", "space"}

// String is the kind's name in error messages ("quoted identifier").
func (k Kind) String() string { return kindNames[k] }

// Token is one lexical token. Text is the token as written in the source
// (Text == src[Pos:End]); Val is its value: a string's contents, a quoted
// identifier's name, a parameter's number or name.
type Token struct {
	Kind Kind
	Pos  int
	End  int
	Text string
	Val  string
	// Keyword is the upper-case keyword a bare word spells ("" when it is
	// not a DuckDB keyword); Category is its category in the grammar, which
	// is DuckDB's listed one (Keywords) except for COLUMNS, GENERATED, MAP,
	// STRUCT and TRY_CAST: listed as type-or-function names, DuckDB's
	// grammar takes them as column and table names too (SELECT map FROM t),
	// so they are Unreserved here.
	Keyword  string
	Category Category
}

// Category is a keyword's category, which decides where it may be used as
// a name (PostgreSQL's and DuckDB's rule).
type Category uint8

// The keyword categories, DuckDB's (duckdb_keywords()'s keyword_category).
const (
	NotKeyword   Category = iota // a word that is not a keyword
	Unreserved                   // usable as any name
	ColumnName                   // a column or table name, not a function or type name
	TypeFunction                 // a function or type name, not a column name
	Reserved                     // a name only when quoted (or after AS, or after a dot)
)

var categoryNames = [...]string{"", "unreserved", "column_name", "type_function", "reserved"}

// String is the category as duckdb_keywords() names it ("" for none).
func (c Category) String() string { return categoryNames[c] }

// Keyword describes one keyword.
type Keyword struct {
	Word     string // upper case
	Category Category
}

var keywords = func() map[string]Keyword {
	m := map[string]Keyword{}
	for cat, words := range keywordTable {
		for _, w := range words {
			m[w] = Keyword{Word: w, Category: cat}
		}
	}
	return m
}()

// Keywords returns every keyword, sorted (for completion and highlighting).
func Keywords() []Keyword {
	out := make([]Keyword, 0, len(keywords))
	for _, k := range keywords {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Word < out[j].Word })
	return out
}

// LookupKeyword reports whether word (any case) is a keyword.
func LookupKeyword(word string) (Keyword, bool) {
	var buf [24]byte
	if len(word) > len(buf) {
		return Keyword{}, false
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	k, ok := keywords[string(buf[:len(word)])]
	return k, ok
}

// is reports whether t is the bare word w (upper case), keyword or not.
func (t *Token) is(w string) bool {
	if t.Kind != Ident {
		return false
	}
	if t.Keyword != "" {
		return t.Keyword == w
	}
	return strings.EqualFold(t.Text, w)
}

// isOp reports whether t is the operator or punctuation s.
func (t *Token) isOp(s string) bool { return t.Kind == Op && t.Text == s }
