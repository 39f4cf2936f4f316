package parser

import (
	"github.com/peregrinedb/peregrine/sql/ast"
)

// fromList parses `item, item, ...`.
func (p *parser) fromList() []ast.TableExpr {
	out := []ast.TableExpr{p.tableRef()}
	for p.acceptOp(",") {
		out = append(out, p.tableRef())
	}
	return out
}

// tableRef parses a table primary followed by any joins.
func (p *parser) tableRef() ast.TableExpr {
	p.enter()
	defer p.leave()
	left := p.tablePrimary()
	for {
		j := p.joinHead(left)
		if j == nil {
			return left
		}
		j.R = p.tablePrimary()
		switch {
		case j.Kind == ast.JoinCross || j.Kind == ast.JoinPositional || j.Natural:
		case p.accept("ON"):
			j.On = p.expr()
		case p.accept("USING"):
			j.Using = p.parenIdents()
		default:
			p.syntaxError()
		}
		left = j
	}
}

// joinHead parses the join keywords before the right side, or returns nil.
func (p *parser) joinHead(left ast.TableExpr) *ast.Join {
	j := &ast.Join{At: ast.At{Pos: p.pos()}, L: left, Kind: ast.JoinInner}
	start := p.i
	switch {
	case p.accept("CROSS"):
		j.Kind = ast.JoinCross
	case p.accept("POSITIONAL"):
		j.Kind = ast.JoinPositional
	default:
		j.Natural = p.accept("NATURAL")
		j.Asof = p.accept("ASOF")
		switch {
		case p.accept("INNER"):
		case p.accept("LEFT"):
			j.Kind = ast.JoinLeft
			if !p.accept("SEMI") && !p.accept("ANTI") {
				p.accept("OUTER")
			} else {
				j.Kind = ast.JoinKind(p.toks[p.i-1].Keyword)
			}
		case p.accept("RIGHT"):
			j.Kind = ast.JoinRight
			p.accept("OUTER")
		case p.accept("FULL"):
			j.Kind = ast.JoinFull
			p.accept("OUTER")
		case p.accept("SEMI"):
			j.Kind = ast.JoinSemi
		case p.accept("ANTI"):
			j.Kind = ast.JoinAnti
		}
	}
	if !p.accept("JOIN") {
		if p.i != start {
			p.syntaxError()
		}
		return nil
	}
	return j
}

// tablePrimary parses one FROM item with its alias, sample and PIVOT suffix.
func (p *parser) tablePrimary() ast.TableExpr {
	t := p.peek()
	at := ast.At{Pos: ast.Pos(t.Pos)}
	// DuckDB's prefix alias: FROM alias: table.
	if identLike(t, colID) && p.peekAt(1).isOp(":") {
		a := p.label()
		p.i++
		te := p.tablePrimary()
		setAlias(te, &ast.Alias{At: a.At, Name: a})
		return te
	}
	var te ast.TableExpr
	switch {
	case t.isOp("("):
		te = p.parenTable()
	case t.is("LATERAL"):
		p.i++
		if p.atOp("(") {
			q, ok := p.parenQuery()
			if !ok {
				p.syntaxError()
			}
			te = &ast.DerivedTable{At: at, Query: q, Lateral: true}
		} else {
			n := p.name()
			te = &ast.TableFunc{At: at, Call: p.tableCall(n), Lateral: true}
		}
	case t.Kind == String:
		p.i++
		te = &ast.TablePath{At: at, Path: t.Val}
	case t.is("VALUES"):
		te = &ast.DerivedTable{At: at, Query: &ast.Query{At: at, Body: p.values()}}
	case t.is("PIVOT") || t.is("PIVOT_WIDER") || t.is("UNPIVOT") || t.is("PIVOT_LONGER"):
		te = p.pivotStatement()
	case (t.Kind == Ident && t.Category != Reserved) && p.peekAt(1).isOp("("):
		// A table function may be named by any non-reserved word (glob).
		p.i++
		n := &ast.Name{At: at, Parts: []ast.Ident{p.identOf(t)}}
		te = &ast.TableFunc{At: at, Call: p.tableCall(n)}
	case t.Kind == Ident && t.Category == TypeFunction:
		// A type-or-function keyword could only start a call here: like
		// DuckDB, the error is at what follows it (FROM left: ...).
		p.syntaxErrorAt(p.peekAt(1))
	default:
		n := p.name()
		if p.atOp("(") {
			te = &ast.TableFunc{At: at, Call: p.tableCall(n)}
		} else {
			te = &ast.TableName{At: at, Name: n}
		}
	}
	return p.tableSuffix(te)
}

