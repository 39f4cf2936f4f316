package sql

import (
	"fmt"
	"strings"
	"sync"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/sql/parser"
)

// The catalog describes itself as DuckDB's does: duckdb_tables(),
// duckdb_views(), duckdb_columns(), duckdb_schemas(), information_schema's
// tables, columns and schemata, pragma_table_info('t'), and the scalar
// current_database()/current_schema(). Object ids and the columns that only
// make sense in DuckDB's storage are left out; the rest keep DuckDB's names
// and order so that queries naming them run unchanged.

// IntrospectCatalog is a catalog that can list its tables and views.
type IntrospectCatalog interface {
	// DatabaseName is current_database(): "memory" for an in-memory
	// database, the folder's name for a directory database.
	DatabaseName() string
	// Objects lists the tables (the folder's and the database's own) and
	// views, sorted by name.
	Objects() ([]CatalogObject, error)
}

// CatalogObject is one table or view of an IntrospectCatalog.
type CatalogObject struct {
	Name string
	Temp bool
	// Schema is set for a table created in SQL (its constraints and
	// defaults); View for a view; a folder's table of files has neither.
	Schema *TableSchema
	View   *View
}

// introColumn is one column of a described table or view.
type introColumn struct {
	name     string
	typ      coldata.Type
	notNull  bool
	pk       bool
	dflt     string // SQL text, "" for none
	position int    // 1-based
}

// introObject is a table or view with its columns resolved.
type introObject struct {
	CatalogObject
	db      string
	cols    []introColumn
	hasPK   bool
	checks  int
	sqlText string
}

func (b *binder) introspect() ([]introObject, error) {
	ic, ok := b.cat.(IntrospectCatalog)
	if !ok {
		return nil, nil
	}
	objs, err := ic.Objects()
	if err != nil {
		return nil, err
	}
	out := make([]introObject, 0, len(objs))
	for _, o := range objs {
		io := introObject{CatalogObject: o, db: ic.DatabaseName()}
		if o.Temp {
			io.db = "temp"
		}
		if err := b.resolveObject(&io); err != nil {
			return nil, err
		}
		out = append(out, io)
	}
	return out, nil
}

// resolveObject fills the columns of a table or view.
func (b *binder) resolveObject(io *introObject) error {
	switch {
	case io.View != nil:
		io.sqlText = io.View.Text
		if !strings.HasSuffix(io.sqlText, ";") {
			io.sqlText += ";"
		}
		vb := &binder{cat: b.cat, ids: b.ids, params: b.params}
		n, names, err := vb.bindQuery(io.View.Query)
		if err != nil {
			return nil // a view that no longer binds lists no columns
		}
		for i, c := range n.Cols()[:len(names)] {
			name := names[i]
			if i < len(io.View.Columns) {
				name = io.View.Columns[i].Name
			}
			io.cols = append(io.cols, introColumn{name: name, typ: c.Type, position: i + 1})
		}
	case io.Schema != nil:
		s := io.Schema
		pk := map[int]bool{}
		for _, k := range s.Keys {
			if k.Primary {
				io.hasPK = true
				for _, c := range k.Cols {
					pk[c] = true
				}
			}
		}
		io.checks = len(s.Checks)
		for i, c := range s.Columns {
			col := introColumn{name: c.Name, typ: c.Type, notNull: c.NotNull || pk[i], pk: pk[i], position: i + 1}
			if c.Default != nil {
				col.dflt = c.Default.String()
			}
			io.cols = append(io.cols, col)
		}
		io.sqlText = createTableText(io)
	default:
		t, err := b.table(io.Name)
		if err != nil {
			return err
		}
		for i, c := range t.Columns {
			if t.RowID && i == len(t.Columns)-1 {
				break
			}
			io.cols = append(io.cols, introColumn{name: c.Name, typ: c.Type, position: i + 1})
		}
		io.sqlText = createTableText(io)
	}
	return nil
}

// createTableText is DuckDB's sql column of duckdb_tables().
func createTableText(io *introObject) string {
	var sb strings.Builder
	sb.WriteString("CREATE ")
	if io.Temp {
		sb.WriteString("TEMP ")
	}
	sb.WriteString("TABLE ")
	sb.WriteString(quoteName(io.Name))
	sb.WriteString("(")
	for i, c := range io.cols {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(quoteName(c.name) + " " + c.typ.String())
		if c.pk && io.Schema != nil && len(pkCols(io.Schema)) == 1 {
			sb.WriteString(" PRIMARY KEY")
		}
		if c.dflt != "" {
			sb.WriteString(" DEFAULT(" + c.dflt + ")")
		}
		if c.notNull && !c.pk {
			sb.WriteString(" NOT NULL")
		}
	}
	sb.WriteString(");")
	return sb.String()
}

