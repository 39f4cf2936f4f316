package storage_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/storage"
	"github.com/peregrinedb/peregrine/storage/objtest"
)

const sf001 = "../testdata/tpch-sf0.01-duckdb"

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sf001, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lake fills an S3 server: the TPC-H tables under tpch/, and a hive
// dataset of nation copies under events/year=Y/month=M/, with files that
// readers skip (_SUCCESS, a .staging folder).
func lake(t *testing.T) (*objtest.S3, *objtest.Proxy) {
	s := objtest.StartS3(t)
	s.Bucket(t, "lake")
	objtest.UploadDir(t, sf001, "tpch", func(k string, b []byte) { s.Put(t, "lake", k, b) })
	nation := readFile(t, "nation.parquet")
	for _, y := range []string{"2023", "2024"} {
		for _, m := range []string{"1", "2", "11"} {
			s.Put(t, "lake", "events/year="+y+"/month="+m+"/part-0.parquet", nation)
		}
	}
	s.Put(t, "lake", "events/_SUCCESS", nil)
	s.Put(t, "lake", "events/.staging/year=2025/month=1/part-0.parquet", nation)
	p := objtest.StartProxy(t, s.URL, 1)
	objtest.Env(t, p.URL)
	return s, p
}

func TestObjectStoreCatalog(t *testing.T) {
	s, p := lake(t)
	cat, err := storage.Open("s3://lake/tpch/")
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	ctx := context.Background()
	p.ResetCounts()
	q := cat.Query(ctx)
	names, err := q.TableNames()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"}; !slices.Equal(names, want) {
		t.Fatalf("tables %v", names)
	}
	for _, n := range []string{"lineitem", "orders", "LINEITEM"} {
		if _, err := q.Table(n); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.Count("LIST"); n != 0 {
		t.Fatalf("the first query listed the database folder %d times: Open's listing serves it", n)
	}
	// Listing the folder started reading all eight tables' footers at once;
	// the two the query opened joined those reads.
	for deadline := time.Now().Add(10 * time.Second); cat.FootersOpened() < 8 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if n := cat.FootersOpened(); n != 8 {
		t.Fatalf("%d footers read, want the 8 tables'", n)
	}
	if n := p.Count("GET"); n != 8 {
		t.Fatalf("%d GETs for eight footers: each should be one ranged read of the tail", n)
	}

	// The next query lists again and finds the same ETags: no footer is
	// read again. A rewritten object is.
	if _, err := cat.Query(ctx).Table("lineitem"); err != nil {
		t.Fatal(err)
	}
	if n := p.Count("LIST"); n != 1 {
		t.Fatalf("the second query listed the database folder %d times, want 1", n)
	}
	if n := cat.FootersOpened(); n != 8 {
		t.Fatalf("an unchanged object's footer was read again (%d)", n)
	}
	s.Put(t, "lake", "tpch/lineitem.parquet", readFile(t, "orders.parquet"))
	tb, err := cat.Query(ctx).Table("lineitem")
	if err != nil {
		t.Fatal(err)
	}
	if n := cat.FootersOpened(); n != 9 || tb.Columns[0].Name != "o_orderkey" {
		t.Fatalf("a rewritten object kept its old footer (%d footers, column %s)", n, tb.Columns[0].Name)
	}
	if _, err := cat.Query(ctx).Table("nosuch"); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing table: %v", err)
	}
}

