package parser

import (
	"strings"

	"github.com/peregrinedb/peregrine/sql/ast"
)

// MaxDepth bounds how deeply expressions and queries may nest. Go's stack
// grows as needed, so the bound is about keeping every later pass (binder,
// planner, executor, all recursive) well clear of trouble, not about the
// parser itself.
const MaxDepth = 10000

// Parse parses a script of statements separated by semicolons. Positions in
// the tree are byte offsets into src.
func Parse(src string) ([]ast.Statement, error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	var out []ast.Statement
	err = p.run(func() {
		for {
			for p.acceptOp(";") {
			}
			if p.peek().Kind == EOF {
				return
			}
			out = append(out, p.statement())
			if p.peek().Kind != EOF {
				p.expectOp(";")
			}
			p.checkEmptySelect()
		}
	})
	return out, err
}

// ParseOne parses exactly one statement (a trailing semicolon is allowed).
func ParseOne(src string) (ast.Statement, error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	var st ast.Statement
	err = p.run(func() {
		for p.acceptOp(";") {
		}
		if p.peek().Kind == EOF {
			p.errorAt(-1, "empty statement")
		}
		st = p.statement()
		for p.acceptOp(";") {
		}
		if p.peek().Kind != EOF {
			p.syntaxError()
		}
		p.checkEmptySelect()
	})
	return st, err
}

// ParseExpr parses one scalar expression.
func ParseExpr(src string) (ast.Expr, error) {
	p, err := newParser(src)
	if err != nil {
		return nil, err
	}
	var e ast.Expr
	err = p.run(func() {
		e = p.expr()
		if p.peek().Kind != EOF {
			p.syntaxError()
		}
	})
	return e, err
}

type parser struct {
	src   string
	toks  []Token
	i     int
	depth int
	// maxParam is the highest parameter number so far: a `?` is the
	// next one, as in DuckDB (SELECT $1, ? has two parameters).
	maxParam int
	// tableArgs: a table function's arguments, where `name = value` is a
	// named argument.
	tableArgs bool
	// emptySelect: a SELECT without a list was read; reported once the
	// statement parsed, as DuckDB does.
	emptySelect bool
}

// bailout carries a parse error up the recursion (within this package only).
type bailout struct{ err *Error }

func newParser(src string) (*parser, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	return &parser{src: src, toks: toks}, nil
}

func (p *parser) run(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			err = b.err
		}
	}()
	f()
	return nil
}

func (p *parser) peek() *Token { return &p.toks[p.i] }

// peekAt returns the token n places ahead (EOF past the end).
func (p *parser) peekAt(n int) *Token {
	if p.i+n < len(p.toks) {
		return &p.toks[p.i+n]
	}
	return &p.toks[len(p.toks)-1]
}

func (p *parser) next() *Token {
	t := &p.toks[p.i]
	if t.Kind != EOF {
		p.i++
	}
	return t
}

func (p *parser) pos() ast.Pos { return ast.Pos(p.peek().Pos) }

// at reports whether the current token is the word w (upper case).
func (p *parser) at(w string) bool { return p.peek().is(w) }

// atSeq reports whether the next tokens are the given words.
func (p *parser) atSeq(ws ...string) bool {
	for k, w := range ws {
		if !p.peekAt(k).is(w) {
			return false
		}
	}
	return true
}

func (p *parser) atOp(s string) bool { return p.peek().isOp(s) }

func (p *parser) accept(w string) bool {
	if p.at(w) {
		p.i++
		return true
	}
	return false
}

func (p *parser) acceptSeq(ws ...string) bool {
	if p.atSeq(ws...) {
		p.i += len(ws)
		return true
	}
	return false
}

