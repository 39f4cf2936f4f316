package sql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xwb1989/sqlparser"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/storage"
)

// Catalog resolves table references (names, paths and globs).
type Catalog interface {
	Table(name string) (*storage.Table, error)
}

// Bound is a bound query: its logical plan and output column names.
type Bound struct {
	Plan  planner.Node
	Names []string
}

// Bind resolves q against cat into a logical plan.
func Bind(q *Query, cat Catalog) (*Bound, error) {
	b := &binder{cat: cat, ids: new(int), shared: newCTEShare(q)}
	b = b.forQuery(q)
	node, names, err := b.bindStatement(q.AST)
	if err != nil {
		return nil, err
	}
	if node, err = b.encodeNestedJoins(node); err != nil {
		return nil, err
	}
	node = pruneNestedFields(node)
	return &Bound{Plan: node, Names: names}, nil
}

// binder binds one query text; sub-binders for CTE bodies share the ID
// counter so column IDs stay unique across the whole statement.
type binder struct {
	cat     Catalog
	ids     *int
	ctes    map[string]visibleCTE // visible WITH names, lower-cased
	aliases map[string][]string   // derived tables' column lists
	funcs   []TableFunc           // table function calls, named __tf_N in the text
	shared  *cteShare             // CTEs computed once for the statement
}

// visibleCTE is a CTE with its place in its WITH clause, so its body sees
// only the CTEs defined before it (no recursion through forward references).
type visibleCTE struct {
	CTE
	with *Query
	idx  int
}

// forQuery returns a binder for q's text: its derived-table column lists,
// and its WITH names added to the visible ones.
func (b *binder) forQuery(q *Query) *binder {
	nb := &binder{cat: b.cat, ids: b.ids, ctes: b.ctes, aliases: q.ColAliases, funcs: q.TableFuncs, shared: b.shared}
	if len(q.CTEs) > 0 {
		nb.ctes = map[string]visibleCTE{}
		for k, v := range b.ctes {
			nb.ctes[k] = v
		}
		for i, c := range q.CTEs {
			nb.ctes[strings.ToLower(c.Name)] = visibleCTE{CTE: c, with: q, idx: i}
		}
	}
	return nb
}

func (b *binder) newCol(name, table string, t coldata.Type) planner.ColMeta {
	*b.ids++
	return planner.ColMeta{ID: *b.ids, Name: name, Table: table, Type: t}
}

// scopeCol is a column visible by name.
type scopeCol struct {
	table string
	meta  planner.ColMeta
}

type scope struct{ cols []scopeCol }

func (s *scope) add(table string, cols []planner.ColMeta) {
	for _, c := range cols {
		s.cols = append(s.cols, scopeCol{table: table, meta: c})
	}
}

// lookup finds table.name (table may be "") case-insensitively.
func (s *scope) lookup(table, name string) (planner.ColMeta, error) {
	var found []planner.ColMeta
	for _, c := range s.cols {
		if strings.EqualFold(c.meta.Name, name) && (table == "" || strings.EqualFold(c.table, table)) {
			found = append(found, c.meta)
		}
	}
	full := name
	if table != "" {
		full = table + "." + name
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		if table != "" && !s.hasTable(table) {
			return planner.ColMeta{}, fmt.Errorf("Binder Error: Referenced table %q not found!", table)
		}
		msg := fmt.Sprintf("Binder Error: Referenced column %q not found in FROM clause!", full)
		if cand := s.closest(name); cand != "" {
			msg += fmt.Sprintf(" Candidate bindings: %q", cand)
		}
		return planner.ColMeta{}, fmt.Errorf("%s", msg)
	}
	return planner.ColMeta{}, fmt.Errorf("Binder Error: Ambiguous reference to column name %q", full)
}

func (s *scope) hasTable(t string) bool {
	for _, c := range s.cols {
		if strings.EqualFold(c.table, t) {
			return true
		}
	}
	return false
}

// closest suggests a visible column whose name shares a prefix with name.
func (s *scope) closest(name string) string {
	best, bestScore := "", 0
	ln := strings.ToLower(name)
	for _, c := range s.cols {
		cn := strings.ToLower(c.meta.Name)
		score := 0
		for score < len(cn) && score < len(ln) && cn[score] == ln[score] {
			score++
		}
		if score > bestScore && score >= 2 {
			best, bestScore = c.meta.Name, score
		}
	}
	return best
}

