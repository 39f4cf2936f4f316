package parser

import (
	"math"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/sql/ast"
)

// primary parses an operand: a literal, a name, a call, a parenthesized
// expression or subquery, or one of SQL's special forms.
func (p *parser) primary() ast.Expr {
	t := p.peek()
	at := ast.At{Pos: ast.Pos(t.Pos)}
	switch t.Kind {
	case Number:
		p.i++
		return &ast.NumberLit{At: at, Text: t.Text}
	case String:
		p.i++
		return &ast.StringLit{At: at, Value: t.Val}
	case Param:
		return p.param()
	case QuotedIdent:
		if p.peekAt(1).Kind == String {
			// "type" 'literal', as DuckDB allows.
			p.i++
			s := p.next()
			typ := &ast.TypeName{At: at}
			setTypeName(typ, t.Val, &ast.Name{At: at, Parts: []ast.Ident{p.identOf(t)}})
			return &ast.TypedLit{At: at, Type: typ, Value: s.Val}
		}
		return p.nameOrCall()
	case Op:
		switch t.Text {
		case "(":
			return p.parenExpr()
		case "[":
			return p.listExpr(at)
		case "{":
			return p.structExpr(at)
		case "#":
			if n := p.peekAt(1); n.Kind == Number && n.Pos == t.End {
				p.i += 2
				k, err := strconv.Atoi(n.Text)
				if err != nil || k < 1 {
					p.syntaxErrorAt(n)
				}
				return &ast.PositionalRef{At: at, Index: k}
			}
		}
		p.syntaxError()
	case Ident:
		return p.wordExpr(t, at)
	}
	p.syntaxError()
	return nil
}

// wordExpr parses an operand starting with a bare word.
func (p *parser) wordExpr(t *Token, at ast.At) ast.Expr {
	next := p.peekAt(1)
	if form := specialForm(t.Keyword); form != nil && next.isOp("(") {
		return form(p, at)
	}
	switch t.Keyword {
	case "TRUE", "FALSE":
		p.i++
		return &ast.BoolLit{At: at, Value: t.Keyword == "TRUE"}
	case "NULL":
		p.i++
		return &ast.NullLit{At: at}
	case "CASE":
		return p.caseExpr()
	case "CAST", "TRY_CAST":
		if t.Keyword == "TRY_CAST" && !next.isOp("(") {
			return p.nameOrCall() // a column named try_cast, as DuckDB allows
		}
		p.i++
		p.expectOp("(")
		c := &ast.Cast{At: at, Try: t.Keyword == "TRY_CAST", X: p.expr()}
		p.expect("AS")
		c.Type = p.typeName()
		p.expectOp(")")
		return c
	case "EXISTS":
		p.i++
		p.expectOp("(")
		q := p.query()
		p.expectOp(")")
		return &ast.Exists{At: at, Query: q}
	case "ARRAY":
		p.i++
		if p.atOp("[") {
			l := p.listExpr(at).(*ast.ListLit)
			return l
		}
		p.expectOp("(")
		q := p.query()
		p.expectOp(")")
		return &ast.Subquery{At: at, Query: q, Array: true}
	case "ROW":
		if next.isOp("(") {
			p.i += 2
			r := &ast.RowExpr{At: at, Keyword: true}
			if !p.atOp(")") {
				r.Items = p.exprList()
			}
			p.expectOp(")")
			return r
		}
	case "INTERVAL":
		if next.Kind == String || next.Kind == Number || next.isOp("(") || next.isOp("-") || next.isOp("+") || next.Kind == Param {
			return p.interval()
		}
	case "COLUMNS":
		if next.isOp("(") {
			p.i += 2
			c := &ast.Columns{At: at, Arg: p.expr()}
			p.expectOp(")")
			return c
		}
	case "MAP":
		if next.isOp("{") {
			return p.mapExpr(at)
		}
	case "DEFAULT":
		p.i++
		return &ast.Default{At: at}
	case "GROUPING", "GROUPING_ID", "COALESCE", "NULLIF":
		if next.isOp("(") {
			return p.nameOrCall()
		}
	}
	// A typed literal whose type has several words or modifiers: DOUBLE
	// PRECISION '1.5', VARCHAR(3) 'abc', TIME WITH TIME ZONE '10:00+01'.
	if typedLiteralStart(t, next) {
		var typ *ast.TypeName
		if p.try(func() {
			typ = p.typeName()
			if p.peek().Kind != String {
				p.syntaxError()
			}
		}) {
			return &ast.TypedLit{At: at, Type: typ, Value: p.next().Val}
		}
	}
	// type 'literal': DATE '1994-01-01', TIMESTAMP '...', INTEGER '5'.
	if next.Kind == String && t.Category != Reserved {
		p.i++
		s := p.next()
		typ := &ast.TypeName{At: at}
		setTypeName(typ, strings.ToUpper(t.Text), &ast.Name{At: at, Parts: []ast.Ident{p.identOf(t)}})
		return &ast.TypedLit{At: at, Type: typ, Value: s.Val}
	}
	if t.is("TIMESTAMP") && p.atSeq("TIMESTAMP", "WITH", "TIME", "ZONE") && p.peekAt(4).Kind == String {
		p.i += 4
		s := p.next()
		return &ast.TypedLit{At: at, Type: &ast.TypeName{At: at, Name: "TIMESTAMP WITH TIME ZONE"}, Value: s.Val}
	}
	return p.nameOrCall()
}

