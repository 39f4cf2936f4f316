package peregrine_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/bench/tpch"
	"github.com/peregrinedb/peregrine/bench/tpchgen"
	"github.com/peregrinedb/peregrine/storage"
	"github.com/peregrinedb/peregrine/storage/objtest"
)

// s3Lake starts an S3 server holding the SF 0.01 TPC-H files under
// s3://lake/tpch.
func s3Lake(t *testing.T) *objtest.S3 {
	s := objtest.StartS3(t)
	s.Bucket(t, "lake")
	objtest.UploadDir(t, duckdbSF001, "tpch", func(k string, b []byte) { s.Put(t, "lake", k, b) })
	return s
}

// fastRetries shortens the backoff for tests that inject many faults.
func fastRetries(t *testing.T) {
	old := storage.DefaultRetry
	storage.DefaultRetry = storage.RetryPolicy{Attempts: 12, Base: time.Millisecond, Max: 20 * time.Millisecond}
	t.Cleanup(func() { storage.DefaultRetry = old })
}

func TestTPCHOverS3(t *testing.T) {
	s := s3Lake(t)
	p := objtest.StartProxy(t, s.URL, 1)
	objtest.Env(t, p.URL)
	runTPCH(t, "s3://lake/tpch", 2)
	if p.Count("GET") == 0 || p.BytesOut.Load() == 0 {
		t.Fatalf("no ranged reads went to the server (%d requests)", p.Requests.Load())
	}
}

// TestTPCHOverS3WithFaults: throttling (503 SlowDown, 429), 500s,
// connections cut mid-body and slow responses change no answer.
func TestTPCHOverS3WithFaults(t *testing.T) {
	fastRetries(t)
	// Small row groups: many morsels, so the read-ahead runs under faults.
	dir := t.TempDir()
	if err := tpchgen.Generate(context.Background(), tpchgen.Options{SF: 0.01, OutDir: dir, Compression: "zstd", RowGroupSize: 5000}); err != nil {
		t.Fatal(err)
	}
	s := objtest.StartS3(t)
	s.Bucket(t, "lake")
	objtest.UploadDir(t, dir, "tpch", func(k string, b []byte) { s.Put(t, "lake", k, b) })
	p := objtest.StartProxy(t, s.URL, 7)
	p.SetFaults(objtest.Faults{Throttle: 0.08, ServerError: 0.08, CutBody: 0.08, Slow: 0.04, SlowDelay: 30 * time.Millisecond})
	objtest.Env(t, p.URL)
	runTPCH(t, "s3://lake/tpch", 3)
	if p.Injected.Load() < 10 {
		t.Fatalf("only %d faults injected in %d requests", p.Injected.Load(), p.Requests.Load())
	}
	t.Logf("%d requests, %d faults injected", p.Requests.Load(), p.Injected.Load())
}

// someFaults is what the GCS and Azure runs go through.
var someFaults = objtest.Faults{Throttle: 0.05, ServerError: 0.05, CutBody: 0.05}

func TestTPCHOverGCS(t *testing.T) {
	fastRetries(t)
	g := objtest.StartGCS(t)
	g.Bucket("lake")
	objtest.UploadDir(t, duckdbSF001, "tpch", func(k string, b []byte) { g.Put("lake", k, b) })
	p := objtest.StartProxy(t, g.URL, 2)
	p.SetFaults(someFaults)
	objtest.GCSEnv(t, p.URL)
	runTPCH(t, "gs://lake/tpch", 2)
	if p.Injected.Load() == 0 {
		t.Fatal("no fault injected")
	}
}

func TestTPCHOverAzure(t *testing.T) {
	fastRetries(t)
	az := objtest.StartAzurite(t)
	objtest.AzureUploadDir(t, az.URL, "lake", duckdbSF001, "tpch")
	p := objtest.StartProxy(t, strings.TrimSuffix(az.URL, "/"+objtest.AzuriteAccount), 3)
	p.SetFaults(someFaults)
	objtest.AzureEnv(t, p.URL+"/"+objtest.AzuriteAccount)
	runTPCH(t, "az://lake/tpch", 2)
	if p.Injected.Load() == 0 {
		t.Fatal("no fault injected")
	}
}

// rollup is a query whose answer changes if any row of lineitem is lost,
// duplicated or corrupted.
const rollup = `SELECT l_returnflag, l_linestatus, count(*), sum(l_quantity), sum(l_extendedprice), min(l_shipdate), max(l_comment)
FROM %s GROUP BY 1, 2 ORDER BY 1, 2`

