package kernel

import (
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// DuckDB's path functions. seps holds the separator characters the
// binder chose ("/", "\\" or both); results share the path's bytes.

func isSep(c byte, seps string) bool { return strings.IndexByte(seps, c) >= 0 }

// parseDirname is the top-level directory: the separator itself for a
// rooted path, ” for a bare file name.
func parseDirname(s, seps string) string {
	if s == "" {
		return ""
	}
	if isSep(s[0], seps) {
		return s[:1]
	}
	if k := strings.IndexAny(s, seps); k >= 0 {
		return s[:k]
	}
	return ""
}

// parseDirpath is everything before the last separator (the root
// separator when that is the only one).
func parseDirpath(s, seps string) string {
	k := strings.LastIndexAny(s, seps)
	switch {
	case k < 0:
		return ""
	case k == 0:
		return s[:1]
	}
	return s[:k]
}

// parseFilename is the part after the last separator, without its
// extension (from the last dot) when trim is set.
func parseFilename(s, seps string, trim bool) string {
	f := s[strings.LastIndexAny(s, seps)+1:]
	if trim {
		if k := strings.LastIndexByte(f, '.'); k >= 0 {
			f = f[:k]
		}
	}
	return f
}

// parsePathNode is parse_path(path, separators): the components without
// empty ones, a rooted path's first being its separator.
type parsePathNode struct {
	path, seps node
	o          listOut
	parts      coldata.Vec
}

func (n *parsePathNode) typ() coldata.Type { return coldata.ListType(coldata.TypeString) }

func (n *parsePathNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	p, err := n.path.eval(b, sel)
	if err != nil {
		return nil, err
	}
	sv, err := n.seps.eval(b, sel)
	if err != nil {
		return nil, err
	}
	n.o.reset(b.N)
	strs := n.parts.Str[:0]
	for k := 0; k < liveLen(sel, b.N); k++ {
		i := rowAt(sel, k)
		if p.IsNull(i) || sv.IsNull(i) {
			n.o.null(i)
			continue
		}
		n.o.start(i)
		s, seps := p.Str[i], sv.Str[i]
		if s != "" && isSep(s[0], seps) {
			n.o.idx = append(n.o.idx, int32(len(strs)))
			strs = append(strs, s[:1])
		}
		start := 0
		for j := 0; j <= len(s); j++ {
			if j < len(s) && !isSep(s[j], seps) {
				continue
			}
			if j > start {
				n.o.idx = append(n.o.idx, int32(len(strs)))
				strs = append(strs, s[start:j])
			}
			start = j + 1
		}
		n.o.end(i)
	}
	n.parts = coldata.Vec{Type: coldata.TypeString, Str: strs}
	return n.o.finish(n.typ(), &n.parts, b.N), nil
}
