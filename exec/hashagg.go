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

// NewHashAgg groups the rows of all inputs by groupCols and computes aggs.
// Each input is a worker pipeline drained by its own goroutine into a private
// partial table (Sink); the partials are merged into the first (Combine) and
// the result streamed out (Finalize), as in DuckDB. Output columns are the
// group columns in groupCols order, then one column per aggregate; group order
// is unspecified. With no group columns exactly one row is produced, even for
// empty input (COUNT → 0, the others NULL).
//
// DISTINCT aggregates keep a per-worker set of (group, value) pairs instead
// of a running state; the sets are merged and only then folded, so a value
// seen by two workers counts once.
//
// SUM and AVG of the same argument share one state (a sum and a count):
// TPC-H Q1 asks for both of two columns.
func NewHashAgg(inputs []Operator, groupCols []int, aggs []AggSpec) Operator {
	h := &hashAgg{inputs: inputs, groupCols: groupCols, aggs: aggs}
	h.err = h.init()
	if h.err == nil {
		h.shareStates()
	}
	return h
}

// outAgg is an output aggregate's state (an index into aggs, the states)
// and whether it finalizes as an average.
type outAgg struct {
	state int
	avg   bool
}

// shareStates makes aggs the distinct states the outputs need (SUM and AVG
// of one argument become one) and outs the output aggregates' map to them.
func (h *hashAgg) shareStates() {
	outs := h.aggs
	h.aggs = nil
	for _, a := range outs {
		st := -1
		if !a.Distinct && (a.Func == AggSum || a.Func == AggAvg) {
			for j, b := range h.aggs {
				if !b.Distinct && (b.Func == AggSum || b.Func == AggAvg) && b.Arg == a.Arg {
					st = j
				}
			}
		}
		if st < 0 {
			st = len(h.aggs)
			h.aggs = append(h.aggs, a)
		}
		h.outs = append(h.outs, outAgg{state: st, avg: a.Func == AggAvg})
	}
}

type hashAgg struct {
	opStats
	env       memEnv
	threads   int // goroutines for the parallel merge (0: GOMAXPROCS)
	observe   func(rows int64)
	inputs    []Operator
	groupCols []int
	aggs      []AggSpec // the states kept (shareStates)
	outs      []outAgg  // per output aggregate, its state
	inTypes   []coldata.Type
	outTypes  []coldata.Type
	err       error // configuration error, reported by Open and Next
	// mergeIn: the inputs are state rows (the spill format, as a partial
	// aggregation emits them), merged rather than aggregated (aggstate.go).
	mergeIn bool

	br    *breaker      // runs the workers (Sink), then the merge (Finalize)
	parts []*aggPartial // per worker, until merged
	flush bool          // workers flush their tables (hashagg_flush.go)
	flushState

	// Spilling (hashagg_spill.go).
	allParts     []*aggPartial // every worker's partial, for accounts and stats
	spillOnce    sync.Once
	root         *aggSpill // level-0 partitions, set by the first spill
	spilled      atomic.Bool
	spilledBytes atomic.Int64
	spillMu      sync.Mutex
	spills       []*aggSpill    // every level's files, removed by Close
	mergeAcc     *MemoryAccount // books the in-memory merge of the partials
	mergeSpilled bool           // the partials fit but their merge did not
	pending      []aggWork      // spilled partitions still to merge (a stack)
	combs        []*aggCombine
	stateTypes   []coldata.Type
	stateCol     []int // aggregate i's state columns: stateCol[i]:stateCol[i+1]
	finalAcc     *MemoryAccount

	// The output (hashagg_out.go): the merged state, read by one or more
	// readers at once.
	aggOutput
	// stateOut, when set, emits groups [from,to) of a final partition as
	// keys and aggregate states instead of values, into the reader's
	// batch (aggstate.go).
	stateOut func(r *aggReader, f *aggPartial, from, to int) (*coldata.Batch, error)
}

