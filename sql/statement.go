package sql

import (
	"strings"

	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/sql/parser"
)

// Statement is a parsed statement in the form the engine runs it.
type Statement interface{ statement() }

// Query is a SELECT (any query) to bind and run.
type Query struct {
	AST  *ast.Query
	Text string // the statement text the AST's positions refer to
}

// Explain is EXPLAIN [ANALYZE] query, or EXPLAIN [ANALYZE] EXECUTE name(args)
// (Execute set, Query nil).
type Explain struct {
	Analyze bool
	// Distributed is EXPLAIN (DISTRIBUTED): the plan cut into fragments
	// and exchanges, as a cluster would run it.
	Distributed bool
	Query       *Query
	Execute     *Execute
}

// Set is SET name = value (also SET name TO value); RESET name sets Reset.
type Set struct {
	Name  string
	Value string
	Reset bool
	// Scope is SESSION (this connection only), GLOBAL, LOCAL or "" (the
	// setting's own scope).
	Scope string
}

// ShowTables is SHOW TABLES.
type ShowTables struct{}

// Describe is DESCRIBE table or DESCRIBE query: the output columns and types.
type Describe struct{ Query *Query }

// Prepare is PREPARE name AS statement.
type Prepare struct {
	Name string
	Stmt Statement
}

// Execute is EXECUTE name(args).
type Execute struct {
	Name string
	Args []Arg
}

// Deallocate is DEALLOCATE name (All for DEALLOCATE ALL).
type Deallocate struct {
	Name string
	All  bool
}

func (*Query) statement()      {}
func (*Explain) statement()    {}
func (*Set) statement()        {}
func (*ShowTables) statement() {}
func (*Describe) statement()   {}
func (*Copy) statement()       {}
func (*Prepare) statement()    {}
func (*Execute) statement()    {}
func (*Deallocate) statement() {}

// Parse parses one statement (a trailing semicolon is allowed) into the
// form the engine runs. Statements the engine parses but cannot run yet
// return a "Not implemented" error pointing at them.
func Parse(text string) (Statement, error) {
	// A statement that creates a secret shows its string literals masked
	// in errors (see maskSecretText); only a failing statement pays for
	// the second lexing.
	st, err := parser.ParseOne(text)
	if err != nil {
		if shown := maskSecretText(text); shown != text {
			if _, err2 := parser.ParseOne(shown); err2 != nil {
				err = err2
			}
		}
		return nil, err
	}
	out, err := convert(st, text)
	if err != nil {
		return out, withSource(err, maskSecretText(text))
	}
	return out, nil
}

// SplitStatements splits a script into statements with the parser's lexer
// (semicolons inside strings, quoted names and comments do not count).
// Each piece is its text without the semicolon; empty ones are dropped.
func SplitStatements(script string) ([]string, error) {
	pieces, err := parser.Split(script)
	if err != nil {
		if shown := maskSecretText(script); shown != script {
			_, err = parser.Split(shown)
		}
		return nil, err
	}
	out := make([]string, len(pieces))
	for i, p := range pieces {
		out[i] = p.Text
	}
	return out, nil
}

// Complete reports whether buf ends with a whole statement (see parser.Complete).
func Complete(buf string) bool { return parser.Complete(buf) }

