package parser

import (
	"github.com/peregrinedb/peregrine/sql/ast"
)

// Operator precedence, lowest first (PostgreSQL's table, which DuckDB
// follows, plus DuckDB's lambda arrow below everything).
const (
	precNone    = iota
	precArrow   // ->
	precOr      // OR
	precAnd     // AND
	precNot     // NOT (prefix)
	precIs      // IS ..., ISNULL, NOTNULL
	precCmp     // = <> < <= > >= (non-associative)
	precLike    // BETWEEN IN LIKE ILIKE GLOB SIMILAR TO
	precOther   // || & | # << >> ~ and every other operator
	precAdd     // + -
	precMul     // * / // %
	precExp     // ^ **
	precAtZone  // AT TIME ZONE
	precCollate // COLLATE
	precUnary   // unary + -
)

var opPrec = map[string]int{
	"->": precArrow,
	"=":  precCmp, "==": precCmp, "<>": precCmp, "!=": precCmp, "<": precCmp, "<=": precCmp, ">": precCmp, ">=": precCmp,
	"+": precAdd, "-": precAdd,
	"*": precMul, "/": precMul, "//": precMul, "%": precMul,
	"^": precExp, "**": precExp,
	"||": precOther, "&": precOther, "|": precOther, "#": precOther, "<<": precOther, ">>": precOther,
	"~": precOther, "!~": precOther, "~*": precOther, "!~*": precOther, "~~": precOther, "!~~": precOther,
	"~~*": precOther, "!~~*": precOther, "~~~": precOther, "!~~~": precOther, "^@": precOther,
	"@>": precOther, "<@": precOther, "&&": precOther, "->>": precOther, "@": precOther,
	"!": precOther,
}

// canonical spellings of operators with synonyms.
var canonicalOp = map[string]string{"==": "=", "!=": "<>"}

func (p *parser) expr() ast.Expr { return p.exprBP(precArrow) }

// exprBP parses an expression whose operators all bind at least as tightly
// as min.
func (p *parser) exprBP(min int) ast.Expr {
	p.enter()
	defer p.leave()
	left := p.prefix()
	for {
		prec := p.infixPrec()
		if prec == precNone || prec < min {
			return left
		}
		left = p.infix(left, prec)
	}
}

// infixPrec returns the precedence of the infix operator at the current
// token (precNone when there is none).
func (p *parser) infixPrec() int {
	t := p.peek()
	switch t.Kind {
	case Op:
		return opPrec[t.Text]
	case Ident:
		switch t.Keyword {
		case "OR":
			return precOr
		case "AND":
			return precAnd
		case "IS", "ISNULL", "NOTNULL":
			return precIs
		case "BETWEEN", "IN", "LIKE", "ILIKE", "GLOB", "SIMILAR":
			return precLike
		case "NOT":
			// x NOT BETWEEN / IN / LIKE ..., and DuckDB's x NOT NULL.
			return precLike
		case "AT":
			if p.peekAt(1).is("TIME") && p.peekAt(2).is("ZONE") {
				return precAtZone
			}
		case "COLLATE":
			return precCollate
		}
	}
	return precNone
}

