package exec

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// ErrMemoryLimit is wrapped by every error that reports the memory limit
// being reached. Buffering operators catch it and spill; it reaches the user
// only when spilling cannot make progress (see MemoryLimitError).
var ErrMemoryLimit = errors.New("memory limit exceeded")

// MemoryLimitError says which operator could not get memory and how much it
// lacked. errors.Is(err, ErrMemoryLimit) holds.
type MemoryLimitError struct {
	Limit  int64  // the pool's limit when the request failed
	Needed int64  // bytes missing: request - (limit - used)
	What   string // "while building the hash table of a join", ...
}

// Error is DuckDB's "Out of Memory Error" text, naming the limit, what was
// being built and how much was missing.
func (e *MemoryLimitError) Error() string {
	return fmt.Sprintf("Out of Memory Error: memory limit of %s exceeded %s (needed %s more)",
		humanBytes(e.Limit), e.What, humanBytes(e.Needed))
}

// Unwrap returns ErrMemoryLimit, so errors.Is tells a memory limit error
// from others, whichever operator reported it.
func (e *MemoryLimitError) Unwrap() error { return ErrMemoryLimit }

// MemoryPool is one memory budget shared by every operator of every query
// that uses it (DataFusion's MemoryPool). Operators do not allocate through
// it: they grow named accounts by their own estimates and spill when growth
// is refused, so the limit bounds the state operators keep, not the Go heap
// exactly. A nil *MemoryPool is valid and unlimited.
//
// A pool may have a parent: growth must then fit both, so databases with
// limits of their own can share one process-wide ceiling.
type MemoryPool struct {
	limit  atomic.Int64 // <= 0: unlimited
	used   atomic.Int64
	peak   atomic.Int64
	parent *MemoryPool
}

// NewMemoryPool returns a pool limited to limit bytes; limit <= 0 means
// unlimited (usage is still tracked).
func NewMemoryPool(limit int64) *MemoryPool {
	p := &MemoryPool{}
	p.limit.Store(limit)
	return p
}

// NewChildPool returns a pool limited to limit bytes whose growth also
// draws on parent.
func NewChildPool(limit int64, parent *MemoryPool) *MemoryPool {
	p := NewMemoryPool(limit)
	p.parent = parent
	return p
}

// SetLimit changes the limit (<= 0: unlimited). Usage already granted is
// not revoked; it only makes further growth fail.
func (p *MemoryPool) SetLimit(limit int64) {
	if p != nil {
		p.limit.Store(limit)
	}
}

// Limit returns the limit in bytes (<= 0: unlimited).
func (p *MemoryPool) Limit() int64 {
	if p == nil {
		return 0
	}
	return p.limit.Load()
}

// Used returns the bytes currently granted to accounts.
func (p *MemoryPool) Used() int64 {
	if p == nil {
		return 0
	}
	return p.used.Load()
}

// Peak returns the largest Used seen since the pool was made.
func (p *MemoryPool) Peak() int64 {
	if p == nil {
		return 0
	}
	return p.peak.Load()
}

// ResetPeak sets Peak to the current usage (per-query peaks on a shared pool).
func (p *MemoryPool) ResetPeak() {
	if p != nil {
		p.peak.Store(p.used.Load())
	}
}

// grow books n bytes here and in the parents; when one refuses it returns
// the refusing pool and the bytes it lacked, and books nothing.
func (p *MemoryPool) grow(n int64, force bool) (*MemoryPool, int64) {
	u := p.used.Add(n)
	if lim := p.limit.Load(); !force && lim > 0 && u > lim && n > 0 {
		p.used.Add(-n)
		return p, u - lim
	}
	if p.parent != nil {
		if by, short := p.parent.grow(n, force); by != nil {
			p.used.Add(-n)
			return by, short
		}
	}
	if p.parent == nil {
		// Booked once process-wide, by the root of the pools' tree.
		accounted.Add(n)
		poolGrew()
	}
	for {
		pk := p.peak.Load()
		if u <= pk || p.peak.CompareAndSwap(pk, u) {
			return nil, 0
		}
	}
}

// release returns n bytes here and in the parents.
func (p *MemoryPool) release(n int64) {
	for ; p != nil; p = p.parent {
		p.used.Add(-n)
		if p.parent == nil {
			accounted.Add(-n)
		}
	}
}

// MemoryAccount is one operator's share of a pool (DataFusion's
// MemoryReservation). It is not safe for concurrent use: parallel operators
// give each worker its own account.
type MemoryAccount struct {
	pool *MemoryPool
	what string
	used int64
	peak int64
}

