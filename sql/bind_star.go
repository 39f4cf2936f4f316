package sql

import (
	"regexp"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// starCol is one column a star expression selects, under its output name.
type starCol struct {
	meta planner.ColMeta
	name string
	// repl is set when `* REPLACE (e AS name)` swaps the column for e.
	repl ast.Expr
	// path is set for `s.*` on a struct: the field of meta it reads.
	path string
}

// starColumns resolves a star's columns: `*`, `t.*` or `s.*` (the fields
// of struct s), filtered and changed by EXCLUDE, REPLACE, RENAME and LIKE.
func (c *exprCtx) starColumns(s *ast.Star) ([]starCol, error) {
	var cols []starCol
	qual := ""
	if len(s.Qualifier) > 0 {
		qual = s.Qualifier[len(s.Qualifier)-1].Name
	}
	excluded := make([]bool, len(s.Exclude))
	for _, sc := range c.sc.cols {
		if qual != "" && !strings.EqualFold(sc.table, qual) || qual == "" && sc.hidden {
			continue
		}
		skip := false
		for i, x := range s.Exclude {
			if excludes(x, sc) {
				excluded[i], skip = true, true
			}
		}
		if !skip {
			m := sc.meta
			if qual == "" {
				m = sc.unqualified()
			}
			cols = append(cols, starCol{meta: m, name: sc.meta.Name})
		}
	}
	if qual != "" && len(cols) == 0 && len(excluded) == 0 {
		// s.*: the fields of a struct column.
		m, err := c.lookupCol("", qual)
		if err != nil || m.Type.ID != coldata.Struct {
			return nil, binderErr(s, "Referenced table %q not found!", clip(qual))
		}
		for _, f := range m.Type.Nest.Fields {
			cols = append(cols, starCol{meta: m, name: f.Name, path: f.Name})
		}
	}
	for i, x := range s.Exclude {
		if !excluded[i] {
			return nil, binderErr(x, "Column %q in EXCLUDE list not found in FROM clause", clip(x.String()))
		}
	}
	for _, r := range s.Replace {
		found := false
		for i := range cols {
			if strings.EqualFold(cols[i].name, r.Alias.Name) {
				cols[i].repl, found = r.Expr, true
			}
		}
		if !found {
			return nil, binderErr(r, "Column %q in REPLACE list not found in FROM clause", clip(r.Alias.Name))
		}
	}
	for _, r := range s.Rename {
		found := false
		for i := range cols {
			if strings.EqualFold(cols[i].name, r.Old.Parts[len(r.Old.Parts)-1].Name) {
				cols[i].name, found = r.New.Name, true
			}
		}
		if !found {
			return nil, binderErr(r.Old, "Column %q in RENAME list not found in FROM clause", clip(r.Old.String()))
		}
	}
	if s.Pattern != nil {
		keep, err := c.nameFilter(s.Pattern)
		if err != nil {
			return nil, err
		}
		var kept []starCol
		for _, col := range cols {
			if keep(col.name) {
				kept = append(kept, col)
			}
		}
		cols = kept
	}
	return cols, nil
}

// excludes reports whether an EXCLUDE entry (col or t.col) names sc.
func excludes(x *ast.ColumnRef, sc scopeCol) bool {
	n := len(x.Parts)
	if !strings.EqualFold(x.Parts[n-1].Name, sc.meta.Name) {
		return false
	}
	return n == 1 || strings.EqualFold(x.Parts[n-2].Name, sc.table)
}

// nameFilter turns `* LIKE 'pat'` (ILIKE, GLOB, SIMILAR TO, NOT) into a
// test on column names.
func (c *exprCtx) nameFilter(l *ast.Like) (func(string) bool, error) {
	lit, ok := l.Pattern.(*ast.StringLit)
	if !ok {
		return nil, binderErr(l.Pattern, "a star's %s pattern must be a constant string", l.Op)
	}
	var re *regexp.Regexp
	var err error
	switch l.Op {
	case ast.OpSimilarTo:
		re, err = regexp.Compile("^(?:" + lit.Value + ")$")
	case ast.OpGlob:
		re, err = regexp.Compile(globRegexp(lit.Value))
	default:
		p := LikeRegexp(lit.Value)
		if l.Op == ast.OpILike {
			p = "(?i)" + p
		}
		re, err = regexp.Compile(p)
	}
	if err != nil {
		return nil, binderErr(l.Pattern, "invalid pattern %q: %v", clip(lit.Value), err)
	}
	return func(name string) bool { return re.MatchString(name) != l.Not }, nil
}

// LikeRegexp translates a LIKE pattern (% and _, no escape) to a regexp
// matching whole strings.
func LikeRegexp(p string) string {
	var sb strings.Builder
	sb.WriteString("^(?s:")
	for _, r := range p {
		switch r {
		case '%':
			sb.WriteString(".*")
		case '_':
			sb.WriteString(".")
		default:
			sb.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	sb.WriteString(")$")
	return sb.String()
}

// globRegexp translates a GLOB pattern (*, ?, [...]) to a regexp.
func globRegexp(p string) string {
	var sb strings.Builder
	sb.WriteString("^(?s:")
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '*':
			sb.WriteString(".*")
		case '?':
			sb.WriteString(".")
		case '[':
			if j := strings.IndexByte(p[i+1:], ']'); j > 0 {
				class := p[i+1 : i+1+j]
				if class[0] == '!' {
					class = "^" + class[1:]
				}
				sb.WriteString("[" + class + "]")
				i += j + 1
				continue
			}
			sb.WriteString(`\[`)
		default:
			sb.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	sb.WriteString(")$")
	return sb.String()
}

// expandStar appends a star's columns to the select list.
func (c *exprCtx) expandStar(s *ast.Star, out *boundItems) error {
	cols, err := c.starColumns(s)
	if err != nil {
		return err
	}
	if len(cols) == 0 && len(s.Qualifier) > 0 && s.Pattern == nil && len(s.Exclude) == 0 {
		return binderErr(s, "Referenced table %q not found!", clip(s.Qualifier[len(s.Qualifier)-1].Name))
	}
	if len(cols) == 0 && len(c.sc.cols) == 0 {
		return binderErr(s, "SELECT * expression without FROM clause")
	}
	for _, col := range cols {
		e, err := c.starColumn(col)
		if err != nil {
			return err
		}
		out.exprs = append(out.exprs, e)
		out.names = append(out.names, col.name)
		out.origin = append(out.origin, itemOrigin{star: true})
	}
	return nil
}

func (c *exprCtx) starColumn(col starCol) (expr.Expr, error) {
	if col.repl != nil {
		return c.bind(col.repl)
	}
	e, err := c.colRef(col.meta)
	if err != nil || col.path == "" {
		return e, err
	}
	return structExtract(e, col.path)
}

// columnsIn finds the COLUMNS(...) expressions of a select item (not
// those of its subqueries).
func columnsIn(e ast.Expr) []*ast.Columns {
	var out []*ast.Columns
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Query:
			return false
		case *ast.Columns:
			out = append(out, x)
		}
		return true
	})
	return out
}

