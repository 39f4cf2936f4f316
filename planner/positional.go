package planner

// PhysPositionalJoin pairs row i of Left with row i of Right, the shorter
// side padded with NULLs (DuckDB's POSITIONAL JOIN). Each side is read in
// its own order, by one worker.
type PhysPositionalJoin struct {
	PhysBase
	Left, Right Physical
}

// Children are the two sides, left first.
func (p *PhysPositionalJoin) Children() []Physical { return []Physical{p.Left, p.Right} }

func (o *optimizer) lowerPositional(n *Join, est float64) (Physical, error) {
	l, err := o.lower(n.Left)
	if err != nil {
		return nil, err
	}
	r, err := o.lower(n.Right)
	if err != nil {
		return nil, err
	}
	out := append(append([]ColMeta{}, l.Base().Out...), r.Base().Out...)
	return &PhysPositionalJoin{PhysBase: PhysBase{Out: out, EstRows: est}, Left: l, Right: r}, nil
}
