package exec

import (
	"fmt"
	"time"

	"github.com/peregrinedb/peregrine/planner"
)

type statser interface{ OpStats() OpStats }

// Annotate returns the EXPLAIN ANALYZE figures of physical node p after the
// query ran: rows produced and time summed over its workers, and for scans
// what was pruned and read.
func (q *Query) Annotate(p planner.Physical) string {
	var rows int64
	var elapsed time.Duration
	var peak, spilled int64
	for _, op := range q.ops[p] {
		if s, ok := op.(statser); ok {
			st := s.OpStats()
			rows += st.RowsOut
			elapsed += st.Elapsed
			peak += st.PeakBytes
			spilled += st.SpilledBytes
		}
	}
	if jb := q.builds[p]; jb != nil {
		st := jb.BuildStats()
		peak += st.PeakBytes
		spilled += st.SpilledBytes
	}
	out := "["
	for _, n := range q.Notes(p) {
		out += n + "; "
	}
	out += fmt.Sprintf("actual rows: %d, time: %s", rows, elapsed.Round(time.Microsecond))
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
