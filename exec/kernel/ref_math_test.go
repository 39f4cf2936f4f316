package kernel

import (
	"fmt"
	"math"
	"math/big"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// refMathOp is the oracle for floatfn.go (no NULL arguments): decimals
// round through math/big, doubles through package math with the domain
// checked before the call.
func refMathOp(e *expr.Func, args []coldata.Datum) (coldata.Datum, bool, error) {
	if e.Op == expr.OpGcd || e.Op == expr.OpLcm {
		a, b := big.NewInt(args[0].I), big.NewInt(args[1].I)
		if args[0].I == math.MinInt64 || args[1].I == math.MinInt64 {
			return coldata.Datum{}, true, fmt.Errorf("abs overflow")
		}
		g := new(big.Int).GCD(nil, nil, new(big.Int).Abs(a), new(big.Int).Abs(b))
		if e.Op == expr.OpGcd {
			return coldata.Datum{I: g.Int64()}, true, nil
		}
		if g.Sign() == 0 {
			return coldata.Datum{I: 0}, true, nil
		}
		l := new(big.Int).Abs(new(big.Int).Mul(a, b))
		l.Quo(l, g)
		if !l.IsInt64() {
			return coldata.Datum{}, true, fmt.Errorf("lcm overflow")
		}
		return coldata.Datum{I: l.Int64()}, true, nil
	}
	f := map[expr.Op]func(float64) float64{
		expr.OpSqrt: math.Sqrt, expr.OpCbrt: math.Cbrt, expr.OpExp: math.Exp, expr.OpLn: math.Log,
		expr.OpLog10: math.Log10, expr.OpLog2: math.Log2, expr.OpCeil: math.Ceil, expr.OpFloor: math.Floor,
		expr.OpTrunc: math.Trunc,
	}[e.Op]
	if f == nil {
		return coldata.Datum{}, false, nil
	}
	at := e.Args[0].Type()
	if at.ID == coldata.Decimal {
		q, m := new(big.Int).DivMod(big.NewInt(args[0].I), pow10(int64(at.Scale)), new(big.Int)) // Euclidean: q is the floor
		if e.Op == expr.OpCeil && m.Sign() != 0 {
			q.Add(q, big.NewInt(1))
		}
		if e.Op == expr.OpTrunc {
			q.Quo(big.NewInt(args[0].I), pow10(int64(at.Scale))) // truncated division
		}
		return coldata.Datum{I: q.Int64()}, true, nil
	}
	x := args[0].F
	switch e.Op {
	case expr.OpSqrt:
		if x < 0 {
			return coldata.Datum{}, true, fmt.Errorf("negative")
		}
	case expr.OpLn, expr.OpLog10, expr.OpLog2:
		if x <= 0 {
			return coldata.Datum{}, true, fmt.Errorf("not positive")
		}
	}
	return coldata.Datum{F: f(x)}, true, nil
}

// refExtreme is greatest/least by refCompare, NULLs skipped, NaN largest.
func refExtreme(e *expr.Func, row []coldata.Datum) (coldata.Datum, error) {
	best := coldata.NullDatum
	for _, a := range e.Args {
		v, err := refEval(a, row)
		if err != nil {
			return v, err
		}
		if v.Null {
			continue
		}
		if best.Null {
			best = v
			continue
		}
		c := refCompare(e.Typ, v, best)
		if e.Typ.ID == coldata.Float64 {
			switch vn, bn := math.IsNaN(v.F), math.IsNaN(best.F); {
			case vn && bn:
				c = 0
			case vn:
				c = 1
			case bn:
				c = -1
			}
		}
		if (e.Op == expr.OpGreatest && c > 0) || (e.Op == expr.OpLeast && c < 0) {
			best = v
		}
	}
	return best, nil
}
