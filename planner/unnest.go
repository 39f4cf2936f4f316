package planner

import (
	"fmt"
	"slices"
	"strings"
)

// Unnest turns each input row into as many rows as its longest list in
// Lists (input columns): Out[k] holds the elements of Lists[k], NULL past
// its end (DuckDB zips the unnests of one SELECT list). A row whose lists
// are all NULL or empty yields none. The input's other columns pass
// through, repeated; the lists themselves do not (repeating a list per
// element would be quadratic).
type Unnest struct {
	Input Node
	Lists []ColMeta
	Out   []ColMeta
}

// Cols returns the input's columns but the lists, then one element column
// per list.
func (n *Unnest) Cols() []ColMeta {
	return append(withoutLists(n.Input.Cols(), n.Lists), n.Out...)
}

func withoutLists(cols, lists []ColMeta) []ColMeta {
	var out []ColMeta
	for _, c := range cols {
		if !slices.ContainsFunc(lists, func(l ColMeta) bool { return l.ID == c.ID }) {
			out = append(out, c)
		}
	}
	return out
}

// Inputs returns the input whose lists are unnested.
func (n *Unnest) Inputs() []Node { return []Node{n.Input} }

// PhysUnnest is Unnest with the lists' positions in the input.
type PhysUnnest struct {
	PhysBase
	Input Physical
	Lists []int
}

// Children returns the input whose lists are unnested.
func (p *PhysUnnest) Children() []Physical { return []Physical{p.Input} }

func (o *optimizer) lowerUnnest(n *Unnest, est float64) (Physical, error) {
	in, err := o.lower(n.Input)
	if err != nil {
		return nil, err
	}
	pos := positions(in.Base().Out)
	p := &PhysUnnest{Input: in}
	for _, l := range n.Lists {
		at, ok := pos[l.ID]
		if !ok {
			return nil, fmt.Errorf("internal error: unnested list %s (#%d) is not available", l.Name, l.ID)
		}
		p.Lists = append(p.Lists, at)
	}
	p.Out = append(withoutLists(in.Base().Out, n.Lists), n.Out...)
	p.EstRows = est
	return p, nil
}

func (p *PhysUnnest) explain() string {
	var names []string
	for _, i := range p.Lists {
		names = append(names, p.Input.Base().Out[i].Name)
	}
	return "UNNEST " + strings.Join(names, ", ")
}
