package planner

import (
	"fmt"

	"github.com/peregrinedb/peregrine/planner/expr"
)

// Union concatenates its inputs (UNION ALL): Out[i] is column i of every
// input, whose types the binder has already unified. UNION (DISTINCT),
// INTERSECT and EXCEPT are built by the binder from a Union and an
// Aggregate over it.
type Union struct {
	Ins []Node
	Out []ColMeta
}

// Cols returns the union's own columns (Out), which have IDs of their own,
// not any input's.
func (n *Union) Cols() []ColMeta { return n.Out }

// Inputs returns the concatenated inputs, in order.
func (n *Union) Inputs() []Node { return n.Ins }

// PhysUnion runs its inputs' pipelines side by side: the consumer reads all
// of their workers' output. Every input's Out has the union's layout.
type PhysUnion struct {
	PhysBase
	Ins []Physical
}

// Children returns the inputs, in order.
func (p *PhysUnion) Children() []Physical { return p.Ins }

// mapUnion replaces each input of u by f(input), returning a copy.
func mapUnion(u *Union, f func(Node) Node) *Union {
	c := &Union{Out: u.Out, Ins: make([]Node, len(u.Ins))}
	for i, in := range u.Ins {
		c.Ins[i] = f(in)
	}
	return c
}

// pushUnion pushes predicates into every input of a union, each rewritten
// over that input's columns.
func (o *optimizer) pushUnion(u *Union, preds []expr.Expr) Node {
	return mapUnion(u, func(in Node) Node {
		defs := map[ColID]expr.Expr{}
		for i, c := range in.Cols() {
			defs[u.Out[i].ID] = &expr.Column{Index: c.ID, Typ: c.Type, Name: c.Name}
		}
		var below []expr.Expr
		for _, p := range preds {
			below = append(below, substitute(p, defs))
		}
		return o.pushDown(in, below)
	})
}

// pruneUnion keeps the union's columns something above reads (at least
// one: COUNT(*) needs the rows) and the same positions of every input.
func pruneUnion(u *Union, need map[ColID]bool) Node {
	var keep []int
	for i, c := range u.Out {
		if need[c.ID] {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 && len(u.Out) > 0 {
		keep = []int{0}
	}
	p := &Union{}
	for _, i := range keep {
		p.Out = append(p.Out, u.Out[i])
	}
	for _, in := range u.Ins {
		cols := in.Cols()
		want := make([]ColMeta, len(keep))
		for k, i := range keep {
			want[k] = cols[i]
		}
		p.Ins = append(p.Ins, selectCols(prune(in, IDs(want)), want))
	}
	return p
}

// selectCols returns n when its columns are cols in order, else a
// projection onto them.
func selectCols(n Node, cols []ColMeta) Node {
	have := n.Cols()
	same := len(have) == len(cols)
	for i := 0; same && i < len(cols); i++ {
		same = have[i].ID == cols[i].ID
	}
	if same {
		return n
	}
	p := &Project{Input: n, Out: cols}
	for _, c := range cols {
		p.Exprs = append(p.Exprs, &expr.Column{Index: c.ID, Typ: c.Type, Name: c.Name})
	}
	return p
}

// lowerUnion lowers each input and, where its physical layout differs from
// the logical one (a rule reordered or added columns), selects the union's
// columns in order.
func (o *optimizer) lowerUnion(u *Union, est float64) (Physical, error) {
	p := &PhysUnion{PhysBase: PhysBase{Out: u.Out, EstRows: est}}
	for _, in := range u.Ins {
		ph, err := o.lower(in)
		if err != nil {
			return nil, err
		}
		want := in.Cols()
		got := ph.Base().Out
		same := len(got) == len(want)
		for i := 0; same && i < len(want); i++ {
			same = got[i].ID == want[i].ID
		}
		if !same {
			pos := positions(got)
			proj := &PhysProject{PhysBase: PhysBase{Out: want, EstRows: ph.Base().EstRows}, Input: ph}
			for _, c := range want {
				at, ok := pos[c.ID]
				if !ok {
					return nil, fmt.Errorf("internal error: union input lost column %s (#%d)", c.Name, c.ID)
				}
				proj.Exprs = append(proj.Exprs, &expr.Column{Index: at, Typ: c.Type, Name: c.Name})
			}
			ph = proj
		}
		p.Ins = append(p.Ins, ph)
	}
	return p, nil
}

// Repeat emits each input row Count times (a BIGINT column of the input;
// NULL or not positive: none), turning per-row counts back into rows for
// INTERSECT ALL and EXCEPT ALL.
type Repeat struct {
	Input Node
	Count ColMeta
}

// Cols returns the input's columns: the count column stays in the output.
func (n *Repeat) Cols() []ColMeta { return n.Input.Cols() }

// Inputs returns the input whose rows are repeated.
func (n *Repeat) Inputs() []Node { return []Node{n.Input} }

// PhysRepeat is Repeat with the count column's position.
type PhysRepeat struct {
	PhysBase
	Input Physical
	Count int
}

// Children returns the input whose rows are repeated.
func (p *PhysRepeat) Children() []Physical { return []Physical{p.Input} }

func (o *optimizer) lowerRepeat(n *Repeat, est float64) (Physical, error) {
	in, err := o.lower(n.Input)
	if err != nil {
		return nil, err
	}
	at, ok := positions(in.Base().Out)[n.Count.ID]
	if !ok {
		return nil, fmt.Errorf("internal error: repeat count %s (#%d) is not available", n.Count.Name, n.Count.ID)
	}
	return &PhysRepeat{PhysBase: PhysBase{Out: in.Base().Out, EstRows: est}, Input: in, Count: at}, nil
}
