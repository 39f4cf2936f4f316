package sql

import (
	"strconv"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// bindValues binds VALUES (...), (...) of constants into a constant
// relation with columns col0, col1, ... (DuckDB's names), each of the
// common type of its values.
func (b *binder) bindValues(v *ast.Values) (planner.Node, error) {
	ctx := &exprCtx{b: b, sc: &scope{}, clause: "VALUES"}
	width := len(v.Rows[0])
	rows := make([][]expr.Expr, len(v.Rows))
	types := make([]coldata.Type, width)
	for i := range types {
		types[i] = coldata.TypeUnknown
	}
	constant := true
	for r, row := range v.Rows {
		if len(row) != width {
			return nil, binderErr(row[0], "VALUES lists must all be the same length")
		}
		rows[r] = make([]expr.Expr, width)
		for c, e := range row {
			x, err := ctx.bind(e)
			if err != nil {
				return nil, err
			}
			if _, ok := x.(*expr.Const); !ok {
				// Column references (a LATERAL VALUES, or a subquery's
				// outer columns) or parameters: computed rows.
				constant = false
			}
			if types[c], err = resultType(types[c], x.Type()); err != nil {
				return nil, binderErr(e, "VALUES column %d has incompatible types: %v", c+1, err)
			}
			rows[r][c] = x
		}
	}
	for _, t := range types {
		if t.IsNested() {
			return nil, notImplemented(v, "VALUES of a nested value")
		}
	}
	if !constant {
		return b.computedValues(rows, types)
	}
	out := &planner.Values{}
	for c, t := range types {
		out.Out = append(out.Out, b.newCol("col"+strconv.Itoa(c), "", t))
	}
	for _, row := range rows {
		vals := make([]coldata.Datum, width)
		for c, k := range row {
			x, err := castTo(k, types[c])
			if err != nil {
				return nil, err
			}
			vals[c] = x.(*expr.Const).Val
		}
		out.Rows = append(out.Rows, vals)
	}
	return out, nil
}

// computedValues binds VALUES rows with expressions: each row a projection
// of one empty row, the rows a UNION ALL.
func (b *binder) computedValues(rows [][]expr.Expr, types []coldata.Type) (planner.Node, error) {
	u := &planner.Union{}
	for c, t := range types {
		u.Out = append(u.Out, b.newCol("col"+strconv.Itoa(c), "", t))
	}
	for _, row := range rows {
		p := &planner.Project{Input: &planner.Values{Rows: [][]coldata.Datum{{}}}}
		for c, e := range row {
			x, err := castTo(e, types[c])
			if err != nil {
				return nil, err
			}
			p.Exprs = append(p.Exprs, x)
			p.Out = append(p.Out, b.newCol(u.Out[c].Name, "", types[c]))
		}
		if len(rows) == 1 {
			return p, nil
		}
		u.Ins = append(u.Ins, p)
	}
	return u, nil
}
