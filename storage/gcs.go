package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	gcs "google.golang.org/api/storage/v1"
)

// gcsConfig says how to reach Google Cloud Storage: application-default
// credentials normally; STORAGE_EMULATOR_HOST (the variable Google's own
// clients honour) points at an emulator without authentication.
type gcsConfig struct {
	endpoint string // "" for Google's; else the emulator's base URL
}

func (c gcsConfig) key() string { return c.endpoint }

func gcsFromEnv() gcsConfig {
	h := os.Getenv("STORAGE_EMULATOR_HOST")
	if h == "" {
		return gcsConfig{}
	}
	if !strings.Contains(h, "://") {
		h = "http://" + h
	}
	return gcsConfig{endpoint: strings.TrimRight(h, "/")}
}

// newGCSAPI uses the JSON API through Google's generated client: ranged
// media downloads, paged listing with a delimiter, and resumable uploads.
func newGCSAPI(ctx context.Context, c gcsConfig, bucket string) (*gcsAPI, error) {
	var opts []option.ClientOption
	if c.endpoint != "" {
		opts = append(opts, option.WithEndpoint(c.endpoint+"/storage/v1/"), option.WithoutAuthentication(),
			option.WithHTTPClient(sharedHTTPClient))
	} else {
		opts = append(opts, option.WithScopes(gcs.DevstorageReadWriteScope))
	}
	svc, err := gcs.NewService(ctx, opts...)
	if err != nil && c.endpoint == "" {
		// No application-default credentials: public buckets still read.
		svc, err = gcs.NewService(ctx, option.WithoutAuthentication(), option.WithHTTPClient(sharedHTTPClient))
	}
	if err != nil {
		return nil, fmt.Errorf("IO Error: GCS client: %v", scrub(err))
	}
	return &gcsAPI{svc: svc, bucket: bucket}, nil
}

type gcsAPI struct {
	svc    *gcs.Service
	bucket string
}

// The object's generation is its version: ETags of the JSON API change
// with metadata, generations only with contents.
func gcsInfo(o *gcs.Object) objInfo {
	t, _ := time.Parse(time.RFC3339Nano, o.Updated)
	return objInfo{key: o.Name, size: int64(o.Size), mtime: t, etag: strconv.FormatInt(o.Generation, 10)}
}

func (a *gcsAPI) head(ctx context.Context, key string) (objInfo, error) {
	o, err := a.svc.Objects.Get(a.bucket, key).Context(ctx).Do()
	if err != nil {
		return objInfo{}, err
	}
	return gcsInfo(o), nil
}

func (a *gcsAPI) get(ctx context.Context, key string, off, n int64, etag string) (io.ReadCloser, error) {
	call := a.svc.Objects.Get(a.bucket, key).Context(ctx)
	if etag != "" {
		if g, err := strconv.ParseInt(etag, 10, 64); err == nil {
			call = call.IfGenerationMatch(g)
		}
	}
	call.Header().Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+n-1))
	resp, err := call.Download()
	if err != nil {
		if httpStatus(err) == 412 {
			return nil, fmt.Errorf("gs://%s/%s %w", a.bucket, key, errChanged)
		}
		return nil, err
	}
	return rangeBody(resp.StatusCode, resp.Body, off, n)
}

// rangeBody returns n bytes from off of a response body: a 206 holds just
// them; a server that ignored the Range header (200) sends the whole file.
func rangeBody(status int, body io.ReadCloser, off, n int64) (io.ReadCloser, error) {
	if status == 206 || off == 0 {
		return struct {
			io.Reader
			io.Closer
		}{io.LimitReader(body, n), body}, nil
	}
	if _, err := io.CopyN(io.Discard, body, off); err != nil {
		body.Close()
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(body, n), body}, nil
}

func (a *gcsAPI) list(ctx context.Context, prefix string, delim bool, token string) ([]objInfo, []string, string, error) {
	call := a.svc.Objects.List(a.bucket).Prefix(prefix).Context(ctx)
	if delim {
		call = call.Delimiter("/")
	}
	if token != "" {
		call = call.PageToken(token)
	}
	out, err := call.Do()
	if err != nil {
		return nil, nil, "", err
	}
	objs := make([]objInfo, 0, len(out.Items))
	for _, o := range out.Items {
		objs = append(objs, gcsInfo(o))
	}
	return objs, out.Prefixes, out.NextPageToken, nil
}

func (a *gcsAPI) put(ctx context.Context, key string, data []byte) error {
	_, err := a.svc.Objects.Insert(a.bucket, &gcs.Object{Name: key}).
		Media(bytes.NewReader(data), googleapi.ContentType("application/octet-stream"), googleapi.ChunkSize(0)).
		Context(ctx).Do()
	return err
}

func (a *gcsAPI) del(ctx context.Context, key string) error {
	return a.svc.Objects.Delete(a.bucket, key).Context(ctx).Do()
}

// gcsMultipart streams parts into one resumable upload: the client sends
// full chunks as they come and the last one when the stream ends, which is
// when the object appears. Cancelling the upload's context abandons the
// session, and nothing is created. The client retries chunks itself, so a
// failed part is final here.
type gcsMultipart struct {
	pw     *io.PipeWriter
	done   chan error
	cancel context.CancelFunc
	err    error
}

func (a *gcsAPI) startMultipart(ctx context.Context, key string) (multipart, error) {
	uctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	pr, pw := io.Pipe()
	m := &gcsMultipart{pw: pw, done: make(chan error, 1), cancel: cancel}
	go func() {
		_, err := a.svc.Objects.Insert(a.bucket, &gcs.Object{Name: key}).
			Media(pr, googleapi.ContentType("application/octet-stream"), googleapi.ChunkSize(UploadPartSize)).
			Context(uctx).Do()
		pr.CloseWithError(errors.Join(err, errUploadEnded))
		m.done <- err
	}()
	return m, nil
}

var errUploadEnded = errors.New("upload ended")

func (m *gcsMultipart) part(ctx context.Context, _ int, data []byte) error {
	if m.err != nil {
		return permanent{m.err}
	}
	// A stuck upload must not hold the writer past cancellation.
	stop := context.AfterFunc(ctx, m.cancel)
	defer stop()
	if _, err := m.pw.Write(data); err != nil {
		m.err = err
		return permanent{err}
	}
	return nil
}

func (m *gcsMultipart) complete(context.Context) error {
	if m.err != nil {
		return permanent{m.err}
	}
	m.pw.Close()
	err := <-m.done
	m.done <- err
	if err != nil {
		m.err = err
		return permanent{err}
	}
	return nil
}

func (m *gcsMultipart) abort(context.Context) error {
	m.cancel()
	m.pw.CloseWithError(context.Canceled)
	err := <-m.done
	m.done <- err
	return nil
}
