package kernel

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// ordered is the set of physical types the comparison kernels run on. Each
// has its own GC shape, so every instantiation compiles to direct machine
// comparisons. Booleans are viewed as uint8 and doubles mapped to int64 keys
// (floatKey) first.
type ordered interface {
	~uint8 | ~int32 | ~int64 | ~string
}

// floatKey maps a double to an int64 whose order is DuckDB's total order on
// doubles: -0 equals +0, NaN equals NaN and sorts above +Inf.
func floatKey(f float64) int64 {
	if f != f {
		return math.MaxInt64
	}
	if f == 0 {
		return 0
	}
	k := int64(math.Float64bits(f))
	if k < 0 {
		k ^= math.MaxInt64
	}
	return k
}

func floatKeys(dst []int64, src []float64, sel []int32, n int) {
	if sel == nil {
		dst, src = dst[:n], src[:n]
		for i, f := range src {
			dst[i] = floatKey(f)
		}
		return
	}
	for _, i := range sel {
		dst[i] = floatKey(src[i])
	}
}

// cmpVC sets out[i] = a[i] op c for the live rows.
func cmpVC[T ordered](op expr.Op, out []bool, a []T, c T, sel []int32, n int) {
	if sel == nil {
		out, a = out[:n], a[:n]
		switch op {
		case expr.OpEq:
			for i, x := range a {
				out[i] = x == c
			}
		case expr.OpNe:
			for i, x := range a {
				out[i] = x != c
			}
		case expr.OpLt:
			for i, x := range a {
				out[i] = x < c
			}
		case expr.OpLe:
			for i, x := range a {
				out[i] = x <= c
			}
		case expr.OpGt:
			for i, x := range a {
				out[i] = x > c
			}
		case expr.OpGe:
			for i, x := range a {
				out[i] = x >= c
			}
		}
		return
	}
	switch op {
	case expr.OpEq:
		for _, i := range sel {
			out[i] = a[i] == c
		}
	case expr.OpNe:
		for _, i := range sel {
			out[i] = a[i] != c
		}
	case expr.OpLt:
		for _, i := range sel {
			out[i] = a[i] < c
		}
	case expr.OpLe:
		for _, i := range sel {
			out[i] = a[i] <= c
		}
	case expr.OpGt:
		for _, i := range sel {
			out[i] = a[i] > c
		}
	case expr.OpGe:
		for _, i := range sel {
			out[i] = a[i] >= c
		}
	}
}

// cmpVV sets out[i] = a[i] op b[i] for the live rows. Gt/Ge arrive
// commuted into Lt/Le (see canonicalVV).
func cmpVV[T ordered](op expr.Op, out []bool, a, b []T, sel []int32, n int) {
	if sel == nil {
		out, a, b = out[:n], a[:n], b[:n]
		switch op {
		case expr.OpEq:
			for i := range out {
				out[i] = a[i] == b[i]
			}
		case expr.OpNe:
			for i := range out {
				out[i] = a[i] != b[i]
			}
		case expr.OpLt:
			for i := range out {
				out[i] = a[i] < b[i]
			}
		case expr.OpLe:
			for i := range out {
				out[i] = a[i] <= b[i]
			}
		}
		return
	}
	switch op {
	case expr.OpEq:
		for _, i := range sel {
			out[i] = a[i] == b[i]
		}
	case expr.OpNe:
		for _, i := range sel {
			out[i] = a[i] != b[i]
		}
	case expr.OpLt:
		for _, i := range sel {
			out[i] = a[i] < b[i]
		}
	case expr.OpLe:
		for _, i := range sel {
			out[i] = a[i] <= b[i]
		}
	}
}