// quoteName quotes a name as DuckDB prints it in SQL: keywords too.
func quoteName(s string) string {
	keywordSet.once.Do(func() {
		keywordSet.m = map[string]bool{}
		for _, k := range parser.Keywords() {
			keywordSet.m[strings.ToLower(k.Word)] = true
		}
	})
	return ast.QuoteIdent(s, keywordSet.m[strings.ToLower(s)])
}

var keywordSet struct {
	once sync.Once
	m    map[string]bool
}

func pkCols(s *TableSchema) []int {
	for _, k := range s.Keys {
		if k.Primary {
			return k.Cols
		}
	}
	return nil
}

// typePrecision is DuckDB's numeric_precision, _radix and _scale of a
// column type (NULL for the non-numeric types).
func typePrecision(t coldata.Type) (prec, radix, scale coldata.Datum) {
	null := coldata.NullDatum
	bits := func(n int64) (coldata.Datum, coldata.Datum, coldata.Datum) {
		return coldata.Datum{I: n}, coldata.Datum{I: 2}, coldata.Datum{I: 0}
	}
	switch t.ID {
	case coldata.Int32:
		return bits(32)
	case coldata.Int64:
		return bits(64)
	case coldata.Hugeint:
		return bits(128)
	case coldata.Float64:
		return bits(53)
	case coldata.Decimal:
		return coldata.Datum{I: int64(t.Precision)}, coldata.Datum{I: 10}, coldata.Datum{I: int64(t.Scale)}
	}
	return null, null, null
}

// introTable builds a constant relation of named, typed columns.
func (b *binder) introTable(alias string, cols []string, types []coldata.Type, rows [][]coldata.Datum) *planner.Values {
	v := &planner.Values{Rows: rows}
	for i, c := range cols {
		v.Out = append(v.Out, b.newCol(c, alias, types[i]))
	}
	return v
}

func strD(s string) coldata.Datum { return coldata.Datum{S: s} }

func optStr(s string) coldata.Datum {
	if s == "" {
		return coldata.NullDatum
	}
	return coldata.Datum{S: s}
}

func boolD(v bool) coldata.Datum { return coldata.Datum{B: v} }

func intD(v int) coldata.Datum { return coldata.Datum{I: int64(v)} }

var (
	tS, tB, tI, tL = coldata.TypeString, coldata.TypeBool, coldata.TypeInt32, coldata.TypeInt64
)

// introspectFunc binds the catalog's table functions; ok is false for
// other names.
func (b *binder) introspectFunc(tf TableFunc, alias string) (planner.Node, bool, error) {
	switch tf.Name {
	case "duckdb_tables", "duckdb_views", "duckdb_columns", "duckdb_schemas", "duckdb_databases":
		if len(tf.Args) > 0 || len(tf.Named) > 0 {
			return nil, true, fmt.Errorf("Binder Error: %s takes no arguments", tf.Name)
		}
	case "pragma_table_info":
		if len(tf.Args) != 1 || tf.Args[0].Kind != VString && tf.Args[0].Kind != VIdent {
			return nil, true, fmt.Errorf("Binder Error: pragma_table_info takes a table name")
		}
	default:
		return nil, false, nil
	}
	objs, err := b.introspect()
	if err != nil {
		return nil, true, err
	}
	var n planner.Node
	switch tf.Name {
	case "duckdb_tables":
		n = b.duckdbTables(objs, alias)
	case "duckdb_views":
		n = b.duckdbViews(objs, alias)
	case "duckdb_columns":
		n = b.duckdbColumns(objs, alias)
	case "duckdb_schemas":
		n = b.duckdbSchemas(alias)
	case "duckdb_databases":
		n = b.introTable(alias, []string{"database_name", "path", "internal", "type", "readonly"},
			[]coldata.Type{tS, tS, tB, tS, tB}, [][]coldata.Datum{{strD(b.databaseName()), coldata.NullDatum, boolD(false), strD("peregrine"), boolD(false)}})
	case "pragma_table_info":
		n, err = b.tableInfo(objs, tf.Args[0].Str, alias)
	}
	return n, true, err
}

func (b *binder) databaseName() string {
	if ic, ok := b.cat.(IntrospectCatalog); ok {
		return ic.DatabaseName()
	}
	return "memory"
}

