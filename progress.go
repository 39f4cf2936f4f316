package peregrine

import (
	"context"
	"sync"

	"github.com/peregrinedb/peregrine/exec"
)

// Progress follows how far the queries run with a context have got, for a
// progress bar: rows of Parquet row groups finished (read, or skipped by
// pruning) against all the rows their scans cover. It is safe to read from
// another goroutine while the query runs.
type Progress struct {
	mu      sync.Mutex
	queries []*exec.Query
}

type progressKey struct{}

// WithProgress returns a context whose queries (Query, QueryArrow, Exec,
// COPY, EXPLAIN ANALYZE) report their progress to the returned Progress.
func WithProgress(ctx context.Context) (context.Context, *Progress) {
	p := &Progress{}
	return context.WithValue(ctx, progressKey{}, p), p
}

// Rows reports the rows done and the rows in all, summed over the queries
// started with the context so far; total is 0 until a query with a scan
// has started.
func (p *Progress) Rows() (done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, q := range p.queries {
		d, t := q.Progress()
		done += d
		total += t
	}
	return done, total
}

// Fraction is Rows as a number between 0 and 1 (0 when nothing is known).
func (p *Progress) Fraction() float64 {
	done, total := p.Rows()
	if total <= 0 {
		return 0
	}
	return float64(done) / float64(total)
}

// track registers q with ctx's Progress, if any.
func track(ctx context.Context, q *exec.Query) {
	if p, ok := ctx.Value(progressKey{}).(*Progress); ok {
		p.mu.Lock()
		p.queries = append(p.queries, q)
		p.mu.Unlock()
	}
}
