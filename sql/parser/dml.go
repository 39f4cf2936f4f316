package parser

import (
	"github.com/peregrinedb/peregrine/sql/ast"
)

func (p *parser) insert(w *ast.With) ast.Statement {
	in := &ast.Insert{At: ast.At{Pos: p.pos()}, With: w}
	if w != nil {
		in.At = w.At
	}
	p.expect("INSERT")
	if p.accept("OR") {
		switch {
		case p.accept("REPLACE"):
			in.Or = "REPLACE"
		case p.accept("IGNORE"):
			in.Or = "IGNORE"
		default:
			p.syntaxError()
		}
	}
	p.expect("INTO")
	in.Table = p.name()
	if p.accept("AS") {
		id := p.colIdent()
		in.Alias = &id
	}
	if p.atOp("(") && p.queryStart(1) == no {
		in.Columns = p.parenIdents()
	}
	switch {
	case p.acceptSeq("BY", "NAME"):
		in.ByName = true
	case p.acceptSeq("BY", "POSITION"):
		in.ByPosition = true
	}
	if p.acceptSeq("DEFAULT", "VALUES") {
		in.DefaultValues = true
	} else {
		in.Query = p.query()
	}
	if p.acceptSeq("ON", "CONFLICT") {
		c := &ast.OnConflict{}
		if p.atOp("(") {
			c.Columns = p.parenIdents()
			if p.accept("WHERE") {
				c.Where = p.expr()
			}
		}
		p.expect("DO")
		if p.accept("NOTHING") {
			c.DoNothing = true
		} else {
			p.expect("UPDATE")
			p.expect("SET")
			c.Set = p.assignments()
			if p.accept("WHERE") {
				c.UpdateWhere = p.expr()
			}
		}
		in.OnConflict = c
	}
	in.Returning = p.returning()
	return in
}

// merge parses MERGE INTO ... USING ... WHEN ... THEN ....
func (p *parser) merge(w *ast.With) ast.Statement {
	m := &ast.Merge{At: ast.At{Pos: p.pos()}, With: w}
	if w != nil {
		m.At = w.At
	}
	p.expect("MERGE")
	p.expect("INTO")
	m.Target = p.name()
	m.Alias = p.targetAlias()
	p.expect("USING")
	m.Source = p.tablePrimary()
	if p.accept("ON") {
		m.On = p.expr()
	} else {
		p.expect("USING")
		m.Using = p.parenIdents()
	}
	for p.accept("WHEN") {
		c := ast.MergeClause{Matched: !p.accept("NOT")}
		p.expect("MATCHED")
		if !c.Matched && p.accept("BY") {
			if !p.accept("TARGET") {
				p.expect("SOURCE")
				c.BySource = true
			}
		}
		if p.accept("AND") {
			c.Cond = p.expr()
		}
		p.expect("THEN")
		switch {
		case p.accept("UPDATE"):
			c.Action = "UPDATE"
			if p.accept("SET") {
				if p.acceptOp("*") {
					c.Star = true
				} else {
					c.Set = p.assignments()
				}
			}
		case p.accept("DELETE"):
			c.Action = "DELETE"
		case p.accept("INSERT"):
			c.Action = "INSERT"
			if p.atOp("(") {
				c.Columns = p.parenIdents()
			}
			switch {
			case p.acceptOp("*"):
				c.Star = true
			case p.acceptSeq("BY", "NAME"):
				c.ByName = true
			case p.acceptSeq("BY", "POSITION"):
			case p.acceptSeq("DEFAULT", "VALUES"):
				c.Values = []ast.Expr{}
			case p.accept("VALUES"):
				p.expectOp("(")
				c.Values = p.exprList()
				p.expectOp(")")
			}
		case p.acceptSeq("DO", "NOTHING"):
			c.Action = "DO NOTHING"
		case p.accept("ERROR"):
			c.Action = "ERROR"
		default:
			p.syntaxError()
		}
		m.Clauses = append(m.Clauses, c)
	}
	if len(m.Clauses) == 0 {
		p.syntaxError()
	}
	m.Returning = p.returning()
	return m
}

func (p *parser) assignments() []*ast.Assignment {
	var out []*ast.Assignment
	for {
		a := &ast.Assignment{At: ast.At{Pos: p.pos()}}
		n := p.name()
		a.Column = n.Parts
		p.expectOp("=")
		a.Value = p.expr()
		out = append(out, a)
		if !p.acceptOp(",") {
			return out
		}
	}
}

func (p *parser) returning() []*ast.SelectItem {
	if !p.accept("RETURNING") {
		return nil
	}
	var out []*ast.SelectItem
	for {
		out = append(out, p.selectItem())
		if !p.acceptOp(",") {
			return out
		}
	}
}

// targetAlias reads the optional alias of an UPDATE or DELETE target.
func (p *parser) targetAlias() *ast.Ident {
	if p.accept("AS") {
		id := p.colIdent()
		return &id
	}
	if t := p.peek(); identLike(t, colID) && !t.is("SET") {
		id := p.colIdent()
		return &id
	}
	return nil
}

func (p *parser) update(w *ast.With) ast.Statement {
	u := &ast.Update{At: ast.At{Pos: p.pos()}, With: w}
	if w != nil {
		u.At = w.At
	}
	p.expect("UPDATE")
	u.Table = p.name()
	u.Alias = p.targetAlias()
	p.expect("SET")
	u.Set = p.assignments()
	if p.accept("FROM") {
		u.From = p.fromList()
	}
	if p.accept("WHERE") {
		u.Where = p.expr()
	}
	u.Returning = p.returning()
	return u
}

func (p *parser) delete(w *ast.With) ast.Statement {
	d := &ast.Delete{At: ast.At{Pos: p.pos()}, With: w}
	if w != nil {
		d.At = w.At
	}
	p.expect("DELETE")
	p.expect("FROM")
	d.Table = p.name()
	d.Alias = p.targetAlias()
	if p.accept("USING") {
		d.Using = p.fromList()
	}
	if p.accept("WHERE") {
		d.Where = p.expr()
	}
	d.Returning = p.returning()
	return d
}
