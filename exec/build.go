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
	// MaxRecursion bounds the rounds of a recursive CTE (0: DefaultMaxRecursion).
	MaxRecursion int64
	// Threads is the number of workers per parallel pipeline (0: all cores).
	Threads int
	// Memory is the budget the query's hash tables, aggregation states,
	// sort buffers and scan batches are accounted in; operators spill to
	// TempDir when it is exhausted. Share one pool between queries for a
	// process-wide limit. nil: unlimited and untracked.
	Memory *MemoryPool
	// TempDir receives this process's folder of spill files (see
	// storage/tempdir), removed when the query's operators close; "" is
	// the OS temp directory.
	TempDir string
	// TempSpace bounds the bytes spill files hold (nil: unlimited).
	TempSpace *TempSpace
	// NoRuntimeFilters turns off the filters finished join builds push
	// into their probe side's scans.
	NoRuntimeFilters bool
	// OnBreakerFinalized, when set, is told as each pipeline breaker
	// finalizes how many rows a node of the plan turned out to have: the
	// Build side of a hash join (the Left side of a left-build join), an
	// aggregate, a sort or top-N, a CTE's body. It is called from the
	// goroutine that finalized the breaker, before anything above reads the
	// breaker's output, so a caller can compare the count with the node's
	// estimate (adaptive re-planning). Not called when the count is not
	// known at that point (an aggregate that spilled learns its groups as
	// it merges its partitions). Query.BreakerRows answers the same later.
	OnBreakerFinalized func(node planner.Physical, rows int64)
}

// Query is an executable plan: Root yields the result batches.
type Query struct {
	Root Operator
	// ops records the operators built for each physical node (one per
	// worker) so EXPLAIN ANALYZE can sum their statistics.
	ops    map[planner.Physical][]Operator
	scans  map[*planner.PhysScan]scanStatser
	builds map[planner.Physical]*JoinBuild
	// scanOut holds the filters of filtered scans: their rows are the
	// scan's output.
	scanOut map[*planner.PhysScan][]Operator
	// progress lists the scans' progress counters (see Progress).
	progMu   sync.Mutex
	progress []progressor

	mu sync.Mutex
	// notes are the executor's own choices where they differ from the
	// plan's (a join built broadcast, a left-build join that fell back),
	// for EXPLAIN ANALYZE.
	notes map[planner.Physical][]string
	// rows are the row counts breakers measured (OnBreakerFinalized).
	rows map[planner.Physical]int64
}

// note records an executor choice about p.
func (q *Query) note(p planner.Physical, s string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.notes == nil {
		q.notes = map[planner.Physical][]string{}
	}
	q.notes[p] = append(q.notes[p], s)
}

// Notes returns the executor's choices about p that the plan does not show.
func (q *Query) Notes(p planner.Physical) []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]string(nil), q.notes[p]...)
}

// BreakerRows returns the row count a pipeline breaker measured for node
// (see BuildOptions.OnBreakerFinalized); ok is false until one did.
func (q *Query) BreakerRows(node planner.Physical) (rows int64, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	rows, ok = q.rows[node]
	return rows, ok
}

// Build turns a physical plan into operators. Pipelines between breakers
// (hash build, aggregation, sort) are replicated once per worker; workers
// share each scan's morsel queue, so they divide row groups among
// themselves.
func Build(p planner.Physical, opts BuildOptions) (*Query, error) {
	return buildQuery(p, opts, nil)
}

// buildQuery builds a plan, or one task of a distributed plan's fragment
// when frag is set (fragment.go).
func buildQuery(p planner.Physical, opts BuildOptions, frag *FragmentTask) (*Query, error) {
	threads := opts.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	b := &builder{frag: frag, threads: threads, noRuntimeFilters: opts.NoRuntimeFilters, onFinalized: opts.OnBreakerFinalized, maxRecursion: opts.MaxRecursion,
		env: memEnv{pool: opts.Memory, dir: opts.TempDir, temp: opts.TempSpace}, q: &Query{ops: map[planner.Physical][]Operator{},
			scans: map[*planner.PhysScan]scanStatser{}, builds: map[planner.Physical]*JoinBuild{}, rows: map[planner.Physical]int64{},
			scanOut: map[*planner.PhysScan][]Operator{}}}
	s, err := b.build(p)
	if err != nil {
		return nil, err
	}
	b.q.Root = b.single(s)
	return b.q, nil
}

