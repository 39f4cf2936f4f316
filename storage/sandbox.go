package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// sandbox is a catalog's file-access policy, DuckDB's
// enable_external_access with its allowed_directories and allowed_paths
// exceptions. While external access is on it does nothing. Once it is
// off, a path is reachable only when its real location (symlinks and ..
// resolved by the operating system's rules) lies inside the database
// folder, inside an allowed directory, or is an allowed path. Catalog.FileSystem
// checks the path it is asked for and wraps the file system it returns, so
// that every path a listing, glob or dataset derives from it is checked
// again before it is stated, listed, opened, created or removed.
type sandbox struct {
	mu       sync.RWMutex
	disabled bool     // external access off
	dirs     []string // allowed directories: real paths, or cleaned URL prefixes ending in /
	paths    []string // allowed files: real paths or cleaned URLs
	// dirsSet and pathsSet are the values as the user wrote them, for
	// current_setting and SHOW.
	dirsSet, pathsSet []string
	// dbDir is the database folder's real location ending in / ("" when
	// in memory), resolved when access is turned off.
	dbDir string
}

// ErrPermission is wrapped by every refusal of the sandbox.
var ErrPermission = errors.New("file system operations are disabled by configuration")

// permissionError is DuckDB's message for a path the policy refuses.
func permissionError(kind, p string) error {
	return fmt.Errorf("Permission Error: Cannot access %s %q - %w", kind, p, ErrPermission)
}

// ExternalAccess reports whether files outside the database folder are
// reachable (enable_external_access).
func (c *Catalog) ExternalAccess() bool {
	c.sandbox.mu.RLock()
	defer c.sandbox.mu.RUnlock()
	return !c.sandbox.disabled
}

// DisableExternalAccess turns external access off for good, as DuckDB
// does: it cannot be turned back on while the database is open.
func (c *Catalog) DisableExternalAccess() {
	var dbDir string
	if c.dir != "" {
		if d, err := canonical(c.dir); err == nil {
			dbDir = strings.TrimRight(d, "/") + "/"
		}
	}
	c.sandbox.mu.Lock()
	if !c.sandbox.disabled {
		c.sandbox.disabled, c.sandbox.dbDir = true, dbDir
	}
	c.sandbox.mu.Unlock()
}

// EnableExternalAccess is SET enable_external_access = true: accepted only
// while access is still on.
func (c *Catalog) EnableExternalAccess() error {
	if !c.ExternalAccess() {
		return fmt.Errorf("Invalid Input Error: Cannot enable external access while database is running")
	}
	return nil
}

// SetAllowedDirectories replaces allowed_directories. Like DuckDB it is
// refused once external access is off, so that the policy can only
// tighten.
func (c *Catalog) SetAllowedDirectories(dirs []string) error {
	return c.setAllowed("allowed_directories", dirs, true)
}

// SetAllowedPaths replaces allowed_paths (single files).
func (c *Catalog) SetAllowedPaths(paths []string) error {
	return c.setAllowed("allowed_paths", paths, false)
}

func (c *Catalog) setAllowed(name string, in []string, dirs bool) error {
	s := c.sandbox
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.disabled {
		return fmt.Errorf("Invalid Input Error: Cannot change %s when enable_external_access is disabled", name)
	}
	resolved := make([]string, 0, len(in))
	for _, p := range in {
		r, err := canonical(p)
		if err != nil {
			return fmt.Errorf("Invalid Input Error: %s: %v", name, err)
		}
		if dirs && !strings.HasSuffix(r, "/") {
			r += "/"
		}
		resolved = append(resolved, r)
	}
	if dirs {
		s.dirs, s.dirsSet = resolved, append([]string(nil), in...)
	} else {
		s.paths, s.pathsSet = resolved, append([]string(nil), in...)
	}
	return nil
}

// AllowedDirectories is allowed_directories as set.
func (c *Catalog) AllowedDirectories() []string {
	c.sandbox.mu.RLock()
	defer c.sandbox.mu.RUnlock()
	return append([]string(nil), c.sandbox.dirsSet...)
}

// AllowedPaths is allowed_paths as set.
func (c *Catalog) AllowedPaths() []string {
	c.sandbox.mu.RLock()
	defer c.sandbox.mu.RUnlock()
	return append([]string(nil), c.sandbox.pathsSet...)
}