func (p *parser) infix(left ast.Expr, prec int) ast.Expr {
	t := p.peek()
	at := ast.At{Pos: ast.Pos(t.Pos)}
	switch prec {
	case precArrow:
		p.i++
		body := p.exprBP(precArrow)
		if params, ok := lambdaParams(left); ok {
			return &ast.Lambda{At: ast.At{Pos: left.Position()}, Params: params, Body: body}
		}
		return &ast.Binary{At: at, Op: "->", L: left, R: body}
	case precOr:
		terms := flatten(nil, left, true)
		for p.accept("OR") {
			terms = flatten(terms, p.exprBP(precOr+1), true)
		}
		return &ast.Or{At: ast.At{Pos: left.Position()}, Terms: terms}
	case precAnd:
		terms := flatten(nil, left, false)
		for p.accept("AND") {
			terms = flatten(terms, p.exprBP(precAnd+1), false)
		}
		return &ast.And{At: ast.At{Pos: left.Position()}, Terms: terms}
	case precIs:
		return p.isExpr(left)
	case precCmp:
		p.i++
		op := t.Text
		if c, ok := canonicalOp[op]; ok {
			op = c
		}
		var out ast.Expr
		if q := p.peek(); q.is("ANY") || q.is("ALL") || q.is("SOME") {
			out = p.quantified(left, op)
		} else {
			out = &ast.Binary{At: at, Op: op, L: left, R: p.exprBP(precCmp + 1)}
		}
		if p.infixPrec() == precCmp {
			p.syntaxError() // comparisons do not chain
		}
		return out
	case precLike:
		return p.likeExpr(left)
	case precAtZone:
		p.i += 3
		return &ast.AtTimeZone{At: at, X: left, Zone: p.exprBP(precAtZone + 1)}
	case precCollate:
		p.i++
		return &ast.Collate{At: at, X: left, Collation: p.name()}
	}
	// Arithmetic and other binary operators, left associative.
	p.i++
	if t.Text == "!" && !p.startsExpr(p.peek()) {
		// DuckDB's postfix factorial, 5 !, at the other operators' level.
		return &ast.Unary{At: at, Op: "!", X: left}
	}
	op := t.Text
	if c, ok := canonicalOp[op]; ok {
		op = c
	}
	return &ast.Binary{At: at, Op: op, L: left, R: p.exprBP(prec + 1)}
}

// flatten appends e to terms, splicing in the terms of a nested AND (or OR).
func flatten(terms []ast.Expr, e ast.Expr, or bool) []ast.Expr {
	if or {
		if x, ok := e.(*ast.Or); ok {
			return append(terms, x.Terms...)
		}
	} else if x, ok := e.(*ast.And); ok {
		return append(terms, x.Terms...)
	}
	return append(terms, e)
}

// lambdaParams reports whether e can be the parameter list of a lambda:
// a bare name, or a parenthesized list of bare names.
func lambdaParams(e ast.Expr) ([]ast.Ident, bool) {
	switch x := e.(type) {
	case *ast.ColumnRef:
		if len(x.Parts) == 1 {
			return x.Parts, true
		}
	case *ast.RowExpr:
		if x.Keyword {
			return nil, false
		}
		var out []ast.Ident
		for _, it := range x.Items {
			c, ok := it.(*ast.ColumnRef)
			if !ok || len(c.Parts) != 1 {
				return nil, false
			}
			out = append(out, c.Parts[0])
		}
		return out, len(out) > 0
	}
	return nil, false
}

// isExpr parses the IS forms after left.
func (p *parser) isExpr(left ast.Expr) ast.Expr {
	t := p.next()
	at := ast.At{Pos: ast.Pos(t.Pos)}
	switch t.Keyword {
	case "ISNULL":
		return &ast.IsNull{At: at, X: left}
	case "NOTNULL":
		return &ast.IsNull{At: at, X: left, Not: true}
	}
	not := p.accept("NOT")
	switch {
	case p.accept("NULL"):
		return &ast.IsNull{At: at, X: left, Not: not}
	case p.at("TRUE") || p.at("FALSE"):
		v := p.next().is("TRUE")
		return &ast.IsBool{At: at, X: left, Not: not, Value: &v}
	case p.accept("UNKNOWN"):
		return &ast.IsBool{At: at, X: left, Not: not}
	case p.accept("DISTINCT"):
		p.expect("FROM")
		return &ast.IsDistinct{At: at, L: left, R: p.exprBP(precIs + 1), Not: not}
	}
	p.syntaxError()
	return nil
}

