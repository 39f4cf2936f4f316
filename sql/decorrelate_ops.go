package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// Pushing D through the operators that keep rows per input row or per
// group of them: UNNEST (the lists may be D's own columns), windows
// (partitioned by D's columns too) and LIMIT/OFFSET (numbered per D row,
// in the order of a sort below).

// pushUnnest unnests the pushed input. A list that is a correlated column
// is unnested from a copy, since UNNEST does not pass its lists through
// and D's columns must stay.
func (d *decor) pushUnnest(x *planner.Unnest) (planner.Node, colMap, error) {
	in, m, err := d.push(x.Input)
	if err != nil {
		return nil, nil, err
	}
	u := &planner.Unnest{Out: x.Out}
	var copies *planner.Project
	for _, l := range x.Lists {
		dc, corr := m[l.ID]
		if !corr {
			u.Lists = append(u.Lists, l)
			continue
		}
		if copies == nil {
			copies = &planner.Project{Input: in}
			for _, c := range in.Cols() {
				copies.Exprs, copies.Out = append(copies.Exprs, colExpr(c)), append(copies.Out, c)
			}
		}
		cp := d.b.newCol(l.Name, "", l.Type)
		copies.Exprs, copies.Out = append(copies.Exprs, colExpr(dc)), append(copies.Out, cp)
		u.Lists = append(u.Lists, cp)
	}
	u.Input = in
	if copies != nil {
		u.Input = copies
	}
	return u, m, nil
}

// pushWindow partitions the windows by D's columns too.
func (d *decor) pushWindow(x *planner.Window) (planner.Node, colMap, error) {
	in, m, err := d.push(x.Input)
	if err != nil {
		return nil, nil, err
	}
	re := func(c planner.ColMeta) planner.ColMeta {
		if r, ok := m[c.ID]; ok {
			return r
		}
		return c
	}
	// Nested D columns partition by their encodings, which stay in the
	// output as extra columns.
	in, keys, _ := d.b.encodeKeys(in, d.cols(m))
	w := &planner.Window{Input: in, Partition: append([]planner.ColMeta(nil), keys...)}
	for _, c := range x.Partition {
		w.Partition = append(w.Partition, re(c))
	}
	for _, k := range x.Order {
		if r, ok := m[k.Col]; ok {
			k.Col = r.ID
		}
		w.Order = append(w.Order, k)
	}
	for _, call := range x.Calls {
		args := make([]planner.ColMeta, len(call.Args))
		for i, a := range call.Args {
			args[i] = re(a)
		}
		call.Args = args
		call.Frame.Start.Value, call.Frame.End.Value = re(call.Frame.Start.Value), re(call.Frame.End.Value)
		call.Frame.RangeKey = re(call.Frame.RangeKey)
		w.Calls = append(w.Calls, call)
	}
	w.Out = append(append([]planner.ColMeta{}, in.Cols()...), x.Out[len(x.Input.Cols()):]...)
	return w, m, nil
}

// pushLimit keeps rows OFFSET+1 .. OFFSET+COUNT of each D row: a
// row_number partitioned by D's columns, ordered as the sort below.
func (d *decor) pushLimit(x *planner.Limit) (planner.Node, colMap, error) {
	in, m, err := d.push(x.Input)
	if err != nil {
		return nil, nil, err
	}
	var order []planner.SortKey
	if s, ok := in.(*planner.Sort); ok {
		order = s.Keys
	}
	cols := in.Cols()
	in, keys, _ := d.b.encodeKeys(in, d.cols(m))
	w := &planner.Window{Input: in, Partition: keys, Order: order}
	rn := d.b.newCol("row_number", "", coldata.TypeInt64)
	w.Calls = []planner.WindowCall{{Func: planner.WinRowNumber, Typ: coldata.TypeInt64}}
	w.Out = append(append([]planner.ColMeta{}, in.Cols()...), rn)
	num := func(v int64) expr.Expr { return &expr.Const{Val: coldata.Datum{I: v}, Typ: coldata.TypeInt64} }
	cmp := func(op expr.Op, v int64) expr.Expr {
		return &expr.Func{Op: op, Args: []expr.Expr{colExpr(rn), num(v)}, Typ: coldata.TypeBool}
	}
	pred := cmp(expr.OpGt, x.Offset)
	if x.Count >= 0 {
		pred = expr.And(pred, cmp(expr.OpLe, x.Offset+x.Count))
	}
	f := &planner.Filter{Input: w, Pred: pred}
	p := &planner.Project{Input: f}
	for _, c := range cols {
		p.Exprs, p.Out = append(p.Exprs, colExpr(c)), append(p.Out, c)
	}
	return p, m, nil
}

// encodeKeys prepares grouping by cols: nested columns are grouped by
// their encoding (a flat key). It returns the input with the keys, the
// keys, and decode, which turns the aggregate's encoded keys back into
// cols under their own IDs (the identity when no column is nested).
func (b *binder) encodeKeys(in planner.Node, cols []planner.ColMeta) (planner.Node, []planner.ColMeta, func(planner.Node) planner.Node) {
	nested := false
	for _, c := range cols {
		nested = nested || c.Type.IsNested()
	}
	if !nested {
		return in, cols, func(n planner.Node) planner.Node { return n }
	}
	p := &planner.Project{Input: in}
	for _, c := range in.Cols() {
		p.Exprs, p.Out = append(p.Exprs, colExpr(c)), append(p.Out, c)
	}
	keys := make([]planner.ColMeta, len(cols))
	enc := map[int]planner.ColMeta{}
	for i, c := range cols {
		keys[i] = c
		if c.Type.IsNested() {
			keys[i] = b.newCol(c.Name, c.Table, coldata.TypeString)
			p.Exprs, p.Out = append(p.Exprs, nestedEncode(colExpr(c))), append(p.Out, keys[i])
			enc[keys[i].ID] = c
		}
	}
	decode := func(n planner.Node) planner.Node {
		out := &planner.Project{Input: n}
		for _, c := range n.Cols() {
			if o, ok := enc[c.ID]; ok {
				out.Exprs, out.Out = append(out.Exprs, nestedDecode(colExpr(c), o.Type)), append(out.Out, o)
				continue
			}
			out.Exprs, out.Out = append(out.Exprs, colExpr(c)), append(out.Out, c)
		}
		return out
	}
	return p, keys, decode
}

// byD makes an aggregate grouped by D's columns (its first groups, the
// first columns of its output) group nested ones by their encoding.
func (d *decor) byD(a *planner.Aggregate) planner.Node {
	k := len(d.corr)
	in, keys, decode := d.b.encodeKeys(a.Input, a.Groups[:k])
	if in == a.Input {
		return a
	}
	na := *a
	na.Input = in
	na.Groups = append(append([]planner.ColMeta(nil), keys...), a.Groups[k:]...)
	na.Out = append(append([]planner.ColMeta(nil), keys...), a.Out[k:]...)
	return decode(&na)
}
