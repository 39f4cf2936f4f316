package sql

import (
	"context"
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/storage"
)

// DatasetCatalog is implemented by catalogs that read datasets: lists of
// paths, hive partitions and schema merging (read_parquet's options).
type DatasetCatalog interface {
	Dataset(ctx context.Context, paths []string, opts storage.DatasetOptions) (*storage.Dataset, error)
}

// tableFunc resolves read_parquet/parquet_scan(paths, options) in FROM.
func (b *binder) tableFunc(tf TableFunc) (*storage.Table, error) {
	switch tf.Name {
	case "read_parquet", "parquet_scan":
		if len(tf.Args) != 1 {
			return nil, fmt.Errorf("Binder Error: %s takes one path, glob or list of paths", tf.Name)
		}
		paths, err := tf.Args[0].Strings()
		if err != nil {
			return nil, fmt.Errorf("Binder Error: %s: %v", tf.Name, err)
		}
		opts, err := datasetOptions(tf)
		if err != nil {
			return nil, err
		}
		dc, ok := b.cat.(DatasetCatalog)
		if !ok {
			if len(paths) == 1 && len(tf.Named) == 0 {
				return b.cat.Table(paths[0])
			}
			return nil, fmt.Errorf("Not implemented Error: %s options need a dataset catalog", tf.Name)
		}
		return openDataset(dc, paths, opts)
	}
	return nil, fmt.Errorf("Not implemented Error: table function %s is not supported yet", tf.Name)
}

// openDataset resolves paths into a table. A hive-partitioned dataset is
// returned unopened (no footers read but the first): the planner prunes its
// partitions once the query's filters are known, then opens what is left.
func openDataset(dc DatasetCatalog, paths []string, opts storage.DatasetOptions) (*storage.Table, error) {
	ctx := context.Background()
	d, err := dc.Dataset(ctx, paths, opts)
	if err != nil {
		return nil, err
	}
	if len(d.PartitionCols) > 0 {
		return &storage.Table{Name: d.Name, Columns: d.AllColumns(), Dataset: d, DataFiles: d.Files}, nil
	}
	return d.Table(ctx, d.Files)
}

// table resolves a table name, path or glob.
func (b *binder) table(name string) (*storage.Table, error) {
	if dc, ok := b.cat.(DatasetCatalog); ok {
		return openDataset(dc, []string{name}, storage.DatasetOptions{})
	}
	return b.cat.Table(name)
}

// datasetOptions maps read_parquet's named arguments (DuckDB's names).
func datasetOptions(tf TableFunc) (storage.DatasetOptions, error) {
	var o storage.DatasetOptions
	for name, v := range tf.Named {
		switch name {
		case "hive_partitioning":
			on, err := v.AsBool()
			if err != nil {
				return o, fmt.Errorf("Binder Error: %s: hive_partitioning: %v", tf.Name, err)
			}
			o.HivePartitioning = storage.HiveDisabled
			if on {
				o.HivePartitioning = storage.HiveEnabled
			}
		case "union_by_name":
			on, err := v.AsBool()
			if err != nil {
				return o, fmt.Errorf("Binder Error: %s: union_by_name: %v", tf.Name, err)
			}
			o.UnionByName = on
		case "hive_types":
			if v.Kind != VStruct {
				return o, fmt.Errorf("Binder Error: %s: hive_types must be a struct like {'year': BIGINT}", tf.Name)
			}
			o.HiveTypes = map[string]coldata.Type{}
			for k, tv := range v.Fields {
				t, err := parseTypeText(tv.Str)
				if err != nil {
					return o, fmt.Errorf("Binder Error: %s: hive_types[%s]: %v", tf.Name, k, err)
				}
				o.HiveTypes[k] = t
			}
			if o.HivePartitioning == storage.HiveAuto {
				o.HivePartitioning = storage.HiveEnabled
			}
		case "hive_types_autocast", "binary_as_string":
			// Accepted for compatibility; our inference and string handling
			// already behave like DuckDB's defaults.
		default:
			return o, fmt.Errorf("Binder Error: %s: unknown option %q", tf.Name, name)
		}
	}
	return o, nil
}

// metadataFunc binds parquet_metadata('glob') and parquet_schema('glob'):
// one row per row group and column, or per schema element, of each file.
func (b *binder) metadataFunc(tf TableFunc, alias string) (planner.Node, error) {
	if len(tf.Args) != 1 || len(tf.Named) > 0 {
		return nil, fmt.Errorf("Binder Error: %s takes one path, glob or list of paths", tf.Name)
	}
	paths, err := tf.Args[0].Strings()
	if err != nil {
		return nil, fmt.Errorf("Binder Error: %s: %v", tf.Name, err)
	}
	fc, ok := b.cat.(interface {
		Files(name string) ([]*scan.File, error)
	})
	if !ok {
		return nil, fmt.Errorf("Not implemented Error: %s needs a file catalog", tf.Name)
	}
	var files []*scan.File
	for _, p := range paths {
		fs, err := fc.Files(p)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	fn := storage.ParquetMetadata
	if tf.Name == "parquet_schema" {
		fn = storage.ParquetSchema
	}
	names, types, rows, err := fn(files...)
	if err != nil {
		return nil, err
	}
	v := &planner.Values{Rows: rows}
	for i, n := range names {
		v.Out = append(v.Out, b.newCol(n, alias, types[i]))
	}
	return v, nil
}

// inspectFunc binds parquet_inspect('path'): the layout advice of
// `peregrine inspect` as rows (kind, suggestion, why).
func (b *binder) inspectFunc(tf TableFunc, alias string) (planner.Node, error) {
	if len(tf.Args) != 1 || tf.Args[0].Kind != VString || len(tf.Named) > 0 {
		return nil, fmt.Errorf("Binder Error: parquet_inspect takes one path, folder or glob")
	}
	cat, ok := b.cat.(*storage.Catalog)
	if w, wraps := b.cat.(interface{ FileCatalog() *storage.Catalog }); wraps {
		cat, ok = w.FileCatalog(), true
	}
	if !ok {
		return nil, fmt.Errorf("Not implemented Error: parquet_inspect needs a file catalog")
	}
	rep, err := storage.Inspect(context.Background(), cat, tf.Args[0].Str)
	if err != nil {
		return nil, err
	}
	v := &planner.Values{}
	for _, n := range []string{"kind", "suggestion", "why"} {
		v.Out = append(v.Out, b.newCol(n, alias, coldata.TypeString))
	}
	for _, s := range rep.Suggestions {
		v.Rows = append(v.Rows, []coldata.Datum{{S: s.Kind}, {S: s.What}, {S: s.Why}})
	}
	return v, nil
}
