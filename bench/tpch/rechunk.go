package tpch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/peregrinedb/peregrine"
)

// Tables are the eight TPC-H tables.
var Tables = []string{"customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"}

// Rechunk copies the TPC-H tables of src into dst, one file per table, with
// row groups of rowGroupRows rows: small row groups give a small scale
// factor the many splits and real shuffles of a large one (distributed
// plans cut scans at row groups).
func Rechunk(ctx context.Context, src, dst string, rowGroupRows int) error {
	db, err := peregrine.Open(src)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, t := range Tables {
		out := filepath.Join(dst, t+".parquet")
		q := fmt.Sprintf("COPY (SELECT * FROM %s) TO '%s' (FORMAT parquet, ROW_GROUP_SIZE %d)", t, strings.ReplaceAll(out, "'", "''"), rowGroupRows)
		if err := db.Exec(ctx, q); err != nil {
			return fmt.Errorf("rechunking %s: %w", t, err)
		}
	}
	return nil
}
