package sql

import (
	"strings"

	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/storage"
)

// bindTableExpr binds one FROM item, adding its columns to sc.
func (b *binder) bindTableExpr(te ast.TableExpr, sc *scope) (planner.Node, error) {
	if plain, s := withoutSample(te); s != nil {
		n, err := b.bindTableExpr(plain, sc)
		if err != nil {
			return nil, err
		}
		return b.sample(s, n)
	}
	alias := ""
	var colNames []ast.Ident
	if a := te.TableAlias(); a != nil {
		alias, colNames = a.Name.Name, a.Columns
	}
	switch t := te.(type) {
	case *ast.TableName:
		if t.AtClause != nil {
			return nil, notImplemented(t.AtClause, "time travel (AT)")
		}
		return b.bindTableName(t, alias, colNames, sc)
	case *ast.TablePath:
		if alias == "" {
			alias = tableAlias(t.Path)
		}
		if n, ok, err := b.textPath(t.Path, alias, colNames, sc, t); ok {
			return n, err
		}
		tab, err := b.table(t.Path)
		if err != nil {
			return nil, fromCatalog(err, t.Path, t)
		}
		return b.scan(tab, alias, colNames, sc, t)
	case *ast.TableFunc:
		return b.bindTableFunc(t, alias, colNames, sc)
	case *ast.DerivedTable:
		if alias == "" {
			alias = "unnamed_subquery"
		}
		if v, ok := t.Query.Body.(*ast.Values); ok && t.Query.With == nil && t.Query.OrderBy == nil && t.Query.Limit == nil && t.Query.Offset == nil {
			n, err := b.bindValues(v)
			if err != nil {
				return nil, err
			}
			return derived(n, n.Cols(), colNames, alias, sc, te)
		}
		n, names, err := b.bindQuery(t.Query)
		if err != nil {
			return nil, err
		}
		return derived(n, names, colNames, alias, sc, te)
	case *ast.ParenTable:
		if alias == "" {
			return b.bindTableExpr(t.Inner, sc)
		}
		inner := &scope{}
		n, err := b.bindTableExpr(t.Inner, inner)
		if err != nil {
			return nil, err
		}
		var cols []planner.ColMeta
		for _, c := range inner.cols {
			cols = append(cols, c.meta)
		}
		if err := renameCols(cols, colNames, alias, te); err != nil {
			return nil, err
		}
		sc.add(alias, cols)
		return n, nil
	case *ast.Join:
		return b.bindJoin(t, sc)
	case *ast.StatementTable:
		if s, ok := t.Stmt.(*ast.Summarize); ok {
			return b.bindSummarize(s, t.Alias, sc)
		}
		return nil, notImplemented(t, statementName(t.Stmt)+" as a table")
	case *ast.Pivot:
		return b.bindPivot(t, sc)
	case *ast.Unpivot:
		return b.bindUnpivot(t, sc)
	}
	return nil, notImplemented(te, "this FROM item")
}