func convert(st ast.Statement, text string) (Statement, error) {
	if w, ok, err := convertWrite(st, text); ok {
		return w, err
	}
	switch s := st.(type) {
	case *ast.Query:
		return &Query{AST: s, Text: text}, nil
	case *ast.Explain:
		ex, err := explainOptions(s)
		if err != nil {
			return nil, err
		}
		switch inner := s.Stmt.(type) {
		case *ast.Query:
			ex.Query = &Query{AST: inner, Text: text}
			return ex, nil
		case *ast.Execute:
			e, err := convert(inner, text)
			if err != nil {
				return nil, err
			}
			ex.Execute = e.(*Execute)
			return ex, nil
		}
		return nil, notImplemented(s.Stmt, "EXPLAIN of "+statementName(s.Stmt))
	case *ast.Describe:
		return &Describe{Query: describedQuery(s.Table, s.Query, text)}, nil
	case *ast.Summarize:
		// SELECT * FROM (SUMMARIZE ...): bind_summarize.go.
		sel := &ast.Select{At: s.At, Items: []*ast.SelectItem{{At: s.At, Expr: &ast.Star{At: s.At}}},
			From: []ast.TableExpr{&ast.StatementTable{At: s.At, Stmt: s}}}
		return &Query{AST: &ast.Query{At: s.At, Body: sel}, Text: text}, nil
	case *ast.Show:
		switch {
		case s.What == "TABLES" || s.What == "ALL TABLES":
			if s.Name != nil {
				return nil, notImplemented(s.Name, "SHOW TABLES FROM")
			}
			return &ShowTables{}, nil
		case s.Name != nil:
			// SHOW name describes the table name, as in DuckDB.
			t := &ast.TableName{At: s.Name.At, Name: s.Name}
			return &Describe{Query: describedQuery(t, nil, text)}, nil
		}
		return nil, notImplemented(s, "SHOW "+s.What)
	case *ast.Set:
		return convertSet(s)
	case *ast.Reset:
		if s.Name == nil {
			return nil, notImplemented(s, "RESET ALL")
		}
		if s.Variable {
			return nil, notImplemented(s, "RESET VARIABLE")
		}
		return &Set{Name: strings.ToLower(s.Name.String()), Reset: true, Scope: s.Scope}, nil
	case *ast.Copy:
		return convertCopy(s, text)
	case *ast.Prepare:
		inner, err := convert(s.Stmt, text)
		if err != nil {
			return nil, err
		}
		return &Prepare{Name: strings.ToLower(s.Name.Name), Stmt: inner}, nil
	case *ast.Execute:
		args, err := constArgs(s.Args)
		if err != nil {
			return nil, err
		}
		return &Execute{Name: strings.ToLower(s.Name.Name), Args: args}, nil
	case *ast.Deallocate:
		return &Deallocate{Name: strings.ToLower(s.Name.Name), All: s.All}, nil
	case *ast.Transaction:
		return &Transaction{Kind: s.Kind}, nil
	case *ast.CreateSecret:
		return convertCreateSecret(s)
	case *ast.Drop:
		if s.Kind == "SECRET" {
			return convertDropSecret(s)
		}
	case *ast.Pragma:
		if q, ok, err := convertPragma(s, text); ok {
			return q, err
		}
	}
	return nil, notImplemented(st, statementName(st))
}

// describedQuery is the query DESCRIBE reports on: the query itself, or
// SELECT * FROM the table.
func describedQuery(t ast.TableExpr, q *ast.Query, text string) *Query {
	if q != nil {
		return &Query{AST: q, Text: text}
	}
	at := ast.At{Pos: t.Position()}
	sel := &ast.Select{At: at, Items: []*ast.SelectItem{{At: at, Expr: &ast.Star{At: at}}}, From: []ast.TableExpr{t}}
	return &Query{AST: &ast.Query{At: at, Body: sel}, Text: text}
}

func convertSet(s *ast.Set) (Statement, error) {
	if s.Variable {
		return nil, notImplemented(s, "SET VARIABLE")
	}
	if len(s.Values) != 1 {
		return nil, binderErr(s, "SET %s takes one value", s.Name)
	}
	v, err := settingValue(s.Values[0])
	if err != nil {
		return nil, err
	}
	// A name is never longer than a few dozen letters; a huge one is only
	// echoed in the error, cut.
	return &Set{Name: clip(strings.ToLower(s.Name.String())), Value: v, Scope: s.Scope}, nil
}

// constText is a constant written as a setting or option value, as text:
// a string's contents, a number, a boolean or a bare word as written.
func constText(e ast.Expr) (string, bool) {
	switch v := e.(type) {
	case *ast.StringLit:
		return v.Value, true
	case *ast.NumberLit:
		return v.Text, true
	case *ast.BoolLit, *ast.ColumnRef:
		return v.String(), true
	}
	return "", false
}

// settingValue is a SET value as text: a string's contents, a number or a
// bare word as written.
func settingValue(e ast.Expr) (string, error) {
	if s, ok := constText(e); ok {
		return s, nil
	}
	switch v := e.(type) {
	case *ast.ListLit:
		// A list of strings (allowed_directories = ['/a', '/b']) as
		// written; the setting parses it.
		for _, it := range v.Items {
			if _, ok := it.(*ast.StringLit); !ok {
				return "", binderErr(it, "SET needs a list of constant strings, got %s", clip(it.String()))
			}
		}
		return v.String(), nil
	}
	return "", binderErr(e, "SET needs a constant value, got %s", clip(e.String()))
}

