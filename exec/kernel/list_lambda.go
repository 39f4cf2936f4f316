package kernel

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// Lambdas and casts of nested values evaluate an expression over a list's
// elements as one batch: the elements are the batch's column 0 (and 1 for
// list_reduce's accumulator and element).

// elemBatch wraps vectors of equal length as a batch.
func elemBatch(b *coldata.Batch, vs ...*coldata.Vec) *coldata.Batch {
	b.Vecs = append(b.Vecs[:0], vs...)
	b.N, b.Sel = 0, nil
	if len(vs) > 0 {
		b.N = vs[0].Len()
	}
	return b
}

// compileLambda compiles a lambda's body over its parameters' types.
func compileLambda(l *expr.Lambda) (node, error) {
	sub := &compiler{input: l.Types}
	return sub.compile(l.Body)
}

// captures are the query's columns a lambda body reads: evaluated on the
// query's batch and repeated for each element (or accumulator) of a row.
type captures struct {
	args []node
	vs   []*coldata.Vec
	reps []coldata.Vec
	from []int32
}

func (c *captures) eval(b *coldata.Batch, sel []int32) error {
	c.vs = c.vs[:0]
	for _, a := range c.args {
		v, err := a.eval(b, sel)
		if err != nil {
			return err
		}
		c.vs = append(c.vs, v)
	}
	return nil
}

// repeat appends to vs the captures of rows rows[k] (the row of each element).
func (c *captures) repeat(vs []*coldata.Vec, rows []int32) []*coldata.Vec {
	if len(c.reps) < len(c.vs) {
		c.reps = make([]coldata.Vec, len(c.vs))
	}
	for k, v := range c.vs {
		r := &c.reps[k]
		*r = coldata.Vec{Type: v.Type}
		r.Resize(len(rows))
		if len(rows) > 0 {
			r.CopyFrom(v, rows, len(rows), 0)
		}
		vs = append(vs, r)
	}
	return vs
}

// elemRows maps each element of l to its row.
func (c *captures) elemRows(l *coldata.Vec, n int) []int32 {
	c.from = c.from[:0]
	for i := 0; i < n; i++ {
		for j := l.Offsets[i]; j < l.Offsets[i+1]; j++ {
			c.from = append(c.from, int32(i))
		}
	}
	return c.from
}

// lambdaNode is list_transform and list_filter.
type lambdaNode struct {
	op   expr.Op
	list node
	body node
	caps captures
	t    coldata.Type
	eb   coldata.Batch
	o    listOut
	out  coldata.Vec
}

func (n *lambdaNode) typ() coldata.Type { return n.t }

func (n *lambdaNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	l, err := n.list.eval(b, sel)
	if err != nil {
		return nil, err
	}
	vs := []*coldata.Vec{l.Child[0]}
	if len(n.caps.args) > 0 {
		if err := n.caps.eval(b, sel); err != nil {
			return nil, err
		}
		vs = n.caps.repeat(vs, n.caps.elemRows(l, b.N))
	}
	res, err := n.body.eval(elemBatch(&n.eb, vs...), nil)
	if err != nil {
		return nil, err
	}
	if n.op == expr.OpListTransform {
		n.out = coldata.Vec{Type: n.t, Offsets: l.Offsets, Nulls: l.Nulls, Child: []*coldata.Vec{res}}
		return &n.out, nil
	}
	n.o.reset(b.N)
	each(sel, b.N, func(i int) {
		if l.IsNull(i) {
			n.o.null(i)
			return
		}
		n.o.start(i)
		for j := l.Offsets[i]; j < l.Offsets[i+1]; j++ {
			if !res.IsNull(int(j)) && res.B[j] {
				n.o.idx = append(n.o.idx, j)
			}
		}
		n.o.end(i)
	})
	return n.o.finish(n.t, l.Child[0], b.N), nil
}

// reduceNode is list_reduce(l, (acc, x) -> body): step k folds element k
// into the accumulators of every row that has one, as one batch.
type reduceNode struct {
	list node
	body node
	caps captures
	t    coldata.Type
	eb   coldata.Batch
	acc  coldata.Vec
}

func (n *reduceNode) typ() coldata.Type { return n.t }

