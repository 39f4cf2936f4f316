package parser

import (
	"github.com/peregrinedb/peregrine/sql/ast"
)

// statement parses one statement.
func (p *parser) statement() ast.Statement {
	t := p.peek()
	at := ast.At{Pos: ast.Pos(t.Pos)}
	if t.isOp("(") {
		return p.query()
	}
	switch t.Keyword {
	case "SELECT", "VALUES", "FROM", "TABLE", "PIVOT", "UNPIVOT", "PIVOT_WIDER", "PIVOT_LONGER":
		return p.query()
	case "WITH":
		return p.withStatement()
	case "EXPLAIN":
		p.i++
		e := &ast.Explain{At: at}
		e.Analyze = p.accept("ANALYZE") || p.accept("ANALYSE")
		p.accept("VERBOSE")
		if p.atOp("(") && p.queryStart(0) == no {
			e.Options = p.options()
		}
		e.Stmt = p.statement()
		return e
	case "MERGE":
		return p.merge(nil)
	case "DESCRIBE", "DESC":
		p.i++
		if p.atEnd() {
			return &ast.Show{At: at, What: "ALL TABLES"}
		}
		d := &ast.Describe{At: at}
		d.Table, d.Query = p.tableOrQuery()
		return d
	case "SHOW":
		return p.show()
	case "SUMMARIZE":
		p.i++
		s := &ast.Summarize{At: at}
		s.Table, s.Query = p.tableOrQuery()
		return s
	case "SET":
		return p.set()
	case "RESET":
		return p.reset()
	case "PRAGMA":
		return p.pragma()
	case "COPY":
		return p.copyStmt()
	case "CREATE":
		return p.create()
	case "DROP":
		return p.drop()
	case "ALTER":
		return p.alter()
	case "INSERT":
		return p.insert(nil)
	case "UPDATE":
		if p.peekAt(1).is("EXTENSIONS") {
			p.i += 2
			u := &ast.UpdateExtensions{At: at}
			if p.atOp("(") {
				u.Names = p.parenIdents()
			}
			return u
		}
		return p.update(nil)
	case "DELETE":
		return p.delete(nil)
	case "TRUNCATE":
		p.i++
		p.accept("TABLE")
		n := p.name()
		return &ast.Delete{At: at, Table: n}
	case "PREPARE":
		p.i++
		pr := &ast.Prepare{At: at, Name: p.colIdent()}
		if p.atOp("(") {
			// PostgreSQL's parameter types: accepted, types come from use.
			p.i++
			for {
				p.typeName()
				if !p.acceptOp(",") {
					break
				}
			}
			p.expectOp(")")
		}
		p.expect("AS")
		pr.Stmt = p.statement()
		return pr
	case "EXECUTE":
		p.i++
		e := &ast.Execute{At: at, Name: p.colIdent()}
		if p.acceptOp("(") {
			if !p.atOp(")") {
				for {
					e.Args = append(e.Args, p.arg(false))
					if !p.acceptOp(",") {
						break
					}
				}
			}
			p.expectOp(")")
		}
		return e
	case "DEALLOCATE":
		p.i++
		p.accept("PREPARE")
		d := &ast.Deallocate{At: at}
		if p.accept("ALL") {
			d.All = true
		} else {
			d.Name = p.colIdent()
		}
		return d
	case "BEGIN", "START":
		p.i++
		if t.Keyword == "START" {
			p.expect("TRANSACTION")
		} else if !p.accept("TRANSACTION") {
			p.accept("WORK")
		}
		return &ast.Transaction{At: at, Kind: "BEGIN"}
	case "COMMIT", "END":
		p.i++
		if !p.accept("TRANSACTION") {
			p.accept("WORK")
		}
		return &ast.Transaction{At: at, Kind: "COMMIT"}
	case "ROLLBACK", "ABORT":
		p.i++
		if !p.accept("TRANSACTION") {
			p.accept("WORK")
		}
		return &ast.Transaction{At: at, Kind: "ROLLBACK"}
	case "INSTALL", "FORCE", "LOAD":
		return p.extension()
	case "CHECKPOINT":
		p.i++
		c := &ast.Checkpoint{At: at}
		if identLike(p.peek(), colID) {
			id := p.colIdent()
			c.Database = &id
		}
		return c
	case "ATTACH":
		return p.attach()
	case "DETACH":
		p.i++
		p.accept("DATABASE")
		d := &ast.Detach{At: at}
		d.IfExists = p.acceptSeq("IF", "EXISTS")
		d.Name = p.colIdent()
		return d
	case "USE":
		p.i++
		return &ast.Use{At: at, Name: p.name()}
	case "VACUUM":
		p.i++
		v := &ast.Vacuum{At: at, Analyze: p.accept("ANALYZE")}
		if identLike(p.peek(), colID) {
			v.Table = p.name()
		}
		return v
	case "ANALYZE", "ANALYSE":
		p.i++
		a := &ast.Analyze{At: at}
		if identLike(p.peek(), colID) {
			a.Table = p.name()
		}
		return a
	case "CALL":
		p.i++
		n := p.name()
		if !p.atOp("(") {
			p.syntaxError()
		}
		return &ast.Call{At: at, Call: p.call(n, n.At)}
	case "COMMENT":
		p.i++
		p.expect("ON")
		c := &ast.CommentOn{At: at, Kind: p.upperWord()}
		c.Name = p.name()
		p.expect("IS")
		c.Value = p.primary()
		return c
	case "EXPORT":
		p.i++
		p.expect("DATABASE")
		e := &ast.ExportDatabase{At: at, Path: p.primary()}
		e.Options = p.options()
		return e
	case "IMPORT":
		p.i++
		p.expect("DATABASE")
		return &ast.ImportDatabase{At: at, Path: p.primary()}
	}
	p.syntaxError()
	return nil
}

