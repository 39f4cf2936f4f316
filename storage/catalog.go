package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

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

	// Mem, when set, holds the rows instead of Files (table_mem.go); the
	// executor reads its snapshot at the time the query is built. With
	// RowID, the last of Columns is the row's position in that snapshot
	// (UPDATE and DELETE find their rows by it).
	Mem   *MemTable
	RowID bool
}

// Catalog resolves table names. It is safe for concurrent use. Query
// returns a view of it for one query, which shares everything but the
// listing cache and the context.
type Catalog struct {
	*catalogState
	ctx   context.Context
	lists *listCache // nil outside a query
}

type catalogState struct {
	dir string // "" for an in-memory database

	mu    sync.Mutex
	files map[string]cachedFile
	// handles bounds the number of open descriptors: a dataset of 10,000
	// files must not hold 10,000 descriptors between queries.
	handles *handlePool
	local   *localFS
	remote  *remotes
	sandbox *sandbox // enable_external_access and its exceptions
	// footers counts footers parsed (cache misses), listings the folder
	// listings made, for tests and EXPLAIN.
	footers, listings atomic.Int64
	// opening is Open's listing of an object-store folder, for the first
	// query (openlist.go).
	opening openingListing
	// footerReads holds the footer reads in flight, by path (footer_prefetch.go).
	footerReads map[string]*openCall
}

type cachedFile struct {
	f    *scan.File
	h    ReaderAt
	info FileStat
}

// Open returns a catalog over dir, a local folder or an object-store URL
// (s3://bucket/prefix, gs://…, az://…); "" means no directory (tables by
// path only).
func Open(dir string) (*Catalog, error) {
	dir, err := localPath(dir) // file:// URLs become plain paths
	if err != nil {
		return nil, ioErrorf("cannot open database %q: %s", dir, sysMessage(err))
	}
	hp := newHandlePool(maxOpenHandles)
	c := &Catalog{catalogState: &catalogState{dir: dir, files: map[string]cachedFile{}, handles: hp,
		local: &localFS{handles: hp}, remote: newRemotes(), sandbox: &sandbox{}}, ctx: context.Background()}
	if dir != "" {
		ctx := context.Background()
		fsys, err := c.FileSystem(ctx, dir)
		if err != nil {
			return nil, ioErrorf("cannot open database %q: %s", dir, sysMessage(err))
		}
		if IsRemote(dir) && c.listAtOpen(ctx, fsys, strings.TrimRight(dir, "/")) {
			c.dir = strings.TrimRight(dir, "/")
			return c, nil
		}
		probe := dir
		if IsRemote(dir) {
			// A prefix: one listing answers, where a HEAD of the name
			// would first have to miss.
			probe = strings.TrimRight(dir, "/") + "/"
		}
		st, err := fsys.Stat(ctx, probe)
		if err != nil && probe != dir && isNotExist(err) {
			st, err = fsys.Stat(ctx, dir)
		}
		if err != nil {
			return nil, ioErrorf("cannot open database %q: %s", dir, sysMessage(err))
		}
		if !st.IsDir {
			return nil, ioErrorf("cannot open database %q: Not a directory", dir)
		}
		if IsRemote(dir) {
			c.dir = strings.TrimRight(dir, "/")
		}
	}
	return c, nil
}

// Query returns the catalog as one query sees it: folders are listed at
// most once during the query, and ctx bounds its file-system calls.
func (c *Catalog) Query(ctx context.Context) *Catalog {
	lists := &listCache{m: map[string][]FileStat{}}
	if l := c.claimOpeningListing(); l != nil {
		lists.m[listKey(c.dir, true)] = l
	}
	return &Catalog{catalogState: c.catalogState, ctx: ctx, lists: lists}
}

// Context is the context of the query this view belongs to.
func (c *Catalog) Context() context.Context { return c.ctx }

// ctxFor is ctx when it can be cancelled, else the query's: callers that
// have no context of their own (context.Background()) still stop with
// their query.
func (c *Catalog) ctxFor(ctx context.Context) context.Context {
	if ctx == nil || ctx.Done() == nil {
		return c.ctx
	}
	return ctx
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

// Listings is the number of folder listings the catalog has made.
func (c *Catalog) Listings() int64 { return c.listings.Load() }

// TableNames lists the tables of the database directory, sorted: one
// recursive listing of the directory serves them all.
func (c *Catalog) TableNames() ([]string, error) {
	if c.dir == "" {
		return nil, nil
	}
	tables, err := c.dirTables()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(tables))
	for n := range tables {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}

// TablePaths maps the database directory's table names to the path each
// is read from: the NAME folder, or the NAME.parquet file.
func (c *Catalog) TablePaths() (map[string]string, error) {
	if c.dir == "" {
		return nil, nil
	}
	tables, err := c.dirTables()
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(tables))
	for n, t := range tables {
		out[n] = t.root
		if t.root == "" {
			out[n] = t.files[0].Path
		}
	}
	return out, nil
}

// dirTable is one table of the database directory.
type dirTable struct {
	files []FileStat
	root  string // the folder of a folder table, "" for NAME.parquet
}

