package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// objectAPI is what a provider (S3, GCS, Azure) offers: the few calls the
// object file system needs, each one request, none retried (objectFS
// retries them all under one policy). Keys have no leading slash.
type objectAPI interface {
	head(ctx context.Context, key string) (objInfo, error)
	// get returns n bytes from off of the object version etag ("": any);
	// a different version is an error wrapping errChanged.
	get(ctx context.Context, key string, off, n int64, etag string) (io.ReadCloser, error)
	// list returns one page of keys under prefix: with delim, the keys one
	// level down and the sub-prefixes (ending in "/"), without it every
	// key at any depth. next is "" after the last page.
	list(ctx context.Context, prefix string, delim bool, token string) (objs []objInfo, prefixes []string, next string, err error)
	put(ctx context.Context, key string, data []byte) error
	startMultipart(ctx context.Context, key string) (multipart, error)
	del(ctx context.Context, key string) error
}

// multipart is an upload in parts that stays invisible until complete.
type multipart interface {
	// part uploads part n (from 1); every part but the last has the
	// provider's minimum size. A part may be retried with the same bytes.
	part(ctx context.Context, n int, data []byte) error
	complete(ctx context.Context) error
	abort(ctx context.Context) error
}

type objInfo struct {
	key   string
	size  int64
	mtime time.Time
	etag  string
}

// permanent marks an error that retrying cannot fix even though it looks
// transient (a provider whose own client already retried it).
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// objectFS is a FileSystem over one bucket (or container).
type objectFS struct {
	root     string // "s3://bucket/": keys are appended to it
	api      objectAPI
	retry    RetryPolicy
	partSize int
	// stallTimeout fails (and so retries) a response whose body makes no
	// progress for this long.
	stallTimeout time.Duration
}

// UploadPartSize is the multipart part size: above S3's 5 MiB minimum,
// small enough that a writer holds little; a multiple of 256 KiB as GCS's
// resumable uploads want. Tests lower it to exercise multipart uploads.
var UploadPartSize = 8 << 20

func newObjectFS(root string, api objectAPI) *objectFS {
	return &objectFS{root: root, api: api, retry: DefaultRetry, partSize: UploadPartSize, stallTimeout: 30 * time.Second}
}

func (o *objectFS) key(path string) (string, error) {
	if !strings.HasPrefix(path, o.root) {
		if strings.TrimRight(path, "/")+"/" == o.root {
			return "", nil
		}
		return "", fmt.Errorf("IO Error: %s is not in %s", path, o.root)
	}
	return path[len(o.root):], nil
}

func (o *objectFS) Join(dir string, elem ...string) string { return joinURL(dir, elem...) }

func (o *objectFS) info(oi objInfo) FileStat {
	return FileStat{Path: o.root + oi.key, Size: oi.size, ModTime: oi.mtime, ETag: oi.etag}
}

func (o *objectFS) Stat(ctx context.Context, path string) (FileStat, error) {
	key, err := o.key(path)
	if err != nil {
		return FileStat{}, err
	}
	if key != "" && !strings.HasSuffix(key, "/") {
		var oi objInfo
		err := o.retry.do(ctx, "HEAD", path, func(ctx context.Context) (err error) {
			oi, err = o.api.head(ctx, key)
			return err
		})
		if err == nil {
			return o.info(oi), nil
		}
		if !isNotExist(err) {
			return FileStat{}, err
		}
	}
	// A folder is a prefix with at least one object under it.
	prefix := strings.TrimSuffix(key, "/")
	if prefix != "" {
		prefix += "/"
	}
	var objs []objInfo
	var subs []string
	err = o.retry.do(ctx, "LIST", path, func(ctx context.Context) (err error) {
		objs, subs, _, err = o.api.list(ctx, prefix, true, "")
		return err
	})
	if err != nil {
		return FileStat{}, err
	}
	if len(objs) == 0 && len(subs) == 0 {
		return FileStat{}, errNotFound(path)
	}
	return FileStat{Path: strings.TrimSuffix(path, "/"), IsDir: true}, nil
}

