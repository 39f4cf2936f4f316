package sql

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// Row values (a, b, ...) in comparisons, rewritten into scalar
// comparisons before binding. DuckDB gives them two semantics:
//
//   - row op row, and row IN (row, ...), compare as STRUCTs: field by
//     field, lexicographically, a NULL field equal to another NULL and
//     ordered after every value, so the result is never NULL;
//   - row op ANY|ALL (SELECT x, y ...) compares = and <> field by field
//     with SQL's NULLs (a = x AND b = y), the ordering operators as
//     STRUCTs again; row [NOT] IN (SELECT ...) (= ANY, <> ALL) is a mark
//     join: true on a match, else NULL when the row or any row of the
//     subquery holds a NULL.
//
// The subquery forms become EXISTS over the subquery with the comparison
// as its WHERE clause (a correlated subquery the decorrelator turns into
// a join); a three-valued comparison takes a second EXISTS for the NULL
// outcome.

// rowAlias names the subquery's columns where the comparison reads them.
const rowAlias = "__peregrine_row"

// rowValue binds e when it compares row values; ok is false otherwise.
func (c *exprCtx) rowValue(e ast.Expr) (x expr.Expr, ok bool, err error) {
	switch e := e.(type) {
	case *ast.Binary:
		l, lok := e.L.(*ast.RowExpr)
		r, rok := e.R.(*ast.RowExpr)
		if _, cmp := comparisonOps[e.Op]; !cmp || !lok || !rok {
			return nil, false, nil
		}
		if len(l.Items) != len(r.Items) {
			return nil, true, errAt(r, "Mismatch Type", "Cannot compare rows of %d and %d values", len(l.Items), len(r.Items))
		}
		x, err := c.bind(structCompare(e.At, e.Op, l.Items, r.Items))
		return x, true, err
	case *ast.InList:
		l, lok := e.X.(*ast.RowExpr)
		if !lok {
			return nil, false, nil
		}
		var terms []ast.Expr
		for _, it := range e.List {
			r, rok := it.(*ast.RowExpr)
			if !rok || len(r.Items) != len(l.Items) {
				return nil, true, errAt(it, "Binder", "Cannot compare values of type %s in IN list", clip(it.String()))
			}
			terms = append(terms, structCompare(e.At, "=", l.Items, r.Items))
		}
		var in ast.Expr = &ast.Or{At: e.At, Terms: terms}
		if len(terms) == 1 {
			in = terms[0]
		}
		if e.Not {
			in = &ast.Unary{At: e.At, Op: "NOT", X: in}
		}
		x, err := c.bind(in)
		return x, true, err
	case *ast.InSubquery:
		l, lok := e.X.(*ast.RowExpr)
		if !lok {
			return nil, false, nil
		}
		op := "="
		if e.Not {
			op = "<>"
		}
		return c.rowQuantified(e, l, op, map[bool]string{false: "ANY", true: "ALL"}[e.Not], e.Query)
	case *ast.Quantified:
		l, lok := e.X.(*ast.RowExpr)
		if !lok || e.Query == nil {
			return nil, false, nil
		}
		q := e.Quant
		if q == "SOME" {
			q = "ANY"
		}
		return c.rowQuantified(e, l, e.Op, q, e.Query)
	}
	return nil, false, nil
}

// rowQuantified binds row op ANY|ALL (subquery).
func (c *exprCtx) rowQuantified(e ast.Expr, row *ast.RowExpr, op, quant string, q *ast.Query) (expr.Expr, bool, error) {
	if _, cmp := comparisonOps[op]; !cmp {
		return nil, false, nil
	}
	q, n := rowSubquery(q)
	if n >= 0 && n != len(row.Items) {
		if n == 1 {
			return nil, true, c.rowMismatch(e, row, q)
		}
		return nil, true, errAt(e, "Binder", "Subquery returns %d columns - expected %d", n, len(row.Items))
	}
	at := ast.At{Pos: e.Position()}
	cols := make([]ast.Expr, len(row.Items))
	names := make([]ast.Ident, len(row.Items))
	for i := range row.Items {
		name := fmt.Sprintf("c%d", i+1)
		names[i] = ast.Ident{At: at, Name: name}
		cols[i] = &ast.ColumnRef{At: at, Parts: []ast.Ident{{At: at, Name: rowAlias}, {At: at, Name: name}}}
	}
	from := &ast.DerivedTable{At: at, Query: q, Alias: &ast.Alias{At: at, Name: ast.Ident{At: at, Name: rowAlias}, Columns: names}}
	exists := func(where ast.Expr) ast.Expr {
		sel := &ast.Select{At: at, Items: []*ast.SelectItem{{At: at, Expr: &ast.NumberLit{At: at, Text: "1"}}},
			From: []ast.TableExpr{from}, Where: where}
		return &ast.Exists{At: at, Query: &ast.Query{At: at, Body: sel}}
	}
	not := func(x ast.Expr) ast.Expr { return &ast.Unary{At: at, Op: "NOT", X: x} }
	var cmp ast.Expr
	threeValued := op == "=" || op == "<>"
	switch op {
	case "=", "<>":
		terms := make([]ast.Expr, len(cols))
		for i := range cols {
			terms[i] = &ast.Binary{At: at, Op: op, L: row.Items[i], R: cols[i]}
		}
		if op == "=" {
			cmp = &ast.And{At: at, Terms: terms}
		} else {
			cmp = &ast.Or{At: at, Terms: terms}
		}
		if len(terms) == 1 {
			cmp = terms[0]
		}
	default:
		cmp = structCompare(at, op, row.Items, cols)
	}
	// ANY is true when some row compares true; ALL is false when some row
	// compares false; otherwise a NULL comparison makes the answer NULL.
	hit, decided := exists(cmp), true
	if quant == "ALL" {
		hit, decided = exists(not(cmp)), false
	}
	var out ast.Expr
	switch {
	case !threeValued && quant == "ANY":
		out = hit
	case !threeValued:
		out = not(hit)
	case quant == "ANY" && c.conj == e:
		// Only TRUE passes a WHERE conjunct: the semi join suffices.
		out = hit
		c.conj = out
	default:
		unknown := exists(&ast.IsNull{At: at, X: cmp})
		if op == "=" && quant == "ANY" || op == "<>" && quant == "ALL" {
			// IN is a mark join: without a match, a NULL anywhere in the
			// row or in some row of the subquery makes it NULL.
			var nulls []ast.Expr
			for i := range cols {
				nulls = append(nulls, &ast.IsNull{At: at, X: row.Items[i]}, &ast.IsNull{At: at, X: cols[i]})
			}
			unknown = exists(&ast.Or{At: at, Terms: nulls})
		}
		out = &ast.Case{At: at, Whens: []ast.When{
			{Cond: hit, Then: &ast.BoolLit{At: at, Value: decided}},
			{Cond: unknown, Then: &ast.NullLit{At: at}},
		}, Else: &ast.BoolLit{At: at, Value: !decided}}
	}
	x, err := c.bind(out)
	return x, true, err
}

