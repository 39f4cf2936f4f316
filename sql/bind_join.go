package sql

import (
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// fullUsing collects the merged columns of a FULL JOIN ... USING (or
// NATURAL FULL JOIN): as in DuckDB, the one column unqualified names and *
// see is COALESCE(left, right), computed by a projection over the join;
// l.k and r.k still name each side's own copy.
type fullUsing struct {
	exprs []expr.Expr
	out   []planner.ColMeta
}

// merge adds the merged column of l and r, hiding r and making l stand for
// the merged column.
func (f *fullUsing) merge(b *binder, ls, rs *scope, l, r planner.ColMeta) error {
	t, err := resultType(l.Type, r.Type)
	if err != nil {
		return err
	}
	lx, err := castTo(colExpr(l), t)
	if err != nil {
		return err
	}
	rx, err := castTo(colExpr(r), t)
	if err != nil {
		return err
	}
	m := b.newCol(l.Name, "", t)
	f.exprs = append(f.exprs, &expr.Func{Op: expr.OpCoalesce, Args: []expr.Expr{lx, rx}, Typ: t})
	f.out = append(f.out, m)
	for i := range rs.cols {
		if rs.cols[i].meta.ID == r.ID {
			rs.cols[i].hidden = true
		}
	}
	for i := range ls.cols {
		// l may itself be an inner join's merged column.
		if ls.cols[i].unqualified().ID == l.ID && !ls.cols[i].hidden {
			ls.cols[i].merged = &m
		}
	}
	return nil
}

// project returns j with the merged columns computed over it.
func (f *fullUsing) project(j *planner.Join) planner.Node {
	if len(f.out) == 0 {
		return j
	}
	p := &planner.Project{Input: j}
	for _, c := range j.Cols() {
		p.Exprs = append(p.Exprs, colExpr(c))
		p.Out = append(p.Out, c)
	}
	p.Exprs = append(p.Exprs, f.exprs...)
	p.Out = append(p.Out, f.out...)
	return p
}
