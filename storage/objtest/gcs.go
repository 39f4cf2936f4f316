package objtest

import (
	"io"
	"strings"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
)

// GCS is fake-gcs-server's in-process emulator of the JSON API.
type GCS struct {
	URL string
	Srv *fakestorage.Server
}

// StartGCS starts the emulator; it stops when the test ends.
func StartGCS(t testing.TB) *GCS {
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1", Writer: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return &GCS{URL: srv.URL(), Srv: srv}
}

// GCSEnv points Google's clients at endpoint (the emulator or a proxy in
// front of it) through STORAGE_EMULATOR_HOST, the variable they honour.
func GCSEnv(t testing.TB, endpoint string) {
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(endpoint, "http://"))
}

// Bucket creates a bucket.
func (g *GCS) Bucket(name string) {
	g.Srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: name})
}

// Put stores an object.
func (g *GCS) Put(bucket, key string, data []byte) {
	g.Srv.CreateObject(fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: bucket, Name: key}, Content: data})
}

// Keys lists every object name under prefix.
func (g *GCS) Keys(t testing.TB, bucket, prefix string) []string {
	objs, _, err := g.Srv.ListObjectsWithOptions(bucket, fakestorage.ListOptions{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, o := range objs {
		out = append(out, o.Name)
	}
	return out
}
