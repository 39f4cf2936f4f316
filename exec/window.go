package exec

import (
	"context"
	"errors"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// NewWindow computes window functions: the rows of inputs (the workers of
// the pipeline below) sorted by (partition, order) with the parallel,
// spilling sort of ORDER BY, then read back one partition at a time; each
// partition is evaluated whole (window_eval.go) and emitted with one
// column per call appended. Only one partition (plus a batch) is held at
// a time beyond what the sort holds, so partitioned windows run under the
// memory limit as ORDER BY does.
func NewWindow(inputs []Operator, partition []int, order []SortKey, calls []planner.PhysWindowCall) Operator {
	w := &windowOp{partition: partition, order: order, calls: calls}
	keys := make([]SortKey, 0, len(partition)+len(order))
	for _, p := range partition {
		keys = append(keys, SortKey{Col: p})
	}
	keys = append(keys, order...)
	w.sort = NewSort(inputs, keys).(*sortOp)
	if len(inputs) == 0 {
		w.err = errors.New("window: no inputs")
		return w
	}
	w.inTypes = inputs[0].Types()
	w.types = append([]coldata.Type{}, w.inTypes...)
	for _, c := range calls {
		w.types = append(w.types, c.Typ)
	}
	if err := checkSortKeys("window", keys, len(w.inTypes)); err != nil {
		w.err = err
	}
	return w
}

type windowOp struct {
	sort      *sortOp
	partition []int
	order     []SortKey
	calls     []planner.PhysWindowCall
	inTypes   []coldata.Type
	types     []coldata.Type
	err       error
	env       memEnv

	// The sorted rows are cut into blocks under mu, by whichever reader
	// needs one; readers evaluate their blocks in parallel.
	mu          sync.Mutex
	carry       []*coldata.Vec // rows read past the last block
	eof         bool           // the sort is exhausted
	srcErr      error
	openOnce    sync.Once
	openErr     error
	readersOpen int
	self        *winReader // the reader when the window is used as one operator
}

// winReader evaluates blocks of whole partitions and emits them.
type winReader struct {
	opStats
	w        *windowOp
	acc      *MemoryAccount
	buf      []*coldata.Vec // the current block of partitions
	bufBytes int64
	n        int            // rows of the block
	bounds   []int32        // the block's partitions: [bounds[p], bounds[p+1])
	views    []*coldata.Vec // one partition of buf
	results  []*coldata.Vec // one per call, for the block
	emit     int
	out      coldata.Batch
	ev       winEval
	err      error
	closed   bool
	first    bool // reports the sort's memory and spill
}

func (w *windowOp) Types() []coldata.Type { return w.types }

// Readers returns n operators that read the window's output together, each
// evaluating its own blocks of partitions on its worker. Each must be
// opened and closed; the window closes with the last.
func (w *windowOp) Readers(n int) []Operator {
	w.readersOpen = n
	out := make([]Operator, n)
	for i := range out {
		out[i] = &winReader{w: w, first: i == 0}
	}
	return out
}

func (w *windowOp) open(ctx context.Context) {
	w.sort.env = w.env
	w.openErr = w.sort.Open(ctx)
}

func (w *windowOp) Open(ctx context.Context) error {
	if w.self == nil {
		w.readersOpen = 1
		w.self = &winReader{w: w, first: true}
	}
	return w.self.Open(ctx)
}

func (w *windowOp) Next(ctx context.Context) (*coldata.Batch, error) {
	if w.self == nil {
		return nil, errors.New("window: Next without Open")
	}
	return w.self.Next(ctx)
}

func (w *windowOp) Close() error {
	if w.self == nil {
		w.readersOpen = 1
		w.self = &winReader{w: w, first: true}
	}
	return w.self.Close()
}

// OpStats adds the sort's peak and spilled bytes to the window's own.
func (w *windowOp) OpStats() OpStats {
	if w.self == nil {
		return w.sort.OpStats()
	}
	return w.self.OpStats()
}

func (r *winReader) Types() []coldata.Type { return r.w.types }

func (r *winReader) Open(ctx context.Context) error {
	w := r.w
	if w.err != nil {
		return w.err
	}
	w.openOnce.Do(func() { w.open(ctx) })
	if w.openErr != nil {
		return w.openErr
	}
	r.acc = w.env.pool.NewAccount("while computing window functions")
	r.out.Vecs = make([]*coldata.Vec, len(w.types))
	for i := range r.out.Vecs {
		r.out.Vecs[i] = &coldata.Vec{}
	}
	return nil
}

func (r *winReader) Next(ctx context.Context) (*coldata.Batch, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.closed || r.acc == nil {
		return nil, errors.New("window: Next without Open")
	}
	t0 := time.Now()
	for r.emit >= r.n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		more, err := r.cut(ctx)
		if err == nil && more {
			err = r.evaluate(ctx)
		}
		if err != nil {
			r.err = err
			return nil, err
		}
		if !more {
			return nil, io.EOF
		}
	}
	hi := min(r.n, r.emit+coldata.DefaultBatchSize)
	for i, v := range r.buf {
		sliceVec(r.out.Vecs[i], v, r.emit, hi)
	}
	for k, v := range r.results {
		sliceVec(r.out.Vecs[len(r.buf)+k], v, r.emit, hi)
	}
	r.out.N, r.out.Sel = hi-r.emit, nil
	r.emit = hi
	r.done(t0, r.out.N)
	return &r.out, nil
}