func (p *parser) acceptOp(s string) bool {
	if p.atOp(s) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expect(w string) {
	if !p.accept(w) {
		p.syntaxError()
	}
}

func (p *parser) expectOp(s string) {
	if !p.acceptOp(s) {
		p.syntaxError()
	}
}

// syntaxError fails at the current token, as DuckDB words it.
func (p *parser) syntaxError() {
	p.syntaxErrorAt(p.peek())
}

func (p *parser) syntaxErrorAt(t *Token) {
	if t.Kind == EOF {
		p.errorAt(-1, "syntax error at end of input")
	}
	p.errorAt(t.Pos, "syntax error at or near \""+Clip(t.Text)+"\"")
}

func (p *parser) errorAt(pos int, msg string) {
	panic(bailout{&Error{Msg: msg, Pos: pos, Src: p.src}})
}

func (p *parser) checkEmptySelect() {
	if p.emptySelect {
		p.errorAt(-1, "SELECT clause without selection list")
	}
}

// enter guards recursion depth; callers defer leave.
func (p *parser) enter() {
	p.depth++
	if p.depth > MaxDepth {
		p.errorAt(p.peek().Pos, "statement nests too deeply (more than 10000 levels of parentheses or subqueries)")
	}
}

func (p *parser) leave() { p.depth-- }

// identLike reports whether t can be read as a name where names of
// category up to max are allowed.
func identLike(t *Token, allow func(Category) bool) bool {
	switch t.Kind {
	case QuotedIdent:
		return true
	case Ident:
		return t.Category == NotKeyword || allow(t.Category)
	}
	return false
}

// colID: names of columns, tables, aliases (IDENT, unreserved and
// column-name keywords).
func colID(c Category) bool { return c == Unreserved || c == ColumnName }

// funcName: names of functions and types.
func funcName(c Category) bool { return c == Unreserved || c == TypeFunction }

// anyName: after AS or a dot any keyword is a name.
func anyName(c Category) bool { return true }

func (p *parser) identOf(t *Token) ast.Ident {
	if t.Kind == QuotedIdent {
		return ast.Ident{At: ast.At{Pos: ast.Pos(t.Pos)}, Name: t.Val, Quoted: true}
	}
	return ast.Ident{At: ast.At{Pos: ast.Pos(t.Pos)}, Name: t.Text}
}

// ident reads a name allowed by allow, or fails.
func (p *parser) ident(allow func(Category) bool) ast.Ident {
	t := p.peek()
	if !identLike(t, allow) {
		p.syntaxError()
	}
	p.i++
	return p.identOf(t)
}

// colIdent reads a column, table or alias name.
func (p *parser) colIdent() ast.Ident { return p.ident(colID) }

// label reads a name after AS or a dot: any word.
func (p *parser) label() ast.Ident { return p.ident(anyName) }

// name reads a dotted name: a.b.c (parts after the first may be keywords).
func (p *parser) name() *ast.Name {
	n := &ast.Name{At: ast.At{Pos: p.pos()}}
	n.Parts = append(n.Parts, p.colIdent())
	for p.atOp(".") && identLike(p.peekAt(1), anyName) {
		p.i++
		n.Parts = append(n.Parts, p.label())
	}
	return n
}

// identList reads `a, b, c`.
func (p *parser) identList() []ast.Ident {
	out := []ast.Ident{p.colIdent()}
	for p.acceptOp(",") {
		out = append(out, p.colIdent())
	}
	return out
}

// parenIdents reads `(a, b, c)`.
func (p *parser) parenIdents() []ast.Ident {
	p.expectOp("(")
	out := p.identList()
	p.expectOp(")")
	return out
}

// upperWord reads any bare word and returns it upper case.
func (p *parser) upperWord() string {
	t := p.peek()
	if t.Kind != Ident {
		p.syntaxError()
	}
	p.i++
	return strings.ToUpper(t.Text)
}

type tri uint8

const (
	no tri = iota
	yes
	maybe
)

// queryStart tells whether the token n places ahead starts a query: yes
// for SELECT, WITH, VALUES, FROM, TABLE, PIVOT...; maybe for a '(' that
// may open a parenthesized query.
func (p *parser) queryStart(n int) tri {
	t := p.peekAt(n)
	if t.isOp("(") {
		for k := n + 1; ; k++ {
			u := p.peekAt(k)
			if u.isOp("(") {
				continue
			}
			if p.queryStart(k) == yes {
				return maybe
			}
			return no
		}
	}
	if t.Kind != Ident {
		return no
	}
	switch t.Keyword {
	case "SELECT", "WITH", "VALUES", "FROM", "TABLE", "PIVOT", "UNPIVOT", "PIVOT_WIDER", "PIVOT_LONGER":
		return yes
	}
	return no
}

// try runs f; if f fails the parser is put back where it was and try
// returns false.
func (p *parser) try(f func()) (ok bool) {
	save := *p
	defer func() {
		if r := recover(); r != nil {
			if _, isBail := r.(bailout); !isBail {
				panic(r)
			}
			*p = save
			ok = false
		}
	}()
	f()
	return true
}
