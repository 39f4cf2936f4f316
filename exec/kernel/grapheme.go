package kernel

import (
	"unsafe"

	"github.com/rivo/uniseg"
)

// The _grapheme string functions count grapheme clusters (what a reader
// sees as one character: 🤦🏼‍♂️, e + combining accent, \r\n) instead of code
// points. Segmentation is uniseg's (Unicode's UAX #29); the positional
// rules are the character functions' own, applied to a stand-in string
// with one byte per cluster whose result is mapped back to the clusters'
// byte offsets.

type graphemes struct {
	offs []int  // byte offset of each cluster, then len(s)
	sur  []byte // the stand-in: one byte per cluster
}

// simple reports whether every cluster of s is one byte: ASCII without
// \r (which pairs with \n).
func simpleGraphemes(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == '\r' {
			return false
		}
	}
	return true
}

// split fills g.offs for s and returns the stand-in.
func (g *graphemes) split(s string) string {
	g.offs = g.offs[:0]
	state := -1
	for off, rest := 0, s; rest != ""; {
		g.offs = append(g.offs, off)
		var c string
		c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		off += len(c)
	}
	g.offs = append(g.offs, len(s))
	n := len(g.offs) - 1
	for len(g.sur) < n {
		g.sur = append(g.sur, 'x')
	}
	return unsafe.String(unsafe.SliceData(g.sur), n)
}

// count is length_grapheme.
func (g *graphemes) count(s string) int64 {
	if simpleGraphemes(s) {
		return int64(len(s))
	}
	return int64(len(g.split(s)))
}

// appendReverse appends s with its clusters in reverse order.
func (g *graphemes) appendReverse(buf []byte, s string) []byte {
	if simpleGraphemes(s) {
		for k := len(s) - 1; k >= 0; k-- {
			buf = append(buf, s[k])
		}
		return buf
	}
	g.split(s)
	for k := len(g.offs) - 2; k >= 0; k-- {
		buf = append(buf, s[g.offs[k]:g.offs[k+1]]...)
	}
	return buf
}

// apply runs a character function f on the clusters of s.
func (g *graphemes) apply(s string, f func(string) string) string {
	if simpleGraphemes(s) {
		return f(s)
	}
	sur := g.split(s)
	r := f(sur)
	if r == "" {
		return ""
	}
	from := int(uintptr(unsafe.Pointer(unsafe.StringData(r))) - uintptr(unsafe.Pointer(unsafe.StringData(sur))))
	return s[g.offs[from]:g.offs[from+len(r)]]
}