// bindTableName binds a CTE reference or a catalog table.
func (b *binder) bindTableName(t *ast.TableName, alias string, colNames []ast.Ident, sc *scope) (planner.Node, error) {
	parts := t.Name.Parts
	if cte, ok := b.ctes[strings.ToLower(parts[0].Name)]; ok && len(parts) == 1 {
		if cte.work != nil {
			return b.bindWorkScan(cte, alias, colNames, sc, t)
		}
		if set, ok := selfReferencing(cte); ok {
			return b.bindRecursiveRef(cte, set, alias, colNames, sc, t)
		}
		if alias == "" {
			alias = cte.cte.Name.Name
		}
		if ref, err := b.sharedCTERef(cte, alias, colNames, sc, t); ref != nil || err != nil {
			return ref, err
		}
		// A CTE binds like a derived table at each reference; its body
		// sees only the CTEs defined before it, and the enclosing queries'
		// columns (a WITH inside a correlated subquery).
		cb := &binder{cat: b.cat, ids: b.ids, ctes: ctesBefore(b.ctes, cte), shared: b.shared, params: b.params, outer: b.outer}
		n, names, err := cb.bindQuery(cte.cte.Query)
		if err != nil {
			return nil, err
		}
		rename := cteRename(cte.cte.Columns, colNames)
		return derived(n, names, rename, alias, sc, t)
	}
	var name []string
	for _, p := range parts {
		name = append(name, p.Name)
	}
	full := strings.Join(name, ".")
	if alias == "" {
		alias = tableAlias(full)
	}
	if k := len(parts); k >= 2 && strings.EqualFold(parts[k-2].Name, "information_schema") {
		if n, ok, err := b.infoSchema(parts[k-1].Name, alias); ok {
			if err != nil {
				return nil, at(err, t)
			}
			if err := renameCols(n.Cols(), colNames, alias, t); err != nil {
				return nil, err
			}
			sc.add(alias, n.Cols())
			return n, nil
		}
	}
	if n, ok, err := b.bindLocal(t, full, alias, colNames, sc); ok {
		return n, err
	}
	tab, err := b.table(full)
	if err != nil {
		return nil, fromCatalog(err, full, t)
	}
	return b.scan(tab, alias, colNames, sc, t)
}

// scan reads every column of a table under alias.
func (b *binder) scan(t *storage.Table, alias string, colNames []ast.Ident, sc *scope, at ast.Node) (planner.Node, error) {
	s := &planner.Scan{Table: t, Alias: alias, Limit: -1}
	for i, c := range t.Columns {
		s.ColIdx = append(s.ColIdx, i)
		s.Out = append(s.Out, b.newCol(c.Name, alias, c.Type))
	}
	if err := renameCols(s.Out, colNames, alias, at); err != nil {
		return nil, err
	}
	sc.add(alias, s.Out)
	return s, nil
}

// renameCols applies an alias's column list `AS t (a, b)`.
func renameCols(cols []planner.ColMeta, rename []ast.Ident, alias string, at ast.Node) error {
	if len(rename) > len(cols) {
		return binderErr(at, "table %q has %d columns available but %d columns specified", clip(alias), len(cols), len(rename))
	}
	for i := range cols {
		cols[i].Table = alias
		if i < len(rename) {
			cols[i].Name = rename[i].Name
		}
	}
	return nil
}

// derived makes a bound subquery visible as table alias, with its columns
// renamed by an explicit column list when given.
func derived[N []string | []planner.ColMeta](n planner.Node, names N, rename []ast.Ident, alias string, sc *scope, at ast.Node) (planner.Node, error) {
	cols := n.Cols()[:len(names)]
	out := make([]planner.ColMeta, len(cols))
	for i, c := range cols {
		out[i] = c
		if ns, ok := any(names).([]string); ok {
			out[i].Name = ns[i]
		}
	}
	if err := renameCols(out, rename, alias, at); err != nil {
		return nil, err
	}
	sc.add(alias, out)
	return n, nil
}

// ctesBefore returns the CTEs visible inside cte's body: those defined
// before it in its WITH clause, plus any of enclosing queries.
func ctesBefore(all map[string]visibleCTE, cte visibleCTE) map[string]visibleCTE {
	out := map[string]visibleCTE{}
	for k, v := range all {
		if v.with != cte.with || v.idx < cte.idx {
			out[k] = v
		}
	}
	return out
}

func scopeOf(n planner.Node) []scopeCol {
	var out []scopeCol
	for _, c := range n.Cols() {
		out = append(out, scopeCol{table: c.Table, meta: c})
	}
	return out
}

