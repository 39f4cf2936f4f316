package storage

import "github.com/peregrinedb/peregrine/scan"

// Files opens every file a table name, path or glob names, without
// requiring one schema (parquet_metadata and parquet_schema list files of
// any shape).
func (c *Catalog) Files(name string) ([]*scan.File, error) {
	infos, _, err := c.resolve(c.ctx, name)
	if err != nil {
		return nil, err
	}
	out := make([]*scan.File, 0, len(infos))
	for _, fi := range infos {
		f, err := c.open(c.ctx, fi)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}
