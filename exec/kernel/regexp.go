package kernel

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// regexpNode runs DuckDB's regexp_matches, regexp_full_match,
// regexp_replace and regexp_extract with Go's regexp (RE2 semantics). A
// constant pattern is compiled once; a column of patterns reuses the last
// compiled one while it repeats.
type regexpNode struct {
	op     expr.Op
	args   []node
	t      coldata.Type
	opts   regexpOpts
	group  int // regexp_extract
	fixed  *rx // the constant pattern, or nil
	last   *rx // the last per-row pattern
	lastP  string
	res    result
	arena  strArena
	vs     []*coldata.Vec
	tmplOK bool   // constant replacement: valid
	tmpl   string // constant replacement in Go's template syntax
}

// rx is a compiled pattern.
type rx struct {
	re      *regexp.Regexp
	literal string // the pattern matches exactly this text (regexp_matches fast path)
	isLit   bool
}

type regexpOpts struct {
	fold, global bool
}

// parseRegexpOpts reads DuckDB's options string: c (case-sensitive), i
// (case-insensitive), g (replace all).
func parseRegexpOpts(s string) (regexpOpts, error) {
	var o regexpOpts
	for _, c := range s {
		switch c {
		case 'c':
			o.fold = false
		case 'i':
			o.fold = true
		case 'g':
			o.global = true
		default:
			return o, invalidInputf("Unrecognized Regex option %c", c)
		}
	}
	return o, nil
}

func (c *compiler) compileRegexp(e *expr.Func, args []node) (node, error) {
	want := map[expr.Op]struct {
		n int
		t coldata.TypeID
	}{
		expr.OpRegexpMatches: {3, coldata.Bool}, expr.OpRegexpFullMatch: {3, coldata.Bool},
		expr.OpRegexpReplace: {4, coldata.String}, expr.OpRegexpExtract: {4, coldata.String},
	}[e.Op]
	if len(args) != want.n || e.Typ.ID != want.t {
		return nil, errorf("%s takes %d arguments and returns %s", e.Op, want.n, coldata.Type{ID: want.t})
	}
	optsNode, ok := args[len(args)-1].(*constNode)
	if !ok || optsNode.t.ID != coldata.String || optsNode.d.Null {
		return nil, errorf("%s needs constant options", e.Op)
	}
	opts, err := parseRegexpOpts(optsNode.d.S)
	if err != nil {
		return nil, err
	}
	n := &regexpNode{op: e.Op, args: args[:len(args)-1], t: e.Typ, opts: opts}
	if e.Op == expr.OpRegexpExtract {
		g, ok := args[2].(*constNode)
		if !ok || !g.t.IsInteger() || g.d.Null {
			return nil, errorf("regexp_extract needs a constant group")
		}
		if g.d.I < 0 || g.d.I > 10 { // the binder checks 0..9; 10 (no group ever) stands for a NULL group
			return nil, invalidInputf("Group index must be between 0 and 9!")
		}
		n.group = int(g.d.I)
		n.args = args[:2]
	}
	for i, a := range n.args {
		if isNullConst(a) || a.typ().ID == coldata.Unknown {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
		if a.typ().ID != coldata.String {
			return nil, errorf("%s needs VARCHAR argument %d, got %s", e.Op, i+1, a.typ())
		}
	}
	if p, ok := n.args[1].(*constNode); ok {
		if n.fixed, err = n.compilePattern(p.d.S); err != nil {
			return nil, err
		}
	}
	if e.Op == expr.OpRegexpReplace {
		if r, ok := n.args[2].(*constNode); ok {
			n.tmpl, n.tmplOK = goTemplate(r.d.S)
		}
	}
	return fold(n, n.args...), nil
}

// compilePattern compiles p with the node's options; a full match is
// anchored at both ends. Errors read like RE2's, as DuckDB reports them.
func (n *regexpNode) compilePattern(p string) (*rx, error) {
	if _, err := syntax.Parse(p, syntax.Perl); err != nil {
		return nil, re2Error(err)
	}
	src := p
	if n.op == expr.OpRegexpFullMatch {
		src = `\A(?:` + src + `)\z`
	}
	if n.opts.fold {
		src = "(?i)" + src
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, re2Error(err)
	}
	r := &rx{re: re}
	if n.op == expr.OpRegexpMatches && !n.opts.fold {
		r.literal, r.isLit = re.LiteralPrefix()
	}
	return r, nil
}

// re2Error words a pattern error as RE2 (and so DuckDB) does.
func re2Error(err error) error {
	var se *syntax.Error
	if !errors.As(err, &se) {
		return invalidInputf("%v", err)
	}
	text := map[syntax.ErrorCode]string{
		syntax.ErrMissingParen: "missing )", syntax.ErrUnexpectedParen: "unexpected )",
		syntax.ErrMissingBracket: "missing ]", syntax.ErrMissingRepeatArgument: "no argument for repetition operator",
		syntax.ErrInvalidRepeatOp: "bad repetition operator", syntax.ErrInvalidEscape: "invalid escape sequence",
		syntax.ErrInvalidCharRange: "invalid character class range", syntax.ErrInvalidRepeatSize: "invalid repetition size",
		syntax.ErrInvalidCharClass: "invalid character class", syntax.ErrInvalidPerlOp: "invalid perl operator",
		syntax.ErrInvalidNamedCapture: "invalid named capture group", syntax.ErrInvalidUTF8: "invalid UTF-8",
	}[se.Code]
	if se.Code == syntax.ErrTrailingBackslash {
		return invalidInputf("trailing \\")
	}
	if text == "" {
		text = string(se.Code)
	}
	return invalidInputf("%s: %s", text, se.Expr)
}

// goTemplate turns a DuckDB (RE2) replacement, where \0..\9 name groups and
// \\ is a backslash, into Go's template syntax. ok is false for any other
// escape: RE2 then leaves the string unchanged.
func goTemplate(r string) (string, bool) {
	if !strings.ContainsAny(r, `\$`) {
		return r, true
	}
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		switch c := r[i]; {
		case c == '$':
			b.WriteString("$$")
		case c != '\\':
			b.WriteByte(c)
		case i+1 < len(r) && r[i+1] == '\\':
			b.WriteByte('\\')
			i++
		case i+1 < len(r) && r[i+1] >= '0' && r[i+1] <= '9':
			b.WriteString("${" + string(r[i+1]) + "}")
			i++
		default:
			return "", false
		}
	}
	return b.String(), true
}