// specialForm returns the parser of a call with SQL's keyword syntax
// inside the parentheses (each falls back to an ordinary call), or nil.
func specialForm(keyword string) func(*parser, ast.At) ast.Expr {
	switch keyword {
	case "EXTRACT":
		return (*parser).extract
	case "SUBSTRING":
		return (*parser).substring
	case "POSITION":
		return (*parser).position
	case "TRIM":
		return (*parser).trim
	case "OVERLAY":
		return (*parser).overlay
	}
	return nil
}

// nameOrCall parses a column reference or a function call.
func (p *parser) nameOrCall() ast.Expr {
	t := p.peek()
	at := ast.At{Pos: ast.Pos(t.Pos)}
	if p.peekAt(1).isOp("(") && (t.Kind == QuotedIdent || t.Category != Reserved) {
		p.i++
		return p.call(&ast.Name{At: at, Parts: []ast.Ident{p.identOf(t)}}, at)
	}
	if !identLike(t, colID) {
		if t.Kind == Ident && t.Category == TypeFunction {
			// It could only start a call or a typed literal: like DuckDB,
			// the error is at what follows it (SELECT left + 1).
			p.syntaxErrorAt(p.peekAt(1))
		}
		p.syntaxError()
	}
	p.i++
	return &ast.ColumnRef{At: at, Parts: []ast.Ident{p.identOf(t)}}
}

// param parses ?, $1 or $name.
func (p *parser) param() ast.Expr {
	t := p.next()
	x := &ast.Param{At: ast.At{Pos: ast.Pos(t.Pos)}}
	switch {
	case t.Text == "?":
		if p.maxParam >= math.MaxInt32 {
			p.errorAt(-1, "Parameter numbers cannot be negative") // DuckDB's int32 wraps
		}
		p.maxParam++
		x.Kind, x.Index = ast.ParamQuestion, p.maxParam
	case t.Val != "" && isDigit(t.Val[0]):
		n, err := strconv.Atoi(t.Val)
		if err != nil || n > math.MaxInt32 {
			// DuckDB reads $n into an int32; past it the number wraps.
			p.errorAt(-1, "Parameter numbers cannot be negative")
		}
		p.maxParam = max(p.maxParam, n)
		x.Kind, x.Index = ast.ParamNumber, n
	default:
		// Mixing $name with ? or $n is the binder's error, as in DuckDB.
		x.Kind, x.Name = ast.ParamNamed, t.Val
	}
	return x
}

// parenExpr parses (expr), (a, b) or a scalar subquery.
func (p *parser) parenExpr() ast.Expr {
	at := ast.At{Pos: p.pos()}
	if q, ok := p.parenQuery(); ok {
		return &ast.Subquery{At: at, Query: q}
	}
	p.i++
	if p.acceptOp(")") {
		return &ast.RowExpr{At: at}
	}
	first := p.expr()
	if p.acceptOp(")") {
		return first
	}
	r := &ast.RowExpr{At: at, Items: []ast.Expr{first}}
	for p.acceptOp(",") {
		r.Items = append(r.Items, p.expr())
	}
	p.expectOp(")")
	return r
}

