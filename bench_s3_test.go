package peregrine_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/bench/tpch"
	"github.com/peregrinedb/peregrine/storage/objtest"
)

// BenchmarkTPCHOverS3Latency runs TPC-H Q1, Q6 and Q9 on local files and
// on the same files in an in-process S3 server behind a proxy that adds
// 20 ms to every request, reporting requests and bytes per query. Every
// answer is checked. The data is PEREGRINE_BENCH_SF1 (default
// /work/data/sf1: TPC-H SF 1 as DuckDB writes it); the benchmark skips
// when it is absent. Each query runs on a fresh DB, so every footer is
// read again (the cold case a user meets first). With
// PEREGRINE_S3_TRACE=1 the first S3 run of each query prints its requests
// as a timeline (start and end in ms, requests in flight at the start).
//
//	go test -run '^$' -bench TPCHOverS3Latency -benchtime 3x .
func BenchmarkTPCHOverS3Latency(b *testing.B) {
	dir := os.Getenv("PEREGRINE_BENCH_SF1")
	if dir == "" {
		dir = "/work/data/sf1"
	}
	if _, err := os.Stat(dir + "/lineitem.parquet"); err != nil {
		b.Skipf("no TPC-H SF 1 at %s (set PEREGRINE_BENCH_SF1)", dir)
	}
	s := objtest.StartS3(b)
	s.Bucket(b, "lake")
	objtest.UploadDir(b, dir, "sf1", func(k string, data []byte) { s.Put(b, "lake", k, data) })
	p := objtest.StartProxy(b, s.URL, 1)
	p.SetFaults(objtest.Faults{Latency: 20 * time.Millisecond})
	objtest.Env(b, p.URL)
	ctx := context.Background()
	for _, q := range []int{1, 6, 9} {
		text, err := tpch.Query(q)
		if err != nil {
			b.Fatal(err)
		}
		want, err := tpch.ReferenceAnswer("1", q)
		if err != nil {
			b.Fatal(err)
		}
		for _, where := range []string{dir, "s3://lake/sf1"} {
			name := "local"
			if where != dir {
				name = "s3+20ms"
			}
			b.Run(fmt.Sprintf("Q%02d/%s", q, name), func(b *testing.B) {
				p.ResetCounts()
				for i := 0; i < b.N; i++ {
					trace := i == 0 && name != "local" && os.Getenv("PEREGRINE_S3_TRACE") != ""
					if trace {
						p.StartTrace()
					}
					start := time.Now()
					db, err := peregrine.Open(where)
					if err != nil {
						b.Fatal(err)
					}
					got, err := tpch.Collect(ctx, db, text)
					db.Close()
					if err != nil {
						b.Fatal(err)
					}
					if err := tpch.Check(want, got); err != nil {
						b.Fatalf("Q%02d over %s: %v", q, where, err)
					}
					if trace {
						fmt.Printf("Q%02d over S3: %.1f ms\n", q, float64(time.Since(start))/1e6)
						objtest.WriteTrace(os.Stdout, p.StopTrace())
					}
				}
				if name != "local" {
					b.ReportMetric(float64(p.Requests.Load())/float64(b.N), "requests/op")
					b.ReportMetric(float64(p.BytesOut.Load())/float64(b.N)/1e6, "MB/op")
				}
			})
		}
	}
}
