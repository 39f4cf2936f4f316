package exec

import (
	"container/heap"
	"context"
	"errors"
	"io"
	"slices"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// NewTopN emits the first n rows of all of inputs (the workers of the
// pipeline below) in keys order (ORDER BY ... LIMIT n; the caller applies
// OFFSET by asking for offset+limit and a Limit above).
//
// Every worker keeps its own candidates (Sink): a max-heap of row slots has
// the worst kept row on top, which each new row must beat; a worker's state
// stays within about 2n rows plus one batch. Finalize gathers the workers'
// kept rows (at most n each) and sorts them.
func NewTopN(inputs []Operator, keys []SortKey, n int64) Operator {
	t := &topN{inputs: inputs, keys: keys, limit: n}
	if len(inputs) == 0 {
		t.err = errors.New("top-n: no inputs")
		return t
	}
	t.types = inputs[0].Types()
	t.err = checkSortKeys("top-n", keys, len(t.types))
	return t
}

type topN struct {
	opStats
	inputs  []Operator
	types   []coldata.Type
	keys    []SortKey
	limit   int64
	err     error
	env     memEnv
	observe func(rows int64)
	br      *breaker
	locals  []*topLocal

	store  []*coldata.Vec // the workers' kept rows
	perm   []int32
	ready  bool
	emit   int
	out    *coldata.Batch
	closed bool
}

// topLocal is one worker's candidates.
type topLocal struct {
	t     *topN
	acc   *MemoryAccount
	store []*coldata.Vec // candidate rows; the heap says which are kept
	spare []*coldata.Vec // compaction target, swapped with store
	rows  int            // rows in store
	h     slotHeap
}

// slotHeap orders store rows worst-first (a max-heap under the sort order).
type slotHeap struct {
	rows []int32
	cmp  rowCmp
}

func (h *slotHeap) Len() int           { return len(h.rows) }
func (h *slotHeap) Less(i, j int) bool { return h.cmp(h.rows[i], h.rows[j]) > 0 }
func (h *slotHeap) Swap(i, j int)      { h.rows[i], h.rows[j] = h.rows[j], h.rows[i] }
func (h *slotHeap) Push(x any)         { h.rows = append(h.rows, x.(int32)) }
func (h *slotHeap) Pop() any {
	x := h.rows[len(h.rows)-1]
	h.rows = h.rows[:len(h.rows)-1]
	return x
}

func (t *topN) Types() []coldata.Type { return t.types }

// Open prepares the workers; the first Next runs them.
func (t *topN) Open(ctx context.Context) error {
	if t.err != nil {
		return t.err
	}
	if t.br != nil {
		return errors.New("top-n: opened twice")
	}
	t.locals = make([]*topLocal, len(t.inputs))
	t.br = newBreaker("top-n", "while keeping the top rows", t.inputs, t, t.env, 1, t.observe)
	return nil
}

func (t *topN) Next(ctx context.Context) (*coldata.Batch, error) {
	if t.err != nil {
		return nil, t.err
	}
	if t.closed || t.br == nil {
		return nil, errors.New("top-n: Next without Open")
	}
	t0 := time.Now()
	if t.limit <= 0 {
		return nil, io.EOF // Close releases the inputs, never read
	}
	if !t.ready {
		if err := t.br.run(ctx); err != nil {
			t.err = err
			return nil, err
		}
		t.ready = true
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if t.emit >= len(t.perm) {
		t.store, t.perm = nil, nil
		return nil, io.EOF
	}
	b := emitPerm(&t.out, t.store, t.perm[t.emit:min(len(t.perm), t.emit+coldata.DefaultBatchSize)])
	t.emit += b.N
	t.done(t0, b.N)
	return b, nil
}

func (t *topN) newLocal(w int, acc *MemoryAccount) (localSink, error) {
	l := &topLocal{t: t, acc: acc, store: newVecs(t.types)}
	l.h.cmp = comparator(l.store, t.keys)
	t.locals[w] = l
	return l, nil
}

// sink considers the live rows of b. They are appended to the store (one
// vectorized copy) so that a single comparator serves kept and new rows;
// losers stay behind as garbage, and once garbage outweighs the kept rows
// the store is compacted. State is thus bounded by about 2n rows plus a
// batch, at O(1) amortised copying per row. It cannot spill: it is booked
// whatever the limit.
func (l *topLocal) sink(_ context.Context, b *coldata.Batch) error {
	m := b.Len()
	base := l.rows
	appendBatch(l.store, b, nil)
	l.rows += m
	for r := int32(base); r < int32(l.rows); r++ {
		if int64(len(l.h.rows)) < l.t.limit {
			heap.Push(&l.h, r)
			continue
		}
		if l.h.cmp(r, l.h.rows[0]) < 0 {
			l.h.rows[0] = r
			heap.Fix(&l.h, 0)
		}
	}
	if kept := len(l.h.rows); l.rows-kept >= max(kept, coldata.DefaultBatchSize) {
		l.compact()
	}
	forceResize(l.acc, vecsBytes(l.store)+vecsBytes(l.spare))
	return nil
}

// forceResize sets a's size to n bytes, past the limit if need be (state
// that cannot spill).
func forceResize(a *MemoryAccount, n int64) {
	if d := n - a.Used(); d > 0 {
		a.ForceGrow(d)
	} else {
		a.Shrink(-d)
	}
}

// compact moves the kept rows to the front of a fresh store. Relabelling
// heap entries in place keeps the heap order valid.
func (l *topLocal) compact() {
	kept := len(l.h.rows)
	if l.spare == nil {
		l.spare = newVecs(l.t.types)
	}
	for i, v := range l.store {
		sp := l.spare[i]
		sp.Resize(kept)
		if v.Type.ID != coldata.Unknown {
			sp.CopyFrom(v, l.h.rows, kept, 0)
		}
		// Swap contents, not pointers: the comparator holds the pointers.
		*v, *sp = *sp, *v
	}
	for x := range l.h.rows {
		l.h.rows[x] = int32(x)
	}
	l.rows = kept
}

func (l *topLocal) combine(context.Context) error { return nil }

// finalize gathers the workers' kept rows and orders them; the first limit
// are the answer.
func (t *topN) finalize(context.Context, *breaker) (int64, error) {
	t.store = newVecs(t.types)
	for _, l := range t.locals {
		if k := len(l.h.rows); k > 0 {
			for i, v := range t.store {
				appendVec(v, l.store[i], l.h.rows, k)
			}
		}
		l.store, l.spare, l.h.rows = nil, nil, nil
	}
	n := 0
	if len(t.store) > 0 {
		n = t.store[0].Len()
	}
	t.perm = make([]int32, n)
	for i := range t.perm {
		t.perm[i] = int32(i)
	}
	slices.SortFunc(t.perm, comparator(t.store, t.keys))
	if int64(len(t.perm)) > t.limit {
		t.perm = t.perm[:max(t.limit, 0)]
	}
	return int64(len(t.perm)), nil
}

// OpStats adds the workers' peak memory.
func (t *topN) OpStats() OpStats {
	st := t.st
	if t.br != nil {
		st.PeakBytes = t.br.localPeak()
	}
	return st
}

func (t *topN) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	t.store, t.perm, t.out = nil, nil, nil
	if t.br != nil {
		t.br.close()
	} else {
		for _, in := range t.inputs {
			_ = in.Close()
		}
	}
	return nil
}
