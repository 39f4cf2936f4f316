package kernel

import (
	"fmt"
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// bitNode is one of the integer operators & | xor ~ << >> (DuckDB's
// semantics: a left shift of a negative number, by a negative or too large
// amount, or past the type's range is an error; a right shift by such an
// amount is 0), or ** on doubles.
type bitNode struct {
	op   expr.Op
	a, b node // b is nil for ~
	t    coldata.Type
	res  result
}

func (c *compiler) compileBitwise(e *expr.Func, args []node) (node, error) {
	unary := e.Op == expr.OpBitNot
	if unary && len(args) != 1 || !unary && len(args) != 2 {
		return nil, errorf("%s takes %d arguments, got %d", e.Op, map[bool]int{true: 1, false: 2}[unary], len(args))
	}
	for _, a := range args {
		if a.typ().ID == coldata.Unknown || isNullConst(a) {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
	}
	want := func(ok bool) error {
		if !ok {
			return errorf("%s is not defined on %s", e.Op, args[0].typ())
		}
		return nil
	}
	if e.Op == expr.OpPow {
		if err := want(e.Typ.ID == coldata.Float64 && args[0].typ().ID == coldata.Float64 && args[1].typ().ID == coldata.Float64); err != nil {
			return nil, err
		}
	} else {
		if err := want(e.Typ.IsInteger() && args[0].typ() == e.Typ); err != nil {
			return nil, err
		}
		if !unary {
			if err := want(args[1].typ().IsInteger()); err != nil {
				return nil, err
			}
		}
	}
	n := &bitNode{op: e.Op, a: args[0], t: e.Typ}
	if !unary {
		n.b = args[1]
		return fold(n, n.a, n.b), nil
	}
	return fold(n, n.a), nil
}

func (n *bitNode) typ() coldata.Type { return n.t }

func (n *bitNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	av, err := n.a.eval(b, sel)
	if err != nil {
		return nil, err
	}
	var bv *coldata.Vec
	if n.b != nil {
		if bv, err = n.b.eval(b, sel); err != nil {
			return nil, err
		}
	}
	out := n.res.reset(n.t, rows)
	n.res.shareNulls(sel, rows, av, bv)
	if n.op == expr.OpPow {
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			out.F64[i] = math.Pow(av.F64[i], bv.F64[i])
		}
		return out, nil
	}
	bits := int64(32)
	if n.t.ID == coldata.Int64 {
		bits = 64
	}
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if out.Nulls != nil && out.Nulls[i] {
			continue
		}
		x := intAt(av, i)
		var y, r int64
		if bv != nil {
			y = intAt(bv, i)
		}
		switch n.op {
		case expr.OpBitAnd:
			r = x & y
		case expr.OpBitOr:
			r = x | y
		case expr.OpBitXor:
			r = x ^ y
		case expr.OpBitNot:
			r = ^x
		case expr.OpShiftRight:
			if y >= 0 && y < bits {
				r = x >> y
			}
		case expr.OpShiftLeft:
			switch {
			case y < 0:
				return nil, fmt.Errorf("Out of Range Error: Cannot left-shift by negative number %d", y)
			case y >= bits:
				return nil, fmt.Errorf("Out of Range Error: Left-shift value %d is out of range", y)
			case x < 0:
				return nil, fmt.Errorf("Out of Range Error: Cannot left-shift negative number %d", x)
			}
			r = x << y
			if r>>y != x || bits == 32 && r > math.MaxInt32 || r < 0 {
				return nil, fmt.Errorf("Out of Range Error: Overflow in left shift (%d << %d)", x, y)
			}
		}
		if bits == 32 {
			out.I32[i] = int32(r)
		} else {
			out.I64[i] = r
		}
	}
	return out, nil
}
