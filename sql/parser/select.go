package parser

import (
	"github.com/peregrinedb/peregrine/sql/ast"
)

// query parses [WITH ...] body [ORDER BY ...] [LIMIT ...] [OFFSET ...].
func (p *parser) query() *ast.Query {
	p.enter()
	defer p.leave()
	q := &ast.Query{At: ast.At{Pos: p.pos()}}
	if p.at("WITH") {
		q.With = p.with()
	}
	q.Body = p.setExpr()
	p.queryTail(q)
	// (SELECT ...) without anything around it is just its body.
	if inner, ok := q.Body.(*ast.Query); ok && q.With == nil && q.OrderBy == nil && q.Limit == nil && q.Offset == nil {
		return inner
	}
	return q
}

// queryTail parses ORDER BY, LIMIT, OFFSET and FETCH after a query body.
func (p *parser) queryTail(q *ast.Query) {
	if p.accept("ORDER") {
		p.expect("BY")
		q.OrderBy = p.orderItems()
	}
	for {
		switch {
		case q.Limit == nil && p.accept("LIMIT"):
			if p.accept("ALL") {
				continue
			}
			if k := p.percentLimitEnd(); k >= 0 {
				// LIMIT expr %: the % is read as the end of the
				// expression, not as a modulo missing its right side.
				saved := p.toks[k]
				p.toks[k] = Token{Kind: EOF, Pos: saved.Pos}
				q.Limit = p.expr()
				p.toks[k] = saved
				if p.i == k {
					p.i++
					q.LimitPercent = true
				}
				continue
			}
			q.Limit = p.expr()
			q.LimitPercent = p.accept("PERCENT")
		case q.Offset == nil && p.accept("OFFSET"):
			q.Offset = p.expr()
			if !p.accept("ROWS") {
				p.accept("ROW")
			}
		case q.Limit == nil && p.accept("FETCH"):
			if !p.accept("FIRST") {
				p.expect("NEXT")
			}
			if p.at("ROW") || p.at("ROWS") {
				q.Limit = &ast.NumberLit{At: ast.At{Pos: p.pos()}, Text: "1"}
			} else {
				q.Limit = p.exprBP(precOther)
			}
			if !p.accept("ROWS") {
				p.expect("ROW")
			}
			p.expect("ONLY")
		default:
			return
		}
	}
}

// with parses WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (query), ...
func (p *parser) with() *ast.With {
	w := &ast.With{At: ast.At{Pos: p.pos()}}
	p.expect("WITH")
	w.Recursive = p.accept("RECURSIVE")
	for {
		c := &ast.CTE{At: ast.At{Pos: p.pos()}, Name: p.colIdent()}
		if p.atOp("(") {
			c.Columns = p.parenIdents()
		}
		if p.acceptSeq("USING", "KEY") {
			c.UsingKey = p.parenIdents()
		}
		p.expect("AS")
		switch {
		case p.accept("MATERIALIZED"):
			v := true
			c.Materialized = &v
		case p.acceptSeq("NOT", "MATERIALIZED"):
			v := false
			c.Materialized = &v
		}
		p.expectOp("(")
		c.Query = p.query()
		p.expectOp(")")
		w.CTEs = append(w.CTEs, c)
		if !p.acceptOp(",") {
			return w
		}
	}
}

// setExpr parses bodies joined by UNION and EXCEPT (INTERSECT binds tighter).
func (p *parser) setExpr() ast.QueryBody {
	left := p.setTerm()
	for p.at("UNION") || p.at("EXCEPT") {
		op := p.next()
		s := p.setOpFlags(&ast.SetOp{At: ast.At{Pos: ast.Pos(op.Pos)}, Op: op.Keyword, L: left})
		s.R = p.setTerm()
		left = s
	}
	return left
}

func (p *parser) setTerm() ast.QueryBody {
	left := p.setPrimary()
	for p.at("INTERSECT") {
		op := p.next()
		s := p.setOpFlags(&ast.SetOp{At: ast.At{Pos: ast.Pos(op.Pos)}, Op: op.Keyword, L: left})
		s.R = p.setPrimary()
		left = s
	}
	return left
}

func (p *parser) setOpFlags(s *ast.SetOp) *ast.SetOp {
	if p.accept("ALL") {
		s.All = true
	} else {
		p.accept("DISTINCT")
	}
	if p.acceptSeq("BY", "NAME") {
		s.ByName = true
	}
	return s
}

// setPrimary parses SELECT ..., FROM-first, VALUES, TABLE name, PIVOT, or a
// parenthesized query.
func (p *parser) setPrimary() ast.QueryBody {
	t := p.peek()
	switch {
	case t.isOp("("):
		p.i++
		q := p.query()
		p.expectOp(")")
		if q.With == nil && q.OrderBy == nil && q.Limit == nil && q.Offset == nil {
			return q.Body
		}
		return q
	case t.is("SELECT"):
		return p.selectCore()
	case t.is("FROM"):
		return p.fromFirst()
	case t.is("VALUES"):
		return p.values()
	case t.is("TABLE"):
		p.i++
		n := p.name()
		return &ast.Select{At: ast.At{Pos: ast.Pos(t.Pos)}, Items: starItems(n.At), From: []ast.TableExpr{&ast.TableName{At: n.At, Name: n}}}
	case t.is("PIVOT") || t.is("PIVOT_WIDER") || t.is("UNPIVOT") || t.is("PIVOT_LONGER"):
		src := p.pivotStatement()
		return &ast.Select{At: ast.At{Pos: ast.Pos(t.Pos)}, Items: starItems(ast.At{Pos: ast.Pos(t.Pos)}), From: []ast.TableExpr{src}}
	}
	p.syntaxError()
	return nil
}

