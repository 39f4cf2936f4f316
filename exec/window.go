package exec

import (
	"context"
	"errors"
	"io"
	"slices"
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
	opStats
	sort      *sortOp
	partition []int
	order     []SortKey
	calls     []planner.PhysWindowCall
	inTypes   []coldata.Type
	types     []coldata.Type
	err       error
	env       memEnv
	acc       *MemoryAccount

	buf      []*coldata.Vec // the current block of partitions, then the start of the next
	bufBytes int64
	n        int            // rows of buf in the current block
	eof      bool           // the sort is exhausted
	bounds   []int32        // the block's partitions: [bounds[p], bounds[p+1])
	views    []*coldata.Vec // one partition of buf
	results  []*coldata.Vec // one per call, for the block
	emit     int
	out      coldata.Batch
	ev       winEval
	closed   bool
}

func (w *windowOp) Types() []coldata.Type { return w.types }

func (w *windowOp) Open(ctx context.Context) error {
	if w.err != nil {
		return w.err
	}
	w.sort.env = w.env
	w.acc = w.env.pool.NewAccount("while computing window functions")
	w.buf = newVecs(w.inTypes)
	w.out.Vecs = make([]*coldata.Vec, len(w.types))
	for i := range w.out.Vecs {
		w.out.Vecs[i] = &coldata.Vec{}
	}
	return w.sort.Open(ctx)
}

func (w *windowOp) Next(ctx context.Context) (*coldata.Batch, error) {
	if w.err != nil {
		return nil, w.err
	}
	if w.closed {
		return nil, errors.New("window: Next after Close")
	}
	t0 := time.Now()
	for w.emit >= w.n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		more, err := w.nextPartition(ctx)
		if err != nil {
			w.err = err
			return nil, err
		}
		if !more {
			return nil, io.EOF
		}
	}
	hi := min(w.n, w.emit+coldata.DefaultBatchSize)
	for i, v := range w.buf {
		sliceVec(w.out.Vecs[i], v, w.emit, hi)
	}
	for k, v := range w.results {
		sliceVec(w.out.Vecs[len(w.buf)+k], v, w.emit, hi)
	}
	w.out.N, w.out.Sel = hi-w.emit, nil
	w.emit = hi
	w.done(t0, w.out.N)
	return &w.out, nil
}

// windowBlockRows is the fewest rows evaluated at a time: small partitions
// are gathered into blocks so that per-partition work stays small next to
// the rows' own.
var windowBlockRows = 16 << 10

// nextPartition drops the emitted rows, reads sorted rows until the block
// holds windowBlockRows rows and ends at a partition boundary (or the
// input ends) and evaluates the calls over each partition of the block.
func (w *windowOp) nextPartition(ctx context.Context) (bool, error) {
	if w.n > 0 {
		// Keep the rows read past the block: the next one's start.
		rest := newVecs(w.inTypes)
		if left := w.buf[0].Len() - w.n; left > 0 {
			for i, v := range w.buf {
				appendVec(rest[i], sliceVec(nil, v, w.n, v.Len()), nil, v.Len()-w.n)
			}
		}
		w.buf, w.n, w.emit, w.bufBytes = rest, 0, 0, vecsBytes(rest)
	}
	rows := func() int {
		if len(w.buf) == 0 {
			return 0
		}
		return w.buf[0].Len()
	}
	same := comparator(w.buf, partKeys(w.partition))
	w.bounds = append(w.bounds[:0], 0)
	for scanned := 1; ; {
		for ; scanned < rows(); scanned++ {
			if same(int32(scanned-1), int32(scanned)) != 0 {
				w.bounds = append(w.bounds, int32(scanned))
				if scanned >= windowBlockRows {
					w.n = scanned
					return true, w.evaluate(ctx)
				}
			}
		}
		if w.eof {
			w.n = rows()
			if w.n == 0 {
				return false, nil
			}
			w.bounds = append(w.bounds, int32(w.n))
			return true, w.evaluate(ctx)
		}
		b, err := w.sort.Next(ctx)
		if err == io.EOF {
			w.eof = true
			continue
		}
		if err != nil {
			return false, err
		}
		appendBatch(w.buf, b, nil)
		w.bufBytes += batchBytes(b)
		if err := w.acc.Resize(w.bufBytes); err != nil {
			return false, err
		}
	}
}

// evaluate computes every call over each partition of rows [0, w.n) of
// buf (w.bounds), into one result column per call.
func (w *windowOp) evaluate(ctx context.Context) error {
	n := w.n
	w.results = w.results[:0]
	var held int64
	for _, c := range w.calls {
		v := coldata.NewVec(c.Typ, n)
		v.EnsureNulls()
		w.results = append(w.results, v)
		held += vecBytes(v)
	}
	if err := w.acc.Resize(w.bufBytes + held); err != nil {
		return err
	}
	if len(w.views) != len(w.buf) {
		w.views = make([]*coldata.Vec, len(w.buf))
		for i := range w.views {
			w.views[i] = &coldata.Vec{}
		}
	}
	var out coldata.Vec
	for p := 0; p+1 < len(w.bounds); p++ {
		lo, hi := int(w.bounds[p]), int(w.bounds[p+1])
		if p%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for i, v := range w.buf {
			sliceVec(w.views[i], v, lo, hi)
		}
		w.ev.reset(w.views, hi-lo, w.order)
		for k := range w.calls {
			if err := w.ev.call(&w.calls[k], sliceVec(&out, w.results[k], lo, hi)); err != nil {
				return err
			}
		}
	}
	for _, v := range w.results {
		if !slices.Contains(v.Nulls, true) {
			v.Nulls = nil
		}
	}
	return w.acc.Resize(w.bufBytes + held + w.ev.bytes())
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

func (w *windowOp) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	w.buf, w.results = nil, nil
	err := w.sort.Close()
	w.acc.Close()
	return err
}

// window builds a window operator over the workers of its input: they
// feed its sort in parallel; the window itself runs on one stream.
func (b *builder) window(p *planner.PhysWindow) (stream, error) {
	in, err := b.build(p.Input)
	if err != nil {
		return nil, err
	}
	w := NewWindow(in, p.Partition, sortKeys(p.Order), p.Calls).(*windowOp)
	w.sort.threads, w.sort.observe = b.threads, b.observer(p)
	return b.record(p, stream{withMemory(w, b.env)}), nil
}

// OpStats adds the sort's peak and spilled bytes to the window's own.
func (w *windowOp) OpStats() OpStats {
	st, ss := w.st, w.sort.OpStats()
	st.PeakBytes = ss.PeakBytes
	if w.acc != nil {
		st.PeakBytes += w.acc.Peak()
	}
	st.SpilledBytes = ss.SpilledBytes
	return st
}
