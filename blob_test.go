package peregrine_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

const blobQuery = `SELECT '\xAA\x00b'::BLOB AS b, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::UUID AS u`

// Arrow results carry BLOB as Binary (its bytes) and UUID as its text;
// COPY TO Parquet writes BLOB as an unannotated BYTE_ARRAY, which reads
// back as BLOB, and UUID as VARCHAR.
func TestBlobArrowAndParquet(t *testing.T) {
	dir := t.TempDir()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rr, err := db.QueryArrow(ctx, blobQuery)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	if got := rr.Schema().String(); !strings.Contains(got, "b: type=binary") || !strings.Contains(got, "u: type=utf8") {
		t.Errorf("schema %s", got)
	}
	if !rr.Next() {
		t.Fatal("no batch")
	}
	rec := rr.RecordBatch()
	if v := rec.Column(0).(*array.Binary).Value(0); string(v) != "\xAA\x00b" {
		t.Errorf("BLOB %q", v)
	}
	if v := rec.Column(1).(*array.String).Value(0); v != "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" {
		t.Errorf("UUID %q", v)
	}
	path := filepath.Join(dir, "b.parquet")
	if err := db.Exec(ctx, "COPY ("+blobQuery+") TO '"+path+"'"); err != nil {
		t.Fatal(err)
	}
	vals := queryValues(t, db, "SELECT typeof(b), typeof(u), b, u FROM '"+path+"'")
	if g, w := strings.Join(vals, " "), `BLOB VARCHAR \xAA\x00b a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11`; g != w {
		t.Errorf("read back\n got %s\nwant %s", g, w)
	}
}

// CSV holds blobs as their \xNN text both ways, as DuckDB writes them;
// UUID columns accept DuckDB's spellings.
func TestBlobCSV(t *testing.T) {
	dir := t.TempDir()
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	path := filepath.Join(dir, "b.csv")
	if err := db.Exec(ctx, "COPY (SELECT '\\xAA\\x00b'::BLOB AS b, '{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}' AS u) TO '"+path+"'"); err != nil {
		t.Fatal(err)
	}
	r, err := db.Query(ctx, "SELECT b, u FROM read_csv('"+path+"', columns={'b': 'BLOB', 'u': 'UUID'})")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := r.Next(ctx)
	if err != nil || b == nil {
		t.Fatal(err, b)
	}
	row := b.Row(0)
	got := coldata.Format(r.Columns()[0].Type, row[0]) + " " + coldata.Format(r.Columns()[1].Type, row[1])
	if want := `\xAA\x00b a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
