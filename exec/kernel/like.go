package kernel

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// A LIKE pattern is compiled once into one of a few shapes; the common ones
// (exact, prefix, suffix, contains) become a single strings call per value.
// Everything else runs the general matcher: the pattern split at % into
// segments of literals and _ runs, the first segment anchored at the start,
// the last at the end, and each middle one matched at its leftmost position.
// Leftmost is always safe because a segment matches a fixed number of
// characters, so an earlier match also ends earlier and leaves more room for
// the rest: no backtracking is needed.

type likeKind uint8

const (
	likeAny      likeKind = iota // only %: every non-NULL string
	likeExact                    // lit
	likePrefix                   // lit%
	likeSuffix                   // %lit
	likeContains                 // %lit%
	likeGeneral
)

// likeTok is a literal (skip == 0) or a run of skip `_` characters.
type likeTok struct {
	lit  string
	skip int
}

type likeSeg []likeTok

type likeMatcher struct {
	kind likeKind
	lit  string
	segs []likeSeg // general: segments between %s; len 1 means no %
}

// compileLike parses pattern with wildcards % and _ and escape '\'.
func compileLike(pattern string) (*likeMatcher, error) {
	segs := []likeSeg{nil}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			last := &segs[len(segs)-1]
			*last = append(*last, likeTok{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; c {
		case '\\':
			if i+1 == len(pattern) {
				return nil, fmt.Errorf("Syntax Error: Like pattern must not end with escape character!")
			}
			i++
			lit.WriteByte(pattern[i])
		case '%':
			flush()
			if len(segs[len(segs)-1]) > 0 || len(segs) == 1 {
				segs = append(segs, nil)
			}
		case '_':
			flush()
			last := &segs[len(segs)-1]
			if k := len(*last); k > 0 && (*last)[k-1].skip > 0 {
				(*last)[k-1].skip++
			} else {
				*last = append(*last, likeTok{skip: 1})
			}
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	m := &likeMatcher{kind: likeGeneral, segs: segs}
	simple := true
	for _, s := range segs {
		simple = simple && len(s) <= 1 && (len(s) == 0 || s[0].skip == 0)
	}
	if !simple {
		return m, nil
	}
	litOf := func(s likeSeg) string {
		if len(s) == 0 {
			return ""
		}
		return s[0].lit
	}
	switch {
	case len(segs) == 1:
		m.kind, m.lit = likeExact, litOf(segs[0])
	case len(segs) == 2 && len(segs[0]) == 0 && len(segs[1]) == 0:
		m.kind = likeAny
	case len(segs) == 2 && len(segs[1]) == 0:
		m.kind, m.lit = likePrefix, litOf(segs[0])
	case len(segs) == 2 && len(segs[0]) == 0:
		m.kind, m.lit = likeSuffix, litOf(segs[1])
	case len(segs) == 3 && len(segs[0]) == 0 && len(segs[2]) == 0:
		m.kind, m.lit = likeContains, litOf(segs[1])
	}
	return m, nil
}

// likeEscape quotes s so that it matches itself literally.
func likeEscape(s string) string {
	if !strings.ContainsAny(s, `\%_`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\\' || c == '%' || c == '_' {
			sb.WriteByte('\\')
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

func runeLen(s string, p int) int {
	if s[p] < utf8.RuneSelf {
		return 1
	}
	_, n := utf8.DecodeRuneInString(s[p:])
	return n
}

// matchAt matches the segment starting at byte p and returns where it ends.
func (s likeSeg) matchAt(str string, p int) (int, bool) {
	for _, t := range s {
		if t.skip > 0 {
			for k := 0; k < t.skip; k++ {
				if p >= len(str) {
					return 0, false
				}
				p += runeLen(str, p)
			}
			continue
		}
		if !strings.HasPrefix(str[p:], t.lit) {
			return 0, false
		}
		p += len(t.lit)
	}
	return p, true
}

// matchEnd matches the segment so that it ends at byte e and returns where
// it starts.
func (s likeSeg) matchEnd(str string, e int) (int, bool) {
	for j := len(s) - 1; j >= 0; j-- {
		t := s[j]
		if t.skip > 0 {
			for k := 0; k < t.skip; k++ {
				if e <= 0 {
					return 0, false
				}
				_, n := utf8.DecodeLastRuneInString(str[:e])
				e -= n
			}
			continue
		}
		if !strings.HasSuffix(str[:e], t.lit) {
			return 0, false
		}
		e -= len(t.lit)
	}
	return e, true
}

// find matches the segment at its leftmost position at or after p and
// returns where that match ends.
func (s likeSeg) find(str string, p int) (int, bool) {
	if s[0].skip == 0 {
		lit := s[0].lit
		for p <= len(str) {
			idx := strings.Index(str[p:], lit)
			if idx < 0 {
				return 0, false
			}
			if end, ok := s.matchAt(str, p+idx); ok {
				return end, true
			}
			p += idx + 1
		}
		return 0, false
	}
	for ; p < len(str); p += runeLen(str, p) {
		if end, ok := s.matchAt(str, p); ok {
			return end, true
		}
	}
	return 0, false
}

func (m *likeMatcher) match(s string) bool {
	switch m.kind {
	case likeAny:
		return true
	case likeExact:
		return s == m.lit
	case likePrefix:
		return strings.HasPrefix(s, m.lit)
	case likeSuffix:
		return strings.HasSuffix(s, m.lit)
	case likeContains:
		return strings.Contains(s, m.lit)
	}
	return m.matchGeneral(s)
}

func (m *likeMatcher) matchGeneral(s string) bool {
	segs := m.segs
	p, ok := segs[0].matchAt(s, 0)
	if !ok {
		return false
	}
	if len(segs) == 1 {
		return p == len(s)
	}
	for _, seg := range segs[1 : len(segs)-1] {
		if p, ok = seg.find(s, p); !ok {
			return false
		}
	}
	start, ok := segs[len(segs)-1].matchEnd(s, len(s))
	return ok && start >= p
}

// selectRows writes the live rows whose match result equals want to dst
// (which may alias sel). The shape switch sits outside the loops.
func (m *likeMatcher) selectRows(a []string, sel []int32, n int, dst []int32, want bool) int {
	k := 0
	lit := m.lit
	if sel == nil {
		a = a[:n]
		dst = dst[:n]
		switch m.kind {
		case likeAny:
			for i := range a {
				dst[k] = int32(i)
				k += b2i(want)
			}
		case likeExact:
			for i, x := range a {
				dst[k] = int32(i)
				k += b2i((x == lit) == want)
			}
		case likePrefix:
			for i, x := range a {
				dst[k] = int32(i)
				k += b2i(strings.HasPrefix(x, lit) == want)
			}
		case likeSuffix:
			for i, x := range a {
				dst[k] = int32(i)
				k += b2i(strings.HasSuffix(x, lit) == want)
			}
		case likeContains:
			for i, x := range a {
				dst[k] = int32(i)
				k += b2i(strings.Contains(x, lit) == want)
			}
		default:
			for i, x := range a {
				dst[k] = int32(i)
				k += b2i(m.matchGeneral(x) == want)
			}
		}
		return k
	}
	switch m.kind {
	case likeAny:
		for _, i := range sel {
			dst[k] = i
			k += b2i(want)
		}
	case likeExact:
		for _, i := range sel {
			dst[k] = i
			k += b2i((a[i] == lit) == want)
		}
	case likePrefix:
		for _, i := range sel {
			dst[k] = i
			k += b2i(strings.HasPrefix(a[i], lit) == want)
		}
	case likeSuffix:
		for _, i := range sel {
			dst[k] = i
			k += b2i(strings.HasSuffix(a[i], lit) == want)
		}
	case likeContains:
		for _, i := range sel {
			dst[k] = i
			k += b2i(strings.Contains(a[i], lit) == want)
		}
	default:
		for _, i := range sel {
			dst[k] = i
			k += b2i(m.matchGeneral(a[i]) == want)
		}
	}
	return k
}

// likeNode is [NOT] LIKE producing a BOOLEAN vector.
type likeNode struct {
	x   node
	m   *likeMatcher
	not bool
	res result
	hit []int32
}

func (c *compiler) compileLike(e *expr.Like) (node, error) {
	x, err := c.compile(e.Arg)
	if err != nil {
		return nil, err
	}
	m, err := compileLike(e.Pattern)
	if err != nil {
		return nil, err
	}
	if x.typ().ID == coldata.Unknown || isNullConst(x) {
		return newConst(coldata.TypeBool, coldata.NullDatum), nil
	}
	if x.typ().ID != coldata.String {
		return nil, errorf("LIKE needs a VARCHAR operand, got %s", x.typ())
	}
	return fold(&likeNode{x: x, m: m, not: e.Not}, x), nil
}

func (n *likeNode) typ() coldata.Type { return coldata.TypeBool }

func (n *likeNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(coldata.TypeBool, rows)
	n.res.shareNulls(sel, rows, v, nil)
	// Select the TRUE rows, then scatter: one matcher loop serves both the
	// filter and the value form.
	scatterConst(out.B, false, sel, rows)
	hit := selBuf(&n.hit, liveLen(sel, rows))
	k := n.m.selectRows(v.Str, sel, rows, hit, !n.not)
	for _, i := range hit[:k] {
		out.B[i] = true
	}
	return out, nil
}

// likeSel is [NOT] LIKE as a selector.
type likeSel struct {
	x   node
	m   *likeMatcher
	not bool
}

func (c *compiler) compileLikeSel(e *expr.Like) (selNode, error) {
	n, err := c.compileLike(e)
	if err != nil {
		return nil, err
	}
	if l, ok := n.(*likeNode); ok {
		return &likeSel{x: l.x, m: l.m, not: l.not}, nil
	}
	return c.selFromNode(n, false)
}

func (n *likeSel) cost() int {
	c := 8
	if n.m.kind == likeGeneral {
		c = 20
	}
	return c + exprCost(n.x)
}

func (n *likeSel) sel(b *coldata.Batch, sel []int32, dst []int32) ([]int32, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	if v.Nulls != nil {
		if sel = selectNonNull(v.Nulls, sel, b.N, dst); len(sel) == 0 {
			return sel, nil
		}
	}
	k := n.m.selectRows(v.Str, sel, b.N, dst, !n.not)
	return dst[:k], nil
}
