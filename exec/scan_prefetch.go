package exec

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/peregrinedb/peregrine/scan"
)

// prefetchBudget bounds the bytes a scan of remote files reads ahead of
// its workers: enough row groups in flight to hide tens of milliseconds
// per request behind decoding, small next to what breakers hold.
const prefetchBudget = 64 << 20

// scanPrefetch reads row groups of remote files (object stores, HTTP)
// ahead of the scan's workers. Local files are read when a worker needs
// them: the page cache makes that cheap.
type scanPrefetch struct {
	mu      sync.Mutex
	pf      *scan.Prefetcher
	acc     *MemoryAccount
	ahead   int  // next morsel to consider for read-ahead
	indexed bool // page-index prefetch started
	early   bool // startEarly ran
	workers atomic.Int32
}

// fetch returns the bytes of morsel i, which a worker is about to read,
// and starts fetching the morsels after it that the static predicates do
// not prune, as far as the budget allows. It returns nil for local files.
func (s *ScanSource) fetch(ctx context.Context, env memEnv, i int64, preds []scan.Predicate) (*scan.Fetched, error) {
	m := s.morsels[i]
	if !m.f.Remote() {
		return nil, nil
	}
	p := &s.prefetch
	p.mu.Lock()
	pf := s.prefetcherLocked(ctx, env)
	first := !p.indexed
	p.indexed = true
	p.mu.Unlock()
	if first && len(preds) > 0 {
		m.f.PrefetchIndex()
	}
	pf.Start(m.f, m.rg, s.cols, preds, true)
	s.readAhead(pf, i+1, -1)
	fd, _, err := pf.Take(ctx, m.f, m.rg)
	return fd, err
}

// earlyMorsels is how many row groups a remote scan starts fetching when
// it is opened, before a worker asks for one.
const earlyMorsels = 8

// startEarly begins fetching the first row groups of a remote scan when
// the scan is opened: a join opens its probe side before it builds, so the
// probe's first bytes travel while the build side runs instead of after
// it (TPC-H Q9 over S3 waited a round trip per join for its probe scans).
// The fetches are not forced: the budget and the memory pool may decline.
func (s *ScanSource) startEarly(ctx context.Context, env memEnv) {
	if len(s.morsels) == 0 || !s.morsels[0].f.Remote() || env.pool == nil {
		return
	}
	p := &s.prefetch
	p.mu.Lock()
	if p.early {
		p.mu.Unlock()
		return
	}
	p.early = true
	pf := s.prefetcherLocked(ctx, env)
	p.mu.Unlock()
	s.readAhead(pf, 0, earlyMorsels)
}

// prefetcherLocked returns the scan's prefetcher, creating it (p.mu held).
func (s *ScanSource) prefetcherLocked(ctx context.Context, env memEnv) *scan.Prefetcher {
	p := &s.prefetch
	if p.pf == nil {
		acc := env.pool.NewAccount("while prefetching")
		p.acc = acc
		p.pf = scan.NewPrefetcher(context.WithoutCancel(ctx), prefetchBudget, func(n int64, force bool) bool {
			p.mu.Lock()
			defer p.mu.Unlock()
			if force {
				acc.ForceGrow(n)
				return true
			}
			return acc.Grow(n) == nil
		}, func(n int64) {
			p.mu.Lock()
			acc.Shrink(n)
			p.mu.Unlock()
		})
	}
	return p.pf
}

// readAhead starts fetches for the morsels from `from` on, skipping those
// the plan's predicates prune, until the budget declines one or (limit >=
// 0) limit morsels were considered.
func (s *ScanSource) readAhead(pf *scan.Prefetcher, from int64, limit int64) {
	p := &s.prefetch
	p.mu.Lock()
	j := max(int64(p.ahead), from)
	p.mu.Unlock()
	end := int64(len(s.morsels))
	if limit >= 0 {
		end = min(end, j+limit)
	}
	for ; j < end; j++ {
		m := s.morsels[j]
		if !m.f.Remote() || (len(s.preds) > 0 && !m.f.RowGroupMayMatch(m.rg, s.preds)) || !s.disjunctionsMayMatch(m) {
			continue
		}
		if !pf.Start(m.f, m.rg, s.cols, s.preds, false) {
			break
		}
	}
	p.mu.Lock()
	p.ahead = max(p.ahead, int(j))
	p.mu.Unlock()
}

// closeWorker is called by each worker's Close; the last one stops the
// read-ahead and releases what it still holds.
func (s *ScanSource) closeWorker() {
	p := &s.prefetch
	if p.workers.Add(-1) != 0 {
		return
	}
	p.mu.Lock()
	pf, acc := p.pf, p.acc
	p.pf, p.acc, p.ahead = nil, nil, 0
	p.mu.Unlock()
	if pf != nil {
		// A worker that opens the scan later (a dataset's workers reach
		// each file at their own pace) starts a new one.
		pf.Close()
		p.mu.Lock()
		acc.Close()
		p.mu.Unlock()
	}
}
