package sql

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/storage"
)

// Statements that change the catalog or a table's rows. The root package
// runs them; the binder here turns their expressions into plans.

// CreateTable is CREATE [OR REPLACE] [TEMP] TABLE [IF NOT EXISTS] ...
type CreateTable struct {
	AST  *ast.CreateTable
	Text string
}

// CreateView is CREATE [OR REPLACE] [TEMP] VIEW ...
type CreateView struct {
	AST  *ast.CreateView
	Text string
}

// DropObject is DROP TABLE|VIEW [IF EXISTS] names.
type DropObject struct{ AST *ast.Drop }

// Insert is INSERT INTO t [(cols)] VALUES ... | query | DEFAULT VALUES.
type Insert struct {
	AST  *ast.Insert
	Text string
	// CopyFrom is set for COPY t FROM 'file': the rows are the file's
	// (see copy_from.go).
	CopyFrom *ast.Copy
}

// Update is UPDATE t SET ... [FROM ...] [WHERE ...].
type Update struct {
	AST  *ast.Update
	Text string
}

// Delete is DELETE FROM t [USING ...] [WHERE ...].
type Delete struct {
	AST  *ast.Delete
	Text string
}

// AlterTable is ALTER TABLE ... RENAME / RENAME COLUMN / ADD COLUMN / DROP COLUMN.
type AlterTable struct {
	AST  *ast.AlterTable
	Text string
}

func (*CreateTable) statement() {}
func (*CreateView) statement()  {}
func (*DropObject) statement()  {}
func (*Insert) statement()      {}
func (*Update) statement()      {}
func (*Delete) statement()      {}
func (*AlterTable) statement()  {}

// convertWrite converts the statements that write; ok is false for others.
func convertWrite(st ast.Statement, text string) (Statement, bool, error) {
	switch s := st.(type) {
	case *ast.CreateTable:
		return &CreateTable{AST: s, Text: text}, true, nil
	case *ast.CreateView:
		return &CreateView{AST: s, Text: text}, true, nil
	case *ast.CreateMacro:
		return &CreateMacro{AST: s, Text: text}, true, nil
	case *ast.CreateIndex:
		return &CreateIndex{AST: s}, true, nil
	case *ast.Drop:
		if s.Kind == "TABLE" || s.Kind == "VIEW" || s.Kind == "MACRO" || s.Kind == "MACRO TABLE" || s.Kind == "FUNCTION" || s.Kind == "INDEX" {
			return &DropObject{AST: s}, true, nil
		}
	case *ast.Insert:
		switch {
		case s.Or != "" && !strings.EqualFold(s.Or, "IGNORE"):
			return nil, true, notImplemented(s, "INSERT OR "+s.Or)
		case s.OnConflict != nil && !s.OnConflict.DoNothing:
			return nil, true, notImplemented(s, "ON CONFLICT DO UPDATE")
		case s.OnConflict != nil && s.OnConflict.Where != nil:
			return nil, true, notImplemented(s.OnConflict.Where, "ON CONFLICT (...) WHERE")
		case s.ByName:
			return nil, true, notImplemented(s, "INSERT BY NAME")
		}
		return &Insert{AST: s, Text: text}, true, nil
	case *ast.Update:
		return &Update{AST: s, Text: text}, true, nil
	case *ast.Delete:
		return &Delete{AST: s, Text: text}, true, nil
	case *ast.AlterTable:
		switch s.Op {
		case "RENAME TO", "RENAME COLUMN", "ADD COLUMN", "DROP COLUMN":
			return &AlterTable{AST: s, Text: text}, true, nil
		}
		return nil, true, notImplemented(s, "ALTER TABLE "+s.Op)
	}
	return nil, false, nil
}

// View is a view's definition, bound at each query that reads it.
type View struct {
	Name    string
	Query   *ast.Query
	Text    string // the CREATE VIEW statement
	Columns []ast.Ident
	// Persistent: kept in a directory database's catalog file (not TEMP).
	Persistent bool
}

// LocalCatalog is a catalog with tables and views of its own (CREATE
// TABLE/VIEW, registered Go data), which shadow the directory's tables.
type LocalCatalog interface {
	LocalTable(name string) *storage.Table
	LocalView(name string) *View
}

// maxViewDepth bounds views that read views, so that a view which ends up
// reading itself is an error instead of a stack overflow.
const maxViewDepth = 64