func (b *binder) bindStatement(st sqlparser.SelectStatement) (planner.Node, []string, error) {
	res, err := b.bindSelectStatement(st, selectOpts{})
	if err != nil {
		return nil, nil, err
	}
	return res.node, res.names, nil
}

func (b *binder) bindSelectStatement(st sqlparser.SelectStatement, opts selectOpts) (*selectResult, error) {
	switch st := st.(type) {
	case *sqlparser.Select:
		return b.bindSelect(st, opts)
	case *sqlparser.ParenSelect:
		return b.bindSelectStatement(st.Select, opts)
	case *sqlparser.Union:
		return nil, fmt.Errorf("Not implemented Error: UNION is not supported yet")
	}
	return nil, fmt.Errorf("Not implemented Error: unsupported statement %T", st)
}

// selectOpts bind a SELECT that is a subquery.
type selectOpts struct {
	// outer is the enclosing query's scope: WHERE conjuncts that reference
	// it are correlations, returned rather than applied.
	outer *scope
	// groupCorrelated turns correlations `inner = outer` into GROUP BY keys
	// of the subquery (a scalar aggregate subquery becomes a join with the
	// subquery grouped by its correlation keys).
	groupCorrelated bool
}

// selectResult is a bound SELECT.
type selectResult struct {
	node  planner.Node
	names []string
	// plain is the FROM + local WHERE plan, before grouping and projection
	// (an EXISTS subquery joins with it directly).
	plain planner.Node
	// corr are correlated conjuncts over inner and outer columns.
	corr []expr.Expr
	// keys pair an output column of node (a grouped correlation key) with
	// the outer expression it must equal.
	keys []corrKey
	// aggregated: grouping or aggregates; oneRow: an ungrouped aggregate,
	// which returns exactly one row.
	aggregated, oneRow, limited bool
}

type corrKey struct {
	inner planner.ColMeta
	outer expr.Expr
}

