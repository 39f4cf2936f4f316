package sql

import (
	"context"
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/storage"
	"github.com/peregrinedb/peregrine/storage/csv"
	"github.com/peregrinedb/peregrine/storage/jsonfmt"
)

// FileCatalog is implemented by catalogs that hand out files and the file
// systems holding them (CSV and JSON readers).
type FileCatalog interface {
	FileSet(ctx context.Context, paths []string, opts storage.DatasetOptions) (*storage.Dataset, error)
	FileSystem(ctx context.Context, path string) (storage.FileSystem, error)
}

// textPath binds FROM 'x.csv' (and .tsv, compressed ones): ok is false for
// other paths.
func (b *binder) textPath(path, alias string, colNames []ast.Ident, sc *scope, at ast.Node) (planner.Node, bool, error) {
	format := storage.TextFormat(path)
	if format == "" {
		return nil, false, nil
	}
	name := "read_csv_auto"
	if format == "json" {
		name = "read_json_auto"
	}
	tf := TableFunc{Name: name, Args: []Value{{Kind: VString, Str: path}}, Named: map[string]Value{}}
	n, err := b.textFunc(tf, alias)
	if err != nil {
		return nil, true, fromCatalog(err, path, at)
	}
	cols := n.Cols()
	if err := renameCols(cols, colNames, alias, at); err != nil {
		return nil, true, err
	}
	sc.add(alias, cols)
	return n, true, nil
}

// textFunc binds read_csv and its aliases to a scan of the files.
func (b *binder) textFunc(tf TableFunc, alias string) (planner.Node, error) {
	if len(tf.Args) != 1 {
		return nil, fmt.Errorf("Binder Error: %s takes one path, glob or list of paths", tf.Name)
	}
	paths, err := tf.Args[0].Strings()
	if err != nil {
		return nil, fmt.Errorf("Binder Error: %s: %v", tf.Name, err)
	}
	fc, ok := b.cat.(FileCatalog)
	if !ok {
		return nil, fmt.Errorf("Not implemented Error: %s needs a file catalog", tf.Name)
	}
	isJSON := strings.Contains(tf.Name, "json")
	var opts csv.Options
	var jopts jsonfmt.Options
	var hive storage.HiveMode
	if isJSON {
		jopts, hive, err = jsonOptions(tf)
	} else {
		opts, hive, err = csvOptions(tf)
	}
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	ds, err := fc.FileSet(ctx, paths, storage.DatasetOptions{HivePartitioning: hive})
	if err != nil {
		return nil, err
	}
	files := make([]csv.FileRef, len(ds.Files))
	for i, f := range ds.Files {
		fsys, err := fc.FileSystem(ctx, f.Path)
		if err != nil {
			return nil, err
		}
		files[i] = csv.FileRef{Path: f.Path, Info: f.Info, FS: fsys, Partition: f.Partition}
	}
	var parts []csv.Column
	for _, p := range ds.PartitionCols {
		parts = append(parts, csv.Column{Name: p.Name, Type: p.Type})
	}
	var src planner.ExternalSource
	var cols []csv.Column
	if isJSON {
		s, err := jsonfmt.NewScan(ctx, files, jopts, parts)
		if err != nil {
			return nil, err
		}
		src, cols = s, s.Columns
	} else {
		s, err := csv.NewScan(ctx, files, opts, parts)
		if err != nil {
			return nil, err
		}
		src, cols = s, s.Columns
	}
	v := &planner.Values{Source: src}
	for i, c := range cols {
		v.Out = append(v.Out, b.newCol(c.Name, alias, c.Type))
		v.ColIdx = append(v.ColIdx, i)
	}
	return v, nil
}