// likeExpr parses [NOT] BETWEEN / IN / LIKE / ILIKE / GLOB / SIMILAR TO.
func (p *parser) likeExpr(left ast.Expr) ast.Expr {
	at := ast.At{Pos: p.pos()}
	not := p.accept("NOT")
	if not && p.accept("NULL") {
		return &ast.IsNull{At: at, X: left, Not: true}
	}
	t := p.next()
	switch t.Keyword {
	case "BETWEEN":
		b := &ast.Between{At: at, X: left, Not: not}
		if !p.accept("SYMMETRIC") {
			p.accept("ASYMMETRIC")
		} else {
			b.Symmetric = true
		}
		b.Lo = p.exprBP(precOther)
		p.expect("AND")
		b.Hi = p.exprBP(precOther)
		return b
	case "IN":
		return p.inExpr(left, not, at)
	case "SIMILAR":
		p.expect("TO")
		return p.likeRest(&ast.Like{At: at, Op: ast.OpSimilarTo, X: left, Not: not})
	case "LIKE":
		return p.likeRest(&ast.Like{At: at, Op: ast.OpLike, X: left, Not: not})
	case "ILIKE":
		return p.likeRest(&ast.Like{At: at, Op: ast.OpILike, X: left, Not: not})
	case "GLOB":
		return p.likeRest(&ast.Like{At: at, Op: ast.OpGlob, X: left, Not: not})
	}
	p.syntaxErrorAt(t)
	return nil
}

func (p *parser) likeRest(l *ast.Like) ast.Expr {
	l.Pattern = p.exprBP(precLike + 1)
	if p.accept("ESCAPE") {
		l.Escape = p.exprBP(precLike + 1)
	}
	return l
}

// inExpr parses the list or subquery after [NOT] IN.
func (p *parser) inExpr(left ast.Expr, not bool, at ast.At) ast.Expr {
	if !p.atOp("(") {
		// DuckDB: x IN list_value means contains(list_value, x); the list
		// is a name, call, list literal or subscript, not a constant.
		if k := p.peek().Kind; k == Number || k == String {
			p.syntaxError()
		}
		list := p.postfix(p.primary())
		var out ast.Expr = &ast.FuncCall{At: at, Name: &ast.Name{At: at, Parts: []ast.Ident{{At: at, Name: "contains"}}}, Args: []ast.Expr{list, left}}
		if not {
			out = &ast.Unary{At: at, Op: "NOT", X: out}
		}
		return out
	}
	if q, ok := p.parenQuery(); ok {
		return &ast.InSubquery{At: at, X: left, Query: q, Not: not}
	}
	p.i++
	in := &ast.InList{At: at, X: left, Not: not}
	if p.atOp(")") {
		p.syntaxError()
	}
	in.List = p.exprListTrailing()
	p.expectOp(")")
	return in
}

// quantified parses `ANY|ALL|SOME (subquery or list)` after a comparison.
func (p *parser) quantified(left ast.Expr, op string) ast.Expr {
	t := p.next()
	q := &ast.Quantified{At: ast.At{Pos: ast.Pos(t.Pos)}, X: left, Op: op, Quant: t.Keyword}
	if q.Quant == "SOME" {
		q.Quant = "ANY"
	}
	if sub, ok := p.parenQuery(); ok {
		q.Query = sub
		return q
	}
	p.expectOp("(")
	q.List = p.expr()
	p.expectOp(")")
	return q
}

// exprListTrailing reads `e, e, ...` before a ')' that DuckDB lets follow
// a trailing comma.
func (p *parser) exprListTrailing() []ast.Expr {
	out := []ast.Expr{p.expr()}
	for p.acceptOp(",") && !p.atOp(")") {
		out = append(out, p.expr())
	}
	return out
}

// exprList reads `e, e, ...`.
func (p *parser) exprList() []ast.Expr {
	out := []ast.Expr{p.expr()}
	for p.acceptOp(",") {
		out = append(out, p.expr())
	}
	return out
}