func (b *binder) duckdbTables(objs []introObject, alias string) planner.Node {
	var rows [][]coldata.Datum
	for _, o := range objs {
		if o.View != nil {
			continue
		}
		keys := 0
		if o.Schema != nil {
			keys = len(o.Schema.Keys)
		}
		rows = append(rows, []coldata.Datum{strD(o.db), strD("main"), strD(o.Name), coldata.NullDatum, boolD(false), boolD(o.Temp),
			boolD(o.hasPK), intD(0), intD(len(o.cols)), intD(keys), intD(o.checks), strD(o.sqlText)})
	}
	return b.introTable(alias, []string{"database_name", "schema_name", "table_name", "comment", "internal", "temporary",
		"has_primary_key", "estimated_size", "column_count", "index_count", "check_constraint_count", "sql"},
		[]coldata.Type{tS, tS, tS, tS, tB, tB, tB, tL, tL, tL, tL, tS}, rows)
}

func (b *binder) duckdbViews(objs []introObject, alias string) planner.Node {
	var rows [][]coldata.Datum
	for _, o := range objs {
		if o.View == nil {
			continue
		}
		rows = append(rows, []coldata.Datum{strD(o.db), strD("main"), strD(o.Name), coldata.NullDatum, boolD(false), boolD(o.Temp),
			intD(len(o.cols)), strD(o.sqlText)})
	}
	return b.introTable(alias, []string{"database_name", "schema_name", "view_name", "comment", "internal", "temporary",
		"column_count", "sql"}, []coldata.Type{tS, tS, tS, tS, tB, tB, tL, tS}, rows)
}

func (b *binder) duckdbColumns(objs []introObject, alias string) planner.Node {
	var rows [][]coldata.Datum
	for _, o := range objs {
		for _, c := range o.cols {
			prec, radix, scale := typePrecision(c.typ)
			rows = append(rows, []coldata.Datum{strD(o.db), strD("main"), strD(o.Name), strD(c.name), intD(c.position),
				coldata.NullDatum, boolD(false), optStr(c.dflt), boolD(!c.notNull), strD(c.typ.String()), coldata.NullDatum, prec, radix, scale})
		}
	}
	return b.introTable(alias, []string{"database_name", "schema_name", "table_name", "column_name", "column_index",
		"comment", "internal", "column_default", "is_nullable", "data_type", "character_maximum_length",
		"numeric_precision", "numeric_precision_radix", "numeric_scale"},
		[]coldata.Type{tS, tS, tS, tS, tI, tS, tB, tS, tB, tS, tI, tI, tI, tI}, rows)
}

func (b *binder) duckdbSchemas(alias string) planner.Node {
	rows := [][]coldata.Datum{
		{strD(b.databaseName()), strD("main"), coldata.NullDatum, boolD(false)},
		{strD("temp"), strD("main"), coldata.NullDatum, boolD(false)},
	}
	return b.introTable(alias, []string{"database_name", "schema_name", "comment", "internal"},
		[]coldata.Type{tS, tS, tS, tB}, rows)
}

func (b *binder) tableInfo(objs []introObject, name, alias string) (planner.Node, error) {
	name = localName(name)
	for _, o := range objs {
		if !strings.EqualFold(o.Name, name) {
			continue
		}
		var rows [][]coldata.Datum
		for _, c := range o.cols {
			rows = append(rows, []coldata.Datum{intD(c.position - 1), strD(c.name), strD(c.typ.String()), boolD(c.notNull),
				optStr(c.dflt), boolD(c.pk)})
		}
		return b.introTable(alias, []string{"cid", "name", "type", "notnull", "dflt_value", "pk"},
			[]coldata.Type{tI, tS, tS, tB, tS, tB}, rows), nil
	}
	return nil, fmt.Errorf("Catalog Error: Table with name %s does not exist!", name)
}

