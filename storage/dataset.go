package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// HiveMode says whether key=value folders become columns.
type HiveMode uint8

const (
	// HiveAuto enables partitions when every file sits below key=value
	// folders with the same keys (DuckDB's default).
	HiveAuto HiveMode = iota
	// HiveEnabled always reads key=value folders as columns
	// (hive_partitioning = true).
	HiveEnabled
	// HiveDisabled never does (hive_partitioning = false).
	HiveDisabled
)

// DatasetOptions are read_parquet's options.
type DatasetOptions struct {
	HivePartitioning HiveMode
	// HiveTypes fixes partition column types by name (case-insensitive)
	// instead of inferring them; naming any implies HiveEnabled.
	HiveTypes map[string]coldata.Type
	// UnionByName merges file schemas by column name; otherwise every file
	// must match the first by position.
	UnionByName bool
}

// Dataset is a set of Parquet files read as one table: the file columns
// (merged across files) followed by the hive partition columns.
type Dataset struct {
	Name          string
	Files         []DataFile
	Columns       []scan.Column // file columns, in dataset order
	PartitionCols []PartitionColumn
	Opts          DatasetOptions

	cat   *Catalog
	first string // the file whose schema the dataset took (positional mode)
}

// DataFile is one file of a dataset.
type DataFile struct {
	Path string
	// Info is what the listing said of the file (size, version): opening
	// it needs no further request.
	Info FileStat
	// File is the opened footer; nil until Dataset.Open (files pruned by
	// partition never get one).
	File *scan.File
	// Partition holds the values of Dataset.PartitionCols for this file.
	Partition []coldata.Datum
	// ColumnMap[i] is the column of File feeding Dataset.Columns[i], or -1
	// when the file lacks it (the column reads as NULL). Set with File.
	ColumnMap []int
}

// NeedsWiden reports whether dataset column i must be converted with Widen
// after reading it from this file (the file stores a narrower type).
func (f *DataFile) NeedsWiden(d *Dataset, i int) bool {
	j := f.ColumnMap[i]
	return j >= 0 && f.File.Columns()[j].Type != d.Columns[i].Type
}

// AllColumns lists the table's columns: file columns then partition columns.
func (d *Dataset) AllColumns() []scan.Column {
	out := append([]scan.Column(nil), d.Columns...)
	for _, p := range d.PartitionCols {
		out = append(out, scan.Column{Name: p.Name, Type: p.Type, Nullable: true})
	}
	return out
}

// PartitionIndex returns the index in PartitionCols of name, or -1.
func (d *Dataset) PartitionIndex(name string) int {
	for i, p := range d.PartitionCols {
		if strings.EqualFold(p.Name, name) {
			return i
		}
	}
	return -1
}

// Uniform reports whether column i of the table is column i of each of
// files with no conversion: no partition columns, no missing or widened
// columns. Exec's plain scan path is valid exactly then.
func (d *Dataset) Uniform(files []DataFile) bool {
	if len(d.PartitionCols) > 0 {
		return false
	}
	for _, f := range files {
		if f.File == nil || len(f.File.Columns()) != len(d.Columns) {
			return false
		}
		for i, j := range f.ColumnMap {
			if j != i || f.File.Columns()[j].Type != d.Columns[i].Type {
				return false
			}
		}
	}
	return true
}

// Dataset resolves paths (table names of the database directory, files,
// folders or globs; several are concatenated like read_parquet's list) and
// reads partition values from the folder names. Without UnionByName only the
// first file's footer is opened here, so that PrunePartitions can skip the
// rest; with it every footer is read (in parallel) to merge the schemas.
func (c *Catalog) Dataset(ctx context.Context, paths []string, opts DatasetOptions) (*Dataset, error) {
	ctx = c.ctxFor(ctx)
	d, err := c.FileSet(ctx, paths, opts)
	if err != nil {
		return nil, err
	}
	if opts.UnionByName {
		opened, err := c.openAll(ctx, d.Files)
		if err != nil {
			return nil, err
		}
		var origin []string
		for _, f := range opened {
			if d.Columns, origin, err = mergeByName(d.Columns, origin, f); err != nil {
				return nil, err
			}
		}
		d.Columns = d.dropPartitionNames(d.Columns)
		for i := range d.Files {
			d.Files[i].File = opened[i]
			if d.Files[i].ColumnMap, err = columnMap(d.Columns, "", opened[i], true); err != nil {
				return nil, err
			}
		}
		return d, nil
	}
	f, err := c.open(ctx, d.Files[0].info())
	if err != nil {
		return nil, err
	}
	d.first = f.Path()
	d.Columns = d.dropPartitionNames(append([]scan.Column(nil), f.Columns()...))
	d.Files[0].File = f
	if d.Files[0].ColumnMap, err = d.mapFile(f); err != nil {
		return nil, err
	}
	return d, nil
}

