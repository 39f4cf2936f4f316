package objtest

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3 is an in-process S3-compatible server.
type S3 struct {
	URL     string
	Backend *s3mem.Backend
	srv     *httptest.Server
	// inner is gofakes3's handler; the server's checks signatures first
	// once RequireAuth was called.
	inner http.Handler
	auth  atomic.Pointer[[2]string]
}

// Test credentials; the fake server accepts any signature unless
// RequireAuth was called.
const (
	S3Key    = "AKIAPEREGRINETEST"
	S3Secret = "peregrine-test-secret-key"
)

type quietLog struct{}

func (quietLog) Print(gofakes3.LogLevel, ...interface{}) {}

// StartS3 starts the server; it stops when the test ends.
func StartS3(t testing.TB) *S3 {
	be := s3mem.New()
	f := gofakes3.New(be, gofakes3.WithLogger(quietLog{}), gofakes3.WithTimeSkewLimit(0))
	s := &S3{Backend: be, inner: f.Server()}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	// A client that hangs up mid-response (the fault proxy does) makes
	// the server complain; that is expected here.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	s.URL, s.srv = srv.URL, srv
	return s
}

// Env points the AWS standard chain at endpoint (the server's URL, or a
// proxy in front of it) with the test credentials, the way a user's
// environment would, and keeps the SDK away from shared config files and
// instance metadata.
func Env(t testing.TB, endpoint string) {
	dir := t.TempDir()
	t.Setenv("AWS_ACCESS_KEY_ID", S3Key)
	t.Setenv("AWS_SECRET_ACCESS_KEY", S3Secret)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ENDPOINT_URL", endpoint)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_PROFILE", "")
}

// Bucket creates a bucket.
func (s *S3) Bucket(t testing.TB, name string) {
	if err := s.Backend.CreateBucket(name); err != nil && !gofakes3.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

// Put stores an object.
func (s *S3) Put(t testing.TB, bucket, key string, data []byte) {
	if _, err := s.Backend.PutObject(bucket, key, map[string]string{}, bytes.NewReader(data), int64(len(data)), nil); err != nil {
		t.Fatal(err)
	}
}

// Keys lists every key under prefix.
func (s *S3) Keys(t testing.TB, bucket, prefix string) []string {
	res, err := s.Backend.ListBucket(bucket, &gofakes3.Prefix{HasPrefix: true, Prefix: prefix}, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range res.Contents {
		out = append(out, c.Key)
	}
	return out
}

// Uploads lists multipart uploads still open in bucket (neither completed
// nor aborted).
func (s *S3) Uploads(t testing.TB, bucket string) int {
	// gofakes3 keeps uploads in the server, not the backend; ask through
	// the S3 API so that the count is what a client would see.
	req := httptest.NewRequest("GET", "/"+bucket+"?uploads", nil)
	rec := httptest.NewRecorder()
	s.inner.ServeHTTP(rec, req)
	return strings.Count(rec.Body.String(), "<Upload>")
}

// UploadDir copies the files of a local folder under prefix, through put.
func UploadDir(t testing.TB, dir, prefix string, put func(key string, data []byte)) {
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		put(strings.TrimLeft(prefix+"/"+filepath.ToSlash(rel), "/"), b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