func starItems(at ast.At) []*ast.SelectItem {
	return []*ast.SelectItem{{At: at, Expr: &ast.Star{At: at}}}
}

// values parses VALUES (a, b), (c, d).
func (p *parser) values() *ast.Values {
	v := &ast.Values{At: ast.At{Pos: p.pos()}}
	p.expect("VALUES")
	for {
		p.expectOp("(")
		v.Rows = append(v.Rows, p.exprListTrailing())
		p.expectOp(")")
		if !p.acceptOp(",") || !p.atOp("(") {
			return v // a trailing comma is allowed
		}
	}
}

// selectCore parses SELECT [DISTINCT [ON (...)]] items [FROM ...] and the
// clauses that follow.
func (p *parser) selectCore() *ast.Select {
	s := &ast.Select{At: ast.At{Pos: p.pos()}}
	p.expect("SELECT")
	p.selectList(s)
	if p.accept("FROM") {
		s.From = p.fromList()
	}
	p.selectClauses(s)
	return s
}

// fromFirst parses DuckDB's FROM t [SELECT items] [WHERE ...] ...
func (p *parser) fromFirst() *ast.Select {
	s := &ast.Select{At: ast.At{Pos: p.pos()}}
	p.expect("FROM")
	s.From = p.fromList()
	if p.accept("SELECT") {
		p.selectList(s)
	} else {
		s.Items = starItems(s.At)
	}
	p.selectClauses(s)
	return s
}

func (p *parser) selectList(s *ast.Select) {
	if p.accept("DISTINCT") {
		s.Distinct = true
		if p.accept("ON") {
			p.expectOp("(")
			s.DistinctOn = p.exprList()
			p.expectOp(")")
		}
	} else {
		p.accept("ALL")
	}
	if p.endOfSelectList() {
		// DuckDB reports an empty list after the whole statement parsed.
		p.emptySelect = true
		return
	}
	for {
		s.Items = append(s.Items, p.selectItem())
		if !p.acceptOp(",") || p.endOfSelectList() {
			return // DuckDB allows a trailing comma
		}
	}
}

// endOfSelectList reports a token that cannot start a select item.
func (p *parser) endOfSelectList() bool {
	t := p.peek()
	if t.Kind == EOF || t.isOp(")") || t.isOp(";") {
		return true
	}
	switch t.Keyword {
	case "FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "QUALIFY", "ORDER", "LIMIT", "OFFSET", "UNION", "EXCEPT", "INTERSECT", "INTO", "FETCH":
		return true
	}
	return false
}

// selectItem parses expr [[AS] alias] and DuckDB's prefix alias `alias: expr`.
func (p *parser) selectItem() *ast.SelectItem {
	it := &ast.SelectItem{At: ast.At{Pos: p.pos()}}
	if t := p.peek(); identLike(t, colID) && p.peekAt(1).isOp(":") {
		a := p.label()
		p.i++
		it.Alias = &a
		it.Expr = p.expr()
		return it
	}
	it.Expr = p.expr()
	it.Alias = p.columnAlias()
	return it
}

// columnAlias reads `AS label` or a bare alias (an identifier that is not
// a keyword, as in DuckDB).
func (p *parser) columnAlias() *ast.Ident {
	if p.accept("AS") {
		a := p.aliasLabel()
		return &a
	}
	if t := p.peek(); t.Kind == QuotedIdent || t.Kind == Ident && t.Keyword == "" {
		a := p.identOf(t)
		p.i++
		return &a
	}
	return nil
}

// aliasLabel reads the name after AS: any word, or a string.
func (p *parser) aliasLabel() ast.Ident {
	if t := p.peek(); t.Kind == String {
		p.i++
		return ast.Ident{At: ast.At{Pos: ast.Pos(t.Pos)}, Name: t.Val, Quoted: true}
	}
	return p.label()
}