type builder struct {
	frag             *FragmentTask
	threads          int
	noRuntimeFilters bool
	onFinalized      func(planner.Physical, int64)
	env              memEnv
	q                *Query
	ctes             map[*planner.PhysShared]*cteResult
	// runMu serialises builds made while the query runs (a left-build join
	// falling back to its ordinary form, an adaptive region's chosen
	// plan), which write the query's maps.
	runMu sync.Mutex
	// mats holds adaptive regions' materialised stages; region is the
	// stack of regions whose chosen plan is being built (adaptive.go).
	mats   map[*planner.PhysAdaptive][]*materialized
	region []*planner.PhysAdaptive
	// work are the working tables of recursive CTEs (recursive.go).
	work         map[*planner.PhysWorkTable]*workTable
	maxRecursion int64
}

// stream is one pipeline's operators: one per worker.
type stream []Operator

func (b *builder) single(s stream) Operator {
	if len(s) == 1 {
		return s[0]
	}
	return NewGather(s)
}

// observer is the hook a breaker that measures node calls as it finalizes.
func (b *builder) observer(node planner.Physical) func(rows int64) {
	q, hook := b.q, b.onFinalized
	return func(rows int64) {
		q.mu.Lock()
		q.rows[node] = rows
		q.mu.Unlock()
		if hook != nil {
			hook(node, rows)
		}
	}
}

func (b *builder) record(p planner.Physical, s stream) stream {
	b.q.ops[p] = append(b.q.ops[p], s...)
	return s
}

