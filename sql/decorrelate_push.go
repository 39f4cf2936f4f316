package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// push returns n evaluated for every row of D: n's columns plus D's,
// with the correlated columns read from D's (the map returned).
func (d *decor) push(n planner.Node) (planner.Node, colMap, error) {
	if len(d.corr) == 0 {
		return n, colMap{}, nil
	}
	if !hasFreeIn(n, d.ids) {
		dom, m, err := d.domain()
		if err != nil {
			return nil, nil, err
		}
		return &planner.Join{Left: n, Right: dom, Type: planner.JoinInner}, m, nil
	}
	switch x := n.(type) {
	case *planner.Filter:
		in, m, err := d.push(x.Input)
		if err != nil {
			return nil, nil, err
		}
		return &planner.Filter{Input: in, Pred: m.remap(x.Pred)}, m, nil
	case *planner.Project:
		in, m, err := d.push(x.Input)
		if err != nil {
			return nil, nil, err
		}
		p := &planner.Project{Input: in}
		for i, e := range x.Exprs {
			p.Exprs = append(p.Exprs, m.remap(e))
			p.Out = append(p.Out, x.Out[i])
		}
		for _, c := range d.cols(m) {
			p.Exprs = append(p.Exprs, colExpr(c))
			p.Out = append(p.Out, c)
		}
		return p, m, nil
	case *planner.Aggregate:
		return d.pushAggregate(x)
	case *planner.Join:
		return d.pushJoin(x)
	case *planner.Sort:
		in, m, err := d.push(x.Input)
		if err != nil {
			return nil, nil, err
		}
		return &planner.Sort{Input: in, Keys: x.Keys}, m, nil
	case *planner.Repeat:
		in, m, err := d.push(x.Input)
		if err != nil {
			return nil, nil, err
		}
		return &planner.Repeat{Input: in, Count: x.Count}, m, nil
	case *planner.Union:
		return d.pushUnion(x)
	case *planner.RecursiveCTE:
		return d.pushRecursive(x) // decorrelate_recursive.go
	case *planner.Limit:
		return d.pushLimit(x) // decorrelate_ops.go
	case *planner.Unnest:
		return d.pushUnnest(x)
	case *planner.Window:
		return d.pushWindow(x)
	}
	return nil, nil, notImplementedCorr("this operator")
}

// pushAggregate groups by D's columns too. An ungrouped aggregate returns
// one row even for a D row without input rows: D is joined back with a
// LEFT join, and COUNTs of no rows become 0 (the "COUNT bug").
func (d *decor) pushAggregate(x *planner.Aggregate) (planner.Node, colMap, error) {
	in, m, err := d.push(x.Input)
	if err != nil {
		return nil, nil, err
	}
	mc := d.cols(m)
	in, keys, decode := d.b.encodeKeys(in, mc) // decorrelate_ops.go
	a := &planner.Aggregate{Input: in}
	a.Groups = append(append(a.Groups, x.Groups...), keys...)
	a.Out = append(append(a.Out, x.Out[:len(x.Groups)]...), keys...)
	for _, call := range x.Aggs {
		call.Arg = m.remap(call.Arg)
		call.Order = append([]planner.AggOrder(nil), call.Order...)
		for _, x := range call.Extra() {
			*x = m.remap(*x)
		}
		a.Aggs = append(a.Aggs, call)
	}
	aggOut := x.Out[len(x.Groups):]
	if len(x.Groups) > 0 {
		a.Out = append(a.Out, aggOut...)
		return decode(a), m, nil
	}
	dom, dm, err := d.domain()
	if err != nil {
		return nil, nil, err
	}
	proj := &planner.Project{}
	for _, c := range d.cols(dm) {
		proj.Exprs, proj.Out = append(proj.Exprs, colExpr(c)), append(proj.Out, c)
	}
	for i, call := range x.Aggs {
		out := aggOut[i]
		if call.Func != planner.AggCountStar && call.Func != planner.AggCount {
			a.Out = append(a.Out, out)
			proj.Exprs, proj.Out = append(proj.Exprs, colExpr(out)), append(proj.Out, out)
			continue
		}
		raw := d.b.newCol(out.Name, "", out.Type)
		a.Out = append(a.Out, raw)
		zero := &expr.Const{Val: coldata.Datum{I: 0}, Typ: out.Type}
		proj.Exprs = append(proj.Exprs, &expr.Func{Op: expr.OpCoalesce, Args: []expr.Expr{colExpr(raw), zero}, Typ: out.Type})
		proj.Out = append(proj.Out, out)
	}
	cond, err := d.nsEq(dm, m)
	if err != nil {
		return nil, nil, err
	}
	proj.Input = &planner.Join{Left: dom, Right: decode(a), Type: planner.JoinLeft, Cond: cond}
	return proj, dm, nil
}

// pushJoin pushes D into the sides that read F. A side that preserves
// rows (the left of a LEFT, SEMI or ANTI join) always carries D, so that
// its rows are kept per D row; when both sides read F they join on D's
// columns too.
func (d *decor) pushJoin(x *planner.Join) (planner.Node, colMap, error) {
	lf, rf := hasFreeIn(x.Left, d.ids), hasFreeIn(x.Right, d.ids)
	j := *x
	if x.Type == planner.JoinInner && !lf && rf {
		r, m, err := d.push(x.Right)
		if err != nil {
			return nil, nil, err
		}
		j.Right, j.Cond = r, m.remap(x.Cond)
		return &j, m, nil
	}
	l, m, err := d.push(x.Left)
	if err != nil {
		return nil, nil, err
	}
	j.Left, j.Cond = l, m.remap(x.Cond)
	if rf {
		r, rm, err := d.push(x.Right)
		if err != nil {
			return nil, nil, err
		}
		eq, err := d.nsEq(m, rm)
		if err != nil {
			return nil, nil, err
		}
		j.Right, j.Cond = r, expr.And(j.Cond, eq)
	}
	return &j, m, nil
}

// pushUnion pushes D into every input, which then also output D's
// columns in the union's layout.
func (d *decor) pushUnion(x *planner.Union) (planner.Node, colMap, error) {
	u := &planner.Union{Out: append([]planner.ColMeta(nil), x.Out...)}
	um := colMap{}
	for _, c := range d.corr {
		nc := d.b.newCol(c.Name, "", c.Type)
		u.Out = append(u.Out, nc)
		um[c.ID] = nc
	}
	for _, in := range x.Ins {
		pin, m, err := d.push(in)
		if err != nil {
			return nil, nil, err
		}
		p := &planner.Project{Input: pin}
		for _, c := range in.Cols() {
			p.Exprs, p.Out = append(p.Exprs, colExpr(c)), append(p.Out, d.b.newCol(c.Name, "", c.Type))
		}
		for _, c := range d.cols(m) {
			p.Exprs, p.Out = append(p.Exprs, colExpr(c)), append(p.Out, d.b.newCol(c.Name, "", c.Type))
		}
		u.Ins = append(u.Ins, p)
	}
	return u, um, nil
}
