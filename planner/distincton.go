package planner

import "fmt"

// DistinctOn keeps the first row of each run of consecutive rows with equal
// Keys (NULLs equal). The binder puts it over a Sort by the keys and then
// by the query's ORDER BY, which makes it SELECT DISTINCT ON's first row
// per key. Nothing moves through it: a filter above it decides which key
// rows survive, not which row is first, so predicates stay above.
type DistinctOn struct {
	Input Node
	Keys  []ColID
}

// Cols are the input's columns: DISTINCT ON drops rows, never columns.
func (n *DistinctOn) Cols() []ColMeta { return n.Input.Cols() }

// Inputs is the sorted input.
func (n *DistinctOn) Inputs() []Node { return []Node{n.Input} }

// PhysDistinctOn is DistinctOn with the keys' positions. Its input is one
// ordered stream.
type PhysDistinctOn struct {
	PhysBase
	Input Physical
	Keys  []int
}

// Children is the ordered input stream.
func (p *PhysDistinctOn) Children() []Physical { return []Physical{p.Input} }

func (p *PhysDistinctOn) describe() string {
	return "DISTINCT_ON " + colNames(p.Input.Base().Out, p.Keys)
}

func (o *optimizer) lowerDistinctOn(n *DistinctOn, est float64) (Physical, error) {
	in, err := o.lower(n.Input)
	if err != nil {
		return nil, err
	}
	p := &PhysDistinctOn{PhysBase: PhysBase{Out: in.Base().Out, EstRows: est}, Input: in}
	for _, k := range n.Keys {
		at := -1
		for i, c := range in.Base().Out {
			if c.ID == k {
				at = i
				break
			}
		}
		if at < 0 {
			return nil, fmt.Errorf("planner: DISTINCT ON key %d not in its input", k)
		}
		p.Keys = append(p.Keys, at)
	}
	return p, nil
}