// csvOptions maps read_csv's named arguments (DuckDB's names).
func csvOptions(tf TableFunc) (csv.Options, storage.HiveMode, error) {
	var o csv.Options
	hive := storage.HiveDisabled
	bad := func(name string, err error) error {
		return fmt.Errorf("Binder Error: %s: %s: %v", tf.Name, name, err)
	}
	for name, v := range tf.Named {
		var err error
		switch name {
		case "delim", "sep", "delimiter":
			o.Delim, _, err = optChar(v, name)
			if err == nil && o.Delim == 0 {
				err = fmt.Errorf("the delimiter cannot be empty")
			}
		case "quote":
			o.Quote, o.QuoteSet, err = optChar(v, name)
		case "escape":
			o.Escape, o.EscapeSet, err = optChar(v, name)
		case "header":
			o.Header, err = v.AsBool()
			o.HeaderSet = true
		case "skip":
			var n int64
			n, err = v.AsInt()
			o.Skip = int(n)
		case "sample_size":
			var n int64
			n, err = v.AsInt()
			o.SampleRows = int(n)
		case "nullstr", "null":
			o.NullStr, err = v.Strings()
		case "all_varchar":
			o.AllVarchar, err = v.AsBool()
		case "ignore_errors":
			o.IgnoreErrors, err = v.AsBool()
		case "auto_detect":
			var on bool
			on, err = v.AsBool()
			o.NoAutoDetect = !on
		case "union_by_name":
			o.UnionByName, err = v.AsBool()
		case "filename":
			o.Filename, err = v.AsBool()
		case "hive_partitioning":
			var on bool
			if on, err = v.AsBool(); on {
				hive = storage.HiveEnabled
			}
		case "dateformat", "date_format":
			o.DateFormat = v.Str
		case "timestampformat", "timestamp_format":
			o.TimestampFormat = v.Str
		case "compression":
			o.Compression = strings.ToLower(v.Str)
			switch o.Compression {
			case "auto", "none", "gzip", "zstd", "uncompressed":
			default:
				err = fmt.Errorf("unsupported compression %q", v.Str)
			}
		case "columns":
			o.Columns, err = csvColumns(v)
		case "types", "dtypes", "column_types":
			err = csvTypes(v, &o)
		case "new_line", "max_line_size", "parallel", "buffer_size", "strict_mode", "allow_quoted_nulls", "normalize_names":
			// Accepted for compatibility; our reader handles \n and \r\n
			// and has no line length limit.
		default:
			return o, hive, fmt.Errorf("Binder Error: Invalid named parameter \"%s\" for function %s", name, tf.Name)
		}
		if err != nil {
			return o, hive, bad(name, err)
		}
	}
	if len(o.Columns) > 0 && !o.HeaderSet {
		// Columns given: the sniffer still detects the header.
		_ = o
	}
	return o, hive, nil
}

// optChar reads a one-character option; "" means none.
func optChar(v Value, name string) (byte, bool, error) {
	if v.Kind != VString {
		return 0, false, fmt.Errorf("expected a string")
	}
	s := v.Str
	if s == `\t` {
		s = "\t"
	}
	switch len(s) {
	case 0:
		return 0, true, nil
	case 1:
		return s[0], true, nil
	}
	return 0, false, fmt.Errorf("%s must be a single character", name)
}

// csvColumns reads columns = {'name': 'TYPE', ...} in the order written.
func csvColumns(v Value) ([]csv.Column, error) {
	if v.Kind != VStruct {
		return nil, fmt.Errorf("expected a struct like {'a': 'INTEGER'}")
	}
	var out []csv.Column
	for _, k := range v.Order {
		t, err := parseTypeText(v.Fields[k].Str)
		if err != nil {
			return nil, err
		}
		out = append(out, csv.Column{Name: k, Type: t})
	}
	return out, nil
}

// csvTypes reads types as a struct by name or a list by position.
func csvTypes(v Value, o *csv.Options) error {
	switch v.Kind {
	case VStruct:
		o.Types = map[string]coldata.Type{}
		for k, tv := range v.Fields {
			t, err := parseTypeText(tv.Str)
			if err != nil {
				return err
			}
			o.Types[k] = t
		}
		return nil
	case VList:
		for _, tv := range v.List {
			t, err := parseTypeText(tv.Str)
			if err != nil {
				return err
			}
			o.TypeList = append(o.TypeList, t)
		}
		return nil
	}
	return fmt.Errorf("expected a struct or a list of types")
}
