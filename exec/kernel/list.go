package kernel

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// Kernels that build lists. Most of them describe each output row as a
// run of positions into one source vector (the input's elements, or
// several inputs stacked) and gather the elements once per batch with
// CopyFrom, so every element type, nested ones included, takes the same
// vectorised path.

// listOut assembles a list vector: row i holds src[idx[...]] for the
// positions added between start(i) and end(i). Rows may come in any order
// (selections need not ascend); rows never started are empty lists.
type listOut struct {
	idx      []int32
	begin    []int32 // per row: where its positions start in idx
	size     []int32 // per row: how many
	nulls    []bool
	anyNull  bool
	last     int
	ordered  bool // rows came in ascending order: idx is already in row order
	offs     []int32
	gathered []int32
	child    coldata.Vec
	out      coldata.Vec
}

func (o *listOut) reset(n int) {
	o.idx = o.idx[:0]
	o.begin = coldata.Grow(o.begin, n)
	o.size = coldata.Grow(o.size, n)
	clear(o.size)
	o.nulls = coldata.Grow(o.nulls, n)
	clear(o.nulls)
	o.anyNull, o.last, o.ordered = false, -1, true
}

func (o *listOut) start(i int) {
	o.ordered = o.ordered && i > o.last
	o.last = i
	o.begin[i] = int32(len(o.idx))
}

func (o *listOut) end(i int) { o.size[i] = int32(len(o.idx)) - o.begin[i] }

func (o *listOut) null(i int) {
	o.start(i)
	o.end(i)
	o.nulls[i], o.anyNull = true, true
}

// add appends positions lo..hi-1 (hi < lo appends them in reverse).
func (o *listOut) add(lo, hi int32) {
	if lo <= hi {
		for j := lo; j < hi; j++ {
			o.idx = append(o.idx, j)
		}
		return
	}
	for j := lo - 1; j >= hi; j-- {
		o.idx = append(o.idx, j)
	}
}

// finish gathers the elements from src and returns the list vector of type t.
func (o *listOut) finish(t coldata.Type, src *coldata.Vec, n int) *coldata.Vec {
	o.offs = coldata.Grow(o.offs, n+1)
	o.offs[0] = 0
	idx := o.idx
	if !o.ordered {
		o.gathered = o.gathered[:0]
		for i := 0; i < n; i++ {
			o.gathered = append(o.gathered, o.idx[o.begin[i]:o.begin[i]+o.size[i]]...)
		}
		idx = o.gathered
	}
	for i := 0; i < n; i++ {
		o.offs[i+1] = o.offs[i] + o.size[i]
	}
	o.child.Type = t.Nest.Elem
	o.child.Resize(len(idx))
	if len(idx) > 0 {
		o.child.CopyFrom(src, idx, len(idx), 0)
	}
	o.out = coldata.Vec{Type: t, Offsets: o.offs[:n+1], Child: []*coldata.Vec{&o.child}}
	if o.anyNull {
		o.out.Nulls = o.nulls[:n]
	}
	return &o.out
}

// stack returns the rows of vs one after another in one vector of type t
// (the sources of list_value, list_concat, list_append).
func stack(dst *coldata.Vec, t coldata.Type, vs []*coldata.Vec, lens []int) *coldata.Vec {
	*dst = coldata.Vec{Type: t}
	dst.Resize(0)
	for k, v := range vs {
		if lens[k] > 0 {
			dst.AppendRows(v, nil, lens[k])
		}
	}
	return dst
}

// listValueNode is list_value(a, b, ...) and [a, b, ...].
type listValueNode struct {
	args []node
	t    coldata.Type
	vs   []*coldata.Vec
	lens []int
	st   coldata.Vec
	o    listOut
}

func (n *listValueNode) typ() coldata.Type { return n.t }

func (n *listValueNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	n.vs, n.lens = n.vs[:0], n.lens[:0]
	for _, a := range n.args {
		v, err := a.eval(b, sel)
		if err != nil {
			return nil, err
		}
		n.vs, n.lens = append(n.vs, v), append(n.lens, b.N)
	}
	src := stack(&n.st, n.t.Nest.Elem, n.vs, n.lens)
	n.o.reset(b.N)
	each(sel, b.N, func(i int) {
		n.o.start(i)
		for k := range n.args {
			n.o.idx = append(n.o.idx, int32(k*b.N+i))
		}
		n.o.end(i)
	})
	return n.o.finish(n.t, src, b.N), nil
}

// structPackNode is struct_pack(a := x, ...) and {'a': x, ...}: the
// fields are the argument vectors themselves.
type structPackNode struct {
	args []node
	t    coldata.Type
	out  coldata.Vec
}

func (n *structPackNode) typ() coldata.Type { return n.t }

func (n *structPackNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	n.out = coldata.Vec{Type: n.t, SLen: b.N, Child: make([]*coldata.Vec, len(n.args))}
	for k, a := range n.args {
		v, err := a.eval(b, sel)
		if err != nil {
			return nil, err
		}
		n.out.Child[k] = v
	}
	return &n.out, nil
}

// listShapeNode is the family of functions whose output row is a run of
// positions into the input list's elements: slices, reverse, sort,
// distinct, flatten.
type listShapeNode struct {
	argv   []*coldata.Vec // the arguments of the batch (evalArgs)
	op     expr.Op
	args   []node
	t      coldata.Type
	desc   bool // list_sort: descending
	nullsF bool // list_sort: NULLs first
	o      listOut
	perm   []int32
}

func (n *listShapeNode) typ() coldata.Type { return n.t }

