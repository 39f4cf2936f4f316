package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

// ScanStats describes what one table scan did, summed over its workers.
type ScanStats struct {
	Files           int64
	RowGroups       int64 // in all files
	RowGroupsRead   int64 // opened and read (possibly partly, under LIMIT)
	RowGroupsPruned int64 // skipped because their statistics rule the predicates out
	RowsRead        int64
	BytesRead       int64
	// Inside row groups (the scanner's pushdown): pages read and skipped,
	// rows skipped before materialisation, time decoding.
	PagesRead, PagesSkipped int64
	RowsSkipped             int64
	DecodeTime              time.Duration
	// Values of non-filter columns stepped over, not decoded, in batches
	// where only a few rows passed the filter columns.
	ValuesSkippedLate int64
	// Runtime filters from finished join builds: how many were added and
	// the row groups they pruned (beyond the plan's predicates). The rows
	// they removed inside the reader count in RowsSkipped.
	RuntimeFilters         int64
	RuntimeRowGroupsPruned int64
}

// ScanSource is the morsel queue of one table scan, shared by all its
// workers: the (file, row group) pairs in file order, handed out by an
// atomic counter so that fast workers take more.
type ScanSource struct {
	files []*scan.File
	cols  []int
	preds []scan.Predicate
	ors   []scan.Disjunction // OR filters for row-group pruning
	limit int64
	types []coldata.Type
	err   error

	morsels []morsel
	next    atomic.Int64
	// produced counts rows handed to consumers, for LIMIT pushdown.
	produced atomic.Int64

	rgRead, pruned, rows, bytes                    atomic.Int64
	pagesRead, pagesSkipped, rowsSkipped, decodeNs atomic.Int64
	valuesSkipped                                  atomic.Int64

	prefetch scanPrefetch // remote files only

	// Runtime filters (see AddRuntimeFilter).
	rtMu     sync.Mutex
	rt       atomic.Pointer[runtimeState]
	rtPruned atomic.Int64

	scanProgress
}

type morsel struct {
	f  *scan.File
	rg int
}

// NewScanSource prepares a scan of columns cols (indexes into each file's
// Columns()) of files, whose types are types (from the catalog, so that a
// scan of zero files still describes its output); every file must agree. Row groups for which preds cannot match are skipped;
// preds are not applied to rows, a Filter above does that. limit >= 0 stops
// handing out work once that many rows were produced: only valid when every
// row produced is wanted (no filter between the scan and the LIMIT).
func NewScanSource(files []*scan.File, cols []int, types []coldata.Type, preds []scan.Predicate, limit int64) *ScanSource {
	s := &ScanSource{files: files, cols: cols, types: types, preds: preds, limit: limit}
	s.err = s.init()
	return s
}

func (s *ScanSource) init() error {
	if len(s.types) != len(s.cols) {
		return fmt.Errorf("Internal Error: scan: %d types for %d columns", len(s.types), len(s.cols))
	}
	for _, f := range s.files {
		fc := f.Columns()
		var ts []coldata.Type
		for _, c := range s.cols {
			if c < 0 || c >= len(fc) {
				return fmt.Errorf("Internal Error: scan %s: column %d out of range", f.Path(), c)
			}
			if fc[c].Unsupported != "" {
				return fmt.Errorf("Not implemented Error: %s: column %s: %s", f.Path(), fc[c].Name, fc[c].Unsupported)
			}
			ts = append(ts, fc[c].Type)
		}
		for i, t := range ts {
			if t != s.types[i] {
				return fmt.Errorf("Invalid Input Error: %s: column %s is %s in this file but the table's is %s",
					f.Path(), fc[s.cols[i]].Name, t, s.types[i])
			}
		}
		for rg := 0; rg < f.NumRowGroups(); rg++ {
			s.morsels = append(s.morsels, morsel{f, rg})
			s.total += f.RowGroupNumRows(rg)
		}
	}
	return nil
}

// Types of the scanned columns.
func (s *ScanSource) Types() []coldata.Type { return s.types }

// Stats reports the scan's progress so far (exact once workers are done).
func (s *ScanSource) Stats() ScanStats {
	st := ScanStats{
		Files:                  int64(len(s.files)),
		RowGroups:              int64(len(s.morsels)),
		RowGroupsRead:          s.rgRead.Load(),
		PagesRead:              s.pagesRead.Load(),
		PagesSkipped:           s.pagesSkipped.Load(),
		RowsSkipped:            s.rowsSkipped.Load(),
		DecodeTime:             time.Duration(s.decodeNs.Load()),
		ValuesSkippedLate:      s.valuesSkipped.Load(),
		RowGroupsPruned:        s.pruned.Load(),
		RowsRead:               s.rows.Load(),
		BytesRead:              s.bytes.Load(),
		RuntimeRowGroupsPruned: s.rtPruned.Load(),
	}
	if rt := s.rt.Load(); rt != nil {
		st.RuntimeFilters = int64(rt.n)
	}
	return st
}

func (s *ScanSource) limitReached() bool {
	return s.limit >= 0 && s.produced.Load() >= s.limit
}

