package kernel

import (
	"slices"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// inSet is an IN list built once at compile time. Every non-string type is
// keyed as int64 (doubles through floatKey, so NaN finds NaN and -0 finds 0).
// Short lists are scanned; lists over a narrow range become a bitmap, one
// shift and mask per probe; the rest are searched in a sorted slice. Strings
// use a map beyond a handful.
type inSet struct {
	kind   inKind
	ints   []int64 // linear / sorted
	lo     int64   // bitmap: bit v-lo
	span   uint64
	bits   []uint64
	strs   []string
	strMap map[string]struct{}
	huge   map[coldata.Int128]struct{} // HUGEINT lists
}

type inKind uint8

const (
	inLinear inKind = iota
	inBitmap
	inSorted
	inStrLinear
	inStrMap
)

const (
	inLinearMax = 8
	inBitmapMax = 1 << 16 // bits: 8 KiB
)

func newInSet(t coldata.Type, list []coldata.Datum) *inSet {
	s := &inSet{}
	if physOf(t) == physI128 {
		s.huge = make(map[coldata.Int128]struct{}, len(list))
		for _, d := range list {
			if !d.Null {
				s.huge[d.Int128()] = struct{}{}
			}
		}
		return s
	}
	if physOf(t) == physStr {
		for _, d := range list {
			if !d.Null {
				s.strs = append(s.strs, d.S)
			}
		}
		s.kind = inStrLinear
		if len(s.strs) > inLinearMax {
			s.kind = inStrMap
			s.strMap = make(map[string]struct{}, len(s.strs))
			for _, x := range s.strs {
				s.strMap[x] = struct{}{}
			}
		}
		return s
	}
	for _, d := range list {
		if d.Null {
			continue
		}
		switch physOf(t) {
		case physBool:
			s.ints = append(s.ints, int64(b2i(d.B)))
		case physI32:
			s.ints = append(s.ints, int64(int32(d.I)))
		case physF64:
			s.ints = append(s.ints, floatKey(d.F))
		default:
			s.ints = append(s.ints, d.I)
		}
	}
	slices.Sort(s.ints)
	s.ints = slices.Compact(s.ints)
	if len(s.ints) <= inLinearMax {
		return s
	}
	lo, hi := s.ints[0], s.ints[len(s.ints)-1]
	if span := uint64(hi) - uint64(lo); span < inBitmapMax {
		s.kind, s.lo, s.span = inBitmap, lo, span
		s.bits = make([]uint64, span/64+1)
		for _, v := range s.ints {
			u := uint64(v) - uint64(lo)
			s.bits[u>>6] |= 1 << (u & 63)
		}
		return s
	}
	s.kind = inSorted
	return s
}

func (s *inSet) hasLinear(x int64) bool {
	for _, v := range s.ints {
		if v == x {
			return true
		}
	}
	return false
}

func (s *inSet) hasBitmap(x int64) bool {
	u := uint64(x) - uint64(s.lo)
	return u <= s.span && s.bits[u>>6]&(1<<(u&63)) != 0
}

func (s *inSet) hasSorted(x int64) bool {
	_, ok := slices.BinarySearch(s.ints, x)
	return ok
}

func (s *inSet) hasStr(x string) bool {
	if s.kind == inStrMap {
		_, ok := s.strMap[x]
		return ok
	}
	for _, v := range s.strs {
		if v == x {
			return true
		}
	}
	return false
}

// inInts writes the live rows whose membership equals want to dst (which may
// alias sel).
func inInts[T uint8 | int32 | int64](s *inSet, a []T, sel []int32, n int, dst []int32, want bool) int {
	k := 0
	switch s.kind {
	case inLinear:
		for j := 0; j < liveLen(sel, n); j++ {
			i := int32(rowAt(sel, j))
			dst[k] = i
			k += b2i(s.hasLinear(int64(a[i])) == want)
		}
	case inBitmap:
		if sel == nil {
			for i, x := range a[:n] {
				dst[k] = int32(i)
				k += b2i(s.hasBitmap(int64(x)) == want)
			}
			return k
		}
		for _, i := range sel {
			dst[k] = i
			k += b2i(s.hasBitmap(int64(a[i])) == want)
		}
	default:
		for j := 0; j < liveLen(sel, n); j++ {
			i := int32(rowAt(sel, j))
			dst[k] = i
			k += b2i(s.hasSorted(int64(a[i])) == want)
		}
	}
	return k
}

func inStrs(s *inSet, a []string, sel []int32, n int, dst []int32, want bool) int {
	k := 0
	if sel == nil {
		for i, x := range a[:n] {
			dst[k] = int32(i)
			k += b2i(s.hasStr(x) == want)
		}
		return k
	}
	for _, i := range sel {
		dst[k] = i
		k += b2i(s.hasStr(a[i]) == want)
	}
	return k
}

func inHuge(s *inSet, a []coldata.Int128, sel []int32, n int, dst []int32, want bool) int {
	k := 0
	for j := 0; j < liveLen(sel, n); j++ {
		i := rowAt(sel, j)
		_, hit := s.huge[a[i]]
		dst[k] = int32(i)
		k += b2i(hit == want)
	}
	return k
}

// inNode is [NOT] IN producing a BOOLEAN vector.
type inNode struct {
	x       node
	set     *inSet
	not     bool
	hasNull bool
	res     result
	hit     []int32
	keys    []int64
}

func (c *compiler) compileIn(e *expr.In) (node, error) {
	x, err := c.compile(e.Arg)
	if err != nil {
		return nil, err
	}
	t := x.typ()
	if t.ID == coldata.Unknown || isNullConst(x) {
		return newConst(coldata.TypeBool, coldata.NullDatum), nil
	}
	if physOf(t) == physNone {
		return nil, errorf("IN on %s", t)
	}
	n := &inNode{x: x, set: newInSet(t, e.List), not: e.Not, hasNull: e.HasNull}
	for _, d := range e.List {
		n.hasNull = n.hasNull || d.Null
	}
	return fold(n, x), nil
}

func (n *inNode) typ() coldata.Type { return coldata.TypeBool }

// matchRows writes the live rows of v that are in the set (membership ==
// want) to dst.
func (n *inNode) matchRows(v *coldata.Vec, sel []int32, rows int, dst []int32, want bool) int {
	switch physOf(v.Type) {
	case physBool:
		return inInts(n.set, boolBytes(v.B), sel, rows, dst, want)
	case physI32:
		return inInts(n.set, v.I32, sel, rows, dst, want)
	case physI64:
		return inInts(n.set, v.I64, sel, rows, dst, want)
	case physF64:
		n.keys = coldata.Grow(n.keys, rows)
		floatKeys(n.keys, v.F64, sel, rows)
		return inInts(n.set, n.keys, sel, rows, dst, want)
	case physI128:
		return inHuge(n.set, v.I128, sel, rows, dst, want)
	}
	return inStrs(n.set, v.Str, sel, rows, dst, want)
}

func (n *inNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(coldata.TypeBool, rows)
	scatterConst(out.B, n.not, sel, rows)
	hit := selBuf(&n.hit, liveLen(sel, rows))
	hit = hit[:n.matchRows(v, sel, rows, hit, true)]
	for _, i := range hit {
		out.B[i] = !n.not
	}
	if !n.hasNull {
		n.res.shareNulls(sel, rows, v, nil)
		return out, nil
	}
	// A list NULL makes every non-match NULL.
	nulls := n.res.ownNulls(rows)
	scatterConst(nulls, true, sel, rows)
	for _, i := range hit {
		nulls[i] = false
	}
	if v.Nulls != nil {
		orInto(nulls, v.Nulls, sel, rows)
	}
	return out, nil
}

// inSel is [NOT] IN as a selector.
type inSel struct {
	*inNode
}

func (c *compiler) compileInSel(e *expr.In) (selNode, error) {
	n, err := c.compileIn(e)
	if err != nil {
		return nil, err
	}
	in, ok := n.(*inNode)
	if !ok {
		return c.selFromNode(n, false)
	}
	if in.not && in.hasNull {
		return &selConst{keep: false}, nil // NOT IN (..., NULL) is never TRUE
	}
	return &inSel{in}, nil
}

func (n *inSel) cost() int {
	c := 5
	if n.set.kind >= inStrLinear {
		c = 8
	}
	return c + exprCost(n.x)
}

func (n *inSel) sel(b *coldata.Batch, sel []int32, dst []int32) ([]int32, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	if v.Nulls != nil {
		if sel = selectNonNull(v.Nulls, sel, b.N, dst); len(sel) == 0 {
			return sel, nil
		}
	}
	k := n.matchRows(v, sel, b.N, dst, !n.not)
	return dst[:k], nil
}