func (o *objectFS) List(ctx context.Context, dir string, recursive bool) ([]FileStat, error) {
	var out []FileStat
	token := ""
	for {
		page, next, err := o.listPage(ctx, dir, recursive, token)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if next == "" {
			break
		}
		token = next
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// listPage returns one page of List's entries (unsorted) and the token of
// the next page ("" after the last).
func (o *objectFS) listPage(ctx context.Context, dir string, recursive bool, token string) ([]FileStat, string, error) {
	key, err := o.key(dir)
	if err != nil {
		return nil, "", err
	}
	prefix := strings.TrimSuffix(key, "/")
	if prefix != "" {
		prefix += "/"
	}
	var objs []objInfo
	var subs []string
	var next string
	err = o.retry.do(ctx, "LIST", dir, func(ctx context.Context) (err error) {
		objs, subs, next, err = o.api.list(ctx, prefix, !recursive, token)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	var out []FileStat
	for _, oi := range objs {
		if strings.HasSuffix(oi.key, "/") {
			continue // a folder marker some tools create
		}
		out = append(out, o.info(oi))
	}
	for _, s := range subs {
		out = append(out, FileStat{Path: o.root + strings.TrimSuffix(s, "/"), IsDir: true})
	}
	return out, next, nil
}

func (o *objectFS) Open(_ context.Context, info FileStat) (ReaderAt, error) {
	key, err := o.key(info.Path)
	if err != nil {
		return nil, err
	}
	return &objReader{fs: o, key: key, info: info}, nil
}

func (o *objectFS) Remove(ctx context.Context, path string) error {
	key, err := o.key(path)
	if err != nil {
		return err
	}
	err = o.retry.do(ctx, "DELETE", path, func(ctx context.Context) error { return o.api.del(ctx, key) })
	if isNotExist(err) {
		return nil
	}
	return err
}

func (o *objectFS) Create(ctx context.Context, path string) (Upload, error) {
	key, err := o.key(path)
	if err != nil {
		return nil, err
	}
	if key == "" || strings.HasSuffix(key, "/") {
		return nil, fmt.Errorf("IO Error: cannot write to %s: it names a folder", path)
	}
	return &objUpload{fs: o, ctx: ctx, key: key, path: path}, nil
}

// objReader reads byte ranges of one object version with ranged GETs.
type objReader struct {
	fs   *objectFS
	key  string
	info FileStat
}

func (r *objReader) RoundTrips() bool { return true }
func (r *objReader) Close() error     { return nil }

func (r *objReader) ReadAt(p []byte, off int64) (int, error) {
	return r.ReadAtContext(context.Background(), p, off)
}

// ReadAtContext fetches [off, off+len(p)) with one ranged GET. A body cut
// short is resumed from where it stopped; throttling and server errors
// are retried under the file system's policy.
func (r *objReader) ReadAtContext(ctx context.Context, p []byte, off int64) (int, error) {
	return readRange(ctx, r.fs.retry, r.info, p, off, func(ctx context.Context, off int64, dst []byte) (int, error) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		body, err := r.fs.api.get(ctx, r.key, off, int64(len(dst)), r.info.ETag)
		if err != nil {
			return 0, err
		}
		defer body.Close()
		return readBody(body, dst, r.fs.stallTimeout, cancel)
	})
}

// readRange fills p from off of the file info describes, calling fetch
// until every byte arrived: each call resumes where the last one stopped,
// under the retry policy.
func readRange(ctx context.Context, retry RetryPolicy, info FileStat, p []byte, off int64,
	fetch func(ctx context.Context, off int64, dst []byte) (int, error)) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("IO Error: %s: negative offset", info.Path)
	}
	if off >= info.Size {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), info.Size-off))
	got := 0
	err := retry.do(ctx, "GET", info.Path, func(ctx context.Context) error {
		k, err := fetch(ctx, off+int64(got), p[got:n])
		got += k
		return err
	})
	if err != nil {
		return got, err
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// readBody reads len(dst) bytes of a response body; it returns how many
// arrived even when the body broke off, so that a retry resumes there. A
// body that makes no progress for stall is cancelled and reported as
// stalled (which is retried).
func readBody(body io.Reader, dst []byte, stall time.Duration, cancel func()) (int, error) {
	guard := newStallGuard(stall, cancel)
	defer guard.stop()
	got := 0
	for got < len(dst) {
		k, err := body.Read(dst[got:])
		got += k
		guard.progress()
		if err == io.EOF {
			if got < len(dst) {
				return got, errShortBody
			}
			break
		}
		if err != nil {
			if guard.fired() {
				return got, errStalled
			}
			return got, err
		}
	}
	return got, nil
}

var errStalled = errors.New("response stalled")

// stallGuard cancels a request whose body has made no progress for a
// while; time.AfterFunc keeps it to one timer per request.
type stallGuard struct {
	t       *time.Timer
	d       time.Duration
	mu      sync.Mutex
	didFire bool
}

func newStallGuard(d time.Duration, cancel func()) *stallGuard {
	g := &stallGuard{d: d}
	g.t = time.AfterFunc(d, func() {
		g.mu.Lock()
		g.didFire = true
		g.mu.Unlock()
		cancel()
	})
	return g
}

func (g *stallGuard) progress() { g.t.Reset(g.d) }
func (g *stallGuard) stop()     { g.t.Stop() }
func (g *stallGuard) fired() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.didFire
}