// bindLocal binds a reference to a local table or view; ok is false when
// name is neither.
func (b *binder) bindLocal(t *ast.TableName, name, alias string, colNames []ast.Ident, sc *scope) (planner.Node, bool, error) {
	lc, isLocal := b.cat.(LocalCatalog)
	if !isLocal {
		return nil, false, nil
	}
	name = localName(name)
	if tab := lc.LocalTable(name); tab != nil {
		if b.rowIDTable != "" && strings.EqualFold(name, b.rowIDTable) {
			tab = withRowID(tab)
		}
		n, err := b.scan(tab, alias, colNames, sc, t)
		if err == nil && tab.RowID {
			sc.cols[len(sc.cols)-1].hidden = true
		}
		return n, true, err
	}
	v := lc.LocalView(name)
	if v == nil {
		return nil, false, nil
	}
	if b.viewDepth >= maxViewDepth {
		return nil, true, binderErr(t, "infinite recursion detected: attempting to recursively bind view \"%s\"", clip(v.Name))
	}
	vb := &binder{cat: b.cat, ids: b.ids, shared: newCTEShare(v.Query), params: b.params, viewDepth: b.viewDepth + 1}
	n, names, err := vb.bindQuery(v.Query)
	if err != nil {
		return nil, true, withSource(err, v.Text)
	}
	rename := v.Columns
	if len(colNames) > 0 {
		rename = colNames
	}
	node, err := derived(n, names, rename, alias, sc, t)
	return node, true, err
}

// localName strips the schema DuckDB's names may carry (main.t, temp.t).
func localName(name string) string {
	for _, p := range []string{"main.", "temp.", "memory.main.", "temp.main.", "memory."} {
		if len(name) > len(p) && strings.EqualFold(name[:len(p)], p) {
			return name[len(p):]
		}
	}
	return name
}

// withRowID is tab with its rows' positions as an extra last column.
func withRowID(tab *storage.Table) *storage.Table {
	t := *tab
	t.Columns = append(t.Columns[:len(t.Columns):len(t.Columns)], scanColumn("rowid", coldata.TypeInt64))
	t.RowID = true
	return &t
}

// ColumnDef is one column of a table: its type, NOT NULL and DEFAULT.
type ColumnDef struct {
	Name    string
	Type    coldata.Type
	NotNull bool
	Default ast.Expr // nil: NULL
}

// Check is a CHECK constraint and DuckDB's text for it in errors.
type Check struct {
	Expr ast.Expr
	Text string // CHECK((c > 0))
}

// Key is a PRIMARY KEY or UNIQUE constraint.
type Key struct {
	Cols    []int
	Primary bool
	// Index names the UNIQUE index that added the key (CREATE UNIQUE
	// INDEX); such a key is not part of the table's definition.
	Index string
}

// TableSchema is a table's definition.
type TableSchema struct {
	Name    string
	Columns []ColumnDef
	Checks  []Check
	Keys    []Key
}