// NewAccount opens an account; what completes "memory limit of X exceeded
// ..." in errors, e.g. "while sorting".
func (p *MemoryPool) NewAccount(what string) *MemoryAccount {
	return &MemoryAccount{pool: p, what: what}
}

// Grow asks for n more bytes; past the limit it returns a *MemoryLimitError
// and changes nothing.
func (a *MemoryAccount) Grow(n int64) error {
	if a.pool != nil {
		if by, short := a.pool.grow(n, false); by != nil {
			return &MemoryLimitError{Limit: by.Limit(), Needed: short, What: a.what}
		}
	}
	a.add(n)
	return nil
}

// ForceGrow takes n bytes even past the limit, for buffers that can neither
// spill nor be refused (scan batches); the others then spill sooner.
func (a *MemoryAccount) ForceGrow(n int64) {
	if a.pool != nil {
		a.pool.grow(n, true)
	}
	a.add(n)
}

func (a *MemoryAccount) add(n int64) {
	a.used += n
	a.peak = max(a.peak, a.used)
}

// Resize grows or shrinks the account to exactly n bytes (growth may fail).
func (a *MemoryAccount) Resize(n int64) error {
	if n >= a.used {
		return a.Grow(n - a.used)
	}
	a.Shrink(a.used - n)
	return nil
}

// Shrink returns n bytes to the pool.
func (a *MemoryAccount) Shrink(n int64) {
	n = min(n, a.used)
	a.pool.release(n)
	a.used -= n
}

// Close returns everything; the account stays usable.
func (a *MemoryAccount) Close() {
	if a != nil {
		a.Shrink(a.used)
	}
}

// Used returns the account's current size.
func (a *MemoryAccount) Used() int64 { return a.used }

// Peak returns the account's largest size.
func (a *MemoryAccount) Peak() int64 { return a.peak }

// limitError builds the error for an operator that cannot make progress even
// by spilling: it needs need bytes at once.
func (a *MemoryAccount) limitError(need int64) error {
	p := a.pool
	// Name the tightest pool: the database's limit, or the process's
	// ceiling when that is what is full.
	for q := p; q != nil; q = q.parent {
		if lim := q.Limit(); lim > 0 && (p.Limit() <= 0 || q.Limit()-q.Used() < p.Limit()-p.Used()) {
			p = q
		}
	}
	lim := p.Limit()
	short := need
	if lim > 0 {
		short = p.Used() + need - lim
	}
	return &MemoryLimitError{Limit: lim, Needed: max(short, 1), What: a.what}
}

// DefaultMemoryLimit is 80% of physical memory (MemTotal, or the cgroup
// limit when lower), the default DuckDB also uses; 0 when unknown.
func DefaultMemoryLimit() int64 {
	total := physicalMemory()
	if cg := cgroupLimit(); cg > 0 && (total == 0 || cg < total) {
		total = cg
	}
	return total / 10 * 8
}

func cgroupLimit() int64 {
	b, err := os.ReadFile("/sys/fs/cgroup/memory.max")
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0 // "max"
	}
	return n
}

// memEnv is what a buffering operator needs to account and spill. Spill
// files go in this process's folder under dir (storage/tempdir; "" is the
// OS temp directory), and their bytes count against temp.
type memEnv struct {
	pool *MemoryPool
	dir  string
	temp *TempSpace
}

// colsBytes estimates the memory of columns from their slice capacities
// plus strBytes, the string contents, which callers total as rows arrive:
// walking every string per check would make accounting quadratic.
func colsBytes(vs []*coldata.Vec, strBytes int64) int64 {
	b := strBytes
	for _, v := range vs {
		b += int64(cap(v.Nulls)) + int64(cap(v.B)) + 4*int64(cap(v.I32)) +
			8*int64(cap(v.I64)) + 8*int64(cap(v.F64)) + 16*int64(cap(v.Str)) + 16*int64(cap(v.I128))
	}
	return b
}

// liveStrBytes sums the string lengths of b's live rows (all columns).
func liveStrBytes(b *coldata.Batch) int64 {
	var t int64
	for _, v := range b.Vecs {
		if v.Type.ID != coldata.String {
			continue
		}
		if b.Sel == nil {
			for _, s := range v.Str[:b.N] {
				t += int64(len(s))
			}
			continue
		}
		for _, i := range b.Sel {
			t += int64(len(v.Str[i]))
		}
	}
	return t
}
