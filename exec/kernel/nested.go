package kernel

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// Kernels on nested values: struct field access, list element and length,
// map lookup. Struct fields are zero-copy views of the struct's child with
// the struct's NULLs folded in; elements are gathered from the child.

func (c *compiler) compileNested(e *expr.Func) (node, error) {
	if e.Op.IsStrMoreOp() {
		return c.compileRegexpAll(e)
	}
	if e.Op >= expr.OpListValue && e.Op != expr.OpNestedSortKey {
		return c.compileList(e)
	}
	if e.Op == expr.OpNestedDecode && len(e.Args) == 1 {
		// A filter pushed below a join's encoding reads the value itself.
		if in, ok := e.Args[0].(*expr.Func); ok && in.Op == expr.OpNestedEncode && len(in.Args) == 1 && in.Args[0].Type().Equal(e.Typ) {
			return c.compile(in.Args[0])
		}
	}
	args, err := c.compileArgs(e.Args)
	if err != nil {
		return nil, err
	}
	want := func(n int) error {
		if len(args) != n {
			return errorf("%s takes %d arguments, got %d", e.Op, n, len(args))
		}
		return nil
	}
	switch e.Op {
	case expr.OpStructExtract:
		if err := want(2); err != nil {
			return nil, err
		}
		st := args[0].typ()
		name, ok := e.Args[1].(*expr.Const)
		if st.ID != coldata.Struct || !ok || name.Typ.ID != coldata.String {
			return nil, errorf("struct_extract takes (STRUCT, constant VARCHAR), got (%s, %s)", st, args[1].typ())
		}
		k := st.FieldIndex(name.Val.S)
		if k < 0 {
			return nil, fmt.Errorf("Binder Error: Could not find key %q in struct", name.Val.S)
		}
		return &structFieldNode{arg: args[0], k: k, t: st.Nest.Fields[k].Type}, nil
	case expr.OpListLength:
		if err := want(1); err != nil {
			return nil, err
		}
		if t := args[0].typ(); t.ID != coldata.List && t.ID != coldata.Map {
			return nil, errorf("len takes a LIST, got %s", t)
		}
		return &listLenNode{arg: args[0]}, nil
	case expr.OpListElement:
		if err := want(2); err != nil {
			return nil, err
		}
		lt := args[0].typ()
		if lt.ID != coldata.List || args[1].typ().ID != coldata.Int64 {
			return nil, errorf("list_element takes (LIST, BIGINT), got (%s, %s)", lt, args[1].typ())
		}
		return &elemNode{list: args[0], idx: args[1], t: lt.Nest.Elem}, nil
	case expr.OpMapElement:
		if err := want(2); err != nil {
			return nil, err
		}
		mt := args[0].typ()
		if mt.ID != coldata.Map || !args[1].typ().Equal(mt.Nest.Key) {
			return nil, errorf("map_extract takes (MAP, key), got (%s, %s)", mt, args[1].typ())
		}
		return &elemNode{list: args[0], idx: args[1], t: mt.Nest.Value, isMap: true}, nil
	case expr.OpListContains:
		if err := want(2); err != nil {
			return nil, err
		}
		lt := args[0].typ()
		if lt.ID != coldata.List || !args[1].typ().Equal(lt.Nest.Elem) || lt.Nest.Elem.IsNested() {
			return nil, errorf("list_contains takes (LIST, element), got (%s, %s)", lt, args[1].typ())
		}
		return &containsNode{list: args[0], x: args[1]}, nil
	case expr.OpMapKeys, expr.OpMapValues:
		if err := want(1); err != nil {
			return nil, err
		}
		if args[0].typ().ID != coldata.Map {
			return nil, errorf("%s takes a MAP, got %s", e.Op, args[0].typ())
		}
		k := 0
		if e.Op == expr.OpMapValues {
			k = 1
		}
		return &mapPartNode{arg: args[0], k: k, t: e.Typ}, nil
	case expr.OpNestedEncode:
		if err := want(1); err != nil {
			return nil, err
		}
		return &encodeNode{arg: args[0]}, nil
	case expr.OpNestedSortKey:
		if err := want(1); err != nil {
			return nil, err
		}
		if !SortKeyable(args[0].typ()) {
			return nil, errorf("__nested_sort_key cannot order %s", args[0].typ())
		}
		return &sortKeyNode{arg: args[0]}, nil
	case expr.OpNestedDecode:
		if err := want(1); err != nil {
			return nil, err
		}
		if args[0].typ().ID != coldata.String || !e.Typ.IsNested() {
			return nil, errorf("__nested_decode takes VARCHAR to a nested type, got %s to %s", args[0].typ(), e.Typ)
		}
		return &decodeNode{arg: args[0], t: e.Typ}, nil
	}
	return nil, errorf("unsupported operator %s", e.Op)
}

