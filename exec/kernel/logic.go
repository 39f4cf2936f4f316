package kernel

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// logicNode is an n-ary AND or OR with SQL three-valued logic. Each argument
// is evaluated only on the rows the earlier ones left undecided (not FALSE
// for AND, not TRUE for OR), so later arguments see fewer rows and cannot
// fail on rows whose result is already known.
type logicNode struct {
	and  bool
	args []node
	res  result
	rem  []int32
}

func (c *compiler) compileLogic(e *expr.Func, args []node) (node, error) {
	and := e.Op == expr.OpAnd
	var kept []node
	for _, a := range args {
		if a.typ().ID != coldata.Bool && a.typ().ID != coldata.Unknown {
			return nil, errorf("%s needs BOOLEAN operands, got %s", e.Op, a.typ())
		}
		if k, ok := a.(*constNode); ok && !k.d.Null {
			if k.d.B != and {
				// FALSE decides an AND, TRUE an OR.
				return newConst(coldata.TypeBool, coldata.Datum{B: !and}), nil
			}
			continue // TRUE AND x = x; FALSE OR x = x
		}
		if a.typ().ID == coldata.Unknown {
			a = newConst(coldata.TypeBool, coldata.NullDatum)
		}
		kept = append(kept, a)
	}
	switch len(kept) {
	case 0:
		return newConst(coldata.TypeBool, coldata.Datum{B: and}), nil
	case 1:
		return kept[0], nil
	}
	return fold(&logicNode{and: and, args: kept}, kept...), nil
}

func (n *logicNode) typ() coldata.Type { return coldata.TypeBool }

func (n *logicNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	out := n.res.reset(coldata.TypeBool, rows)
	nulls := n.res.clearedNulls(rows)
	if sel == nil {
		for i := range out.B[:rows] {
			out.B[i] = n.and
		}
	} else {
		for _, i := range sel {
			out.B[i] = n.and
		}
	}
	undecided := sel
	for _, a := range n.args {
		if undecided != nil && len(undecided) == 0 {
			break
		}
		v, err := a.eval(b, undecided)
		if err != nil {
			return nil, err
		}
		dst := selBuf(&n.rem, liveLen(undecided, rows))
		k := 0
		for j := 0; j < liveLen(undecided, rows); j++ {
			i := int32(rowAt(undecided, j))
			switch {
			case v.Nulls != nil && v.Nulls[i]:
				nulls[i] = true
			case v.B[i] != n.and:
				out.B[i] = !n.and
				nulls[i] = false
				continue
			}
			dst[k] = i
			k++
		}
		undecided = dst[:k]
	}
	dropEmptyNulls(out, sel, rows)
	return out, nil
}

// notNode is NOT, with NULL staying NULL.
type notNode struct {
	x   node
	res result
}

func (c *compiler) compileNot(args []node) (node, error) {
	x := args[0]
	if x.typ().ID == coldata.Unknown || isNullConst(x) {
		return newConst(coldata.TypeBool, coldata.NullDatum), nil
	}
	if x.typ().ID != coldata.Bool {
		return nil, errorf("NOT needs a BOOLEAN operand, got %s", x.typ())
	}
	return fold(&notNode{x: x}, x), nil
}

func (n *notNode) typ() coldata.Type { return coldata.TypeBool }

func (n *notNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(coldata.TypeBool, rows)
	n.res.shareNulls(sel, rows, v, nil)
	if sel == nil {
		for i, x := range v.B[:rows] {
			out.B[i] = !x
		}
	} else {
		for _, i := range sel {
			out.B[i] = !v.B[i]
		}
	}
	return out, nil
}

// isNullNode is IS [NOT] NULL; it is never NULL itself.
type isNullNode struct {
	x   node
	not bool
	res result
}

func (c *compiler) compileIsNull(e *expr.IsNull) (node, error) {
	x, err := c.compile(e.Arg)
	if err != nil {
		return nil, err
	}
	if x.typ().ID == coldata.Unknown {
		return newConst(coldata.TypeBool, coldata.Datum{B: !e.Not}), nil
	}
	return fold(&isNullNode{x: x, not: e.Not}, x), nil
}

func (n *isNullNode) typ() coldata.Type { return coldata.TypeBool }

func (n *isNullNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.x.eval(b, sel)
	if err != nil {
		return nil, err
	}
	rows := b.N
	out := n.res.reset(coldata.TypeBool, rows)
	if v.Nulls == nil {
		scatterConst(out.B, n.not, sel, rows)
		return out, nil
	}
	if sel == nil {
		for i, x := range v.Nulls[:rows] {
			out.B[i] = x != n.not
		}
	} else {
		for _, i := range sel {
			out.B[i] = v.Nulls[i] != n.not
		}
	}
	return out, nil
}

func scatterConst[T any](dst []T, x T, sel []int32, n int) {
	if sel == nil {
		dst = dst[:n]
		for i := range dst {
			dst[i] = x
		}
		return
	}
	for _, i := range sel {
		dst[i] = x
	}
}

// coalesceNode evaluates each argument only on the rows still NULL.
type coalesceNode struct {
	args []node
	t    coldata.Type
	res  result
	rem  []int32
}

