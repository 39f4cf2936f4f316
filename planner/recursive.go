package planner

import "fmt"

// A recursive CTE (WITH RECURSIVE) is a leaf of the plan that reads it:
// its anchor and step are planned on their own, like a shared CTE's body,
// and rules never look inside. The executor runs the anchor, then the
// step over the working table (the previous round's new rows, read by
// WorkScan leaves of the step) until a round adds nothing.

// RecursiveCTE is one reference to a recursive CTE. Anchor's and Step's
// first len(Out) columns are the CTE's, by position.
type RecursiveCTE struct {
	Name         string
	Anchor, Step Node
	Out          []ColMeta
	// Distinct is UNION: rows already produced are dropped, so the
	// working table only holds new ones.
	Distinct bool
	phys     *PhysWorkTable
}

// WorkScan reads the working table of CTE inside its step.
type WorkScan struct {
	CTE *RecursiveCTE
	Out []ColMeta
}

// Cols are the CTE's columns as this reference names them.
func (n *RecursiveCTE) Cols() []ColMeta { return n.Out }

// Inputs is empty: the anchor and step are planned on their own.
func (n *RecursiveCTE) Inputs() []Node { return nil }

// Cols are the working table's columns.
func (n *WorkScan) Cols() []ColMeta { return n.Out }

// Inputs is empty: a WorkScan is a leaf.
func (n *WorkScan) Inputs() []Node { return nil }

// PhysWorkTable identifies a recursive CTE's working table in a physical
// plan: the CTE writes it, its WorkScans read it.
type PhysWorkTable struct{ Name string }

// PhysRecursiveCTE runs a recursive CTE. AnchorIdx and StepIdx are the
// positions of the CTE's columns in Anchor's and Step's outputs.
type PhysRecursiveCTE struct {
	PhysBase
	Work               *PhysWorkTable
	Anchor, Step       Physical
	AnchorIdx, StepIdx []int
	Distinct           bool
}

// PhysWorkScan reads the working table.
type PhysWorkScan struct {
	PhysBase
	Work *PhysWorkTable
}

// Children are the anchor and the step, for EXPLAIN.
func (p *PhysRecursiveCTE) Children() []Physical { return []Physical{p.Anchor, p.Step} }

// Children is empty: a WorkScan is a leaf.
func (p *PhysWorkScan) Children() []Physical { return nil }

func (p *PhysRecursiveCTE) describe() string {
	kind := "UNION ALL"
	if p.Distinct {
		kind = "UNION"
	}
	return fmt.Sprintf("RECURSIVE_CTE %s (%s)", p.Work.Name, kind)
}

func (p *PhysWorkScan) describe() string { return "WORK_TABLE_SCAN " + p.Work.Name }

// optimizeBody runs the rules on a plan planned on its own (a recursive
// CTE's anchor or step), keeping all its columns.
func (o *optimizer) optimizeBody(n Node) (Node, error) {
	if err := o.planShared(n); err != nil {
		return nil, err
	}
	o.est.register(n)
	body := o.pushDown(simplifyOuterJoins(n), nil)
	if o.err != nil {
		return nil, o.err
	}
	body = prune(body, IDs(n.Cols()))
	body = pushLimit(body)
	return answerFromFooters(body), nil
}

// lowerRecursive plans and lowers the anchor and the step.
func (o *optimizer) lowerRecursive(n *RecursiveCTE, est float64) (Physical, error) {
	p := &PhysRecursiveCTE{PhysBase: PhysBase{Out: n.Out, EstRows: est}, Distinct: n.Distinct}
	if n.phys == nil {
		n.phys = &PhysWorkTable{Name: n.Name}
	}
	p.Work = n.phys
	for i, body := range []Node{n.Anchor, n.Step} {
		cols := body.Cols()[:len(n.Out)]
		opt, err := o.optimizeBody(body)
		if err != nil {
			return nil, err
		}
		ph, err := o.lower(opt)
		if err != nil {
			return nil, err
		}
		pos := positions(ph.Base().Out)
		idx := make([]int, len(cols))
		for k, c := range cols {
			q, ok := pos[c.ID]
			if !ok {
				return nil, fmt.Errorf("internal error: recursive CTE %s lost column %s", n.Name, c.Name)
			}
			idx[k] = q
		}
		if i == 0 {
			p.Anchor, p.AnchorIdx = ph, idx
		} else {
			p.Step, p.StepIdx = ph, idx
		}
	}
	return p, nil
}

func (o *optimizer) lowerWorkScan(n *WorkScan, est float64) (Physical, error) {
	if n.CTE.phys == nil {
		n.CTE.phys = &PhysWorkTable{Name: n.CTE.Name}
	}
	return &PhysWorkScan{PhysBase: PhysBase{Out: n.Out, EstRows: est}, Work: n.CTE.phys}, nil
}

// cloneRecursive copies a recursive CTE reference with its bodies; the
// step's WorkScans point at the copy.
func (c *cloner) cloneRecursive(x *RecursiveCTE) (Node, error) {
	if c.recursive == nil {
		c.recursive = map[*RecursiveCTE]*RecursiveCTE{}
	}
	r := &RecursiveCTE{Name: x.Name, Distinct: x.Distinct, Out: append([]ColMeta(nil), x.Out...)}
	c.recursive[x] = r
	var err error
	if r.Anchor, err = c.clone(x.Anchor); err != nil {
		return nil, err
	}
	if r.Step, err = c.clone(x.Step); err != nil {
		return nil, err
	}
	return r, nil
}

func (c *cloner) cloneWorkScan(x *WorkScan) (Node, error) {
	w := &WorkScan{CTE: x.CTE, Out: append([]ColMeta(nil), x.Out...)}
	if r, ok := c.recursive[x.CTE]; ok {
		w.CTE = r
	}
	return w, nil
}
