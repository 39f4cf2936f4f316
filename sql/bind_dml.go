package sql

import (
	"strconv"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/sql/parser"
)

// BindInsert binds INSERT's source rows as a query whose columns are the
// target table's, in order: the source's columns cast to the table's types
// (DuckDB casts whatever is inserted to the column's type), defaults for
// the columns the statement does not name.
func BindInsert(st *Insert, cat Catalog, s *TableSchema, args ...Arg) (*Bound, error) {
	bd, err := bindInsert(st, cat, s, args)
	return bd, withSource(err, st.Text)
}

func bindInsert(st *Insert, cat Catalog, s *TableSchema, args []Arg) (*Bound, error) {
	ins := st.AST
	src := ins.Query
	if st.CopyFrom != nil {
		target, err := insertColumns(ins, s)
		if err != nil {
			return nil, err
		}
		if src, err = copySource(st.CopyFrom, s, target); err != nil {
			return nil, err
		}
	}
	if ins.DefaultValues {
		one, err := parser.ParseOne("SELECT 1")
		if err != nil {
			return nil, err
		}
		src = one.(*ast.Query)
	}
	if ins.With != nil && src.With == nil {
		q := *src
		q.With = ins.With
		src = &q
	}
	ps, err := newParams(ins, args)
	if err != nil {
		return nil, err
	}
	b := &binder{cat: cat, ids: new(int), shared: newCTEShare(src), params: ps}
	target, err := insertColumns(ins, s)
	if err != nil {
		return nil, err
	}
	var node planner.Node
	var names []string
	if st.CopyFrom != nil {
		node, names, err = b.bindQuery(src)
		err = atCopy(err, st.CopyFrom)
	} else if v, ok := src.Body.(*ast.Values); ok && plainQuery(src) && !ins.DefaultValues {
		if len(v.Rows[0]) != len(target) {
			names = make([]string, len(v.Rows[0]))
		} else {
			cols := make([]ColumnDef, len(target))
			for j, i := range target {
				cols[j] = s.Columns[i]
			}
			node, err = b.bindInsertValues(v, cols)
			names = make([]string, len(target))
		}
	} else {
		node, names, err = b.bindQuery(src)
	}
	if err != nil {
		return nil, err
	}
	if ins.DefaultValues {
		target, names = nil, nil
	}
	if len(names) != len(target) {
		if len(ins.Columns) == 0 {
			return nil, binderErr(ins, "table %s has %d columns but %d values were supplied", s.Name, len(s.Columns), len(names))
		}
		return nil, binderErr(ins, "Column name/value mismatch for insert on %s: expected %d columns but %d values were supplied", s.Name, len(target), len(names))
	}
	from := make([]int, len(s.Columns))
	for i := range from {
		from[i] = -1
	}
	for j, i := range target {
		from[i] = j
	}
	srcCols := node.Cols()
	proj := &planner.Project{Input: node}
	for i, c := range s.Columns {
		var x expr.Expr
		if j := from[i]; j >= 0 && srcCols[j].Type.ID == coldata.Unknown {
			x = &expr.Const{Val: coldata.Datum{Null: true}, Typ: c.Type}
		} else if j >= 0 {
			x, err = castTo(colExpr(srcCols[j]), c.Type)
		} else {
			x, err = defaultExpr(b, c.Default, c.Type)
		}
		if err != nil {
			return nil, at(err, ins)
		}
		proj.Exprs = append(proj.Exprs, x)
		proj.Out = append(proj.Out, b.newCol(c.Name, s.Name, c.Type))
	}
	return b.finish(proj, columnNames(s))
}

// plainQuery reports a query that is only its body.
func plainQuery(q *ast.Query) bool {
	return q.With == nil && q.OrderBy == nil && q.Limit == nil && q.Offset == nil
}

