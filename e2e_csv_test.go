package peregrine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestCSVSandbox: CSV and JSON reads and writes go through the catalog's
// file systems, so allowed_directories bounds them like Parquet's.
func TestCSVSandbox(t *testing.T) {
	root := t.TempDir()
	in, out := filepath.Join(root, "in"), filepath.Join(root, "out")
	for _, d := range []string{in, out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(d, "x.csv"), []byte("a,b\n1,2\n"), 0o644)
		os.WriteFile(filepath.Join(d, "x.json"), []byte(`{"a":1}`), 0o644)
	}
	db, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Exec(ctx, "SET allowed_directories = ['"+in+"']; SET enable_external_access = false"); err != nil {
		t.Fatal(err)
	}
	wantRows(t, db, "SELECT * FROM '"+in+"/x.csv'", 1)
	wantRows(t, db, "SELECT * FROM read_json('"+in+"/*.json')", 1)
	if err := db.Exec(ctx, "COPY (SELECT 1 AS a) TO '"+in+"/y.csv'"); err != nil {
		t.Errorf("COPY into an allowed folder: %v", err)
	}
	for _, q := range []string{
		"SELECT * FROM '" + out + "/x.csv'",
		"SELECT * FROM read_csv('" + in + "/../out/x.csv')",
		"SELECT * FROM read_csv(['" + in + "/x.csv', '" + out + "/x.csv'])",
		"SELECT * FROM read_ndjson('" + out + "/x.json')",
		"COPY (SELECT 1 AS a) TO '" + out + "/y.csv'",
	} {
		wantPermission(t, db, q)
	}
	if _, err := os.Stat(filepath.Join(out, "y.csv")); err == nil {
		t.Error("y.csv was written outside")
	}
}

// TestCSVCancel: a cancelled query stops its CSV readers and leaves no
// goroutine blocked on the chunk queue.
func TestCSVCancel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("a,b\n")
	line := []byte("12345,some text here\n")
	for i := 0; i < 200000; i++ {
		f.Write(line)
	}
	f.Close()
	db, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rows, err := db.Query(ctx, "SELECT a, b FROM '"+path+"'")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var last error
	for k := 0; ; k++ {
		b, err := rows.Next(ctx)
		if err != nil || b == nil {
			last = err
			break
		}
		n += b.Len()
		if k == 2 {
			cancel()
		}
	}
	if last == nil || n >= 200000 {
		t.Errorf("after cancel: %d rows, err %v", n, last)
	}
	rows.Close()
}

// TestCSVSmallMemory: a grouped query over a CSV file under a small
// memory_limit gives the answer it gives without one (the aggregate
// spills; the scan's chunks are booked, not refused).
func TestCSVSmallMemory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.csv")
	var sb []byte
	sb = append(sb, "k,v\n"...)
	for i := 0; i < 300000; i++ {
		sb = fmt.Appendf(sb, "key%d,%d\n", i%50000, i)
	}
	if err := os.WriteFile(path, sb, 0o644); err != nil {
		t.Fatal(err)
	}
	q := "SELECT count(*), sum(s), max(k) FROM (SELECT k, sum(v) AS s FROM '" + path + "' GROUP BY k)"
	run := func(setup string) string {
		db, err := Open("")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if setup != "" {
			if err := db.Exec(context.Background(), setup); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := db.Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for {
			b, err := rows.Next(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if b == nil {
				break
			}
			for k := 0; k < b.Len(); k++ {
				out = append(out, fmt.Sprint(b.Row(k)))
			}
		}
		return fmt.Sprint(out)
	}
	want := run("")
	if got := run("SET memory_limit = '4MB'"); got != want {
		t.Errorf("under 4MB: %s, want %s", got, want)
	}
}
