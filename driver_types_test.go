package peregrine_test

import (
	"database/sql"
	"reflect"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine"
)

// Expected values are DuckDB 1.5.5's (duckq) for the same expressions.
func TestDatabaseSQLTypes(t *testing.T) {
	db, err := sql.Open("peregrine", "testdata/tpch-sf0.01-duckdb")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := "SELECT sum(l_quantity) AS q, CAST(12.5 AS DECIMAL(10,2)) AS d, DATE '1995-03-15' AS dt, " +
		"CAST('1995-03-15 10:20:30' AS TIMESTAMP) AS ts FROM lineitem"
	var (
		qi  int64
		qf  float64
		qs  string
		qd  peregrine.Decimal
		df  float64
		ds  string
		dt  time.Time
		ts  time.Time
		bad int64
	)
	if err := db.QueryRow(q).Scan(&qi, &df, &dt, &ts); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(q).Scan(&qf, &ds, &dt, &ts); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(q).Scan(&qs, &qd, &dt, &ts); err != nil {
		t.Fatal(err)
	}
	if qi != 1536127 || qf != 1536127 || qs != "1536127.00" || qd != "12.50" || df != 12.5 || ds != "12.50" {
		t.Errorf("decimals: %d %v %q %q %v %q", qi, qf, qs, qd, df, ds)
	}
	if !dt.Equal(time.Date(1995, 3, 15, 0, 0, 0, 0, time.UTC)) || !ts.Equal(time.Date(1995, 3, 15, 10, 20, 30, 0, time.UTC)) {
		t.Errorf("times: %v %v", dt, ts)
	}
	// A fractional decimal does not scan into an integer.
	if err := db.QueryRow("SELECT CAST(12.5 AS DECIMAL(10,2))").Scan(&bad); err == nil {
		t.Errorf("12.50 scanned into int64 as %d", bad)
	}
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	cts, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if n := cts[1].DatabaseTypeName(); n != "DECIMAL(10,2)" {
		t.Errorf("DatabaseTypeName = %q", n)
	}
	if p, s, ok := cts[1].DecimalSize(); !ok || p != 10 || s != 2 {
		t.Errorf("DecimalSize = %d %d %v", p, s, ok)
	}
	if _, _, ok := cts[2].DecimalSize(); ok {
		t.Error("DATE has a decimal size")
	}
	if st := cts[2].ScanType(); st != reflect.TypeOf(time.Time{}) {
		t.Errorf("DATE ScanType = %v", st)
	}
	if st := cts[1].ScanType(); st != reflect.TypeOf(peregrine.Decimal("")) {
		t.Errorf("DECIMAL ScanType = %v", st)
	}
	if n, ok := cts[0].Nullable(); !n || !ok {
		t.Errorf("Nullable = %v %v", n, ok)
	}
}

func TestDatabaseSQLNested(t *testing.T) {
	db, err := sql.Open("peregrine", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tags []any
	var s map[string]any
	var m map[any]any
	err = db.QueryRow("SELECT tags, s, m FROM 'testdata/nested/nested.parquet' WHERE id = 1").Scan(&tags, &s, &m)
	if err != nil {
		t.Fatal(err)
	}
	// DuckDB: tags = [a, b], s = {'a': 1, 'b': x}, m = {k1=1, k2=2}
	if !reflect.DeepEqual(tags, []any{"a", "b"}) || !reflect.DeepEqual(s, map[string]any{"a": int64(1), "b": "x"}) ||
		!reflect.DeepEqual(m, map[any]any{"k1": int64(1), "k2": int64(2)}) {
		t.Errorf("nested: %#v %#v %#v", tags, s, m)
	}
}