// statementName names a statement kind for messages.
func statementName(st ast.Statement) string {
	switch s := st.(type) {
	case *ast.CreateTable:
		if s.As != nil {
			return "CREATE TABLE ... AS"
		}
		return "CREATE TABLE"
	case *ast.CreateView:
		return "CREATE VIEW"
	case *ast.CreateMacro:
		return "CREATE MACRO"
	case *ast.CreateSchema:
		return "CREATE SCHEMA"
	case *ast.CreateSequence:
		return "CREATE SEQUENCE"
	case *ast.CreateIndex:
		return "CREATE INDEX"
	case *ast.CreateType:
		return "CREATE TYPE"
	case *ast.CreateSecret:
		return "CREATE SECRET"
	case *ast.Drop:
		return "DROP " + s.Kind
	case *ast.AlterTable:
		if s.View {
			return "ALTER VIEW"
		}
		return "ALTER TABLE " + s.Op
	case *ast.Insert:
		return "INSERT"
	case *ast.Update:
		return "UPDATE"
	case *ast.Delete:
		return "DELETE"
	case *ast.Copy:
		return "COPY"
	case *ast.Summarize:
		return "SUMMARIZE"
	case *ast.Pragma:
		return "PRAGMA " + s.Name.Name
	case *ast.Transaction:
		return s.Kind
	case *ast.Install:
		return "INSTALL"
	case *ast.Load:
		return "LOAD"
	case *ast.Attach:
		return "ATTACH"
	case *ast.Detach:
		return "DETACH"
	case *ast.Use:
		return "USE"
	case *ast.Checkpoint:
		return "CHECKPOINT"
	case *ast.CopyDatabase:
		return "COPY FROM DATABASE"
	case *ast.Vacuum:
		return "VACUUM"
	case *ast.Analyze:
		return "ANALYZE"
	case *ast.Call:
		return "CALL"
	case *ast.ExportDatabase:
		return "EXPORT DATABASE"
	case *ast.ImportDatabase:
		return "IMPORT DATABASE"
	case *ast.Prepare:
		return "PREPARE"
	case *ast.Execute:
		return "EXECUTE"
	case *ast.Explain:
		return "EXPLAIN"
	case *ast.Describe, *ast.Show:
		return "DESCRIBE"
	case *ast.CommentOn:
		return "COMMENT ON"
	case *ast.Merge:
		return "MERGE INTO"
	case *ast.UpdateExtensions:
		return "UPDATE EXTENSIONS"
	case *ast.Set:
		return "SET"
	case *ast.Reset:
		return "RESET"
	case *ast.Deallocate:
		return "DEALLOCATE"
	}
	return "this statement"
}

// explainOptions reads EXPLAIN's (options): ANALYZE and DISTRIBUTED, each
// optionally followed by a boolean (EXPLAIN (ANALYZE false) is EXPLAIN).
func explainOptions(s *ast.Explain) (*Explain, error) {
	ex := &Explain{Analyze: s.Analyze}
	for _, o := range s.Options {
		var flag *bool
		switch {
		case o.Name.Equal("ANALYZE"):
			flag = &ex.Analyze
		case o.Name.Equal("DISTRIBUTED"):
			flag = &ex.Distributed
		default:
			err := notImplemented(s, "EXPLAIN ("+clip(o.Name.Name)+" ...)").(*Error)
			err.Pos = int(o.Name.Pos)
			return nil, err
		}
		on := true
		if o.Value != nil {
			v, err := astValue(o.Value)
			if err == nil {
				on, err = v.AsBool()
			}
			if err != nil {
				return nil, errAt(o.Value, "Binder", "EXPLAIN option %s expects a boolean, got %s", strings.ToUpper(o.Name.Name), clip(o.Value.String()))
			}
		}
		*flag = on
	}
	if ex.Analyze && ex.Distributed {
		return nil, notImplemented(s, "EXPLAIN (ANALYZE, DISTRIBUTED)")
	}
	return ex, nil
}