// withStatement parses WITH ... followed by a query, INSERT, UPDATE or DELETE.
func (p *parser) withStatement() ast.Statement {
	save := *p
	w := p.with()
	switch {
	case p.at("INSERT"):
		return p.insert(w)
	case p.at("UPDATE"):
		return p.update(w)
	case p.at("DELETE"):
		return p.delete(w)
	case p.at("MERGE"):
		return p.merge(w)
	}
	*p = save
	return p.query()
}

// atEnd reports the end of a statement.
func (p *parser) atEnd() bool { return p.peek().Kind == EOF || p.atOp(";") }

// tableOrQuery parses what DESCRIBE and SUMMARIZE take: a query or a table.
func (p *parser) tableOrQuery() (ast.TableExpr, *ast.Query) {
	if p.queryStart(0) != no {
		return nil, p.query()
	}
	return p.tablePrimary(), nil
}

func (p *parser) show() ast.Statement {
	at := ast.At{Pos: p.pos()}
	p.expect("SHOW")
	s := &ast.Show{At: at}
	switch {
	case p.atEnd():
		s.What = "ALL TABLES"
	case p.accept("TABLES"):
		s.What = "TABLES"
		if p.accept("FROM") || p.accept("IN") {
			s.Name = p.name()
		}
	case p.acceptSeq("ALL", "TABLES"):
		s.What = "ALL TABLES"
	case p.accept("DATABASES"):
		s.What = "DATABASES"
	case p.queryStart(0) != no:
		return &ast.Describe{At: at, Query: p.query()}
	default:
		s.Name = p.name()
	}
	return s
}

func (p *parser) setScope() string {
	for _, s := range []string{"GLOBAL", "SESSION", "LOCAL"} {
		if p.accept(s) {
			return s
		}
	}
	return ""
}

func (p *parser) set() ast.Statement {
	s := &ast.Set{At: ast.At{Pos: p.pos()}}
	p.expect("SET")
	s.Variable = p.accept("VARIABLE")
	if !s.Variable {
		s.Scope = p.setScope()
	}
	s.Name = p.name()
	if !p.acceptOp("=") {
		p.expect("TO")
	}
	s.Values = p.exprList()
	return s
}

func (p *parser) reset() ast.Statement {
	r := &ast.Reset{At: ast.At{Pos: p.pos()}}
	p.expect("RESET")
	r.Variable = p.accept("VARIABLE")
	if !r.Variable {
		r.Scope = p.setScope()
	}
	if !p.accept("ALL") {
		r.Name = p.name()
	}
	return r
}

