package exec

import (
	"github.com/peregrinedb/peregrine/planner"
)

// positionalJoin builds a POSITIONAL join: each side by one worker, so
// that its rows come in their order.
func (b *builder) positionalJoin(p *planner.PhysPositionalJoin) (stream, error) {
	saved := b.threads
	b.threads = 1
	defer func() { b.threads = saved }()
	ls, err := b.build(p.Left)
	if err != nil {
		return nil, err
	}
	rs, err := b.build(p.Right)
	if err != nil {
		return nil, err
	}
	op, err := NewPositionalJoin(ls, rs)
	if err != nil {
		return nil, err
	}
	return b.record(p, stream{op}), nil
}

// asofJoin builds the probe workers of an ASOF join over the build jb.
func (b *builder) asofJoin(p *planner.PhysHashJoin, jb *JoinBuild, ps stream) (stream, error) {
	spec := AsofSpec{ProbeCol: p.Asof.ProbeCol, BuildCol: p.Asof.BuildCol, Outer: p.Type == planner.JoinAsofLeft}
	var err error
	if spec.Op, err = asofOp(p.Asof.Op); err != nil {
		return nil, err
	}
	sh := &asofShared{}
	for i := range ps {
		if ps[i], err = NewAsofJoin(jb, ps[i], p.ProbeKeys, spec, sh); err != nil {
			return nil, err
		}
	}
	return b.record(p, ps), nil
}
