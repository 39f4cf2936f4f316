package main

// This file is the shell's only door to the SQL lexer: statement
// splitting, tokens with kinds and offsets (highlighting, completion
// context), the keyword list and the function names. When the front end's
// own lexer lands, only this file changes.

import (
	"strings"

	"github.com/peregrinedb/peregrine/sql"
)

type tokKind uint8

const (
	tokSpace tokKind = iota
	tokComment
	tokKeyword
	tokIdent
	tokQuotedIdent
	tokString
	tokNumber
	tokPunct
	tokOther
	tokOpenString // an unterminated 'string' (completion of file paths)
	tokOpenOther  // an unterminated identifier or comment
)

type sqlToken struct {
	kind tokKind
	text string
	pos  int // byte offset
}

// splitStatements splits a script into statements (without semicolons).
func splitStatements(text string) ([]string, error) { return sql.SplitStatements(text) }

// statementComplete reports whether buf ends a statement with a semicolon
// outside quotes and comments.
func statementComplete(buf string) bool { return sql.Complete(buf) }

// sqlTokens lexes src leniently, telling keywords from identifiers.
func sqlTokens(src string) []sqlToken {
	toks := sql.Tokens(src)
	out := make([]sqlToken, len(toks))
	for i, t := range toks {
		k := tokOther
		switch t.Kind {
		case sql.TokenSpace:
			k = tokSpace
		case sql.TokenComment:
			k = tokComment
		case sql.TokenWord:
			k = tokIdent
			if isKeyword(t.Text) {
				k = tokKeyword
			}
		case sql.TokenQuotedIdent:
			k = tokQuotedIdent
		case sql.TokenString:
			k = tokString
		case sql.TokenNumber:
			k = tokNumber
		case sql.TokenPunct:
			k = tokPunct
		case sql.TokenUnterminated:
			k = tokOpenOther
			if strings.HasPrefix(t.Text, "'") {
				k = tokOpenString
			}
		}
		out[i] = sqlToken{kind: k, text: t.Text, pos: t.Pos}
	}
	return out
}

// functionNames are the functions completion offers.
func functionNames() []string { return sql.FunctionNames() }

// isTableFunction reports whether name is used as FROM name(...).
func isTableFunction(name string) bool { return sql.IsTableFunction(name) }

// sqlKeywords are the words highlighted and completed as keywords: the
// statements and clauses of our DuckDB dialect.
var sqlKeywords = strings.Fields(`
ALL ANALYZE AND ANTI ANY AS ASC BETWEEN BY CASE CAST COPY CROSS CTE DATE DESC DESCRIBE DISTINCT
ELSE END ESCAPE EXCEPT EXISTS EXPLAIN EXTRACT FALSE FIRST FORMAT FROM FULL GROUP HAVING ILIKE IN
INNER INTERSECT INTERVAL IS JOIN LAST LEFT LIKE LIMIT MATERIALIZED NATURAL NOT NULL NULLS OFFSET ON OR
ORDER OUTER OVERWRITE_OR_IGNORE PARTITION_BY RECURSIVE RESET RIGHT SELECT SEMI SET SHOW TABLE TABLES THEN TIMESTAMP TO TRUE
UNION USING VALUES WHEN WHERE WITH
BIGINT BOOLEAN DECIMAL DOUBLE INTEGER VARCHAR
`)

var keywordSet = func() map[string]bool {
	m := make(map[string]bool, len(sqlKeywords))
	for _, k := range sqlKeywords {
		m[k] = true
	}
	return m
}()

func isKeyword(w string) bool { return keywordSet[strings.ToUpper(w)] }
