package storage

import (
	"context"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// badLayout writes 8 tiny uncompressed partitions by bucket, 1,000 rows of
// shuffled timestamps each in row groups of 100 rows.
func badLayout(t *testing.T) string {
	types := []coldata.Type{coldata.TypeInt32, coldata.TypeTimestamp, coldata.TypeString, coldata.TypeInt64}
	names := []string{"bucket", "ts", "city", "payload"}
	rng := rand.New(rand.NewSource(1))
	var rows [][]coldata.Datum
	for i := 0; i < 8000; i++ {
		rows = append(rows, []coldata.Datum{
			{I: int64(i % 8)}, {I: 1_700_000_000_000_000 + rng.Int63n(1e12)},
			{S: []string{"Lyon", "Oslo", "Lima"}[rng.Intn(3)]}, {I: int64(i % 50)},
		})
	}
	dir := filepath.Join(t.TempDir(), "bad")
	_, err := WriteParquet(context.Background(), &rowSource{types: types, rows: rows, size: 512}, types, names, dir,
		WriteOptions{PartitionBy: []string{"bucket"}, RowGroupSize: 100, Compression: "none"})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestInspectBadLayout(t *testing.T) {
	dir := badLayout(t)
	cat, _ := Open("")
	defer cat.Close()
	r, err := Inspect(context.Background(), cat, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Files) != 8 || r.Rows != 8000 || r.RowGroups != 80 || len(r.Partitions) != 8 {
		t.Fatalf("files %d rows %d row groups %d partitions %d", len(r.Files), r.Rows, r.RowGroups, len(r.Partitions))
	}
	byKind := map[string]Suggestion{}
	for _, s := range r.Suggestions {
		byKind[s.Kind] = s
	}
	cases := []struct {
		kind string
		want []string
	}{
		{"file-size", []string{"8 of 8 files are under 50.0 MiB"}},
		{"codec", []string{"UNCOMPRESSED", "zstd measured", "snappy"}},
		{"row-group-size", []string{"averaging 100 rows, below 100000", "ROW_GROUP_SIZE 122880"}},
		{"partition-drop", []string{"8 partitions", "bucket"}},
		{"sort", []string{"sort by ts", "79 row groups"}},
	}
	for _, c := range cases {
		s, ok := byKind[c.kind]
		if !ok {
			t.Errorf("no %s suggestion in:\n%s", c.kind, r.Text())
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(s.What+" "+s.Why, w) {
				t.Errorf("%s suggestion lacks %q: %s / %s", c.kind, w, s.What, s.Why)
			}
		}
	}
	// The payload column cycles within each file: its ranges overlap fully
	// too, but a timestamp is the better sort key.
	if strings.Contains(byKind["sort"].What, "payload") {
		t.Errorf("sort suggestion prefers payload: %s", byKind["sort"].What)
	}
	for _, c := range r.Columns {
		if c.Name == "ts" && c.Overlap < 0.9 {
			t.Errorf("ts overlap %.2f, want ≥ 0.9 for shuffled data", c.Overlap)
		}
	}
	text := r.Text()
	t.Log(text)
	for _, w := range []string{"8 files", "partitions (bucket BIGINT): 8", "UNCOMPRESSED", "why:"} {
		if !strings.Contains(text, w) {
			t.Errorf("Text lacks %q:\n%s", w, text)
		}
	}

	// With a lower size bar, the low-cardinality city column is a partition
	// candidate.
	g := DefaultGuidance
	g.MinFileBytes = 1 << 10
	r, err = InspectWith(context.Background(), cat, dir, g)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range r.Suggestions {
		found = found || (s.Kind == "partition-add" && strings.Contains(s.What, "city") && strings.Contains(s.Why, "3 distinct"))
	}
	if !found {
		t.Errorf("no partition-add for city:\n%s", r.Text())
	}
}

func TestInspectGoodLayout(t *testing.T) {
	types := []coldata.Type{coldata.TypeInt64}
	var rows [][]coldata.Datum
	for i := 0; i < 1000; i++ {
		rows = append(rows, []coldata.Datum{{I: int64(i)}})
	}
	path := filepath.Join(t.TempDir(), "good.parquet")
	if _, err := WriteParquet(context.Background(), &rowSource{types: types, rows: rows, size: 100}, types, []string{"id"}, path, WriteOptions{Compression: "zstd"}); err != nil {
		t.Fatal(err)
	}
	cat, _ := Open("")
	defer cat.Close()
	r, err := Inspect(context.Background(), cat, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Suggestions) != 0 {
		t.Errorf("suggestions for a good layout:\n%s", r.Text())
	}
}