// parenQuery parses `(query)` at the current '(' when it holds a query.
// `((SELECT 1) + 1)` starts like `((SELECT 1) UNION ...)`: a query is
// tried first and the parser backs up when the text turns out to be an
// expression.
func (p *parser) parenQuery() (*ast.Query, bool) {
	if !p.atOp("(") {
		return nil, false
	}
	switch p.queryStart(1) {
	case yes:
		p.i++
		q := p.query()
		p.expectOp(")")
		return q, true
	case maybe:
		var q *ast.Query
		ok := p.try(func() {
			p.i++
			q = p.query()
			p.expectOp(")")
		})
		return q, ok
	}
	return nil, false
}

// listExpr parses [a, b], [] or the comprehension [e FOR x IN l IF c].
func (p *parser) listExpr(at ast.At) ast.Expr {
	p.expectOp("[")
	l := &ast.ListLit{At: at}
	if p.acceptOp("]") {
		return l
	}
	first := p.expr()
	if p.accept("FOR") {
		c := &ast.ListComprehension{At: at, Result: first, Vars: p.identList()}
		p.expect("IN")
		c.List = p.exprBP(precLike + 1)
		if p.accept("IF") {
			c.Cond = p.expr()
		}
		p.expectOp("]")
		return c
	}
	l.Items = append(l.Items, first)
	for p.acceptOp(",") {
		if p.atOp("]") {
			break // trailing comma
		}
		l.Items = append(l.Items, p.expr())
	}
	p.expectOp("]")
	return l
}