// infoSchema binds information_schema.tables, .columns and .schemata; ok
// is false for other names.
func (b *binder) infoSchema(name, alias string) (planner.Node, bool, error) {
	name = strings.ToLower(name)
	switch name {
	case "tables", "columns", "schemata":
	default:
		return nil, false, nil
	}
	if alias == "" {
		alias = name
	}
	if name == "schemata" {
		rows := [][]coldata.Datum{
			{strD(b.databaseName()), strD("main"), strD("peregrine"), coldata.NullDatum},
			{strD("temp"), strD("main"), strD("peregrine"), coldata.NullDatum},
		}
		return b.introTable(alias, []string{"catalog_name", "schema_name", "schema_owner", "sql_path"},
			[]coldata.Type{tS, tS, tS, tS}, rows), true, nil
	}
	objs, err := b.introspect()
	if err != nil {
		return nil, true, err
	}
	var rows [][]coldata.Datum
	if name == "tables" {
		for _, o := range objs {
			kind, insertable, commit := "BASE TABLE", "YES", coldata.NullDatum
			switch {
			case o.View != nil:
				kind, insertable = "VIEW", "NO"
			case o.Temp:
				kind, commit = "LOCAL TEMPORARY", strD("PRESERVE")
			}
			rows = append(rows, []coldata.Datum{strD(o.db), strD("main"), strD(o.Name), strD(kind), strD(insertable), strD("NO"), commit})
		}
		return b.introTable(alias, []string{"table_catalog", "table_schema", "table_name", "table_type",
			"is_insertable_into", "is_typed", "commit_action"}, []coldata.Type{tS, tS, tS, tS, tS, tS, tS}, rows), true, nil
	}
	for _, o := range objs {
		for _, c := range o.cols {
			prec, radix, scale := typePrecision(c.typ)
			nullable := "YES"
			if c.notNull {
				nullable = "NO"
			}
			rows = append(rows, []coldata.Datum{strD(o.db), strD("main"), strD(o.Name), strD(c.name), intD(c.position),
				optStr(c.dflt), strD(nullable), strD(c.typ.String()), coldata.NullDatum, prec, radix, scale})
		}
	}
	return b.introTable(alias, []string{"table_catalog", "table_schema", "table_name", "column_name", "ordinal_position",
		"column_default", "is_nullable", "data_type", "character_maximum_length", "numeric_precision",
		"numeric_precision_radix", "numeric_scale"}, []coldata.Type{tS, tS, tS, tS, tI, tS, tS, tS, tI, tI, tI, tI}, rows), true, nil
}

// convertPragma runs DuckDB's catalog PRAGMAs as the queries they stand
// for: table_info('t') (and show('t')), show_tables, database_list,
// version; ok is false for the others.
func convertPragma(s *ast.Pragma, text string) (Statement, bool, error) {
	name := strings.ToLower(s.Name.Name)
	var q string
	switch name {
	case "table_info", "show":
		if len(s.Args) != 1 {
			return nil, true, binderErr(s, "PRAGMA %s takes a table name", name)
		}
		v, err := astValue(s.Args[0])
		if err != nil || v.Kind != VString && v.Kind != VIdent {
			return nil, true, binderErr(s.Args[0], "PRAGMA %s takes a table name", name)
		}
		if name == "show" {
			t := &ast.TableName{At: s.At, Name: &ast.Name{At: s.At, Parts: []ast.Ident{{At: s.At, Name: v.Str}}}}
			return &Describe{Query: describedQuery(t, nil, text)}, true, nil
		}
		q = "SELECT * FROM pragma_table_info(" + ast.QuoteString(v.Str) + ")"
	case "show_tables":
		return &ShowTables{}, true, nil
	case "database_list":
		q = "SELECT 0::BIGINT AS seq, database_name AS name, path AS file FROM duckdb_databases()"
	case "version":
		q = "SELECT version() AS library_version, '' AS source_id"
	default:
		return nil, false, nil
	}
	st, err := parser.ParseOne(q)
	if err != nil {
		return nil, true, err
	}
	return &Query{AST: st.(*ast.Query), Text: q}, true, nil
}

// TableName is the table DESCRIBE t (or SHOW t) describes, "" when it
// describes a query.
func (d *Describe) TableName() string {
	sel, ok := d.Query.AST.Body.(*ast.Select)
	if !ok || len(sel.From) != 1 || d.Query.AST.With != nil {
		return ""
	}
	t, ok := sel.From[0].(*ast.TableName)
	if !ok || t.Alias != nil {
		return ""
	}
	return t.Name.Last()
}

// DescribeRow is one row of DESCRIBE: DuckDB's null, key and default
// columns of column i of a table created in SQL (s nil: a query or a
// folder's table).
func DescribeRow(s *TableSchema, i int) (null, key, dflt string) {
	null = "YES"
	if s == nil || i >= len(s.Columns) {
		return null, "", ""
	}
	c := s.Columns[i]
	for _, k := range s.Keys {
		if k.Index != "" {
			continue // a UNIQUE index's key, not the table's
		}
		if len(k.Cols) == 1 && k.Cols[0] == i {
			if k.Primary {
				key = "PRI"
			} else if key == "" {
				key = "UNI"
			}
		}
		if k.Primary && containsInt(k.Cols, i) {
			null = "NO"
		}
	}
	if c.NotNull {
		null = "NO"
	}
	if c.Default != nil {
		dflt = c.Default.String()
	}
	return null, key, dflt
}
