package scan

import (
	"context"
	"sync"
)

// prefetchParallelism bounds the row groups being fetched at once. They
// are fetched in the order they were asked for (a worker's own row group
// first), so that they arrive in scan order instead of all together at the
// end of a shared transfer. Each request waits out the store's latency
// (tens of milliseconds) before its bytes flow: 32 at once fetch a table
// of 50 row groups in two waves of that latency rather than four; the byte
// budget, not this, bounds what is held.
const prefetchParallelism = 32

// Prefetcher reads the column chunks of row groups ahead of the workers
// that decode them, for files on high-latency stores: while a worker
// decodes one row group, the next ones are already on their way, each
// row group's chunks coalesced into a few ranged reads fetched in
// parallel. What it holds is bounded by a byte budget and charged to the
// caller's memory accounting through grow and shrink; a refused grow stops
// the read-ahead, never the scan.
type Prefetcher struct {
	ctx    context.Context
	cancel context.CancelFunc
	budget int64
	grow   func(n int64, force bool) bool
	shrink func(n int64)

	mu      sync.Mutex
	queue   []*prefetchItem // waiting for a fetcher, in order
	running int             // fetcher goroutines
	held    int64
	items   map[prefetchKey]*prefetchItem
	closed  bool
	wg      sync.WaitGroup
}

type prefetchKey struct {
	f  *File
	rg int
}

type prefetchItem struct {
	f       *File
	spans   []Span
	done    chan struct{}
	fd      *Fetched
	err     error
	charged int64
}

// NewPrefetcher returns a prefetcher holding at most budget bytes that
// are not yet taken. grow(n, force) books n bytes (force: even past the
// limit) and reports whether it could; shrink returns them.
func NewPrefetcher(ctx context.Context, budget int64, grow func(n int64, force bool) bool, shrink func(n int64)) *Prefetcher {
	ctx, cancel := context.WithCancel(ctx)
	return &Prefetcher{ctx: ctx, cancel: cancel, budget: budget, grow: grow, shrink: shrink, items: map[prefetchKey]*prefetchItem{}}
}

// Start begins fetching what a reader of cols (and the predicate columns)
// of row group rg needs, unless that is already under way. Without force
// it declines (false) when the budget or the memory pool has no room;
// force is for the row group a worker is about to read.
func (p *Prefetcher) Start(f *File, rg int, cols []int, preds []Predicate, force bool) bool {
	key := prefetchKey{f, rg}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return false
	}
	if it, ok := p.items[key]; ok {
		if force {
			p.promote(it)
		}
		p.mu.Unlock()
		return true
	}
	p.mu.Unlock()
	spans := f.FetchPlan(rg, cols, preds)
	var n int64
	for _, s := range spans {
		n += s.End - s.Start
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	if it, ok := p.items[key]; ok {
		if force {
			p.promote(it)
		}
		return true
	}
	if !force && (p.held+n > p.budget || !p.grow(n, false)) {
		return false
	}
	if force {
		p.grow(n, true)
	}
	it := &prefetchItem{f: f, spans: spans, done: make(chan struct{}), charged: n}
	p.items[key] = it
	p.held += n
	if force {
		p.queue = append([]*prefetchItem{it}, p.queue...)
	} else {
		p.queue = append(p.queue, it)
	}
	if p.running < prefetchParallelism {
		p.running++
		p.wg.Add(1)
		go p.fetcher()
	}
	return true
}

// promote moves a queued item to the front: a worker waits for it now.
func (p *Prefetcher) promote(it *prefetchItem) {
	for i, q := range p.queue {
		if q == it {
			copy(p.queue[1:i+1], p.queue[:i])
			p.queue[0] = it
			return
		}
	}
}

// fetcher fetches queued row groups, front first, until the queue is empty.
func (p *Prefetcher) fetcher() {
	defer p.wg.Done()
	for {
		p.mu.Lock()
		if len(p.queue) == 0 || p.closed {
			p.running--
			p.mu.Unlock()
			return
		}
		it := p.queue[0]
		p.queue = p.queue[1:]
		p.mu.Unlock()
		it.fd, it.err = it.f.Fetch(p.ctx, it.spans)
		close(it.done)
	}
}

// Take waits for row group rg's fetch and hands its bytes to the caller
// (whose reader accounts for them from then on). ok is false when no
// fetch was started for it.
func (p *Prefetcher) Take(ctx context.Context, f *File, rg int) (fd *Fetched, ok bool, err error) {
	key := prefetchKey{f, rg}
	p.mu.Lock()
	it := p.items[key]
	delete(p.items, key)
	p.mu.Unlock()
	if it == nil {
		return nil, false, nil
	}
	select {
	case <-it.done:
	case <-ctx.Done():
		// The fetch is cancelled with the prefetcher; its bytes are
		// released then.
		p.mu.Lock()
		p.items[key] = it
		p.mu.Unlock()
		return nil, true, ctx.Err()
	}
	p.release(it)
	return it.fd, true, it.err
}

func (p *Prefetcher) release(it *prefetchItem) {
	p.mu.Lock()
	p.held -= it.charged
	p.mu.Unlock()
	p.shrink(it.charged)
}

// Close cancels fetches in flight, waits for them and releases what was
// never taken.
func (p *Prefetcher) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.mu.Unlock()
	p.cancel()
	p.wg.Wait()
	p.mu.Lock()
	items := p.items
	p.items = nil
	for _, it := range p.queue {
		// Never fetched: wake anyone waiting on it.
		it.err = p.ctx.Err()
		close(it.done)
	}
	p.queue = nil
	p.mu.Unlock()
	for _, it := range items {
		p.release(it)
	}
}