// ColumnIndex finds a column by name (case-insensitive), -1 if none.
func (s *TableSchema) ColumnIndex(name string) int {
	for i, c := range s.Columns {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// Types lists the column types.
func (s *TableSchema) Types() []coldata.Type {
	out := make([]coldata.Type, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Type
	}
	return out
}

// TableSchemaOf reads CREATE TABLE's column list and constraints.
func TableSchemaOf(ct *ast.CreateTable) (*TableSchema, error) {
	s := &TableSchema{Name: ct.Name.Last()}
	for _, cd := range ct.Columns {
		if cd.Type == nil {
			return nil, notImplemented(cd, "a generated column")
		}
		if s.ColumnIndex(cd.Name.Name) >= 0 {
			return nil, errAt(cd, "Catalog", "Column with name %s already exists!", cd.Name.Name)
		}
		t, err := parseType(cd.Type)
		if err != nil {
			return nil, at(err, cd.Type)
		}
		col := ColumnDef{Name: cd.Name.Name, Type: t}
		idx := len(s.Columns)
		for _, c := range cd.Constraints {
			switch c.Kind {
			case "NOT NULL":
				col.NotNull = true
			case "NULL":
			case "DEFAULT":
				col.Default = c.Expr
			case "PRIMARY KEY", "UNIQUE":
				s.Keys = append(s.Keys, Key{Cols: []int{idx}, Primary: c.Kind == "PRIMARY KEY"})
				col.NotNull = col.NotNull || c.Kind == "PRIMARY KEY"
			case "CHECK":
				s.Checks = append(s.Checks, checkOf(c.Expr))
			default:
				return nil, notImplemented(cd, c.Kind+" in a column definition")
			}
		}
		s.Columns = append(s.Columns, col)
	}
	for _, tc := range ct.Constraints {
		switch tc.Kind {
		case "CHECK":
			s.Checks = append(s.Checks, checkOf(tc.Check))
		case "PRIMARY KEY", "UNIQUE":
			k := Key{Primary: tc.Kind == "PRIMARY KEY"}
			for _, id := range tc.Columns {
				i := s.ColumnIndex(id.Name)
				if i < 0 {
					return nil, errAt(tc, "Binder", "column \"%s\" named in key does not exist", id.Name)
				}
				k.Cols = append(k.Cols, i)
				if k.Primary {
					s.Columns[i].NotNull = true
				}
			}
			s.Keys = append(s.Keys, k)
		default:
			return nil, notImplemented(tc, tc.Kind)
		}
	}
	primaries := 0
	for _, k := range s.Keys {
		if k.Primary {
			primaries++
		}
	}
	if primaries > 1 {
		return nil, errAt(ct, "Parser", "table \"%s\" has more than one primary key", s.Name)
	}
	return s, nil
}

func checkOf(e ast.Expr) Check {
	text := e.String()
	if !strings.HasPrefix(text, "(") || !strings.HasSuffix(text, ")") {
		text = "(" + text + ")"
	}
	return Check{Expr: e, Text: "CHECK(" + text + ")"}
}

// scanColumn is a table column of type t.
func scanColumn(name string, t coldata.Type) scan.Column {
	return scan.Column{Name: name, Type: t, Nullable: true}
}

// BindChecks binds the table's CHECK constraints as a query over tab (the
// new rows, with the table's columns): one BOOLEAN column per check.
func BindChecks(s *TableSchema, tab *storage.Table) (*Bound, error) {
	b := &binder{cat: nil, ids: new(int), params: &params{}}
	sc := &scope{}
	node, err := b.scan(tab, s.Name, nil, sc, nil)
	if err != nil {
		return nil, err
	}
	c := &exprCtx{b: b, sc: sc, clause: "CHECK"}
	proj := &planner.Project{Input: node}
	for _, ch := range s.Checks {
		e, err := c.bindBool(ch.Expr)
		if err != nil {
			return nil, err
		}
		proj.Exprs = append(proj.Exprs, e)
		proj.Out = append(proj.Out, b.newCol(ch.Text, "", coldata.TypeBool))
	}
	names := make([]string, len(s.Checks))
	for i, ch := range s.Checks {
		names[i] = ch.Text
	}
	return &Bound{Plan: proj, Names: names, params: b.params}, nil
}

// BindDefault binds a constant expression (a DEFAULT) cast to t, as a
// one-row query.
func BindDefault(e ast.Expr, t coldata.Type) (*Bound, error) {
	b := &binder{ids: new(int), params: &params{}}
	x, err := defaultExpr(b, e, t)
	if err != nil {
		return nil, err
	}
	one := &planner.Values{Rows: [][]coldata.Datum{{}}}
	p := &planner.Project{Input: one, Exprs: []expr.Expr{x}, Out: []planner.ColMeta{b.newCol("default", "", t)}}
	return &Bound{Plan: p, Names: []string{"default"}, params: b.params}, nil
}

func defaultExpr(b *binder, e ast.Expr, t coldata.Type) (expr.Expr, error) {
	if e == nil {
		return &expr.Const{Val: coldata.Datum{Null: true}, Typ: t}, nil
	}
	c := &exprCtx{b: b, sc: &scope{}, clause: "DEFAULT"}
	x, err := c.bind(e)
	if err != nil {
		return nil, err
	}
	return castTo(x, t)
}

// SchemaError is a catalog error in DuckDB's words.
func SchemaError(format string, args ...any) error {
	return fmt.Errorf("Catalog Error: "+format, args...)
}

// WithSource gives a positioned error the statement text it points into.
func WithSource(err error, text string) error { return withSource(err, text) }
