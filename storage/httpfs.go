package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// httpFS reads files from HTTP(S) servers with range requests. It is
// read-only and cannot list: globs and folders need an object store.
type httpFS struct {
	client *http.Client
	retry  RetryPolicy
}

// httpStatusError is a response with an unexpected status.
type httpStatusError struct {
	code   int
	status string
}

func (e *httpStatusError) Error() string { return "HTTP " + e.status }

func (h *httpFS) Join(dir string, elem ...string) string { return joinURL(dir, elem...) }

func (h *httpFS) do(ctx context.Context, method, url string, hdr map[string]string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		return nil, &httpStatusError{code: resp.StatusCode, status: resp.Status}
	}
	return resp, nil
}

func (h *httpFS) Stat(ctx context.Context, path string) (FileStat, error) {
	var fi FileStat
	err := h.retry.do(ctx, "HEAD", path, func(ctx context.Context) error {
		resp, err := h.do(ctx, http.MethodHead, path, nil)
		if err != nil {
			var se *httpStatusError
			if !errors.As(err, &se) || (se.code != 405 && se.code != 403) {
				return err
			}
			// Some servers refuse HEAD: ask for the first byte instead.
			resp, err = h.do(ctx, http.MethodGet, path, map[string]string{"Range": "bytes=0-0"})
			if err != nil {
				return err
			}
		}
		defer resp.Body.Close()
		fi = FileStat{Path: path, Size: resp.ContentLength, ETag: resp.Header.Get("ETag")}
		if cr := resp.Header.Get("Content-Range"); resp.StatusCode == 206 && cr != "" {
			if i := strings.LastIndexByte(cr, '/'); i >= 0 {
				fi.Size, _ = strconv.ParseInt(cr[i+1:], 10, 64)
			}
		}
		if t, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
			fi.ModTime = t
		}
		if fi.Size < 0 {
			return permanent{fmt.Errorf("the server did not say how large the file is")}
		}
		return nil
	})
	return fi, err
}

func (h *httpFS) List(_ context.Context, dir string, _ bool) ([]FileStat, error) {
	return nil, fmt.Errorf("IO Error: cannot list %s: HTTP(S) has no listing; name files one by one or use an object store URL (s3://, gs://, az://)", dir)
}

func (h *httpFS) Open(_ context.Context, info FileStat) (ReaderAt, error) {
	return &httpReader{fs: h, info: info}, nil
}

func (h *httpFS) Create(_ context.Context, path string) (Upload, error) {
	return nil, fmt.Errorf("IO Error: cannot write %s: HTTP(S) is read-only", path)
}

func (h *httpFS) Remove(_ context.Context, path string) error {
	return fmt.Errorf("IO Error: cannot remove %s: HTTP(S) is read-only", path)
}

type httpReader struct {
	fs   *httpFS
	info FileStat
}

func (r *httpReader) RoundTrips() bool { return true }
func (r *httpReader) Close() error     { return nil }
func (r *httpReader) ReadAt(p []byte, off int64) (int, error) {
	return r.ReadAtContext(context.Background(), p, off)
}

func (r *httpReader) ReadAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	return readRange(ctx, r.fs.retry, r.info, p, off, r.fetch)
}

func (r *httpReader) fetch(ctx context.Context, off int64, dst []byte) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	hdr := map[string]string{"Range": fmt.Sprintf("bytes=%d-%d", off, off+int64(len(dst))-1)}
	if r.info.ETag != "" {
		hdr["If-Match"] = r.info.ETag
	}
	resp, err := r.fs.do(ctx, http.MethodGet, r.info.Path, hdr)
	if err != nil {
		var se *httpStatusError
		if errors.As(err, &se) && se.code == 412 {
			return 0, fmt.Errorf("%s %w", r.info.Path, errChanged)
		}
		return 0, err
	}
	if et := resp.Header.Get("ETag"); r.info.ETag != "" && et != "" && et != r.info.ETag {
		resp.Body.Close()
		return 0, fmt.Errorf("%s %w", r.info.Path, errChanged)
	}
	body, err := rangeBody(resp.StatusCode, resp.Body, off, int64(len(dst)))
	if err != nil {
		return 0, err
	}
	defer body.Close()
	return readBody(body, dst, 30*time.Second, cancel)
}
