package exec

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/exec/kernel"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// leftBuildJoin builds the workers of a join that hashes its left side (see
// leftbuild.go), or, when the estimated left side would take more than a
// quarter of the memory limit, the same join in its ordinary form, which
// can spill. The left-build form also falls back to the ordinary one at run time
// when its left side turns out not to fit.
func (b *builder) leftBuildJoin(p *planner.PhysLeftBuildJoin) (stream, error) {
	if !b.leftBuildFits(p) {
		p.Fallback = true
		s, err := b.build(p.Join)
		if err != nil {
			return nil, err
		}
		b.q.builds[p] = b.q.builds[p.Join]
		return b.record(p, s), nil
	}
	ls, err := b.build(p.Left)
	if err != nil {
		return nil, err
	}
	rs, err := b.build(p.Right)
	if err != nil {
		return nil, err
	}
	typ, err := joinType(p.Type)
	if err != nil {
		return nil, err
	}
	var newResidual func() (Selector, error)
	var cols map[int]bool
	if p.Residual != nil {
		types := append(planner.Types(p.Left), planner.Types(p.Right)...)
		newResidual = func() (Selector, error) { return kernel.CompileFilter(p.Residual, types) }
		cols = expr.Columns(p.Residual)
	}
	ops, err := NewLeftBuildJoin(b.single(ls), p.LeftKeys, rs, p.RightKeys, typ, newResidual, cols)
	if err != nil {
		return nil, err
	}
	sh := ops[0].(*leftBuildJoin).sh
	sh.env = b.env
	sh.fallback = func() ([]Operator, error) {
		// At run time, from the goroutine that found the left side too
		// large: build the ordinary form of the same join.
		b.runMu.Lock()
		defer b.runMu.Unlock()
		s, err := b.build(p.Join)
		if err != nil {
			return nil, err
		}
		p.Fallback = true
		b.q.builds[p] = b.q.builds[p.Join]
		return s, nil
	}
	if typ != JoinAntiNullAware && !b.noRuntimeFilters {
		sh.targets = b.rightTargets(p)
	}
	return b.record(p, ops), nil
}

// leftBuildFits reports whether the estimated left side of p, hashed, takes at
// most a quarter of the memory limit (always, without a limit).
func (b *builder) leftBuildFits(p *planner.PhysLeftBuildJoin) bool {
	lim := b.env.pool.Limit()
	if lim <= 0 {
		return true
	}
	width := int64(52 + 2) // hash table and match bits, per row
	for _, t := range planner.Types(p.Left) {
		switch t.ID {
		case coldata.String:
			width += 40
		default:
			width += 9
		}
	}
	return int64(p.Left.Base().EstRows)*width <= lim/4
}

// rightTargets finds the right keys of p that come straight from a scan
// column, for the runtime filters the finished left side hands over: a right
// row whose key no left row has can match nothing.
func (b *builder) rightTargets(p *planner.PhysLeftBuildJoin) []rtTarget {
	var out []rtTarget
	rightTypes, leftTypes := planner.Types(p.Right), planner.Types(p.Left)
	for i, rk := range p.RightKeys {
		if !rtCompatible(rightTypes[rk], leftTypes[p.LeftKeys[i]]) {
			continue
		}
		ps, pos := scanOrigin(p.Right, rk)
		if ps == nil {
			continue
		}
		src, ok := b.q.scans[ps].(*ScanSource)
		if !ok || pos < 0 || pos >= len(ps.ColIdx) {
			continue
		}
		out = append(out, rtTarget{src: src, key: i, pos: pos, fileCol: ps.ColIdx[pos],
			typ: rightTypes[rk]})
	}
	return out
}
