package exec

import (
	"context"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// NewProject evaluates exprs over each batch of child; the output vectors
// are the expressions' results (owned by the expressions) and the child's
// selection passes through unchanged, so nothing is compacted here.
func NewProject(child Operator, exprs []VecExpr, types []coldata.Type) Operator {
	return &project{child: child, exprs: exprs, types: types,
		out: coldata.Batch{Vecs: make([]*coldata.Vec, len(exprs))}}
}

type project struct {
	opStats
	child  Operator
	exprs  []VecExpr
	types  []coldata.Type
	out    coldata.Batch
	closed bool
}

func (p *project) Types() []coldata.Type { return p.types }

func (p *project) Open(ctx context.Context) error { return p.child.Open(ctx) }

func (p *project) Next(ctx context.Context) (*coldata.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	b, err := p.child.Next(ctx)
	if err != nil {
		return nil, err
	}
	for i, e := range p.exprs {
		v, err := e.Eval(b)
		if err != nil {
			return nil, err
		}
		p.out.Vecs[i] = v
	}
	p.out.N, p.out.Sel = b.N, b.Sel
	p.done(t0, p.out.Len())
	return &p.out, nil
}

func (p *project) Close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	p.out = coldata.Batch{}
	return p.child.Close()
}
