// Package parser is Peregrine's SQL parser for DuckDB's dialect: a
// hand-written lexer and a recursive-descent parser with precedence
// climbing for expressions, producing package ast's tree. No parser
// generator, no external grammar.
//
// API:
//
//	Parse(script)     every statement of a script
//	ParseOne(text)    exactly one statement
//	ParseExpr(text)   one scalar expression
//	Tokens(text)      all tokens, comments and white space included, for
//	                  highlighting and completion (never stops at an error)
//	Split(script)     statements cut at semicolons outside strings and comments
//	Complete(buf)     whether a REPL buffer ends a statement
//	Keywords()        DuckDB's keywords with their categories
//	WithContext       DuckDB's error context: LINE n: ... with a caret
//
// Errors are DuckDB's: "Parser Error: syntax error at or near "tok"" (the
// token as the user spelled it), then an empty line, "LINE n: " with the
// line (a window of about 60 characters each side on long lines) and a
// caret under the token; "syntax error at end of input" has no context.
// testdata/parser/errors.txt holds 350 bad inputs with DuckDB's exact text.
//
// Files:
//
//	token.go       Token, Kind, Category; the keyword lookup
//	keywords_table.go  DuckDB's keywords by category (facts from duckdb_keywords())
//	lexer.go       the lexer: comments (nested /* */), strings ('', E'', $tag$), quoted
//	               names, numbers (1e3, .5, 1_000, 0x1F, 0b101), parameters (?, $1, $name)
//	split.go       Split and Complete for scripts and the REPL
//	errors.go      Error, WithContext (DuckDB's LINE window), Clip
//	parser.go      the parser's state, helpers, depth limit, backtracking (try)
//	stmt.go        statement dispatch and the utility statements
//	select.go      queries: WITH, set operations, SELECT, GROUP BY, ORDER BY, LIMIT
//	from.go        FROM items, joins, table functions, TABLESAMPLE, PIVOT/UNPIVOT
//	expr.go        precedence climbing (PostgreSQL's table), IS/BETWEEN/IN/LIKE, star forms
//	primary.go     operands: literals, names, calls (and their clauses), CASE, CAST,
//	               INTERVAL, EXTRACT/SUBSTRING/POSITION/TRIM/OVERLAY, windows
//	types.go       type names
//	ddl.go, dml.go CREATE/DROP/ALTER and INSERT/UPDATE/DELETE
//
// Where the parser departs from DuckDB 1.5 it accepts more (listed in
// testdata/parser/extensions.sql: # as XOR, 0x/0b literals, ...); the caret
// of an error on a line with multi-byte characters sits under the token,
// where DuckDB's is shifted left by the extra bytes.
package parser
