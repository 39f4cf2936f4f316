package parser

import (
	"github.com/peregrinedb/peregrine/sql/ast"
)

// create parses the CREATE statements.
func (p *parser) create() ast.Statement {
	at := ast.At{Pos: p.pos()}
	p.expect("CREATE")
	orReplace := false
	if p.accept("OR") {
		p.expect("REPLACE")
		orReplace = true
	}
	temp, storage := false, ""
	switch {
	case p.accept("TEMP") || p.accept("TEMPORARY"):
		temp, storage = true, "TEMPORARY"
	case p.accept("PERSISTENT"):
		storage = "PERSISTENT"
	}
	unique := p.accept("UNIQUE")
	t := p.peek()
	switch {
	case t.is("TABLE") && !unique:
		p.i++
		return p.createTable(&ast.CreateTable{At: at, OrReplace: orReplace, Temp: temp})
	case t.is("VIEW") && !unique:
		p.i++
		v := &ast.CreateView{At: at, OrReplace: orReplace, Temp: temp}
		v.IfNotExists = p.ifNotExists()
		v.Name = p.name()
		if p.atOp("(") {
			v.Columns = p.parenIdents()
		}
		p.expect("AS")
		v.Query = p.query()
		return v
	case (t.is("MACRO") || t.is("FUNCTION")) && !unique:
		p.i++
		return p.createMacro(&ast.CreateMacro{At: at, OrReplace: orReplace, Temp: temp})
	case t.is("SCHEMA") && !unique:
		p.i++
		s := &ast.CreateSchema{At: at, OrReplace: orReplace}
		s.IfNotExists = p.ifNotExists()
		s.Name = p.name()
		return s
	case t.is("SEQUENCE") && !unique:
		p.i++
		return p.createSequence(&ast.CreateSequence{At: at, OrReplace: orReplace, Temp: temp})
	case t.is("INDEX"):
		p.i++
		ix := &ast.CreateIndex{At: at, Unique: unique}
		ix.IfNotExists = p.ifNotExists()
		ix.Name = p.colIdent()
		p.expect("ON")
		ix.Table = p.name()
		if p.accept("USING") {
			p.label()
		}
		p.expectOp("(")
		ix.Exprs = p.exprList()
		p.expectOp(")")
		return ix
	case t.is("TYPE") && !unique:
		p.i++
		ct := &ast.CreateType{At: at, OrReplace: orReplace}
		ct.IfNotExists = p.ifNotExists()
		ct.Name = p.name()
		p.expect("AS")
		ct.Type = p.typeName()
		return ct
	case t.is("SECRET") && !unique:
		p.i++
		s := &ast.CreateSecret{At: at, OrReplace: orReplace, Storage: storage}
		s.IfNotExists = p.ifNotExists()
		if identLike(p.peek(), colID) {
			id := p.colIdent()
			s.Name = &id
		}
		s.Options = p.options()
		if s.Options == nil {
			p.syntaxError()
		}
		return s
	}
	p.syntaxError()
	return nil
}

func (p *parser) ifNotExists() bool { return p.acceptSeq("IF", "NOT", "EXISTS") }
func (p *parser) ifExists() bool    { return p.acceptSeq("IF", "EXISTS") }

func (p *parser) createTable(c *ast.CreateTable) ast.Statement {
	c.IfNotExists = p.ifNotExists()
	c.Name = p.name()
	if p.atOp("(") && !p.parenIsColumnNames() {
		p.i++
		if p.atOp(")") {
			p.errorAt(-1, "Table must have at least one column!")
		}
		for {
			if p.atTableConstraint() {
				c.Constraints = append(c.Constraints, p.tableConstraint())
			} else {
				c.Columns = append(c.Columns, p.columnDef())
			}
			if !p.acceptOp(",") || p.atOp(")") {
				break
			}
		}
		p.expectOp(")")
		if !p.at("AS") {
			return c
		}
	} else if p.atOp("(") {
		// CREATE TABLE t (a, b) AS query: names for the query's columns.
		for _, id := range p.parenIdents() {
			c.Columns = append(c.Columns, &ast.ColumnDef{At: id.At, Name: id})
		}
	}
	p.expect("AS")
	c.As = p.query()
	if p.accept("WITH") {
		p.accept("NO")
		p.expect("DATA")
	}
	return c
}

// parenIsColumnNames reports `(a, b) AS`: a plain name list before AS.
func (p *parser) parenIsColumnNames() bool {
	for k := 1; ; k += 2 {
		if !identLike(p.peekAt(k), colID) {
			return false
		}
		switch n := p.peekAt(k + 1); {
		case n.isOp(","):
		case n.isOp(")"):
			return p.peekAt(k + 2).is("AS")
		default:
			return false
		}
	}
}

