package sql

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/sql/parser"
)

// SUMMARIZE reports DuckDB's columns per column of its source: one pass
// computes every statistic (a WITH query shared by the per-column rows),
// and a UNION ALL turns it into a row per column. Differences from DuckDB:
// approx_unique is exact (count(DISTINCT), where DuckDB estimates with
// HyperLogLog), std is computed from sums of squares (equal to DuckDB's to
// about 1e-12 relative), avg is NULL for non-numeric columns (DuckDB
// averages dates and timestamps), and q25/q50/q75 are NULL (no quantile
// aggregate yet).

func (b *binder) bindSummarize(s *ast.Summarize, alias *ast.Alias, sc *scope) (planner.Node, error) {
	src := s.Table
	if s.Query != nil {
		src = &ast.DerivedTable{At: s.At, Query: s.Query, Alias: &ast.Alias{At: s.At, Name: ast.Ident{Name: "summarized"}}}
	}
	ssc, _, err := b.sourceColumns(src)
	if err != nil {
		return nil, err
	}
	var stats, rows []string
	for i, c := range ssc.cols {
		if c.hidden {
			continue
		}
		q, t := ast.QuoteIdent(c.meta.Name, true), c.meta.Type
		if t.IsNested() {
			stats = append(stats, fmt.Sprintf("NULL::VARCHAR AS mn%d, NULL::VARCHAR AS mx%d, count(DISTINCT %s::VARCHAR) AS u%d", i, i, q, i))
		} else {
			stats = append(stats, fmt.Sprintf("min(%s)::VARCHAR AS mn%d, max(%s)::VARCHAR AS mx%d, count(DISTINCT %s) AS u%d", q, i, q, i, q, i))
		}
		stats = append(stats, fmt.Sprintf("count(%s) AS n%d", q, i))
		if t.IsNumeric() {
			d := q + "::DOUBLE"
			stats = append(stats, fmt.Sprintf("avg(%s)::VARCHAR AS a%d", q, i),
				fmt.Sprintf("CASE WHEN count(%[1]s) > 1 THEN sqrt(greatest((sum(%[1]s * %[1]s) - sum(%[1]s) * sum(%[1]s) / count(%[1]s)) / (count(%[1]s) - 1), 0))::VARCHAR END AS s%[2]d", d, i))
		} else {
			stats = append(stats, fmt.Sprintf("NULL::VARCHAR AS a%d, NULL::VARCHAR AS s%d", i, i))
		}
		rows = append(rows, fmt.Sprintf("SELECT %d AS pos, %s AS column_name, %s AS column_type, mn%d AS min, mx%d AS max, u%d AS approx_unique, a%d AS avg, s%d AS std, "+
			"NULL::VARCHAR AS q25, NULL::VARCHAR AS q50, NULL::VARCHAR AS q75, total AS count, "+
			"CASE WHEN total > 0 THEN CAST(100.0 * (total - n%d) / total AS DECIMAL(9, 2)) END AS null_percentage FROM __summarize_stats",
			i, ast.QuoteString(c.meta.Name), ast.QuoteString(t.String()), i, i, i, i, i, i))
	}
	text := "WITH __summarize_stats AS (SELECT " + strings.Join(stats, ", ") + ", count(*) AS total FROM " + ast.String(src) + ") " +
		"SELECT * EXCLUDE (pos) FROM (" + strings.Join(rows, " UNION ALL ") + ") ORDER BY pos"
	st, err := parser.ParseOne(text)
	if err != nil {
		return nil, err
	}
	q := st.(*ast.Query)
	if b.shared != nil {
		b.shared.count(q)
	}
	if alias == nil {
		alias = &ast.Alias{At: s.At, Name: ast.Ident{Name: "summarize"}}
	}
	return b.bindTableExpr(&ast.DerivedTable{At: s.At, Query: q, Alias: alias}, sc)
}
