package csv

import (
	"context"
	"io"
	"os"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	arrowcsv "github.com/apache/arrow-go/v18/arrow/csv"
	"github.com/peregrinedb/peregrine/storage"
)

// BenchmarkReaders compares this package's reader with arrow-go's CSV
// reader on the file named by PEREGRINE_CSV_BENCH (for instance TPC-H
// lineitem written by DuckDB), both converting every column to typed
// columns with the types our sniffer found.
func BenchmarkReaders(b *testing.B) {
	path := os.Getenv("PEREGRINE_CSV_BENCH")
	if path == "" {
		b.Skip("PEREGRINE_CSV_BENCH names a CSV file")
	}
	f := localFile(b, path)
	s, err := NewScan(context.Background(), []FileRef{f}, Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	cols := make([]int, len(s.Columns))
	var fields []arrow.Field
	for i, c := range s.Columns {
		cols[i] = i
		at, err := storage.ArrowType(c.Type)
		if err != nil {
			b.Fatal(err)
		}
		fields = append(fields, arrow.Field{Name: c.Name, Type: at, Nullable: true})
	}
	for _, workers := range []int{1, 2} {
		b.Run("peregrine/"+string(rune('0'+workers)), func(b *testing.B) {
			b.SetBytes(f.Info.Size)
			for i := 0; i < b.N; i++ {
				run, err := s.Start(context.Background(), cols, workers)
				if err != nil {
					b.Fatal(err)
				}
				var wg sync.WaitGroup
				var rows int64
				var mu sync.Mutex
				for w := 0; w < workers; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						r := run.Reader()
						n := 0
						for {
							bt, err := r.Next(context.Background())
							if err == io.EOF {
								break
							}
							if err != nil {
								b.Error(err)
								return
							}
							n += bt.Len()
						}
						mu.Lock()
						rows += int64(n)
						mu.Unlock()
					}()
				}
				wg.Wait()
				run.Close()
				b.ReportMetric(float64(rows), "rows")
			}
		})
	}
	b.Run("arrow-go", func(b *testing.B) {
		b.SetBytes(f.Info.Size)
		for i := 0; i < b.N; i++ {
			fh, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			r := arrowcsv.NewReader(fh, arrow.NewSchema(fields, nil), arrowcsv.WithHeader(true),
				arrowcsv.WithChunk(coldataBatch), arrowcsv.WithNullReader(true, ""))
			rows := 0
			for r.Next() {
				rows += int(r.RecordBatch().NumRows())
			}
			if err := r.Err(); err != nil {
				b.Fatal(err)
			}
			r.Release()
			fh.Close()
			b.ReportMetric(float64(rows), "rows")
		}
	})
}

const coldataBatch = 2048
