package parser

import (
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/sql/ast"
)

// typeName parses a type: a (possibly multi-word or qualified) name with
// modifiers, the nested forms STRUCT(...), MAP(...), LIST(...), UNION(...),
// ENUM(...), and [] / [n] / ARRAY suffixes.
func (p *parser) typeName() *ast.TypeName {
	p.enter()
	defer p.leave()
	t := &ast.TypeName{At: ast.At{Pos: p.pos()}}
	tok := p.peek()
	if tok.Kind != Ident && tok.Kind != QuotedIdent {
		p.syntaxError()
	}
	word := strings.ToUpper(tok.Text)
	if tok.Kind == QuotedIdent {
		word = tok.Val
	}
	ref := &ast.Name{At: t.At, Parts: []ast.Ident{p.identOf(tok)}}
	p.i++
	switch word {
	case "STRUCT", "ROW", "UNION":
		if p.atOp("(") {
			p.i++
			for {
				f := ast.TypeField{Name: p.label()}
				f.Type = p.typeName()
				t.Fields = append(t.Fields, f)
				if !p.acceptOp(",") {
					break
				}
			}
			p.expectOp(")")
			if word == "ROW" {
				word = "STRUCT"
			}
		}
	case "MAP", "LIST":
		if p.atOp("(") {
			p.i++
			t.Params = append(t.Params, p.typeName())
			for p.acceptOp(",") {
				t.Params = append(t.Params, p.typeName())
			}
			p.expectOp(")")
		}
	case "ENUM":
		p.expectOp("(")
		t.Enum = []string{}
		for !p.atOp(")") || len(t.Enum) > 0 {
			s := p.peek()
			if s.Kind != String {
				p.syntaxError()
			}
			p.i++
			t.Enum = append(t.Enum, s.Val)
			if !p.acceptOp(",") {
				break
			}
		}
		p.expectOp(")")
	case "DOUBLE":
		if p.accept("PRECISION") {
			word = "DOUBLE PRECISION"
		}
	case "CHARACTER", "CHAR", "NATIONAL", "NCHAR":
		if word == "NATIONAL" {
			p.expect("CHARACTER")
			word = "CHARACTER"
		}
		if p.accept("VARYING") {
			word += " VARYING"
		}
	case "TIMESTAMP", "TIME":
		if p.atOp("(") {
			t.Mods = p.typeMods()
		}
		switch {
		case p.acceptSeq("WITH", "TIME", "ZONE"):
			word += " WITH TIME ZONE"
		case p.acceptSeq("WITHOUT", "TIME", "ZONE"):
		}
	case "INTERVAL":
		// INTERVAL may name fields (INTERVAL YEAR TO MONTH); they do not
		// change the type.
		if u := p.peek(); u.Kind == Ident && intervalUnits[strings.ToUpper(u.Text)] {
			p.i++
			if p.accept("TO") {
				p.upperWord()
			}
		}
	default:
		if tok.Kind == Ident && tok.Category == Reserved {
			p.syntaxErrorAt(tok)
		}
		// schema.type
		for p.atOp(".") && identLike(p.peekAt(1), anyName) {
			p.i++
			ref.Parts = append(ref.Parts, p.label())
		}
	}
	setTypeName(t, word, ref)
	if noModifiers[word] && tok.Kind == Ident {
		p.arraySuffix(t)
		return t
	}
	if t.Mods == nil && p.atOp("(") && len(t.Fields) == 0 && len(t.Params) == 0 && t.Enum == nil {
		t.Mods = p.typeMods()
	}
	p.arraySuffix(t)
	return t
}

// noModifiers are the keyword types PostgreSQL's grammar (and DuckDB's)
// gives no (n) modifiers.
var noModifiers = map[string]bool{"INT": true, "INTEGER": true, "SMALLINT": true, "BIGINT": true, "REAL": true, "BOOLEAN": true, "DOUBLE PRECISION": true}

// typeMods reads (n [, m]) after a type name; () is no modifiers, as in
// DuckDB (DECIMAL() is DECIMAL).
func (p *parser) typeMods() []ast.Expr {
	p.expectOp("(")
	if p.atOp(")") {
		p.i++
		return nil
	}
	mods := p.exprList()
	p.expectOp(")")
	return mods
}

// arraySuffix reads [] / [n] suffixes and the ARRAY keyword.
func (p *parser) arraySuffix(t *ast.TypeName) {
	for {
		switch {
		case p.atOp("[") && p.peekAt(1).isOp("]"):
			p.i += 2
			t.Array = append(t.Array, -1)
		case p.atOp("[") && p.peekAt(1).Kind == Number && p.peekAt(2).isOp("]"):
			n, err := strconv.Atoi(p.peekAt(1).Text)
			if err != nil || n < 1 {
				p.syntaxErrorAt(p.peekAt(1))
			}
			p.i += 3
			t.Array = append(t.Array, n)
		case p.at("ARRAY"):
			p.i++
			if p.atOp("[") && p.peekAt(1).Kind == Number && p.peekAt(2).isOp("]") {
				continue
			}
			t.Array = append(t.Array, -1)
		default:
			return
		}
	}
}

// setTypeName names t: DuckDB's canonical name of a built-in type (word is
// the upper-case, space-joined name read), else the name as written.
func setTypeName(t *ast.TypeName, word string, ref *ast.Name) {
	if len(ref.Parts) == 1 {
		if c, ok := ast.BuiltinType(word); ok {
			t.Name = c
			return
		}
	}
	t.Ref = ref
	names := make([]string, len(ref.Parts))
	for i, id := range ref.Parts {
		names[i] = id.Name
	}
	t.Name = strings.Join(names, ".")
}
