package planner

import "fmt"

// A WITH query that a statement reads more than once and that aggregates
// (TPC-H Q15's revenue view) is computed once and its result shared, as
// DuckDB materializes such CTEs: inlining it would repeat the scan and the
// aggregation at every reference. The binder decides which CTEs qualify;
// each reference is a CTERef leaf with its own column IDs, all pointing at
// one SharedCTE. Rules do not look through a reference: predicates stay
// above it, so a CTE that benefits from different filters per reference is
// better left inlined (the binder only shares aggregating bodies, whose
// results are small).

// SharedCTE is a WITH query computed once per statement.
type SharedCTE struct {
	Name string
	Plan Node // the bound body; its first Width columns are the CTE's

	Width int
	// Filled by Plan: the optimized body and its physical plan.
	opt  Node
	phys *PhysShared
}

// CTERef reads a SharedCTE: Out[i] is the body's column ColIdx[i].
type CTERef struct {
	Shared *SharedCTE
	Alias  string
	Out    []ColMeta
	ColIdx []int
}

// Cols returns the reference's own columns (Out): each reference has fresh
// IDs, so two references to one CTE can be joined.
func (n *CTERef) Cols() []ColMeta { return n.Out }

// Inputs is nil: rules do not look through a reference into the shared body
// (cte.go's opening comment says why).
func (n *CTERef) Inputs() []Node { return nil }

// PhysShared is a shared CTE's physical plan, executed once.
type PhysShared struct {
	Name string
	Plan Physical
}

// PhysCTEScan reads a materialized CTE. First marks the reference under
// which EXPLAIN prints the body (it is computed once, so shown once).
type PhysCTEScan struct {
	PhysBase
	Shared *PhysShared
	ColIdx []int
	First  bool
}

// Rows estimates a reference's rows: the optimized body's.
func (e *estimator) cteRows(n *CTERef) float64 {
	if n.Shared.opt == nil {
		return e.rows(n.Shared.Plan)
	}
	return e.rows(n.Shared.opt)
}

// Children returns the shared body under the First reference only, so
// EXPLAIN and other plan walks see the body once, as it runs once.
func (p *PhysCTEScan) Children() []Physical {
	if p.First {
		return []Physical{p.Shared.Plan}
	}
	return nil
}

// planShared optimizes and lowers every SharedCTE that root references,
// bodies before the references that read them (a body may itself read an
// earlier CTE).
func (o *optimizer) planShared(root Node) error {
	var err error
	var visit func(n Node)
	visit = func(n Node) {
		if err != nil {
			return
		}
		if r, ok := n.(*CTERef); ok {
			s := r.Shared
			if s.opt != nil {
				return
			}
			visit(s.Plan)
			if err != nil {
				return
			}
			o.est.register(s.Plan)
			body := o.pushDown(simplifyOuterJoins(s.Plan), nil)
			if o.err != nil {
				err = o.err
				return
			}
			body = prune(body, IDs(s.Plan.Cols()[:s.Width]))
			body = pushLimit(body)
			body = answerFromFooters(body)
			s.opt = body
			return
		}
		for _, in := range n.Inputs() {
			visit(in)
		}
	}
	visit(root)
	return err
}

// lowerCTERef lowers a reference; the body is lowered at its first one.
func (o *optimizer) lowerCTERef(n *CTERef, est float64) (Physical, error) {
	s := n.Shared
	if s.opt == nil {
		return nil, fmt.Errorf("internal error: CTE %s was not planned", s.Name)
	}
	first := false
	if s.phys == nil {
		p, err := o.lower(s.opt)
		if err != nil {
			return nil, err
		}
		s.phys, first = &PhysShared{Name: s.Name, Plan: p}, true
	}
	// The body's output may carry columns beyond the CTE's (ORDER BY
	// keys); references address the CTE's columns by position.
	bodyOut := s.phys.Plan.Base().Out
	pos := positions(bodyOut)
	idx := make([]int, len(n.ColIdx))
	for i, k := range n.ColIdx {
		id := s.Plan.Cols()[k].ID
		p, ok := pos[id]
		if !ok {
			return nil, fmt.Errorf("internal error: CTE %s lost column %s", s.Name, s.Plan.Cols()[k].Name)
		}
		idx[i] = p
	}
	return &PhysCTEScan{PhysBase: PhysBase{Out: n.Out, EstRows: est}, Shared: s.phys, ColIdx: idx, First: first}, nil
}
