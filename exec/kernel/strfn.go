package kernel

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// strNode is a string function. Results that are pieces of an input
// (substring, trim, unchanged case) share its bytes; new strings go through
// the node's arena, one allocation per batch.
type strNode struct {
	op    expr.Op
	args  []node
	t     coldata.Type
	pat   *constNode // starts_with/contains: constant second argument
	res   result
	arena strArena
	vs    []*coldata.Vec
}

func (c *compiler) compileStrFunc(e *expr.Func, args []node) (node, error) {
	want := map[expr.Op]coldata.TypeID{
		expr.OpConcat: coldata.String, expr.OpSubstring: coldata.String, expr.OpUpper: coldata.String,
		expr.OpLower: coldata.String, expr.OpTrim: coldata.String, expr.OpLength: coldata.Int64,
		expr.OpStartsWith: coldata.Bool, expr.OpContains: coldata.Bool,
	}[e.Op]
	if e.Typ.ID != want {
		return nil, errorf("%s returns %s, not %s", e.Op, coldata.Type{ID: want}, e.Typ)
	}
	arity := map[expr.Op][2]int{
		expr.OpConcat: {2, 1 << 20}, expr.OpSubstring: {2, 3}, expr.OpStartsWith: {2, 2}, expr.OpContains: {2, 2},
	}[e.Op]
	if arity == [2]int{} {
		arity = [2]int{1, 1}
	}
	if len(args) < arity[0] || len(args) > arity[1] {
		return nil, errorf("%s takes %d to %d arguments, got %d", e.Op, arity[0], arity[1], len(args))
	}
	for i, a := range args {
		t := a.typ()
		if t.ID == coldata.Unknown || isNullConst(a) {
			return newConst(e.Typ, coldata.NullDatum), nil // every string function propagates NULL
		}
		if e.Op == expr.OpSubstring && i > 0 {
			if !t.IsInteger() {
				return nil, errorf("substring positions must be integers, got %s", t)
			}
		} else if t.ID != coldata.String {
			return nil, errorf("%s needs VARCHAR arguments, got %s", e.Op, t)
		}
	}
	n := &strNode{op: e.Op, args: args, t: e.Typ}
	if e.Op == expr.OpStartsWith || e.Op == expr.OpContains {
		n.pat, _ = args[1].(*constNode)
	}
	return fold(n, args...), nil
}

func (n *strNode) typ() coldata.Type { return n.t }

func (n *strNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	vs, err := evalArgs(n.args, b, sel, &n.vs)
	if err != nil {
		return nil, err
	}
	out := n.res.reset(n.t, rows)
	if len(vs) <= 2 {
		var second *coldata.Vec
		if len(vs) == 2 {
			second = vs[1]
		}
		n.res.shareNulls(sel, rows, vs[0], second)
	} else {
		n.res.copyNulls(sel, rows, vs...)
	}
	s := vs[0].Str
	switch n.op {
	case expr.OpLength:
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			out.I64[i] = int64(utf8.RuneCountInString(s[i]))
		}
	case expr.OpTrim:
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			out.Str[i] = trimSpaces(s[i])
		}
	case expr.OpUpper, expr.OpLower:
		n.changeCase(out.Str, s, out.Nulls, sel, rows, n.op == expr.OpUpper)
	case expr.OpConcat:
		n.concat(out.Str, vs, out.Nulls, sel, rows)
	case expr.OpSubstring:
		n.substring(out.Str, vs, sel, rows)
	case expr.OpStartsWith, expr.OpContains:
		n.test(out.B, s, vs[1].Str, sel, rows)
	}
	return out, nil
}

// trimSpaces removes spaces (only ' ', as DuckDB's trim) from both ends.
func trimSpaces(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] == ' ' {
		i++
	}
	for j > i && s[j-1] == ' ' {
		j--
	}
	return s[i:j]
}

func (n *strNode) test(out []bool, s, p []string, sel []int32, rows int) {
	prefix := n.op == expr.OpStartsWith
	if n.pat != nil {
		c := n.pat.d.S
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			if prefix {
				out[i] = strings.HasPrefix(s[i], c)
			} else {
				out[i] = strings.Contains(s[i], c)
			}
		}
		return
	}
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if prefix {
			out[i] = strings.HasPrefix(s[i], p[i])
		} else {
			out[i] = strings.Contains(s[i], p[i])
		}
	}
}

