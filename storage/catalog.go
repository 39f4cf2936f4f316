package storage

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// Table is a set of opened Parquet files read as one relation.
//
// Columns lists the dataset's file columns followed by its hive partition
// columns. When Dataset is nil or Dataset.Uniform(DataFiles) is true, column
// i is column i of every file (the layout exec has always assumed);
// otherwise DataFiles[k] says, for Files[k], which file column feeds each
// table column, which need widening, and the partition values.
type Table struct {
	Name    string
	Files   []*scan.File
	Columns []scan.Column
	NumRows int64

	Dataset   *Dataset
	DataFiles []DataFile // parallel to Files
}

// Catalog resolves table names. It is safe for concurrent use.
type Catalog struct {
	dir string // "" for an in-memory database

	mu    sync.Mutex
	files map[string]cachedFile
	// handles bounds the number of open descriptors: a dataset of 10,000
	// files must not hold 10,000 descriptors between queries.
	handles *handlePool
	// footers counts footers parsed (cache misses), for tests and EXPLAIN.
	footers atomic.Int64
}

type cachedFile struct {
	f     *scan.File
	h     *pooledFile
	size  int64
	mtime time.Time
}

// Open returns a catalog over dir; "" means no directory (tables by path only).
func Open(dir string) (*Catalog, error) {
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, ioErrorf("cannot open database %q: %s", dir, sysMessage(err))
		}
		if !st.IsDir() {
			return nil, ioErrorf("cannot open database %q: Not a directory", dir)
		}
	}
	return &Catalog{dir: dir, files: map[string]cachedFile{}, handles: newHandlePool(maxOpenHandles)}, nil
}

// Dir is the database directory ("" when in memory).
func (c *Catalog) Dir() string { return c.dir }

// Close closes every cached file.
func (c *Catalog) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for p, cf := range c.files {
		if err := cf.h.Close(); err != nil && first == nil {
			first = err
		}
		forgetStats(cf.f)
		delete(c.files, p)
	}
	return first
}

// FootersOpened is the number of Parquet footers the catalog has parsed
// (cache hits excluded).
func (c *Catalog) FootersOpened() int64 { return c.footers.Load() }

// TableNames lists the tables of the database directory, sorted.
func (c *Catalog) TableNames() ([]string, error) {
	if c.dir == "" {
		return nil, nil
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		switch {
		case strings.HasPrefix(n, "."):
		case e.IsDir():
			if files, _ := parquetFilesUnder(filepath.Join(c.dir, n)); len(files) > 0 {
				names = append(names, n)
			}
		case strings.HasSuffix(strings.ToLower(n), ".parquet"):
			names = append(names, n[:len(n)-len(".parquet")])
		}
	}
	sort.Strings(names)
	return names, nil
}

// IsPath reports whether a table reference names files rather than a table.
func IsPath(name string) bool {
	return strings.ContainsAny(name, "/\\*?[") || strings.HasSuffix(strings.ToLower(name), ".parquet")
}

// Table resolves name: a table of the database directory, or a file path,
// folder or glob (relative paths are relative to the working directory).
// Hive partitions are detected automatically and every file is opened; use
// Dataset to prune partitions before footers are read.
func (c *Catalog) Table(name string) (*Table, error) {
	d, err := c.Dataset(context.Background(), []string{name}, DatasetOptions{})
	if err != nil {
		return nil, err
	}
	return d.Table(context.Background(), d.Files)
}

// Tables reads a list of paths (files, folders, globs) as one table, like
// read_parquet(['a', 'b']).
func (c *Catalog) Tables(paths []string) (*Table, error) {
	d, err := c.Dataset(context.Background(), paths, DatasetOptions{})
	if err != nil {
		return nil, err
	}
	return d.Table(context.Background(), d.Files)
}

// resolve expands a name into files and the folder they were found under
// ("" when the name is a single file).
func (c *Catalog) resolve(name string) (files []string, root string, err error) {
	if IsPath(name) {
		files, err := expandPath(name)
		if err != nil {
			return nil, "", err
		}
		if st, err := os.Stat(name); err == nil && st.IsDir() {
			return files, name, nil
		}
		return files, "", nil
	}
	if c.dir == "" {
		return nil, "", fmt.Errorf("Catalog Error: Table with name %s does not exist!", name)
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return nil, "", err
	}
	for _, e := range entries {
		n := e.Name()
		full := filepath.Join(c.dir, n)
		if e.IsDir() && strings.EqualFold(n, name) {
			files, err := parquetFilesUnder(full)
			if err != nil {
				return nil, "", err
			}
			if len(files) > 0 {
				return files, full, nil
			}
		}
		if !e.IsDir() && strings.EqualFold(n, name+".parquet") {
			return []string{full}, "", nil
		}
	}
	return nil, "", fmt.Errorf("Catalog Error: Table with name %s does not exist!", name)
}

