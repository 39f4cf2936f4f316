package exec

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/exec/kernel"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// BuildOptions tune how a plan is executed.
type BuildOptions struct {
	// Threads is the number of workers per parallel pipeline (0: all cores).
	Threads int
	// Memory is the budget the query's hash tables, aggregation states,
	// sort buffers and scan batches are accounted in; operators spill to
	// TempDir when it is exhausted. Share one pool between queries for a
	// process-wide limit. nil: unlimited and untracked.
	Memory *MemoryPool
	// TempDir receives spill files, removed when the query's operators
	// close; "" means DefaultTempDir().
	TempDir string
	// NoRuntimeFilters turns off the filters finished join builds push
	// into their probe side's scans.
	NoRuntimeFilters bool
}

// Query is an executable plan: Root yields the result batches.
type Query struct {
	Root Operator
	// ops records the operators built for each physical node (one per
	// worker) so EXPLAIN ANALYZE can sum their statistics.
	ops    map[planner.Physical][]Operator
	scans  map[*planner.PhysScan]scanStatser
	builds map[planner.Physical]*JoinBuild
}

// Build turns a physical plan into operators. Pipelines between breakers
// (hash build, aggregation, sort) are replicated once per worker; workers
// share each scan's morsel queue, so they divide row groups among
// themselves.
func Build(p planner.Physical, opts BuildOptions) (*Query, error) {
	threads := opts.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	b := &builder{threads: threads, noRuntimeFilters: opts.NoRuntimeFilters, env: memEnv{pool: opts.Memory, dir: opts.TempDir}, q: &Query{ops: map[planner.Physical][]Operator{}, scans: map[*planner.PhysScan]scanStatser{},
		builds: map[planner.Physical]*JoinBuild{}}}
	s, err := b.build(p)
	if err != nil {
		return nil, err
	}
	b.q.Root = b.single(s)
	return b.q, nil
}

type builder struct {
	threads          int
	noRuntimeFilters bool
	env              memEnv
	q                *Query
	ctes             map[*planner.PhysShared]*cteResult
	// runMu serialises builds made while the query runs (a left-build join
	// falling back to its ordinary form), which write the query's maps.
	runMu sync.Mutex
}

// stream is one pipeline's operators: one per worker.
type stream []Operator

func (b *builder) single(s stream) Operator {
	if len(s) == 1 {
		return s[0]
	}
	return NewGather(s)
}

func (b *builder) record(p planner.Physical, s stream) stream {
	b.q.ops[p] = append(b.q.ops[p], s...)
	return s
}

