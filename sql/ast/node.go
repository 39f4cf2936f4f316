package ast

import "strings"

// Pos is a byte offset into the statement text the node was parsed from.
type Pos int

// NoPos marks a node made by a rewrite rather than read from text.
const NoPos Pos = -1

// At records where a node starts. Every node embeds it.
type At struct{ Pos Pos }

// Position returns the byte offset where the node starts.
func (a At) Position() Pos { return a.Pos }

// Node is any syntax tree node.
type Node interface {
	Position() Pos
	// String prints the node back as SQL that parses to the same tree.
	String() string
	format(p *printer)
}

// Statement is a top-level statement.
type Statement interface {
	Node
	stmtNode()
}

// Expr is a scalar expression.
type Expr interface {
	Node
	exprNode()
}

// TableExpr is an item of a FROM clause.
type TableExpr interface {
	Node
	tableNode()
	// TableAlias returns the item's alias (nil when it has none).
	TableAlias() *Alias
}

// QueryBody is what a set operation combines: a SELECT, VALUES, a set
// operation, or a parenthesized query with its own ORDER BY and LIMIT.
type QueryBody interface {
	Node
	bodyNode()
}

// Ident is a name as written: Name holds it without quotes, case kept.
// Quoted identifiers compare case-insensitively too (DuckDB's rule), but
// keep their quotes when printed.
type Ident struct {
	At
	Name   string
	Quoted bool
}

// Equal reports whether two names refer to the same thing (case-insensitive).
func (id Ident) Equal(name string) bool { return strings.EqualFold(id.Name, name) }

// Name is a dotted name: table, schema.table, catalog.schema.table.
type Name struct {
	At
	Parts []Ident
}

// Last returns the final part of the name ("" for an empty name).
func (n *Name) Last() string {
	if n == nil || len(n.Parts) == 0 {
		return ""
	}
	return n.Parts[len(n.Parts)-1].Name
}

// Alias is `AS name [(col, ...)]` of a FROM item or a CTE.
type Alias struct {
	At
	Name    Ident
	Columns []Ident
}
