package objtest

import (
	"net/http"
	"testing"
)

// TestUploadsCounts makes sure the open-upload check of the COPY tests can
// fail: an upload started and never completed is counted.
func TestUploadsCounts(t *testing.T) {
	s := StartS3(t)
	s.Bucket(t, "b")
	if n := s.Uploads(t, "b"); n != 0 {
		t.Fatalf("%d uploads in a new bucket", n)
	}
	resp, err := http.Post(s.URL+"/b/k?uploads", "application/octet-stream", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n := s.Uploads(t, "b"); n != 1 {
		t.Fatalf("an open upload counted as %d", n)
	}
}