func (b *builder) build(p planner.Physical) (stream, error) {
	switch p := p.(type) {
	case *planner.PhysScan:
		if t := p.Table; t.Dataset != nil && !t.Dataset.Uniform(t.DataFiles) {
			return b.datasetScan(p)
		}
		src := NewScanSource(p.Table.Files, p.ColIdx, planner.Types(p), p.Preds, p.Limit)
		src.SetDisjunctions(p.OrPreds)
		b.q.scans[p] = src
		n := b.threads
		rgs := 0
		for _, f := range p.Table.Files {
			rgs += f.NumRowGroups()
		}
		if rgs < n {
			n = max(rgs, 1)
		}
		s := make(stream, n)
		for i := range s {
			s[i] = withMemory(NewScan(src), b.env)
		}
		b.record(p, s)
		if p.Filter != nil {
			return b.filter(p, s, p.Filter, planner.Types(p))
		}
		return s, nil
	case *planner.PhysCTEScan:
		return b.cteScan(p)
	case *planner.PhysFilter:
		in, err := b.build(p.Input)
		if err != nil {
			return nil, err
		}
		return b.filter(p, in, p.Pred, planner.Types(p.Input))
	case *planner.PhysProject:
		in, err := b.build(p.Input)
		if err != nil {
			return nil, err
		}
		inTypes := planner.Types(p.Input)
		for i := range in {
			exprs := make([]VecExpr, len(p.Exprs))
			for k, e := range p.Exprs {
				ev, err := kernel.Compile(e, inTypes)
				if err != nil {
					return nil, err
				}
				exprs[k] = ev
			}
			in[i] = NewProject(in[i], exprs, planner.Types(p))
		}
		return b.record(p, in), nil
	case *planner.PhysHashJoin:
		bs, err := b.build(p.Build)
		if err != nil {
			return nil, err
		}
		if b.threads == 1 || p.Cross {
			// Nothing to build in parallel; EXPLAIN ANALYZE shows what ran.
			p.Mode = planner.JoinBroadcast
		}
		var jb *JoinBuild
		if p.Mode == planner.JoinPartitioned {
			jb = NewPartitionedJoinBuild(bs, p.BuildKeys, DefaultJoinPartBits(b.threads), b.threads)
		} else {
			jb = NewJoinBuild(b.single(bs), p.BuildKeys)
		}
		jb.env = b.env
		b.q.builds[p] = jb
		ps, err := b.build(p.Probe)
		if err != nil {
			return nil, err
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
		if typ == JoinInner || typ == JoinSemi {
			b.runtimeTargets(p, jb)
		}
		return b.record(p, ps), nil
	case *planner.PhysLeftBuildJoin:
		return b.leftBuildJoin(p)
	case *planner.PhysHashAgg:
		in, err := b.build(p.Input)
		if err != nil {
			return nil, err
		}
		aggs := make([]AggSpec, len(p.Aggs))
		for i, a := range p.Aggs {
			f, err := aggFunc(a.Func)
			if err != nil {
				return nil, err
			}
			aggs[i] = AggSpec{Func: f, Arg: a.Arg, Distinct: a.Distinct, Out: a.Typ}
		}
		return b.record(p, stream{withMemory(NewHashAgg(in, p.Groups, aggs), b.env)}), nil
	case *planner.PhysSort:
		in, err := b.build(p.Input)
		if err != nil {
			return nil, err
		}
		return b.record(p, stream{withMemory(NewSort(b.single(in), sortKeys(p.Keys)), b.env)}), nil
	case *planner.PhysTopN:
		in, err := b.build(p.Input)
		if err != nil {
			return nil, err
		}
		var op Operator = NewTopN(b.single(in), sortKeys(p.Keys), p.Offset+p.Count)
		if p.Offset > 0 {
			op = NewLimit(op, p.Offset, p.Count)
		}
		return b.record(p, stream{op}), nil
	case *planner.PhysLimit:
		in, err := b.build(p.Input)
		if err != nil {
			return nil, err
		}
		return b.record(p, stream{NewLimit(b.single(in), p.Offset, p.Count)}), nil
	case *planner.PhysValues:
		return b.record(p, stream{NewValues(planner.Types(p), p.Rows)}), nil
	}
	return nil, fmt.Errorf("internal error: no operator for %T", p)
}

// runtimeTargets finds the probe keys of join p that come straight from a
// scan column in p's probe pipeline, for the runtime filters jb hands over
// when its build finishes. Every worker of the probe pipeline runs jb's build
// (or waits for it) before it pulls its first probe batch, so the scans see
// the filters before they take a morsel.
func (b *builder) runtimeTargets(p *planner.PhysHashJoin, jb *JoinBuild) {
	if b.noRuntimeFilters || p.Cross {
		return
	}
	probeTypes := planner.Types(p.Probe)
	for i, pk := range p.ProbeKeys {
		bt := jb.types[p.BuildKeys[i]]
		if !rtCompatible(probeTypes[pk], bt) {
			continue
		}
		ps, pos := scanOrigin(p.Probe, pk)
		if ps == nil {
			continue
		}
		src, ok := b.q.scans[ps].(*ScanSource)
		if !ok || pos < 0 || pos >= len(ps.ColIdx) {
			continue
		}
		jb.targets = append(jb.targets, rtTarget{src: src, key: i, pos: pos, fileCol: ps.ColIdx[pos],
			typ: probeTypes[pk]})
	}
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
			p = n.Left // its output is the left columns
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

func (b *builder) filter(p planner.Physical, in stream, pred expr.Expr, types []coldata.Type) (stream, error) {
	for i := range in {
		f, err := kernel.CompileFilter(pred, types)
		if err != nil {
			return nil, err
		}
		in[i] = NewFilter(in[i], f)
	}
	if _, isScan := p.(*planner.PhysScan); !isScan {
		b.record(p, in)
	}
	return in, nil
}

// withMemory gives a buffering operator its pool and spill directory.
func withMemory(op Operator, env memEnv) Operator {
	switch o := op.(type) {
	case *sortOp:
		o.env = env
	case *hashAgg:
		o.env = env
	case *scanOp:
		o.env = env
	}
	return op
}

func allCols(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func joinType(t planner.JoinType) (JoinType, error) {
	switch t {
	case planner.JoinInner:
		return JoinInner, nil
	case planner.JoinLeft:
		return JoinLeft, nil
	case planner.JoinSemi:
		return JoinSemi, nil
	case planner.JoinAnti:
		return JoinAnti, nil
	case planner.JoinAntiNull:
		return JoinAntiNullAware, nil
	}
	return 0, fmt.Errorf("internal error: join type %v", t)
}

func aggFunc(f planner.AggFunc) (AggFunc, error) {
	switch f {
	case planner.AggCountStar:
		return AggCountStar, nil
	case planner.AggCount:
		return AggCount, nil
	case planner.AggSum:
		return AggSum, nil
	case planner.AggAvg:
		return AggAvg, nil
	case planner.AggMin:
		return AggMin, nil
	case planner.AggMax:
		return AggMax, nil
	}
	return 0, fmt.Errorf("internal error: aggregate %v", f)
}

func sortKeys(keys []planner.PhysSortKey) []SortKey {
	out := make([]SortKey, len(keys))
	for i, k := range keys {
		out[i] = SortKey{Col: k.Col, Desc: k.Desc, NullsFirst: k.NullsFirst}
	}
	return out
}
