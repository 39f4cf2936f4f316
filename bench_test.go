package peregrine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// BenchmarkTenThousandFiles measures the time to the first row of queries
// over a dataset of thousands of small files in hive partitions day=N/part=M
// (the file count is reported), cold (a new DB: every needed footer is read)
// and with partition pruning to one day.
// The files are written once per run by COPY ... PARTITION_BY.
func BenchmarkTenThousandFiles(b *testing.B) {
	dir := b.TempDir()
	ctx := context.Background()
	db, err := peregrine.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	// About 10,000 (day, part) groups of a few lineitem rows each.
	src := filepath.Join(dir, "src.parquet")
	if err := db.Exec(ctx, "COPY (SELECT CAST(l_orderkey % 100 AS BIGINT) AS day, CAST(l_partkey % 100 AS BIGINT) AS part, l_orderkey AS o_orderkey, l_extendedprice AS o_totalprice FROM '"+duckdbSF001+"/lineitem.parquet') TO '"+src+"'"); err != nil {
		b.Fatal(err)
	}
	for day := 0; day < 100; day++ {
		q := fmt.Sprintf("COPY (SELECT part, o_orderkey, o_totalprice FROM '%s' WHERE day = %d) TO '%s/events/day=%d' (PARTITION_BY (part))", src, day, dir, day)
		if err := db.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	os.Remove(src)
	files, _ := filepath.Glob(filepath.Join(dir, "events", "*", "*", "*.parquet"))
	first := func(q string) {
		db, err := peregrine.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		rows, err := db.Query(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		if bt, err := rows.Next(ctx); err != nil || bt == nil {
			b.Fatalf("no first row: %v", err)
		}
		rows.Close()
	}
	b.Run("all-files", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			first("SELECT count(*) FROM events")
		}
		b.ReportMetric(float64(len(files)), "files")
	})
	b.Run("one-partition", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			first("SELECT sum(o_totalprice) FROM events WHERE day = 42")
		}
	})
}