// prefix parses prefix operators, then a primary with its postfix forms.
func (p *parser) prefix() ast.Expr {
	t := p.peek()
	at := ast.At{Pos: ast.Pos(t.Pos)}
	switch {
	case t.is("NOT"):
		p.i++
		return &ast.Unary{At: at, Op: "NOT", X: p.exprBP(precNot)}
	case t.is("LAMBDA"):
		p.i++
		l := &ast.Lambda{At: at, Keyword: true, Params: p.identList()}
		p.expectOp(":")
		l.Body = p.expr()
		return l
	case t.Kind == Op:
		switch t.Text {
		case "-", "+":
			p.i++
			x := p.exprBP(precUnary)
			// A sign before a number, also a parenthesized or already
			// signed one, is folded into the literal as DuckDB's parser
			// does: -(-5) is the literal 5 (named 5), and
			// -(-9223372036854775808) the HUGEINT 9223372036854775808.
			// Before anything else, such as 2.5::INT, it is an operator.
			if n, ok := x.(*ast.NumberLit); ok {
				switch {
				case t.Text == "+":
					return n
				case n.Text[0] == '-':
					return &ast.NumberLit{At: at, Text: n.Text[1:]}
				}
				return &ast.NumberLit{At: at, Text: "-" + n.Text}
			}
			return &ast.Unary{At: at, Op: t.Text, X: x}
		case "~", "@":
			p.i++
			return &ast.Unary{At: at, Op: t.Text, X: p.exprBP(precOther + 1)}
		case "*":
			if p.peekAt(1).is("COLUMNS") && p.peekAt(2).isOp("(") {
				p.i++
				c := p.primary().(*ast.Columns)
				c.At, c.Unpack = at, true
				return c
			}
			return p.star(nil, at)
		}
	}
	return p.postfix(p.primary())
}

// postfix applies ::type, [index], [lo:hi] and .name to x.
func (p *parser) postfix(x ast.Expr) ast.Expr {
	for {
		t := p.peek()
		at := ast.At{Pos: ast.Pos(t.Pos)}
		switch {
		case t.isOp("::"):
			p.i++
			x = &ast.Cast{At: ast.At{Pos: x.Position()}, X: x, Type: p.typeName()}
		case t.isOp("["):
			x = p.subscript(x)
		case t.isOp("."):
			n := p.peekAt(1)
			switch {
			case n.isOp("*"):
				c, ok := x.(*ast.ColumnRef)
				if !ok {
					p.syntaxErrorAt(n)
				}
				p.i++
				return p.star(c.Parts, ast.At{Pos: c.Pos})
			case identLike(n, anyName):
				p.i++
				name := p.label()
				if p.atOp("(") {
					if c, ok := x.(*ast.ColumnRef); ok {
						parts := append(append([]ast.Ident{}, c.Parts...), name)
						x = p.call(&ast.Name{At: ast.At{Pos: c.Pos}, Parts: parts}, ast.At{Pos: c.Pos})
					} else {
						f := p.call(&ast.Name{At: name.At, Parts: []ast.Ident{name}}, at)
						f.Receiver = x
						x = f
					}
					continue
				}
				if c, ok := x.(*ast.ColumnRef); ok {
					c.Parts = append(c.Parts, name)
				} else {
					x = &ast.Field{At: at, X: x, Name: name}
				}
			default:
				p.syntaxErrorAt(n)
			}
		default:
			return x
		}
	}
}

// subscript parses [i], [lo:hi] and [lo:hi:step] after x.
func (p *parser) subscript(x ast.Expr) ast.Expr {
	at := ast.At{Pos: x.Position()}
	p.expectOp("[")
	var lo ast.Expr
	if !p.atOp(":") {
		lo = p.expr()
		if p.acceptOp("]") {
			return &ast.Index{At: at, X: x, Index: lo}
		}
	}
	s := &ast.Slice{At: at, X: x, Lo: lo}
	p.expectOp(":")
	if !p.atOp(":") && !p.atOp("]") {
		s.Hi = p.expr()
	}
	if p.acceptOp(":") {
		s.Step = p.expr()
	}
	p.expectOp("]")
	return s
}