// selVC writes the live rows with a[i] op c to dst (which may alias sel) and
// returns how many. The row index is stored unconditionally and the count
// advanced by the comparison, so the loop has no data-dependent branch.
func selVC[T ordered](op expr.Op, a []T, c T, sel []int32, n int, dst []int32) int {
	k := 0
	if sel == nil {
		a = a[:n]
		dst = dst[:n]
		switch op {
		case expr.OpEq:
			for i, x := range a {
				dst[k] = int32(i)
				k += b2i(x == c)
			}
		case expr.OpNe:
			for i, x := range a {
				dst[k] = int32(i)
				k += b2i(x != c)
			}
		case expr.OpLt:
			for i, x := range a {
				dst[k] = int32(i)
				k += b2i(x < c)
			}
		case expr.OpLe:
			for i, x := range a {
				dst[k] = int32(i)
				k += b2i(x <= c)
			}
		case expr.OpGt:
			for i, x := range a {
				dst[k] = int32(i)
				k += b2i(x > c)
			}
		case expr.OpGe:
			for i, x := range a {
				dst[k] = int32(i)
				k += b2i(x >= c)
			}
		}
		return k
	}
	switch op {
	case expr.OpEq:
		for _, i := range sel {
			dst[k] = i
			k += b2i(a[i] == c)
		}
	case expr.OpNe:
		for _, i := range sel {
			dst[k] = i
			k += b2i(a[i] != c)
		}
	case expr.OpLt:
		for _, i := range sel {
			dst[k] = i
			k += b2i(a[i] < c)
		}
	case expr.OpLe:
		for _, i := range sel {
			dst[k] = i
			k += b2i(a[i] <= c)
		}
	case expr.OpGt:
		for _, i := range sel {
			dst[k] = i
			k += b2i(a[i] > c)
		}
	case expr.OpGe:
		for _, i := range sel {
			dst[k] = i
			k += b2i(a[i] >= c)
		}
	}
	return k
}

// selVV is selVC with a second vector; Gt/Ge arrive commuted.
func selVV[T ordered](op expr.Op, a, b []T, sel []int32, n int, dst []int32) int {
	k := 0
	if sel == nil {
		a, b = a[:n], b[:n]
		dst = dst[:n]
		switch op {
		case expr.OpEq:
			for i := range a {
				dst[k] = int32(i)
				k += b2i(a[i] == b[i])
			}
		case expr.OpNe:
			for i := range a {
				dst[k] = int32(i)
				k += b2i(a[i] != b[i])
			}
		case expr.OpLt:
			for i := range a {
				dst[k] = int32(i)
				k += b2i(a[i] < b[i])
			}
		case expr.OpLe:
			for i := range a {
				dst[k] = int32(i)
				k += b2i(a[i] <= b[i])
			}
		}
		return k
	}
	switch op {
	case expr.OpEq:
		for _, i := range sel {
			dst[k] = i
			k += b2i(a[i] == b[i])
		}
	case expr.OpNe:
		for _, i := range sel {
			dst[k] = i
			k += b2i(a[i] != b[i])
		}
	case expr.OpLt:
		for _, i := range sel {
			dst[k] = i
			k += b2i(a[i] < b[i])
		}
	case expr.OpLe:
		for _, i := range sel {
			dst[k] = i
			k += b2i(a[i] <= b[i])
		}
	}
	return k
}

// selRange writes the live rows with lo <= a[i] <= hi to dst. Subtracting lo
// in unsigned arithmetic turns the two comparisons into one: values below lo
// wrap around to huge numbers.
func selRange[T int32 | int64](a []T, lo, hi int64, sel []int32, n int, dst []int32) int {
	if lo > hi {
		return 0
	}
	ulo, width := uint64(lo), uint64(hi)-uint64(lo)
	k := 0
	if sel == nil {
		a = a[:n]
		dst = dst[:n]
		for i, x := range a {
			dst[k] = int32(i)
			k += b2i(uint64(int64(x))-ulo <= width)
		}
		return k
	}
	for _, i := range sel {
		dst[k] = i
		k += b2i(uint64(int64(a[i]))-ulo <= width)
	}
	return k
}

// canonicalVV rewrites a op b so that op is one of = <> < <=, swapping the
// operands for > and >=. It reports whether they were swapped.
func canonicalVV(op expr.Op) (expr.Op, bool) {
	switch op {
	case expr.OpGt:
		return expr.OpLt, true
	case expr.OpGe:
		return expr.OpLe, true
	}
	return op, false
}

// cmpConst is a comparison constant in each physical form.
type cmpConst struct {
	u8   uint8
	i32  int32
	i64  int64 // also the float key
	str  string
	i128 coldata.Int128
}