// expandColumns binds an item holding COLUMNS(...) once per column it
// selects: COLUMNS('regex'), COLUMNS(*), COLUMNS(* EXCLUDE ...),
// COLUMNS(['a', 'b']), alone or inside an expression (min(COLUMNS(*))).
// Each result is named after its column, as in DuckDB.
func (c *exprCtx) expandColumns(it *ast.SelectItem, found []*ast.Columns, out *boundItems) error {
	if it.Alias != nil {
		return notImplemented(it.Alias, "an alias on a COLUMNS expression")
	}
	var lists [][]starCol
	for _, x := range found {
		if x.Unpack {
			return notImplemented(x, "*COLUMNS")
		}
		cols, err := c.columnsOf(x)
		if err != nil {
			return err
		}
		if len(lists) > 0 && len(cols) != len(lists[0]) {
			return binderErr(x, "Multiple different STAR/COLUMNS in the same expression are not supported")
		}
		lists = append(lists, cols)
	}
	for i := range lists[0] {
		sub := *c
		sub.columns = map[*ast.Columns]starCol{}
		for k, x := range found {
			sub.columns[x] = lists[k][i]
		}
		e, err := sub.bind(it.Expr)
		if err != nil {
			return err
		}
		out.exprs = append(out.exprs, e)
		out.names = append(out.names, lists[0][i].name)
		out.origin = append(out.origin, itemOrigin{star: true})
	}
	return nil
}

// columnsOf resolves the columns COLUMNS(arg) selects.
func (c *exprCtx) columnsOf(x *ast.Columns) ([]starCol, error) {
	switch a := x.Arg.(type) {
	case *ast.Star:
		return c.starColumns(a)
	case *ast.StringLit:
		re, err := regexp.Compile(a.Value)
		if err != nil {
			return nil, binderErr(a, "invalid regular expression %q in COLUMNS: %v", clip(a.Value), err)
		}
		var cols []starCol
		for _, sc := range c.sc.cols {
			if !sc.hidden && re.MatchString(sc.meta.Name) {
				cols = append(cols, starCol{meta: sc.unqualified(), name: sc.meta.Name})
			}
		}
		if len(cols) == 0 {
			return nil, binderErr(a, "No matching columns found that match regex %q", clip(a.Value))
		}
		return cols, nil
	case *ast.ListLit:
		// The named columns, in the FROM clause's order (as DuckDB).
		want := map[string]bool{}
		for _, item := range a.Items {
			s, ok := item.(*ast.StringLit)
			if !ok {
				return nil, binderErr(item, "COLUMNS list entries must be constant strings")
			}
			if _, err := c.sc.lookup("", s.Value); err != nil {
				return nil, at(err, item)
			}
			want[strings.ToLower(s.Value)] = true
		}
		var cols []starCol
		for _, sc := range c.sc.cols {
			if !sc.hidden && want[strings.ToLower(sc.meta.Name)] {
				cols = append(cols, starCol{meta: sc.unqualified(), name: sc.meta.Name})
			}
		}
		return cols, nil
	}
	return nil, notImplemented(x, "COLUMNS with a lambda or expression argument")
}