func (h *hashAgg) init() error {
	if len(h.inputs) == 0 {
		return errors.New("hash aggregate: no inputs")
	}
	in := h.inputs[0].Types()
	for _, o := range h.inputs[1:] {
		if len(o.Types()) != len(in) {
			return errors.New("hash aggregate: inputs disagree on their columns")
		}
	}
	return h.initTypes(in)
}

// initTypes sets the types the groups and aggregates take from: the
// inputs' own, or for a final aggregation those its state rows came from.
func (h *hashAgg) initTypes(inTypes []coldata.Type) error {
	h.inTypes = inTypes
	if err := checkCols("hash aggregate", h.groupCols, len(h.inTypes)); err != nil {
		return err
	}
	for _, c := range h.groupCols {
		h.outTypes = append(h.outTypes, h.inTypes[c])
	}
	for _, a := range h.aggs {
		in := coldata.TypeUnknown
		if a.Func != AggCountStar {
			if err := checkCols("hash aggregate", a.argCols(), len(h.inTypes)); err != nil {
				return err
			}
			in = a.argType(h.inTypes)
		}
		if _, err := newAccumulator(a, in); err != nil {
			return err
		}
		h.outTypes = append(h.outTypes, a.Out)
	}
	return nil
}

func (h *hashAgg) Types() []coldata.Type { return h.outTypes }

// Open prepares the workers; the first Next runs them. Starting there
// rather than here matters: a join above opens its probe side (this
// aggregate) before it builds, and the runtime filters of that build reach
// the scans below only if they have not started yet.
func (h *hashAgg) Open(context.Context) error {
	if h.err != nil {
		return h.err
	}
	if h.br != nil {
		return errors.New("hash aggregate: opened twice")
	}
	h.open()
	return nil
}

func (h *hashAgg) open() {
	h.parts = make([]*aggPartial, len(h.inputs))
	h.flush = h.canFlush()
	h.br = newBreaker("hash aggregate", "while aggregating", h.inputs, h, h.env, h.threads, h.observe)
	h.self = aggReader{h: h, take: h.br.threads}
}

// newLocal is worker w's partial table (Sink).
func (h *hashAgg) newLocal(w int, acc *MemoryAccount) (localSink, error) {
	p := newAggPartial(h)
	p.acc = acc
	h.parts[w] = p
	h.allParts = append(h.allParts, p)
	return p, nil
}

// finalize merges the partials (Combine), or starts merging the spilled
// partitions; the number of groups is known only in the first case.
func (h *hashAgg) finalize(ctx context.Context, br *breaker) (int64, error) {
	if h.spilled.Load() {
		return -1, h.startSpilledMerge()
	}
	if h.flushedAny.Load() {
		return -1, h.startFlushedMerge(ctx, br)
	}
	if err := h.combine(ctx, br); err != nil {
		return 0, err
	}
	if h.mergeSpilled {
		return -1, nil
	}
	h.prepareChunks()
	var n int64
	for _, f := range h.finals {
		n += int64(f.ngroups)
	}
	return n, nil
}

func (h *hashAgg) Next(ctx context.Context) (*coldata.Batch, error) {
	if h.err != nil {
		return nil, h.err
	}
	if h.br == nil || h.closed {
		return nil, errors.New("hash aggregate: Next without Open")
	}
	t0 := time.Now()
	b, err := h.self.next(ctx)
	if err != nil {
		if err != io.EOF {
			h.err = err
		}
		return nil, err
	}
	h.done(t0, b.N)
	return b, nil
}

func (h *hashAgg) Close() error {
	if h.closed {
		return nil
	}
	h.closed = true
	if h.br != nil {
		h.br.close()
	} else {
		// Never opened: the inputs were never opened either, but Close is
		// how callers release them.
		for _, in := range h.inputs {
			_ = in.Close()
		}
	}
	h.self.release()
	h.parts, h.finals = nil, nil
	return h.closeSpills()
}

