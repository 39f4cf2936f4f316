package peregrine_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestCopyReturnsCount: COPY … TO gives, as DuckDB does, one row with the
// rows written in a BIGINT column named Count (DuckDB 1.5.5: region 5 rows,
// nation PARTITION_BY n_regionkey 25), marked as changed rows; database/sql
// reports it as RowsAffected.
func TestCopyReturnsCount(t *testing.T) {
	db := openDir(t, duckdbSF001)
	ctx := context.Background()
	dir := t.TempDir()
	rows, err := db.Query(ctx, "COPY (SELECT * FROM region) TO '"+filepath.Join(dir, "r.parquet")+"'")
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := rows.Changes(); !ok || n != 5 {
		t.Errorf("Changes() = %d, %v; want 5, true", n, ok)
	}
	cols := rows.Columns()
	if len(cols) != 1 || cols[0].Name != "Count" || cols[0].Type.String() != "BIGINT" {
		t.Fatalf("columns %+v, want Count BIGINT", cols)
	}
	b, err := rows.Next(ctx)
	if err != nil || b == nil || b.Len() != 1 || b.Vecs[0].I64[0] != 5 {
		t.Fatalf("batch %v err %v, want one row 5", b, err)
	}
	rows.Close()

	q, err := db.Query(ctx, "SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := q.Changes(); ok {
		t.Error("a query's result is marked as changed rows")
	}
	q.Close()

	sdb, err := sql.Open("peregrine", duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	res, err := sdb.Exec("COPY (SELECT * FROM nation) TO '" + filepath.Join(dir, "n") + "' (FORMAT parquet, PARTITION_BY (n_regionkey))")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 25 {
		t.Errorf("RowsAffected = %d, %v; want 25", n, err)
	}
	var count int64
	if err := sdb.QueryRow("COPY (SELECT * FROM region WHERE r_regionkey < ?) TO '"+filepath.Join(dir, "r2.parquet")+"'", 2).Scan(&count); err != nil || count != 2 {
		t.Errorf("COPY through QueryRow: %d, %v; want 2", count, err)
	}
}