// star parses * with its modifiers, in DuckDB's order: EXCLUDE, REPLACE,
// RENAME, then LIKE / ILIKE / GLOB / SIMILAR TO.
func (p *parser) star(qual []ast.Ident, at ast.At) ast.Expr {
	p.expectOp("*")
	s := &ast.Star{At: at, Qualifier: qual}
	if p.accept("EXCLUDE") {
		s.Exclude = p.starNames()
	}
	if p.accept("REPLACE") {
		// REPLACE (e AS a, ...) or REPLACE e AS a: a parenthesized first
		// item is read as an expression when the list fails.
		if !p.atOp("(") || !p.try(func() { s.Replace = p.replaceList(true) }) {
			s.Replace = p.replaceList(false)
		}
	}
	if p.accept("RENAME") {
		paren := p.acceptOp("(")
		for {
			old := p.columnRef()
			p.expect("AS")
			s.Rename = append(s.Rename, ast.Rename{Old: old, New: p.label()})
			if !paren || !p.acceptOp(",") {
				break
			}
		}
		if paren {
			p.expectOp(")")
		}
	}
	if p.at("LIKE") || p.at("ILIKE") || p.at("GLOB") || p.atSeq("SIMILAR", "TO") || p.at("NOT") && (p.peekAt(1).is("LIKE") || p.peekAt(1).is("ILIKE") || p.peekAt(1).is("GLOB") || p.peekAt(1).is("SIMILAR")) {
		s.Pattern = p.likeExpr(nil).(*ast.Like)
	}
	return s
}

// replaceList reads REPLACE's `e AS name` items, in parentheses or one bare.
func (p *parser) replaceList(paren bool) []*ast.SelectItem {
	var out []*ast.SelectItem
	if paren {
		p.expectOp("(")
	}
	for {
		it := &ast.SelectItem{At: ast.At{Pos: p.pos()}, Expr: p.expr()}
		p.expect("AS")
		a := p.label()
		it.Alias = &a
		out = append(out, it)
		if !paren || !p.acceptOp(",") {
			break
		}
	}
	if paren {
		p.expectOp(")")
	}
	return out
}

// starNames reads `name` or `(name, t.name, ...)` after EXCLUDE.
func (p *parser) starNames() []*ast.ColumnRef {
	if !p.acceptOp("(") {
		return []*ast.ColumnRef{p.columnRef()}
	}
	var out []*ast.ColumnRef
	for {
		out = append(out, p.columnRef())
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp(")")
	return out
}

// columnRef reads a dotted column name.
func (p *parser) columnRef() *ast.ColumnRef {
	n := p.name()
	return &ast.ColumnRef{At: n.At, Parts: n.Parts}
}

// startsExpr reports whether t can begin an operand (deciding between
// postfix x ! and infix x ! y, as PostgreSQL's grammar does).
func (p *parser) startsExpr(t *Token) bool {
	switch t.Kind {
	case Number, String, Param, QuotedIdent:
		return true
	case Op:
		switch t.Text {
		case "(", "[", "{", "-", "+", "~", "@", "*", "#":
			return true
		}
		return false
	case Ident:
		if t.Category != Reserved {
			return true
		}
		switch t.Keyword {
		case "CASE", "CAST", "TRY_CAST", "NOT", "NULL", "TRUE", "FALSE", "EXISTS", "ARRAY", "DEFAULT",
			"CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "CURRENT_ROLE",
			"LOCALTIME", "LOCALTIMESTAMP", "SESSION_USER", "USER", "LAMBDA", "COLUMNS":
			return true
		}
	}
	return false
}
