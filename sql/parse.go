// Package sql turns SQL text into bound logical plans: a small pre-parse
// layer handles our own statements and rewrites ANSI/DuckDB syntax, the
// MySQL parser (xwb1989/sqlparser) builds the AST, and the binder resolves
// names and types against a catalog into a planner.Node tree.
package sql

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/xwb1989/sqlparser"
)

// Statement is one parsed statement.
type Statement interface{ statement() }

// Query is a SELECT (or UNION) to plan and run.
type Query struct {
	AST  sqlparser.SelectStatement
	Text string // the user's text
}

// Explain is EXPLAIN [ANALYZE] query.
type Explain struct {
	Analyze bool
	Query   *Query
}

// Set is SET name = value (also SET name TO value); RESET name sets Value "".
type Set struct {
	Name  string
	Value string
	Reset bool
}

// ShowTables is SHOW TABLES.
type ShowTables struct{}

// Describe is DESCRIBE table or DESCRIBE query: the output columns and types.
type Describe struct{ Query *Query }

func (*Query) statement()      {}
func (*Explain) statement()    {}
func (*Set) statement()        {}
func (*ShowTables) statement() {}
func (*Describe) statement()   {}

var (
	reExplain  = regexp.MustCompile(`(?is)^\s*EXPLAIN(\s+ANALY[SZ]E)?\s+(.*)$`)
	reSet      = regexp.MustCompile(`(?is)^\s*SET\s+(?:GLOBAL\s+|SESSION\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|\bTO\b)\s*(.*?)\s*$`)
	reReset    = regexp.MustCompile(`(?is)^\s*RESET\s+([A-Za-z_][A-Za-z0-9_]*)\s*$`)
	reShow     = regexp.MustCompile(`(?is)^\s*SHOW\s+TABLES\s*$`)
	reDescribe = regexp.MustCompile(`(?is)^\s*(?:DESCRIBE|DESC)\s+(.*)$`)
	reSelect   = regexp.MustCompile(`(?is)^\s*(\(\s*)*(SELECT|WITH|VALUES)\b`)
)

// Parse parses one statement (no trailing semicolon needed).
func Parse(text string) (Statement, error) {
	text = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), ";"))
	if m := reExplain.FindStringSubmatch(text); m != nil {
		q, err := parseQuery(m[2], text[len(text)-len(m[2]):])
		if err != nil {
			return nil, err
		}
		return &Explain{Analyze: m[1] != "", Query: q}, nil
	}
	if m := reSet.FindStringSubmatch(text); m != nil {
		return &Set{Name: strings.ToLower(m[1]), Value: unquoteSetting(m[2])}, nil
	}
	if m := reReset.FindStringSubmatch(text); m != nil {
		return &Set{Name: strings.ToLower(m[1]), Reset: true}, nil
	}
	if reShow.MatchString(text) {
		return &ShowTables{}, nil
	}
	if m := reDescribe.FindStringSubmatch(text); m != nil {
		body := m[1]
		if !reSelect.MatchString(body) {
			body = "SELECT * FROM " + body
		}
		q, err := parseQuery(body, body)
		if err != nil {
			return nil, err
		}
		return &Describe{Query: q}, nil
	}
	return parseQuery(text, text)
}

func unquoteSetting(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
		return strings.ReplaceAll(v[1:len(v)-1], v[:1]+v[:1], v[:1])
	}
	return v
}

// parseQuery parses a SELECT; errorText is the text positions refer to.
func parseQuery(text, errorText string) (*Query, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("Parser Error: empty statement")
	}
	rw, err := rewrite(text)
	if err != nil {
		return nil, fmt.Errorf("Parser Error: %v", err)
	}
	st, err := sqlparser.Parse(rw.text)
	if err != nil {
		return nil, syntaxError(errorText, rw, err)
	}
	sel, ok := st.(sqlparser.SelectStatement)
	if !ok {
		word := strings.Fields(text)[0]
		return nil, fmt.Errorf("Not implemented Error: %s statements are not supported (Peregrine is read-only over Parquet; use SELECT)", strings.ToUpper(word))
	}
	return &Query{AST: sel, Text: text}, nil
}