// rowSubquery unpacks a subquery selecting one row value, SELECT (a, b)
// FROM ..., into SELECT a, b FROM ...; n is its column count, -1 when not
// known before binding (a star, a set operation).
func rowSubquery(q *ast.Query) (*ast.Query, int) {
	sel, ok := q.Body.(*ast.Select)
	if !ok {
		return q, -1
	}
	for _, it := range sel.Items {
		if _, star := it.Expr.(*ast.Star); star {
			return q, -1
		}
		if _, cols := it.Expr.(*ast.Columns); cols {
			return q, -1
		}
	}
	if len(sel.Items) == 1 {
		if r, ok := sel.Items[0].Expr.(*ast.RowExpr); ok && len(r.Items) > 0 {
			s := *sel
			s.Items = make([]*ast.SelectItem, len(r.Items))
			for i, x := range r.Items {
				s.Items[i] = &ast.SelectItem{At: sel.Items[0].At, Expr: x}
			}
			nq := *q
			nq.Body = &s
			return &nq, len(r.Items)
		}
	}
	return q, len(sel.Items)
}

// structCompare is l op r over rows compared as STRUCTs: equal fields are
// IS NOT DISTINCT FROM, and a NULL field sorts after every value.
func structCompare(at ast.At, op string, l, r []ast.Expr) ast.Expr {
	eq := func(i int) ast.Expr { return &ast.IsDistinct{At: at, L: l[i], R: r[i], Not: true} }
	allEq := func(n int) []ast.Expr {
		terms := make([]ast.Expr, n)
		for i := range n {
			terms[i] = eq(i)
		}
		return terms
	}
	and := func(terms []ast.Expr) ast.Expr {
		switch len(terms) {
		case 0:
			return &ast.BoolLit{At: at, Value: true}
		case 1:
			return terms[0]
		}
		return &ast.And{At: at, Terms: terms}
	}
	switch op {
	case "=", "==":
		return and(allEq(len(l)))
	case "<>", "!=":
		return &ast.Unary{At: at, Op: "NOT", X: and(allEq(len(l)))}
	}
	less := op == "<" || op == "<="
	var terms []ast.Expr
	for i := range l {
		a, b := l[i], r[i]
		if !less {
			a, b = b, a
		}
		// a sorts before b: b is NULL and a not, or both values and a < b.
		before := &ast.Case{At: at, Whens: []ast.When{
			{Cond: &ast.IsNull{At: at, X: a}, Then: &ast.BoolLit{At: at, Value: false}},
			{Cond: &ast.IsNull{At: at, X: b}, Then: &ast.BoolLit{At: at, Value: true}},
		}, Else: &ast.Binary{At: at, Op: "<", L: a, R: b}}
		terms = append(terms, and(append(allEq(i), before)))
	}
	if op == "<=" || op == ">=" {
		terms = append(terms, and(allEq(len(l))))
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return &ast.Or{At: at, Terms: terms}
}

// rowMismatch is DuckDB's error for a row against a one-column subquery,
// naming both types.
func (c *exprCtx) rowMismatch(e ast.Expr, row *ast.RowExpr, q *ast.Query) error {
	fields := make([]string, len(row.Items))
	for i, it := range row.Items {
		x, err := c.bind(it)
		if err != nil {
			return err
		}
		fields[i] = x.Type().String()
	}
	res, err := c.bindDependent(q)
	if err != nil {
		return err
	}
	return errAt(e, "Binder", "Cannot compare values of type STRUCT(%s) and %s in IN/ANY/ALL clause - an explicit cast is required",
		strings.Join(fields, ", "), res.node.Cols()[0].Type)
}