func makeCmpConst(t coldata.Type, d coldata.Datum) cmpConst {
	var c cmpConst
	switch physOf(t) {
	case physBool:
		c.u8 = uint8(b2i(d.B))
	case physI32:
		c.i32 = int32(d.I)
	case physI64:
		c.i64 = d.I
	case physF64:
		c.i64 = floatKey(d.F)
	case physStr:
		c.str = d.S
	case physI128:
		c.i128 = d.Int128()
	}
	return c
}

// cmpNode is a comparison producing a BOOLEAN vector.
type cmpNode struct {
	op   expr.Op // canonical when r is a vector; any op against a constant
	l, r node
	isC  bool // r is the constant c
	c    cmpConst
	p    phys
	res  result
	lk   []int64 // float keys scratch
	rk   []int64
}

func (c *compiler) compileCompare(e *expr.Func, args []node) (node, error) {
	l, r := args[0], args[1]
	if l.typ() != r.typ() {
		return nil, errorf("comparison %s needs operands of one type, got %s and %s", e.Op, l.typ(), r.typ())
	}
	if isNullConst(l) || isNullConst(r) || l.typ().ID == coldata.Unknown {
		return newConst(coldata.TypeBool, coldata.NullDatum), nil
	}
	op := e.Op
	if isConst(l) && !isConst(r) {
		l, r, op = r, l, op.Commute()
	}
	n := &cmpNode{op: op, l: l, r: r, p: physOf(l.typ())}
	if rc, ok := r.(*constNode); ok {
		n.isC = true
		n.c = makeCmpConst(rc.t, rc.d)
	} else {
		var swapped bool
		if n.op, swapped = canonicalVV(op); swapped {
			n.l, n.r = r, l
		}
	}
	return fold(n, l, r), nil
}

func (n *cmpNode) typ() coldata.Type { return coldata.TypeBool }

func (n *cmpNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	lv, err := n.l.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	if n.isC {
		out := n.res.reset(coldata.TypeBool, rows)
		n.res.shareNulls(sel, rows, lv, nil)
		switch n.p {
		case physBool:
			cmpVC(n.op, out.B, boolBytes(lv.B), n.c.u8, sel, rows)
		case physI32:
			cmpVC(n.op, out.B, lv.I32, n.c.i32, sel, rows)
		case physI64:
			cmpVC(n.op, out.B, lv.I64, n.c.i64, sel, rows)
		case physF64:
			n.lk = coldata.Grow(n.lk, rows)
			floatKeys(n.lk, lv.F64, sel, rows)
			cmpVC(n.op, out.B, n.lk, n.c.i64, sel, rows)
		case physStr:
			cmpVC(n.op, out.B, lv.Str, n.c.str, sel, rows)
		case physI128:
			cmpI128(n.op, out.B, lv.I128, nil, n.c.i128, sel, rows)
		}
		return out, nil
	}
	rv, err := n.r.eval(b, sel)
	if err != nil {
		return nil, err
	}
	out := n.res.reset(coldata.TypeBool, rows)
	n.res.shareNulls(sel, rows, lv, rv)
	switch n.p {
	case physBool:
		cmpVV(n.op, out.B, boolBytes(lv.B), boolBytes(rv.B), sel, rows)
	case physI32:
		cmpVV(n.op, out.B, lv.I32, rv.I32, sel, rows)
	case physI64:
		cmpVV(n.op, out.B, lv.I64, rv.I64, sel, rows)
	case physF64:
		n.lk = coldata.Grow(n.lk, rows)
		n.rk = coldata.Grow(n.rk, rows)
		floatKeys(n.lk, lv.F64, sel, rows)
		floatKeys(n.rk, rv.F64, sel, rows)
		cmpVV(n.op, out.B, n.lk, n.rk, sel, rows)
	case physStr:
		cmpVV(n.op, out.B, lv.Str, rv.Str, sel, rows)
	case physI128:
		cmpI128(n.op, out.B, lv.I128, rv.I128, coldata.Int128{}, sel, rows)
	}
	return out, nil
}