// maxGroupRef is the highest \N in a DuckDB replacement.
func maxGroupRef(r string) int {
	m := 0
	for i := 0; i+1 < len(r); i++ {
		if r[i] == '\\' {
			if d := r[i+1]; d >= '0' && d <= '9' {
				m = max(m, int(d-'0'))
			}
			i++
		}
	}
	return m
}

func (n *regexpNode) typ() coldata.Type { return n.t }

// pattern returns the compiled pattern of row i.
func (n *regexpNode) pattern(p string) (*rx, error) {
	if n.fixed != nil {
		return n.fixed, nil
	}
	if n.last == nil || n.lastP != p {
		r, err := n.compilePattern(p)
		if err != nil {
			return nil, err
		}
		n.last, n.lastP = r, p
	}
	return n.last, nil
}

func (n *regexpNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	out := n.res.reset(n.t, rows)
	nulls := n.res.copyNulls(sel, rows, vs...)
	s, pats := vs[0].Str, vs[1].Str
	a := &n.arena
	if n.op == expr.OpRegexpReplace {
		a.reset(rows)
	}
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if n.op == expr.OpRegexpReplace {
			a.skip(int32(i))
		}
		if nulls[i] {
			continue
		}
		r, err := n.pattern(pats[i])
		if err != nil {
			return nil, err
		}
		switch n.op {
		case expr.OpRegexpMatches:
			if r.isLit {
				out.B[i] = strings.Contains(s[i], r.literal)
			} else {
				out.B[i] = r.re.MatchString(s[i])
			}
		case expr.OpRegexpFullMatch:
			out.B[i] = r.re.MatchString(s[i])
		case expr.OpRegexpExtract:
			out.Str[i] = extract(r.re, s[i], n.group)
		case expr.OpRegexpReplace:
			n.replace(out.Str, s[i], r.re, vs[2].Str[i], i)
		}
	}
	if n.op == expr.OpRegexpReplace {
		a.finish(out.Str, sel, rows)
	}
	dropEmptyNulls(out, sel, rows)
	return out, nil
}

// extract is the text of group g of the first match (” without one).
func extract(re *regexp.Regexp, s string, g int) string {
	if g == 0 {
		loc := re.FindStringIndex(s)
		if loc == nil {
			return ""
		}
		return s[loc[0]:loc[1]]
	}
	if g > re.NumSubexp() {
		return ""
	}
	loc := re.FindStringSubmatchIndex(s)
	if loc == nil || loc[2*g] < 0 {
		return ""
	}
	return s[loc[2*g]:loc[2*g+1]]
}

// replace writes row i of regexp_replace: the first match (all with 'g')
// replaced; an invalid replacement leaves s unchanged, as RE2 does.
func (n *regexpNode) replace(out []string, s string, re *regexp.Regexp, repl string, i int) {
	tmpl, ok := n.tmpl, n.tmplOK
	if !isConst(n.args[2]) {
		tmpl, ok = goTemplate(repl)
	}
	if !ok || maxGroupRef(repl) > re.NumSubexp() {
		out[i] = s
		return
	}
	if n.opts.global {
		out[i] = re.ReplaceAllString(s, tmpl)
		return
	}
	loc := re.FindStringSubmatchIndex(s)
	if loc == nil {
		out[i] = s
		return
	}
	a := &n.arena
	start := len(a.buf)
	a.buf = append(a.buf, s[:loc[0]]...)
	a.buf = re.ExpandString(a.buf, tmpl, s, loc)
	a.buf = append(a.buf, s[loc[1]:]...)
	a.mark(int32(i), start)
}