func (c *compiler) compileCoalesce(e *expr.Func, args []node) (node, error) {
	var kept []node
	for _, a := range args {
		if a.typ().ID == coldata.Unknown || isNullConst(a) {
			continue
		}
		if a.typ() != e.Typ {
			return nil, errorf("coalesce arguments must all be %s, got %s", e.Typ, a.typ())
		}
		kept = append(kept, a)
		if isConst(a) {
			break // never NULL: later arguments are unreachable
		}
	}
	switch len(kept) {
	case 0:
		return newConst(e.Typ, coldata.NullDatum), nil
	case 1:
		return kept[0], nil
	}
	return fold(&coalesceNode{args: kept, t: e.Typ}, kept...), nil
}

func (n *coalesceNode) typ() coldata.Type { return n.t }

func (n *coalesceNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	first, err := n.args[0].eval(b, sel)
	if err != nil {
		return nil, err
	}
	if !anyNull(first, sel, rows) {
		return first, nil // the common case costs nothing
	}
	out := n.res.reset(n.t, rows)
	nulls := n.res.ownNulls(rows)
	copyRows(out, first, nulls, sel, rows)
	pending := selectNullRows(first.Nulls, sel, rows, selBuf(&n.rem, liveLen(sel, rows)))
	for _, a := range n.args[1:] {
		if len(pending) == 0 {
			break
		}
		v, err := a.eval(b, pending)
		if err != nil {
			return nil, err
		}
		copyRows(out, v, nulls, pending, rows)
		if v.Nulls == nil {
			pending = pending[:0]
			break
		}
		pending = selectNullRows(v.Nulls, pending, rows, pending)
	}
	dropEmptyNulls(out, sel, rows)
	return out, nil
}

// selectNullRows is selectNonNull's opposite.
func selectNullRows(nulls []bool, sel []int32, n int, dst []int32) []int32 {
	k := 0
	for j := 0; j < liveLen(sel, n); j++ {
		i := int32(rowAt(sel, j))
		dst[k] = i
		k += b2i(nulls[i])
	}
	return dst[:k]
}

// caseNode is a searched CASE. Each condition runs as a selector over the
// rows no earlier branch took, and each branch value only over the rows it
// decides.
type caseNode struct {
	conds []selNode
	thens []node
	els   node // nil: NULL
	t     coldata.Type
	res   result
	rem   []int32
	hit   []int32
}

func (c *compiler) compileCase(e *expr.Case) (node, error) {
	n := &caseNode{t: e.Typ}
	for _, w := range e.Whens {
		then, err := c.compile(w.Then)
		if err != nil {
			return nil, err
		}
		if then.typ() != e.Typ && then.typ().ID != coldata.Unknown {
			return nil, errorf("CASE branch of type %s in a CASE of type %s", then.typ(), e.Typ)
		}
		cond, err := c.compileSel(w.Cond, false)
		if err != nil {
			return nil, err
		}
		if k, ok := cond.(*selConst); ok {
			if !k.keep {
				continue // never taken
			}
			if len(n.conds) == 0 {
				return c.retype(then, e.Typ), nil
			}
			// Always taken: it is the ELSE of what precedes it.
			n.els = then
			break
		}
		n.conds = append(n.conds, cond)
		n.thens = append(n.thens, c.retype(then, e.Typ))
	}
	if n.els == nil && e.Else != nil {
		els, err := c.compile(e.Else)
		if err != nil {
			return nil, err
		}
		if els.typ() != e.Typ && els.typ().ID != coldata.Unknown {
			return nil, errorf("CASE ELSE of type %s in a CASE of type %s", els.typ(), e.Typ)
		}
		n.els = c.retype(els, e.Typ)
	}
	if len(n.conds) == 0 {
		if n.els == nil {
			return newConst(e.Typ, coldata.NullDatum), nil
		}
		return n.els, nil
	}
	return n, nil
}

// retype turns a NULL of unknown type into a NULL of type t.
func (c *compiler) retype(n node, t coldata.Type) node {
	if n.typ().ID == coldata.Unknown && t.ID != coldata.Unknown {
		return newConst(t, coldata.NullDatum)
	}
	return n
}

func (n *caseNode) typ() coldata.Type { return n.t }

func (n *caseNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	out := n.res.reset(n.t, rows)
	nulls := n.res.ownNulls(rows)
	live := liveLen(sel, rows)
	rem := sel
	for w, cond := range n.conds {
		if rem != nil && len(rem) == 0 {
			break
		}
		hit, err := cond.sel(b, rem, selBuf(&n.hit, liveLen(rem, rows)))
		if err != nil {
			return nil, err
		}
		if len(hit) > 0 {
			v, err := n.thens[w].eval(b, hit)
			if err != nil {
				return nil, err
			}
			copyRows(out, v, nulls, hit, rows)
		}
		rem = complement(rem, rows, hit, selBuf(&n.rem, live))
	}
	if rem == nil || len(rem) > 0 {
		if n.els != nil {
			v, err := n.els.eval(b, rem)
			if err != nil {
				return nil, err
			}
			copyRows(out, v, nulls, rem, rows)
		} else {
			scatterConst(nulls, true, rem, rows)
		}
	}
	dropEmptyNulls(out, sel, rows)
	return out, nil
}
