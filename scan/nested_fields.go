package scan

import "strings"

// WithFields returns a view of f that reads, of each nested column col in
// fields, only the leaves under the given paths (field names from the
// column down, e.g. {"a"} or {"c", "d"}; "*" steps into a list's element
// and a final "#len" needs only a list's lengths, i.e. one leaf); the other
// fields of those columns read as NULL. A query that uses only s.a then fetches and decodes only
// the column chunks of s.a (projection of single leaves). Paths that do
// not name struct fields all the way down keep the whole column. The view
// shares f's footer and reader; closing it does nothing.
func (f *File) WithFields(fields map[int][][]string) *File {
	want := map[int][]bool{}
	for col, paths := range fields {
		if col < 0 || col >= len(f.nested) || f.nested[col] == nil {
			continue
		}
		nc := f.nested[col]
		mask := make([]bool, len(nc.leaves))
		all := false
		for _, p := range paths {
			n := nc.root
			one := false
			for _, name := range p {
				switch {
				case name == "#len" && (n.kind == nkList || n.kind == nkMap):
					one = true // offsets only: any one leaf has them
				case name == "*" && n.kind == nkList:
					n = n.children[0]
				default:
					n = structChild(n, name)
				}
				if n == nil {
					break
				}
			}
			if n == nil {
				all = true
				break
			}
			if one {
				mask[n.first] = true
				continue
			}
			for i := n.first; i < n.first+countLeaves(n); i++ {
				mask[i] = true
			}
		}
		if !all {
			want[col] = mask
		}
	}
	v := *f
	v.closer = nil
	v.fieldWant = want
	return &v
}

func structChild(n *nestNode, name string) *nestNode {
	if n.kind != nkStruct {
		return nil
	}
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	for _, c := range n.children {
		if strings.EqualFold(c.name, name) {
			return c
		}
	}
	return nil
}
