package kernel

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// node is one compiled expression.
type node interface {
	// eval computes the expression for rows sel of b (all rows [0,b.N) when
	// sel is nil; callers never pass a non-nil empty selection to a child).
	// The result has physical length b.N; only rows in sel are meaningful.
	// It is owned by the node (or is an input vector) and must not be
	// modified by the caller.
	eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error)
	typ() coldata.Type
}

// Evaluator is a compiled scalar expression. It satisfies exec.VecExpr.
type Evaluator struct {
	root node
}

// Compile turns e, whose Column indexes refer to the input batch's vectors
// with the given types, into an evaluator. Type combinations the expr
// contract does not allow are reported here, not at Eval time.
func Compile(e expr.Expr, input []coldata.Type) (*Evaluator, error) {
	c := &compiler{input: input}
	n, err := c.compile(e)
	if err != nil {
		return nil, err
	}
	return &Evaluator{root: n}, nil
}

// Type is the type of the vectors Eval returns.
func (ev *Evaluator) Type() coldata.Type { return ev.root.typ() }

// Eval evaluates the expression over the live rows of b. The result has
// physical length b.N and is overwritten by the next call.
func (ev *Evaluator) Eval(b *coldata.Batch) (*coldata.Vec, error) {
	return ev.root.eval(b, b.Sel)
}

// EvalConst evaluates an expression without Column references (constant
// folding in the planner).
func EvalConst(e expr.Expr) (coldata.Datum, error) {
	ev, err := Compile(e, nil)
	if err != nil {
		return coldata.Datum{}, err
	}
	if c, ok := ev.root.(*constNode); ok {
		return c.d, nil
	}
	// Folding failed (the expression errors) or the node is not foldable;
	// evaluate once to surface the error.
	v, err := ev.root.eval(&coldata.Batch{N: 1}, nil)
	if err != nil {
		return coldata.Datum{}, err
	}
	return v.Get(0), nil
}

type compiler struct {
	input []coldata.Type
}

func (c *compiler) compile(e expr.Expr) (node, error) {
	if err := checkNestedUse(e); err != nil {
		return nil, err
	}
	switch e := e.(type) {
	case *expr.Column:
		if e.Index < 0 || e.Index >= len(c.input) {
			return nil, internalf("column %s (#%d) out of range: input has %d columns", e, e.Index, len(c.input))
		}
		if got := c.input[e.Index]; got != e.Typ && !got.Equal(e.Typ) {
			return nil, internalf("column %s has type %s but input #%d is %s", e, e.Typ, e.Index, got)
		}
		if err := checkType(e.Typ); err != nil {
			return nil, err
		}
		return &colNode{idx: e.Index, t: e.Typ}, nil
	case *expr.Const:
		if err := checkType(e.Typ); err != nil {
			return nil, err
		}
		return newConst(e.Typ, e.Val), nil
	case *expr.Func:
		if e.Op.IsNestedOp() {
			return c.compileNested(e)
		}
		return c.guardKind(e, c.compileFunc)
	case *expr.Cast:
		if e.Arg.Type().IsNested() && e.Typ.ID == coldata.String {
			arg, err := c.compile(e.Arg)
			if err != nil {
				return nil, err
			}
			return &nestedStringNode{arg: arg}, nil
		}
		if e.Typ.IsNested() {
			return c.compileNestedCast(e)
		}
		return c.compileCast(e)
	case *expr.Case:
		return c.compileCase(e)
	case *expr.In:
		return c.compileIn(e)
	case *expr.Like:
		return c.compileLike(e)
	case *expr.IsNull:
		return c.compileIsNull(e)
	case nil:
		return nil, internalf("nil expression")
	}
	return nil, errorf("expression %T", e)
}

func (c *compiler) compileArgs(args []expr.Expr) ([]node, error) {
	out := make([]node, len(args))
	for i, a := range args {
		n, err := c.compile(a)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// checkType rejects types the kernels cannot represent: decimals whose scale
// has no power of ten in int64 would otherwise index out of coldata.Pow10.
func checkType(t coldata.Type) error {
	switch t.ID {
	case coldata.Decimal:
		if t.Scale > 18 || t.Scale > t.Precision || t.Precision == 0 || t.Precision > coldata.MaxDecimalPrecision {
			return errorf("decimal type %s", t)
		}
	case coldata.Interval:
		return errorf("INTERVAL values cannot be evaluated in vectors")
	}
	return nil
}

// colNode reads an input vector as is.
type colNode struct {
	idx int
	t   coldata.Type
}

func (n *colNode) typ() coldata.Type { return n.t }

func (n *colNode) eval(b *coldata.Batch, _ []int32) (*coldata.Vec, error) {
	if n.idx >= len(b.Vecs) {
		return nil, internalf("batch has %d vectors, expression reads #%d", len(b.Vecs), n.idx)
	}
	return b.Vecs[n.idx], nil
}

// constNode is a constant. Its vector is filled once and only refilled when
// a longer batch arrives, so kernels without a dedicated constant path read
// it like any vector at no per-batch cost. Nobody writes to a child's result,
// which makes the sharing safe.
type constNode struct {
	t      coldata.Type
	d      coldata.Datum
	full   coldata.Vec // filled with d up to filled rows
	filled int
	view   coldata.Vec // full sliced to the current batch length
}

func newConst(t coldata.Type, d coldata.Datum) *constNode {
	if t.ID == coldata.Unknown {
		d = coldata.NullDatum
	}
	return &constNode{t: t, d: d, full: coldata.Vec{Type: t}, view: coldata.Vec{Type: t}}
}

func (n *constNode) typ() coldata.Type { return n.t }

func (n *constNode) eval(b *coldata.Batch, _ []int32) (*coldata.Vec, error) {
	return n.vec(b.N), nil
}

func (n *constNode) vec(rows int) *coldata.Vec {
	if n.filled < rows {
		size := max(rows, 2*n.filled, 16)
		f := &n.full
		f.Resize(size)
		if n.d.Null {
			f.Nulls = make([]bool, size)
			for i := range f.Nulls {
				f.Nulls[i] = true
			}
		} else {
			for i := 0; i < size; i++ {
				f.Set(i, n.d)
			}
		}
		n.filled = size
	}
	v := &n.view
	*v = n.full
	switch physOf(n.t) {
	case physBool:
		v.B = v.B[:rows]
	case physI32:
		v.I32 = v.I32[:rows]
	case physI64:
		v.I64 = v.I64[:rows]
	case physF64:
		v.F64 = v.F64[:rows]
	case physStr:
		v.Str = v.Str[:rows]
	case physI128:
		v.I128 = v.I128[:rows]
	}
	if v.Nulls != nil {
		v.Nulls = v.Nulls[:rows]
	}
	return v
}

func isConst(n node) bool {
	_, ok := n.(*constNode)
	return ok
}

func isNullConst(n node) bool {
	c, ok := n.(*constNode)
	return ok && c.d.Null
}

// fold replaces n by a constant when all its inputs are constants. If
// evaluating fails (say, overflow), n stays as is: the error is raised only
// if a row ever reaches it, as DuckDB's constant folding does.
func fold(n node, kids ...node) node {
	for _, k := range kids {
		if !isConst(k) {
			return n
		}
	}
	v, err := n.eval(&coldata.Batch{N: 1}, nil)
	if err != nil {
		return n
	}
	return newConst(n.typ(), v.Get(0))
}
