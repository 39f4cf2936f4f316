package exec

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// SortKey orders by one column. NullsFirst places NULLs before all values
// whatever the direction.
type SortKey struct {
	Col        int
	Desc       bool
	NullsFirst bool
}

// NewSort materialises the rows of all of inputs (the workers of the
// pipeline below) and emits them ordered by keys (not stable).
//
// Every worker buffers its own rows (Sink). Finalize lays them out in one
// set of exact-size columns, sorts equal ranges of it on all threads and
// merges the sorted ranges pairwise, each merge split across the threads at
// merge-path diagonals, into one permutation that the output gathers.
// Rows are sorted as an index permutation: the first key is encoded into a
// 64-bit prefix whose unsigned order is the requested order, so most
// comparisons are one integer compare; a lone fixed-width key is sorted
// entirely by an LSD radix sort of (prefix, index) pairs (sortrows.go).
// Past the memory limit workers write sorted runs to disk, merged at the
// end (sort_spill.go).
func NewSort(inputs []Operator, keys []SortKey) Operator {
	s := &sortOp{inputs: inputs, keys: keys}
	if len(inputs) == 0 {
		s.err = errors.New("sort: no inputs")
		return s
	}
	s.types = inputs[0].Types()
	s.err = checkSortKeys("sort", keys, len(s.types))
	return s
}

type sortOp struct {
	opStats
	inputs  []Operator
	types   []coldata.Type
	keys    []SortKey
	err     error
	threads int // 0: GOMAXPROCS
	observe func(rows int64)
	env     memEnv
	br      *breaker
	locals  []*sortLocal

	cols   []*coldata.Vec // every row, laid out, when sorted in memory
	perm   []int32
	sorted bool
	emit   int
	out    *coldata.Batch
	closed bool
	acc    *MemoryAccount // the laid out rows, or the merge's readers

	// Spilling (sort_spill.go): any worker may write a run.
	runMu   sync.Mutex
	runs    *spillFile
	runIDs  []int // sorted runs on disk, merged in this order
	merger  *runMerger
	spilled atomic.Int64
	encBuf  []byte
	sel     []int32
}

func checkSortKeys(what string, keys []SortKey, width int) error {
	for _, k := range keys {
		if k.Col < 0 || k.Col >= width {
			return errors.New(what + ": sort column out of range")
		}
	}
	return nil
}

func (s *sortOp) Types() []coldata.Type { return s.types }

// Open prepares the workers; the first Next runs them (as for the hash
// aggregate, so runtime filters from joins above reach the scans first).
func (s *sortOp) Open(ctx context.Context) error {
	if s.err != nil {
		return s.err
	}
	if s.br != nil {
		return errors.New("sort: opened twice")
	}
	s.locals = make([]*sortLocal, len(s.inputs))
	s.br = newBreaker("sort", "while sorting", s.inputs, s, s.env, s.threads, s.observe)
	return nil
}