func (p *parser) atTableConstraint() bool {
	switch t := p.peek(); {
	case t.is("CONSTRAINT"), t.is("CHECK"), t.is("FOREIGN"):
		return true
	case t.is("PRIMARY") && p.peekAt(1).is("KEY"), t.is("UNIQUE") && p.peekAt(1).isOp("("):
		return true
	}
	return false
}

func (p *parser) tableConstraint() *ast.TableConstraint {
	c := &ast.TableConstraint{At: ast.At{Pos: p.pos()}}
	if p.accept("CONSTRAINT") {
		id := p.colIdent()
		c.Name = &id
	}
	switch {
	case p.acceptSeq("PRIMARY", "KEY"):
		c.Kind = "PRIMARY KEY"
		c.Columns = p.parenIdents()
	case p.accept("UNIQUE"):
		c.Kind = "UNIQUE"
		c.Columns = p.parenIdents()
	case p.accept("CHECK"):
		c.Kind = "CHECK"
		p.expectOp("(")
		c.Check = p.expr()
		p.expectOp(")")
	case p.acceptSeq("FOREIGN", "KEY"):
		c.Kind = "FOREIGN KEY"
		c.Columns = p.parenIdents()
		p.expect("REFERENCES")
		c.RefTable = p.name()
		if p.atOp("(") {
			c.RefColumns = p.parenIdents()
		}
	default:
		p.syntaxError()
	}
	return c
}

// columnDef parses `name [type] [constraints]`.
func (p *parser) columnDef() *ast.ColumnDef {
	d := &ast.ColumnDef{At: ast.At{Pos: p.pos()}, Name: p.colIdent()}
	if !p.atColumnConstraint() && !p.atOp(",") && !p.atOp(")") {
		d.Type = p.typeName()
	}
	for p.atColumnConstraint() {
		d.Constraints = append(d.Constraints, p.columnConstraint())
	}
	return d
}

func (p *parser) atColumnConstraint() bool {
	t := p.peek()
	for _, w := range []string{"NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "CHECK", "COLLATE", "REFERENCES", "GENERATED", "AS", "CONSTRAINT"} {
		if t.is(w) {
			return true
		}
	}
	return false
}

func (p *parser) columnConstraint() ast.ColumnConstraint {
	if p.accept("CONSTRAINT") {
		p.colIdent() // constraint names are accepted and not kept
	}
	switch {
	case p.accept("NOT"):
		p.expect("NULL")
		return ast.ColumnConstraint{Kind: "NOT NULL"}
	case p.accept("NULL"):
		return ast.ColumnConstraint{Kind: "NULL"}
	case p.accept("DEFAULT"):
		return ast.ColumnConstraint{Kind: "DEFAULT", Expr: p.exprBP(precOther)}
	case p.acceptSeq("PRIMARY", "KEY"):
		return ast.ColumnConstraint{Kind: "PRIMARY KEY"}
	case p.accept("UNIQUE"):
		return ast.ColumnConstraint{Kind: "UNIQUE"}
	case p.accept("CHECK"):
		p.expectOp("(")
		e := p.expr()
		p.expectOp(")")
		return ast.ColumnConstraint{Kind: "CHECK", Expr: e}
	case p.accept("COLLATE"):
		return ast.ColumnConstraint{Kind: "COLLATE", Name: p.name()}
	case p.accept("REFERENCES"):
		c := ast.ColumnConstraint{Kind: "REFERENCES", Name: p.name()}
		if p.atOp("(") {
			c.Columns = p.parenIdents()
		}
		return c
	case p.accept("GENERATED"):
		p.expect("ALWAYS")
		fallthrough
	case p.at("AS"):
		p.expect("AS")
		p.expectOp("(")
		c := ast.ColumnConstraint{Kind: "AS", Expr: p.expr()}
		p.expectOp(")")
		if p.accept("STORED") {
			c.Stored = true
		} else {
			p.accept("VIRTUAL")
		}
		return c
	}
	p.syntaxError()
	return ast.ColumnConstraint{}
}

