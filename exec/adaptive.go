package exec

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// Adaptive join regions (planner/adaptive.go): the region's stages run
// first and are materialised; their measured sizes decide between the
// region as planned and as re-planned by the planner; then the chosen
// plan runs, its PhysMaterialized leaves reading the stages' rows.
//
// The decision is made once, by the first of the region's workers to be
// opened; the others wait for it. Each worker then runs its share of the
// chosen plan's stream (a plan built for as many workers as the region
// has; a pipeline with fewer, such as one over a single row group, leaves
// the extra workers without rows).

// adaptiveRun is one adaptive region's shared state.
type adaptiveRun struct {
	b      *builder
	p      *planner.PhysAdaptive
	stages []stream
	// stageOps are the stages' drained operators, closed with the region
	// (not when drained: a shared CTE frees its rows when its last
	// reader closes, and the chosen plan's readers are built after).
	stageOps []Operator
	workers  int
	closed   atomic.Int32
	pinned   []*cteResult

	once sync.Once
	err  error
	real stream
}

// materialized holds a stage's rows for the PhysMaterialized leaves.
type materialized struct {
	batches []*coldata.Batch
	next    atomic.Int64
}

func (b *builder) adaptive(p *planner.PhysAdaptive) (stream, error) {
	run := &adaptiveRun{b: b, p: p}
	for _, st := range p.Stages {
		s, err := b.build(st)
		if err != nil {
			return nil, err
		}
		run.stages = append(run.stages, s)
	}
	out := make(stream, b.threads)
	for i := range out {
		out[i] = &adaptiveOp{run: run, idx: i, types: planner.Types(p)}
	}
	run.workers = len(out)
	for _, s := range run.stages {
		run.stageOps = append(run.stageOps, b.single(s))
	}
	// The region's CTE results stay alive until it closes: its chosen
	// plan's readers are built only once the stages have run.
	pinned := map[*cteResult]bool{}
	var pin func(n planner.Physical) error
	pin = func(n planner.Physical) error {
		if c, ok := n.(*planner.PhysCTEScan); ok {
			res, err := b.cteResult(c.Shared)
			if err != nil {
				return err
			}
			if !pinned[res] {
				pinned[res] = true
				res.pin()
				run.pinned = append(run.pinned, res)
			}
		}
		for _, ch := range n.Children() {
			if err := pin(ch); err != nil {
				return err
			}
		}
		return nil
	}
	if err := pin(p.Plan); err != nil {
		return nil, err
	}
	for _, st := range p.Stages {
		if err := pin(st); err != nil {
			return nil, err
		}
	}
	return b.record(p, out), nil
}