func (s *sortOp) Next(ctx context.Context) (*coldata.Batch, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.closed || s.br == nil {
		return nil, errors.New("sort: Next without Open")
	}
	t0 := time.Now()
	if !s.sorted {
		if err := s.br.run(ctx); err != nil {
			s.err = err
			return nil, err
		}
		s.sorted = true
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.merger != nil {
		b, err := s.merger.next()
		if err != nil {
			if err != io.EOF {
				s.err = err
			}
			return nil, err
		}
		s.done(t0, b.N)
		return b, nil
	}
	if s.emit >= len(s.perm) {
		s.cols, s.perm = nil, nil
		s.acc.Close()
		return nil, io.EOF
	}
	b := emitPerm(&s.out, s.cols, s.perm[s.emit:min(len(s.perm), s.emit+coldata.DefaultBatchSize)])
	s.emit += b.N
	s.done(t0, b.N)
	return b, nil
}

// sortLocal is one worker's rows (Sink).
type sortLocal struct {
	s       *sortOp
	buf     *rowBuf
	acc     *MemoryAccount
	rows    int64 // sunk, spilled runs included
	batches int   // in buf since the last run
	encBuf  []byte
}

func (s *sortOp) newLocal(w int, acc *MemoryAccount) (localSink, error) {
	l := &sortLocal{s: s, buf: newRowBuf(s.types), acc: acc}
	s.locals[w] = l
	return l, nil
}

// stateBytes is what the buffered rows cost once sorted: the rows plus
// the sort's pairs, scratch and permutation (36 bytes a row).
func (l *sortLocal) stateBytes() int64 { return l.buf.bytes() + 36*int64(l.buf.Len()) }

// sink buffers a batch; when the account cannot grow, the rows so far are
// sorted and written as a run.
func (l *sortLocal) sink(_ context.Context, b *coldata.Batch) error {
	l.buf.appendBatch(b, nil)
	l.rows += int64(b.Len())
	l.batches++
	err := l.acc.Resize(l.stateBytes())
	if err == nil || !errors.Is(err, ErrMemoryLimit) {
		return err
	}
	if lim := l.s.env.pool.Limit(); l.batches <= 1 && lim > 0 && l.stateBytes() > lim {
		// One batch alone exceeds the limit: spilling it as a run could
		// never bound what a batch needs.
		return l.acc.limitError(l.stateBytes())
	}
	return l.spillRun()
}

func (l *sortLocal) combine(context.Context) error { return nil }

// finalize sorts the buffered rows in memory on all threads, or, when any
// worker spilled (or the laid out rows would not fit), writes what is left
// as runs and starts merging the runs.
func (s *sortOp) finalize(ctx context.Context, br *breaker) (int64, error) {
	var total int64
	n := 0
	for _, l := range s.locals {
		total += l.rows
		n += l.buf.Len()
	}
	s.acc = s.env.pool.NewAccount("while sorting")
	if s.runs == nil {
		var held, widest int64
		for _, l := range s.locals {
			held += l.stateBytes()
		}
		for _, t := range s.types {
			widest = max(widest, int64(n)*fixedWidth(t))
		}
		// The buffers move into the laid out columns, one column in flight
		// per thread; the merge adds a permutation per level.
		need := held + widest*int64(min(br.threads, len(s.types))) + 4*int64(n)
		err := s.acc.Resize(need)
		if err != nil && !errors.Is(err, ErrMemoryLimit) {
			return 0, err
		}
		if err == nil {
			s.sortInMemory(ctx, br, n)
			return total, ctx.Err()
		}
		s.acc.Close()
	}
	for _, l := range s.locals {
		if l.buf.Len() > 0 {
			if err := l.spillRun(); err != nil {
				return 0, err
			}
		}
	}
	return total, s.startMerge(ctx)
}

// sortInMemory lays the workers' rows out as one column set, sorts
// br.threads ranges of it in parallel and merges them.
func (s *sortOp) sortInMemory(ctx context.Context, br *breaker, n int) {
	var bufs []*rowBuf
	for _, l := range s.locals {
		if l.buf.Len() > 0 {
			bufs = append(bufs, l.buf)
		}
	}
	s.cols = layOut(ctx, br, s.types, bufs)
	for _, l := range s.locals {
		l.acc.Close() // its rows are in s.cols, booked on s.acc
	}
	k := min(br.threads, max(1, n/minParallelSortRows))
	perms := make([][]int32, k)
	err := br.tasks(ctx, k, func(_ context.Context, i int) error {
		perms[i] = sortRange(s.cols, n*i/k, n*(i+1)/k, s.keys)
		return nil
	})
	if err != nil {
		return
	}
	s.perm = mergePerms(ctx, br, perms, comparator(s.cols, s.keys))
}

// minParallelSortRows is the fewest rows per thread worth a range of its
// own: below, sorting on one thread beats sorting and merging. (A variable
// for tests.)
var minParallelSortRows = 1 << 14

// layOut concatenates the rows of bufs into one set of exact-size columns,
// a column per task, dropping each buffer's copy of a column once copied.
func layOut(ctx context.Context, br *breaker, types []coldata.Type, bufs []*rowBuf) []*coldata.Vec {
	switch len(bufs) {
	case 0:
		return newVecs(types)
	case 1:
		return bufs[0].take()
	}
	n := 0
	for _, b := range bufs {
		n += b.Len()
	}
	cols := make([]*coldata.Vec, len(types))
	_ = br.tasks(ctx, len(types), func(_ context.Context, c int) error {
		v := coldata.NewVec(types[c], n)
		at := 0
		for _, b := range bufs {
			if types[c].ID != coldata.Unknown {
				b.concatInto(v, c, at)
			}
			at += b.Len()
			b.dropCol(c)
		}
		cols[c] = v
		return nil
	})
	for _, b := range bufs {
		b.reset()
	}
	return cols
}

// mergePerms merges sorted permutations of the same rows into one,
// pairwise; each pairwise merge is split into br.threads independent
// pieces at merge-path diagonals, so every level runs on all threads.
func mergePerms(ctx context.Context, br *breaker, runs [][]int32, cmp rowCmp) []int32 {
	type piece struct{ a, b, out []int32 }
	for len(runs) > 1 {
		var next [][]int32
		var pieces []piece
		for i := 0; i+1 < len(runs); i += 2 {
			a, b := runs[i], runs[i+1]
			out := make([]int32, len(a)+len(b))
			parts := max(1, min(br.threads, len(out)/minParallelSortRows))
			ia := 0
			for p := 1; p <= parts; p++ {
				d0, d1 := len(out)*(p-1)/parts, len(out)*p/parts
				ib := mergeSplit(a, b, d1, cmp)
				pieces = append(pieces, piece{a[ia:ib], b[d0-ia : d1-ib], out[d0:d1]})
				ia = ib
			}
			next = append(next, out)
		}
		if len(runs)%2 == 1 {
			next = append(next, runs[len(runs)-1])
		}
		err := br.tasks(ctx, len(pieces), func(_ context.Context, i int) error {
			mergeInto(pieces[i].out, pieces[i].a, pieces[i].b, cmp)
			return nil
		})
		if err != nil {
			return nil
		}
		runs = next
	}
	return runs[0]
}

// mergeSplit returns how many of the first d rows of the merge of a and b
// come from a (a's row first on ties, as in mergeInto).
func mergeSplit(a, b []int32, d int, cmp rowCmp) int {
	lo, hi := max(0, d-len(b)), min(d, len(a))
	for lo < hi {
		i := int(uint(lo+hi) >> 1)
		// a[i] goes before b[d-i-1]: the first d take more of a.
		if cmp(a[i], b[d-i-1]) <= 0 {
			lo = i + 1
		} else {
			hi = i
		}
	}
	return lo
}

// mergeInto merges a and b into out (len(a)+len(b) rows).
func mergeInto(out, a, b []int32, cmp rowCmp) {
	i, j, k := 0, 0, 0
	for i < len(a) && j < len(b) {
		if cmp(a[i], b[j]) <= 0 {
			out[k] = a[i]
			i++
		} else {
			out[k] = b[j]
			j++
		}
		k++
	}
	k += copy(out[k:], a[i:])
	copy(out[k:], b[j:])
}

// emitPerm gathers rows perm of cols into *out (allocated on first use).
func emitPerm(out **coldata.Batch, cols []*coldata.Vec, perm []int32) *coldata.Batch {
	if *out == nil {
		ts := make([]coldata.Type, len(cols))
		for i, c := range cols {
			ts[i] = c.Type
		}
		*out = coldata.NewBatch(ts, 0)
	}
	b := *out
	n := len(perm)
	b.Reset(n)
	for i, c := range cols {
		if c.Type.ID != coldata.Unknown {
			b.Vecs[i].CopyFrom(c, perm, n, 0)
		}
	}
	return b
}

func (s *sortOp) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	s.cols, s.perm, s.out, s.merger = nil, nil, nil, nil
	if s.br != nil {
		s.br.close()
	} else {
		for _, in := range s.inputs {
			_ = in.Close()
		}
	}
	err := s.runs.Close()
	s.acc.Close()
	return err
}