// bindJoin binds the join kinds the engine runs: INNER, LEFT, RIGHT (as a
// mirrored LEFT), FULL, CROSS, SEMI, ANTI, NATURAL, POSITIONAL and ASOF
// [LEFT] (bind_join.go).
func (b *binder) bindJoin(te *ast.Join, sc *scope) (planner.Node, error) {
	if te.Asof && te.Kind != ast.JoinInner && te.Kind != ast.JoinLeft {
		return nil, notImplemented(te, "ASOF "+string(te.Kind)+" JOIN")
	}
	ls, rs := &scope{}, &scope{}
	left, err := b.bindTableExpr(te.L, ls)
	if err != nil {
		return nil, err
	}
	right, err := b.lateralBinder(te.R, ls).bindTableExpr(te.R, rs)
	if err != nil {
		return nil, err
	}
	j := &planner.Join{Left: left, Right: right}
	switch te.Kind {
	case ast.JoinInner, ast.JoinCross:
		j.Type = planner.JoinInner
	case ast.JoinLeft:
		j.Type = planner.JoinLeft
	case ast.JoinRight:
		j.Type, j.Left, j.Right = planner.JoinLeft, right, left
	case ast.JoinFull:
		j.Type = planner.JoinFull
	case ast.JoinPositional:
		j.Type = planner.JoinPositional
	case ast.JoinSemi:
		j.Type = planner.JoinSemi
	case ast.JoinAnti:
		j.Type = planner.JoinAnti
	}
	both := &scope{cols: append(append([]scopeCol{}, ls.cols...), rs.cols...)}
	var pending []pendingJoin
	ctx := &exprCtx{b: b, sc: both, clause: "JOIN"}
	if j.Type == planner.JoinInner {
		ctx.pending = &pending
	}
	if te.On != nil {
		if j.Cond, err = ctx.bindBool(te.On); err != nil {
			return nil, err
		}
	}
	using := te.Using
	var full fullUsing
	if te.Natural {
		// The names both sides show: an inner join's merged USING column
		// once, its hidden copy not at all.
		for _, l := range ls.cols {
			for _, r := range rs.cols {
				if !l.hidden && !r.hidden && strings.EqualFold(l.meta.Name, r.meta.Name) {
					using = append(using, ast.Ident{At: te.At, Name: l.meta.Name})
				}
			}
		}
	}
	for i, u := range using {
		l, err := ls.lookup("", u.Name)
		if err != nil {
			return nil, at(err, &u)
		}
		r, err := rs.lookup("", u.Name)
		if err != nil {
			return nil, at(err, &u)
		}
		op := expr.OpEq
		if te.Asof && i == len(using)-1 {
			op = expr.OpGe // ASOF: the last USING column is the inequality
		}
		eq, err := ctx.compare(op, colExpr(l), colExpr(r))
		if err != nil {
			return nil, err
		}
		j.Cond = expr.And(j.Cond, eq)
		if te.Kind == ast.JoinFull {
			if err := full.merge(b, ls, rs, l, r); err != nil {
				return nil, at(err, &u)
			}
			continue
		}
		mergeUsing(ls, rs, l, r, te.Kind == ast.JoinRight)
	}
	if j.Cond == nil && te.Kind != ast.JoinInner && te.Kind != ast.JoinCross && te.Kind != ast.JoinPositional && !te.Natural {
		return nil, binderErr(te, "%s JOIN requires an ON or USING condition", te.Kind)
	}
	if te.Asof {
		if err := asofCond(j, te); err != nil {
			return nil, err
		}
	}
	sc.cols = append(sc.cols, ls.cols...)
	if !j.Type.LeftOnly() {
		sc.cols = append(sc.cols, rs.cols...)
	}
	if len(correlation(right, left)) > 0 {
		if te.Kind != ast.JoinInner && te.Kind != ast.JoinCross && te.Kind != ast.JoinLeft {
			return nil, binderErr(te, "The combining JOIN type must be INNER or LEFT for a LATERAL reference")
		}
		if len(pending) > 0 {
			return nil, notImplemented(te, "a subquery in the condition of a LATERAL join")
		}
		return b.lateralJoin(j.Left, j.Right, j.Type, j.Cond)
	}
	if len(pending) > 0 {
		// Subqueries in an inner join's condition join onto the pair,
		// which the condition then filters.
		cond := j.Cond
		j.Cond = nil
		n, err := attach(j, pending)
		if err != nil {
			return nil, err
		}
		return &planner.Filter{Input: n, Pred: cond}, nil
	}
	return full.project(j), nil
}

