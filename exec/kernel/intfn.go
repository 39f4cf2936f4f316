package kernel

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// gcdNode is gcd(a, b) or lcm(a, b) over BIGINT, on magnitudes.
type gcdNode struct {
	lcm  bool
	a, b node
	res  result
}

func (c *compiler) compileGcd(e *expr.Func, args []node) (node, error) {
	if len(args) != 2 || e.Typ.ID != coldata.Int64 {
		return nil, errorf("%s takes (BIGINT, BIGINT) -> BIGINT", e.Op)
	}
	for _, a := range args {
		if isNullConst(a) || a.typ().ID == coldata.Unknown {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
		if a.typ().ID != coldata.Int64 {
			return nil, errorf("%s takes BIGINT arguments, got %s", e.Op, a.typ())
		}
	}
	return fold(&gcdNode{lcm: e.Op == expr.OpLcm, a: args[0], b: args[1]}, args...), nil
}

func (n *gcdNode) typ() coldata.Type { return coldata.TypeInt64 }

func (n *gcdNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	av, err := n.a.eval(b, sel)
	if err != nil {
		return nil, err
	}
	bv, err := n.b.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(coldata.TypeInt64, rows)
	n.res.shareNulls(sel, rows, av, bv)
	nulls := out.Nulls
	x, y := av.I64, bv.I64
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if nulls != nil && nulls[i] {
			continue
		}
		p, q := x[i], y[i]
		if p == math.MinInt64 || q == math.MinInt64 {
			return nil, rangeErrorf("Overflow on abs(%d)", int64(math.MinInt64))
		}
		p, q = max(p, -p), max(q, -q)
		g := gcd(p, q)
		if !n.lcm {
			out.I64[i] = g
			continue
		}
		if g == 0 {
			out.I64[i] = 0
			continue
		}
		l := p / g
		if q != 0 && l > math.MaxInt64/q {
			return nil, rangeErrorf("lcm value is out of range")
		}
		out.I64[i] = l * q
	}
	return out, nil
}

// gcd is Euclid's algorithm on non-negative values.
func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
