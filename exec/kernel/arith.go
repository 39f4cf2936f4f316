package kernel

import (
	"math"
	"math/big"
	"math/bits"
	"unsafe"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// The integer kernels never branch on overflow inside the loop: they OR the
// overflow condition of every row into an accumulator and return it. Only
// when it is set does the node rescan (overflowError) to find a live,
// non-NULL row that really overflowed; a NULL row's garbage value may set
// the flag spuriously, so a set flag alone is not an error.

type signed interface{ ~int32 | ~int64 }

// maxDecimal18 is the largest magnitude a decimal stored in int64 may reach
// (18 digits, see coldata.MaxDecimalPrecision).
const maxDecimal18 = 999_999_999_999_999_999

func addInts[T signed](out, a, b []T, sel []int32, n int) bool {
	var o T
	if sel == nil {
		out, a, b = out[:n], a[:n], b[:n]
		for i := range out {
			x, y := a[i], b[i]
			s := x + y
			out[i] = s
			o |= (s ^ x) & (s ^ y) // sign differs from both operands
		}
		return o < 0
	}
	for _, i := range sel {
		x, y := a[i], b[i]
		s := x + y
		out[i] = s
		o |= (s ^ x) & (s ^ y)
	}
	return o < 0
}

func subInts[T signed](out, a, b []T, sel []int32, n int) bool {
	var o T
	if sel == nil {
		out, a, b = out[:n], a[:n], b[:n]
		for i := range out {
			x, y := a[i], b[i]
			s := x - y
			out[i] = s
			o |= (x ^ y) & (x ^ s) // operands' signs differ and result's differs from x
		}
		return o < 0
	}
	for _, i := range sel {
		x, y := a[i], b[i]
		s := x - y
		out[i] = s
		o |= (x ^ y) & (x ^ s)
	}
	return o < 0
}

// mulInt32 multiplies in 64 bits; the product overflowed if it does not
// survive a round trip through int32.
func mulInt32(out, a, b []int32, sel []int32, n int) bool {
	var o int64
	if sel == nil {
		out, a, b = out[:n], a[:n], b[:n]
		for i := range out {
			p := int64(a[i]) * int64(b[i])
			out[i] = int32(p)
			o |= p ^ int64(int32(p))
		}
		return o != 0
	}
	for _, i := range sel {
		p := int64(a[i]) * int64(b[i])
		out[i] = int32(p)
		o |= p ^ int64(int32(p))
	}
	return o != 0
}

// mul64 returns the low 64 bits of x*y and whether the signed 128-bit
// product does not fit in int64 (non-zero). It turns the unsigned product
// into the signed one by subtracting the other operand from the high word
// for each negative operand.
func mul64(x, y int64) (int64, uint64) {
	hi, lo := bits.Mul64(uint64(x), uint64(y))
	hi -= uint64(x>>63) & uint64(y)
	hi -= uint64(y>>63) & uint64(x)
	return int64(lo), hi ^ uint64(int64(lo)>>63)
}

func mulInt64(out, a, b []int64, sel []int32, n int) bool {
	var o uint64
	if sel == nil {
		out, a, b = out[:n], a[:n], b[:n]
		for i := range out {
			p, ov := mul64(a[i], b[i])
			out[i] = p
			o |= ov
		}
		return o != 0
	}
	for _, i := range sel {
		p, ov := mul64(a[i], b[i])
		out[i] = p
		o |= ov
	}
	return o != 0
}

// mulBounded is mulInt64 fused with the decimal bound check, for products
// whose declared precision exceeds 18 digits (one pass instead of two).
func mulBounded(out, a, b []int64, bound int64, sel []int32, n int) bool {
	var o uint64
	w := uint64(2 * bound)
	if sel == nil {
		out, a, b = out[:n], a[:n], b[:n]
		for i := range out {
			p, ov := mul64(a[i], b[i])
			out[i] = p
			o |= ov | uint64(b2i(uint64(p+bound) > w))
		}
		return o != 0
	}
	for _, i := range sel {
		p, ov := mul64(a[i], b[i])
		out[i] = p
		o |= ov | uint64(b2i(uint64(p+bound) > w))
	}
	return o != 0
}

// outOfBound reports whether a live value's magnitude exceeds bound; adding
// bound maps the allowed range onto [0, 2*bound] so one unsigned compare
// checks both sides.
func outOfBound(v []int64, bound int64, sel []int32, n int) bool {
	o := 0
	w := uint64(2 * bound)
	if sel == nil {
		for _, x := range v[:n] {
			o |= b2i(uint64(x+bound) > w)
		}
		return o != 0
	}
	for _, i := range sel {
		o |= b2i(uint64(v[i]+bound) > w)
	}
	return o != 0
}

func floatArith(op expr.Op, out, a, b []float64, sel []int32, n int) {
	if sel == nil {
		out, a, b = out[:n], a[:n], b[:n]
		switch op {
		case expr.OpAdd:
			for i := range out {
				out[i] = a[i] + b[i]
			}
		case expr.OpSub:
			for i := range out {
				out[i] = a[i] - b[i]
			}
		case expr.OpMul:
			for i := range out {
				out[i] = a[i] * b[i]
			}
		case expr.OpDiv:
			for i := range out {
				out[i] = a[i] / b[i]
			}
		case expr.OpMod:
			for i := range out {
				out[i] = math.Mod(a[i], b[i])
			}
		}
		return
	}
	switch op {
	case expr.OpAdd:
		for _, i := range sel {
			out[i] = a[i] + b[i]
		}
	case expr.OpSub:
		for _, i := range sel {
			out[i] = a[i] - b[i]
		}
	case expr.OpMul:
		for _, i := range sel {
			out[i] = a[i] * b[i]
		}
	case expr.OpDiv:
		for _, i := range sel {
			out[i] = a[i] / b[i]
		}
	case expr.OpMod:
		for _, i := range sel {
			out[i] = math.Mod(a[i], b[i])
		}
	}
}

// minOf is the smallest value of a signed integer type.
func minSigned[T signed]() T {
	var x T
	return x - 1<<(8*unsafe.Sizeof(x)-1)
}

// modInts computes a % b (a // b when div), a zero divisor giving NULL as
// in DuckDB. Go defines MinInt / -1 as MinInt and MinInt % -1 as 0 instead
// of trapping; DuckDB reports both as an overflow, so the loop flags them
// and the caller looks for the row.
func modInts[T signed](out, a, b []T, nulls []bool, sel []int32, n int, div bool) bool {
	if div {
		return divInts(out, a, b, nulls, sel, n)
	}
	lo := minSigned[T]()
	ovf := false
	if sel == nil {
		out, a, b = out[:n], a[:n], b[:n]
		for i := range out {
			if d := b[i]; d != 0 {
				out[i] = a[i] % d
				ovf = ovf || d == -1 && a[i] == lo
			} else {
				nulls[i] = true
			}
		}
		return ovf
	}
	for _, i := range sel {
		if d := b[i]; d != 0 {
			out[i] = a[i] % d
			ovf = ovf || d == -1 && a[i] == lo
		} else {
			nulls[i] = true
		}
	}
	return ovf
}

// divInts is integer division truncating towards zero; a zero divisor
// gives NULL, as DuckDB's // does.
func divInts[T signed](out, a, b []T, nulls []bool, sel []int32, n int) bool {
	lo := minSigned[T]()
	ovf := false
	if sel == nil {
		out, a, b = out[:n], a[:n], b[:n]
		for i := range out {
			if d := b[i]; d != 0 {
				out[i] = a[i] / d
				ovf = ovf || d == -1 && a[i] == lo
			} else {
				nulls[i] = true
			}
		}
		return ovf
	}
	for _, i := range sel {
		if d := b[i]; d != 0 {
			out[i] = a[i] / d
			ovf = ovf || d == -1 && a[i] == lo
		} else {
			nulls[i] = true
		}
	}
	return ovf
}

// arithNode is + - * / % on two operands of the types the binder arranged.
type arithNode struct {
	op    expr.Op
	l, r  node
	t     coldata.Type
	p     phys
	bound int64 // >0: decimal result whose magnitude must stay <= bound
	res   result
}

func (c *compiler) compileArith(e *expr.Func, args []node) (node, error) {
	l, r := args[0], args[1]
	lt, rt := l.typ(), r.typ()
	if lt.ID == coldata.Unknown || rt.ID == coldata.Unknown || isNullConst(l) || isNullConst(r) {
		return newConst(e.Typ, coldata.NullDatum), nil
	}
	bad := func() error {
		return errorf("no kernel for %s %s %s -> %s", lt, e.Op, rt, e.Typ)
	}
	n := &arithNode{op: e.Op, l: l, r: r, t: e.Typ, p: physOf(e.Typ)}
	switch {
	case lt.ID == coldata.Hugeint:
		if rt != lt || e.Typ != lt || e.Op == expr.OpDiv {
			return nil, bad()
		}
	case e.Op == expr.OpIntDiv:
		if !lt.IsInteger() || rt != lt || e.Typ != lt {
			return nil, bad()
		}
	case e.Op == expr.OpDiv:
		if lt.ID != coldata.Float64 || rt.ID != coldata.Float64 || e.Typ.ID != coldata.Float64 {
			return nil, bad()
		}
	case lt.ID == coldata.Decimal:
		if rt.ID != coldata.Decimal || e.Typ.ID != coldata.Decimal {
			return nil, bad()
		}
		scale := lt.Scale
		if e.Op == expr.OpMul {
			scale = lt.Scale + rt.Scale
		} else if lt != rt {
			return nil, bad()
		}
		if e.Typ.Scale != scale {
			return nil, errorf("%s of %s and %s must have scale %d, got %s", e.Op, lt, rt, scale, e.Typ)
		}
		if e.Typ.Precision >= 18 { // DuckDB narrows wide results to 18 digits, checked
			n.bound = maxDecimal18
		}
	case lt.ID == coldata.Int32 || lt.ID == coldata.Int64 || lt.ID == coldata.Float64:
		if rt != lt || e.Typ != lt {
			return nil, bad()
		}
	default:
		return nil, bad()
	}
	return fold(n, l, r), nil
}

func (n *arithNode) typ() coldata.Type { return n.t }

func (n *arithNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	lv, err := n.l.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rv, err := n.r.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(n.t, rows)
	if n.p == physI128 {
		nulls := n.res.copyNulls(sel, rows, lv, rv)
		if i, ok := arithI128(n.op, out.I128, lv.I128, rv.I128, nulls, sel, rows); !ok {
			return nil, i128ArithError(n.op, lv.I128[i], rv.I128[i])
		}
		dropEmptyNulls(out, sel, rows)
		return out, nil
	}
	if (n.op == expr.OpMod || n.op == expr.OpIntDiv) && n.p != physF64 {
		nulls := n.res.copyNulls(sel, rows, lv, rv)
		div := n.op == expr.OpIntDiv
		var ovf bool
		if n.p == physI32 {
			ovf = modInts(out.I32, lv.I32, rv.I32, nulls, sel, rows, div)
		} else {
			ovf = modInts(out.I64, lv.I64, rv.I64, nulls, sel, rows, div)
		}
		if ovf {
			if err := n.divisionError(lv, rv, nulls, sel, rows); err != nil {
				return nil, err
			}
		}
		dropEmptyNulls(out, sel, rows)
		return out, nil
	}
	n.res.shareNulls(sel, rows, lv, rv)
	ovf := false
	switch n.p {
	case physI32:
		switch n.op {
		case expr.OpAdd:
			ovf = addInts(out.I32, lv.I32, rv.I32, sel, rows)
		case expr.OpSub:
			ovf = subInts(out.I32, lv.I32, rv.I32, sel, rows)
		case expr.OpMul:
			ovf = mulInt32(out.I32, lv.I32, rv.I32, sel, rows)
		}
	case physI64:
		switch n.op {
		case expr.OpAdd:
			ovf = addInts(out.I64, lv.I64, rv.I64, sel, rows)
		case expr.OpSub:
			ovf = subInts(out.I64, lv.I64, rv.I64, sel, rows)
		case expr.OpMul:
			if n.bound > 0 {
				ovf = mulBounded(out.I64, lv.I64, rv.I64, n.bound, sel, rows)
				break
			}
			ovf = mulInt64(out.I64, lv.I64, rv.I64, sel, rows)
		}
		if !ovf && n.bound > 0 && n.op != expr.OpMul {
			ovf = outOfBound(out.I64, n.bound, sel, rows)
		}
	case physF64:
		floatArith(n.op, out.F64, lv.F64, rv.F64, sel, rows)
	}
	if ovf {
		if err := n.overflowError(lv, rv, sel, rows); err != nil {
			return nil, err
		}
	}
	return out, nil
}

var opWords = map[expr.Op]string{expr.OpAdd: "addition", expr.OpSub: "subtraction", expr.OpMul: "multiplication"}

// overflowError finds the first live non-NULL row whose exact result does
// not fit and describes it as DuckDB does. Slow path: big.Int is fine here.
func (n *arithNode) overflowError(lv, rv *coldata.Vec, sel []int32, rows int) error {
	lo, hi := big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	if n.p == physI32 {
		lo, hi = big.NewInt(math.MinInt32), big.NewInt(math.MaxInt32)
	}
	if n.bound > 0 {
		lo, hi = big.NewInt(-n.bound), big.NewInt(n.bound)
	}
	var r big.Int
	for k := 0; k < liveLen(sel, rows); k++ {
		i := k
		if sel != nil {
			i = int(sel[k])
		}
		if lv.IsNull(i) || rv.IsNull(i) {
			continue
		}
		x, y := lv.Get(i).I, rv.Get(i).I
		bx, by := big.NewInt(x), big.NewInt(y)
		switch n.op {
		case expr.OpAdd:
			r.Add(bx, by)
		case expr.OpSub:
			r.Sub(bx, by)
		case expr.OpMul:
			r.Mul(bx, by)
		}
		if r.Cmp(lo) < 0 || r.Cmp(hi) > 0 {
			if n.t.ID == coldata.Decimal {
				// DuckDB names the storage (DECIMAL(18): 64 bits) and
				// prints the unscaled values.
				return rangeErrorf("Overflow in %s of DECIMAL(18) (%d %s %d). You might want to add an explicit cast to a bigger decimal.",
					opWords[n.op], x, n.op, y)
			}
			return rangeErrorf("Overflow in %s of %s (%s %s %s)!", opWords[n.op], typeName(n.l.typ()),
				coldata.Format(n.l.typ(), coldata.Datum{I: x}), n.op, coldata.Format(n.r.typ(), coldata.Datum{I: y}))
		}
	}
	return nil
}

// divisionError finds the live row that divides the minimum by -1 (a row
// whose result is NULL, or whose operands are, does not count).
func (n *arithNode) divisionError(lv, rv *coldata.Vec, nulls []bool, sel []int32, rows int) error {
	lo := int64(math.MinInt64)
	if n.p == physI32 {
		lo = math.MinInt32
	}
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		if nulls != nil && nulls[i] || lv.IsNull(i) || rv.IsNull(i) {
			continue
		}
		if x, y := lv.Get(i).I, rv.Get(i).I; x == lo && y == -1 {
			return rangeErrorf("Overflow in division of %d / -1", x)
		}
	}
	return nil
}

// typeName names a type the way DuckDB's error messages do.
func typeName(t coldata.Type) string {
	switch t.ID {
	case coldata.Int32:
		return "INT32"
	case coldata.Int64:
		return "INT64"
	case coldata.Bool:
		return "BOOL"
	case coldata.Hugeint:
		return "INT128"
	}
	return t.String()
}