func openSQL(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("peregrine", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExecSQL(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// smallParts makes every upload over 256 KiB a multipart upload.
func smallParts(t *testing.T) {
	old := storage.UploadPartSize
	storage.UploadPartSize = 256 << 10
	t.Cleanup(func() { storage.UploadPartSize = old })
}

// TestCopyToS3RoundTrips: COPY with PARTITION_BY, FILE_SIZE_BYTES and a
// single large (multipart) file, read back over S3 with hive partitions.
func TestCopyToS3RoundTrips(t *testing.T) {
	smallParts(t)
	s := s3Lake(t)
	p := objtest.StartProxy(t, s.URL, 3)
	objtest.Env(t, p.URL)
	db := openSQL(t, "")
	want := queryStrings(t, db, fmt.Sprintf(rollup, "'"+duckdbSF001+"/lineitem.parquet'"))

	mustExecSQL(t, db, `COPY (SELECT * FROM 's3://lake/tpch/lineitem.parquet') TO 's3://lake/out/parts' (FORMAT parquet, PARTITION_BY (l_returnflag, l_linestatus))`)
	keys := s.Keys(t, "lake", "out/parts/")
	if len(keys) != 4 || !strings.Contains(keys[0], "l_returnflag=A/l_linestatus=F/data_0.parquet") {
		t.Fatalf("partitioned COPY wrote %v", keys)
	}
	got := queryStrings(t, db, fmt.Sprintf(rollup, "read_parquet('s3://lake/out/parts/**/*.parquet', hive_partitioning = true)"))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("PARTITION_BY round trip over S3:\n got %v\nwant %v", got, want)
	}

	// A filter on a partition key reads only that partition's objects
	// (and the first file's footer, for the schema).
	p.ResetCounts()
	pruned := queryStrings(t, db, "SELECT count(*) FROM read_parquet('s3://lake/out/parts/**/*.parquet', hive_partitioning = true) WHERE l_returnflag = 'R'")
	if n := p.Count("GET"); n > 4 || pruned[0][0] == "0" {
		t.Fatalf("a query on one partition of 4 files made %d GETs (%v)", n, pruned)
	}

	p.ResetCounts()
	mustExecSQL(t, db, `COPY (SELECT * FROM 's3://lake/tpch/lineitem.parquet') TO 's3://lake/out/big.parquet' (FORMAT parquet)`)
	if p.Count("POST") < 2 { // CreateMultipartUpload and CompleteMultipartUpload
		t.Fatalf("a %d-part file was not written as a multipart upload (%d POSTs)", storage.UploadPartSize, p.Count("POST"))
	}
	got = queryStrings(t, db, fmt.Sprintf(rollup, "'s3://lake/out/big.parquet'"))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("multipart round trip:\n got %v\nwant %v", got, want)
	}

	mustExecSQL(t, db, `COPY (SELECT * FROM 's3://lake/tpch/lineitem.parquet') TO 's3://lake/out/sized' (FORMAT parquet, FILE_SIZE_BYTES '300KB', ROW_GROUP_SIZE 5000)`)
	if n := len(s.Keys(t, "lake", "out/sized/")); n < 3 {
		t.Fatalf("FILE_SIZE_BYTES wrote %d files", n)
	}
	got = queryStrings(t, db, fmt.Sprintf(rollup, "'s3://lake/out/sized/*.parquet'"))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("FILE_SIZE_BYTES round trip:\n got %v\nwant %v", got, want)
	}
	if n := s.Uploads(t, "lake"); n != 0 {
		t.Fatalf("%d multipart uploads left open", n)
	}
	if _, err := db.Exec(`COPY (SELECT 1 AS x, 2 AS y) TO 's3://lake/out/parts' (FORMAT parquet, PARTITION_BY (x))`); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("COPY into a non-empty prefix: %v", err)
	}
}

