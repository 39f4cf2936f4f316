package sql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/storage"
)

// Catalog resolves table references (names, paths and globs).
type Catalog interface {
	Table(name string) (*storage.Table, error)
}

// Bound is a bound query: its logical plan and output column names. A
// query with parameters holds expr.Param placeholders; Instantiate gives
// the plan with their values.
type Bound struct {
	Plan   planner.Node
	Names  []string
	params *params
	// outer are the scopes of the queries enclosing this one, innermost
	// last: names found there are correlated (decorrelate.go).
	outer []outerScope
}

// Bind resolves q against cat into a logical plan. args are the values of
// the query's parameters (their types decide the parameters' types where
// the query does not); a query without parameters takes none.
func Bind(q *Query, cat Catalog, args ...Arg) (*Bound, error) {
	bd, err := bind(q, cat, args)
	return bd, withSource(err, q.Text)
}

func bind(q *Query, cat Catalog, args []Arg) (*Bound, error) {
	ps, err := newParams(q.AST, args)
	if err != nil {
		return nil, err
	}
	b := &binder{cat: cat, ids: new(int), shared: newCTEShare(q.AST), params: ps}
	node, names, err := b.bindQuery(q.AST)
	if err != nil {
		return nil, err
	}
	if node, err = b.encodeNestedJoins(node); err != nil {
		return nil, err
	}
	node = pruneNestedFields(node)
	return &Bound{Plan: node, Names: names, params: ps}, nil
}

// binder binds one statement; sub-binders for CTE bodies share the ID
// counter (column IDs stay unique across the statement), the CTE sharing
// decisions and the parameters.
type binder struct {
	cat    Catalog
	ids    *int
	ctes   map[string]visibleCTE // visible WITH names, lower-cased
	shared *cteShare             // CTEs computed once for the statement
	params *params
	// rowIDTable names the table UPDATE or DELETE changes: its scan also
	// yields the rows' positions (bind_dml.go). viewDepth counts the
	// views being expanded.
	rowIDTable string
	viewDepth  int
	// outer are the scopes of the queries enclosing this one, innermost
	// last: names found there are correlated (decorrelate.go).
	outer []outerScope
	// unnests maps the unnest calls of the SELECT list being bound to
	// their element columns (bind_unnest.go).
	unnests map[*ast.FuncCall]planner.ColMeta
	// structUnnests are the unnest calls whose STRUCT expands into columns.
	structUnnests map[*ast.FuncCall]expr.Expr
}

// visibleCTE is a CTE with its place in its WITH clause, so its body sees
// only the CTEs defined before it (no recursion through forward references).
type visibleCTE struct {
	cte  *ast.CTE
	with *ast.With
	idx  int
	// work, inside a recursive CTE's step, is the CTE whose working table
	// the name reads, with workCols its columns (bind_recursive.go).
	work     *planner.RecursiveCTE
	workCols []planner.ColMeta
}

// withCTEs returns a binder that also sees the CTEs of w.
func (b *binder) withCTEs(w *ast.With) *binder {
	nb := *b
	if w == nil || len(w.CTEs) == 0 {
		return &nb
	}
	nb.ctes = map[string]visibleCTE{}
	for k, v := range b.ctes {
		nb.ctes[k] = v
	}
	for i, c := range w.CTEs {
		nb.ctes[strings.ToLower(c.Name.Name)] = visibleCTE{cte: c, with: w, idx: i}
	}
	return &nb
}

func (b *binder) newCol(name, table string, t coldata.Type) planner.ColMeta {
	*b.ids++
	return planner.ColMeta{ID: *b.ids, Name: name, Table: table, Type: t}
}

// scopeCol is a column visible by name. A join's USING (or NATURAL)
// column appears once to unqualified names and *: the other side's copy
// is hidden, and for a RIGHT join the left copy stands for the merged
// column, whose value is the right side's.
type scopeCol struct {
	table  string
	meta   planner.ColMeta
	hidden bool
	merged *planner.ColMeta
}

// unqualified is the column an unqualified name or * means by c.
func (c scopeCol) unqualified() planner.ColMeta {
	if c.merged != nil {
		return *c.merged
	}
	return c.meta
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
		if !strings.EqualFold(c.meta.Name, name) {
			continue
		}
		switch {
		case table == "" && !c.hidden:
			found = append(found, c.unqualified())
		case table != "" && strings.EqualFold(c.table, table):
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
			return planner.ColMeta{}, &Error{Kind: "Binder", Msg: fmt.Sprintf("Referenced table %q not found!", clip(table)), Pos: -1}
		}
		msg := fmt.Sprintf("Referenced column %q not found in FROM clause!", clip(full))
		if cand := s.closest(name); cand != "" {
			msg += fmt.Sprintf("\nCandidate bindings: %q", cand)
		}
		return planner.ColMeta{}, &Error{Kind: "Binder", Msg: msg, Pos: -1}
	}
	return planner.ColMeta{}, &Error{Kind: "Binder", Msg: fmt.Sprintf("Ambiguous reference to column name %q", clip(full)), Pos: -1}
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

// at gives a positioned error the position of n when it has none.
func at(err error, n ast.Node) error {
	if e, ok := err.(*Error); ok && e.Pos < 0 && n != nil {
		e.Pos = int(n.Position())
	}
	return err
}

func colExpr(c planner.ColMeta) *expr.Column {
	return &expr.Column{Index: c.ID, Typ: c.Type, Name: c.Name}
}

// outputName is DuckDB's column name for an unaliased select item: a
// column's (or struct field's) own name, else the expression as printed.
func outputName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.ColumnRef:
		return x.Parts[len(x.Parts)-1].Name
	case *ast.FuncCall:
		if x.Star && x.Name.Last() != "" && strings.EqualFold(x.Name.Last(), "count") && x.Over == nil && x.Filter == nil {
			return "count_star()"
		}
	}
	return e.String()
}

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
