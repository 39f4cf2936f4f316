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

// NewTopN emits the first n rows of child in keys order (ORDER BY ... LIMIT
// n; the caller applies OFFSET by asking for offset+limit and a Limit above).
// A max-heap of row slots has the worst kept row on top, which each new row
// must beat; state stays within about 2n rows plus one batch.
func NewTopN(child Operator, keys []SortKey, n int64) Operator {
	t := &topN{child: child, keys: keys, limit: n}
	t.err = checkSortKeys("top-n", keys, len(child.Types()))
	return t
}

type topN struct {
	opStats
	child  Operator
	keys   []SortKey
	limit  int64
	err    error
	store  []*coldata.Vec // candidate rows; the heap says which are kept
	spare  []*coldata.Vec // compaction target, swapped with store
	rows   int            // rows in store
	h      slotHeap
	perm   []int32
	ready  bool
	emit   int
	out    *coldata.Batch
	closed bool
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

func (t *topN) Types() []coldata.Type { return t.child.Types() }

func (t *topN) Open(ctx context.Context) error {
	if t.err != nil {
		return t.err
	}
	return t.child.Open(ctx)
}

func (t *topN) Next(ctx context.Context) (*coldata.Batch, error) {
	if t.err != nil {
		return nil, t.err
	}
	if t.closed {
		return nil, errors.New("top-n: Next after Close")
	}
	t0 := time.Now()
	if !t.ready {
		if err := t.consume(ctx); err != nil {
			t.err = err
			return nil, err
		}
		t.perm = slices.Clone(t.h.rows)
		slices.SortFunc(t.perm, t.h.cmp)
		t.ready = true
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if t.emit >= len(t.perm) {
		t.store, t.spare, t.perm = nil, nil, nil
		return nil, io.EOF
	}
	b := emitPerm(&t.out, t.store, t.perm[t.emit:min(len(t.perm), t.emit+coldata.DefaultBatchSize)])
	t.emit += b.N
	t.done(t0, b.N)
	return b, nil
}

func (t *topN) consume(ctx context.Context) error {
	t.store = newVecs(t.child.Types())
	t.h.cmp = comparator(t.store, t.keys)
	if t.limit <= 0 {
		return t.child.Close()
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := t.child.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		t.add(b)
	}
	return t.child.Close()
}

// add considers the live rows of b. They are appended to the store (one
// vectorized copy) so that a single comparator serves kept and new rows;
// losers stay behind as garbage, and once garbage outweighs the kept rows
// the store is compacted. State is thus bounded by about 2n rows plus a
// batch, at O(1) amortised copying per row.
func (t *topN) add(b *coldata.Batch) {
	m := b.Len()
	if m == 0 {
		return
	}
	base := t.rows
	appendBatch(t.store, b, nil)
	t.rows += m
	for r := int32(base); r < int32(t.rows); r++ {
		if int64(len(t.h.rows)) < t.limit {
			heap.Push(&t.h, r)
			continue
		}
		if t.h.cmp(r, t.h.rows[0]) < 0 {
			t.h.rows[0] = r
			heap.Fix(&t.h, 0)
		}
	}
	t.peak(vecsBytes(t.store) + vecsBytes(t.spare))
	if kept := len(t.h.rows); t.rows-kept >= max(kept, coldata.DefaultBatchSize) {
		t.compact()
	}
}

// compact moves the kept rows to the front of a fresh store. Relabelling
// heap entries in place keeps the heap order valid.
func (t *topN) compact() {
	kept := len(t.h.rows)
	if t.spare == nil {
		t.spare = newVecs(t.child.Types())
	}
	for i, v := range t.store {
		sp := t.spare[i]
		sp.Resize(kept)
		if v.Type.ID != coldata.Unknown {
			sp.CopyFrom(v, t.h.rows, kept, 0)
		}
		// Swap contents, not pointers: the comparator holds the pointers.
		*v, *sp = *sp, *v
	}
	for x := range t.h.rows {
		t.h.rows[x] = int32(x)
	}
	t.rows = kept
}

func (t *topN) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	t.store, t.spare, t.perm, t.out, t.h.rows = nil, nil, nil, nil, nil
	return t.child.Close()
}
