package peregrine_test

import (
	"context"
	"testing"

	"github.com/peregrinedb/peregrine"
)

// BenchmarkAppender measures rows per second loaded through the Appender
// (three columns: BIGINT, VARCHAR, DOUBLE), flushed every 100,000 rows.
func BenchmarkAppender(b *testing.B) {
	ctx := context.Background()
	db, err := peregrine.Open("")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Exec(ctx, "CREATE TABLE bench (id BIGINT, kind VARCHAR, score DOUBLE)"); err != nil {
		b.Fatal(err)
	}
	app, err := db.NewAppender(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	kinds := []string{"click", "view", "buy"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := app.AppendRow(int64(i), kinds[i%3], float64(i)); err != nil {
			b.Fatal(err)
		}
		if i%100000 == 99999 {
			if err := app.Flush(); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := app.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