// mergeUsing makes a USING column one column to unqualified names and *:
// the right side's copy is hidden, and for a RIGHT join the left copy
// reads the right side's value.
func mergeUsing(ls, rs *scope, l, r planner.ColMeta, right bool) {
	for i := range rs.cols {
		if rs.cols[i].meta.ID == r.ID {
			rs.cols[i].hidden = true
		}
	}
	if !right {
		return
	}
	for i := range ls.cols {
		// l may itself be an inner join's merged column.
		if ls.cols[i].unqualified().ID == l.ID && !ls.cols[i].hidden {
			merged := r
			ls.cols[i].merged = &merged
		}
	}
}

// bindTableFunc binds read_parquet and the metadata table functions.
func (b *binder) bindTableFunc(t *ast.TableFunc, alias string, colNames []ast.Ident, sc *scope) (planner.Node, error) {
	f := t.Call
	name := strings.ToLower(f.Name.Last())
	if name == "unnest" && len(f.Name.Parts) == 1 {
		return b.fromUnnest(f, alias, colNames, sc)
	}
	if !tableFuncNames[name] || len(f.Name.Parts) > 1 && !strings.EqualFold(f.Name.Parts[0].Name, "main") {
		return nil, unknownFunction(f, name, "table")
	}
	if name == "range" || name == "generate_series" {
		return b.bindSeries(t, name, alias, colNames, sc)
	}
	tf := TableFunc{Name: name, Named: map[string]Value{}}
	for _, a := range f.Args {
		if na, ok := a.(*ast.NamedArg); ok {
			v, err := astValue(na.Value)
			if err != nil {
				return nil, err
			}
			tf.Named[strings.ToLower(na.Name.Name)] = v
			continue
		}
		v, err := astValue(a)
		if err != nil {
			return nil, err
		}
		tf.Args = append(tf.Args, v)
	}
	if alias == "" {
		alias = name
	}
	var n planner.Node
	var err error
	switch name {
	case "parquet_metadata", "parquet_schema":
		n, err = b.metadataFunc(tf, alias)
	case "parquet_inspect":
		n, err = b.inspectFunc(tf, alias)
	case "duckdb_secrets", "which_secret":
		n, err = b.secretsFunc(tf, alias)
	case "read_csv", "read_csv_auto", "read_json", "read_json_auto", "read_ndjson", "read_ndjson_auto":
		n, err = b.textFunc(tf, alias)
	case "peregrine_functions", "duckdb_functions":
		n, err = b.functionsFunc(tf, alias)
	case "duckdb_tables", "duckdb_views", "duckdb_columns", "duckdb_schemas", "duckdb_databases", "pragma_table_info":
		n, _, err = b.introspectFunc(tf, alias)
	default:
		var tab *storage.Table
		if tab, err = b.tableFunc(tf); err == nil {
			return b.scan(tab, alias, colNames, sc, t)
		}
		if len(tf.Args) > 0 {
			return nil, fromCatalog(err, tf.Args[0].Str, f)
		}
	}
	if err != nil {
		if len(tf.Args) > 0 {
			return nil, fromCatalog(err, tf.Args[0].Str, f)
		}
		return nil, at(err, f)
	}
	cols := n.Cols()
	if err := renameCols(cols, colNames, alias, t); err != nil {
		return nil, err
	}
	sc.add(alias, cols)
	return n, nil
}

// tableFuncNames are the table functions the binder knows.
var tableFuncNames = map[string]bool{
	"read_parquet": true, "parquet_scan": true, "parquet_metadata": true, "parquet_schema": true, "parquet_inspect": true,
	"duckdb_secrets": true, "which_secret": true, "range": true, "generate_series": true,
	"read_csv": true, "read_csv_auto": true, "read_json": true, "read_json_auto": true, "read_ndjson": true, "read_ndjson_auto": true, "peregrine_functions": true, "duckdb_functions": true,
	"duckdb_tables": true, "duckdb_views": true, "duckdb_columns": true, "duckdb_schemas": true, "duckdb_databases": true, "pragma_table_info": true,
}
