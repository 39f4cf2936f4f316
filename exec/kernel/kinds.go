package kernel

import (
	"math"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// The small and unsigned integers and FLOAT (coldata.Kind) live in a wider
// type's storage, so casts and arithmetic on them run the storage type's
// kernels and then check that every live result lies in the kind's range
// (and round FLOAT results to float32). The checks are one branch-free pass
// over the typed slice; only when it flags a row does the node rescan to
// name the offending value, as the integer kernels do.

// feedNode hands a vector evaluated by its parent to a storage kernel.
type feedNode struct {
	v *coldata.Vec
	t coldata.Type
}

func (f *feedNode) eval(*coldata.Batch, []int32) (*coldata.Vec, error) { return f.v, nil }
func (f *feedNode) typ() coldata.Type                                  { return f.t }

// kindCastNode is a cast from or to a kinded type other than VARCHAR.
type kindCastNode struct {
	x        node
	from, to coldata.Type
	feed     feedNode
	inner    *castNode // nil when both sides share a storage type
	check    bool      // the target's range does not contain the source's
	msg      castNode  // describes errors with the logical types
	res      result
	hdr      coldata.Vec
}

func (c *compiler) compileKindCast(x node, from, to coldata.Type, source string) (node, error) {
	fs, ts := from.Storage(), to.Storage()
	if !castable(fs.ID, ts.ID) {
		return nil, conversionErrorf("Unimplemented type for cast (%s -> %s)", from, to)
	}
	n := &kindCastNode{x: x, from: from, to: to, check: !kindContains(to, from)}
	n.msg = castNode{from: from, to: to, source: source}
	n.feed.t = fs
	if fs != ts {
		n.inner = &castNode{x: &n.feed, from: fs, to: ts, source: source}
	}
	return fold(n, x), nil
}

// kindRange is the interval of values a numeric type holds, in float64
// (exact enough to compare the integer ranges, whose ends are powers of two).
func kindRange(t coldata.Type) (lo, hi float64, integer bool) {
	if lo, hi, ok := t.IntRange(); ok {
		return float64(lo), float64(hi), true
	}
	switch {
	case t.Kind == coldata.KindUBigint:
		return 0, math.Exp2(64), true
	case t.Kind == coldata.KindFloat:
		return -math.MaxFloat32, math.MaxFloat32, false
	case t.ID == coldata.Int32:
		return math.MinInt32, math.MaxInt32, true
	case t.ID == coldata.Int64:
		return math.MinInt64, math.MaxInt64, true
	case t.ID == coldata.Hugeint:
		return -math.Exp2(127), math.Exp2(127), true
	case t.ID == coldata.Bool:
		return 0, 1, true
	}
	return math.Inf(-1), math.Inf(1), false
}

// kindContains reports whether every value of from is a value of to, so a
// cast needs no range check.
func kindContains(to, from coldata.Type) bool {
	if to.Kind == coldata.KindNone {
		return true // the storage kernel checks its own range
	}
	tl, th, ti := kindRange(to)
	fl, fh, fi := kindRange(from)
	if ti && !fi && from.ID != coldata.Decimal {
		return false // a float to an integer
	}
	return tl <= fl && fh <= th && from.ID != coldata.String
}

func (n *kindCastNode) typ() coldata.Type { return n.to }

func (n *kindCastNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	var out *coldata.Vec
	switch {
	case n.inner != nil:
		n.feed.v = v
		if out, err = n.inner.eval(b, sel); err != nil {
			return nil, renameKinds(err, n.from, n.to)
		}
		out.Type = n.to
	case n.to.Kind == coldata.KindFloat:
		out = n.res.reset(n.to, rows)
		n.res.shareNulls(sel, rows, v, nil)
		copyLive(out.F64, v.F64, sel, rows)
	default:
		n.hdr = *v
		n.hdr.Type = n.to
		out = &n.hdr
	}
	if n.check && outOfKind(out, sel, rows) {
		if i := firstOutOfKind(out, sel, rows); i >= 0 {
			if n.from.ID == coldata.String {
				return nil, n.msg.withSource(conversionErrorf("Could not convert string '%s' to %s", v.Str[i], typeName(n.to)))
			}
			return nil, n.msg.rangeError(v.Get(i))
		}
	}
	if n.to.Kind == coldata.KindFloat {
		roundFloat32(out.F64, sel, rows)
	}
	return out, nil
}

func copyLive(dst, src []float64, sel []int32, n int) {
	if sel == nil {
		copy(dst[:n], src[:n])
		return
	}
	for _, i := range sel {
		dst[i] = src[i]
	}
}

func roundFloat32(f []float64, sel []int32, n int) {
	if sel == nil {
		f = f[:n]
		for i, x := range f {
			f[i] = float64(float32(x))
		}
		return
	}
	for _, i := range sel {
		f[i] = float64(float32(f[i]))
	}
}

// outOfKind reports whether some live row (NULL rows included: their
// slots may hold anything) lies outside v's kind's range.
func outOfKind(v *coldata.Vec, sel []int32, n int) bool {
	switch v.Type.Kind {
	case coldata.KindUBigint:
		var o int64
		for k := 0; k < liveLen(sel, n); k++ {
			o |= v.I128[rowAt(sel, k)].Hi
		}
		return o != 0
	case coldata.KindFloat:
		o := 0
		for k := 0; k < liveLen(sel, n); k++ {
			f := math.Abs(v.F64[rowAt(sel, k)])
			o |= b2i(f > math.MaxFloat32 && f <= math.MaxFloat64)
		}
		return o != 0
	}
	lo, hi, _ := v.Type.IntRange()
	if v.Type.ID == coldata.Int32 {
		return outOfRange32(v.I32, int32(lo), uint32(hi-lo), sel, n)
	}
	return outOfRange64(v.I64, lo, uint64(hi-lo), sel, n)
}

// outOfRange32 checks x-lo <= span as one unsigned compare per row.
func outOfRange32(v []int32, lo int32, span uint32, sel []int32, n int) bool {
	o := 0
	if sel == nil {
		for _, x := range v[:n] {
			o |= b2i(uint32(x-lo) > span)
		}
		return o != 0
	}
	for _, i := range sel {
		o |= b2i(uint32(v[i]-lo) > span)
	}
	return o != 0
}

func outOfRange64(v []int64, lo int64, span uint64, sel []int32, n int) bool {
	o := 0
	if sel == nil {
		for _, x := range v[:n] {
			o |= b2i(uint64(x-lo) > span)
		}
		return o != 0
	}
	for _, i := range sel {
		o |= b2i(uint64(v[i]-lo) > span)
	}
	return o != 0
}

// firstOutOfKind is the first live non-NULL row outside the kind's range,
// or -1.
func firstOutOfKind(v *coldata.Vec, sel []int32, n int) int {
	for k := 0; k < liveLen(sel, n); k++ {
		i := rowAt(sel, k)
		if !v.IsNull(i) && !coldata.FitsKind(v.Type, v.Get(i)) {
			return i
		}
	}
	return -1
}

// renameKinds rewrites a storage kernel's error to name the logical types
// (INT32 → INT8 etc.).
func renameKinds(err error, ts ...coldata.Type) error {
	msg := err.Error()
	changed := false
	for _, t := range ts {
		if t.Kind == coldata.KindNone {
			continue
		}
		s, l := typeName(t.Storage()), typeName(t)
		for _, pat := range []string{"Type %s with", "destination type %s", " to %s", "of %s ("} {
			from, to := strings.Replace(pat, "%s", s, 1), strings.Replace(pat, "%s", l, 1)
			if strings.Contains(msg, from) {
				msg = strings.Replace(msg, from, to, 1)
				changed = true
				break
			}
		}
	}
	if !changed {
		return err
	}
	return errString(msg)
}

type errString string

func (e errString) Error() string { return string(e) }

// kindArithNode computes + - * // % of kinded operands in their storage
// type, then checks the result against the kind's range.
type kindArithNode struct {
	op     expr.Op
	t      coldata.Type
	l, r   node
	fl, fr feedNode
	inner  node
}

// compileKindArith wraps the storage type's arithmetic for a kinded result.
func (c *compiler) compileKindArith(e *expr.Func, args []node) (node, error) {
	n := &kindArithNode{op: e.Op, t: e.Typ, l: args[0], r: args[1]}
	n.fl.t, n.fr.t = args[0].typ().Storage(), args[1].typ().Storage()
	se := *e
	se.Typ = e.Typ.Storage()
	inner, err := c.compileArith(&se, []node{&n.fl, &n.fr})
	if err != nil {
		return nil, err
	}
	n.inner = inner
	return fold(n, n.l, n.r), nil
}

func (n *kindArithNode) typ() coldata.Type { return n.t }

func (n *kindArithNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	lv, err := n.l.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rv, err := n.r.eval(b, sel)
	if err != nil {
		return nil, err
	}
	n.fl.v, n.fr.v = lv, rv
	out, err := n.inner.eval(b, sel)
	if err != nil {
		return nil, renameKinds(err, n.t)
	}
	out.Type = n.t
	if n.t.Kind == coldata.KindFloat {
		roundFloat32(out.F64, sel, b.N)
		return out, nil
	}
	if outOfKind(out, sel, b.N) {
		if i := firstOutOfKind(out, sel, b.N); i >= 0 {
			word := opWords[n.op]
			if word == "" {
				word = n.op.String()
			}
			return nil, rangeErrorf("Overflow in %s of %s (%s %s %s)!", word, typeName(n.t),
				coldata.Format(n.t, lv.Get(i)), n.op, coldata.Format(n.t, rv.Get(i)))
		}
	}
	return out, nil
}

// appendFloatKind prints a DOUBLE, or a FLOAT as its shortest float32 form.
func appendFloatKind(buf []byte, f float64, k coldata.Kind) []byte {
	if k != coldata.KindFloat || math.IsNaN(f) || math.IsInf(f, 0) {
		return appendFloat(buf, f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return append(strconv.AppendFloat(buf, f, 'f', -1, 32), ".0"...)
	}
	return strconv.AppendFloat(buf, f, 'g', -1, 32)
}

// kindNegNode negates a small or unsigned integer: the signed kinds fail
// on their minimum, the unsigned ones wrap modulo 2^bits as DuckDB's do
// (-(1::UTINYINT) is 255).
type kindNegNode struct {
	x   node
	t   coldata.Type
	res result
}

func (n *kindNegNode) typ() coldata.Type { return n.t }

func (n *kindNegNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	out := n.res.reset(n.t, b.N)
	n.res.shareNulls(sel, b.N, v, nil)
	switch n.t.Kind {
	case coldata.KindUBigint:
		for k := 0; k < liveLen(sel, b.N); k++ {
			i := rowAt(sel, k)
			out.I128[i] = coldata.Int128{Lo: -v.I128[i].Lo}
		}
	case coldata.KindUInteger:
		for k := 0; k < liveLen(sel, b.N); k++ {
			i := rowAt(sel, k)
			out.I64[i] = -v.I64[i] & math.MaxUint32
		}
	case coldata.KindUTinyint, coldata.KindUSmallint:
		_, hi, _ := n.t.IntRange()
		mask := int32(hi)
		for k := 0; k < liveLen(sel, b.N); k++ {
			i := rowAt(sel, k)
			out.I32[i] = -v.I32[i] & mask
		}
	default: // TINYINT, SMALLINT: only the minimum overflows
		lo, _, _ := n.t.IntRange()
		bad := false
		for k := 0; k < liveLen(sel, b.N); k++ {
			i := rowAt(sel, k)
			x := v.I32[i]
			out.I32[i] = -x
			bad = bad || (int64(x) == lo && !v.IsNull(i))
		}
		if bad {
			return nil, rangeErrorf("Overflow in negation of numeric value!")
		}
	}
	return out, nil
}

// kindGuardNode checks the result of a function whose kernel computes a
// small or unsigned integer in its wider storage without knowing the
// kind (abs, shifts, bit operations, ...): a result outside the kind's
// range is DuckDB's overflow error, not a wrapped value. args, compiled
// separately, are evaluated only to describe the error.
type kindGuardNode struct {
	inner node
	e     *expr.Func
	args  []node
}

// guardKind compiles e with compile and, when its result has an integer
// kind the arithmetic nodes above do not already check, guards it.
func (c *compiler) guardKind(e *expr.Func, compile func(*expr.Func) (node, error)) (node, error) {
	n, err := compile(e)
	if err != nil || e.Typ.Kind == coldata.KindNone || e.Typ.Kind == coldata.KindFloat || e.Typ.IsBytes() {
		return n, err
	}
	switch e.Op {
	case expr.OpAdd, expr.OpSub, expr.OpMul, expr.OpDiv, expr.OpMod, expr.OpIntDiv, expr.OpNeg,
		expr.OpCoalesce, expr.OpGreatest, expr.OpLeast:
		return n, nil
	}
	if k, ok := n.(*constNode); ok && (k.d.Null || coldata.FitsKind(e.Typ, k.d)) {
		return n, nil
	}
	g := &kindGuardNode{inner: n, e: e}
	for _, a := range e.Args {
		an, err := c.compile(a)
		if err != nil {
			return nil, err
		}
		g.args = append(g.args, an)
	}
	return g, nil
}

func (g *kindGuardNode) typ() coldata.Type { return g.e.Typ }

func (g *kindGuardNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	out, err := g.inner.eval(b, sel)
	if err != nil {
		return nil, err
	}
	if g.e.Op == expr.OpBitNot && g.e.Typ.IsUnsigned() {
		maskUnsigned(out, sel, b.N) // ~ of an unsigned value keeps its width: ~200::UTINYINT is 55
	}
	if !outOfKind(out, sel, b.N) {
		return out, nil
	}
	i := firstOutOfKind(out, sel, b.N)
	if i < 0 {
		return out, nil
	}
	vals := make([]string, len(g.args))
	for k, a := range g.args {
		v, err := a.eval(b, sel)
		if err != nil {
			return nil, err
		}
		vals[k] = coldata.Format(a.typ(), v.Get(i))
	}
	switch {
	case g.e.Op == expr.OpAbs && len(vals) == 1:
		return nil, rangeErrorf("Overflow on abs(%s)", vals[0])
	case g.e.Op == expr.OpShiftLeft && len(vals) == 2:
		return nil, rangeErrorf("Overflow in left shift (%s << %s)", vals[0], vals[1])
	}
	return nil, rangeErrorf("Overflow in %s of %s (%s)", g.e.Op, typeName(g.e.Typ), strings.Join(vals, ", "))
}

// maskUnsigned keeps the low bits of an unsigned kind's values.
func maskUnsigned(v *coldata.Vec, sel []int32, n int) {
	for k := 0; k < liveLen(sel, n); k++ {
		i := rowAt(sel, k)
		switch v.Type.Kind {
		case coldata.KindUBigint:
			v.I128[i].Hi = 0
		case coldata.KindUInteger:
			v.I64[i] &= math.MaxUint32
		default:
			_, hi, _ := v.Type.IntRange()
			v.I32[i] &= int32(hi)
		}
	}
}