func (n *reduceNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	l, err := n.list.eval(b, sel)
	if err != nil {
		return nil, err
	}
	if err := n.caps.eval(b, sel); err != nil {
		return nil, err
	}
	src := l.Child[0]
	// The first elements start the accumulators; NULL or empty lists are NULL.
	first := make([]int32, b.N)
	nulls := make([]bool, b.N)
	longest := int32(0)
	var emptyErr error
	for i := 0; i < b.N; i++ {
		nulls[i] = true
	}
	each(sel, b.N, func(i int) {
		if l.IsNull(i) {
			return
		}
		size := l.Offsets[i+1] - l.Offsets[i]
		if size == 0 {
			emptyErr = fmt.Errorf("Parameter Not Allowed Error: Cannot perform list_reduce on an empty input list")
			return
		}
		first[i], nulls[i] = l.Offsets[i], false
		longest = max(longest, size)
	})
	if emptyErr != nil {
		return nil, emptyErr
	}
	n.acc = coldata.Vec{Type: n.t}
	n.acc.Resize(b.N)
	if src.Len() > 0 {
		n.acc.CopyFrom(src, first, b.N, 0)
	}
	var rows, elems []int32
	var accR, elemR, both coldata.Vec
	for k := int32(1); k < longest; k++ {
		rows, elems = rows[:0], elems[:0]
		for i := 0; i < b.N; i++ {
			if !nulls[i] && l.Offsets[i+1]-l.Offsets[i] > k {
				rows, elems = append(rows, int32(i)), append(elems, l.Offsets[i]+k)
			}
		}
		accR = coldata.Vec{Type: n.t}
		accR.Resize(len(rows))
		accR.CopyFrom(&n.acc, rows, len(rows), 0)
		elemR = coldata.Vec{Type: src.Type}
		elemR.Resize(len(rows))
		elemR.CopyFrom(src, elems, len(elems), 0)
		vs := n.caps.repeat([]*coldata.Vec{&accR, &elemR}, rows)
		res, err := n.body.eval(elemBatch(&n.eb, vs...), nil)
		if err != nil {
			return nil, err
		}
		// New accumulators: the old ones, with the folded rows replaced.
		from := make([]int32, b.N)
		for i := range from {
			from[i] = int32(i)
		}
		for r, i := range rows {
			from[i] = int32(b.N + r)
		}
		stack(&both, n.t, []*coldata.Vec{&n.acc, res}, []int{b.N, len(rows)})
		n.acc = coldata.Vec{Type: n.t}
		n.acc.Resize(b.N)
		n.acc.CopyFrom(&both, from, b.N, 0)
	}
	accNulls := n.acc.EnsureNulls()
	for i, isNull := range nulls {
		accNulls[i] = accNulls[i] || isNull
	}
	return &n.acc, nil
}

// nestedCastNode casts a list's elements (or a struct's fields) with the
// element casts compiled over the child vectors.
type nestedCastNode struct {
	arg   node
	elems []node // List: one; Struct: one per field
	t     coldata.Type
	eb    coldata.Batch
	out   coldata.Vec
}

func (n *nestedCastNode) typ() coldata.Type { return n.t }

func (n *nestedCastNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	v, err := n.arg.eval(b, sel)
	if err != nil {
		return nil, err
	}
	kids := make([]*coldata.Vec, len(n.elems))
	for k, e := range n.elems {
		res, err := e.eval(elemBatch(&n.eb, v.Child[k]), nil)
		if err != nil {
			return nil, err
		}
		kids[k] = res
	}
	n.out = coldata.Vec{Type: n.t, Nulls: v.Nulls, Offsets: v.Offsets, Child: kids, SLen: v.SLen}
	return &n.out, nil
}

// compileNestedCast compiles CAST between list types or struct types of
// the same fields.
func (c *compiler) compileNestedCast(e *expr.Cast) (node, error) {
	from, to := e.Arg.Type(), e.Typ
	arg, err := c.compile(e.Arg)
	if err != nil {
		return nil, err
	}
	if from.ID == coldata.Unknown {
		return &nullNestedNode{t: to}, nil
	}
	ft, tt := from.ChildTypes(), to.ChildTypes()
	if from.ID != to.ID || len(ft) != len(tt) {
		if e.Try {
			return &nullNestedNode{t: to}, nil
		}
		return nil, conversionErrorf("Unimplemented type for cast (%s -> %s)", from, to)
	}
	n := &nestedCastNode{arg: arg, t: to}
	for k := range ft {
		sub := &compiler{input: []coldata.Type{ft[k]}}
		var x expr.Expr = &expr.Column{Index: 0, Typ: ft[k]}
		if !ft[k].Equal(tt[k]) {
			x = &expr.Cast{Arg: x, Typ: tt[k], Try: e.Try} // TRY_CAST: failed elements are NULL
		}
		en, err := sub.compile(x)
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, en)
	}
	return n, nil
}

// nullNestedNode is a NULL of a nested type, as many rows as asked
// (a constant's vector would not be well formed at zero rows).
type nullNestedNode struct {
	t   coldata.Type
	out coldata.Vec
}

func (n *nullNestedNode) typ() coldata.Type { return n.t }

func (n *nullNestedNode) eval(b *coldata.Batch, _ []int32) (*coldata.Vec, error) {
	n.out = coldata.Vec{Type: n.t}
	n.out.Resize(b.N)
	nulls := n.out.EnsureNulls()
	for i := range nulls {
		nulls[i] = true
	}
	return &n.out, nil
}
