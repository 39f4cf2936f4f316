package planner

import (
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/peregrinedb/peregrine/planner/expr"
)

// Adaptive join regions. A region of inner joins that reads the result of
// an aggregation (a derived table, a decorrelated subquery) or of a shared
// CTE as one of its build sides orders its joins by that result's
// estimated size, and grouping estimates are the least reliable there
// are. Such results are pipeline breakers: complete before anything
// reads them. So the executor runs them first (materialising them),
// counts their rows, and when a count is more than ReplanFactor times off
// its estimate asks the planner to order the region again with the
// measured sizes (Spark's adaptive execution does the same at stage
// boundaries). The rest of the region runs as re-planned, reading the
// materialised results; EXPLAIN ANALYZE shows which plan ran and why.

// ReplanFactor is how far a stage's rows may be off their estimate before
// its region is re-planned.
const ReplanFactor = 10

// Materialized is a leaf standing for a stage's result in a re-planned
// region: Rows is its measured size.
type Materialized struct {
	Slot int
	Out  []ColMeta
	Rows float64
}

// Cols returns the stage result's columns, with the IDs the region's joins
// refer to.
func (n *Materialized) Cols() []ColMeta { return n.Out }

// Inputs is nil: the stage already ran, so the leaf has no plan below it.
func (n *Materialized) Inputs() []Node { return nil }

// PhysAdaptive runs Stages first, then Plan, a join region whose
// PhysMaterialized leaves read the stages' results, or the plan Replan
// returns for the measured stage sizes when one is more than ReplanFactor
// times off StageEst. Outcome records what ran.
type PhysAdaptive struct {
	PhysBase
	Stages   []Physical
	StageEst []float64
	Plan     Physical
	Replan   func(actual []float64) (Physical, error)
	Outcome  *AdaptiveOutcome
}

// PhysMaterialized reads the result of stage Slot of the enclosing
// PhysAdaptive.
type PhysMaterialized struct {
	PhysBase
	Slot int
}

// AdaptiveOutcome is what an adaptive region decided when it ran.
type AdaptiveOutcome struct {
	mu        sync.Mutex
	ran       Physical
	actual    []float64
	replanned bool
	err       error
}

// Record stores the stages' measured rows and the plan that ran.
func (o *AdaptiveOutcome) Record(actual []float64, ran Physical, replanned bool, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.actual, o.ran, o.replanned, o.err = actual, ran, replanned, err
}

// Replanned reports whether the region was re-planned.
func (o *AdaptiveOutcome) Replanned() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.replanned
}

// NeedsReplan reports whether a measured stage is more than ReplanFactor
// times off its estimate.
func NeedsReplan(est, actual []float64) bool {
	for i := range est {
		e, a := math.Max(est[i], 1), math.Max(actual[i], 1)
		if e/a > ReplanFactor || a/e > ReplanFactor {
			return true
		}
	}
	return false
}

// Children returns the region's plan, then the stages. Once the region has
// run the plan is the one that ran (re-planned or not), so EXPLAIN ANALYZE
// shows what executed.
func (p *PhysAdaptive) Children() []Physical {
	plan := p.Plan
	if p.Outcome != nil {
		p.Outcome.mu.Lock()
		if p.Outcome.ran != nil {
			plan = p.Outcome.ran
		}
		p.Outcome.mu.Unlock()
	}
	return append([]Physical{plan}, p.Stages...)
}

// Children is nil: the stage the leaf reads is a child of the enclosing
// PhysAdaptive.
func (p *PhysMaterialized) Children() []Physical { return nil }

func (p *PhysAdaptive) describe() string {
	s := fmt.Sprintf("ADAPTIVE_JOIN_REGION (%d stage(s) run first", len(p.Stages))
	if p.Outcome == nil {
		return s + ")"
	}
	p.Outcome.mu.Lock()
	defer p.Outcome.mu.Unlock()
	if p.Outcome.actual == nil {
		return s + ")"
	}
	var parts []string
	for i, a := range p.Outcome.actual {
		parts = append(parts, fmt.Sprintf("stage %d: %.0f rows, estimated %s", i, a, humanRows(p.StageEst[i])))
	}
	switch {
	case p.Outcome.err != nil:
		s += "; re-planning failed, ran as planned: " + p.Outcome.err.Error()
	case p.Outcome.replanned:
		s += fmt.Sprintf("; RE-PLANNED: a stage was more than %d× off its estimate", ReplanFactor)
	default:
		s += "; estimates held, ran as planned"
	}
	return s + "; " + strings.Join(parts, "; ") + ")"
}