func TestObjectStoreGlobsAndHive(t *testing.T) {
	_, p := lake(t)
	cat, err := storage.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	ctx := context.Background()
	for _, c := range []struct {
		pattern string
		files   int
	}{
		{"s3://lake/events/**/*.parquet", 6},
		{"s3://lake/events/*/month=1/*.parquet", 2},
		{"s3://lake/events/year=2024/*/part-?.parquet", 3},
		{"s3://lake/events/year=202[3]/month=1*/*.parquet", 2},
		{"s3://lake/events", 6},
		{"s3://lake/events/", 6},
		{"s3://lake/events/**", 6},
		{"s3://lake/tpch/*.parquet", 8},
	} {
		p.ResetCounts()
		d, err := cat.Query(ctx).Dataset(ctx, []string{c.pattern}, storage.DatasetOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		if len(d.Files) != c.files {
			t.Fatalf("%s: %d files, want %d", c.pattern, len(d.Files), c.files)
		}
		if strings.HasPrefix(c.pattern, "s3://lake/events") {
			if n := len(d.PartitionCols); n == 0 || d.PartitionCols[n-1].Name != "month" {
				t.Fatalf("%s: partitions %v", c.pattern, d.PartitionCols)
			}
			// Only the first footer is read before pruning.
			if n := p.Count("GET"); n > 1 {
				t.Fatalf("%s: %d GETs before pruning", c.pattern, n)
			}
		}
	}
	d, err := cat.Query(ctx).Dataset(ctx, []string{"s3://lake/events/**/*.parquet"}, storage.DatasetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := d.PrunePartitions([]storage.PartitionPredicate{{Col: 1, Op: scan.OpEq, Vals: d.Files[0].Partition[1:2]}})
	if len(kept) != 2 {
		t.Fatalf("pruning on month kept %d files", len(kept))
	}
	if _, err := cat.Query(ctx).Dataset(ctx, []string{"s3://lake/events/*/month=9/*.parquet"}, storage.DatasetOptions{}); err == nil || !strings.Contains(err.Error(), "No files found") {
		t.Fatalf("no match: %v", err)
	}
	if _, err := cat.Query(ctx).Dataset(ctx, []string{"s3://nobucket/x.parquet"}, storage.DatasetOptions{}); err == nil || !strings.Contains(err.Error(), "s3://nobucket/x.parquet") {
		t.Fatalf("missing bucket: %v", err)
	}
}

// TestGCSGlobs: the same listing through GCS's delimiter semantics.
func TestGCSGlobs(t *testing.T) {
	g := objtest.StartGCS(t)
	g.Bucket("lake")
	nation := readFile(t, "nation.parquet")
	for _, k := range []string{"ev/year=1/a.parquet", "ev/year=2/a.parquet", "ev/year=2/b.parquet", "ev/_tmp/c.parquet"} {
		g.Put("lake", k, nation)
	}
	objtest.GCSEnv(t, g.URL)
	cat, _ := storage.Open("")
	ctx := context.Background()
	for pat, n := range map[string]int{"gs://lake/ev/*/*.parquet": 3, "gs://lake/ev/**/*.parquet": 3, "gs://lake/ev/year=2/*": 2, "gs://lake/ev": 3} {
		d, err := cat.Query(ctx).Dataset(ctx, []string{pat}, storage.DatasetOptions{})
		if err != nil || len(d.Files) != n {
			t.Fatalf("%s: %v, %v", pat, d, err)
		}
	}
}

// TestRemoteNDVFromFooters: over an object store, chunks that agree on a
// small distinct count and on min and max (n_regionkey: 0 to 4 in every
// copy of nation) are estimated from the footers alone, without reading a
// dictionary page; the estimate is the one the sketches give locally.
func TestRemoteNDVFromFooters(t *testing.T) {
	_, p := lake(t)
	cat, err := storage.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	tb, err := cat.Query(context.Background()).Table("s3://lake/events/*/*/*.parquet")
	if err != nil {
		t.Fatal(err)
	}
	col := slices.IndexFunc(tb.Columns, func(c scan.Column) bool { return c.Name == "n_regionkey" })
	p.ResetCounts()
	ndv, ok := storage.ColumnNDV(tb, col)
	if !ok || math.Abs(ndv-5) > 0.5 {
		t.Errorf("n_regionkey over S3: %v, %v; want 5", ndv, ok)
	}
	if n := p.Requests.Load(); n != 0 {
		t.Errorf("%d requests for an estimate the footers answer", n)
	}
}