// take returns the next row group worth reading, or ok=false when the
// queue is exhausted.
func (s *ScanSource) take(rt *runtimeState) (m morsel, i int64, ok bool) {
	for {
		if s.limitReached() {
			return morsel{}, 0, false
		}
		i = s.next.Add(1) - 1
		if i >= int64(len(s.morsels)) {
			return morsel{}, 0, false
		}
		m = s.morsels[i]
		if len(s.preds) > 0 && !m.f.RowGroupMayMatch(m.rg, s.preds) {
			s.pruned.Add(1)
			s.done.Add(m.f.RowGroupNumRows(m.rg))
			continue
		}
		if !s.disjunctionsMayMatch(m) {
			s.pruned.Add(1)
			s.done.Add(m.f.RowGroupNumRows(m.rg))
			continue
		}
		if rt != nil && len(rt.runtime) > 0 && !m.f.RowGroupMayMatch(m.rg, rt.runtime) {
			s.rtPruned.Add(1)
			s.done.Add(m.f.RowGroupNumRows(m.rg))
			continue
		}
		return m, i, true
	}
}

// SetDisjunctions adds OR filters (each an OR of conjunctions of simple
// predicates) that prune row groups no branch can match. Call it before the
// scan runs.
func (s *ScanSource) SetDisjunctions(d []scan.Disjunction) { s.ors = d }

func (s *ScanSource) disjunctionsMayMatch(m morsel) bool {
	for _, d := range s.ors {
		if !m.f.RowGroupMayMatchAny(m.rg, d) {
			return false
		}
	}
	return true
}

// NewScan returns one worker of the scan: each worker of a pipeline gets
// its own, all sharing src.
func NewScan(src *ScanSource) Operator {
	src.prefetch.workers.Add(1)
	return &scanOp{src: src}
}

type scanOp struct {
	opStats
	env    memEnv
	acc    *MemoryAccount
	src    *ScanSource
	r      *scan.Reader
	rgRows int64 // rows of the reader's row group, for progress
	b      *coldata.Batch
	closed bool
	rt     *runtimeState // the runtime filters of the current reader
}

func (o *scanOp) Types() []coldata.Type { return o.src.types }

func (o *scanOp) Open(ctx context.Context) error {
	if o.src.err == nil {
		o.src.startEarly(ctx, o.env)
	}
	return o.src.err
}

func (o *scanOp) Next(ctx context.Context) (*coldata.Batch, error) {
	if o.src.err != nil {
		return nil, o.src.err
	}
	if o.closed {
		return nil, errors.New("scan: Next after Close")
	}
	t0 := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if o.r == nil {
			o.rt = o.src.rt.Load()
			m, i, ok := o.src.take(o.rt)
			if !ok {
				return nil, io.EOF
			}
			preds := o.src.preds
			if o.rt != nil {
				preds = o.rt.all
			}
			fetched, err := o.src.fetch(ctx, o.env, i, preds)
			if err != nil {
				return nil, err
			}
			// The reader applies the predicates itself (page index,
			// dictionary, bloom filter, late materialisation); the Filter
			// above still evaluates the full WHERE clause.
			r, err := m.f.NewReaderWith(m.rg, o.src.cols, scan.ReaderOptions{Preds: preds, Context: ctx, Fetched: fetched})
			if err != nil {
				return nil, err
			}
			o.r = r
			o.rgRows = m.f.RowGroupNumRows(m.rg)
			o.src.rgRead.Add(1)
		}
		if o.src.limitReached() {
			o.release()
			return nil, io.EOF
		}
		if o.b == nil {
			o.b = coldata.NewBatch(o.src.types, 0)
		}
		_, err := o.r.Next(o.b, coldata.DefaultBatchSize)
		if err == io.EOF {
			o.release()
			continue
		}
		if err != nil {
			return nil, err
		}
		// With predicates the reader marks survivors in Sel: count live rows.
		n := o.b.Len()
		if n == 0 {
			continue
		}
		o.account()
		o.src.rows.Add(int64(n))
		o.src.produced.Add(int64(n))
		o.done(t0, n)
		return o.b, nil
	}
}

// account books the batch buffers and what the reader holds (the row
// group's fetched column chunks, page buffers, an assembled nested column).
// They are forced in, not refused: a scan cannot spill, and one row group
// per worker is small next to what the breakers above it hold, which spill
// sooner instead.
func (o *scanOp) account() {
	if o.acc == nil {
		o.acc = o.env.pool.NewAccount("while scanning")
	}
	held := colsBytes(o.b.Vecs, 0)
	if o.r != nil {
		held += o.r.HeldBytes()
	}
	if d := held - o.acc.Used(); d > 0 {
		o.acc.ForceGrow(d)
		o.peak(o.acc.Used())
	}
}

// release closes the current row group's reader and books its bytes.
func (o *scanOp) release() {
	if o.r != nil {
		st := o.r.Stats()
		o.src.bytes.Add(st.BytesRead)
		o.src.pagesRead.Add(st.PagesRead)
		o.src.pagesSkipped.Add(st.PagesSkipped)
		o.src.rowsSkipped.Add(st.RowsSkippedPageIndex + st.RowsSkippedDict + st.RowsSkippedBloom + st.RowsSkippedLate)
		o.src.decodeNs.Add(int64(st.DecodeTime))
		o.src.valuesSkipped.Add(st.ValuesSkippedLate)
		o.src.done.Add(o.rgRows)
		_ = o.r.Close()
		o.r = nil
	}
}

func (o *scanOp) Close() error {
	if o.closed {
		return nil
	}
	o.closed = true
	o.release()
	o.b = nil
	o.acc.Close()
	o.src.closeWorker()
	return nil
}