// dirTables maps the database directory's table names to their files.
func (c *Catalog) dirTables() (map[string]dirTable, error) {
	fsys, err := c.FileSystem(c.ctx, c.dir)
	if err != nil {
		return nil, err
	}
	entries, err := c.list(c.ctx, fsys, c.dir, true)
	if err != nil {
		return nil, ioError(err)
	}
	folders, files := map[string]dirTable{}, map[string]dirTable{}
	for _, e := range entries {
		rel := relPath(c.dir, e.Path)
		if rel == "" || strings.HasPrefix(rel, ".") {
			continue
		}
		first, below, nested := strings.Cut(rel, "/")
		if !nested {
			if strings.HasSuffix(strings.ToLower(first), ".parquet") {
				files[first[:len(first)-len(".parquet")]] = dirTable{files: []FileStat{e}}
			}
			continue
		}
		if hiddenIn(below, nil) || !strings.HasSuffix(strings.ToLower(below), ".parquet") {
			continue
		}
		t := folders[first]
		t.root = fsys.Join(c.dir, first)
		t.files = append(t.files, e)
		folders[first] = t
	}
	// A folder NAME wins over NAME.parquet.
	for n, t := range folders {
		files[n] = t
	}
	c.prefetchFooters(files)
	return files, nil
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
	d, err := c.Dataset(c.ctx, []string{name}, DatasetOptions{})
	if err != nil {
		return nil, err
	}
	return d.Table(c.ctx, d.Files)
}

// Tables reads a list of paths (files, folders, globs) as one table, like
// read_parquet(['a', 'b']).
func (c *Catalog) Tables(paths []string) (*Table, error) {
	d, err := c.Dataset(c.ctx, paths, DatasetOptions{})
	if err != nil {
		return nil, err
	}
	return d.Table(c.ctx, d.Files)
}

// resolve expands a name into files and the folder they were found under
// ("" when the name is a single file).
func (c *Catalog) resolve(ctx context.Context, name string) (files []FileStat, root string, err error) {
	if IsPath(name) {
		return c.expandPath(ctx, name)
	}
	if c.dir == "" {
		return nil, "", fmt.Errorf("Catalog Error: Table with name %s does not exist!", name)
	}
	tables, err := c.dirTables()
	if err != nil {
		return nil, "", err
	}
	// A folder wins over NAME.parquet, like the directory listing order
	// the catalog always used (folders and files compared by name).
	var best string
	for n := range tables {
		if strings.EqualFold(n, name) && (best == "" || n < best) {
			best = n
		}
	}
	if t, ok := tables[best]; ok && best != "" && len(t.files) > 0 {
		return t.files, t.root, nil
	}
	return nil, "", fmt.Errorf("Catalog Error: Table with name %s does not exist!", name)
}

// expandPath turns a file, folder or glob (with ** for any depth) into
// files, and returns the folder hive partitions are relative to.
func (c *Catalog) expandPath(ctx context.Context, p string) ([]FileStat, string, error) {
	p, err := localPath(p) // file:// URLs become plain paths
	if err != nil {
		return nil, "", err
	}
	fsys, err := c.FileSystem(ctx, p)
	if err != nil {
		return nil, "", err
	}
	noMatch := fmt.Errorf("IO Error: No files found that match the pattern %q", p)
	if !hasWildcard(p) {
		st, err := fsys.Stat(ctx, p)
		if err != nil {
			if isNotExist(err) {
				return nil, "", noMatch
			}
			return nil, "", err
		}
		if !st.IsDir {
			return []FileStat{st}, "", nil
		}
		dir := st.Path
		files, err := c.parquetFilesUnder(ctx, fsys, dir)
		if err == nil && len(files) == 0 {
			err = noMatch
		}
		return files, dir, err
	}
	files, err := c.glob(ctx, fsys, p)
	if err != nil {
		return nil, "", err
	}
	if len(files) == 0 {
		return nil, "", noMatch
	}
	return files, globRoot(p), nil
}

// isHidden reports names writers use for temporary or metadata files
// (.staging, _SUCCESS, _delta_log), which dataset readers skip.
func isHidden(name string) bool { return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") }

// open returns the cached file for info, reopening it when its version
// changed. Footers are parsed outside the lock so that many can be read in
// parallel.
func (c *Catalog) open(ctx context.Context, info FileStat) (*scan.File, error) {
	fsys, err := c.FileSystem(ctx, info.Path)
	if err != nil {
		return nil, err
	}
	if info.Size == 0 && info.ETag == "" && info.ModTime.IsZero() || !IsRemote(info.Path) {
		// Locally a stat is cheap and catches files rewritten since they
		// were listed; remotely the listing's ETag is the version.
		st, err := fsys.Stat(ctx, info.Path)
		if err != nil {
			return nil, ioErrorf("Cannot open file %q: %s", info.Path, sysMessage(err))
		}
		if st.IsDir {
			return nil, ioErrorf("Cannot open file %q: Is a directory", info.Path)
		}
		info = st
	}
	key := info.Path
	if !IsRemote(key) {
		if lp, err := localPath(key); err == nil {
			if abs, err := filepath.Abs(lp); err == nil {
				key = abs
			}
		}
	}
	c.mu.Lock()
	if cf, ok := c.files[key]; ok {
		if cf.info.sameVersion(info) {
			c.mu.Unlock()
			return cf.f, nil
		}
		// The file changed: queries that already hold the old handle keep
		// it (its reads fail cleanly); new ones see the new contents. Its
		// cached statistics go with it.
		forgetStats(cf.f)
		delete(c.files, key)
	}
	c.mu.Unlock()
	return c.readFooter(ctx, fsys, key, info)
}

// ColumnTypes lists the table's column types.
func (t *Table) ColumnTypes() []coldata.Type {
	out := make([]coldata.Type, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Type
	}
	return out
}