// tableSuffix parses alias, TABLESAMPLE and PIVOT/UNPIVOT after a FROM item.
func (p *parser) tableSuffix(te ast.TableExpr) ast.TableExpr {
	if a := p.tableAlias(); a != nil {
		setAlias(te, a)
	}
	if tn, ok := te.(*ast.TableName); ok && p.at("AT") && p.peekAt(1).isOp("(") {
		// Time travel, after the alias as in DuckDB: t [AS x] AT (VERSION => 3).
		p.i += 2
		name := p.label()
		if !p.acceptOp("=>") {
			p.expectOp(":=")
		}
		tn.AtClause = &ast.NamedArg{At: name.At, Name: name, Value: p.expr()}
		p.expectOp(")")
	}
	if p.at("TABLESAMPLE") {
		setSample(te, p.tableSample())
	}
	for {
		switch {
		case p.at("PIVOT") && p.peekAt(1).isOp("("):
			te = p.standardPivot(te)
		case p.at("UNPIVOT") && (p.peekAt(1).isOp("(") || p.peekAt(1).is("INCLUDE") || p.peekAt(1).is("EXCLUDE")):
			te = p.standardUnpivot(te)
		default:
			return te
		}
	}
}

// tableAlias reads [AS] name [(cols)].
func (p *parser) tableAlias() *ast.Alias {
	t := p.peek()
	var a *ast.Alias
	switch {
	case t.is("AS"):
		p.i++
		at := ast.At{Pos: p.pos()}
		if p.peek().Kind == String {
			a = &ast.Alias{At: at, Name: p.aliasLabel()}
		} else {
			a = &ast.Alias{At: at, Name: p.colIdent()}
		}
	case identLike(t, colID) && !t.is("SAMPLE") && !t.is("SET") && !t.is("TABLESAMPLE") && !t.is("AT"):
		a = &ast.Alias{At: ast.At{Pos: ast.Pos(t.Pos)}, Name: p.colIdent()}
	default:
		return nil
	}
	if p.atOp("(") {
		a.Columns = p.parenIdents()
	}
	return a
}

func setAlias(te ast.TableExpr, a *ast.Alias) {
	switch x := te.(type) {
	case *ast.TableName:
		x.Alias = a
	case *ast.TablePath:
		x.Alias = a
	case *ast.TableFunc:
		x.Alias = a
	case *ast.DerivedTable:
		x.Alias = a
	case *ast.ParenTable:
		x.Alias = a
	case *ast.StatementTable:
		x.Alias = a
	case *ast.Pivot:
		x.Alias = a
	case *ast.Unpivot:
		x.Alias = a
	}
}

func setSample(te ast.TableExpr, s *ast.Sample) {
	switch x := te.(type) {
	case *ast.TableName:
		x.Sample = s
	case *ast.TablePath:
		x.Sample = s
	case *ast.TableFunc:
		x.Sample = s
	case *ast.DerivedTable:
		x.Sample = s
	}
}

// tableSample parses TABLESAMPLE [method] (size [PERCENT|ROWS]) [REPEATABLE (seed)]
// and TABLESAMPLE size [PERCENT|ROWS|%].
func (p *parser) tableSample() *ast.Sample {
	s := &ast.Sample{At: ast.At{Pos: p.pos()}, Table: true}
	p.expect("TABLESAMPLE")
	if t := p.peek(); t.Kind == Ident && p.peekAt(1).isOp("(") {
		s.Method = lowerWord(p.upperWord())
	}
	if p.acceptOp("(") {
		s.Size = p.exprBP(precExp)
		p.sampleUnit(s)
		p.expectOp(")")
	} else {
		s.Size = p.exprBP(precExp)
		p.sampleUnit(s)
		if s.Method == "" && p.acceptOp("(") { // TABLESAMPLE 10 ROWS (reservoir, 250)
			s.Method = lowerWord(p.upperWord())
			if p.acceptOp(",") {
				s.Seed = p.expr()
			}
			p.expectOp(")")
		}
	}
	if p.accept("REPEATABLE") {
		p.expectOp("(")
		s.Seed = p.expr()
		p.expectOp(")")
	}
	return s
}

// parenTable parses a parenthesized FROM item: a subquery or a join.
func (p *parser) parenTable() ast.TableExpr {
	at := ast.At{Pos: p.pos()}
	if p.peekAt(1).is("PIVOT") || p.peekAt(1).is("UNPIVOT") || p.peekAt(1).is("PIVOT_WIDER") || p.peekAt(1).is("PIVOT_LONGER") {
		p.i++
		pv := p.pivotStatement()
		p.expectOp(")")
		return pv
	}
	if q, ok := p.parenQuery(); ok {
		return &ast.DerivedTable{At: at, Query: q}
	}
	if n := p.peekAt(1); n.is("DESCRIBE") || n.is("SUMMARIZE") || n.is("SHOW") {
		p.i++
		st := p.statement()
		p.expectOp(")")
		return &ast.StatementTable{At: at, Stmt: st}
	}
	p.expectOp("(")
	inner := p.tableRef()
	p.expectOp(")")
	return &ast.ParenTable{At: at, Inner: inner}
}

