package ast

import (
	"strconv"
	"strings"
)

// TypeName is a SQL type as written: a name with modifiers (VARCHAR(10),
// DECIMAL(18,3)), the nested forms STRUCT(a INT, b VARCHAR), MAP(K, V),
// LIST(T), UNION(a INT, b VARCHAR), ENUM('a', 'b'), and array suffixes
// (INT[], INT[3][]). Name is upper case, multi-word names joined by one
// space (DOUBLE PRECISION, TIMESTAMP WITH TIME ZONE).
type TypeName struct {
	At
	Name   string
	Mods   []Expr      // (p, s) modifiers
	Fields []TypeField // STRUCT and UNION members
	Params []*TypeName // LIST(T), MAP(K, V)
	Enum   []string    // ENUM labels
	// Array holds one entry per [] suffix: -1 for unsized, else the size.
	Array []int
}

// TypeField is one `name type` member of a STRUCT or UNION type.
type TypeField struct {
	Name Ident
	Type *TypeName
}

// Elem returns the element type of an array type (one [] removed).
func (t *TypeName) Elem() *TypeName {
	c := *t
	c.Array = t.Array[:len(t.Array)-1]
	return &c
}

func (x *TypeName) format(p *printer) {
	p.w(x.Name)
	switch {
	case len(x.Fields) > 0:
		p.w("(")
		for i, f := range x.Fields {
			if i > 0 {
				p.w(", ")
			}
			p.ident(f.Name)
			p.w(" ")
			p.node(f.Type)
		}
		p.w(")")
	case len(x.Params) > 0:
		p.w("(")
		list(p, x.Params)
		p.w(")")
	case x.Enum != nil:
		p.w("(")
		for i, e := range x.Enum {
			if i > 0 {
				p.w(", ")
			}
			p.w(QuoteString(e))
		}
		p.w(")")
	case len(x.Mods) > 0:
		p.w("(")
		list(p, x.Mods)
		p.w(")")
	}
	for _, n := range x.Array {
		if n < 0 {
			p.w("[]")
		} else {
			p.w("[" + strconv.Itoa(n) + "]")
		}
	}
}

func (x *TypeName) String() string { return String(x) }

// Base is the name without modifiers or array suffixes, for messages.
func (x *TypeName) Base() string { return strings.ToUpper(x.Name) }
