package storage

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// listCache remembers the listings of one query, so that a folder is
// listed once however many times the query names it (a table read twice,
// a glob and its folder). The entries carry sizes and ETags, which key the
// footer cache: a query over an unchanged bucket lists and reads no
// footer again.
type listCache struct {
	mu sync.Mutex
	m  map[string][]FileStat
	// footers is set once the query started reading its database
	// folder's footers (footer_prefetch.go).
	footers bool
}

func (c *Catalog) list(ctx context.Context, fsys FileSystem, dir string, recursive bool) ([]FileStat, error) {
	key := listKey(dir, recursive)
	if lc := c.lists; lc != nil {
		lc.mu.Lock()
		v, ok := lc.m[key]
		lc.mu.Unlock()
		if ok {
			return v, nil
		}
	}
	v, err := fsys.List(ctx, dir, recursive)
	if err != nil {
		return nil, err
	}
	c.listings.Add(1)
	if lc := c.lists; lc != nil {
		lc.mu.Lock()
		lc.m[key] = v
		lc.mu.Unlock()
	}
	return v, nil
}

// listKey names a listing in the per-query cache.
func listKey(dir string, recursive bool) string { return fmt.Sprintf("%t|%s", recursive, dir) }

// hasWildcard reports glob syntax.
func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?[") }

// splitPattern cuts a glob into the folder before its first wildcard
// segment and the segments from there on. For URLs the bucket is always
// part of the folder.
func splitPattern(p string) (dir string, segs []string) {
	head := ""
	rest := p
	if i := strings.Index(p, "://"); i >= 0 && IsRemote(p) {
		j := strings.IndexByte(p[i+3:], '/')
		if j < 0 {
			return p, nil
		}
		head, rest = p[:i+3+j], p[i+3+j+1:]
	}
	parts := strings.Split(filepath.ToSlash(rest), "/")
	k := 0
	for k < len(parts) && !hasWildcard(parts[k]) {
		k++
	}
	lit := strings.Join(parts[:k], "/")
	switch {
	case head != "":
		dir = head
		if lit != "" {
			dir += "/" + lit
		}
	case lit == "" && strings.HasPrefix(rest, "/"):
		dir = "/"
	case lit == "":
		dir = "."
	default:
		dir = filepath.FromSlash(lit)
	}
	return dir, parts[k:]
}

// matchSegs matches path segments against pattern segments where "**"
// stands for any number of segments (none included).
func matchSegs(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for k := 0; k <= len(segs); k++ {
				if matchSegs(pat[1:], segs[k:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}

// relPath is p relative to the folder root ("" when p is not below it).
func relPath(root, p string) string {
	if IsRemote(root) || IsRemote(p) {
		r := strings.TrimRight(root, "/") + "/"
		if strings.HasPrefix(p, r) {
			return p[len(r):]
		}
		return ""
	}
	rel, err := filepath.Rel(root, p)
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	return filepath.ToSlash(rel)
}

// hiddenIn reports whether a relative path passes through a hidden folder
// or names a hidden file that the pattern segments did not spell out.
func hiddenIn(rel string, pat []string) bool {
	for i, part := range strings.Split(rel, "/") {
		if !isHidden(part) {
			continue
		}
		if i < len(pat) && pat[i] != "**" && isHidden(pat[i]) {
			continue
		}
		return true
	}
	return false
}

// glob expands a pattern with *, ?, [...] and ** (any depth) into files,
// sorted. A ** lists its folder once, recursively (no delimiter); other
// wildcard segments list one level with a delimiter, so that a pattern
// like year=*/month=1/*.parquet never lists the whole bucket.
func (c *Catalog) glob(ctx context.Context, fsys FileSystem, pattern string) ([]FileStat, error) {
	root, segs := splitPattern(pattern)
	type cand struct{ dir string }
	cur := []cand{{dir: root}}
	var out []FileStat
	for i, seg := range segs {
		last := i == len(segs)-1
		if seg == "**" {
			for _, d := range cur {
				entries, err := c.list(ctx, fsys, d.dir, true)
				if err != nil {
					return nil, ioError(err)
				}
				for _, e := range entries {
					rel := relPath(d.dir, e.Path)
					if rel == "" || hiddenIn(rel, segs[i:]) {
						continue
					}
					if matchSegs(segs[i:], strings.Split(rel, "/")) {
						out = append(out, e)
					}
				}
			}
			cur = nil
			break
		}
		var next []cand
		for _, d := range cur {
			entries, err := c.list(ctx, fsys, d.dir, false)
			if err != nil {
				if isNotExist(err) {
					continue
				}
				return nil, ioError(err)
			}
			for _, e := range entries {
				name := path.Base(filepath.ToSlash(e.Path))
				if ok, _ := path.Match(seg, name); !ok {
					continue
				}
				if isHidden(name) && !isHidden(seg) {
					continue
				}
				switch {
				case last && !e.IsDir:
					out = append(out, e)
				case !last && e.IsDir:
					next = append(next, cand{dir: e.Path})
				}
			}
		}
		cur = next
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	// Two ** matches of one file cannot happen (one listing), but several
	// patterns may name it: dedupe neighbours.
	dedup := out[:0]
	for i, f := range out {
		if i == 0 || f.Path != out[i-1].Path {
			dedup = append(dedup, f)
		}
	}
	return dedup, nil
}

// parquetFilesUnder lists *.parquet files below dir at any depth, sorted,
// skipping hidden files and folders.
func (c *Catalog) parquetFilesUnder(ctx context.Context, fsys FileSystem, dir string) ([]FileStat, error) {
	entries, err := c.list(ctx, fsys, dir, true)
	if err != nil {
		return nil, ioError(err)
	}
	var out []FileStat
	for _, e := range entries {
		rel := relPath(dir, e.Path)
		if rel == "" || hiddenIn(rel, nil) || !strings.HasSuffix(strings.ToLower(rel), ".parquet") {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}