// TestCopyToS3WithFaults: a COPY through throttling, 500s, cut bodies and
// slow responses still writes every row.
func TestCopyToS3WithFaults(t *testing.T) {
	fastRetries(t)
	smallParts(t)
	s := s3Lake(t)
	p := objtest.StartProxy(t, s.URL, 11)
	objtest.Env(t, p.URL)
	db := openSQL(t, "")
	want := queryStrings(t, db, fmt.Sprintf(rollup, "'"+duckdbSF001+"/lineitem.parquet'"))
	p.SetFaults(objtest.Faults{Throttle: 0.1, ServerError: 0.1, CutBody: 0.05, Slow: 0.05, SlowDelay: 20 * time.Millisecond})
	mustExecSQL(t, db, `COPY (SELECT * FROM 's3://lake/tpch/lineitem.parquet') TO 's3://lake/faulty' (FORMAT parquet, PARTITION_BY (l_returnflag), FILE_SIZE_BYTES '400KB')`)
	got := queryStrings(t, db, fmt.Sprintf(rollup, "read_parquet('s3://lake/faulty/**/*.parquet', hive_partitioning = true)"))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("COPY through faults:\n got %v\nwant %v", got, want)
	}
	if p.Injected.Load() == 0 {
		t.Fatal("no fault injected")
	}
}

// TestCopyToS3Interrupted: a COPY whose uploads keep failing, or that is
// cancelled, leaves no object under a final name and no upload open.
func TestCopyToS3Interrupted(t *testing.T) {
	fastRetries(t)
	smallParts(t)
	s := s3Lake(t)
	p := objtest.StartProxy(t, s.URL, 5)
	objtest.Env(t, p.URL)
	pdb := openDir(t, "")
	copyTo := func(ctx context.Context, target string) error {
		return pdb.Exec(ctx, `COPY (SELECT * FROM 's3://lake/tpch/lineitem.parquet') TO '`+target+`' (FORMAT parquet, PARTITION_BY (l_returnflag), FILE_SIZE_BYTES '300KB')`)
	}
	check := func(prefix string) {
		t.Helper()
		if keys := s.Keys(t, "lake", prefix); len(keys) != 0 {
			t.Fatalf("an interrupted COPY left %v", keys)
		}
		if n := s.Uploads(t, "lake"); n != 0 {
			t.Fatalf("an interrupted COPY left %d multipart uploads open", n)
		}
	}

	// Every request that completes an object fails, past all retries.
	var completes atomic.Int64
	p.SetFaults(objtest.Faults{Fail: func(r *http.Request) bool {
		if r.Method == "POST" && r.URL.Query().Has("uploadId") || r.Method == "PUT" && !r.URL.Query().Has("partNumber") && strings.Contains(r.URL.Path, "/failing/") {
			return completes.Add(1) > 2
		}
		return false
	}})
	err := copyTo(context.Background(), "s3://lake/failing")
	if err == nil || !strings.Contains(err.Error(), "s3://lake/failing/") || !strings.Contains(err.Error(), "attempts") {
		t.Fatalf("COPY through failing completions: %v", err)
	}
	check("failing/")

	// Cancelled while the uploads are under way.
	p.SetFaults(objtest.Faults{Latency: 20 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = copyTo(ctx, "s3://lake/cancelled")
	if err == nil || !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "context deadline exceeded") {
		t.Fatalf("cancelled COPY: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancellation took %v", d)
	}
	p.SetFaults(objtest.Faults{})
	check("cancelled/")
}

// copyRoundTrip writes lineitem partitioned to url and reads it back.
func copyRoundTrip(t *testing.T, db *sql.DB, src, url string) {
	t.Helper()
	want := queryStrings(t, db, fmt.Sprintf(rollup, "'"+duckdbSF001+"/lineitem.parquet'"))
	mustExecSQL(t, db, `COPY (SELECT * FROM '`+src+`') TO '`+url+`' (FORMAT parquet, PARTITION_BY (l_returnflag, l_linestatus), FILE_SIZE_BYTES '500KB')`)
	got := queryStrings(t, db, fmt.Sprintf(rollup, "read_parquet('"+url+"/**/*.parquet', hive_partitioning = true)"))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("PARTITION_BY round trip to %s:\n got %v\nwant %v", url, got, want)
	}
}

func TestCopyToGCS(t *testing.T) {
	smallParts(t)
	g := objtest.StartGCS(t)
	g.Bucket("lake")
	objtest.UploadDir(t, duckdbSF001, "tpch", func(k string, b []byte) { g.Put("lake", k, b) })
	objtest.GCSEnv(t, g.URL)
	copyRoundTrip(t, openSQL(t, ""), "gs://lake/tpch/lineitem.parquet", "gs://lake/out")
	if keys := g.Keys(t, "lake", "out/"); len(keys) < 4 {
		t.Fatalf("COPY to GCS wrote %v", keys)
	}
}

