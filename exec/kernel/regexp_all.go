package kernel

import (
	"regexp/syntax"
	"unicode/utf8"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// regexpAllNode is regexp_extract_all (every non-overlapping match's
// group) and string_split_regex (the pieces between matches), both
// VARCHAR[]. Matching follows RE2's loop as DuckDB runs it: after an empty
// match the search moves on by one character, and an empty match right
// after a non-empty one counts (Go's FindAll skips it).
type regexpAllNode struct {
	op    expr.Op
	args  []node // string, pattern [, group]
	rn    regexpNode
	ctx   bool // the pattern in use needsContext
	vs    []*coldata.Vec
	o     listOut
	parts coldata.Vec
	m     []int
}

func (c *compiler) compileRegexpAll(e *expr.Func) (node, error) {
	args, err := c.compileArgs(e.Args)
	if err != nil {
		return nil, err
	}
	if e.Op == expr.OpParsePath {
		if len(args) != 2 || args[0].typ().ID != coldata.String || args[1].typ().ID != coldata.String {
			return nil, errorf("parse_path takes (VARCHAR, VARCHAR)")
		}
		return &parsePathNode{path: args[0], seps: args[1]}, nil
	}
	want := 3
	if e.Op == expr.OpRegexpExtractAll {
		want = 4
	}
	if len(args) != want {
		return nil, errorf("%s takes %d arguments, got %d", e.Op, want, len(args))
	}
	optsNode, ok := args[len(args)-1].(*constNode)
	if !ok || optsNode.t.ID != coldata.String || optsNode.d.Null {
		return nil, errorf("%s needs constant options", e.Op)
	}
	opts, err := parseRegexpOpts(optsNode.d.S)
	if err != nil {
		return nil, err
	}
	n := &regexpAllNode{op: e.Op, args: args[:len(args)-1]}
	n.rn = regexpNode{op: expr.OpRegexpExtract, opts: opts}
	for i, a := range n.args {
		if isNullConst(a) || a.typ().ID == coldata.Unknown {
			return &nullNestedNode{t: n.typ()}, nil
		}
		if want := []coldata.TypeID{coldata.String, coldata.String, coldata.Int64}[i]; a.typ().ID != want {
			return nil, errorf("%s needs a %s argument %d, got %s", e.Op, coldata.Type{ID: want}, i+1, a.typ())
		}
	}
	if p, ok := n.args[1].(*constNode); ok {
		if n.rn.fixed, err = n.rn.compilePattern(p.d.S); err != nil {
			return nil, err
		}
		n.ctx = needsContext(n.rn.fixed)
	}
	return n, nil
}

func (n *regexpAllNode) typ() coldata.Type { return coldata.ListType(coldata.TypeString) }

// pattern is row i's compiled pattern.
func (n *regexpAllNode) pattern(p string) (*rx, error) {
	if n.rn.fixed != nil {
		return n.rn.fixed, nil
	}
	if n.rn.last == nil || n.rn.lastP != p {
		r, err := n.rn.compilePattern(p)
		if err != nil {
			return nil, err
		}
		n.rn.last, n.rn.lastP = r, p
		n.ctx = needsContext(r)
	}
	return n.rn.last, nil
}

func (n *regexpAllNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	n.o.reset(b.N)
	strs, nulls := n.parts.Str[:0], n.parts.Nulls[:0]
	for k := 0; k < liveLen(sel, b.N); k++ {
		i := rowAt(sel, k)
		if vs[0].IsNull(i) || vs[1].IsNull(i) || len(vs) == 3 && vs[2].IsNull(i) {
			n.o.null(i)
			continue
		}
		r, err := n.pattern(vs[1].Str[i])
		if err != nil {
			return nil, err
		}
		n.o.start(i)
		s := vs[0].Str[i]
		add := func(p string, null bool) {
			n.o.idx = append(n.o.idx, int32(len(strs)))
			strs, nulls = append(strs, p), append(nulls, null)
		}
		if n.op == expr.OpRegexpExtractAll {
			g := vs[2].I64[i]
			var bad error
			if g >= 0 {
				n.matches(r, s, func(m []int) {
					if groups := len(m)/2 - 1; g > int64(groups) { // only a match asks for the group
						bad = invalidInputf("Pattern has %d groups. Cannot access group %d", groups, g)
						return
					}
					if m[2*g] < 0 {
						add("", true)
					} else {
						add(s[m[2*g]:m[2*g+1]], false)
					}
				})
			}
			if bad != nil {
				return nil, bad
			}
		} else {
			start, lastEmpty := 0, false
			n.matches(r, s, func(m []int) {
				if m[0] == m[1] && m[0] == len(s) {
					return // nothing left to split off
				}
				if m[0] == m[1] {
					_, w := utf8.DecodeRuneInString(s[m[0]:])
					add(s[start:m[0]+w], false)
					start, lastEmpty = m[0]+w, true
					return
				}
				add(s[start:m[0]], false)
				start, lastEmpty = m[1], false
			})
			if !lastEmpty || start < len(s) {
				add(s[start:], false)
			}
		}
		n.o.end(i)
	}
	n.parts = coldata.Vec{Type: coldata.TypeString, Str: strs, Nulls: nulls}
	return n.o.finish(n.typ(), &n.parts, b.N), nil
}

// matches calls f with the submatch indexes of each match of r in s, in
// DuckDB's order. Patterns whose matches depend on the text before the
// search position (^, \b, \B) run over the whole string with Go's rules.
func (n *regexpAllNode) matches(r *rx, s string, f func(m []int)) {
	if n.ctx {
		for _, m := range r.re.FindAllStringSubmatchIndex(s, -1) {
			f(m)
		}
		return
	}
	for pos := 0; pos <= len(s); {
		m := r.re.FindStringSubmatchIndex(s[pos:])
		if m == nil {
			return
		}
		for j := range m {
			if m[j] >= 0 {
				m[j] += pos
			}
		}
		f(m)
		if m[0] == m[1] {
			if m[0] == len(s) {
				return
			}
			_, w := utf8.DecodeRuneInString(s[m[0]:])
			pos = m[0] + w
		} else {
			pos = m[1]
		}
	}
}

// needsContext reports whether r has an assertion about the text before a
// position (start of text or line, word boundaries).
func needsContext(r *rx) bool {
	re, err := syntax.Parse(r.re.String(), syntax.Perl)
	if err != nil {
		return true
	}
	var walk func(*syntax.Regexp) bool
	walk = func(x *syntax.Regexp) bool {
		switch x.Op {
		case syntax.OpBeginLine, syntax.OpBeginText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
			return true
		}
		for _, c := range x.Sub {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(re)
}