func (n *listShapeNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	vs, err := evalArgs(n.args, b, sel, &n.argv)
	if err != nil {
		return nil, err
	}
	l := vs[0]
	src := l.Child[0]
	if n.op == expr.OpFlatten {
		src = src.Child[0]
	}
	n.o.reset(b.N)
	each(sel, b.N, func(i int) {
		for _, v := range vs {
			if v.IsNull(i) {
				n.o.null(i)
				return
			}
		}
		n.o.start(i)
		lo, hi := l.Offsets[i], l.Offsets[i+1]
		switch n.op {
		case expr.OpListSlice:
			lo, hi = sliceBounds(lo, hi, vs[1].I64[i], vs[2].I64[i])
			n.o.add(lo, hi)
		case expr.OpListReverse:
			n.o.add(hi, lo)
		case expr.OpFlatten:
			inner := l.Child[0]
			for j := lo; j < hi; j++ {
				if !inner.IsNull(int(j)) {
					n.o.add(inner.Offsets[j], inner.Offsets[j+1])
				}
			}
		case expr.OpListSort:
			n.perm = sortedPositions(n.perm[:0], src, lo, hi, n.desc, n.nullsF)
			n.o.idx = append(n.o.idx, n.perm...)
		case expr.OpListDistinct:
			n.perm = sortedPositions(n.perm[:0], src, lo, hi, false, false)
			n.o.idx = appendDistinct(n.o.idx, n.perm, src)
		}
		n.o.end(i)
	})
	return n.o.finish(n.t, src, b.N), nil
}

// sliceBounds maps DuckDB's 1-based inclusive bounds (negative from the
// end, clamped to the list) to element positions [lo, hi).
func sliceBounds(lo, hi int32, begin, end int64) (int32, int32) {
	size := int64(hi - lo)
	if begin < 0 {
		begin += size + 1
	}
	if end < 0 {
		end += size + 1
	}
	begin = max(begin, 1)
	end = min(end, size)
	if begin > end {
		return lo, lo
	}
	return lo + int32(begin-1), lo + int32(end)
}

// listCombineNode is list_concat (||), list_append and list_prepend: the
// output rows take runs from two stacked sources.
type listCombineNode struct {
	op expr.Op
	// strict: || is NULL when either side is; list_concat takes a NULL
	// list as empty.
	strict bool
	a, b   node
	t      coldata.Type
	st     coldata.Vec
	o      listOut
}

func (n *listCombineNode) typ() coldata.Type { return n.t }

func (n *listCombineNode) eval(bt *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	x, err := n.a.eval(bt, sel)
	if err != nil {
		return nil, err
	}
	y, err := n.b.eval(bt, sel)
	if err != nil {
		return nil, err
	}
	// part returns the source vector of an argument and how many rows of
	// it are stacked: a list contributes its elements, an element itself.
	part := func(v *coldata.Vec) (*coldata.Vec, int) {
		if v.Type.ID == coldata.List {
			return v.Child[0], int(v.Offsets[bt.N])
		}
		return v, bt.N
	}
	xs, xn := part(x)
	ys, yn := part(y)
	src := stack(&n.st, n.t.Nest.Elem, []*coldata.Vec{xs, ys}, []int{xn, yn})
	n.o.reset(bt.N)
	run := func(v *coldata.Vec, i int, base int32) {
		if v.Type.ID != coldata.List {
			n.o.idx = append(n.o.idx, base+int32(i))
		} else if !v.IsNull(i) {
			n.o.add(base+v.Offsets[i], base+v.Offsets[i+1])
		}
	}
	each(sel, bt.N, func(i int) {
		if n.strict && (x.IsNull(i) || y.IsNull(i)) {
			n.o.null(i)
			return
		}
		n.o.start(i)
		run(x, i, 0)
		run(y, i, int32(xn))
		n.o.end(i)
	})
	return n.o.finish(n.t, src, bt.N), nil
}

// rangeNode is range(start, stop, step) and generate_series (stop
// included) as list values.
type rangeNode struct {
	argv      []*coldata.Vec // the arguments of the batch (evalArgs)
	args      []node
	inclusive bool
	vals      coldata.Vec
	o         listOut
}

// maxRangeElems bounds the lists of one batch: a typo must not exhaust memory.
const maxRangeElems = 1 << 28

func (n *rangeNode) typ() coldata.Type { return coldata.ListType(coldata.TypeInt64) }

func (n *rangeNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	vs, err := evalArgs(n.args, b, sel, &n.argv)
	if err != nil {
		return nil, err
	}
	n.o.reset(b.N)
	vals := n.vals.I64[:0]
	each(sel, b.N, func(i int) {
		for _, v := range vs {
			if v.IsNull(i) {
				n.o.null(i)
				return
			}
		}
		n.o.start(i)
		defer n.o.end(i)
		start, stop, step := vs[0].I64[i], vs[1].I64[i], vs[2].I64[i]
		if step == 0 {
			return // DuckDB: an empty list
		}
		for v := start; step > 0 && (v < stop || n.inclusive && v == stop) || step < 0 && (v > stop || n.inclusive && v == stop); v += step {
			if len(vals) >= maxRangeElems {
				err = invalidInputf("range and generate_series produce at most %d elements per batch", maxRangeElems)
				return
			}
			n.o.idx = append(n.o.idx, int32(len(vals)))
			vals = append(vals, v)
			if v+step < v != (step < 0) { // the next value would overflow
				break
			}
		}
	})
	if err != nil {
		return nil, err
	}
	n.vals = coldata.Vec{Type: coldata.TypeInt64, I64: vals}
	return n.o.finish(n.typ(), &n.vals, b.N), nil
}
