package kernel

import (
	"cmp"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// extremeNode is greatest(...) or least(...): the largest (smallest)
// non-NULL argument, NULL only when all are. NaN counts as the largest
// DOUBLE, as in DuckDB's ordering.
type extremeNode struct {
	args     []node
	t        coldata.Type
	greatest bool
	res      result
}

func (c *compiler) compileExtreme(e *expr.Func, args []node) (node, error) {
	if len(args) == 0 {
		return nil, errorf("%s takes at least 1 argument", e.Op)
	}
	kept := args[:0:0]
	for _, a := range args {
		if isNullConst(a) || a.typ().ID == coldata.Unknown {
			continue // a NULL argument never wins
		}
		if a.typ() != e.Typ {
			return nil, errorf("%s needs arguments of its result type %s, got %s", e.Op, e.Typ, a.typ())
		}
		kept = append(kept, a)
	}
	if len(kept) == 0 {
		return newConst(e.Typ, coldata.NullDatum), nil
	}
	switch physOf(e.Typ) {
	case physI32, physI64, physF64, physStr:
	default:
		return nil, errorf("%s(%s) is not supported yet", e.Op, e.Typ)
	}
	return fold(&extremeNode{args: kept, t: e.Typ, greatest: e.Op == expr.OpGreatest}, kept...), nil
}

func (n *extremeNode) typ() coldata.Type { return n.t }

func (n *extremeNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	out := n.res.reset(n.t, rows)
	var nulls []bool
	for j, a := range n.args {
		v, err := a.eval(b, sel)
		if err != nil {
			return nil, err
		}
		if j == 0 {
			nulls = n.res.copyNulls(sel, rows, v)
			copyRows(out, v, nil, sel, rows)
			continue
		}
		switch physOf(n.t) {
		case physI32:
			pick(out.I32, nulls, v.I32, v.Nulls, sel, rows, n.greatest)
		case physI64:
			pick(out.I64, nulls, v.I64, v.Nulls, sel, rows, n.greatest)
		case physF64:
			pick(out.F64, nulls, v.F64, v.Nulls, sel, rows, n.greatest)
		case physStr:
			pick(out.Str, nulls, v.Str, v.Nulls, sel, rows, n.greatest)
		}
	}
	dropEmptyNulls(out, sel, rows)
	return out, nil
}

// pick replaces out[i] by x[i] where x[i] is non-NULL and beats it (or
// out[i] is NULL). x != x is true only for a NaN.
func pick[T cmp.Ordered](out []T, outNulls []bool, x []T, xNulls []bool, sel []int32, n int, greatest bool) {
	for k := 0; k < liveLen(sel, n); k++ {
		i := rowAt(sel, k)
		if xNulls != nil && xNulls[i] {
			continue
		}
		v, o := x[i], out[i]
		var wins bool
		if greatest {
			wins = v > o || (v != v && o == o)
		} else {
			wins = v < o || (o != o && v == v)
		}
		if outNulls[i] || wins {
			out[i], outNulls[i] = v, false
		}
	}
}
