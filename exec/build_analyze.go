package exec

import (
	"fmt"
	"math"
	"time"

	"github.com/peregrinedb/peregrine/planner"
)

type statser interface{ OpStats() OpStats }

// Figures are one physical node's EXPLAIN ANALYZE numbers, as data for
// any renderer: the planner's estimate next to what ran.
type Figures struct {
	EstRows      float64 // the planner's estimate of the rows produced
	Rows         int64   // rows produced, summed over workers
	Elapsed      time.Duration
	PeakBytes    int64
	SpilledBytes int64
}

// Misestimate is how far the estimate was off, as a factor ≥ 1 (10: ten
// times too many or too few rows).
func (f Figures) Misestimate() float64 {
	e, a := math.Max(f.EstRows, 1), math.Max(float64(f.Rows), 1)
	return math.Max(e/a, a/e)
}

// Figures returns node p's figures after the query ran.
func (q *Query) Figures(p planner.Physical) Figures {
	f := Figures{EstRows: p.Base().EstRows}
	for _, op := range q.ops[p] {
		if s, ok := op.(statser); ok {
			st := s.OpStats()
			f.Rows += st.RowsOut
			f.Elapsed += st.Elapsed
			f.PeakBytes += st.PeakBytes
			f.SpilledBytes += st.SpilledBytes
		}
	}
	if jb := q.builds[p]; jb != nil {
		st := jb.BuildStats()
		f.PeakBytes += st.PeakBytes
		f.SpilledBytes += st.SpilledBytes
	}
	if ps, ok := p.(*planner.PhysScan); ok && len(q.scanOut[ps]) > 0 {
		f.Rows = 0
		for _, op := range q.scanOut[ps] {
			if s, ok := op.(statser); ok {
				f.Rows += s.OpStats().RowsOut
			}
		}
	}
	return f
}

// Annotate returns the EXPLAIN ANALYZE figures of physical node p after the
// query ran: rows produced (and how far the estimate was off, when more
// than tenfold) and time summed over its workers, and for scans what was
// pruned and read.
func (q *Query) Annotate(p planner.Physical) string {
	f := q.Figures(p)
	rows, elapsed, peak, spilled := f.Rows, f.Elapsed, f.PeakBytes, f.SpilledBytes
	out := "["
	for _, n := range q.Notes(p) {
		out += n + "; "
	}
	out += fmt.Sprintf("actual rows: %d", rows)
	if m := f.Misestimate(); m > 10 {
		if float64(rows) < f.EstRows {
			out += fmt.Sprintf(" (1/%.0f of the estimate)", m)
		} else {
			out += fmt.Sprintf(" (%.0f× the estimate)", float64(rows)/math.Max(f.EstRows, 1))
		}
	}
	out += fmt.Sprintf(", time: %s", elapsed.Round(time.Microsecond))
	if peak > 0 {
		out += fmt.Sprintf(", memory: %s", humanBytes(peak))
	}
	if spilled > 0 {
		out += fmt.Sprintf(", spilled: %s", humanBytes(spilled))
	}
	if ps, ok := p.(*planner.PhysScan); ok {
		if src := q.scans[ps]; src != nil {
			st := src.Stats()
			out += fmt.Sprintf(", files: %d, row groups: %d of %d read, pages: %d of %d read, rows read: %d (%d skipped early), bytes read: %s, decoding: %s",
				st.Files, st.RowGroupsRead, st.RowGroups, st.PagesRead, st.PagesRead+st.PagesSkipped, st.RowsRead, st.RowsSkipped, humanBytes(st.BytesRead), st.DecodeTime.Round(time.Microsecond))
			if st.ValuesSkippedLate > 0 {
				out += fmt.Sprintf(", values not decoded: %d", st.ValuesSkippedLate)
			}
			if st.RuntimeFilters > 0 {
				out += fmt.Sprintf(", runtime filters: %d (%d row groups pruned)", st.RuntimeFilters, st.RuntimeRowGroupsPruned)
			}
		}
	}
	return out + "]"
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Elapsed is the wall time spent inside physical node p's operators,
// children included, summed over its workers (EXPLAIN ANALYZE's bars).
func (q *Query) Elapsed(p planner.Physical) time.Duration {
	var d time.Duration
	for _, op := range q.ops[p] {
		if s, ok := op.(statser); ok {
			d += s.OpStats().Elapsed
		}
	}
	return d
}