// aggPartial is one worker's local state: a group table and one accumulator
// (or DISTINCT set) per aggregate.
type aggPartial struct {
	h       *hashAgg
	table   *groupTable // nil without group columns: everything is group 0
	ngroups int
	accs    []accumulator
	dist    []*groupTable // per aggregate, non-nil for DISTINCT sets

	need    []int   // input columns read: group columns, then distinct args
	argPos  []int   // per aggregate, index into need (-1 for COUNT(*))
	argsPos [][]int // per aggregate, its further arguments' indexes into need (argCols past the first)
	pairs   []*coldata.Vec
	dense   []*coldata.Vec
	scratch []*coldata.Vec
	gids    []int32
	dgids   []int32
	gidVec  *coldata.Vec
	tmp     []accumulator // loads state rows to merge (mergeStates)

	acc     *MemoryAccount
	batches int // sunk since the last spill

	// flushed holds, per level-0 partition, the groups the partial flushed
	// (hashagg_flush.go); stateVecs is the scratch batch they go through;
	// sunk counts rows since the last flush; flushLimit is the table size
	// that flushes (0: flushGroups).
	flushed    []*rowBuf
	stateVecs  []*coldata.Vec
	sunk       int
	flushLimit int
}

func newAggPartial(h *hashAgg) *aggPartial {
	p := &aggPartial{h: h}
	readTypes := h.inTypes
	if h.mergeIn {
		// State rows are read whole (stateTypes is set at construction).
		p.need, readTypes = allCols(len(h.stateTypes)), h.stateTypes
	} else {
		p.needArgs()
	}
	keyTypes := make([]coldata.Type, len(h.groupCols))
	for i, c := range h.groupCols {
		keyTypes[i] = h.inTypes[c]
	}
	if len(h.groupCols) > 0 {
		p.table = newGroupTable(keyTypes, true)
	} else {
		p.ngroups = 1
	}
	for _, a := range h.aggs {
		in := coldata.TypeUnknown
		if a.Func != AggCountStar {
			in = a.argType(h.inTypes)
		}
		acc, _ := newAccumulator(a, in) // validated by init
		acc.resize(p.ngroups)
		p.accs = append(p.accs, acc)
		var d *groupTable
		if a.distinctSet() {
			d = newGroupTable([]coldata.Type{coldata.TypeInt64, in}, false)
		}
		p.dist = append(p.dist, d)
	}
	p.dense = make([]*coldata.Vec, len(p.need))
	p.scratch = make([]*coldata.Vec, len(p.need))
	for i, c := range p.need {
		p.scratch[i] = coldata.NewVec(readTypes[c], 0)
	}
	p.gidVec = coldata.NewVec(coldata.TypeInt64, 0)
	return p
}

// needArgs lists the input columns the partial reads: the group columns,
// then the aggregates' distinct arguments (argPos maps each aggregate to
// its argument there).
func (p *aggPartial) needArgs() {
	h := p.h
	p.need = append(p.need, h.groupCols...)
	at := func(col int) int {
		for i, c := range p.need[len(h.groupCols):] {
			if c == col {
				return len(h.groupCols) + i
			}
		}
		p.need = append(p.need, col)
		return len(p.need) - 1
	}
	for _, a := range h.aggs {
		pos := -1
		var more []int
		if a.Func != AggCountStar {
			pos = at(a.Arg)
			for _, c := range a.argCols()[1:] {
				more = append(more, at(c))
			}
		}
		p.argPos = append(p.argPos, pos)
		p.argsPos = append(p.argsPos, more)
	}
}

// sink folds one batch into the partial, spilling it first or after when
// its account cannot grow.
func (p *aggPartial) sink(ctx context.Context, b *coldata.Batch) error {
	if p.h.flush && p.ngroups > 0 && p.ngroups+b.Len() > p.flushAt() {
		// Flush before the batch could push the table past its size (a
		// table of flushAt groups never grows to twice its slots).
		if err := p.accErr(); err != nil {
			return err
		}
		p.flush()
	}
	if err := p.reserve(b.Len()); err != nil {
		return err
	}
	p.sinkBatch(b)
	p.sunk += b.Len()
	return p.account()
}