// dropPartitionNames removes file columns that a partition key shadows: the
// folder value is authoritative (writers with PARTITION_BY leave the key out
// of the files anyway).
func (d *Dataset) dropPartitionNames(cols []scan.Column) []scan.Column {
	if len(d.PartitionCols) == 0 {
		return cols
	}
	out := cols[:0:0]
	for _, c := range cols {
		if d.PartitionIndex(c.Name) < 0 {
			out = append(out, c)
		}
	}
	return out
}

func (d *Dataset) mapFile(f *scan.File) ([]int, error) {
	if d.Opts.UnionByName || len(d.PartitionCols) > 0 {
		// Shadowed partition names make positions differ; match by name but
		// still demand the same column set unless union_by_name.
		m, err := columnMap(d.Columns, d.first, f, true)
		if err != nil || d.Opts.UnionByName {
			return m, err
		}
		for i, j := range m {
			if j < 0 {
				return nil, fmt.Errorf("Binder Error: file %s has no column %q that %s has; use union_by_name to read it as NULL",
					f.Path(), d.Columns[i].Name, d.first)
			}
		}
		if extra := len(f.Columns()) - len(d.Columns); extra != 0 {
			for _, c := range f.Columns() {
				if d.PartitionIndex(c.Name) >= 0 {
					extra--
				}
			}
			if extra > 0 {
				return nil, fmt.Errorf("Binder Error: files %s and %s have different schemas (%d vs %d columns); use union_by_name to combine them by column name",
					d.first, f.Path(), len(d.Columns), len(d.Columns)+extra)
			}
		}
		return m, nil
	}
	return columnMap(d.Columns, d.first, f, false)
}

// initPartitions fills PartitionCols and each file's Partition.
func (d *Dataset) initPartitions(rels []string) error {
	mode := d.Opts.HivePartitioning
	if len(d.Opts.HiveTypes) > 0 && mode == HiveAuto {
		mode = HiveEnabled
	}
	if mode == HiveDisabled {
		return nil
	}
	var keys []string
	vals := make([][]string, len(rels))
	for i, rel := range rels {
		k, v, ok := hivePairs(rel)
		if ok && i == 0 {
			keys = k
		}
		if !ok || !sameKeys(keys, k) || len(k) == 0 {
			if mode == HiveAuto {
				return nil
			}
			return fmt.Errorf("Binder Error: hive partition mismatch: %s has partition keys [%s], %s has [%s]",
				d.Files[0].Path, strings.Join(keys, ", "), d.Files[i].Path, strings.Join(k, ", "))
		}
		vals[i] = v
	}
	for i, k := range keys {
		col := make([]string, len(vals))
		for j := range vals {
			col[j] = vals[j][i]
		}
		t, given := lookupType(d.Opts.HiveTypes, k)
		if !given {
			t = inferPartitionType(col)
		}
		d.PartitionCols = append(d.PartitionCols, PartitionColumn{Name: k, Type: t})
	}
	for j := range d.Files {
		part := make([]coldata.Datum, len(keys))
		for i, pc := range d.PartitionCols {
			v, err := parsePartitionValue(vals[j][i], pc.Type)
			if err != nil {
				return fmt.Errorf("Conversion Error: hive partition %s=%s in %s: %v", pc.Name, vals[j][i], d.Files[j].Path, err)
			}
			part[i] = v
		}
		d.Files[j].Partition = part
	}
	return nil
}

