package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// FileSet resolves paths like Dataset and reads the hive partitions from the
// folder names, but opens no file: the start of reading CSV or JSON files,
// and of Dataset.
func (c *Catalog) FileSet(ctx context.Context, paths []string, opts DatasetOptions) (*Dataset, error) {
	ctx = c.ctxFor(ctx)
	if len(paths) == 0 {
		return nil, fmt.Errorf("Binder Error: no files to read")
	}
	d := &Dataset{Name: strings.Join(paths, ", "), Opts: opts, cat: c}
	var rels []string // path relative to its root, for hive parsing
	for _, p := range paths {
		files, root, err := c.resolveAny(ctx, p)
		if err != nil {
			return nil, err
		}
		for _, fi := range files {
			f := fi.Path
			d.Files = append(d.Files, DataFile{Path: f, Info: fi})
			rel := ""
			if root != "" {
				rel = relPath(root, f)
			}
			if rel == "" {
				rel = filepath.Base(f)
				if opts.HivePartitioning == HiveEnabled || len(opts.HiveTypes) > 0 {
					rel = kvSuffix(f) // a single file named explicitly: its path's key=value folders
				}
			}
			rels = append(rels, rel)
		}
	}
	if err := d.initPartitions(rels); err != nil {
		return nil, err
	}
	return d, nil
}

// resolveAny is resolve for names that may be text files: x.csv names a
// file, not a table, though it has no slash.
func (c *Catalog) resolveAny(ctx context.Context, name string) ([]FileStat, string, error) {
	if !IsPath(name) && IsTextFile(name) {
		return c.expandPath(ctx, name)
	}
	return c.resolve(ctx, name)
}

// IsTextFile reports whether a path names a CSV or JSON file by its
// extension (compressed ones included).
func IsTextFile(name string) bool {
	return TextFormat(name) != ""
}

// TextFormat is "csv" or "json" for paths with such an extension
// (.csv, .tsv, .json, .jsonl, .ndjson, each optionally .gz or .zst), else "".
func TextFormat(name string) string {
	n := strings.ToLower(name)
	for _, z := range []string{".gz", ".gzip", ".zst", ".zstd"} {
		n = strings.TrimSuffix(n, z)
	}
	switch filepath.Ext(n) {
	case ".csv", ".tsv":
		return "csv"
	case ".json", ".jsonl", ".ndjson":
		return "json"
	}
	return ""
}
