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
	rows := make([][]*expr.Const, len(v.Rows))
	types := make([]coldata.Type, width)
	for i := range types {
		types[i] = coldata.TypeUnknown
	}
	for r, row := range v.Rows {
		if len(row) != width {
			return nil, binderErr(row[0], "VALUES lists must all be the same length")
		}
		rows[r] = make([]*expr.Const, width)
		for c, e := range row {
			x, err := ctx.bind(e)
			if err != nil {
				return nil, err
			}
			k, ok := x.(*expr.Const)
			if !ok {
				return nil, notImplemented(e, "VALUES with an expression that is not a constant")
			}
			if types[c], err = resultType(types[c], k.Typ); err != nil {
				return nil, binderErr(e, "VALUES column %d has incompatible types: %v", c+1, err)
			}
			rows[r][c] = k
		}
	}
	out := &planner.Values{}
	for c, t := range types {
		if t.IsNested() {
			return nil, notImplemented(v, "VALUES of a nested value")
		}
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
