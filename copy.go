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
// as Parquet (or CSV or JSON, copy_text.go) through the target's Stage: all files appear at the end, or
// none (local or object store alike). Like DuckDB, the result is one row
// with the number of rows written, in a BIGINT column named Count, and
// marked as a count of changed rows (Rows.Changes).
func (db *DB) copy(ctx context.Context, st *sql.Copy, args []sql.Arg, prep *Stmt) (*Rows, error) {
	opts, err := copyOptions(st.Path, st.Options)
	if err != nil {
		return nil, err
	}
	opts.TempRoot = db.tempRoot()
	phys, names, err := db.plan(ctx, st.Query, args, prep)
	if err != nil {
		return nil, err
	}
	rows, err := db.start(ctx, phys, names)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	types := make([]coldata.Type, len(rows.Columns()))
	for i, c := range rows.Columns() {
		types[i] = c.Type
	}
	res, err := db.cat.WriteParquet(ctx, rows, types, names, st.Path, opts)
	if err != nil {
		return nil, err
	}
	return changedRows(res.Rows), nil
}

// writeOptions maps COPY's options (DuckDB's names) to the writer's.
func writeOptions(in map[string]sql.Value) (storage.WriteOptions, error) {
	var o storage.WriteOptions
	modes := 0
	for k, v := range in {
		var err error
		switch k {
		case "format":
			if f := strings.ToLower(v.Str); f != "parquet" {
				return o, fmt.Errorf("Not implemented Error: COPY FORMAT %s is not supported; only parquet, csv and json", v.Str)
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
		case "overwrite", "overwrite_or_ignore", "append":
			var on bool
			if on, err = v.AsBool(); err == nil && on {
				modes++
				o.Mode = map[string]storage.WriteMode{"overwrite": storage.WriteOverwrite,
					"overwrite_or_ignore": storage.WriteOverwriteOrIgnore, "append": storage.WriteAppend}[k]
			}
		case "page_checksums":
			var on bool
			on, err = v.AsBool()
			o.NoPageChecksums = !on
		default:
			return o, fmt.Errorf("Binder Error: unrecognized COPY option %q", k)
		}
		if err != nil {
			return o, fmt.Errorf("Binder Error: COPY option %s: %v", k, err)
		}
	}
	if modes > 1 {
		return o, fmt.Errorf("Binder Error: Can only set one of OVERWRITE_OR_IGNORE, OVERWRITE or APPEND")
	}
	return o, nil
}
