package storage

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

var (
	manyOnce sync.Once
	manyDir  string
	manyErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if manyDir != "" {
		os.RemoveAll(manyDir)
	}
	os.Exit(code)
}

// manyFiles writes 10,000 tiny files once per test binary: 100 day=N
// partitions of 100 files. Every file has the same bytes (written by arrow-go
// once): the point is the cost of listing and footers, not of data.
func manyFiles(b *testing.B) string {
	manyOnce.Do(func() {
		manyDir, manyErr = os.MkdirTemp("", "peregrine-10000-")
		if manyErr != nil {
			return
		}
		proto := filepath.Join(manyDir, "proto.parquet")
		writeJSON(b, proto, []arrow.Field{fInt64("id"), fStr("name"), fDec("amount", 12, 2)},
			`[{"id": 1, "name": "a", "amount": "1.50"}, {"id": 2, "name": "b", "amount": "2.25"}]`)
		data, err := os.ReadFile(proto)
		if manyErr = err; err != nil {
			return
		}
		os.Remove(proto)
		for d := 0; d < 100; d++ {
			dir := filepath.Join(manyDir, "t", fmt.Sprintf("day=%d", d))
			if manyErr = os.MkdirAll(dir, 0o755); manyErr != nil {
				return
			}
			for k := 0; k < 100; k++ {
				if manyErr = os.WriteFile(filepath.Join(dir, fmt.Sprintf("part-%03d.parquet", k)), data, 0o644); manyErr != nil {
					return
				}
			}
		}
	})
	if manyErr != nil {
		b.Fatal(manyErr)
	}
	return filepath.Join(manyDir, "t")
}

// BenchmarkPlan10000Files measures what planning a query over 10,000 files
// costs: listing, hive parsing and every footer (cold catalog cache, warm OS
// page cache), then the same with the catalog's footer cache warm.
func BenchmarkPlan10000Files(b *testing.B) {
	root := manyFiles(b)
	ctx := context.Background()
	for _, mode := range []struct {
		name  string
		opts  DatasetOptions
		warm  bool
		prune bool
	}{
		{"cold", DatasetOptions{}, false, false},
		{"cold-union_by_name", DatasetOptions{UnionByName: true}, false, false},
		{"cold-pruned-to-1pct", DatasetOptions{}, false, true},
		{"warm", DatasetOptions{}, true, false},
	} {
		b.Run(mode.name, func(b *testing.B) {
			warm, _ := Open("")
			defer warm.Close()
			if mode.warm {
				d, err := warm.Dataset(ctx, []string{root}, mode.opts)
				if err == nil {
					_, err = d.Table(ctx, d.Files)
				}
				if err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
			}
			for i := 0; i < b.N; i++ {
				cat := warm
				if !mode.warm {
					cat, _ = Open("")
				}
				d, err := cat.Dataset(ctx, []string{root}, mode.opts)
				if err != nil {
					b.Fatal(err)
				}
				files := d.Files
				if mode.prune {
					files, _ = d.PrunePartitions([]PartitionPredicate{{Col: 0, Op: scan.OpEq, Vals: []coldata.Datum{{I: 7}}}})
				}
				tb, err := d.Table(ctx, files)
				if err != nil {
					b.Fatal(err)
				}
				if len(tb.Files) != len(files) || len(files) != 100 && mode.prune || len(files) < 100 {
					b.Fatalf("%d files", len(tb.Files))
				}
				if !mode.warm {
					cat.Close()
				}
			}
		})
	}
}

// BenchmarkPageChecksums measures the pass that adds page CRCs to a
// written file (the extra work of COPY's default over PAGE_CHECKSUMS
// false), in bytes of Parquet per second.
func BenchmarkPageChecksums(b *testing.B) {
	dir := b.TempDir()
	src := filepath.Join(dir, "plain.parquet")
	rows := allTypeRows(400_000)
	if _, err := WriteParquet(context.Background(), &rowSource{types: allTypes, rows: rows, size: 2048}, allTypes, allNames, src, WriteOptions{NoPageChecksums: true}); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	b.SetBytes(st.Size())
	b.ResetTimer()
	for range b.N {
		if err := addPageChecksums(f, st.Size(), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
