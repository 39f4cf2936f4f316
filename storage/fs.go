package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// FileSystem is one place bytes live: the local disk, an object store
// bucket or an HTTP server. Paths are what users wrote: local paths, or
// URLs (s3://bucket/key, gs://…, az://container/key, https://…). Every
// read and write of table data goes through one, which the catalog picks
// for a path in exactly one place (Catalog.FileSystem), so that scan never
// knows where bytes come from.
type FileSystem interface {
	// Stat describes path. A missing path is an error wrapping
	// fs.ErrNotExist; a folder (a local directory, or an object prefix with
	// objects below it) has IsDir set.
	Stat(ctx context.Context, path string) (FileStat, error)
	// List returns the entries below the folder dir, sorted by path:
	// recursive=false gives its files and sub-folders (IsDir), one level;
	// recursive=true gives every file at any depth and no folders.
	List(ctx context.Context, dir string, recursive bool) ([]FileStat, error)
	// Open returns a reader of the file as Stat or List described it. A
	// reader refuses to return bytes of a different version of the file
	// (another ETag, size or modification time).
	Open(ctx context.Context, info FileStat) (ReaderAt, error)
	// Create starts writing path. Nothing is visible under path until
	// Commit returns; Abort (or a failed Commit) leaves nothing behind.
	Create(ctx context.Context, path string) (Upload, error)
	// Remove deletes a file; a missing file is not an error.
	Remove(ctx context.Context, path string) error
	// Join appends slash-separated elements to a folder path.
	Join(dir string, elem ...string) string
}

// FileStat describes a file or folder.
type FileStat struct {
	Path    string
	Size    int64
	ModTime time.Time
	// ETag identifies the object's version on object stores ("" locally):
	// the footer cache is keyed by it.
	ETag  string
	IsDir bool
}

// sameVersion reports whether two descriptions of a file name the same
// contents.
func (a FileStat) sameVersion(b FileStat) bool {
	if a.Size != b.Size {
		return false
	}
	if a.ETag != "" || b.ETag != "" {
		return a.ETag == b.ETag
	}
	return a.ModTime.Equal(b.ModTime)
}

// ReaderAt reads a file at offsets. ReadAtContext is ReadAt that stops
// when ctx is cancelled; RoundTrips reports whether every read costs a
// network round trip (scan then reads footers with one tail read and
// coalesces and prefetches column chunks more aggressively).
type ReaderAt interface {
	io.ReaderAt
	io.Closer
	ReadAtContext(ctx context.Context, p []byte, off int64) (int, error)
	RoundTrips() bool
}

// Upload is a file being written: bytes go to a staging area (a temporary
// local file, a multipart upload, uncommitted blocks) until Commit makes
// them visible under the final name in one step.
type Upload interface {
	io.Writer
	// Commit makes the file visible under its final name.
	Commit(ctx context.Context) error
	// Abort discards everything written; it is safe after Commit failed
	// and a no-op after Commit succeeded.
	Abort(ctx context.Context) error
	// Size is the number of bytes written so far.
	Size() int64
}

// errNotFound wraps fs.ErrNotExist with the path, the way DuckDB names it.
func errNotFound(path string) error {
	return &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
}

// scheme classifies a path: "" for a local path, else the URL scheme in
// lower case with aliases folded (gcs→gs, azure/abfs/abfss→az, s3a/s3n→s3).
func scheme(path string) string {
	i := strings.Index(path, "://")
	if i <= 0 {
		return ""
	}
	s := strings.ToLower(path[:i])
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return ""
		}
	}
	switch s {
	case "s3", "s3a", "s3n", "r2":
		return "s3"
	case "gs", "gcs":
		return "gs"
	case "az", "azure", "abfs", "abfss":
		return "az"
	case "http", "https", "file":
		return s
	}
	return s
}

// IsRemote reports whether path is a URL of a remote file system.
func IsRemote(path string) bool {
	s := scheme(path)
	return s != "" && s != "file"
}

// localPath turns a file:// URL into a local path; other paths are
// returned unchanged.
func localPath(p string) (string, error) {
	if scheme(p) != "file" {
		return p, nil
	}
	u, err := url.Parse(p)
	if err != nil {
		return "", fmt.Errorf("IO Error: invalid file URL %q: %v", p, err)
	}
	if u.Host != "" && u.Host != "localhost" {
		return "", fmt.Errorf("IO Error: file URL %q names host %q; only local files (file:///path) are supported", p, u.Host)
	}
	if u.Path == "" {
		return "", fmt.Errorf("IO Error: file URL %q has no path", p)
	}
	return filepath.FromSlash(u.Path), nil
}

// objectURL is a parsed object-store path: bucket (or container) and key.
type objectURL struct {
	scheme  string // s3, gs, az
	account string // Azure storage account from abfss://container@account.dfs…
	bucket  string
	key     string // no leading slash; "" for the bucket's root
}

// root is the URL of the bucket, to which keys are appended.
func (u objectURL) root(orig string) string {
	i := strings.Index(orig, "://")
	rest := orig[i+3:]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest = rest[:j]
	}
	return orig[:i+3] + rest + "/"
}

func parseObjectURL(p string) (objectURL, error) {
	s := scheme(p)
	i := strings.Index(p, "://")
	rest := p[i+3:]
	host, key, _ := strings.Cut(rest, "/")
	u := objectURL{scheme: s, bucket: host, key: key}
	if s == "az" {
		// abfss://container@account.dfs.core.windows.net/path
		if c, acct, ok := strings.Cut(host, "@"); ok {
			u.bucket = c
			u.account, _, _ = strings.Cut(acct, ".")
		}
	}
	if u.bucket == "" {
		return u, fmt.Errorf("IO Error: URL %q names no bucket", p)
	}
	return u, nil
}

// joinURL appends elements to an object-store or HTTP folder URL.
func joinURL(dir string, elem ...string) string {
	out := strings.TrimRight(dir, "/")
	for _, e := range elem {
		e = strings.Trim(e, "/")
		if e != "" {
			out += "/" + e
		}
	}
	return out
}

// isNotExist reports a missing file on any file system.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
