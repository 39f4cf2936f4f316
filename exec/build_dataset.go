package exec

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/storage"
)

// datasetSource scans a dataset whose files differ from the table's shape:
// hive partition columns (constant per file), columns some files lack
// (NULL), and columns a file stores in a narrower type (widened). Each file
// gets its own ScanSource over the columns it has; workers walk the files
// in order and share each file's row groups as morsels.
type datasetSource struct {
	types []coldata.Type // output
	files []datasetFile
	// filesPruned counts files whose statistics rule the predicates out.
	filesPruned int64
	// produced counts rows handed out, for LIMIT across files.
	produced atomic.Int64
	limit    int64
}

type datasetFile struct {
	src     *ScanSource
	sources []storage.ColumnSource // one per output column
}

func newDatasetSource(t *storage.Table, cols []int, types []coldata.Type, preds []scan.Predicate, limit int64) *datasetSource {
	ds := &datasetSource{types: types, limit: limit}
	for k, f := range t.Files {
		fp, ok := t.FilePredicates(k, preds)
		if !ok {
			ds.filesPruned++
			continue
		}
		sources := t.Sources(k, cols)
		var fileCols []int
		var fileTypes []coldata.Type
		fcols := f.Columns()
		for _, s := range sources {
			if s.FileCol >= 0 {
				fileCols = append(fileCols, s.FileCol)
				fileTypes = append(fileTypes, fcols[s.FileCol].Type)
			}
		}
		src := NewScanSource([]*scan.File{f}, fileCols, fileTypes, fp, limit)
		ds.files = append(ds.files, datasetFile{src: src, sources: sources})
	}
	return ds
}

// Stats sums the per-file scans, counting files pruned by statistics.
func (ds *datasetSource) Stats() ScanStats {
	st := ScanStats{Files: int64(len(ds.files)) + ds.filesPruned}
	for _, f := range ds.files {
		s := f.src.Stats()
		st.RowGroups += s.RowGroups
		st.RowGroupsRead += s.RowGroupsRead
		st.RowGroupsPruned += s.RowGroupsPruned
		st.RowsRead += s.RowsRead
		st.BytesRead += s.BytesRead
		st.PagesRead += s.PagesRead
		st.PagesSkipped += s.PagesSkipped
		st.RowsSkipped += s.RowsSkipped
		st.ValuesSkippedLate += s.ValuesSkippedLate
		st.DecodeTime += s.DecodeTime
	}
	return st
}

// scanStatser is a scan's source of EXPLAIN ANALYZE figures.
type scanStatser interface{ Stats() ScanStats }

// datasetScan builds the workers of a scan over a non-uniform dataset.
func (b *builder) datasetScan(p *planner.PhysScan) (stream, error) {
	ds := newDatasetSource(p.Table, p.ColIdx, planner.Types(p), p.Preds, p.Limit)
	b.q.scans[p] = ds
	b.q.addProgress(ds)
	s := make(stream, b.threads)
	for i := range s {
		s[i] = newDatasetScan(ds, b.env)
	}
	b.record(p, s)
	if p.Filter != nil {
		return b.filter(p, s, p.Filter, planner.Types(p))
	}
	return s, nil
}

// datasetScan is one worker over a datasetSource.
type datasetScan struct {
	opStats
	ds     *datasetSource
	env    memEnv
	k      int      // current file
	cur    Operator // scan of file k
	out    *coldata.Batch
	consts []*coldata.Vec // per output column: the constant vector, when FileCol < 0
	closed bool
}

func newDatasetScan(ds *datasetSource, env memEnv) Operator {
	return &datasetScan{ds: ds, env: env, k: -1}
}

func (o *datasetScan) Types() []coldata.Type { return o.ds.types }

func (o *datasetScan) Open(ctx context.Context) error { return nil }

func (o *datasetScan) Next(ctx context.Context) (*coldata.Batch, error) {
	if o.closed {
		return nil, errors.New("dataset scan: Next after Close")
	}
	t0 := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if o.ds.limit >= 0 && o.ds.produced.Load() >= o.ds.limit {
			return nil, io.EOF
		}
		if o.cur == nil {
			o.k++
			if o.k >= len(o.ds.files) {
				return nil, io.EOF
			}
			o.cur = withMemory(NewScan(o.ds.files[o.k].src), o.env)
			if err := o.cur.Open(ctx); err != nil {
				return nil, err
			}
			o.consts = nil
		}
		b, err := o.cur.Next(ctx)
		if err == io.EOF {
			cerr := o.cur.Close()
			o.cur = nil
			if cerr != nil {
				return nil, cerr
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		out, err := o.shape(b)
		if err != nil {
			return nil, err
		}
		o.ds.produced.Add(int64(out.Len()))
		o.done(t0, out.Len())
		return out, nil
	}
}

// shape lays a file's batch out as the table's columns.
func (o *datasetScan) shape(b *coldata.Batch) (*coldata.Batch, error) {
	f := o.ds.files[o.k]
	if o.out == nil {
		o.out = &coldata.Batch{Vecs: make([]*coldata.Vec, len(o.ds.types))}
	}
	n := b.N
	o.out.N, o.out.Sel = n, b.Sel
	if o.consts == nil {
		o.consts = make([]*coldata.Vec, len(f.sources))
	}
	j := 0
	for i, s := range f.sources {
		switch {
		case s.FileCol < 0:
			v := o.consts[i]
			if v == nil || v.Len() < n {
				// A constant column: the partition value, or NULL where the
				// file lacks the column. Built once per file and batch size.
				v = coldata.NewVec(o.ds.types[i], max(n, coldata.DefaultBatchSize))
				for r := 0; r < v.Len(); r++ {
					v.Set(r, s.Const)
				}
				o.consts[i] = v
			}
			o.out.Vecs[i] = v
		case s.Widen:
			dst := o.out.Vecs[i]
			if dst == nil || dst.Type != o.ds.types[i] || dst == o.consts[i] {
				dst = coldata.NewVec(o.ds.types[i], n)
			}
			if err := storage.Widen(dst, b.Vecs[j], n); err != nil {
				return nil, err
			}
			o.out.Vecs[i] = dst
			j++
		default:
			o.out.Vecs[i] = b.Vecs[j]
			j++
		}
	}
	return o.out, nil
}

func (o *datasetScan) Close() error {
	if o.closed {
		return nil
	}
	o.closed = true
	if o.cur != nil {
		return o.cur.Close()
	}
	return nil
}