func (b *binder) bindSelect(sel *sqlparser.Select, opts selectOpts) (*selectResult, error) {
	if sel.Lock != "" {
		return nil, fmt.Errorf("Not implemented Error: locking clauses are not supported")
	}
	res := &selectResult{}
	var (
		node planner.Node
		sc   = &scope{}
		err  error
	)
	if len(sel.From) == 1 && isDual(sel.From[0]) {
		node = &planner.Values{Rows: [][]coldata.Datum{{}}}
	} else {
		for _, te := range sel.From {
			n, err := b.bindTableExpr(te, sc)
			if err != nil {
				return nil, err
			}
			if node == nil {
				node = n
			} else {
				node = &planner.Join{Left: node, Right: n, Type: planner.JoinInner}
			}
		}
	}
	var corrEq []expr.Expr // correlations to group by
	if sel.Where != nil {
		var preds []expr.Expr
		for _, conj := range splitAndAST(sel.Where.Expr) {
			if opts.outer != nil {
				if ce, ok, err := b.correlated(conj, sc, opts.outer); err != nil {
					return nil, err
				} else if ok {
					if opts.groupCorrelated && isInnerOuterEq(ce, sc) {
						corrEq = append(corrEq, ce)
					} else {
						res.corr = append(res.corr, ce)
					}
					continue
				}
			}
			var pending []pendingJoin
			ctx := &exprCtx{b: b, sc: sc, clause: "WHERE", pending: &pending, conj: conj}
			pred, err := ctx.bindBool(conj)
			if err != nil {
				return nil, err
			}
			node = attach(node, pending)
			if !isTrue(pred) {
				preds = append(preds, pred)
			}
		}
		if len(preds) > 0 {
			node = &planner.Filter{Input: node, Pred: expr.And(preds...)}
		}
	}
	res.plain = node

	// Aggregation: GROUP BY, or aggregates anywhere in SELECT/HAVING/ORDER BY.
	var agg *aggState
	if len(sel.GroupBy) > 0 || hasAggregate(sel) || sel.Having != nil || len(corrEq) > 0 {
		agg = &aggState{}
		res.aggregated = true
		res.oneRow = len(sel.GroupBy) == 0 && len(corrEq) == 0
		groupBy := sel.GroupBy
		if len(groupBy) == 1 {
			if cn, ok := groupBy[0].(*sqlparser.ColName); ok && cn.Name.Lowered() == groupByAllMarker {
				groupBy = nil
				for _, se := range sel.SelectExprs {
					if ae, ok := se.(*sqlparser.AliasedExpr); ok && !containsAggregate(ae.Expr) {
						groupBy = append(groupBy, ae.Expr)
					}
				}
				res.oneRow = len(groupBy) == 0 && len(corrEq) == 0
			}
		}
		for _, g := range groupBy {
			ge, err := b.bindGroupExpr(g, sel.SelectExprs, sc)
			if err != nil {
				return nil, err
			}
			if ge.Type().IsNested() {
				// Grouped by its encoding; references decode it (nestedGroup).
				ge = nestedEncode(ge)
			}
			agg.addGroup(b, ge, groupName(g))
		}
		for _, ce := range corrEq {
			f := ce.(*expr.Func)
			in, out := f.Args[0], f.Args[1]
			if !covers(sc, in) {
				in, out = out, in
			}
			agg.addGroup(b, in, in.String())
			g, _ := agg.group(exprKey(in))
			res.keys = append(res.keys, corrKey{inner: g, outer: out})
		}
	}
	ctx := &exprCtx{b: b, sc: sc, agg: agg, clause: "SELECT"}
	// Scalar subqueries in the SELECT list join onto the rows before the
	// projection (not supported over aggregates: their join would have to
	// follow the grouping).
	var selectJoins []pendingJoin
	if agg == nil {
		ctx.pending = &selectJoins
	}

	// SELECT list.
	var (
		exprs []expr.Expr
		names []string
	)
	for _, se := range sel.SelectExprs {
		switch se := se.(type) {
		case *sqlparser.StarExpr:
			tbl := se.TableName.Name.String()
			n := 0
			for _, c := range sc.cols {
				if tbl != "" && !strings.EqualFold(c.table, tbl) {
					continue
				}
				e, err := ctx.colRef(c.meta)
				if err != nil {
					return nil, err
				}
				exprs = append(exprs, e)
				names = append(names, c.meta.Name)
				n++
			}
			if n == 0 && tbl != "" {
				return nil, fmt.Errorf("Binder Error: Referenced table %q not found!", tbl)
			}
		case *sqlparser.AliasedExpr:
			e, err := ctx.bind(se.Expr)
			if err != nil {
				return nil, err
			}
			exprs = append(exprs, e)
			name := se.As.String()
			if name == "" {
				name = outputName(se.Expr)
			}
			names = append(names, name)
		default:
			return nil, fmt.Errorf("Not implemented Error: unsupported select item %s", sqlparser.String(se))
		}
	}

	var having expr.Expr
	var havingJoins []pendingJoin
	if sel.Having != nil {
		hctx := &exprCtx{b: b, sc: sc, agg: agg, clause: "HAVING", aliases: aliasMap(names, exprs), pending: &havingJoins, conj: sel.Having.Expr}
		if having, err = hctx.bindBool(sel.Having.Expr); err != nil {
			return nil, err
		}
	}

	// ORDER BY: ordinals, output aliases, or expressions (hidden columns).
	type orderItem struct {
		outIdx     int
		desc       bool
		nullsFirst bool
	}
	var orders []orderItem
	nVisible := len(exprs)
	for _, o := range sel.OrderBy {
		idx := -1
		nullsFirst := false
		if f, ok := o.Expr.(*sqlparser.FuncExpr); ok && len(f.Exprs) == 1 && (f.Name.Lowered() == "__nulls_first" || f.Name.Lowered() == "__nulls_last") {
			if ae, ok := f.Exprs[0].(*sqlparser.AliasedExpr); ok {
				nullsFirst = f.Name.Lowered() == "__nulls_first"
				o = &sqlparser.Order{Expr: ae.Expr, Direction: o.Direction}
			}
		}
		if v, ok := o.Expr.(*sqlparser.SQLVal); ok && v.Type == sqlparser.IntVal {
			k, _ := strconv.Atoi(string(v.Val))
			if k < 1 || k > nVisible {
				return nil, fmt.Errorf("Binder Error: ORDER term out of range - should be between 1 and %d", nVisible)
			}
			idx = k - 1
		} else if cn, ok := o.Expr.(*sqlparser.ColName); ok && cn.Qualifier.IsEmpty() {
			for i := 0; i < nVisible; i++ {
				if strings.EqualFold(names[i], cn.Name.String()) && isAliasOrSame(sel.SelectExprs, i, cn) {
					idx = i
					break
				}
			}
		}
		if idx < 0 {
			octx := &exprCtx{b: b, sc: sc, agg: agg, clause: "ORDER BY"}
			e, err := octx.bind(o.Expr)
			if err != nil {
				return nil, err
			}
			key := exprKey(e)
			for i, x := range exprs {
				if exprKey(x) == key {
					idx = i
					break
				}
			}
			if idx < 0 {
				if sel.Distinct != "" {
					return nil, fmt.Errorf("Binder Error: for SELECT DISTINCT, ORDER BY expressions must appear in select list")
				}
				exprs = append(exprs, e)
				names = append(names, outputName(o.Expr))
				idx = len(exprs) - 1
			}
		}
		orders = append(orders, orderItem{outIdx: idx, desc: o.Direction == sqlparser.DescScr, nullsFirst: nullsFirst})
	}
	nHidden := len(exprs) - nVisible
	// Grouped correlation keys are outputs the enclosing query joins on.
	for i, k := range res.keys {
		exprs = append(exprs, colExpr(k.inner))
		names = append(names, fmt.Sprintf("__corr%d", i))
	}

	node = attach(node, selectJoins)
	if agg != nil {
		node = agg.build(b, node)
		node = attach(node, havingJoins)
		if having != nil {
			node = &planner.Filter{Input: node, Pred: having}
		}
	}
	proj := &planner.Project{Input: node, Exprs: exprs}
	for i, e := range exprs {
		proj.Out = append(proj.Out, b.newCol(names[i], "", e.Type()))
	}
	for i := range res.keys {
		res.keys[i].inner = proj.Out[len(exprs)-len(res.keys)+i]
	}
	node = proj
	if sel.Distinct != "" {
		node = b.distinct(node, proj.Out)
	}
	if len(orders) > 0 {
		s := &planner.Sort{Input: node}
		for _, o := range orders {
			if c := proj.Out[o.outIdx]; c.Type.IsNested() {
				return nil, fmt.Errorf("Not implemented Error: ORDER BY on the nested column %s (%s) is not supported", c.Name, c.Type)
			}
			// DuckDB's default: NULLs sort last in both directions.
			s.Keys = append(s.Keys, planner.SortKey{Col: proj.Out[o.outIdx].ID, Desc: o.desc, NullsFirst: o.nullsFirst})
		}
		node = s
	}
	if sel.Limit != nil {
		lim, err := bindLimit(sel.Limit)
		if err != nil {
			return nil, err
		}
		node = lim.withInput(node)
		res.limited = true
	}
	if nHidden > 0 {
		keep := append(append([]planner.ColMeta{}, proj.Out[:nVisible]...), proj.Out[nVisible+nHidden:]...)
		final := &planner.Project{Input: node, Out: keep}
		for _, c := range keep {
			final.Exprs = append(final.Exprs, colExpr(c))
		}
		node = final
	}
	res.node = node
	res.names = names[:nVisible]
	return res, nil
}