// failer is an accumulator whose updates can fail (a HUGEINT sum's
// overflow); its states alone do not say so.
type failer interface{ failed() error }

// accErr is the first failure of p's accumulators.
func (p *aggPartial) accErr() error {
	for _, acc := range p.accs {
		if f, ok := acc.(failer); ok {
			if err := f.failed(); err != nil {
				return err
			}
		}
	}
	return nil
}

// combine leaves the partial in place: the merge is the aggregate's
// finalize, which partitions the partials' groups across goroutines.
func (p *aggPartial) combine(context.Context) error { return nil }

// sinkBatch folds b into the partial. Under a selection vector only the
// group columns are made dense; accumulators that read through a selection
// (sums, counts) take their arguments in place, the others get a dense
// copy (a filter that keeps most rows would otherwise copy every argument
// column of every batch: TPC-H Q1's five).
func (p *aggPartial) sinkBatch(b *coldata.Batch) {
	n := b.Len()
	if n == 0 {
		return
	}
	if p.h.mergeIn {
		denseCols(b, p.need, p.dense, p.scratch)
		p.mergeStates(p.dense, n)
		return
	}
	ng := len(p.h.groupCols)
	if b.Sel == nil {
		denseCols(b, p.need, p.dense, p.scratch)
	} else {
		denseCols(b, p.need[:ng], p.dense[:ng], p.scratch[:ng])
		clear(p.dense[ng:])
	}
	p.gids = growZero(p.gids, n)
	gids := p.gids[:n]
	if p.table != nil {
		p.table.insert(p.dense[:ng], n, nil, gids)
		p.setGroups(p.table.n)
	}
	for i, acc := range p.accs {
		var arg *coldata.Vec
		pos := p.argPos[i]
		d := p.dist[i]
		if pos >= 0 {
			if su, ok := acc.(selUpdater); ok && b.Sel != nil && d == nil {
				su.updateSel(gids, b.Vecs[p.need[pos]], b.Sel)
				continue
			}
			if p.dense[pos] == nil {
				denseCols(b, p.need[pos:pos+1], p.dense[pos:pos+1], p.scratch[pos:pos+1])
			}
			arg = p.dense[pos]
			if more := p.argsPos[i]; len(more) > 0 {
				arg = p.pack(b, i, arg, more)
			}
		}
		if d != nil {
			p.sinkDistinct(d, gids, arg, n)
			continue
		}
		acc.update(gids, arg, n)
	}
}

func (p *aggPartial) setGroups(n int) {
	if n == p.ngroups {
		return
	}
	p.ngroups = n
	for _, acc := range p.accs {
		acc.resize(n)
	}
}

func (p *aggPartial) sinkDistinct(d *groupTable, gids []int32, arg *coldata.Vec, n int) {
	p.gidVec.Resize(n)
	for k, g := range gids[:n] {
		p.gidVec.I64[k] = int64(g)
	}
	p.dgids = coldata.Grow(p.dgids, n)
	d.insert([]*coldata.Vec{p.gidVec, arg}, n, nil, p.dgids)
}

// growthBytes bounds what sinking extra more rows may allocate (see
// groupTable.growthBytes); accumulators grow in step with the key columns.
func (p *aggPartial) growthBytes(extra int) int64 {
	var b int64
	if p.table != nil {
		b = p.table.growthBytes(extra)
		if len(p.table.keys) > 0 && p.table.n+extra > vecCap(p.table.keys[0]) {
			for _, acc := range p.accs {
				b += acc.bytes()
			}
		}
	}
	for _, d := range p.dist {
		if d != nil {
			b += d.growthBytes(extra)
		}
	}
	return b
}

func (p *aggPartial) bytes() int64 {
	b := p.flushedBytes()
	if p.table != nil {
		b += p.table.bytes()
	}
	for i, acc := range p.accs {
		b += acc.bytes()
		if p.dist[i] != nil {
			b += p.dist[i].bytes()
		}
	}
	return b
}
