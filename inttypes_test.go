package peregrine_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/peregrinedb/peregrine"
)

const kindsQuery = "SELECT -5::TINYINT AS a, 300::SMALLINT AS b, 255::UTINYINT AS c, 65535::USMALLINT AS d, " +
	"4294967295::UINTEGER AS e, 18446744073709551615::UBIGINT AS f, 0.1::FLOAT AS g"

// The small, unsigned and FLOAT types keep their names and values through
// database/sql (UBIGINT as uint64, FLOAT as float32, as DuckDB's Go driver).
func TestKindsDatabaseSQL(t *testing.T) {
	db, err := sql.Open("peregrine", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(kindsQuery)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cts {
		names = append(names, c.DatabaseTypeName()+":"+c.ScanType().String())
	}
	want := "TINYINT:int64 SMALLINT:int64 UTINYINT:int64 USMALLINT:int64 UINTEGER:int64 UBIGINT:uint64 FLOAT:float32"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("column types\n got %s\nwant %s", got, want)
	}
	var a, b, c, d, e int64
	var f uint64
	var g float32
	if !rows.Next() {
		t.Fatal("no row")
	}
	if err := rows.Scan(&a, &b, &c, &d, &e, &f, &g); err != nil {
		t.Fatal(err)
	}
	if a != -5 || b != 300 || c != 255 || d != 65535 || e != 4294967295 || f != 18446744073709551615 || g != 0.1 {
		t.Errorf("values %v %v %v %v %v %v %v", a, b, c, d, e, f, g)
	}
}

// Arrow results use Arrow's narrow, unsigned and float32 types, and
// COPY TO Parquet writes them with Parquet's integer logical types, which
// read back as the same types.
func TestKindsArrowAndParquet(t *testing.T) {
	dir := t.TempDir()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rr, err := db.QueryArrow(context.Background(), kindsQuery)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	want := []string{"a: type=int8", "b: type=int16", "c: type=uint8", "d: type=uint16", "e: type=uint32", "f: type=uint64", "g: type=float32"}
	got := rr.Schema().String()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("schema lacks %q: %s", w, got)
		}
	}
	if !rr.Next() {
		t.Fatal("no batch")
	}
	rec := rr.RecordBatch()
	if v := rec.Column(5).(*array.Uint64).Value(0); v != 18446744073709551615 {
		t.Errorf("UBIGINT %d", v)
	}
	if v := rec.Column(6).(*array.Float32).Value(0); v != 0.1 {
		t.Errorf("FLOAT %v", v)
	}
	path := filepath.Join(dir, "k.parquet")
	ctx := context.Background()
	if err := db.Exec(ctx, "COPY ("+kindsQuery+") TO '"+path+"'"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	vals := queryValues(t, db, "SELECT typeof(a), typeof(b), typeof(c), typeof(d), typeof(e), typeof(g), a, c, e, g::VARCHAR FROM '"+path+"'")
	if g, w := strings.Join(vals, " "), "TINYINT SMALLINT UTINYINT USMALLINT UINTEGER FLOAT -5 255 4294967295 0.1"; g != w {
		t.Errorf("read back\n got %s\nwant %s", g, w)
	}
}

// CSV and JSON fields read into the kinded types are held to their ranges:
// 300 in a TINYINT column is an error, as in DuckDB, not a wrapped value.
func TestKindsTextReaders(t *testing.T) {
	dir := t.TempDir()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	csvPath, jsonPath := filepath.Join(dir, "k.csv"), filepath.Join(dir, "k.json")
	if err := os.WriteFile(csvPath, []byte("a,b\n1,0.1\n300,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(jsonPath, []byte("{\"a\": 1, \"b\": 0.1}\n{\"a\": 300, \"b\": 2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"SELECT * FROM read_csv('" + csvPath + "', types={'a':'TINYINT'})":      `Could not convert string "300" to 'TINYINT'`,
		"SELECT * FROM read_json('" + jsonPath + "', columns={'a':'UTINYINT'})": "Could not convert 300 to UTINYINT",
	} {
		r, err := db.Query(ctx, q)
		if err == nil {
			_, err = r.Next(ctx)
			r.Close()
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", q, err, want)
		}
	}
}