func isDual(te sqlparser.TableExpr) bool {
	at, ok := te.(*sqlparser.AliasedTableExpr)
	if !ok {
		return false
	}
	tn, ok := at.Expr.(sqlparser.TableName)
	return ok && tn.Name.String() == "dual" && tn.Qualifier.IsEmpty()
}

// isAliasOrSame reports whether select item i can be referenced by cn's name:
// it is aliased to it, or it is that same column.
func isAliasOrSame(items sqlparser.SelectExprs, i int, cn *sqlparser.ColName) bool {
	k := 0
	for _, se := range items {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return true // after a star expansion positions shift; names suffice
		}
		if k == i {
			if !ae.As.IsEmpty() {
				return true
			}
			c, ok := ae.Expr.(*sqlparser.ColName)
			return ok && strings.EqualFold(c.Name.String(), cn.Name.String())
		}
		k++
	}
	return false
}

type limitSpec struct{ offset, count int64 }

func (l limitSpec) withInput(n planner.Node) planner.Node {
	return &planner.Limit{Input: n, Offset: l.offset, Count: l.count}
}

func bindLimit(l *sqlparser.Limit) (limitSpec, error) {
	spec := limitSpec{count: -1}
	parse := func(e sqlparser.Expr, what string) (int64, error) {
		v, ok := e.(*sqlparser.SQLVal)
		if !ok || v.Type != sqlparser.IntVal {
			return 0, fmt.Errorf("Binder Error: %s must be a non-negative integer constant, got %s", what, sqlparser.String(e))
		}
		return strconv.ParseInt(string(v.Val), 10, 64)
	}
	var err error
	if l.Rowcount != nil {
		if spec.count, err = parse(l.Rowcount, "LIMIT"); err != nil {
			return spec, err
		}
	}
	if l.Offset != nil {
		if spec.offset, err = parse(l.Offset, "OFFSET"); err != nil {
			return spec, err
		}
	}
	return spec, nil
}