// selectClauses parses WHERE, GROUP BY, HAVING, WINDOW, QUALIFY and USING
// SAMPLE.
func (p *parser) selectClauses(s *ast.Select) {
	if p.accept("WHERE") {
		s.Where = p.expr()
	}
	if p.at("GROUP") {
		s.GroupBy = p.groupBy()
	}
	if p.accept("HAVING") {
		s.Having = p.expr()
	}
	if p.accept("WINDOW") {
		for {
			d := &ast.WindowDef{At: ast.At{Pos: p.pos()}, Name: p.colIdent()}
			p.expect("AS")
			d.Spec = p.windowSpec()
			s.Windows = append(s.Windows, d)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if p.accept("QUALIFY") {
		s.Qualify = p.expr()
	}
	if p.atSeq("USING", "SAMPLE") {
		s.Sample = p.usingSample()
	}
}

func (p *parser) groupBy() *ast.GroupBy {
	g := &ast.GroupBy{At: ast.At{Pos: p.pos()}}
	p.expect("GROUP")
	p.expect("BY")
	if p.at("ALL") && !p.peekAt(1).isOp("(") {
		p.i++
		g.All = true
		return g
	}
	for {
		g.Items = append(g.Items, p.groupItem())
		if !p.acceptOp(",") {
			return g
		}
	}
}

// groupItem parses an expression, ROLLUP (...), CUBE (...), GROUPING SETS
// (...) or the empty set ().
func (p *parser) groupItem() ast.Expr {
	at := ast.At{Pos: p.pos()}
	switch {
	case p.at("ROLLUP") && p.peekAt(1).isOp("("):
		p.i += 2
		r := &ast.Rollup{At: at, Items: p.groupSetList()}
		p.expectOp(")")
		return r
	case p.at("CUBE") && p.peekAt(1).isOp("("):
		p.i += 2
		c := &ast.Cube{At: at, Items: p.groupSetList()}
		p.expectOp(")")
		return c
	case p.atSeq("GROUPING", "SETS"):
		p.i += 2
		p.expectOp("(")
		g := &ast.GroupingSets{At: at}
		for {
			g.Sets = append(g.Sets, p.groupingSet())
			if !p.acceptOp(",") {
				break
			}
		}
		p.expectOp(")")
		return g
	case p.atOp("(") && p.peekAt(1).isOp(")"):
		p.i += 2
		return &ast.RowExpr{At: at}
	}
	return p.expr()
}

// groupingSet parses one element of GROUPING SETS: (a, b), (), a, or a
// nested ROLLUP/CUBE/GROUPING SETS. A bare expression a is the set (a): one
// form for both, so that printing and parsing again gives the same tree.
func (p *parser) groupingSet() ast.Expr {
	at := ast.At{Pos: p.pos()}
	if p.atOp("(") {
		if _, ok := p.parenQuery(); ok {
			p.syntaxError()
		}
		p.i++
		r := &ast.RowExpr{At: at}
		if !p.atOp(")") {
			r.Items = p.groupSetList()
		}
		p.expectOp(")")
		return r
	}
	switch x := p.groupItem().(type) {
	case *ast.Rollup, *ast.Cube, *ast.GroupingSets, *ast.RowExpr:
		return x
	default:
		return &ast.RowExpr{At: at, Items: []ast.Expr{x}}
	}
}

// groupSetList reads the items of ROLLUP/CUBE or of a set: expressions
// or parenthesized lists.
func (p *parser) groupSetList() []ast.Expr {
	var out []ast.Expr
	for {
		out = append(out, p.groupItem())
		if !p.acceptOp(",") {
			return out
		}
	}
}

// usingSample parses USING SAMPLE size [PERCENT|ROWS|%] [(method [, seed])]
// [REPEATABLE (seed)].
func (p *parser) usingSample() *ast.Sample {
	s := &ast.Sample{At: ast.At{Pos: p.pos()}}
	p.i += 2
	if p.at("RESERVOIR") || p.at("BERNOULLI") || p.at("SYSTEM") || p.peek().isOp("(") {
		// USING SAMPLE reservoir(10%), or USING SAMPLE (1 ROWS)
		if !p.peek().isOp("(") {
			s.Method = lowerWord(p.upperWord())
		}
		p.expectOp("(")
		s.Size = p.exprBP(precExp)
		p.sampleUnit(s)
		p.expectOp(")")
	} else {
		s.Size = p.exprBP(precExp)
		p.sampleUnit(s)
		if p.acceptOp("(") {
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

func (p *parser) sampleUnit(s *ast.Sample) {
	switch {
	case p.accept("PERCENT") || p.acceptOp("%"):
		s.Unit = "PERCENT"
	case p.accept("ROWS"):
		s.Unit = "ROWS"
	}
}

func lowerWord(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// endOfClause reports a token that ends a LIMIT clause.
// percentLimitEnd finds the token index of LIMIT's trailing %, the last
// token of the clause outside parentheses (LIMIT 10%, LIMIT -1%, LIMIT
// (SELECT 50)%), or -1.
func (p *parser) percentLimitEnd() int {
	depth := 0
	for k := p.i; k < len(p.toks); k++ {
		t := &p.toks[k]
		switch {
		case t.isOp("("):
			depth++
		case t.isOp(")"):
			if depth == 0 {
				return -1
			}
			depth--
		case depth == 0 && endOfClause(t):
			return -1
		case depth == 0 && t.isOp("%") && k+1 < len(p.toks) && endOfClause(&p.toks[k+1]):
			return k
		}
		if t.Kind == EOF {
			return -1
		}
	}
	return -1
}

func endOfClause(t *Token) bool {
	return t.Kind == EOF || t.isOp(")") || t.isOp(";") || t.is("OFFSET") || t.is("UNION") || t.is("EXCEPT") || t.is("INTERSECT")
}
