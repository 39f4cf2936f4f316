package peregrine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/storage/objtest"
)

// TestTextFilesOverS3: COPY TO csv and json write objects, and read_csv,
// read_json and globs read them back over S3 — through a proxy that
// throttles and cuts connections — with the answers of the Parquet source.
func TestTextFilesOverS3(t *testing.T) {
	fastRetries(t)
	s := s3Lake(t)
	p := objtest.StartProxy(t, s.URL, 7)
	objtest.Env(t, p.URL)
	db := openDir(t, "")
	ctx := context.Background()
	for _, st := range []string{
		"COPY (SELECT * FROM 's3://lake/tpch/orders.parquet') TO 's3://lake/text/orders.csv'",
		"COPY (SELECT * FROM 's3://lake/tpch/orders.parquet' WHERE o_orderkey % 2 = 0) TO 's3://lake/text/part/even.csv'",
		"COPY (SELECT * FROM 's3://lake/tpch/orders.parquet' WHERE o_orderkey % 2 = 1) TO 's3://lake/text/part/odd.csv'",
		"COPY (SELECT * FROM 's3://lake/tpch/nation.parquet') TO 's3://lake/text/nation.json' (FORMAT json)",
	} {
		if err := db.Exec(ctx, st); err != nil {
			t.Fatal(st, err)
		}
	}
	p.SetFaults(objtest.Faults{Throttle: 0.1, CutBody: 0.05})
	const agg = "SELECT count(*), CAST(round(sum(o_totalprice)) AS BIGINT), min(o_orderdate), max(o_comment) FROM "
	want, _, err := sltRows(ctx, db, agg+"'s3://lake/tpch/orders.parquet'")
	if err != nil {
		t.Fatal(err)
	}
	for _, from := range []string{
		"read_csv('s3://lake/text/orders.csv')",
		"'s3://lake/text/orders.csv'",
		"read_csv_auto('s3://lake/text/part/*.csv')",
		"'s3://lake/text/**/*.csv' WHERE filename NOT LIKE '%part%'",
	} {
		q := agg + from
		if strings.Contains(from, "filename") {
			q = agg + "read_csv('s3://lake/text/**/*.csv', filename = true) WHERE filename NOT LIKE '%/part/%'"
		}
		got, _, err := sltRows(ctx, db, q)
		if err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s:\n got %v %v\nwant %v", q, got, err, want)
		}
	}
	got, _, err := sltRows(ctx, db, "SELECT count(*), sum(n_nationkey), max(n_name) FROM read_json('s3://lake/text/nation.json')")
	if err != nil || strings.Join(got, "|") != "25\t300\tVIETNAM" {
		t.Errorf("read_json over S3: %v %v", got, err)
	}
}
