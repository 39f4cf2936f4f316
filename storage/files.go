package storage

import "github.com/peregrinedb/peregrine/scan"

// Files opens every file a table name, path or glob names, without
// requiring one schema (parquet_metadata and parquet_schema list files of
// any shape).
func (c *Catalog) Files(name string) ([]*scan.File, error) {
	paths, _, err := c.resolve(name)
	if err != nil {
		return nil, err
	}
	out := make([]*scan.File, 0, len(paths))
	for _, p := range paths {
		f, err := c.open(p)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}