// mapPartNode views a map's keys or values as a list (zero copy: the
// map's offsets and child).
type mapPartNode struct {
	arg node
	k   int
	t   coldata.Type
	out coldata.Vec
}

func (n *mapPartNode) typ() coldata.Type { return n.t }

func (n *mapPartNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.arg.eval(b, sel)
	if err != nil {
		return nil, err
	}
	n.out = coldata.Vec{Type: n.t, Nulls: v.Nulls, Offsets: v.Offsets, Child: []*coldata.Vec{v.Child[n.k]}}
	return &n.out, nil
}

// containsNode is list_contains(l, x): NULL when l or x is NULL.
type containsNode struct {
	list, x node
	out     coldata.Vec
}

func (n *containsNode) typ() coldata.Type { return coldata.TypeBool }

func (n *containsNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.list.eval(b, sel)
	if err != nil {
		return nil, err
	}
	x, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	n.out.Type = coldata.TypeBool
	n.out.Resize(b.N)
	out := n.out.B
	et := v.Type.Nest.Elem
	c := v.Child[0]
	each(sel, b.N, func(i int) {
		if v.IsNull(i) || x.IsNull(i) {
			n.out.SetNull(i)
			return
		}
		want := x.Get(i)
		out[i] = false
		for j := v.Offsets[i]; j < v.Offsets[i+1]; j++ {
			if !c.IsNull(int(j)) && coldata.Compare(et, c.Get(int(j)), want) == 0 {
				out[i] = true
				return
			}
		}
	})
	return &n.out, nil
}

type structFieldNode struct {
	arg   node
	k     int
	t     coldata.Type
	out   coldata.Vec
	nulls []bool
}

func (n *structFieldNode) typ() coldata.Type { return n.t }

func (n *structFieldNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.arg.eval(b, sel)
	if err != nil {
		return nil, err
	}
	f := v.Child[n.k]
	if v.Nulls == nil {
		return f, nil
	}
	n.out = *f
	n.nulls = coldata.Grow(n.nulls, b.N)
	for i := range n.nulls {
		n.nulls[i] = v.Nulls[i] || f.IsNull(i)
	}
	n.out.Nulls = n.nulls
	return &n.out, nil
}

type listLenNode struct {
	arg node
	out coldata.Vec
}

func (n *listLenNode) typ() coldata.Type { return coldata.TypeInt64 }

func (n *listLenNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.arg.eval(b, sel)
	if err != nil {
		return nil, err
	}
	n.out.Type = coldata.TypeInt64
	n.out.Resize(b.N)
	out := n.out.I64
	each(sel, b.N, func(i int) {
		if v.IsNull(i) {
			n.out.SetNull(i)
			return
		}
		out[i] = int64(v.Offsets[i+1] - v.Offsets[i])
	})
	return &n.out, nil
}

// elemNode gathers one element per row: list[idx] (1-based, negative from
// the end) or, for maps, the value of the first entry whose key equals idx.
type elemNode struct {
	list, idx node
	t         coldata.Type
	isMap     bool
	out       coldata.Vec
	pos       []int32
	nulls     []bool
}

func (n *elemNode) typ() coldata.Type { return n.t }

