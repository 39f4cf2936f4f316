package sql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/storage"
)

// tableFuncIndex recognises the pre-parse's `__tf_N` table names.
func tableFuncIndex(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, "__tf_")
	if !ok {
		return 0, false
	}
	k, err := strconv.Atoi(rest)
	return k, err == nil
}

// MultiCatalog is implemented by catalogs that can read a list of paths
// as one table.
type MultiCatalog interface {
	Tables(paths []string) (*storage.Table, error)
}

// tableFunc resolves a table function call in FROM.
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
		for opt := range tf.Named {
			return nil, fmt.Errorf("Not implemented Error: %s option %s is not supported yet", tf.Name, opt)
		}
		if len(paths) == 1 {
			return b.cat.Table(paths[0])
		}
		mc, ok := b.cat.(MultiCatalog)
		if !ok {
			return nil, fmt.Errorf("Not implemented Error: %s over a list of paths is not supported by this catalog", tf.Name)
		}
		return mc.Tables(paths)
	}
	return nil, fmt.Errorf("Not implemented Error: table function %s is not supported yet", tf.Name)
}

// metadataFunc binds parquet_metadata('glob') and parquet_schema('glob'):
// one row per row group and column, or per schema element, of each file.
func (b *binder) metadataFunc(tf TableFunc, alias string, sc *scope) (planner.Node, error) {
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
	sc.add(alias, v.Out)
	return v, nil
}