// checkPath returns nil when the policy lets p be reached; kind names it
// in the error ("file" or "directory"). A glob is checked at the folder
// before its first wildcard; what it matches is checked file by file.
func (c *Catalog) checkPath(p, kind string) error {
	s := c.sandbox
	s.mu.RLock()
	disabled, dbDir, dirs, paths := s.disabled, s.dbDir, s.dirs, s.paths
	s.mu.RUnlock()
	if !disabled {
		return nil
	}
	target := p
	if hasWildcard(p) {
		target = globRoot(p)
		kind = "file"
	}
	real, err := canonical(target)
	if err != nil {
		return permissionError(kind, p)
	}
	if within(real, dbDir) {
		return nil
	}
	for _, d := range dirs {
		if within(real, d) {
			return nil
		}
	}
	for _, a := range paths {
		if real == a {
			return nil
		}
	}
	return permissionError(kind, p)
}

// within reports whether real is the folder dir (ending in /) or below it.
func within(real, dir string) bool {
	if dir == "" {
		return false
	}
	return real+"/" == dir || strings.HasPrefix(real, dir)
}

// canonical is where p really is: for a local path the location the
// operating system reaches (symlinks followed and .. applied after them,
// as the kernel does); for a URL the scheme folded to its canonical name
// and the key cleaned of . and .. segments.
func canonical(p string) (string, error) {
	lp, err := localPath(p)
	if err != nil {
		return "", err
	}
	if IsRemote(lp) {
		i := strings.Index(lp, "://")
		rest := lp[i+3:]
		host, key, _ := strings.Cut(rest, "/")
		out := scheme(lp) + "://" + host + "/"
		if key != "" {
			k := strings.TrimPrefix(path.Clean("/"+key), "/")
			out += k
			if strings.HasSuffix(key, "/") && k != "" {
				out += "/"
			}
		}
		return out, nil
	}
	return realPath(lp)
}

// realPath resolves a local path the way the kernel would open it. The
// longest prefix that exists is resolved by the file system (symlinks,
// then .. relative to where they lead); the part that does not exist yet
// (a COPY target) has no symlinks, so it is cleaned lexically. A dangling
// symlink is refused: writing through it would create its target.
func realPath(p string) (string, error) {
	if !filepath.IsAbs(p) {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		// No filepath.Join: cleaning "link/.." lexically would undo a
		// symlink the kernel follows.
		p = wd + string(filepath.Separator) + p
	}
	cur, rest := p, ""
	for {
		r, err := filepath.EvalSymlinks(cur)
		if err == nil {
			return filepath.Clean(r + string(filepath.Separator) + rest), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if _, lerr := os.Lstat(cur); lerr == nil {
			return "", fmt.Errorf("dangling symlink %q", cur)
		}
		dir, base := filepath.Split(strings.TrimRight(cur, string(filepath.Separator)))
		if dir == "" || dir == cur {
			return "", err
		}
		rest = filepath.Join(base, rest)
		cur = dir
	}
}

// sandboxFS checks every path before the file system it wraps sees it.
type sandboxFS struct {
	FileSystem
	c *Catalog
}

func (s sandboxFS) Stat(ctx context.Context, p string) (FileStat, error) {
	if err := s.c.checkPath(p, "file"); err != nil {
		return FileStat{}, err
	}
	return s.FileSystem.Stat(ctx, p)
}

func (s sandboxFS) List(ctx context.Context, dir string, recursive bool) ([]FileStat, error) {
	if err := s.c.checkPath(dir, "directory"); err != nil {
		return nil, err
	}
	return s.FileSystem.List(ctx, dir, recursive)
}

func (s sandboxFS) Open(ctx context.Context, info FileStat) (ReaderAt, error) {
	if err := s.c.checkPath(info.Path, "file"); err != nil {
		return nil, err
	}
	return s.FileSystem.Open(ctx, info)
}

func (s sandboxFS) Create(ctx context.Context, p string) (Upload, error) {
	if err := s.c.checkPath(p, "file"); err != nil {
		return nil, err
	}
	return s.FileSystem.Create(ctx, p)
}

func (s sandboxFS) Remove(ctx context.Context, p string) error {
	if err := s.c.checkPath(p, "file"); err != nil {
		return err
	}
	return s.FileSystem.Remove(ctx, p)
}

// guard is Catalog.FileSystem's last step (after it checked the path it
// was asked for): while external access is off the file system comes back
// wrapped, so that the paths derived from that one are checked too.
func (c *Catalog) guard(fsys FileSystem) FileSystem {
	if c.ExternalAccess() {
		return fsys
	}
	return sandboxFS{FileSystem: fsys, c: c}
}