func (b *builder) build(p planner.Physical) (stream, error) {
	if s, ok, err := b.fragmentNode(p); ok {
		return s, err
	}
	switch p := p.(type) {
	case *planner.PhysDistinctOn:
		in, err := b.build(p.Input)
		if err != nil {
			return nil, err
		}
		return b.record(p, stream{NewDistinctOn(b.single(in), p.Keys)}), nil
	case *planner.PhysScan:
		if p.Table.Mem != nil {
			return b.memScan(p)
		}
		if t := p.Table; t.Dataset != nil && !t.Dataset.Uniform(t.DataFiles) {
			return b.datasetScan(p)
		}
		src := NewScanSource(p.Table.Files, p.ColIdx, planner.Types(p), p.Preds, p.Limit)
		src.SetDisjunctions(p.OrPreds)
		b.q.scans[p] = src
		b.q.addProgress(src)
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
		return b.hashJoin(p)
	case *planner.PhysLeftBuildJoin:
		return b.leftBuildJoin(p)
	case *planner.PhysPositionalJoin:
		return b.positionalJoin(p)
	case *planner.PhysAdaptive:
		return b.adaptive(p)
	case *planner.PhysMaterialized:
		return b.materialized(p)
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
			aggs[i] = AggSpec{Func: f, Arg: a.Arg, Distinct: a.Distinct, Out: a.Typ, Name: a.Name, Params: a.Params, Arg2: a.Arg2, Filter: a.Filter, Filtered: a.Filtered}
			for _, o := range a.Order {
				aggs[i].Order = append(aggs[i].Order, AggOrderKey{Col: o.Col, Desc: o.Desc, NullsFirst: o.NullsFirst})
			}
		}
		h := withMemory(NewHashAgg(in, p.Groups, aggs), b.env).(*hashAgg)
		h.threads, h.observe = b.threads, b.observer(p)
		if b.threads > 1 && p.EstRows >= parallelAggOutputRows {
			// Many groups: the pipeline above reads them on every worker.
			return b.record(p, h.Readers(b.threads)), nil
		}
		return b.record(p, stream{h}), nil
	case *planner.PhysSort:
		in, err := b.build(p.Input)
		if err != nil {
			return nil, err
		}
		s := NewSort(in, sortKeys(p.Keys)).(*sortOp)
		s.threads, s.observe = b.threads, b.observer(p)
		return b.record(p, stream{withMemory(s, b.env)}), nil
	case *planner.PhysWindow:
		return b.window(p)
	case *planner.PhysTopN:
		in, err := b.build(p.Input)
		if err != nil {
			return nil, err
		}
		t := NewTopN(in, sortKeys(p.Keys), p.Offset+p.Count).(*topN)
		t.observe = b.observer(p)
		var op Operator = t
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
		if p.Source != nil {
			return b.externalScan(p), nil
		}
		return b.record(p, stream{NewValues(planner.Types(p), p.Rows)}), nil
	case *planner.PhysRecursiveCTE:
		return b.recursiveCTE(p)
	case *planner.PhysWorkScan:
		return b.workScan(p)
	case *planner.PhysSeries:
		s := p.Spec
		return b.record(p, stream{NewSeries(Series{Typ: p.Out[0].Type, Start: s.Start, Stop: s.Stop, Step: s.Step,
			Months: s.Months, Days: s.Days, Inclusive: s.Inclusive, Empty: s.Empty})}), nil
	case *planner.PhysUnnest:
		in, err := b.build(p.Input)
		if err != nil {
			return nil, err
		}
		for i := range in {
			in[i] = NewUnnest(in[i], p.Lists)
		}
		return b.record(p, in), nil
	case *planner.PhysRepeat:
		in, err := b.build(p.Input)
		if err != nil {
			return nil, err
		}
		for i := range in {
			in[i] = NewRepeat(in[i], p.Count)
		}
		return b.record(p, in), nil
	case *planner.PhysUnion:
		// UNION ALL: every input's workers feed the consumer directly, so
		// the inputs' pipelines run side by side.
		var s stream
		for _, in := range p.Ins {
			is, err := b.build(in)
			if err != nil {
				return nil, err
			}
			s = append(s, is...)
		}
		return b.record(p, s), nil
	}
	return nil, fmt.Errorf("Internal Error: no operator for %T", p)
}

func (b *builder) filter(p planner.Physical, in stream, pred expr.Expr, types []coldata.Type) (stream, error) {
	for i := range in {
		f, err := kernel.CompileFilter(pred, types)
		if err != nil {
			return nil, err
		}
		in[i] = NewFilter(in[i], f)
	}
	if ps, isScan := p.(*planner.PhysScan); isScan {
		// The scan's own operators report its reading; the rows it
		// produces are those its filter passes.
		b.q.scanOut[ps] = append(b.q.scanOut[ps], in...)
	} else {
		b.record(p, in)
	}
	return in, nil
}

// parallelAggOutputRows is the estimated group count from which a hash
// aggregate's output is read by every worker: below it, one reader is
// cheaper than the goroutines and the gather of several.
const parallelAggOutputRows = 4 * coldata.DefaultBatchSize

// withMemory gives a buffering operator its pool and spill directory.
func withMemory(op Operator, env memEnv) Operator {
	switch o := op.(type) {
	case *sortOp:
		o.env = env
	case *hashAgg:
		o.env = env
	case *scanOp:
		o.env = env
	case *topN:
		o.env = env
	case *windowOp:
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
	case planner.JoinFull:
		return JoinFull, nil
	}
	return 0, fmt.Errorf("Internal Error: join type %v", t)
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
	case planner.AggNamed:
		return AggNamed, nil
	}
	return 0, fmt.Errorf("Internal Error: aggregate %v", f)
}

func sortKeys(keys []planner.PhysSortKey) []SortKey {
	out := make([]SortKey, len(keys))
	for i, k := range keys {
		out[i] = SortKey{Col: k.Col, Desc: k.Desc, NullsFirst: k.NullsFirst}
	}
	return out
}
