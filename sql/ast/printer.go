package ast

import (
	"strings"
)

// printer writes nodes back as SQL. Binary operators are printed fully
// parenthesized, as DuckDB names expression columns: `(a + (b * c))`.
// Parentheses are not part of the tree, so printing and parsing again
// gives the same tree.
type printer struct{ sb strings.Builder }

func (p *printer) w(s string) { p.sb.WriteString(s) }

func (p *printer) node(n Node) {
	if n == nil {
		return
	}
	n.format(p)
}

// opt prints kw and n when n is set (an optional clause).
func (p *printer) opt(kw string, n Node) {
	if !isNil(n) {
		p.w(kw)
		p.node(n)
	}
}

// optList prints kw and the list when it is not empty.
func optList[T Node](p *printer, kw string, xs []T) {
	if len(xs) > 0 {
		p.w(kw)
		list(p, xs)
	}
}

// list prints nodes separated by ", ".
func list[T Node](p *printer, xs []T) {
	for i, x := range xs {
		if i > 0 {
			p.w(", ")
		}
		p.node(x)
	}
}

func (p *printer) idents(ids []Ident) {
	for i, id := range ids {
		if i > 0 {
			p.w(", ")
		}
		p.ident(id)
	}
}

func (p *printer) dotted(ids []Ident) {
	for i, id := range ids {
		if i > 0 {
			p.w(".")
		}
		p.ident(id)
	}
}

func (p *printer) ident(id Ident) { p.w(QuoteIdent(id.Name, id.Quoted)) }

// QuoteIdent prints a name: in double quotes when quoted is set or when the
// name is not a plain identifier.
func QuoteIdent(name string, quoted bool) string {
	if !quoted && isBare(name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func isBare(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80:
		case i > 0 && (c >= '0' && c <= '9' || c == '$'):
		default:
			return false
		}
	}
	return true
}

// QuoteString prints s as a SQL string literal.
func QuoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// String prints any node as SQL.
func String(n Node) string {
	var p printer
	p.node(n)
	return p.sb.String()
}

// String prints the identifier, in double quotes when it was quoted in the
// text or is not a plain identifier (QuoteIdent).
func (x *Ident) String() string { return QuoteIdent(x.Name, x.Quoted) }

// String prints the dotted name, each part quoted where needed.
func (x *Name) String() string { return String(x) }

// String prints the alias name with its column list, `t(a, b)`.
func (x *Alias) String() string { return String(x) }

func (x *Ident) format(p *printer) { p.ident(*x) }
func (x *Name) format(p *printer)  { p.dotted(x.Parts) }
func (x *Alias) format(p *printer) {
	p.ident(x.Name)
	if len(x.Columns) > 0 {
		p.w("(")
		p.idents(x.Columns)
		p.w(")")
	}
}