func (n *elemNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.list.eval(b, sel)
	if err != nil {
		return nil, err
	}
	ix, err := n.idx.eval(b, sel)
	if err != nil {
		return nil, err
	}
	src := v.Child[0]
	if n.isMap {
		src = v.Child[1]
	}
	n.pos = coldata.Grow(n.pos, b.N)
	n.nulls = coldata.Grow(n.nulls, b.N)
	for i := range n.nulls {
		n.nulls[i], n.pos[i] = true, 0
	}
	var kt coldata.Type
	if n.isMap {
		kt = v.Type.Nest.Key
	}
	each(sel, b.N, func(i int) {
		if v.IsNull(i) || ix.IsNull(i) {
			return
		}
		lo, hi := v.Offsets[i], v.Offsets[i+1]
		if n.isMap {
			key := ix.Get(i)
			for j := lo; j < hi; j++ {
				if !v.Child[0].IsNull(int(j)) && coldata.Compare(kt, v.Child[0].Get(int(j)), key) == 0 {
					n.pos[i], n.nulls[i] = j, false
					return
				}
			}
			return
		}
		k, size := ix.I64[i], int64(hi-lo)
		switch {
		case k > 0 && k <= size:
			n.pos[i], n.nulls[i] = lo+int32(k-1), false
		case k < 0 && -k <= size:
			n.pos[i], n.nulls[i] = hi+int32(k), false
		}
	})
	n.out.Type = n.t
	n.out.Resize(b.N)
	if src.Len() > 0 {
		n.out.CopyFrom(src, n.pos, b.N, 0)
	}
	nulls := n.out.EnsureNulls()
	for i, isNull := range n.nulls {
		if isNull {
			nulls[i] = true
		}
	}
	return &n.out, nil
}

// each calls fn for the live rows.
func each(sel []int32, n int, fn func(i int)) {
	if sel == nil {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	for _, i := range sel {
		fn(int(i))
	}
}

// checkNestedUse refuses expressions that would hand nested values to
// kernels written for flat vectors (CASE, CAST, string and arithmetic
// functions, IN, LIKE): they would read the wrong slices. Column
// references, constants, IS NULL and the nested operators are fine.
func checkNestedUse(e expr.Expr) error {
	bad := func(what string, t coldata.Type) error {
		return fmt.Errorf("Not implemented Error: %s on the nested type %s is not supported yet: %s", what, t, e)
	}
	switch e := e.(type) {
	case *expr.Func:
		if e.Op.IsNestedOp() || e.Op == expr.OpJSONKeys {
			return nil
		}
		if e.Typ.IsNested() {
			return bad(e.Op.String(), e.Typ)
		}
		for _, a := range e.Args {
			if a.Type().IsNested() {
				return bad(e.Op.String(), a.Type())
			}
		}
	case *expr.Cast:
		if e.Arg.Type().IsNested() && e.Typ.ID == coldata.String {
			return nil // printed like DuckDB (nestedStringNode)
		}
		if e.Typ.IsNested() && (e.Arg.Type().ID == e.Typ.ID || e.Arg.Type().ID == coldata.Unknown) {
			return nil // element by element (nestedCastNode)
		}
		if e.Typ.IsNested() || e.Arg.Type().IsNested() {
			t := e.Typ
			if !t.IsNested() {
				t = e.Arg.Type()
			}
			return bad("CAST", t)
		}
	case *expr.Case:
		if e.Typ.IsNested() {
			return bad("CASE", e.Typ)
		}
	case *expr.In:
		if e.Arg.Type().IsNested() {
			return bad("IN", e.Arg.Type())
		}
	case *expr.Like:
		if e.Arg.Type().IsNested() {
			return bad("LIKE", e.Arg.Type())
		}
	}
	return nil
}

// nestedStringNode casts nested values to VARCHAR, printed as DuckDB does
// ([1, 2], {'a': 1}, {k=v}).
type nestedStringNode struct {
	arg node
	out coldata.Vec
}

func (n *nestedStringNode) typ() coldata.Type { return coldata.TypeString }

func (n *nestedStringNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.arg.eval(b, sel)
	if err != nil {
		return nil, err
	}
	n.out.Type = coldata.TypeString
	n.out.Resize(b.N)
	out := n.out.Str
	each(sel, b.N, func(i int) {
		if v.IsNull(i) {
			n.out.SetNull(i)
			return
		}
		out[i] = coldata.Format(v.Type, v.Get(i))
	})
	return &n.out, nil
}