// objUpload buffers a part's worth of bytes, then streams parts of a
// multipart upload; a file smaller than one part is one PUT at Commit.
type objUpload struct {
	fs   *objectFS
	ctx  context.Context // the write's: cancelling it stops part uploads
	key  string
	path string
	buf  bytes.Buffer
	mp   multipart
	part int
	n    int64
	done bool
	err  error // sticky
}

func (u *objUpload) Size() int64 { return u.n }

func (u *objUpload) Write(p []byte) (int, error) {
	if u.err != nil {
		return 0, u.err
	}
	u.buf.Write(p)
	u.n += int64(len(p))
	for u.buf.Len() >= 2*u.fs.partSize {
		// Keep at least one part buffered so the last part is never empty.
		if err := u.sendPart(u.ctx, u.buf.Next(u.fs.partSize)); err != nil {
			u.err = err
			return len(p), err
		}
	}
	return len(p), nil
}

func (u *objUpload) sendPart(ctx context.Context, data []byte) error {
	if u.mp == nil {
		err := u.fs.retry.do(ctx, "CREATE MULTIPART UPLOAD", u.path, func(ctx context.Context) (err error) {
			u.mp, err = u.fs.api.startMultipart(ctx, u.key)
			return err
		})
		if err != nil {
			return err
		}
	}
	u.part++
	n := u.part
	return u.fs.retry.do(ctx, fmt.Sprintf("UPLOAD PART %d", n), u.path, func(ctx context.Context) error {
		return u.mp.part(ctx, n, data)
	})
}

// Commit sends what is buffered and completes the object.
func (u *objUpload) Commit(ctx context.Context) error {
	if u.done {
		return nil
	}
	if u.err == nil {
		u.err = u.complete(ctx)
	}
	if u.err != nil {
		return u.err
	}
	u.done = true
	u.buf = bytes.Buffer{}
	return nil
}

func (u *objUpload) complete(ctx context.Context) error {
	if u.mp == nil {
		data := u.buf.Bytes()
		return u.fs.retry.do(ctx, "PUT", u.path, func(ctx context.Context) error {
			return u.fs.api.put(ctx, u.key, data)
		})
	}
	if u.buf.Len() > 0 {
		if err := u.sendPart(ctx, u.buf.Bytes()); err != nil {
			return err
		}
	}
	return u.fs.retry.do(ctx, "COMPLETE MULTIPART UPLOAD", u.path, func(ctx context.Context) error {
		return u.mp.complete(ctx)
	})
}

// Abort drops the buffer and aborts the multipart upload, so that its
// parts stop costing storage. It runs even when ctx is already cancelled
// (a cancelled COPY must still clean up), bounded in time.
func (u *objUpload) Abort(ctx context.Context) error {
	if u.done {
		return nil
	}
	u.done = true
	u.buf = bytes.Buffer{}
	if u.mp == nil {
		return nil
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return u.fs.retry.do(actx, "ABORT MULTIPART UPLOAD", u.path, func(ctx context.Context) error {
		return u.mp.abort(ctx)
	})
}
