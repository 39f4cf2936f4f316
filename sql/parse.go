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
	// CTEs are the WITH clause's named queries, in order.
	CTEs []CTE
	// ColAliases are derived tables' column lists (`AS t (a, b)`), by
	// lower-cased alias.
	ColAliases map[string][]string
	// TableFuncs are the FROM clause's table function calls; the text
	// refers to call i as the table `__tf_i`.
	TableFuncs []TableFunc
}

// CTE is one `name [(columns)] AS (query)` of a WITH clause.
type CTE struct {
	Name    string
	Columns []string
	Query   *Query
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
	if c, ok, err := parseCopy(text); ok || err != nil {
		return c, err
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
	if ctes, body, ok, err := splitWith(text); ok || err != nil {
		if err != nil {
			return nil, fmt.Errorf("Parser Error: %v", err)
		}
		q, err := parseQuery(body, body)
		if err != nil {
			return nil, err
		}
		q.CTEs = append(ctes, q.CTEs...)
		q.Text = text
		return q, nil
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
	return &Query{AST: sel, Text: text, ColAliases: rw.colAliases, TableFuncs: rw.tableFuncs}, nil
}

// splitWith separates `WITH a [(cols)] AS (q1), b AS (q2) body` (the MySQL
// grammar has no WITH) into named queries and the body.
func splitWith(text string) ([]CTE, string, bool, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, "", false, err
	}
	sig := significant(toks)
	if len(sig) == 0 || !sig[0].isWord("WITH") {
		return nil, "", false, nil
	}
	k := 1
	if k < len(sig) && sig[k].isWord("RECURSIVE") {
		return nil, "", true, fmt.Errorf("WITH RECURSIVE is not supported")
	}
	var ctes []CTE
	for {
		if k >= len(sig) || (sig[k].kind != tkIdent && sig[k].kind != tkQuoted) {
			return nil, "", true, fmt.Errorf("expected a name after WITH at position %d", posOf(sig, k, text))
		}
		cte := CTE{Name: sig[k].identValue()}
		k++
		if k < len(sig) && sig[k].text == "(" {
			end := matchParen(sig, k)
			if end < 0 {
				return nil, "", true, fmt.Errorf("unbalanced parenthesis at position %d", sig[k].pos+1)
			}
			for j := k + 1; j < end; j++ {
				if sig[j].kind == tkIdent || sig[j].kind == tkQuoted {
					cte.Columns = append(cte.Columns, sig[j].identValue())
				}
			}
			k = end + 1
		}
		if k >= len(sig) || !sig[k].isWord("AS") || k+1 >= len(sig) || sig[k+1].text != "(" {
			return nil, "", true, fmt.Errorf("expected AS (query) after WITH %s at position %d", cte.Name, posOf(sig, k, text))
		}
		end := matchParen(sig, k+1)
		if end < 0 {
			return nil, "", true, fmt.Errorf("unbalanced parenthesis at position %d", sig[k+1].pos+1)
		}
		body := text[sig[k+1].pos+1 : sig[end].pos]
		q, err := parseQuery(body, body)
		if err != nil {
			return nil, "", true, fmt.Errorf("in WITH %s: %v", cte.Name, err)
		}
		cte.Query = q
		ctes = append(ctes, cte)
		k = end + 1
		if k < len(sig) && sig[k].text == "," {
			k++
			continue
		}
		break
	}
	if k >= len(sig) {
		return nil, "", true, fmt.Errorf("WITH needs a query after its definitions")
	}
	return ctes, text[sig[k].pos:], true, nil
}

func posOf(sig []token, k int, text string) int {
	if k < len(sig) {
		return sig[k].pos + 1
	}
	return len(text) + 1
}