// bindInsertValues binds INSERT's VALUES rows with each value cast to its
// target column's type (DuckDB casts each value, where a VALUES table
// would unify each column's values first). Rows of constants become one
// constant relation; rows with parameters or other expressions are each
// computed over one row, and the pieces are concatenated.
func (b *binder) bindInsertValues(v *ast.Values, cols []ColumnDef) (planner.Node, error) {
	ctx := &exprCtx{b: b, sc: &scope{}, clause: "VALUES"}
	types := make([]coldata.Type, len(cols))
	for i, c := range cols {
		types[i] = c.Type
	}
	consts := &planner.Values{}
	var out []planner.Node
	for _, row := range v.Rows {
		if len(row) != len(types) {
			return nil, binderErr(row[0], "VALUES lists must all be the same length")
		}
		vals := make([]coldata.Datum, len(row))
		exprs := make([]expr.Expr, len(row))
		isConst := true
		for c, e := range row {
			var x expr.Expr
			var err error
			if _, isDefault := e.(*ast.Default); isDefault {
				x, err = defaultExpr(b, cols[c].Default, types[c])
			} else if x, err = ctx.bind(e); err == nil {
				x, err = castTo(x, types[c])
			}
			if err != nil {
				return nil, at(err, e)
			}
			exprs[c] = x
			if k, ok := x.(*expr.Const); ok {
				vals[c] = k.Val
			} else {
				isConst = false
			}
		}
		if isConst {
			consts.Rows = append(consts.Rows, vals)
			continue
		}
		p := &planner.Project{Input: &planner.Values{Rows: [][]coldata.Datum{{}}}, Exprs: exprs}
		for c, t := range types {
			p.Out = append(p.Out, b.newCol("col"+strconv.Itoa(c), "", t))
		}
		out = append(out, p)
	}
	if len(consts.Rows) > 0 {
		for c, t := range types {
			consts.Out = append(consts.Out, b.newCol("col"+strconv.Itoa(c), "", t))
		}
		out = append([]planner.Node{consts}, out...)
	}
	if len(out) == 1 {
		return out[0], nil
	}
	u := &planner.Union{Ins: out}
	for c, t := range types {
		u.Out = append(u.Out, b.newCol("col"+strconv.Itoa(c), "", t))
	}
	return u, nil
}

// insertColumns maps INSERT's column list to the table's columns (all of
// them, in order, without a list).
func insertColumns(ins *ast.Insert, s *TableSchema) ([]int, error) {
	if len(ins.Columns) == 0 {
		out := make([]int, len(s.Columns))
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	seen := map[int]bool{}
	var out []int
	for k := range ins.Columns {
		id := &ins.Columns[k]
		i := s.ColumnIndex(id.Name)
		if i < 0 {
			return nil, binderErr(id, "Table \"%s\" does not have a column with name \"%s\"", s.Name, id.Name)
		}
		if seen[i] {
			return nil, binderErr(id, "Duplicate column name \"%s\" in INSERT", id.Name)
		}
		seen[i] = true
		out = append(out, i)
	}
	return out, nil
}

func columnNames(s *TableSchema) []string {
	names := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		names[i] = c.Name
	}
	return names
}

// finish applies the passes Bind applies after binding a query.
func (b *binder) finish(node planner.Node, names []string) (*Bound, error) {
	node, err := b.encodeNestedJoins(node)
	if err != nil {
		return nil, err
	}
	return &Bound{Plan: pruneNestedFields(node), Names: names, params: b.params}, nil
}

// BindUpdate binds UPDATE as a query over the rows it changes: their
// position in tab (column 0) and their new values, one column per table
// column, cast to the table's types.
func BindUpdate(st *Update, cat Catalog, s *TableSchema, args ...Arg) (*Bound, error) {
	bd, err := bindUpdate(st, cat, s, args)
	return bd, withSource(err, st.Text)
}