// changeCase maps ASCII strings through the arena and returns unchanged ones
// as they are; only non-ASCII values pay for strings.ToUpper/ToLower.
func (n *strNode) changeCase(out, s []string, nulls []bool, sel []int32, rows int, upper bool) {
	a := &n.arena
	a.reset(rows)
	lo, hi, flip := byte('a'), byte('z'), byte(0x20)
	if !upper {
		lo, hi = 'A', 'Z'
	}
	for k := 0; k < liveLen(sel, rows); k++ {
		i := int32(rowAt(sel, k))
		a.skip(i)
		if nulls != nil && nulls[i] {
			continue
		}
		x := s[i]
		ascii, change := true, false
		for j := 0; j < len(x); j++ {
			c := x[j]
			ascii = ascii && c < utf8.RuneSelf
			change = change || (c >= lo && c <= hi)
		}
		switch {
		case !ascii && upper:
			out[i] = strings.ToUpper(x)
		case !ascii:
			out[i] = strings.ToLower(x)
		case !change:
			out[i] = x
		default:
			start := len(a.buf)
			for j := 0; j < len(x); j++ {
				c := x[j]
				if c >= lo && c <= hi {
					c ^= flip
				}
				a.buf = append(a.buf, c)
			}
			a.mark(i, start)
		}
	}
	a.finish(out, sel, rows)
}

func (n *strNode) concat(out []string, vs []*coldata.Vec, nulls []bool, sel []int32, rows int) {
	a := &n.arena
	a.reset(rows)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := int32(rowAt(sel, k))
		if nulls != nil && nulls[i] {
			a.skip(i)
			continue
		}
		start := len(a.buf)
		for _, v := range vs {
			a.buf = append(a.buf, v.Str[i]...)
		}
		a.mark(i, start)
	}
	a.finish(out, sel, rows)
}

func (n *strNode) substring(out []string, vs []*coldata.Vec, sel []int32, rows int) {
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		length, hasLen := int64(math.MaxInt64), len(vs) == 3
		if hasLen {
			length = intAt(vs[2], i)
		}
		out[i] = substring(vs[0].Str[i], intAt(vs[1], i), length)
	}
}

// substring follows DuckDB on characters: start is 1-based, 0 means one
// before the first character (so it eats one unit of length), a negative
// start counts from the end, and a negative length takes characters before
// start.
func substring(s string, offset, length int64) string {
	if offset >= 0 && length > 0 {
		// The common case only walks the characters it returns.
		if offset == 0 {
			length--
		} else {
			offset--
		}
		p := advance(s, 0, offset)
		return s[p:advance(s, p, length)]
	}
	ascii := true
	for j := 0; j < len(s); j++ {
		if s[j] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	size := int64(len(s))
	if !ascii {
		size = int64(utf8.RuneCountInString(s))
	}
	if length == 0 {
		return ""
	}
	length = max(length, -math.MaxInt64) // so that length-- below cannot wrap
	var start, end int64
	switch {
	case offset > 0:
		start = min(size, offset-1)
	case offset < 0:
		start = max(size+offset, 0)
	default:
		if length--; length <= 0 {
			return ""
		}
	}
	if length > 0 {
		end = size
		if length < size-start {
			end = start + length
		}
	} else {
		end = start
		start = max(0, start+length)
	}
	if start >= end {
		return ""
	}
	if ascii {
		return s[start:end]
	}
	return s[charOffset(s, start):charOffset(s, end)]
}

// advance returns the byte offset n characters after byte p (or the end).
func advance(s string, p int, n int64) int {
	for ; n > 0 && p < len(s); n-- {
		if s[p] < utf8.RuneSelf {
			p++
		} else {
			p += runeLen(s, p)
		}
	}
	return p
}

// charOffset is the byte offset of character c.
func charOffset(s string, c int64) int {
	p := 0
	for ; c > 0 && p < len(s); c-- {
		p += runeLen(s, p)
	}
	return p
}

// intAt reads row i of an Int32 or Int64 vector.
func intAt(v *coldata.Vec, i int) int64 {
	if v.Type.ID == coldata.Int32 {
		return int64(v.I32[i])
	}
	return v.I64[i]
}