// windowBlockRows is the fewest rows evaluated at a time: small partitions
// are gathered into blocks so that per-partition work stays small next to
// the rows' own.
var windowBlockRows = 16 << 10

// cut takes the next block: the rows carried from the last cut, then
// sorted rows until the block holds windowBlockRows rows and ends at a
// partition boundary (or the input ends); rows read past it are carried.
func (r *winReader) cut(ctx context.Context) (bool, error) {
	w := r.w
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.srcErr != nil {
		return false, w.srcErr
	}
	r.buf, r.n, r.emit, r.results = w.carry, 0, 0, nil
	if r.buf == nil {
		r.buf = newVecs(w.inTypes)
	}
	w.carry = nil
	r.bufBytes = vecsBytes(r.buf)
	rows := func() int {
		if len(r.buf) == 0 {
			return 0
		}
		return r.buf[0].Len()
	}
	same := comparator(r.buf, partKeys(w.partition))
	r.bounds = append(r.bounds[:0], 0)
	for scanned := 1; ; {
		for ; scanned < rows(); scanned++ {
			if same(int32(scanned-1), int32(scanned)) != 0 {
				r.bounds = append(r.bounds, int32(scanned))
				if scanned >= windowBlockRows {
					r.n = scanned
					w.carry = newVecs(w.inTypes)
					for i, v := range r.buf {
						appendVec(w.carry[i], sliceVec(nil, v, r.n, v.Len()), nil, v.Len()-r.n)
					}
					return true, nil
				}
			}
		}
		if w.eof {
			r.n = rows()
			r.bounds = append(r.bounds, int32(r.n))
			return r.n > 0, nil
		}
		b, err := w.sort.Next(ctx)
		if err == io.EOF {
			w.eof = true
			continue
		}
		if err == nil {
			appendBatch(r.buf, b, nil)
			r.bufBytes += batchBytes(b)
			err = r.charge(r.bufBytes)
		}
		if err != nil {
			w.srcErr = err
			return false, err
		}
	}
}