// structExpr parses {'a': 1, b: 2}.
func (p *parser) structExpr(at ast.At) ast.Expr {
	p.expectOp("{")
	s := &ast.StructLit{At: at}
	for !p.atOp("}") {
		t := p.peek()
		var name ast.Ident
		switch {
		case t.Kind == String:
			p.i++
			name = ast.Ident{At: ast.At{Pos: ast.Pos(t.Pos)}, Name: t.Val}
		case identLike(t, anyName):
			name = p.label()
			name.Quoted = false
		default:
			p.syntaxError()
		}
		p.expectOp(":")
		s.Fields = append(s.Fields, ast.StructField{Name: name, Value: p.expr()})
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp("}")
	return s
}

// mapExpr parses MAP {k: v, ...}.
func (p *parser) mapExpr(at ast.At) ast.Expr {
	p.i++
	p.expectOp("{")
	m := &ast.MapLit{At: at}
	for !p.atOp("}") {
		k := p.expr()
		p.expectOp(":")
		m.Entries = append(m.Entries, ast.MapEntry{Key: k, Value: p.expr()})
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectOp("}")
	return m
}

func (p *parser) caseExpr() ast.Expr {
	c := &ast.Case{At: ast.At{Pos: p.pos()}}
	p.expect("CASE")
	if !p.at("WHEN") {
		c.Operand = p.expr()
	}
	for p.accept("WHEN") {
		w := ast.When{Cond: p.expr()}
		p.expect("THEN")
		w.Then = p.expr()
		c.Whens = append(c.Whens, w)
	}
	if len(c.Whens) == 0 {
		p.syntaxError()
	}
	if p.accept("ELSE") {
		c.Else = p.expr()
	}
	p.expect("END")
	return c
}

// intervalUnits are the units an interval literal may name.
var intervalUnits = map[string]bool{
	"YEAR": true, "YEARS": true, "MONTH": true, "MONTHS": true, "DAY": true, "DAYS": true,
	"HOUR": true, "HOURS": true, "MINUTE": true, "MINUTES": true, "SECOND": true, "SECONDS": true,
	"MILLISECOND": true, "MILLISECONDS": true, "MICROSECOND": true, "MICROSECONDS": true,
	"WEEK": true, "WEEKS": true, "QUARTER": true, "QUARTERS": true, "DECADE": true, "DECADES": true,
	"CENTURY": true, "CENTURIES": true, "MILLENNIUM": true, "MILLENNIA": true,
}

// interval parses INTERVAL 'text' [unit [TO unit]], INTERVAL n unit and
// INTERVAL (expr) unit.
func (p *parser) interval() ast.Expr {
	iv := &ast.Interval{At: ast.At{Pos: p.pos()}}
	p.expect("INTERVAL")
	t := p.peek()
	switch {
	case t.Kind == String:
		p.i++
		iv.Value = &ast.StringLit{At: ast.At{Pos: ast.Pos(t.Pos)}, Value: t.Val}
	case t.isOp("("):
		p.i++
		iv.Value = p.expr()
		p.expectOp(")")
	default:
		iv.Value = p.exprBP(precUnary)
	}
	if u := p.peek(); u.Kind == Ident && intervalUnits[strings.ToUpper(u.Text)] {
		p.i++
		iv.Unit = strings.ToUpper(u.Text)
		if p.at("TO") && intervalUnits[strings.ToUpper(p.peekAt(1).Text)] {
			p.i++
			iv.ToUnit = p.upperWord()
		}
	}
	return iv
}

func fn(at ast.At, name string, args ...ast.Expr) *ast.FuncCall {
	return &ast.FuncCall{At: at, Name: &ast.Name{At: at, Parts: []ast.Ident{{At: at, Name: name}}}, Args: args}
}

// extract parses EXTRACT(field FROM e) into date_part('field', e).
func (p *parser) extract(at ast.At) ast.Expr {
	t := p.peekAt(2)
	if t.Kind != String && t.Kind != Ident && t.Kind != QuotedIdent || !p.peekAt(3).is("FROM") {
		return p.nameOrCall() // extract(a, b) as an ordinary call
	}
	p.i += 4
	field := t.Val
	if t.Kind != String {
		field = p.identOf(t).Name
	}
	x := p.expr()
	p.expectOp(")")
	return fn(at, "date_part", &ast.StringLit{At: ast.At{Pos: ast.Pos(t.Pos)}, Value: strings.ToLower(field)}, x)
}

// substring parses SUBSTRING(s FROM a [FOR b]) and the plain call.
func (p *parser) substring(at ast.At) ast.Expr {
	start := p.i
	p.i += 2
	s := p.expr()
	switch {
	case p.accept("FROM"):
		from := p.expr()
		args := []ast.Expr{s, from}
		if p.accept("FOR") {
			args = append(args, p.expr())
		}
		p.expectOp(")")
		return fn(at, "substring", args...)
	case p.accept("FOR"):
		n := p.expr()
		p.expectOp(")")
		return fn(at, "substring", s, &ast.NumberLit{At: at, Text: "1"}, n)
	}
	p.i = start
	return p.nameOrCall()
}

// position parses POSITION(needle IN haystack) into position(haystack, needle).
func (p *parser) position(at ast.At) ast.Expr {
	start := p.i
	p.i += 2
	needle := p.exprBP(precLike + 1)
	if !p.accept("IN") {
		p.i = start
		return p.nameOrCall()
	}
	hay := p.exprBP(precLike + 1)
	p.expectOp(")")
	return fn(at, "position", hay, needle)
}

// trim parses TRIM([BOTH|LEADING|TRAILING] [chars] FROM s) into trim,
// ltrim or rtrim(s [, chars]), and the plain call.
func (p *parser) trim(at ast.At) ast.Expr {
	start := p.i
	p.i += 2
	name := "trim"
	switch {
	case p.accept("BOTH"):
	case p.accept("LEADING"):
		name = "ltrim"
	case p.accept("TRAILING"):
		name = "rtrim"
	}
	if p.accept("FROM") {
		s := p.expr()
		p.expectOp(")")
		return fn(at, name, s)
	}
	first := p.expr()
	if p.accept("FROM") {
		s := p.expr()
		p.expectOp(")")
		return fn(at, name, s, first)
	}
	if name != "trim" {
		p.syntaxError()
	}
	p.i = start
	return p.nameOrCall()
}

// overlay parses OVERLAY(s PLACING r FROM a [FOR b]).
func (p *parser) overlay(at ast.At) ast.Expr {
	start := p.i
	p.i += 2
	s := p.expr()
	if !p.accept("PLACING") {
		p.i = start
		return p.nameOrCall()
	}
	args := []ast.Expr{s, p.expr()}
	p.expect("FROM")
	args = append(args, p.expr())
	if p.accept("FOR") {
		args = append(args, p.expr())
	}
	p.expectOp(")")
	return fn(at, "overlay", args...)
}

// call parses the argument list and trailing clauses of a function call
// whose name has been read.
func (p *parser) call(name *ast.Name, at ast.At) *ast.FuncCall {
	f := &ast.FuncCall{At: at, Name: name}
	eqNamed := p.tableArgs
	p.tableArgs = false // calls nested in the arguments are ordinary
	p.expectOp("(")
	if p.accept("DISTINCT") {
		f.Distinct = true
		if p.atOp(")") {
			p.syntaxError()
		}
	} else {
		p.accept("ALL")
	}
	switch {
	case p.atOp("*") && p.peekAt(1).isOp(")"):
		p.i++
		f.Star = true
	case !p.atOp(")"):
		for {
			f.Args = append(f.Args, p.arg(eqNamed))
			if !p.acceptOp(",") {
				break
			}
		}
		// A lone parenthesized * is the * form, as DuckDB reads it
		// (count((*)) is count_star()), and prints as f(*).
		if s, ok := f.Args[0].(*ast.Star); ok && len(f.Args) == 1 && bareStar(s) {
			f.Args, f.Star = nil, true
		}
	}
	if p.accept("ORDER") {
		p.expect("BY")
		f.OrderBy = p.orderItems()
	}
	if p.acceptSeq("IGNORE", "NULLS") {
		v := true
		f.IgnoreNulls = &v
	} else if p.acceptSeq("RESPECT", "NULLS") {
		v := false
		f.IgnoreNulls = &v
	}
	p.expectOp(")")
	if p.atSeq("WITHIN", "GROUP") {
		p.i += 2
		p.expectOp("(")
		p.expect("ORDER")
		p.expect("BY")
		f.WithinGroup = p.orderItems()
		p.expectOp(")")
	}
	if p.accept("FILTER") {
		p.expectOp("(")
		p.accept("WHERE")
		f.Filter = p.expr()
		p.expectOp(")")
	}
	if p.acceptSeq("IGNORE", "NULLS") {
		v := true
		f.IgnoreNulls = &v
	} else if p.acceptSeq("RESPECT", "NULLS") {
		v := false
		f.IgnoreNulls = &v
	}
	if p.accept("OVER") {
		f.Over = p.over()
	}
	return f
}

// arg parses one call argument: `name := value`, `name => value` or an
// expression; in a table function's arguments also `name = value`.
func (p *parser) arg(eqNamed bool) ast.Expr {
	t := p.peek()
	if identLike(t, anyName) && (p.peekAt(1).isOp(":=") || p.peekAt(1).isOp("=>") || eqNamed && p.peekAt(1).isOp("=")) {
		name := p.label()
		p.i++
		return &ast.NamedArg{At: name.At, Name: name, Value: p.expr()}
	}
	return p.expr()
}

// over parses the window after OVER: a name or (spec).
func (p *parser) over() *ast.WindowSpec {
	if !p.atOp("(") {
		id := p.colIdent()
		return &ast.WindowSpec{At: id.At, Base: &id, Ref: true}
	}
	return p.windowSpec()
}

// windowSpec parses ([base] [PARTITION BY ...] [ORDER BY ...] [frame]).
func (p *parser) windowSpec() *ast.WindowSpec {
	w := &ast.WindowSpec{At: ast.At{Pos: p.pos()}}
	p.expectOp("(")
	if t := p.peek(); identLike(t, colID) && !t.is("PARTITION") && !t.is("ORDER") && !t.is("ROWS") && !t.is("RANGE") && !t.is("GROUPS") {
		id := p.colIdent()
		w.Base = &id
	}
	if p.accept("PARTITION") {
		p.expect("BY")
		w.PartitionBy = p.exprList()
	}
	if p.accept("ORDER") {
		p.expect("BY")
		w.OrderBy = p.orderItems()
	}
	if p.at("ROWS") || p.at("RANGE") || p.at("GROUPS") {
		f := &ast.Frame{Mode: p.upperWord()}
		if p.accept("BETWEEN") {
			f.Start = p.frameBound()
			p.expect("AND")
			end := p.frameBound()
			f.End = &end
		} else {
			f.Start = p.frameBound()
		}
		if p.accept("EXCLUDE") {
			switch {
			case p.acceptSeq("CURRENT", "ROW"):
				f.Exclude = "CURRENT ROW"
			case p.accept("GROUP"):
				f.Exclude = "GROUP"
			case p.accept("TIES"):
				f.Exclude = "TIES"
			case p.acceptSeq("NO", "OTHERS"):
				f.Exclude = "NO OTHERS"
			default:
				p.syntaxError()
			}
		}
		w.Frame = f
	}
	p.expectOp(")")
	return w
}

func (p *parser) frameBound() ast.FrameBound {
	switch {
	case p.acceptSeq("UNBOUNDED", "PRECEDING"):
		return ast.FrameBound{Kind: ast.UnboundedPreceding}
	case p.acceptSeq("UNBOUNDED", "FOLLOWING"):
		return ast.FrameBound{Kind: ast.UnboundedFollowing}
	case p.acceptSeq("CURRENT", "ROW"):
		return ast.FrameBound{Kind: ast.CurrentRow}
	}
	off := p.expr()
	switch {
	case p.accept("PRECEDING"):
		return ast.FrameBound{Kind: ast.Preceding, Offset: off}
	case p.accept("FOLLOWING"):
		return ast.FrameBound{Kind: ast.Following, Offset: off}
	}
	p.syntaxError()
	return ast.FrameBound{}
}

// orderItems reads `e [ASC|DESC] [NULLS FIRST|LAST], ...`.
func (p *parser) orderItems() []*ast.OrderItem {
	var out []*ast.OrderItem
	for {
		it := &ast.OrderItem{At: ast.At{Pos: p.pos()}}
		if p.at("ALL") && !p.peekAt(1).isOp("(") {
			p.i++
			it.All = true
		} else {
			it.Expr = p.expr()
		}
		switch {
		case p.accept("DESC"):
			it.Desc = true
		case p.accept("USING"):
			// PostgreSQL's ORDER BY e USING < (ascending) or > (descending).
			t := p.next()
			if !t.isOp("<") && !t.isOp(">") {
				p.syntaxErrorAt(t)
			}
			it.Using = t.Text
		default:
			p.accept("ASC")
		}
		if p.at("NULLS") {
			// NULLS is only read with FIRST or LAST after it (PostgreSQL's
			// lexer lookahead), so a lone NULLS is the error.
			if !p.peekAt(1).is("FIRST") && !p.peekAt(1).is("LAST") {
				p.syntaxError()
			}
			p.i++
			first := p.accept("FIRST")
			if !first {
				p.expect("LAST")
			}
			it.NullsFirst = &first
		}
		out = append(out, it)
		if !p.acceptOp(",") {
			return out
		}
	}
}

// typedLiteralStart reports whether t, next may begin a typed literal of a
// built-in type written with several words or with modifiers.
func typedLiteralStart(t, next *Token) bool {
	switch strings.ToUpper(t.Text) {
	case "DOUBLE":
		return next.is("PRECISION")
	case "CHARACTER", "CHAR", "NCHAR":
		return next.is("VARYING") || next.isOp("(")
	case "NATIONAL":
		return next.is("CHARACTER") || next.is("CHAR")
	case "TIME", "TIMESTAMP":
		return next.is("WITH") || next.is("WITHOUT") || next.isOp("(")
	}
	if !next.isOp("(") {
		return false
	}
	switch c, _ := ast.BuiltinType(t.Text); c {
	case "", "STRUCT", "LIST", "MAP", "UNION", "ENUM":
		return false // not a type, or a call of the same name (map(...))
	}
	return true
}

// bareStar reports a * without qualifier or modifiers.
func bareStar(s *ast.Star) bool {
	return s.Qualifier == nil && s.Exclude == nil && s.Replace == nil && s.Rename == nil && s.Pattern == nil
}