func bindUpdate(st *Update, cat Catalog, s *TableSchema, args []Arg) (*Bound, error) {
	up := st.AST
	alias := up.Table.Last()
	if up.Alias != nil {
		alias = up.Alias.Name
	}
	set := make([]ast.Expr, len(s.Columns))
	for _, a := range up.Set {
		if len(a.Column) != 1 {
			return nil, notImplemented(a, "updating a struct field")
		}
		i := s.ColumnIndex(a.Column[0].Name)
		if i < 0 {
			return nil, binderErr(a, "Referenced update column %s not found in table!", a.Column[0].Name)
		}
		if set[i] != nil {
			return nil, binderErr(a, "Multiple assignments to same column \"%s\"", a.Column[0].Name)
		}
		set[i] = a.Value
		if _, isDefault := a.Value.(*ast.Default); isDefault {
			set[i] = s.Columns[i].Default
			if set[i] == nil {
				set[i] = &ast.NullLit{At: a.At}
			}
		}
	}
	items := []*ast.SelectItem{{Expr: qualified(alias, "rowid")}}
	for i, c := range s.Columns {
		e := set[i]
		if e == nil {
			e = qualified(alias, c.Name)
		}
		items = append(items, &ast.SelectItem{Expr: e})
	}
	from := append([]ast.TableExpr{target(up.Table, up.Alias)}, up.From...)
	q := &ast.Query{With: up.With, Body: &ast.Select{Items: items, From: from, Where: up.Where}}
	return bindRowQuery(q, up, cat, s, args, true)
}

// BindDelete binds DELETE as a query over the positions in the table of
// the rows it removes.
func BindDelete(st *Delete, cat Catalog, s *TableSchema, args ...Arg) (*Bound, error) {
	del := st.AST
	alias := del.Table.Last()
	if del.Alias != nil {
		alias = del.Alias.Name
	}
	items := []*ast.SelectItem{{Expr: qualified(alias, "rowid")}}
	from := append([]ast.TableExpr{target(del.Table, del.Alias)}, del.Using...)
	q := &ast.Query{With: del.With, Body: &ast.Select{Items: items, From: from, Where: del.Where}}
	bd, err := bindRowQuery(q, del, cat, s, args, false)
	return bd, withSource(err, st.Text)
}

// bindRowQuery binds q with the target table's scan yielding row ids;
// with cast, columns after the first are cast to the table's types.
func bindRowQuery(q *ast.Query, stmt ast.Node, cat Catalog, s *TableSchema, args []Arg, cast bool) (*Bound, error) {
	ps, err := newParams(stmt, args)
	if err != nil {
		return nil, err
	}
	b := &binder{cat: cat, ids: new(int), shared: newCTEShare(q), params: ps, rowIDTable: s.Name}
	node, names, err := b.bindQuery(q)
	if err != nil {
		return nil, err
	}
	if !cast {
		return b.finish(node, names)
	}
	cols := node.Cols()
	proj := &planner.Project{Input: node, Exprs: []expr.Expr{colExpr(cols[0])}, Out: []planner.ColMeta{cols[0]}}
	for i, c := range s.Columns {
		x, err := castTo(colExpr(cols[i+1]), c.Type)
		if err != nil {
			return nil, at(err, stmt)
		}
		proj.Exprs = append(proj.Exprs, x)
		proj.Out = append(proj.Out, b.newCol(c.Name, s.Name, c.Type))
	}
	return b.finish(proj, append([]string{"rowid"}, columnNames(s)...))
}

func qualified(table, col string) *ast.ColumnRef {
	return &ast.ColumnRef{Parts: []ast.Ident{{Name: table}, {Name: col}}}
}

func target(name *ast.Name, alias *ast.Ident) *ast.TableName {
	t := &ast.TableName{At: name.At, Name: name}
	if alias != nil {
		t.Alias = &ast.Alias{Name: *alias}
	}
	return t
}

// BindQueryNode binds q and returns its plan (no parameters): CREATE
// TABLE AS and CREATE VIEW's checks use it.
func BindQueryNode(q *ast.Query, text string, cat Catalog) (*Bound, error) {
	return Bind(&Query{AST: q, Text: text}, cat)
}

// CastValue converts a constant to type t as an implicit cast would
// (the Appender's values).
func CastValue(v coldata.Datum, from, to coldata.Type) (coldata.Datum, error) {
	if from == to || v.Null {
		return v, nil
	}
	return castConst(v, from, to)
}
