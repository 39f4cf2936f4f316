package exec

import "sync/atomic"

// Progress counters: how many of the rows its scans will read a query has
// got through, row group by row group (DuckDB's progress bar measures the
// same: source rows done against the plan's total). Safe to read from any
// goroutine while the query runs.

// scanProgress is one scan's share of a query's progress.
type scanProgress struct {
	total int64        // rows in all row groups of the scan
	done  atomic.Int64 // rows of row groups finished or pruned
}

// progressor is a scan that counts its progress.
type progressor interface {
	progress() (done, total int64)
}

func (p *scanProgress) progress() (done, total int64) { return p.done.Load(), p.total }

// Progress reports the rows the query's scans have finished (read, or
// skipped by pruning) and the rows they cover in all. A scan stopped early
// by LIMIT never reaches its total; a query without scans reports 0, 0.
func (q *Query) Progress() (done, total int64) {
	q.progMu.Lock()
	defer q.progMu.Unlock()
	for _, p := range q.progress {
		d, t := p.progress()
		done += min(d, t)
		total += t
	}
	return done, total
}

// addProgress registers a scan's counters; scans built at run time (a
// left-build join's fallback) register too, hence the lock.
func (q *Query) addProgress(p progressor) {
	q.progMu.Lock()
	q.progress = append(q.progress, p)
	q.progMu.Unlock()
}

// progress of a dataset scan: the sum of its files'.
func (ds *datasetSource) progress() (done, total int64) {
	for _, f := range ds.files {
		d, t := f.src.progress()
		done += d
		total += t
	}
	return done, total
}