// tableCall parses a table function's arguments. DuckDB also takes named
// arguments written `name = value` there.
func (p *parser) tableCall(n *ast.Name) *ast.FuncCall {
	p.tableArgs = true
	f := p.call(n, n.At)
	for i, a := range f.Args {
		if b, ok := a.(*ast.Binary); ok && b.Op == "=" {
			if c, ok := b.L.(*ast.ColumnRef); ok && len(c.Parts) == 1 {
				f.Args[i] = &ast.NamedArg{At: c.At, Name: c.Parts[0], Value: b.R}
			}
		}
	}
	return f
}

// pivotStatement parses DuckDB's PIVOT t ON ... USING ... GROUP BY ... and
// UNPIVOT t ON ... INTO NAME n VALUE v.
func (p *parser) pivotStatement() ast.TableExpr {
	at := ast.At{Pos: p.pos()}
	kw := p.next().Keyword
	if kw == "UNPIVOT" || kw == "PIVOT_LONGER" {
		u := &ast.Unpivot{At: at}
		if p.acceptSeq("INCLUDE", "NULLS") {
			u.IncludeNulls = true
		}
		u.Source = p.tableRef()
		p.expect("ON")
		u.On = p.pivotItems()
		if p.accept("INTO") {
			p.expect("NAME")
			u.Name = p.colIdent()
			p.expect("VALUE")
			u.Values = p.identList()
		}
		return u
	}
	pv := &ast.Pivot{At: at, Source: p.tableRef()}
	if p.accept("ON") {
		for {
			on := &ast.PivotOn{Expr: p.exprBP(precLike + 1)}
			if p.accept("IN") {
				p.expectOp("(")
				on.In = p.pivotItems()
				p.expectOp(")")
			}
			pv.On = append(pv.On, on)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if p.accept("USING") {
		pv.Using = p.pivotItems()
	}
	if p.acceptSeq("GROUP", "BY") {
		pv.GroupBy = p.exprList()
	}
	return pv
}

// pivotItems reads `expr [AS alias], ...`.
func (p *parser) pivotItems() []*ast.SelectItem {
	var out []*ast.SelectItem
	for {
		it := &ast.SelectItem{At: ast.At{Pos: p.pos()}, Expr: p.expr()}
		it.Alias = p.columnAlias()
		out = append(out, it)
		if !p.acceptOp(",") {
			return out
		}
	}
}

// standardPivot parses `source PIVOT (aggs FOR col IN (...) ... [GROUP BY ...]) [alias]`.
func (p *parser) standardPivot(src ast.TableExpr) ast.TableExpr {
	pv := &ast.Pivot{At: ast.At{Pos: p.pos()}, Source: src, Standard: true}
	p.expect("PIVOT")
	p.expectOp("(")
	pv.Using = p.pivotItems()
	for p.accept("FOR") {
		on := &ast.PivotOn{Expr: p.exprBP(precLike + 1)}
		p.expect("IN")
		p.expectOp("(")
		on.In = p.pivotItems()
		p.expectOp(")")
		pv.On = append(pv.On, on)
	}
	if len(pv.On) == 0 {
		p.syntaxError()
	}
	if p.acceptSeq("GROUP", "BY") {
		pv.GroupBy = p.exprList()
	}
	p.expectOp(")")
	pv.Alias = p.tableAlias()
	return pv
}

// standardUnpivot parses `source UNPIVOT [INCLUDE|EXCLUDE NULLS] (value FOR
// name IN (cols)) [alias]`.
func (p *parser) standardUnpivot(src ast.TableExpr) ast.TableExpr {
	u := &ast.Unpivot{At: ast.At{Pos: p.pos()}, Source: src, Standard: true}
	p.expect("UNPIVOT")
	if p.acceptSeq("INCLUDE", "NULLS") {
		u.IncludeNulls = true
	} else {
		p.acceptSeq("EXCLUDE", "NULLS")
	}
	p.expectOp("(")
	if p.acceptOp("(") {
		u.Values = p.identList()
		p.expectOp(")")
	} else {
		u.Values = []ast.Ident{p.colIdent()}
	}
	p.expect("FOR")
	u.Name = p.colIdent()
	p.expect("IN")
	p.expectOp("(")
	u.On = p.pivotItems()
	p.expectOp(")")
	p.expectOp(")")
	u.Alias = p.tableAlias()
	return u
}
