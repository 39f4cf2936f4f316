package sql

import (
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// bindSetOpQuery binds a set operation with its ORDER BY/LIMIT: the tail
// applies to the result, read as SELECT * FROM (set operation). As in
// DuckDB, ORDER BY may only name output columns (by name or ordinal).
func (b *binder) bindSetOpQuery(x *ast.SetOp, t tail, opts selectOpts) (*selectResult, error) {
	if len(t.orderBy) == 0 && t.limit == nil && t.offset == nil {
		return b.bindSetOp(x, opts.outer)
	}
	for _, o := range t.orderBy {
		switch e := o.Expr.(type) {
		case nil, *ast.NumberLit:
			continue
		case *ast.ColumnRef:
			if len(e.Parts) == 1 {
				continue
			}
		}
		return nil, binderErr(o, "Could not ORDER BY column \"%s\": add the expression/function to every SELECT, or move the UNION into a FROM clause.", o.Expr.String())
	}
	at := ast.At{Pos: x.Position()}
	sel := &ast.Select{At: at, Items: []*ast.SelectItem{{At: at, Expr: &ast.Star{At: at}}},
		From: []ast.TableExpr{&ast.DerivedTable{At: at, Query: &ast.Query{At: at, Body: x}, Alias: &ast.Alias{At: at, Name: ast.Ident{Name: "unnamed_subquery"}}}}}
	return b.bindSelect(sel, t, opts)
}

// bindSetOp binds l UNION|INTERSECT|EXCEPT r. Both sides become
// projections onto the unified column types, concatenated by a Union:
// UNION ALL is that concatenation, UNION its DISTINCT groups, and
// INTERSECT/EXCEPT group the concatenation tagged by side, counting each
// side's rows per distinct row (grouping compares NULLs as equal, as set
// operations do).
func (b *binder) bindSetOp(x *ast.SetOp, outer *scope) (*selectResult, error) {
	l, err := b.bindSetSide(x.L, outer)
	if err != nil {
		return nil, err
	}
	r, err := b.bindSetSide(x.R, outer)
	if err != nil {
		return nil, err
	}
	if len(l.corr)+len(r.corr)+len(l.keys)+len(r.keys) > 0 {
		return nil, notImplemented(x, "a set operation correlated with an outer query")
	}
	lcols, rcols := exprsOf(l.node.Cols()[:len(l.names)]), exprsOf(r.node.Cols()[:len(r.names)])
	names := l.names
	if x.ByName {
		names, lcols, rcols = byName(l.names, r.names, lcols, rcols)
	} else if len(lcols) != len(rcols) {
		return nil, binderErr(x, "Set operations can only apply to expressions with the same number of result columns")
	}
	types := make([]coldata.Type, len(names))
	for i := range names {
		if types[i], err = setOpType(lcols[i].Type(), rcols[i].Type()); err != nil {
			return nil, setOpTypeErr(x, lcols[i].Type(), rcols[i].Type(), err)
		}
		if types[i].IsNested() && x.Op != "UNION" {
			return nil, errAt(x, "Not implemented", "%s over the nested column %s (%s) is not supported yet", x.Op, names[i], types[i])
		}
	}
	tagged := x.Op != "UNION"
	left, err := b.setSide(l.node, lcols, types, names, tagged, 0)
	if err != nil {
		return nil, err
	}
	right, err := b.setSide(r.node, rcols, types, names, tagged, 1)
	if err != nil {
		return nil, err
	}
	u := &planner.Union{Ins: []planner.Node{left, right}}
	for i, c := range left.Out {
		if i >= len(names) {
			// The tags are named for EXPLAIN only.
			u.Out = append(u.Out, b.newCol(c.Name, "", c.Type))
			continue
		}
		u.Out = append(u.Out, b.newCol(names[i], "", c.Type))
	}
	res := &selectResult{names: names}
	defer func() { res.plain = res.node }()
	out := u.Out[:len(names)]
	switch {
	case x.Op == "UNION" && x.All:
		res.node = u
	case x.Op == "UNION":
		res.node = b.distinct(u, out)
	default:
		res.node = b.countSides(u, out, x.Op == "INTERSECT", x.All)
	}
	return res, nil
}

// bindSetSide binds one operand of a set operation; a parenthesized query
// keeps its own WITH, ORDER BY and LIMIT. References to an outer query
// come back as correlations, which the caller refuses.
func (b *binder) bindSetSide(body ast.QueryBody, outer *scope) (*selectResult, error) {
	opts := selectOpts{outer: outer}
	if q, ok := body.(*ast.Query); ok {
		return b.bindQueryOpts(q, opts)
	}
	return b.bindBody(body, tail{}, opts)
}

func exprsOf(cols []planner.ColMeta) []expr.Expr {
	out := make([]expr.Expr, len(cols))
	for i, c := range cols {
		out[i] = colExpr(c)
	}
	return out
}

// byName matches the sides' columns by name (case-insensitively): the left
// side's columns in order, then the right's new ones; a column one side
// lacks is NULL there.
func byName(lnames, rnames []string, l, r []expr.Expr) ([]string, []expr.Expr, []expr.Expr) {
	names := append([]string(nil), lnames...)
	at := map[string]int{}
	for i, n := range lnames {
		at[strings.ToLower(n)] = i
	}
	rout := make([]expr.Expr, len(lnames))
	for j, n := range rnames {
		i, ok := at[strings.ToLower(n)]
		if !ok {
			i = len(names)
			at[strings.ToLower(n)] = i
			names = append(names, n)
			rout = append(rout, nil)
			l = append(l, &expr.Const{Val: coldata.Datum{Null: true}, Typ: coldata.TypeUnknown})
		}
		rout[i] = r[j]
	}
	for i, e := range rout {
		if e == nil {
			rout[i] = &expr.Const{Val: coldata.Datum{Null: true}, Typ: coldata.TypeUnknown}
		}
	}
	return names, l, rout
}

// setOpType is the type a column of both sides is cast to: DuckDB's rules
// for set operations, where text absorbs every other type, NULL takes the
// other side's type (INTEGER when both are NULL), and numbers, dates and
// timestamps widen as for comparisons.
func setOpType(a, b coldata.Type) (coldata.Type, error) {
	switch {
	case a.ID == coldata.Unknown && b.ID == coldata.Unknown:
		return coldata.TypeInt32, nil
	case a == b || a.ID == coldata.Unknown || b.ID == coldata.Unknown:
	case a.ID == coldata.String || b.ID == coldata.String:
		return coldata.TypeString, nil
	case a.ID == coldata.Bool && b.IsNumeric():
		return b, nil
	case b.ID == coldata.Bool && a.IsNumeric():
		return a, nil
	}
	return commonType(a, b)
}

// setSide projects one operand onto the unified types, with two tag
// columns when tagged: (1, NULL) for the left side, (NULL, 1) for the
// right, which COUNT per group turns into each side's row counts.
func (b *binder) setSide(in planner.Node, cols []expr.Expr, types []coldata.Type, names []string, tagged bool, side int) (*planner.Project, error) {
	p := &planner.Project{Input: in}
	for i, e := range cols {
		x, err := castTo(e, types[i])
		if err != nil {
			return nil, err
		}
		p.Exprs = append(p.Exprs, x)
		p.Out = append(p.Out, b.newCol(names[i], "", types[i]))
	}
	if tagged {
		for k, name := range []string{"__left", "__right"} {
			v := &expr.Const{Val: coldata.Datum{I: 1, Null: k != side}, Typ: coldata.TypeInt32}
			p.Exprs = append(p.Exprs, v)
			p.Out = append(p.Out, b.newCol(name, "", coldata.TypeInt32))
		}
	}
	return p, nil
}

// countSides groups the tagged union by all of out and keeps the rows both
// sides have (INTERSECT) or only the left has (EXCEPT). With ALL a row
// comes back min(left, right) times (INTERSECT ALL) or left - right times
// (EXCEPT ALL), as in DuckDB.
func (b *binder) countSides(u *planner.Union, out []planner.ColMeta, intersect, all bool) planner.Node {
	tags := u.Out[len(out):]
	a := &planner.Aggregate{Input: u, Groups: out, Out: append([]planner.ColMeta(nil), out...)}
	var counts []expr.Expr
	for _, t := range tags {
		a.Aggs = append(a.Aggs, planner.AggCall{Func: planner.AggCount, Arg: colExpr(t), Typ: coldata.TypeInt64})
		c := b.newCol("count("+t.Name+")", "", coldata.TypeInt64)
		a.Out = append(a.Out, c)
		counts = append(counts, colExpr(c))
	}
	if all {
		l, r := counts[0], counts[1]
		var n expr.Expr = &expr.Func{Op: expr.OpSub, Args: []expr.Expr{l, r}, Typ: coldata.TypeInt64}
		if intersect {
			lt := &expr.Func{Op: expr.OpLt, Args: []expr.Expr{l, r}, Typ: coldata.TypeBool}
			n = &expr.Case{Whens: []expr.When{{Cond: lt, Then: l}}, Else: r, Typ: coldata.TypeInt64}
		}
		nc := b.newCol("__copies", "", coldata.TypeInt64)
		p := &planner.Project{Input: a, Exprs: append(exprsOf(out), n), Out: append(append([]planner.ColMeta(nil), out...), nc)}
		return &planner.Project{Input: &planner.Repeat{Input: p, Count: nc}, Exprs: exprsOf(out), Out: out}
	}
	zero := &expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt64}
	right := &expr.Func{Op: expr.OpGt, Args: []expr.Expr{counts[1], zero}, Typ: coldata.TypeBool}
	if !intersect {
		right = &expr.Func{Op: expr.OpEq, Args: []expr.Expr{counts[1], zero}, Typ: coldata.TypeBool}
	}
	// Every group has a left row or a right row; EXCEPT and INTERSECT both
	// need a left one.
	pred := expr.And(&expr.Func{Op: expr.OpGt, Args: []expr.Expr{counts[0], zero}, Typ: coldata.TypeBool}, right)
	f := &planner.Filter{Input: a, Pred: pred}
	return &planner.Project{Input: f, Exprs: exprsOf(out), Out: out}
}

// setOpTypeErr reports types that do not unify as DuckDB does: it casts a
// number (or boolean) to the other side's type, which fails.
func setOpTypeErr(x *ast.SetOp, l, r coldata.Type, err error) error {
	num := func(t coldata.Type) bool { return t.IsNumeric() || t.ID == coldata.Bool }
	switch {
	case num(l) && !num(r):
		return errAt(x, "Conversion", "Unimplemented type for cast (%s -> %s)", l, r)
	case num(r) && !num(l):
		return errAt(x, "Conversion", "Unimplemented type for cast (%s -> %s)", r, l)
	}
	return binderErr(x, "Set operation: %v", err)
}
