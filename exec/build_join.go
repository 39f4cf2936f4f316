package exec

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/exec/kernel"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// hashJoin builds the probe workers of a hash join and its build. How the
// build runs (broadcast or partitioned) is the executor's choice, kept in
// the JoinBuild and in the query's notes, never written into the plan: one
// thread, or a cross product (whose single key would put every row in one
// partition), always builds broadcast.
func (b *builder) hashJoin(p *planner.PhysHashJoin) (stream, error) {
	bs, err := b.build(p.Build)
	if err != nil {
		return nil, err
	}
	mode := p.Mode
	if b.threads == 1 || p.Cross {
		mode = planner.JoinBroadcast
	}
	var jb *JoinBuild
	if mode == planner.JoinPartitioned {
		jb = NewPartitionedJoinBuild(bs, p.BuildKeys, DefaultJoinPartBits(b.threads), b.threads)
	} else {
		jb = NewJoinBuild(bs, p.BuildKeys)
		jb.threads = b.threads
	}
	if mode != p.Mode {
		b.q.note(p, "built "+mode.String())
	}
	jb.env = b.env
	jb.observe = b.observer(p.Build)
	b.q.builds[p] = jb
	ps, err := b.build(p.Probe)
	if err != nil {
		return nil, err
	}
	if p.Asof != nil {
		return b.asofJoin(p, jb, ps)
	}
	probeTypes, buildTypes := planner.Types(p.Probe), planner.Types(p.Build)
	probeOut, buildOut := allCols(len(probeTypes)), allCols(len(buildTypes))
	typ, err := joinType(p.Type)
	if err != nil {
		return nil, err
	}
	if typ == JoinSemi || typ == JoinAnti || typ == JoinAntiNullAware {
		buildOut = nil
	}
	for i := range ps {
		var residual Selector
		if p.Residual != nil {
			f, err := kernel.CompileFilter(p.Residual, append(append([]coldata.Type{}, probeTypes...), buildTypes...))
			if err != nil {
				return nil, err
			}
			residual = f
		}
		ps[i] = NewHashJoin(jb, ps[i], p.ProbeKeys, typ, probeOut, buildOut, residual)
	}
	if (typ == JoinInner || typ == JoinSemi) && !p.Cross {
		jb.targets = b.scanTargets(p.Probe, p.ProbeKeys, keyTypesAt(buildTypes, p.BuildKeys))
	}
	return b.record(p, ps), nil
}

// fellBackNote is what EXPLAIN ANALYZE says of a left-build join that ran
// in its ordinary form.
const fellBackNote = "built right: the left side did not fit in memory"

