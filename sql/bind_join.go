package sql

import (
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
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

// asofCond checks an ASOF join's condition, DuckDB's rules: equalities
// between the sides and exactly one inequality (>=, >, <=, <) between
// them, which is rewritten with the left side's expression first. The
// join's type becomes ASOF (or ASOF LEFT).
func asofCond(j *planner.Join, te *ast.Join) error {
	if j.Type == planner.JoinLeft {
		j.Type = planner.JoinAsofLeft
	} else {
		j.Type = planner.JoinAsof
	}
	if j.Cond == nil {
		return binderErr(te, "Missing ASOF JOIN inequality")
	}
	left, right := planner.IDs(j.Left.Cols()), planner.IDs(j.Right.Cols())
	var keep []expr.Expr
	var ineq *expr.Func
	for _, c := range expr.SplitAnd(j.Cond) {
		f, ok := c.(*expr.Func)
		if !ok || len(f.Args) != 2 {
			return notImplemented(te, "an ASOF JOIN condition other than equalities and one inequality")
		}
		a, b := f.Args[0], f.Args[1]
		op := f.Op
		switch {
		case readsOnly(a, left) && readsOnly(b, right):
		case readsOnly(a, right) && readsOnly(b, left):
			a, b, op = b, a, op.Commute()
		default:
			return notImplemented(te, "an ASOF JOIN condition other than equalities and one inequality")
		}
		switch op {
		case expr.OpEq:
			keep = append(keep, c)
		case expr.OpGe, expr.OpGt, expr.OpLe, expr.OpLt:
			if ineq != nil {
				return binderErr(te, "Multiple ASOF JOIN inequalities")
			}
			ineq = &expr.Func{Op: op, Args: []expr.Expr{a, b}, Typ: f.Typ}
		default:
			return notImplemented(te, "an ASOF JOIN condition other than equalities and one inequality")
		}
	}
	if ineq == nil {
		return binderErr(te, "Missing ASOF JOIN inequality")
	}
	j.Cond = expr.And(append(keep, ineq)...)
	return nil
}

// readsOnly reports whether e reads columns, all of them in ids.
func readsOnly(e expr.Expr, ids map[planner.ColID]bool) bool {
	cols := expr.Columns(e)
	if len(cols) == 0 {
		return false
	}
	for c := range cols {
		if !ids[c] {
			return false
		}
	}
	return true
}