func (p *parser) pragma() ast.Statement {
	pr := &ast.Pragma{At: ast.At{Pos: p.pos()}}
	p.expect("PRAGMA")
	pr.Name = p.label()
	switch {
	case p.acceptOp("="):
		pr.Assign = true
		pr.Args = []ast.Expr{p.expr()}
	case p.acceptOp("("):
		if !p.atOp(")") {
			for {
				pr.Args = append(pr.Args, p.arg(false))
				if !p.acceptOp(",") {
					break
				}
			}
		}
		p.expectOp(")")
	}
	return pr
}

// options parses `[WITH] (NAME [value], ...)`; a bare list without
// parentheses (PostgreSQL's legacy form) is read too.
func (p *parser) options() []ast.Option {
	p.accept("WITH")
	if !p.acceptOp("(") {
		return nil
	}
	var out []ast.Option
	for !p.atOp(")") {
		o := ast.Option{Name: p.label()}
		p.acceptOp("=")
		if !p.atOp(",") && !p.atOp(")") {
			o.Value = p.expr()
		}
		out = append(out, o)
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp(")")
	return out
}

func (p *parser) copyStmt() ast.Statement {
	c := &ast.Copy{At: ast.At{Pos: p.pos()}}
	p.expect("COPY")
	if p.atSeq("FROM", "DATABASE") {
		p.i += 2
		d := &ast.CopyDatabase{At: c.At, From: p.colIdent()}
		p.expect("TO")
		d.To = p.colIdent()
		if p.acceptOp("(") {
			switch {
			case p.accept("SCHEMA"):
				d.What = "SCHEMA"
			case p.accept("DATA"):
				d.What = "DATA"
			default:
				p.syntaxError()
			}
			p.expectOp(")")
		}
		return d
	}
	if q, ok := p.parenQuery(); ok {
		c.Query = q
	} else {
		c.Table = p.copyTarget()
		if p.atOp("(") {
			c.Columns = p.parenIdents()
		}
	}
	switch {
	case p.accept("TO"):
	case c.Query == nil && p.accept("FROM"):
		c.From = true
	default:
		p.syntaxError()
	}
	c.Path = p.primary()
	c.Options = p.options()
	return c
}

// copyTarget reads the table of COPY, also written as a quoted path.
func (p *parser) copyTarget() *ast.Name {
	if t := p.peek(); t.Kind == String {
		p.i++
		return &ast.Name{At: ast.At{Pos: ast.Pos(t.Pos)}, Parts: []ast.Ident{{At: ast.At{Pos: ast.Pos(t.Pos)}, Name: t.Val, Quoted: true}}}
	}
	return p.name()
}

func (p *parser) extension() ast.Statement {
	at := ast.At{Pos: p.pos()}
	force := p.accept("FORCE")
	if force && p.accept("CHECKPOINT") {
		c := &ast.Checkpoint{At: at, Force: true}
		if identLike(p.peek(), colID) {
			id := p.colIdent()
			c.Database = &id
		}
		return c
	}
	if !force && p.accept("LOAD") {
		return &ast.Load{At: at, Name: p.extName()}
	}
	p.expect("INSTALL")
	in := &ast.Install{At: at, Force: force, Name: p.extName()}
	if p.accept("FROM") {
		in.From = p.primary()
	}
	return in
}

// extName reads an extension name or a quoted path.
func (p *parser) extName() ast.Ident {
	if t := p.peek(); t.Kind == String {
		p.i++
		return ast.Ident{At: ast.At{Pos: ast.Pos(t.Pos)}, Name: t.Val, Quoted: true}
	}
	return p.label()
}

func (p *parser) attach() ast.Statement {
	a := &ast.Attach{At: ast.At{Pos: p.pos()}}
	p.expect("ATTACH")
	p.accept("DATABASE")
	a.IfNotExists = p.acceptSeq("IF", "NOT", "EXISTS")
	a.Path = p.primary()
	if p.accept("AS") {
		id := p.colIdent()
		a.Alias = &id
	}
	a.Options = p.options()
	return a
}
