package planner

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// Clone copies a logical plan so that it can be planned (planning rewrites
// nodes in place) while the original is kept: a prepared statement binds
// once and clones its plan for each execution. Every node and slice is
// new; fx maps each expression of the copy (it sees the original's
// expressions, and may return them unchanged when it does not rewrite);
// node, when not nil, is called with each original node and its copy.
func Clone(n Node, fx func(expr.Expr) (expr.Expr, error), node func(orig, cp Node) error) (Node, error) {
	c := cloner{fx: fx, node: node, shared: map[*SharedCTE]*SharedCTE{}}
	return c.clone(n)
}

type cloner struct {
	fx     func(expr.Expr) (expr.Expr, error)
	node   func(orig, cp Node) error
	shared map[*SharedCTE]*SharedCTE
	// recursive maps recursive CTEs being copied to their copies.
	recursive map[*RecursiveCTE]*RecursiveCTE
}

func (c *cloner) expr(e expr.Expr) (expr.Expr, error) {
	if e == nil {
		return nil, nil
	}
	return c.fx(e)
}

func (c *cloner) exprs(es []expr.Expr) ([]expr.Expr, error) {
	if es == nil {
		return nil, nil
	}
	out := make([]expr.Expr, len(es))
	for i, e := range es {
		x, err := c.expr(e)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

func (c *cloner) clone(n Node) (Node, error) {
	var cp Node
	var err error
	switch x := n.(type) {
	case *DistinctOn:
		d := *x
		d.Keys = append([]ColID(nil), x.Keys...)
		d.Input, err = c.clone(x.Input)
		cp = &d
	case *Scan:
		s := *x
		s.ColIdx = append([]int(nil), x.ColIdx...)
		s.Out = append([]ColMeta(nil), x.Out...)
		s.Filters, err = c.exprs(x.Filters)
		cp = &s
	case *Filter:
		f := *x
		if f.Input, err = c.clone(x.Input); err == nil {
			f.Pred, err = c.expr(x.Pred)
		}
		cp = &f
	case *Project:
		p := *x
		p.Out = append([]ColMeta(nil), x.Out...)
		if p.Input, err = c.clone(x.Input); err == nil {
			p.Exprs, err = c.exprs(x.Exprs)
		}
		cp = &p
	case *Join:
		j := *x
		if j.Left, err = c.clone(x.Left); err != nil {
			return nil, err
		}
		if j.Right, err = c.clone(x.Right); err != nil {
			return nil, err
		}
		if j.Cond, err = c.expr(x.Cond); err != nil {
			return nil, err
		}
		if j.LeftKeys, err = c.exprs(x.LeftKeys); err != nil {
			return nil, err
		}
		j.RightKeys, err = c.exprs(x.RightKeys)
		cp = &j
	case *Aggregate:
		a := *x
		a.Groups = append([]ColMeta(nil), x.Groups...)
		a.Out = append([]ColMeta(nil), x.Out...)
		a.Aggs = make([]AggCall, len(x.Aggs))
		for i, call := range x.Aggs {
			a.Aggs[i] = call
			if a.Aggs[i].Arg, err = c.expr(call.Arg); err != nil {
				return nil, err
			}
			a.Aggs[i].Order = append([]AggOrder(nil), call.Order...)
			for _, x := range a.Aggs[i].Extra() {
				if *x, err = c.expr(*x); err != nil {
					return nil, err
				}
			}
		}
		a.Input, err = c.clone(x.Input)
		cp = &a
	case *Sort:
		s := *x
		s.Keys = append([]SortKey(nil), x.Keys...)
		s.Input, err = c.clone(x.Input)
		cp = &s
	case *Limit:
		l := *x
		l.Input, err = c.clone(x.Input)
		cp = &l
	case *Window:
		cp, err = cloneWindow(c, x)
	case *Repeat:
		r := *x
		r.Input, err = c.clone(x.Input)
		cp = &r
	case *Unnest:
		u := *x
		u.Input, err = c.clone(x.Input)
		cp = &u
	case *Union:
		u := *x
		u.Out = append([]ColMeta(nil), x.Out...)
		u.Ins = make([]Node, len(x.Ins))
		for i, in := range x.Ins {
			if u.Ins[i], err = c.clone(in); err != nil {
				return nil, err
			}
		}
		cp = &u
	case *Values:
		v := *x
		v.Out = append([]ColMeta(nil), x.Out...)
		v.Rows = make([][]coldata.Datum, len(x.Rows))
		for i, r := range x.Rows {
			v.Rows[i] = append([]coldata.Datum(nil), r...)
		}
		cp = &v
	case *Series:
		v := *x
		v.Out = append([]ColMeta(nil), x.Out...)
		cp = &v
	case *RecursiveCTE:
		cp, err = c.cloneRecursive(x)
	case *WorkScan:
		cp, err = c.cloneWorkScan(x)
	case *CTERef:
		r := *x
		r.Out = append([]ColMeta(nil), x.Out...)
		r.ColIdx = append([]int(nil), x.ColIdx...)
		sh, ok := c.shared[x.Shared]
		if !ok {
			sh = &SharedCTE{Name: x.Shared.Name, Width: x.Shared.Width}
			if sh.Plan, err = c.clone(x.Shared.Plan); err != nil {
				return nil, err
			}
			c.shared[x.Shared] = sh
		}
		r.Shared = sh
		cp = &r
	default:
		return nil, fmt.Errorf("planner: cannot clone a %T", n)
	}
	if err != nil {
		return nil, err
	}
	if c.node != nil {
		if err := c.node(n, cp); err != nil {
			return nil, err
		}
	}
	return cp, nil
}