func (p *parser) createMacro(m *ast.CreateMacro) ast.Statement {
	m.Name = p.name()
	p.expectOp("(")
	for !p.atOp(")") {
		mp := ast.MacroParam{Name: p.colIdent()}
		if p.acceptOp(":=") {
			mp.Default = p.expr()
		}
		m.Params = append(m.Params, mp)
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp(")")
	p.expect("AS")
	if p.accept("TABLE") {
		m.Table = p.query()
	} else {
		m.Body = p.expr()
	}
	return m
}

func (p *parser) createSequence(s *ast.CreateSequence) ast.Statement {
	s.IfNotExists = p.ifNotExists()
	s.Name = p.name()
	for {
		switch {
		case p.accept("START"):
			p.accept("WITH")
			s.Options = append(s.Options, ast.SeqOption{Name: "START WITH", Value: p.exprBP(precUnary)})
		case p.accept("INCREMENT"):
			p.accept("BY")
			s.Options = append(s.Options, ast.SeqOption{Name: "INCREMENT BY", Value: p.exprBP(precUnary)})
		case p.accept("MINVALUE"):
			s.Options = append(s.Options, ast.SeqOption{Name: "MINVALUE", Value: p.exprBP(precUnary)})
		case p.accept("MAXVALUE"):
			s.Options = append(s.Options, ast.SeqOption{Name: "MAXVALUE", Value: p.exprBP(precUnary)})
		case p.acceptSeq("NO", "MINVALUE"):
			s.Options = append(s.Options, ast.SeqOption{Name: "NO MINVALUE"})
		case p.acceptSeq("NO", "MAXVALUE"):
			s.Options = append(s.Options, ast.SeqOption{Name: "NO MAXVALUE"})
		case p.acceptSeq("NO", "CYCLE"):
			s.Options = append(s.Options, ast.SeqOption{Name: "NO CYCLE"})
		case p.accept("CYCLE"):
			s.Options = append(s.Options, ast.SeqOption{Name: "CYCLE"})
		default:
			return s
		}
	}
}

var dropKinds = []string{"TABLE", "VIEW", "SCHEMA", "SEQUENCE", "INDEX", "MACRO", "FUNCTION", "TYPE", "SECRET", "DATABASE"}

func (p *parser) drop() ast.Statement {
	d := &ast.Drop{At: ast.At{Pos: p.pos()}}
	p.expect("DROP")
	switch {
	case p.atSeq("PERSISTENT", "SECRET"):
		d.Storage = "PERSISTENT"
		p.i++
	case p.atSeq("TEMPORARY", "SECRET") || p.atSeq("TEMP", "SECRET"):
		d.Storage = "TEMPORARY"
		p.i++
	}
	for _, k := range dropKinds {
		if p.accept(k) {
			d.Kind = k
			break
		}
	}
	if d.Kind == "" {
		p.syntaxError()
	}
	if d.Kind == "MACRO" && p.accept("TABLE") {
		d.Kind = "MACRO TABLE"
	}
	d.IfExists = p.ifExists()
	for {
		d.Names = append(d.Names, p.name())
		if !p.acceptOp(",") {
			break
		}
	}
	if d.Kind == "SECRET" && p.accept("FROM") {
		id := p.colIdent()
		d.From = &id
	}
	if p.accept("CASCADE") {
		d.Cascade = true
	} else {
		p.accept("RESTRICT")
	}
	return d
}

func (p *parser) alter() ast.Statement {
	a := &ast.AlterTable{At: ast.At{Pos: p.pos()}}
	p.expect("ALTER")
	if p.accept("VIEW") {
		a.View = true
	} else {
		p.expect("TABLE")
	}
	a.IfExists = p.ifExists()
	a.Name = p.name()
	switch {
	case p.accept("RENAME"):
		if p.accept("TO") {
			a.Op, a.NewName = "RENAME TO", p.colIdent()
			return a
		}
		p.accept("COLUMN")
		a.Op, a.Column = "RENAME COLUMN", p.colIdent()
		p.expect("TO")
		a.NewName = p.colIdent()
	case !a.View && p.accept("ADD"):
		if p.atTableConstraint() {
			a.Op, a.Constraint = "ADD CONSTRAINT", p.tableConstraint()
			return a
		}
		p.accept("COLUMN")
		a.Op = "ADD COLUMN"
		a.IfColumn = p.ifNotExists()
		a.Def = p.columnDef()
	case !a.View && p.accept("DROP"):
		p.accept("COLUMN")
		a.Op = "DROP COLUMN"
		a.IfColumn = p.ifExists()
		a.Column = p.colIdent()
		if p.accept("CASCADE") {
			a.Cascade = true
		} else {
			p.accept("RESTRICT")
		}
	case !a.View && p.accept("ALTER"):
		p.accept("COLUMN")
		a.Column = p.colIdent()
		switch {
		case p.accept("TYPE"):
			a.Op, a.Type = "ALTER COLUMN TYPE", p.typeName()
			if p.accept("USING") {
				a.Expr = p.expr()
			}
		case p.accept("SET"):
			switch {
			case p.accept("DATA"):
				p.expect("TYPE")
				a.Op, a.Type = "ALTER COLUMN TYPE", p.typeName()
				if p.accept("USING") {
					a.Expr = p.expr()
				}
			case p.accept("DEFAULT"):
				a.Op, a.Expr = "SET DEFAULT", p.expr()
			default:
				p.expect("NOT")
				p.expect("NULL")
				a.Op = "SET NOT NULL"
			}
		case p.accept("DROP"):
			if p.accept("DEFAULT") {
				a.Op = "DROP DEFAULT"
			} else {
				p.expect("NOT")
				p.expect("NULL")
				a.Op = "DROP NOT NULL"
			}
		default:
			p.syntaxError()
		}
	default:
		p.syntaxError()
	}
	return a
}
