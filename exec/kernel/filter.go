package kernel

import (
	"slices"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// selNode is a compiled predicate that selects rows instead of producing a
// BOOLEAN vector.
type selNode interface {
	// sel returns, in order, the rows of sel (all of [0,b.N) when nil) for
	// which the predicate is TRUE. They are written to dst, which holds at
	// least as many rows as sel and may alias it: kernels read position k
	// before writing any position >= k.
	sel(b *coldata.Batch, sel []int32, dst []int32) ([]int32, error)
	// cost estimates the per-row work, to run cheap conjuncts first.
	cost() int
}

// Filter is a compiled predicate that narrows a batch's selection. It
// satisfies exec.Selector.
type Filter struct {
	root selNode
	buf  []int32
}

// CompileFilter compiles a BOOLEAN predicate into a Filter: rows where it is
// TRUE survive, FALSE and NULL drop.
func CompileFilter(e expr.Expr, input []coldata.Type) (*Filter, error) {
	if e == nil {
		return nil, errorf("nil filter")
	}
	if id := e.Type().ID; id != coldata.Bool && id != coldata.Unknown {
		return nil, errorf("filter %s has type %s, not BOOLEAN", e, e.Type())
	}
	c := &compiler{input: input}
	root, err := c.compileSel(e, false)
	if err != nil {
		return nil, err
	}
	return &Filter{root: root}, nil
}

// Select narrows b.Sel to the rows where the predicate is TRUE. The new
// selection is owned by the filter and overwritten by the next call; b.Sel
// stays nil when every row survives.
func (f *Filter) Select(b *coldata.Batch) error {
	if k, ok := f.root.(*selConst); ok && k.keep {
		return nil
	}
	live := b.Len()
	if live == 0 {
		return nil
	}
	out, err := f.root.sel(b, b.Sel, selBuf(&f.buf, live))
	if err != nil {
		return err
	}
	if b.Sel == nil && len(out) == b.N {
		return nil
	}
	b.Sel = out
	return nil
}

// compileSel compiles e (or NOT e when neg) into a selector. NOT is pushed
// down to the leaves, which is exact under three-valued logic: NOT p is TRUE
// exactly where p is FALSE, and De Morgan's laws hold for SQL's AND/OR.
func (c *compiler) compileSel(e expr.Expr, neg bool) (selNode, error) {
	switch e := e.(type) {
	case *expr.Func:
		switch {
		case e.Op == expr.OpAnd || e.Op == expr.OpOr:
			return c.compileAndOr(e, neg)
		case e.Op == expr.OpNot && len(e.Args) == 1:
			return c.compileSel(e.Args[0], !neg)
		case e.Op.IsComparison() && len(e.Args) == 2:
			op := e.Op
			if neg {
				op = op.Negate()
			}
			args, err := c.compileArgs(e.Args)
			if err != nil {
				return nil, err
			}
			n, err := c.compileCompare(&expr.Func{Op: op, Args: e.Args, Typ: e.Typ}, args)
			if err != nil {
				return nil, err
			}
			if cmp, ok := n.(*cmpNode); ok {
				return &cmpSel{cmpNode: cmp}, nil
			}
			return c.selFromNode(n, false)
		case (e.Op == expr.OpStartsWith || e.Op == expr.OpContains) && len(e.Args) == 2:
			if k, ok := e.Args[1].(*expr.Const); ok && !k.Val.Null && k.Typ.ID == coldata.String {
				pat := likeEscape(k.Val.S) + "%"
				if e.Op == expr.OpContains {
					pat = "%" + pat
				}
				return c.compileLikeSel(&expr.Like{Arg: e.Args[0], Pattern: pat, Not: neg})
			}
		}
	case *expr.In:
		in := *e
		in.Not = in.Not != neg
		return c.compileInSel(&in)
	case *expr.Like:
		like := *e
		like.Not = like.Not != neg
		return c.compileLikeSel(&like)
	case *expr.IsNull:
		x, err := c.compile(e.Arg)
		if err != nil {
			return nil, err
		}
		if x.typ().ID == coldata.Unknown || isConst(x) {
			return &selConst{keep: (isNullConst(x) || x.typ().ID == coldata.Unknown) != (e.Not != neg)}, nil
		}
		return &isNullSel{x: x, not: e.Not != neg}, nil
	}
	n, err := c.compile(e)
	if err != nil {
		return nil, err
	}
	return c.selFromNode(n, neg)
}

// selFromNode selects the rows where a BOOLEAN node is TRUE (FALSE if neg).
func (c *compiler) selFromNode(n node, neg bool) (selNode, error) {
	if id := n.typ().ID; id != coldata.Bool && id != coldata.Unknown {
		return nil, errorf("predicate has type %s, not BOOLEAN", n.typ())
	}
	if k, ok := n.(*constNode); ok {
		return &selConst{keep: !k.d.Null && k.d.B != neg}, nil
	}
	return &boolSel{x: n, want: !neg}, nil
}

func (c *compiler) compileAndOr(e *expr.Func, neg bool) (selNode, error) {
	and := (e.Op == expr.OpAnd) != neg
	var terms []selNode
	var fails []bool
	var flatten func(x expr.Expr) error
	flatten = func(x expr.Expr) error {
		if f, ok := x.(*expr.Func); ok && (f.Op == expr.OpAnd || f.Op == expr.OpOr) && (f.Op == e.Op) {
			for _, a := range f.Args {
				if err := flatten(a); err != nil {
					return err
				}
			}
			return nil
		}
		s, err := c.compileSel(x, neg)
		if err != nil {
			return err
		}
		terms = append(terms, s)
		fails = append(fails, canFail(x))
		return nil
	}
	if err := flatten(e); err != nil {
		return nil, err
	}
	// Constants decide or vanish.
	var kt []selNode
	var kf []bool
	for i, t := range terms {
		if k, ok := t.(*selConst); ok {
			if k.keep != and {
				return k, nil // FALSE in an AND, TRUE in an OR
			}
			continue
		}
		kt, kf = append(kt, t), append(kf, fails[i])
	}
	switch len(kt) {
	case 0:
		return &selConst{keep: and}, nil
	case 1:
		return kt[0], nil
	}
	if !and {
		n := kt[len(kt)-1]
		for i := len(kt) - 2; i >= 0; i-- {
			n = &orSel{l: kt[i], r: n}
		}
		return n, nil
	}
	return newAndSel(fuseRanges(kt, kf)), nil
}

// andSel applies its conjuncts one after another, each on the rows the
// previous ones kept.
type andSel struct {
	terms []selNode
}

type andTerm struct {
	s     selNode
	fails bool
}

// newAndSel orders the conjuncts: those that cannot fail go first, cheapest
// first; those that can (overflow, casts) follow in their written order, so
// reordering only ever spares them rows, never exposes them to more.
func newAndSel(ts []andTerm) selNode {
	slices.SortStableFunc(ts, func(a, b andTerm) int {
		switch {
		case a.fails != b.fails:
			return b2i(a.fails) - b2i(b.fails)
		case a.fails:
			return 0
		}
		return a.s.cost() - b.s.cost()
	})
	n := &andSel{}
	for _, t := range ts {
		n.terms = append(n.terms, t.s)
	}
	if len(n.terms) == 1 {
		return n.terms[0]
	}
	return n
}

func (n *andSel) cost() int {
	c := 0
	for _, t := range n.terms {
		c += t.cost()
	}
	return c
}

func (n *andSel) sel(b *coldata.Batch, sel []int32, dst []int32) ([]int32, error) {
	cur := sel
	for _, t := range n.terms {
		out, err := t.sel(b, cur, dst)
		if err != nil {
			return nil, err
		}
		cur = out
		if len(cur) == 0 {
			break
		}
	}
	return cur, nil
}

// fuseRanges merges `x >= lo` and `x <= hi` on the same integer-backed column
// (BETWEEN as the binder writes it) into one range test.
func fuseRanges(terms []selNode, fails []bool) []andTerm {
	out := make([]andTerm, 0, len(terms))
	used := make([]bool, len(terms))
	for i, t := range terms {
		if used[i] {
			continue
		}
		lo, ok := boundOf(t)
		if !ok {
			out = append(out, andTerm{t, fails[i]})
			continue
		}
		fused := false
		for j := i + 1; j < len(terms) && !fused; j++ {
			hi, ok := boundOf(terms[j])
			if !ok || used[j] || hi.col.idx != lo.col.idx || hi.lower == lo.lower {
				continue
			}
			if hi.lower {
				lo, hi = hi, lo
			}
			used[j], fused = true, true
			out = append(out, andTerm{s: &rangeSel{col: lo.col, p: lo.p, lo: lo.v, hi: hi.v}})
		}
		if !fused {
			out = append(out, andTerm{t, fails[i]})
		}
	}
	return out
}

type bound struct {
	col   *colNode
	p     phys
	lower bool  // x >= v (else x <= v)
	v     int64 // inclusive
}

func boundOf(s selNode) (bound, bool) {
	c, ok := s.(*cmpSel)
	if !ok || !c.isC || (c.p != physI32 && c.p != physI64) {
		return bound{}, false
	}
	col, ok := c.l.(*colNode)
	if !ok {
		return bound{}, false
	}
	v := c.c.i64
	if c.p == physI32 {
		v = int64(c.c.i32)
	}
	// Exclusive bounds become inclusive ones; at the type's limits the
	// range is empty, which selRange reports as lo > hi.
	b := bound{col: col, p: c.p}
	switch c.op {
	case expr.OpGe:
		b.lower, b.v = true, v
	case expr.OpGt:
		if v == maxOf(c.p) {
			return b, false
		}
		b.lower, b.v = true, v+1
	case expr.OpLe:
		b.v = v
	case expr.OpLt:
		if v == minOf(c.p) {
			return b, false
		}
		b.v = v - 1
	default:
		return b, false
	}
	return b, true
}

func maxOf(p phys) int64 {
	if p == physI32 {
		return 1<<31 - 1
	}
	return 1<<63 - 1
}

func minOf(p phys) int64 {
	if p == physI32 {
		return -1 << 31
	}
	return -1 << 63
}

// rangeSel is lo <= x <= hi on an integer-backed column.
type rangeSel struct {
	col    *colNode
	p      phys
	lo, hi int64
}

func (n *rangeSel) cost() int { return 2 }

func (n *rangeSel) sel(b *coldata.Batch, sel []int32, dst []int32) ([]int32, error) {
	v, err := n.col.eval(b, sel)
	if err != nil {
		return nil, err
	}
	if v.Nulls != nil {
		if sel = selectNonNull(v.Nulls, sel, b.N, dst); len(sel) == 0 {
			return sel, nil
		}
	}
	var k int
	if n.p == physI32 {
		k = selRange(v.I32, n.lo, n.hi, sel, b.N, dst)
	} else {
		k = selRange(v.I64, n.lo, n.hi, sel, b.N, dst)
	}
	return dst[:k], nil
}

// orSel keeps the rows either side keeps; the right side only sees the rows
// the left one rejected, and the union is merged back into sel's order.
type orSel struct {
	l, r selNode
	a    []int32
	rest []int32
}

func (n *orSel) cost() int { return n.l.cost() + n.r.cost() }

func (n *orSel) sel(b *coldata.Batch, sel []int32, dst []int32) ([]int32, error) {
	live := liveLen(sel, b.N)
	a, err := n.l.sel(b, sel, selBuf(&n.a, live))
	if err != nil {
		return nil, err
	}
	if len(a) == live {
		return dst[:copy(dst, a)], nil
	}
	rest := complement(sel, b.N, a, selBuf(&n.rest, live))
	r, err := n.r.sel(b, rest, rest)
	if err != nil {
		return nil, err
	}
	k, pa, pr := 0, 0, 0
	for j := 0; j < live; j++ {
		i := int32(rowAt(sel, j))
		if pa < len(a) && a[pa] == i {
			pa++
		} else if pr < len(r) && r[pr] == i {
			pr++
		} else {
			continue
		}
		dst[k] = i
		k++
	}
	return dst[:k], nil
}

// selConst is a predicate folded to a constant.
type selConst struct{ keep bool }

func (n *selConst) cost() int { return 0 }

func (n *selConst) sel(b *coldata.Batch, sel []int32, dst []int32) ([]int32, error) {
	if !n.keep {
		return dst[:0], nil
	}
	if sel == nil {
		for i := range dst[:b.N] {
			dst[i] = int32(i)
		}
		return dst[:b.N], nil
	}
	return dst[:copy(dst, sel)], nil
}

// boolSel keeps the rows where a BOOLEAN expression equals want (not NULL).
type boolSel struct {
	x    node
	want bool
}

func (n *boolSel) cost() int { return 30 }

func (n *boolSel) sel(b *coldata.Batch, sel []int32, dst []int32) ([]int32, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	if v.Nulls != nil {
		if sel = selectNonNull(v.Nulls, sel, b.N, dst); len(sel) == 0 {
			return sel, nil
		}
	}
	k := selVC(expr.OpEq, boolBytes(v.B), uint8(b2i(n.want)), sel, b.N, dst)
	return dst[:k], nil
}

// isNullSel is IS [NOT] NULL.
type isNullSel struct {
	x   node
	not bool
}

func (n *isNullSel) cost() int { return 1 + exprCost(n.x) }

func (n *isNullSel) sel(b *coldata.Batch, sel []int32, dst []int32) ([]int32, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	if v.Nulls == nil {
		return (&selConst{keep: n.not}).sel(b, sel, dst)
	}
	k := selVC(expr.OpEq, boolBytes(v.Nulls), uint8(b2i(!n.not)), sel, b.N, dst)
	return dst[:k], nil
}

// cmpSel is a comparison as a selector: no BOOLEAN vector, one pass writing
// the surviving row numbers.
type cmpSel struct {
	*cmpNode
}

func (n *cmpSel) cost() int {
	c := 3
	switch n.p {
	case physF64:
		c = 4
	case physStr:
		c = 6
	}
	if !n.isC {
		c++
	}
	return c + exprCost(n.l) + exprCost(n.r)
}

func (n *cmpSel) sel(b *coldata.Batch, sel []int32, dst []int32) ([]int32, error) {
	rows := b.N
	lv, err := n.l.eval(b, sel)
	if err != nil {
		return nil, err
	}
	if lv.Nulls != nil {
		if sel = selectNonNull(lv.Nulls, sel, rows, dst); len(sel) == 0 {
			return sel, nil
		}
	}
	var k int
	if n.isC {
		switch n.p {
		case physBool:
			k = selVC(n.op, boolBytes(lv.B), n.c.u8, sel, rows, dst)
		case physI32:
			k = selVC(n.op, lv.I32, n.c.i32, sel, rows, dst)
		case physI64:
			k = selVC(n.op, lv.I64, n.c.i64, sel, rows, dst)
		case physF64:
			n.lk = coldata.Grow(n.lk, rows)
			floatKeys(n.lk, lv.F64, sel, rows)
			k = selVC(n.op, n.lk, n.c.i64, sel, rows, dst)
		case physStr:
			k = selVC(n.op, lv.Str, n.c.str, sel, rows, dst)
		case physI128:
			k = selI128(n.op, lv.I128, nil, n.c.i128, sel, rows, dst)
		}
		return dst[:k], nil
	}
	rv, err := n.r.eval(b, sel)
	if err != nil {
		return nil, err
	}
	if rv.Nulls != nil {
		if sel = selectNonNull(rv.Nulls, sel, rows, dst); len(sel) == 0 {
			return sel, nil
		}
	}
	switch n.p {
	case physBool:
		k = selVV(n.op, boolBytes(lv.B), boolBytes(rv.B), sel, rows, dst)
	case physI32:
		k = selVV(n.op, lv.I32, rv.I32, sel, rows, dst)
	case physI64:
		k = selVV(n.op, lv.I64, rv.I64, sel, rows, dst)
	case physF64:
		n.lk = coldata.Grow(n.lk, rows)
		n.rk = coldata.Grow(n.rk, rows)
		floatKeys(n.lk, lv.F64, sel, rows)
		floatKeys(n.rk, rv.F64, sel, rows)
		k = selVV(n.op, n.lk, n.rk, sel, rows, dst)
	case physStr:
		k = selVV(n.op, lv.Str, rv.Str, sel, rows, dst)
	case physI128:
		k = selI128(n.op, lv.I128, rv.I128, coldata.Int128{}, sel, rows, dst)
	}
	return dst[:k], nil
}

// exprCost is a rough per-row cost of computing a node's value.
func exprCost(n node) int {
	switch n.(type) {
	case *colNode, *constNode:
		return 0
	}
	return 10
}

// canFail reports whether evaluating e may raise an error (overflow, a
// failed cast), which limits how conjuncts may be reordered.
func canFail(e expr.Expr) bool {
	fails := false
	expr.Walk(e, func(x expr.Expr) bool {
		switch x := x.(type) {
		case *expr.Cast:
			fails = fails || (x.Arg.Type() != x.Typ && !x.Try)
		case *expr.Func:
			switch x.Op {
			case expr.OpAdd, expr.OpSub, expr.OpMul, expr.OpNeg, expr.OpAbs, expr.OpRound:
				fails = fails || x.Typ.ID != coldata.Float64
			case expr.OpDateAddDays, expr.OpDateAddMonths:
				fails = true
			}
		}
		return !fails
	})
	return fails
}