// expandPath turns a file, folder or glob (with ** for any depth) into files.
func expandPath(p string) ([]string, error) {
	if !strings.ContainsAny(p, "*?[") {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("IO Error: No files found that match the pattern %q", p)
		}
		if st.IsDir() {
			files, err := parquetFilesUnder(p)
			if err == nil && len(files) == 0 {
				err = fmt.Errorf("IO Error: No files found that match the pattern %q", p)
			}
			return files, err
		}
		return []string{p}, nil
	}
	var files []string
	if strings.Contains(p, "**") {
		root := p[:strings.Index(p, "**")]
		root = strings.TrimRight(root, "/")
		if root == "" {
			root = "."
		}
		rest := strings.TrimLeft(p[strings.Index(p, "**")+2:], "/")
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != root && isHidden(d.Name()) {
					return filepath.SkipDir
				}
				return nil
			}
			if isHidden(d.Name()) {
				return nil
			}
			if ok, _ := filepath.Match(rest, filepath.Base(path)); ok || rest == "" {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, pathError("Cannot read directory", err)
		}
	} else {
		m, err := filepath.Glob(p)
		if err != nil {
			return nil, fmt.Errorf("IO Error: bad pattern %q: %v", p, err)
		}
		for _, f := range m {
			if !hiddenBelow(f, p) {
				files = append(files, f)
			}
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("IO Error: No files found that match the pattern %q", p)
	}
	return files, nil
}

// isHidden reports names writers use for temporary or metadata files
// (.staging, _SUCCESS, _delta_log), which dataset readers skip.
func isHidden(name string) bool { return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") }

// hiddenBelow reports whether a glob match passes through a hidden folder or
// names a hidden file that the pattern did not spell out.
func hiddenBelow(match, pattern string) bool {
	mp := strings.Split(filepath.ToSlash(match), "/")
	pp := strings.Split(filepath.ToSlash(pattern), "/")
	for i, part := range mp {
		if i < len(pp) && isHidden(part) && !isHidden(pp[i]) {
			return true
		}
	}
	return false
}

// parquetFilesUnder lists *.parquet files below dir at any depth, sorted.
func parquetFilesUnder(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && isHidden(name) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(strings.ToLower(name), ".parquet") && !isHidden(name) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, pathError("Cannot read directory", err)
	}
	sort.Strings(files)
	return files, nil
}

// open returns the cached file for path, reopening it when it changed.
// Footers are parsed outside the lock so that many can be read in parallel.
func (c *Catalog) open(path string) (*scan.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, ioErrorf("Cannot open file %q: %s", path, sysMessage(err))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	c.mu.Lock()
	if cf, ok := c.files[abs]; ok {
		if cf.size == st.Size() && cf.mtime.Equal(st.ModTime()) {
			c.mu.Unlock()
			return cf.f, nil
		}
		// The file changed: queries that already hold the old handle keep
		// it (its reads fail cleanly, see pooledFile); new ones see the new
		// contents. Its cached statistics go with it.
		forgetStats(cf.f)
		delete(c.files, abs)
	}
	c.mu.Unlock()

	h := c.handles.file(path, st.Size(), st.ModTime())
	f, err := scan.NewFile(h, st.Size(), path)
	if err != nil {
		h.Close()
		return nil, err
	}
	c.footers.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if cf, ok := c.files[abs]; ok && cf.size == st.Size() && cf.mtime.Equal(st.ModTime()) {
		// Another goroutine opened it meanwhile: keep one copy.
		h.Close()
		return cf.f, nil
	}
	c.files[abs] = cachedFile{f: f, h: h, size: st.Size(), mtime: st.ModTime()}
	return f, nil
}

// ColumnTypes lists the table's column types.
func (t *Table) ColumnTypes() []coldata.Type {
	out := make([]coldata.Type, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Type
	}
	return out
}
