package sql

import (
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// Pushing D into a recursive CTE whose anchor or step reads an enclosing
// query's columns: the CTE runs once for all of D, its working table
// carrying D's columns next to its own. The anchor gets D like any plan;
// the step reads D from the working table instead of joining it again, so
// each row recurses with the outer values it started from. Operators of
// the step between the work scan and its result pass D's columns through
// (grouping by them, joining two work scans on them).

// pushRecursive returns x evaluated for every row of D.
func (d *decor) pushRecursive(x *planner.RecursiveCTE) (planner.Node, colMap, error) {
	width := len(x.Out)
	anchor, am, err := d.push(x.Anchor)
	if err != nil {
		return nil, nil, err
	}
	rc := &planner.RecursiveCTE{Name: x.Name, Distinct: x.Distinct, Out: append([]planner.ColMeta(nil), x.Out...)}
	um := colMap{}
	for _, c := range d.corr {
		nc := d.b.newCol(c.Name, "", c.Type)
		rc.Out = append(rc.Out, nc)
		um[c.ID] = nc
	}
	rc.Anchor = d.project(anchor, x.Anchor.Cols()[:width], d.cols(am))
	step, sd, err := d.carry(x.Step, x, rc)
	if err != nil {
		return nil, nil, err
	}
	if sd == nil {
		return nil, nil, notImplementedCorr("a recursive CTE whose step does not read it")
	}
	rc.Step = d.project(step, x.Step.Cols()[:width], sd)
	return rc, um, nil
}

// project outputs cols then extra, under fresh IDs for the extra columns'
// positions (the CTE maps positions, not IDs).
func (d *decor) project(in planner.Node, cols, extra []planner.ColMeta) planner.Node {
	p := &planner.Project{Input: in}
	for _, c := range cols {
		p.Exprs, p.Out = append(p.Exprs, colExpr(c)), append(p.Out, c)
	}
	for _, c := range extra {
		p.Exprs, p.Out = append(p.Exprs, colExpr(c)), append(p.Out, d.b.newCol(c.Name, "", c.Type))
	}
	return p
}

// carry rewrites the step n so that it outputs D's columns (dcols, nil
// when n does not read the working table of x), read from the working
// table of rc that replaces x's.
func (d *decor) carry(n planner.Node, x, rc *planner.RecursiveCTE) (planner.Node, []planner.ColMeta, error) {
	if !readsWork(n, x) {
		if hasFreeIn(n, d.ids) {
			return nil, nil, notImplementedCorr("this operator in a recursive CTE's step")
		}
		return n, nil, nil
	}
	m := func(dc []planner.ColMeta) colMap {
		out := colMap{}
		for i, c := range d.corr {
			out[c.ID] = dc[i]
		}
		return out
	}
	switch n := n.(type) {
	case *planner.WorkScan:
		ws := &planner.WorkScan{CTE: rc, Out: append([]planner.ColMeta(nil), n.Out...)}
		var dc []planner.ColMeta
		for _, c := range d.corr {
			nc := d.b.newCol(c.Name, "", c.Type)
			dc = append(dc, nc)
			ws.Out = append(ws.Out, nc)
		}
		return ws, dc, nil
	case *planner.Filter:
		in, dc, err := d.carry(n.Input, x, rc)
		if err != nil {
			return nil, nil, err
		}
		return &planner.Filter{Input: in, Pred: m(dc).remap(n.Pred)}, dc, nil
	case *planner.Project:
		in, dc, err := d.carry(n.Input, x, rc)
		if err != nil {
			return nil, nil, err
		}
		p := &planner.Project{Input: in}
		for i, e := range n.Exprs {
			p.Exprs, p.Out = append(p.Exprs, m(dc).remap(e)), append(p.Out, n.Out[i])
		}
		for _, c := range dc {
			p.Exprs, p.Out = append(p.Exprs, colExpr(c)), append(p.Out, c)
		}
		return p, dc, nil
	case *planner.Sort:
		in, dc, err := d.carry(n.Input, x, rc)
		if err != nil {
			return nil, nil, err
		}
		return &planner.Sort{Input: in, Keys: n.Keys}, dc, nil
	case *planner.Aggregate:
		in, dc, err := d.carry(n.Input, x, rc)
		if err != nil {
			return nil, nil, err
		}
		a := &planner.Aggregate{Input: in}
		a.Groups = append(append(a.Groups, n.Groups...), dc...)
		a.Out = append(append(a.Out, n.Out[:len(n.Groups)]...), dc...)
		if len(n.Groups) == 0 {
			// One row per D row only where the working table has rows:
			// an empty step ends the recursion either way.
			return nil, nil, notImplementedCorr("an ungrouped aggregate in a recursive CTE's step")
		}
		for _, call := range n.Aggs {
			call.Arg = m(dc).remap(call.Arg)
			call.Order = append([]planner.AggOrder(nil), call.Order...)
			for _, e := range call.Extra() {
				*e = m(dc).remap(*e)
			}
			a.Aggs = append(a.Aggs, call)
		}
		a.Out = append(a.Out, n.Out[len(n.Groups):]...)
		return a, dc, nil
	case *planner.Join:
		return d.carryJoin(n, x, rc)
	}
	return nil, nil, notImplementedCorr("this operator in a recursive CTE's step")
}

// carryJoin carries D through a join of the step: from the side reading
// the working table, or from both, joined on D's columns.
func (d *decor) carryJoin(n *planner.Join, x, rc *planner.RecursiveCTE) (planner.Node, []planner.ColMeta, error) {
	l, ld, err := d.carry(n.Left, x, rc)
	if err != nil {
		return nil, nil, err
	}
	r, rd, err := d.carry(n.Right, x, rc)
	if err != nil {
		return nil, nil, err
	}
	dc := ld
	if dc == nil {
		if n.Type != planner.JoinInner && n.Type != planner.JoinLeft {
			return nil, nil, notImplementedCorr("this join in a recursive CTE's step")
		}
		dc = rd
	}
	cm := colMap{}
	for i, c := range d.corr {
		cm[c.ID] = dc[i]
	}
	j := *n
	j.Left, j.Right, j.Cond = l, r, cm.remap(n.Cond)
	if ld != nil && rd != nil {
		a, b := colMap{}, colMap{}
		for i, c := range d.corr {
			a[c.ID], b[c.ID] = ld[i], rd[i]
		}
		eq, err := d.nsEq(a, b)
		if err != nil {
			return nil, nil, err
		}
		j.Cond = expr.And(j.Cond, eq)
	}
	if ld == nil && n.Type == planner.JoinLeft {
		return nil, nil, notImplementedCorr("this join in a recursive CTE's step")
	}
	return &j, dc, nil
}

// readsWork reports whether n scans x's working table.
func readsWork(n planner.Node, x *planner.RecursiveCTE) bool {
	if ws, ok := n.(*planner.WorkScan); ok {
		return ws.CTE == x
	}
	for _, in := range n.Inputs() {
		if readsWork(in, x) {
			return true
		}
	}
	return false
}
