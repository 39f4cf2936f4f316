package main

import (
	"context"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/storage/objtest"
)

// TestInspectS3Folder: `peregrine inspect s3://bucket/folder` reports a
// folder of tables on an object store table by table, as it does locally.
func TestInspectS3Folder(t *testing.T) {
	s := objtest.StartS3(t)
	s.Bucket(t, "lake")
	objtest.Env(t, s.URL)
	db, err := peregrine.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for _, q := range []string{
		"COPY (SELECT * FROM lineitem) TO 's3://lake/db/lineitem' (FORMAT parquet, PARTITION_BY (l_returnflag))",
		"COPY (SELECT * FROM orders) TO 's3://lake/db/orders.parquet' (FORMAT parquet)",
	} {
		if err := db.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	reps, err := inspectPath(ctx, "s3://lake/db")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"s3://lake/db/lineitem": countOf(t, db, "lineitem"), "s3://lake/db/orders.parquet": countOf(t, db, "orders")}
	if len(reps) != len(want) {
		t.Fatalf("%d reports for a folder of %d tables", len(reps), len(want))
	}
	for _, r := range reps {
		if n, ok := want[r.Path]; !ok || r.Rows != n || r.Bytes == 0 {
			t.Errorf("report of %s: %d rows, %d bytes; want %d rows", r.Path, r.Rows, r.Bytes, n)
		}
	}
	// The command line: one report per table.
	stdout, stderr, code := runCLI(t, "", "inspect", "s3://lake/db")
	if code != 0 || strings.Count(stdout, "s3://lake/db/") < 2 {
		t.Fatalf("inspect s3://lake/db: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func countOf(t *testing.T, db *peregrine.DB, table string) int64 {
	t.Helper()
	rows, err := db.Query(context.Background(), "SELECT count(*) FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	b, err := rows.Next(context.Background())
	if err != nil || b == nil {
		t.Fatalf("count(*) FROM %s: %v", table, err)
	}
	return b.Vecs[0].I64[0]
}