func sameKeys(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

func lookupType(m map[string]coldata.Type, name string) (coldata.Type, bool) {
	for k, t := range m {
		if strings.EqualFold(k, name) {
			return t, true
		}
	}
	return coldata.Type{}, false
}

// Open returns files with File and ColumnMap set, reading the footers that
// are not cached yet in parallel. An incompatible file is an error naming
// it and the file the schema came from.
func (d *Dataset) Open(ctx context.Context, files []DataFile) ([]DataFile, error) {
	ctx = d.cat.ctxFor(ctx)
	opened, err := d.cat.openAll(ctx, files)
	if err != nil {
		return nil, err
	}
	out := make([]DataFile, len(files))
	for i, f := range files {
		out[i] = f
		if f.File == opened[i] && f.ColumnMap != nil {
			continue
		}
		out[i].File = opened[i]
		if out[i].ColumnMap, err = d.mapFile(opened[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Table opens files (typically what PrunePartitions kept) and returns them
// as a Table for the planner and executor.
func (d *Dataset) Table(ctx context.Context, files []DataFile) (*Table, error) {
	opened, err := d.Open(ctx, files)
	if err != nil {
		return nil, err
	}
	t := &Table{Name: d.Name, Columns: d.AllColumns(), Dataset: d, DataFiles: opened}
	for _, f := range opened {
		t.Files = append(t.Files, f.File)
		t.NumRows += f.File.NumRows()
	}
	return t, nil
}

// openAll opens files with a bounded pool of workers; cached footers cost a
// stat. The first error (in file order) wins and stops the other workers.
func (c *Catalog) openAll(ctx context.Context, files []DataFile) ([]*scan.File, error) {
	out := make([]*scan.File, len(files))
	errs := make([]error, len(files))
	workers := 2 * runtime.GOMAXPROCS(0)
	if len(files) > 0 && IsRemote(files[0].info().Path) {
		// Footer reads over a network are round trips, not CPU.
		workers = max(workers, remoteOpenParallelism)
	}
	workers = min(workers, len(files))
	stop := make(chan struct{})
	var once sync.Once
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if files[i].File != nil {
					out[i] = files[i].File
					continue
				}
				if out[i], errs[i] = c.open(ctx, files[i].info()); errs[i] != nil {
					once.Do(func() { close(stop) })
				}
			}
		}()
	}
	var ctxErr error
feed:
	for i := range files {
		select {
		case next <- i:
		case <-stop:
			break feed
		case <-ctx.Done():
			ctxErr = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if ctxErr != nil {
		return nil, ctxErr
	}
	return out, nil
}

// info is what is known of the file before opening it.
func (f *DataFile) info() FileStat {
	if f.Info.Path == "" {
		return FileStat{Path: f.Path}
	}
	return f.Info
}

// kvSuffix returns the trailing key=value folders of path with the file
// name, dropping the folders above them.
func kvSuffix(path string) string {
	parts := strings.Split(filepath.ToSlash(path), "/")
	i := len(parts) - 1
	for i > 0 && strings.Contains(parts[i-1], "=") {
		i--
	}
	return strings.Join(parts[i:], "/")
}

// globRoot is the folder part of a pattern before its first wildcard
// segment.
func globRoot(pattern string) string {
	dir, _ := splitPattern(pattern)
	return dir
}

// ColumnSource says where a table column's values come from in one file.
type ColumnSource struct {
	// FileCol is the file column to read, or -1: then every row is Const
	// (the partition value, or NULL for a column the file lacks).
	FileCol int
	Const   coldata.Datum
	// Widen is set when the file stores a narrower type than the table
	// column: read into a vector of the file column's type, then Widen.
	Widen bool
}

// Sources maps table columns cols (indices into Table.Columns) onto file k.
func (t *Table) Sources(k int, cols []int) []ColumnSource {
	out := make([]ColumnSource, len(cols))
	for i, c := range cols {
		if t.Dataset == nil {
			out[i] = ColumnSource{FileCol: c}
			continue
		}
		d, f := t.Dataset, &t.DataFiles[k]
		if p := c - len(d.Columns); p >= 0 {
			out[i] = ColumnSource{FileCol: -1, Const: f.Partition[p]}
			continue
		}
		out[i] = ColumnSource{FileCol: f.ColumnMap[c], Const: coldata.NullDatum, Widen: f.NeedsWiden(d, c)}
	}
	return out
}

// PartitionOf returns the partition index of table column col, or -1 when
// it is a file column.
func (d *Dataset) PartitionOf(col int) int {
	if p := col - len(d.Columns); p >= 0 && p < len(d.PartitionCols) {
		return p
	}
	return -1
}

// FilePredicates rewrites predicates on table columns into predicates on
// file k's columns for scan.RowGroupMayMatch. mayMatch is false when the
// file cannot hold a matching row: a comparison on a column the file lacks
// (all NULL) or on a partition value that fails it. Predicates that cannot
// be expressed exactly in the file's type are dropped (they only prune).
func (t *Table) FilePredicates(k int, preds []scan.Predicate) (out []scan.Predicate, mayMatch bool) {
	if t.Dataset == nil {
		return preds, true
	}
	d, f := t.Dataset, &t.DataFiles[k]
	for _, p := range preds {
		if pi := d.PartitionOf(p.Col); pi >= 0 {
			pp := PartitionPredicate{Col: pi, Op: p.Op, Vals: p.Vals}
			if !partitionMatches(d.PartitionCols[pi].Type, f.Partition[pi], pp) {
				return nil, false
			}
			continue
		}
		if p.Col < 0 || p.Col >= len(d.Columns) {
			continue
		}
		j := f.ColumnMap[p.Col]
		if j < 0 {
			if p.Op != scan.OpIsNull {
				return nil, false
			}
			continue
		}
		from, to := f.File.Columns()[j].Type, d.Columns[p.Col].Type
		q := scan.Predicate{Col: j, Op: p.Op, Vals: p.Vals}
		if from.ID == coldata.Decimal && from.Scale < to.Scale {
			q.Vals = make([]coldata.Datum, len(p.Vals))
			div := coldata.Pow10[to.Scale-from.Scale]
			exact := true
			for i, v := range p.Vals {
				exact = exact && (v.Null || v.I%div == 0)
				q.Vals[i] = coldata.Datum{Null: v.Null, I: v.I / div}
			}
			if !exact {
				continue
			}
		}
		if from.ID == coldata.Int32 && to.ID == coldata.Int64 {
			fits := true
			for _, v := range p.Vals {
				fits = fits && (v.Null || int64(int32(v.I)) == v.I)
			}
			if !fits {
				continue
			}
		}
		out = append(out, q)
	}
	return out, true
}
