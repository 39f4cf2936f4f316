package peregrine

import (
	"context"
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/sql"
	"github.com/peregrinedb/peregrine/storage"
)

// copy runs COPY (query) TO 'path' (options): the query's result is written
// as Parquet, atomically (temporary names renamed into place at the end).
func (db *DB) copy(ctx context.Context, st *sql.Copy, args []sql.Arg, prep *Stmt) error {
	opts, err := writeOptions(st.Options)
	if err != nil {
		return err
	}
	phys, names, err := db.plan(st.Query, args, prep)
	if err != nil {
		return err
	}
	rows, err := db.start(ctx, phys, names)
	if err != nil {
		return err
	}
	defer rows.Close()
	types := make([]coldata.Type, len(rows.Columns()))
	for i, c := range rows.Columns() {
		types[i] = c.Type
	}
	_, err = storage.WriteParquet(ctx, rows, types, names, st.Path, opts)
	return err
}

// writeOptions maps COPY's options (DuckDB's names) to the writer's.
func writeOptions(in map[string]sql.Value) (storage.WriteOptions, error) {
	var o storage.WriteOptions
	for k, v := range in {
		var err error
		switch k {
		case "format":
			if f := strings.ToLower(v.Str); f != "parquet" {
				return o, fmt.Errorf("Not implemented Error: COPY FORMAT %s is not supported; only parquet", v.Str)
			}
		case "compression", "codec":
			o.Compression = strings.ToLower(v.Str)
		case "compression_level":
			var n int64
			n, err = v.AsInt()
			o.CompressionLevel = int(n)
		case "row_group_size":
			var n int64
			n, err = v.AsInt()
			o.RowGroupSize = int(n)
		case "row_group_size_bytes":
			o.RowGroupSizeBytes, err = ParseBytes(v.Str)
		case "file_size_bytes":
			o.FileSizeBytes, err = ParseBytes(v.Str)
		case "partition_by":
			switch v.Kind {
			case sql.VList:
				for _, x := range v.List {
					o.PartitionBy = append(o.PartitionBy, x.Str)
				}
			default:
				o.PartitionBy = []string{v.Str}
			}
		case "overwrite_or_ignore", "overwrite":
			o.OverwriteOrIgnore, err = v.AsBool()
		default:
			return o, fmt.Errorf("Binder Error: unrecognized COPY option %q", k)
		}
		if err != nil {
			return o, fmt.Errorf("Binder Error: COPY option %s: %v", k, err)
		}
	}
	return o, nil
}
