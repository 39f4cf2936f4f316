package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// TestInspectAdviceRuns lays out a folder of two badly written tables,
// inspects it, and runs every suggested command exactly as printed: each
// must succeed and keep every row. Advice is per table and names only
// that table's columns.
func TestInspectAdviceRuns(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	if err := os.Mkdir(dir, 0o755); err != nil { // COPY creates the target, not its parents (DuckDB)
		t.Fatal(err)
	}
	db, err := peregrine.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for _, q := range []string{
		"COPY (SELECT * FROM lineitem ORDER BY l_comment) TO '" + dir + "/lineitem' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 2000, PARTITION_BY (l_returnflag))",
		"COPY (SELECT * FROM orders ORDER BY o_comment) TO '" + dir + "/orders.parquet' (FORMAT parquet, ROW_GROUP_SIZE 1000)",
	} {
		if err := db.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	reps, err := inspectPath(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 2 {
		t.Fatalf("%d reports for a folder of 2 tables", len(reps))
	}
	rowsOf := map[string]int64{}
	ran := 0
	for _, r := range reps {
		own := strings.Contains(r.Path, "orders")
		rowsOf[r.Path] = r.Rows
		for _, s := range r.Suggestions {
			if s.Kind == "sort" && strings.Contains(s.What, "l_") == own {
				t.Errorf("%s: sort advice names another table's column: %s", r.Path, s.What)
			}
			if s.Command == "" || !strings.HasSuffix(s.What, s.Command) {
				t.Errorf("%s: suggestion without its command as printed: %+v", r.Path, s)
				continue
			}
			out := filepath.Join(filepath.Dir(r.Path), strings.TrimSuffix(filepath.Base(r.Path), ".parquet")+"_rewritten")
			os.RemoveAll(out)
			os.Remove(out + ".parquet")
			if err := db.Exec(ctx, s.Command); err != nil {
				t.Errorf("%s: %s: %v", r.Path, s.Command, err)
				continue
			}
			ran++
			var n int64
			src := out + ".parquet"
			if st, err := os.Stat(out); err == nil && st.IsDir() {
				src = out + "/**/*.parquet"
			}
			rows, err := db.Query(ctx, "SELECT count(*) FROM read_parquet('"+src+"')")
			if err == nil {
				b, _ := rows.Next(ctx)
				if b != nil {
					n = b.Vecs[0].I64[0]
				}
				rows.Close()
			}
			if n != r.Rows {
				t.Errorf("%s: %s wrote %d rows, want %d (%v)", r.Path, s.Command, n, r.Rows, err)
			}
		}
	}
	if ran < 4 {
		t.Errorf("only %d suggestions ran; reports:\n%s\n%s", ran, reps[0].Text(), reps[1].Text())
	}
}

func TestInspectHTML(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.html")
	stdout, stderr, code := runCLI(t, "", "inspect", "--html", out, dataDir)
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	h := string(b)
	for _, want := range []string{"<!DOCTYPE html>", "Row-group sizes", "Codecs and encodings per column", "l_shipdate", "PLAIN_DICTIONARY", "lineitem.parquet", "orders.parquet"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(h, "<script") || strings.Contains(h, "http") {
		t.Error("HTML is not self-contained")
	}
	if strings.Count(stdout, " files, ") != 8 {
		t.Errorf("expected 8 per-table reports:\n%s", stdout)
	}
}
