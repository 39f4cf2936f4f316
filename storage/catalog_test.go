package storage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const sf001 = "../testdata/tpch-sf0.01-duckdb"

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, filepath.Join(sf001, "nation.parquet"), filepath.Join(dir, "nation.parquet"))
	// A folder table, nested, with a hidden folder that must be ignored.
	copyFile(t, filepath.Join(sf001, "region.parquet"), filepath.Join(dir, "regions", "a", "part-0.parquet"))
	copyFile(t, filepath.Join(sf001, "region.parquet"), filepath.Join(dir, "regions", "b", "part-1.parquet"))
	copyFile(t, filepath.Join(sf001, "region.parquet"), filepath.Join(dir, "regions", ".tmp", "junk.parquet"))
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)

	cat, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	names, err := cat.TableNames()
	if err != nil || strings.Join(names, ",") != "nation,regions" {
		t.Fatalf("TableNames = %v, %v", names, err)
	}
	cases := []struct {
		name  string
		files int
		rows  int64
	}{
		{"nation", 1, 25},
		{"NATION", 1, 25},
		{"regions", 2, 10},
		{filepath.Join(dir, "regions"), 2, 10},
		{filepath.Join(dir, "regions", "*", "*.parquet"), 2, 10},
		{filepath.Join(dir, "regions", "**", "*.parquet"), 2, 10},
		{filepath.Join(dir, "regions", ".tmp", "*.parquet"), 1, 5},
		{filepath.Join(dir, "nation.parquet"), 1, 25},
	}
	for _, c := range cases {
		tb, err := cat.Table(c.name)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(tb.Files) != c.files || tb.NumRows != c.rows {
			t.Errorf("%s: %d files, %d rows; want %d, %d", c.name, len(tb.Files), tb.NumRows, c.files, c.rows)
		}
	}
	for _, bad := range []string{"nosuch", filepath.Join(dir, "none*.parquet"), "/no/such/file.parquet"} {
		if _, err := cat.Table(bad); err == nil {
			t.Errorf("%s: want error", bad)
		}
	}
}

func TestSchemaMismatch(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, filepath.Join(sf001, "nation.parquet"), filepath.Join(dir, "t", "a.parquet"))
	copyFile(t, filepath.Join(sf001, "region.parquet"), filepath.Join(dir, "t", "b.parquet"))
	cat, _ := Open(dir)
	defer cat.Close()
	_, err := cat.Table("t")
	if err == nil || !strings.Contains(err.Error(), "a.parquet") || !strings.Contains(err.Error(), "b.parquet") {
		t.Fatalf("want an error naming both files, got %v", err)
	}
}

func TestFileCacheSeesChanges(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.parquet")
	copyFile(t, filepath.Join(sf001, "nation.parquet"), p)
	cat, _ := Open(dir)
	defer cat.Close()
	a, err := cat.Table("x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := cat.Table("x")
	if a.Files[0] != b.Files[0] {
		t.Error("unchanged file was reopened")
	}
	copyFile(t, filepath.Join(sf001, "region.parquet"), p)
	os.Chtimes(p, time.Now().Add(time.Minute), time.Now().Add(time.Minute))
	c, err := cat.Table("x")
	if err != nil {
		t.Fatal(err)
	}
	if c.NumRows != 5 {
		t.Errorf("changed file: %d rows, want 5", c.NumRows)
	}
}

func TestColumnRange(t *testing.T) {
	cat, _ := Open(sf001)
	defer cat.Close()
	tb, err := cat.Table("nation")
	if err != nil {
		t.Fatal(err)
	}
	lo, hi, ok := ColumnRange(tb, 0)
	if !ok || lo.I != 0 || hi.I != 24 {
		t.Errorf("n_nationkey range = %v..%v (%v)", lo, hi, ok)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open("/no/such/dir"); err == nil {
		t.Error("want error for a missing directory")
	}
	f := filepath.Join(t.TempDir(), "f")
	os.WriteFile(f, nil, 0o644)
	if _, err := Open(f); err == nil || !strings.Contains(err.Error(), "Not a directory") {
		t.Errorf("got %v", err)
	}
}