// closeStages closes the stages once every worker of the region closed.
func (r *adaptiveRun) closeStages() error {
	if int(r.closed.Add(1)) != r.workers {
		return nil
	}
	var first error
	for _, op := range r.stageOps {
		if err := op.Close(); err != nil && first == nil {
			first = err
		}
	}
	for _, res := range r.pinned {
		if err := res.release(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// start materialises the stages, picks the plan and builds it.
func (r *adaptiveRun) start(ctx context.Context) {
	actual := make([]float64, len(r.stages))
	mats := make([]*materialized, len(r.stages))
	for i, op := range r.stageOps {
		m, rows, err := drainStage(ctx, op)
		if err != nil {
			r.err = err
			return
		}
		mats[i], actual[i] = m, float64(rows)
	}
	plan, replanned := r.p.Plan, false
	var perr error
	if planner.NeedsReplan(r.p.StageEst, actual) && r.p.Replan != nil {
		if np, err := r.p.Replan(actual); err == nil {
			plan, replanned = np, true
		} else {
			perr = err // run as planned: still correct, only slower
		}
	}
	r.p.Outcome.Record(actual, plan, replanned, perr)
	r.b.runMu.Lock()
	defer r.b.runMu.Unlock()
	if r.b.mats == nil {
		r.b.mats = map[*planner.PhysAdaptive][]*materialized{}
	}
	r.b.mats[r.p] = mats
	r.b.region = append(r.b.region, r.p)
	s, err := r.b.build(plan)
	r.b.region = r.b.region[:len(r.b.region)-1]
	if err != nil {
		r.err = err
		return
	}
	r.real = s
}

// drainStage runs op to the end and keeps a copy of its rows.
func drainStage(ctx context.Context, op Operator) (*materialized, int, error) {
	if err := op.Open(ctx); err != nil {
		return nil, 0, err
	}
	m := &materialized{}
	rows := 0
	for {
		b, err := op.Next(ctx)
		if err == io.EOF || (err == nil && b == nil) {
			return m, rows, nil
		}
		if err != nil {
			return nil, 0, err
		}
		if n := b.Len(); n > 0 {
			m.batches = append(m.batches, ownedCopy(b))
			rows += n
		}
	}
}

// ownedCopy copies b's live rows into a new batch that owns its strings.
func ownedCopy(b *coldata.Batch) *coldata.Batch {
	n := b.Len()
	out := coldata.NewBatch(b.Types(), n)
	for i, v := range b.Vecs {
		out.Vecs[i].CopyFrom(v, b.Sel, n, 0)
		if dv := out.Vecs[i]; dv.Type.ID == coldata.String {
			for k, s := range dv.Str[:n] {
				dv.Str[k] = strings.Clone(s)
			}
		}
	}
	return out
}

// adaptiveOp is one worker's view of an adaptive region.
type adaptiveOp struct {
	opStats
	run    *adaptiveRun
	idx    int
	types  []coldata.Type
	op     Operator // this worker's operator of the chosen plan; nil: none
	closed bool
}

func (a *adaptiveOp) Types() []coldata.Type { return a.types }

func (a *adaptiveOp) Open(ctx context.Context) error {
	a.run.once.Do(func() { a.run.start(ctx) })
	if a.run.err != nil {
		return a.run.err
	}
	if a.idx < len(a.run.real) {
		a.op = a.run.real[a.idx]
		return a.op.Open(ctx)
	}
	return nil
}

func (a *adaptiveOp) Next(ctx context.Context) (*coldata.Batch, error) {
	if a.op == nil {
		return nil, io.EOF
	}
	b, err := a.op.Next(ctx)
	if b != nil {
		a.st.RowsOut += int64(b.Len())
	}
	return b, err
}

func (a *adaptiveOp) Close() error {
	if a.closed {
		return nil
	}
	a.closed = true
	var err error
	if a.op != nil {
		err = a.op.Close()
	}
	if cerr := a.run.closeStages(); err == nil {
		err = cerr
	}
	return err
}

var errNoRegion = errors.New("internal error: a materialized stage outside its adaptive region")

// materializedOp hands out a stage's batches to the workers reading it.
type materializedOp struct {
	opStats
	m     *materialized
	types []coldata.Type
}

func (b *builder) materialized(p *planner.PhysMaterialized) (stream, error) {
	if len(b.region) == 0 {
		return nil, errNoRegion
	}
	m := b.mats[b.region[len(b.region)-1]][p.Slot]
	out := make(stream, b.threads)
	for i := range out {
		out[i] = &materializedOp{m: m, types: planner.Types(p)}
	}
	return b.record(p, out), nil
}

func (m *materializedOp) Types() []coldata.Type      { return m.types }
func (m *materializedOp) Open(context.Context) error { return nil }
func (m *materializedOp) Close() error               { return nil }

func (m *materializedOp) Next(context.Context) (*coldata.Batch, error) {
	i := m.m.next.Add(1) - 1
	if int(i) >= len(m.m.batches) {
		return nil, io.EOF
	}
	b := m.m.batches[i]
	m.st.RowsOut += int64(b.Len())
	return b, nil
}