func (b *binder) bindTableExpr(te sqlparser.TableExpr, sc *scope) (planner.Node, error) {
	switch te := te.(type) {
	case *sqlparser.AliasedTableExpr:
		alias := te.As.String()
		switch src := te.Expr.(type) {
		case sqlparser.TableName:
			name := src.Name.String()
			if !src.Qualifier.IsEmpty() {
				name = src.Qualifier.String() + "." + name
			}
			if cte, ok := b.ctes[strings.ToLower(name)]; ok && src.Qualifier.IsEmpty() {
				if alias == "" {
					alias = cte.Name
				}
				if ref, err := b.sharedCTERef(cte, alias, sc); ref != nil || err != nil {
					return ref, err
				}
				// A CTE binds like a derived table at each reference; its
				// body sees only the CTEs defined before it.
				cb := &binder{cat: b.cat, ids: b.ids, ctes: ctesBefore(b.ctes, cte), shared: b.shared}
				cb = cb.forQuery(cte.Query)
				n, names, err := cb.bindStatement(cte.Query.AST)
				if err != nil {
					return nil, err
				}
				return derived(n, names, cte.Columns, alias, sc)
			}
			var (
				t   *storage.Table
				err error
			)
			if k, ok := tableFuncIndex(name); ok && k < len(b.funcs) {
				tf := b.funcs[k]
				if alias == "" {
					alias = tf.Name
				}
				switch tf.Name {
				case "parquet_metadata", "parquet_schema":
					return b.metadataFunc(tf, alias, sc)
				case "parquet_inspect":
					return b.inspectFunc(tf, alias, sc)
				}
				t, err = b.tableFunc(tf)
			} else {
				if alias == "" {
					alias = tableAlias(name)
				}
				t, err = b.table(name)
			}
			if err != nil {
				return nil, err
			}
			s := &planner.Scan{Table: t, Alias: alias, Limit: -1}
			for i, c := range t.Columns {
				s.ColIdx = append(s.ColIdx, i)
				s.Out = append(s.Out, b.newCol(c.Name, alias, c.Type))
			}
			sc.add(alias, s.Out)
			return s, nil
		case *sqlparser.Subquery:
			if alias == "" {
				return nil, fmt.Errorf("Binder Error: a subquery in FROM needs an alias")
			}
			n, names, err := b.bindStatement(src.Select)
			if err != nil {
				return nil, err
			}
			return derived(n, names, b.aliases[strings.ToLower(alias)], alias, sc)
		}
	case *sqlparser.ParenTableExpr:
		var node planner.Node
		for _, e := range te.Exprs {
			n, err := b.bindTableExpr(e, sc)
			if err != nil {
				return nil, err
			}
			if node == nil {
				node = n
			} else {
				node = &planner.Join{Left: node, Right: n, Type: planner.JoinInner}
			}
		}
		return node, nil
	case *sqlparser.JoinTableExpr:
		left, err := b.bindTableExpr(te.LeftExpr, sc)
		if err != nil {
			return nil, err
		}
		right, err := b.bindTableExpr(te.RightExpr, sc)
		if err != nil {
			return nil, err
		}
		j := &planner.Join{Left: left, Right: right}
		switch te.Join {
		case sqlparser.JoinStr:
			j.Type = planner.JoinInner
		case sqlparser.LeftJoinStr:
			j.Type = planner.JoinLeft
		case sqlparser.RightJoinStr:
			j.Type, j.Left, j.Right = planner.JoinLeft, right, left
		default:
			return nil, fmt.Errorf("Not implemented Error: %s is not supported", strings.ToUpper(te.Join))
		}
		ctx := &exprCtx{b: b, sc: sc, clause: "JOIN"}
		if te.Condition.On != nil {
			if j.Cond, err = ctx.bindBool(te.Condition.On); err != nil {
				return nil, err
			}
		}
		for _, u := range te.Condition.Using {
			l, err := (&scope{cols: scopeOf(left)}).lookup("", u.String())
			if err != nil {
				return nil, err
			}
			r, err := (&scope{cols: scopeOf(right)}).lookup("", u.String())
			if err != nil {
				return nil, err
			}
			eq, err := ctx.compare(expr.OpEq, colExpr(l), colExpr(r))
			if err != nil {
				return nil, err
			}
			j.Cond = expr.And(j.Cond, eq)
		}
		if j.Cond == nil && te.Join != sqlparser.JoinStr {
			return nil, fmt.Errorf("Binder Error: %s requires an ON or USING condition", strings.ToUpper(te.Join))
		}
		return j, nil
	}
	return nil, fmt.Errorf("Not implemented Error: unsupported FROM item %s", sqlparser.String(te))
}

