package sql

import (
	"strconv"

	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/sql/parser"
)

// LIMIT p% keeps the first floor(p * n / 100) of the query's n rows (after
// OFFSET, which stays a row count), as DuckDB does. The count is only known
// once every row is, so the query is read through a window that numbers
// its rows in their ORDER BY order and counts them:
//
//	SELECT * EXCLUDE (rn, cnt) FROM (SELECT *, row_number() OVER () rn,
//	  count(*) OVER () cnt FROM (query)) WHERE rn > off AND rn <= off + floor(p * cnt / 100)
//
// A window without PARTITION BY or ORDER BY keeps its input's order, so
// the sorted rows stay sorted (and the window spills as ORDER BY does).
func limitPercentQuery(q *ast.Query) (*ast.Query, error) {
	if v, err := astValue(q.Limit); err == nil && v.Kind == VNumber {
		if p, err := strconv.ParseFloat(v.Str, 64); err == nil && (p < 0 || p > 100) {
			return nil, errAt(q.Limit, "Out of Range", "Limit percent out of range, should be between 0%% and 100%%")
		}
	}
	inner := *q
	inner.Limit, inner.Offset, inner.LimitPercent = nil, nil, false
	off := "0"
	if q.Offset != nil {
		off = "(" + q.Offset.String() + ")"
	}
	text := "SELECT * EXCLUDE (__limit_pct_rn, __limit_pct_cnt) FROM (SELECT *, row_number() OVER () AS __limit_pct_rn, " +
		"count(*) OVER () AS __limit_pct_cnt FROM (" + inner.String() + ") AS __limit_pct_in) AS __limit_pct " +
		"WHERE __limit_pct_rn > " + off + " AND __limit_pct_rn <= " + off + " + floor((" + q.Limit.String() +
		") * __limit_pct_cnt / 100)"
	st, err := parser.ParseOne(text)
	if err != nil {
		return nil, errAt(q.Limit, "Binder", "LIMIT with a percentage: %v", err)
	}
	return st.(*ast.Query), nil
}