func TestCopyToAzure(t *testing.T) {
	smallParts(t)
	az := objtest.StartAzurite(t)
	objtest.AzureEnv(t, az.URL)
	objtest.AzureUploadDir(t, az.URL, "lake", duckdbSF001, "tpch")
	copyRoundTrip(t, openSQL(t, ""), "az://lake/tpch/lineitem.parquet", "az://lake/out")
}

// TestReadOverHTTP reads files by URL with range requests; HTTP is
// read-only and has no listing.
func TestReadOverHTTP(t *testing.T) {
	srv := httptest.NewServer(http.FileServer(http.Dir(duckdbSF001)))
	defer srv.Close()
	db := openSQL(t, "")
	want := queryStrings(t, db, fmt.Sprintf(rollup, "'"+duckdbSF001+"/lineitem.parquet'"))
	got := queryStrings(t, db, fmt.Sprintf(rollup, "'"+srv.URL+"/lineitem.parquet'"))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("over HTTP:\n got %v\nwant %v", got, want)
	}
	if _, err := db.Exec(`COPY (SELECT 1 AS x) TO '` + srv.URL + `/x.parquet' (FORMAT parquet)`); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("COPY to HTTP: %v", err)
	}
	if _, err := db.Exec(`SELECT * FROM '` + srv.URL + `/*.parquet'`); err == nil || !strings.Contains(err.Error(), "no listing") {
		t.Fatalf("glob over HTTP: %v", err)
	}
	if _, err := db.Exec(`SELECT * FROM '` + srv.URL + `/missing.parquet'`); err == nil || !strings.Contains(err.Error(), "missing.parquet") {
		t.Fatalf("missing file over HTTP: %v", err)
	}
}

// TestS3ReadCancel: cancelling a query stops its requests at once, even
// when every response takes seconds.
func TestS3ReadCancel(t *testing.T) {
	s := s3Lake(t)
	p := objtest.StartProxy(t, s.URL, 1)
	objtest.Env(t, p.URL)
	db := openDir(t, "")
	p.SetFaults(objtest.Faults{Latency: 3 * time.Second})
	for _, q := range []string{"SELECT sum(l_quantity) FROM 's3://lake/tpch/lineitem.parquet'", "SELECT count(*) FROM 's3://lake/tpch/*.parquet'"} {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		start := time.Now()
		_, err := tpch.Collect(ctx, db, q)
		cancel()
		if err == nil {
			t.Fatalf("%s: no error after cancellation", q)
		}
		if d := time.Since(start); d > 1500*time.Millisecond {
			t.Fatalf("%s: cancellation took %v (%v)", q, d, err)
		}
	}
}

// TestParquetMetadataOverS3: parquet_metadata, parquet_schema and
// parquet_inspect read footers from object stores like local files.
func TestParquetMetadataOverS3(t *testing.T) {
	s := s3Lake(t)
	objtest.Env(t, s.URL)
	db := openSQL(t, "")
	for _, q := range []string{
		"SELECT count(*), sum(row_group_num_rows), max(total_compressed_size) FROM parquet_metadata('%s')",
		"SELECT count(*), max(name) FROM parquet_schema('%s')",
	} {
		local := queryStrings(t, db, fmt.Sprintf(q, duckdbSF001+"/orders.parquet"))
		remote := queryStrings(t, db, fmt.Sprintf(q, "s3://lake/tpch/orders.parquet"))
		if fmt.Sprint(local) != fmt.Sprint(remote) {
			t.Fatalf("%s: local %v, S3 %v", q, local, remote)
		}
	}
	if got := queryStrings(t, db, "SELECT count(*) FROM parquet_inspect('s3://lake/tpch')"); len(got) != 1 || got[0][0] == "0" {
		t.Fatalf("parquet_inspect over S3: %v", got)
	}
}

// TestFileURLs: file:// URLs name local files, folders and globs.
func TestFileURLs(t *testing.T) {
	abs, err := filepath.Abs(duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	db := openSQL(t, "")
	want := queryStrings(t, db, fmt.Sprintf(rollup, "'"+duckdbSF001+"/lineitem.parquet'"))
	for _, from := range []string{"'file://" + abs + "/lineitem.parquet'", "read_parquet('file://" + abs + "/line*.parquet')"} {
		if got := queryStrings(t, db, fmt.Sprintf(rollup, from)); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: %v", from, got)
		}
	}
	if got := queryStrings(t, openSQL(t, "file://"+abs), "SELECT count(*) FROM nation"); got[0][0] != "25" {
		t.Fatalf("database at a file:// URL: %v", got)
	}
}