// derived makes a bound subquery visible as table alias, with its columns
// renamed by an explicit column list when given.
func derived(n planner.Node, names, rename []string, alias string, sc *scope) (planner.Node, error) {
	cols := n.Cols()[:len(names)]
	if len(rename) > len(cols) {
		return nil, fmt.Errorf("Binder Error: table %q has %d columns available but %d columns specified", alias, len(cols), len(rename))
	}
	out := make([]planner.ColMeta, len(cols))
	for i, c := range cols {
		out[i] = c
		out[i].Name, out[i].Table = names[i], alias
		if i < len(rename) {
			out[i].Name = rename[i]
		}
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

// tableAlias is the name a path-named table is referred to by: its base name
// without extension, as DuckDB does.
func tableAlias(name string) string {
	if !storage.IsPath(name) {
		return name
	}
	base := name
	if i := strings.LastIndexAny(base, "/\\"); i >= 0 {
		base = base[i+1:]
	}
	if i := strings.Index(base, "."); i > 0 {
		base = base[:i]
	}
	return base
}

func colExpr(c planner.ColMeta) *expr.Column {
	return &expr.Column{Index: c.ID, Typ: c.Type, Name: c.Name}
}

// outputName is DuckDB's column name for an unaliased select item.
func outputName(e sqlparser.Expr) string {
	if cn, ok := e.(*sqlparser.ColName); ok {
		return cn.Name.String()
	}
	if f, ok := e.(*sqlparser.FuncExpr); ok && f.Name.Lowered() == "__index" {
		return indexName(f)
	}
	s := sqlparser.String(e)
	s = strings.ReplaceAll(s, "__cast(", "CAST(")
	return s
}

func groupName(e sqlparser.Expr) string { return outputName(e) }

func aliasMap(names []string, exprs []expr.Expr) map[string]expr.Expr {
	m := map[string]expr.Expr{}
	for i, n := range names {
		m[strings.ToLower(n)] = exprs[i]
	}
	return m
}

// exprKey identifies a bound expression structurally, with columns by ID.
func exprKey(e expr.Expr) string {
	return expr.Rewrite(e, func(x expr.Expr) expr.Expr {
		if c, ok := x.(*expr.Column); ok {
			c.Name = "#" + strconv.Itoa(c.Index)
		}
		return x
	}).String()
}
