package peregrine_test

import (
	"testing"
	"time"

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
	s := s3Lake(t)
	p := objtest.StartProxy(t, s.URL, 7)
	p.SetFaults(objtest.Faults{Throttle: 0.08, ServerError: 0.08, CutBody: 0.08, Slow: 0.04, SlowDelay: 30 * time.Millisecond})
	objtest.Env(t, p.URL)
	runTPCH(t, "s3://lake/tpch", 3)
	if p.Injected.Load() < 10 {
		t.Fatalf("only %d faults injected in %d requests", p.Injected.Load(), p.Requests.Load())
	}
	t.Logf("%d requests, %d faults injected", p.Requests.Load(), p.Injected.Load())
}

func TestTPCHOverGCS(t *testing.T) {
	g := objtest.StartGCS(t)
	g.Bucket("lake")
	objtest.UploadDir(t, duckdbSF001, "tpch", func(k string, b []byte) { g.Put("lake", k, b) })
	objtest.GCSEnv(t, g.URL)
	runTPCH(t, "gs://lake/tpch", 2)
}

func TestTPCHOverAzure(t *testing.T) {
	az := objtest.StartAzurite(t)
	objtest.AzureEnv(t, az.URL)
	objtest.AzureUploadDir(t, az.URL, "lake", duckdbSF001, "tpch")
	runTPCH(t, "az://lake/tpch", 2)
}
