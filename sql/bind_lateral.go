package sql

import (
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// LATERAL: a FROM item after the first may read the columns of the items
// before it (DuckDB needs no LATERAL keyword for that). It binds with
// those columns as an outer scope, and a right side that reads them is a
// dependent join, decorrelated like a subquery (decorrelate.go).

// lateralBinder returns the binder for the FROM item te that follows the
// items of sc.
func (b *binder) lateralBinder(te ast.TableExpr, sc *scope) *binder {
	switch te.(type) {
	case *ast.DerivedTable, *ast.TableFunc:
		if len(sc.cols) > 0 {
			return b.withOuter(sc, nil)
		}
	}
	return b
}

// lateralJoin joins left and right with typ and cond; when right reads
// left's columns, D's rows stand for them and the join adds
// left IS NOT DISTINCT FROM D.
func (b *binder) lateralJoin(left, right planner.Node, typ planner.JoinType, cond expr.Expr) (planner.Node, error) {
	corr := correlation(right, left)
	if len(corr) == 0 {
		return &planner.Join{Left: left, Right: right, Type: typ, Cond: cond}, nil
	}
	d := b.newDecor(left, corr)
	r, m, err := d.push(right)
	if err != nil {
		return nil, err
	}
	eq, err := d.nsEq(d.identity(), m)
	if err != nil {
		return nil, err
	}
	return &planner.Join{Left: left, Right: r, Type: typ, Cond: expr.And(cond, eq)}, nil
}
