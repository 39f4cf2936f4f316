package sql

import (
	"errors"
	"path"
	"strings"

	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/sql/parser"
)

// COPY t [(cols)] FROM 'file' (options) is an INSERT whose rows come from
// the file's reader. As in DuckDB, a CSV file is read with the target
// columns' names and types (so '002' loads into a VARCHAR column as
// written, and a value that does not fit its column is a conversion error
// naming the line), JSON by the columns' names, Parquet by position.

// copyInsert turns COPY ... FROM into the Insert that runs it.
func copyInsert(c *ast.Copy, text string) (Statement, error) {
	if c.Table == nil {
		return nil, binderErr(c, "COPY ... FROM needs a table to load into")
	}
	ins := &ast.Insert{At: c.At, Table: c.Table, Columns: c.Columns}
	return &Insert{AST: ins, Text: text, CopyFrom: c}, nil
}

// copySource is the query reading c's file for the target columns
// (indexes into s.Columns).
func copySource(c *ast.Copy, s *TableSchema, target []int) (*ast.Query, error) {
	format := ""
	var opts []ast.Option
	for _, o := range c.Options {
		name := strings.ToLower(o.Name.Name)
		if name == "format" {
			v, err := astValue(o.Value)
			if err != nil || v.Kind != VString && v.Kind != VIdent {
				return nil, binderErr(o.Value, "COPY's FORMAT must be a name such as csv, parquet or json")
			}
			format = strings.ToLower(v.Str)
			continue
		}
		opts = append(opts, o)
	}
	p, err := astValue(c.Path)
	if err != nil || p.Kind != VString {
		return nil, binderErr(c.Path, "COPY needs a quoted path after FROM, got %s", clip(c.Path.String()))
	}
	if format == "" {
		format = formatOfPath(p.Str)
	}
	var b strings.Builder
	switch format {
	case "csv":
		b.WriteString("SELECT * FROM read_csv(")
	case "parquet":
		b.WriteString("SELECT * FROM read_parquet(")
	case "json", "ndjson":
		b.WriteString("SELECT * FROM read_json(")
	default:
		return nil, errAt(c, "Catalog", "Copy Function with name \"%s\" does not exist!", format)
	}
	b.WriteString(c.Path.String())
	userColumns := false
	for _, o := range opts {
		name := strings.ToLower(o.Name.Name)
		if format == "parquet" {
			// read_parquet's options are not COPY's; DuckDB accepts and
			// ignores the writer-side ones here.
			continue
		}
		if format != "csv" && name == "array" {
			if o.Value == nil || strings.EqualFold(o.Value.String(), "true") {
				b.WriteString(", format = 'array'")
			}
			continue
		}
		userColumns = userColumns || name == "columns"
		b.WriteString(", ")
		b.WriteString(o.Name.String())
		b.WriteString(" = ")
		switch v := o.Value.(type) {
		case nil:
			b.WriteString("true")
		case *ast.ColumnRef:
			// A bare word (COMPRESSION gzip) is a name, not a column.
			b.WriteString(quoteString(strings.Trim(v.String(), `"`)))
		default:
			b.WriteString(v.String())
		}
	}
	if format != "parquet" && !userColumns {
		b.WriteString(", columns = {")
		for k, i := range target {
			if k > 0 {
				b.WriteString(", ")
			}
			col := s.Columns[i]
			b.WriteString(quoteString(col.Name))
			b.WriteString(": ")
			b.WriteString(quoteString(col.Type.String()))
		}
		b.WriteString("}")
	}
	b.WriteString(")")
	st, err := parser.ParseOne(b.String())
	if err != nil {
		return nil, errAt(c, "Binder", "COPY ... FROM options do not form a reader call: %v", err)
	}
	return st.(*ast.Query), nil
}

// formatOfPath guesses a file's format from its name, as DuckDB's COPY
// does (CSV unless it says otherwise).
func formatOfPath(p string) string {
	base := strings.ToLower(path.Base(p))
	for _, ext := range []string{".gz", ".zst", ".zstd"} {
		base = strings.TrimSuffix(base, ext)
	}
	switch path.Ext(base) {
	case ".parquet":
		return "parquet"
	case ".json", ".ndjson", ".jsonl":
		return "json"
	}
	return "csv"
}

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// atCopy points an error from the generated reader call at the COPY
// statement itself (the generated text is not what the user wrote).
func atCopy(err error, c *ast.Copy) error {
	var e *Error
	if errors.As(err, &e) && e.Src == "" {
		e.Pos = int(c.Position())
	}
	return err
}