// isStage reports a relation that is a pipeline breaker whose size is an
// estimate worth checking: an aggregation with groups, or a shared CTE,
// under projections and filters.
func isStage(n Node) bool {
	for {
		switch x := n.(type) {
		case *Project:
			n = x.Input
		case *Filter:
			n = x.Input
		case *Aggregate:
			return len(x.Groups) > 0
		case *CTERef:
			return true
		default:
			return false
		}
	}
}

// regionStages returns the relations of the inner-join region rooted at n
// that are stages on a build side (the relation at the end of the probe
// chain streams; materialising it would only cost memory).
func regionStages(n Node) (rels []Node, conds []expr.Expr, stages []int) {
	rels, conds = flattenInner(n)
	if len(rels) < 2 {
		return nil, nil, nil
	}
	probe := n
	for {
		switch x := probe.(type) {
		case *Join:
			if x.Type == JoinInner {
				probe = x.Left
				continue
			}
		case *Filter:
			if _, ok := x.Input.(*Join); ok {
				probe = x.Input
				continue
			}
		}
		break
	}
	for i, r := range rels {
		if r != probe && isStage(r) {
			stages = append(stages, i)
		}
	}
	return rels, conds, stages
}

// lowerAdaptive lowers the region rooted at n with its stages run first.
func (o *optimizer) lowerAdaptive(n *Join, est float64, rels []Node, conds []expr.Expr, stages []int) (Physical, error) {
	p := &PhysAdaptive{PhysBase: PhysBase{EstRows: est}, Outcome: &AdaptiveOutcome{}}
	repl := map[Node]Node{}
	for slot, i := range stages {
		sp, err := o.lower(rels[i])
		if err != nil {
			return nil, err
		}
		p.Stages = append(p.Stages, sp)
		p.StageEst = append(p.StageEst, o.est.rows(rels[i]))
		repl[rels[i]] = &Materialized{Slot: slot, Out: rels[i].Cols(), Rows: o.est.rows(rels[i])}
	}
	plan, err := o.lowerInRegion(replaceNodes(n, repl))
	if err != nil {
		return nil, err
	}
	p.Plan, p.Out = plan, plan.Base().Out
	p.Replan = func(actual []float64) (Physical, error) {
		mats := append([]Node{}, rels...)
		for slot, i := range stages {
			mats[i] = &Materialized{Slot: slot, Out: rels[i].Cols(), Rows: actual[slot]}
		}
		ids := make([]map[ColID]bool, len(mats))
		card := make([]float64, len(mats))
		for i, r := range mats {
			ids[i], card[i] = IDs(r.Cols()), o.est.rows(r)
		}
		phys, err := o.lowerInRegion(o.orderRegion(newJoinGraph(o.est, mats, ids, card, conds, nil), mats))
		if err != nil {
			return nil, err
		}
		return reorderTo(phys, p.Out)
	}
	return p, nil
}

// lowerInRegion lowers a region's join tree without making it adaptive
// again.
func (o *optimizer) lowerInRegion(n Node) (Physical, error) {
	o.inRegion++
	defer func() { o.inRegion-- }()
	return o.lower(n)
}

// replaceNodes copies the join tree above the nodes in repl, replacing
// them.
func replaceNodes(n Node, repl map[Node]Node) Node {
	if r, ok := repl[n]; ok {
		return r
	}
	switch x := n.(type) {
	case *Join:
		j := *x
		j.Left, j.Right = replaceNodes(x.Left, repl), replaceNodes(x.Right, repl)
		return &j
	case *Filter:
		f := *x
		f.Input = replaceNodes(x.Input, repl)
		return &f
	}
	return n
}

// reorderTo projects p's columns into the layout out (the region's as
// first planned, which the operators above it were built for).
func reorderTo(p Physical, out []ColMeta) (Physical, error) {
	pos := positions(p.Base().Out)
	same := len(out) == len(p.Base().Out)
	proj := &PhysProject{PhysBase: PhysBase{Out: out, EstRows: p.Base().EstRows}, Input: p}
	for i, c := range out {
		at, ok := pos[c.ID]
		if !ok {
			return nil, fmt.Errorf("internal error: re-planned region lost column %s", c.Name)
		}
		same = same && at == i
		proj.Exprs = append(proj.Exprs, &expr.Column{Index: at, Typ: c.Type, Name: c.Name})
	}
	if same {
		return p, nil
	}
	return proj, nil
}