// evaluate computes every call over each partition of the block, into one
// result column per call.
func (r *winReader) evaluate(ctx context.Context) error {
	w := r.w
	n := r.n
	var held int64
	for _, c := range w.calls {
		v := coldata.NewVec(c.Typ, n)
		v.EnsureNulls()
		r.results = append(r.results, v)
		held += vecBytes(v)
	}
	if err := r.charge(r.bufBytes + held); err != nil {
		return err
	}
	if len(r.views) != len(r.buf) {
		r.views = make([]*coldata.Vec, len(r.buf))
		for i := range r.views {
			r.views[i] = &coldata.Vec{}
		}
	}
	var out coldata.Vec
	for p := 0; p+1 < len(r.bounds); p++ {
		lo, hi := int(r.bounds[p]), int(r.bounds[p+1])
		if p%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for i, v := range r.buf {
			sliceVec(r.views[i], v, lo, hi)
		}
		r.ev.reset(r.views, hi-lo, w.order)
		for k := range w.calls {
			if err := r.callInto(&w.calls[k], r.results[k], &out, lo, hi); err != nil {
				return err
			}
		}
	}
	for _, v := range r.results {
		if !slices.Contains(v.Nulls, true) {
			v.Nulls = nil
		}
	}
	return r.charge(r.bufBytes + held + r.ev.bytes())
}

// charge sizes the reader's account. A block of at most a few times
// windowBlockRows rows (partitions of ordinary size) is taken even past
// the limit, like a scan's batches: the sorts around then spill sooner.
// Only a partition too large for the limit fails.
func (r *winReader) charge(bytes int64) error {
	err := r.acc.Resize(bytes)
	if err == nil || !errors.Is(err, ErrMemoryLimit) || len(r.buf) == 0 || r.buf[0].Len() > 4*windowBlockRows {
		return err
	}
	r.acc.ForceGrow(bytes - r.acc.Used())
	return nil
}

func (r *winReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.buf, r.results, r.views = nil, nil, nil
	r.acc.Close()
	w := r.w
	w.mu.Lock()
	w.readersOpen--
	last := w.readersOpen <= 0
	w.mu.Unlock()
	if !last {
		return nil
	}
	w.carry = nil
	return w.sort.Close()
}

// OpStats reports the reader's rows and time; the first reader also the
// sort's memory and spill.
func (r *winReader) OpStats() OpStats {
	st := r.st
	if r.acc != nil {
		st.PeakBytes = r.acc.Peak()
	}
	if r.first {
		ss := r.w.sort.OpStats()
		st.PeakBytes += ss.PeakBytes
		st.SpilledBytes = ss.SpilledBytes
	}
	return st
}

// batchBytes estimates what the live rows of b take once buffered (with
// the slack of a doubling column).
func batchBytes(b *coldata.Batch) int64 {
	n := int64(b.Len())
	var t int64
	for _, v := range b.Vecs {
		t += 2 * (fixedWidth(v.Type) + 1) * n
		if v.Type.ID == coldata.String {
			if b.Sel == nil {
				t += strLen(v.Str[:b.N])
			} else {
				for _, i := range b.Sel {
					t += int64(len(v.Str[i]))
				}
			}
		}
	}
	return t
}

// partKeys are the partition columns as equality keys.
func partKeys(partition []int) []SortKey {
	keys := make([]SortKey, len(partition))
	for i, p := range partition {
		keys[i] = SortKey{Col: p}
	}
	return keys
}

// window builds a window operator over the workers of its input: they
// feed its sort in parallel, and with several threads as many readers
// evaluate blocks of partitions in parallel.
func (b *builder) window(p *planner.PhysWindow) (stream, error) {
	in, err := b.build(p.Input)
	if err != nil {
		return nil, err
	}
	w := NewWindow(in, p.Partition, sortKeys(p.Order), p.Calls).(*windowOp)
	w.sort.threads, w.sort.observe = b.threads, b.observer(p)
	withMemory(w, b.env)
	if b.threads > 1 {
		// Every worker above evaluates its own blocks of partitions.
		return b.record(p, w.Readers(b.threads)), nil
	}
	return b.record(p, stream{w}), nil
}
