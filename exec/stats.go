package exec

import "time"

// OpStats is what EXPLAIN ANALYZE shows for one operator. Elapsed is the
// wall time spent inside Next, children included (subtract the children's
// figures for self time); for operators that run goroutines it is the time the
// consumer waited, not CPU time. PeakBytes is the largest size of the
// operator's memory accounts (per worker, summed, so an upper bound when
// workers peak at different times; 0 for streaming operators). SpilledBytes
// is what it wrote to spill files.
type OpStats struct {
	RowsOut      int64
	Elapsed      time.Duration
	PeakBytes    int64
	SpilledBytes int64
}

// StatsReporter is implemented by every operator of this package.
type StatsReporter interface {
	OpStats() OpStats
}

// opStats is embedded in operators. It is written only by the goroutine that
// calls Next and read after the query ends, so it needs no synchronisation.
// Timing is per batch: one time.Now pair costs ~50ns, noise next to a batch.
type opStats struct {
	st OpStats
}

func (s *opStats) OpStats() OpStats { return s.st }

// done records a Next call that started at t0 and produced rows rows.
func (s *opStats) done(t0 time.Time, rows int) {
	s.st.Elapsed += time.Since(t0)
	s.st.RowsOut += int64(rows)
}

func (s *opStats) peak(bytes int64) {
	if bytes > s.st.PeakBytes {
		s.st.PeakBytes = bytes
	}
}