// leftBuildJoin builds the workers of a join that hashes its left side (see
// leftbuild.go), or, when the estimated left side would take more than a
// quarter of the memory limit, the same join in its ordinary form, which
// can spill. The left-build form also falls back to the ordinary one at
// run time when its left side turns out not to fit.
func (b *builder) leftBuildJoin(p *planner.PhysLeftBuildJoin) (stream, error) {
	if !b.leftBuildFits(p) {
		b.q.note(p, fellBackNote)
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
	var newResidual func(bool) (Selector, error)
	var cols map[int]bool
	if p.Residual != nil {
		lt, rt := planner.Types(p.Left), planner.Types(p.Right)
		newResidual = func(swapped bool) (Selector, error) {
			if !swapped {
				return kernel.CompileFilter(p.Residual, append(append([]coldata.Type{}, lt...), rt...))
			}
			// Over [right..., left...]: the pair probe of a LEFT join.
			m := map[int]int{}
			for i := range lt {
				m[i] = len(rt) + i
			}
			for i := range rt {
				m[len(lt)+i] = i
			}
			return kernel.CompileFilter(expr.Remap(p.Residual, m), append(append([]coldata.Type{}, rt...), lt...))
		}
		cols = expr.Columns(p.Residual)
	}
	ops, err := NewLeftBuildJoin(ls, p.LeftKeys, rs, p.RightKeys, typ, newResidual, cols, b.threads)
	if err != nil {
		return nil, err
	}
	sh := ops[0].(*leftBuildJoin).sh
	sh.env = b.env
	sh.left.observe = b.observer(p.Left)
	sh.fallback = func() ([]Operator, error) {
		// At run time, from the goroutine that found the left side too
		// large: build the ordinary form of the same join.
		b.runMu.Lock()
		defer b.runMu.Unlock()
		s, err := b.build(p.Join)
		if err != nil {
			return nil, err
		}
		b.q.note(p, fellBackNote)
		b.q.builds[p] = b.q.builds[p.Join]
		return s, nil
	}
	if typ != JoinAntiNullAware && !b.noRuntimeFilters {
		// A right row whose key no left row has can match nothing. Not for
		// NOT IN, which must see the right side's NULL keys and whether it
		// is empty.
		sh.left.targets = b.scanTargets(p.Right, p.RightKeys, keyTypesAt(planner.Types(p.Left), p.LeftKeys))
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

func keyTypesAt(types []coldata.Type, keys []int) []coldata.Type {
	out := make([]coldata.Type, len(keys))
	for i, k := range keys {
		out[i] = types[k]
	}
	return out
}

// scanTargets finds the keys probeKeys of the join side probe that come
// straight from a scan column of probe's pipeline, for the runtime filters
// the other side (whose key types are hashed) hands over when its build
// finishes. Every worker of the probe pipeline runs the build (or waits
// for it) before it pulls its first probe batch, so the scans see the
// filters before they take a morsel.
func (b *builder) scanTargets(probe planner.Physical, probeKeys []int, hashed []coldata.Type) []rtTarget {
	if b.noRuntimeFilters {
		return nil
	}
	var out []rtTarget
	probeTypes := planner.Types(probe)
	for i, pk := range probeKeys {
		if !rtCompatible(probeTypes[pk], hashed[i]) {
			continue
		}
		ps, pos := scanOrigin(probe, pk)
		if ps == nil {
			continue
		}
		src, ok := b.q.scans[ps].(*ScanSource)
		if !ok || pos < 0 || pos >= len(ps.ColIdx) {
			continue
		}
		out = append(out, rtTarget{src: src, key: i, fileCol: ps.ColIdx[pos], typ: probeTypes[pk]})
	}
	return out
}

// scanOrigin follows output column col of p down to the scan column it is a
// copy of, through filters, plain-column projections, group keys of
// aggregates and the probe side of joins; nil when it is computed or comes
// from elsewhere.
func scanOrigin(p planner.Physical, col int) (*planner.PhysScan, int) {
	for {
		switch n := p.(type) {
		case *planner.PhysScan:
			return n, col
		case *planner.PhysFilter:
			p = n.Input
		case *planner.PhysProject:
			if col < 0 || col >= len(n.Exprs) {
				return nil, 0
			}
			c, ok := n.Exprs[col].(*expr.Column)
			if !ok {
				return nil, 0
			}
			col, p = c.Index, n.Input
		case *planner.PhysHashJoin:
			if col >= len(planner.Types(n.Probe)) {
				return nil, 0
			}
			p = n.Probe
		case *planner.PhysLeftBuildJoin:
			if col >= len(planner.Types(n.Left)) {
				return nil, 0 // a LEFT join's right columns, maybe NULL-extended
			}
			p = n.Left
		case *planner.PhysHashAgg:
			// A group key: dropping the input rows of a key the join can
			// never match drops exactly that key's group, which the join
			// would drop anyway (Q20 aggregates lineitem per partsupp key
			// and then keeps the few keys of 'forest%' parts).
			if col < 0 || col >= len(n.Groups) {
				return nil, 0
			}
			col, p = n.Groups[col], n.Input
		default:
			return nil, 0
		}
	}
}
