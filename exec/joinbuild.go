package exec

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// JoinBuild is the build side of a hash join: materialised once and then
// read, without locks, by any number of probe operators in different
// goroutines. The first probe that needs it runs the build (a breaker, see
// pipeline.go); the others wait for it, and a build error is returned to
// all of them.
//
// Every worker of the build pipeline drains its own input into worker-local
// row buffers (Sink); Finalize lays the rows out in exact-size columns and
// hashes them: into one table (broadcast, partBits 0: cheapest for small
// build sides) or, radix partitioned by the keys' hash bits, into one table
// per partition built on all threads (joinpart.go).
type JoinBuild struct {
	env     memEnv
	inputs  []Operator
	keys    []int
	types   []coldata.Type
	err     error // configuration error
	observe func(rows int64)
	memWhat string // completes "memory limit of X exceeded ..."

	partBits uint // 0: one table
	threads  int
	// keepNulls keeps rows with a NULL key in the columns (outside the
	// table): a left-build join emits them. Otherwise they are dropped,
	// noting that one existed (NOT IN needs to know).
	keepNulls bool
	// noSpill makes a refused reservation fail the build with the memory
	// error instead of spilling (a left-build join falls back instead).
	noSpill bool
	full    fullShared // a FULL join's match bits (hashjoin_full.go)

	br   *breaker
	mu   sync.Mutex
	refs int
	// Probe workers pass a barrier before joining spilled partitions:
	// each arrives once, when its probe rows are written or it closes.
	probers, arrived int
	allArrived       chan struct{}

	// Written by the build, read-only afterwards.
	ws      []*partWorker // the build workers' buffers, until finalized
	jt      *joinTable    // nil when the build side spilled
	nrows   int           // build rows, all partitions, NULL keys included
	hasNull bool          // some build row has a NULL key
	stats   OpStats

	acc      *MemoryAccount // the table, once the workers' buffers are laid out
	grace    *graceBuild    // non-nil when the build side spilled
	gmu      sync.Mutex     // serialises writes to grace's partitions
	spilling atomic.Bool

	// targets are the probe scans that take runtime filters from the
	// finished build (inner and semi joins only).
	targets []rtTarget
}

// joinTable is a materialised build side (or one spilled partition of it)
// hashed on its keys.
type joinTable struct {
	hasNull bool
	cols    []*coldata.Vec // every build column, all rows
	nrows   int
	table   *groupTable // distinct non-NULL keys → key id
	start   []int32     // rows of key id g: rowIdx[start[g]:start[g+1]]
	rowIdx  []int32
	unique  bool // each key id has exactly one row: probe rows match at most once
	// parts, when non-nil, replaces table: a partitioned build's tables,
	// whose ids are offset into the global id space of start (see
	// joinpart.go). cols, start and rowIdx are then global.
	parts *partTables
}

// tableBytes estimates what hashing nrows rows adds: slots, the row-key
// map and the CSR arrays.
func tableBytes(nrows int) int64 { return 52 * int64(nrows) }

// NewJoinBuild prepares to materialise the build side, the rows of all of
// inputs (the workers of the build pipeline), hashing it on the columns
// keys into one table.
func NewJoinBuild(inputs []Operator, keys []int) *JoinBuild {
	jb := &JoinBuild{inputs: inputs, keys: keys, threads: 1, allArrived: make(chan struct{}),
		memWhat: "while building the hash table of a join"}
	if len(inputs) == 0 {
		jb.err = errors.New("join build: no inputs")
		return jb
	}
	jb.types = inputs[0].Types()
	for _, in := range inputs[1:] {
		if len(in.Types()) != len(jb.types) && jb.err == nil {
			jb.err = errors.New("join build: inputs disagree on their columns")
		}
	}
	if jb.err == nil {
		jb.err = checkCols("join build", keys, len(jb.types))
	}
	if jb.err == nil && len(keys) == 0 {
		jb.err = fmt.Errorf("Internal Error: join build: no key columns")
	}
	return jb
}

// NewPartitionedJoinBuild is NewJoinBuild radix partitioned into 1<<bits
// partitions whose tables threads goroutines build.
func NewPartitionedJoinBuild(inputs []Operator, keys []int, bits uint, threads int) *JoinBuild {
	jb := NewJoinBuild(inputs, keys)
	jb.partBits = min(bits, maxPartBits)
	jb.threads = max(threads, 1)
	return jb
}

// Partitioned reports whether the build hashes its partitions in parallel.
func (jb *JoinBuild) Partitioned() bool { return jb.partBits > 0 }

// Types lists the build side's columns.
func (jb *JoinBuild) Types() []coldata.Type { return jb.types }

// OpStats reports the build: rows materialised, build time, memory held.
func (jb *JoinBuild) OpStats() OpStats { return jb.BuildStats() }

// Rows is the number of build rows; valid once a probe has started.
func (jb *JoinBuild) Rows() int { return jb.nrows }

func (jb *JoinBuild) breaker() *breaker {
	jb.mu.Lock()
	defer jb.mu.Unlock()
	if jb.br == nil {
		jb.br = newBreaker("join build", jb.memWhat, jb.inputs, jb, jb.env, jb.threads, jb.observe)
	}
	return jb.br
}

// ensure runs the build if nobody has yet and returns its outcome.
func (jb *JoinBuild) ensure(ctx context.Context) error {
	if jb.err != nil {
		return jb.err
	}
	return jb.breaker().run(ctx)
}

// newLocal is worker w's buffers (Sink).
func (jb *JoinBuild) newLocal(w int, acc *MemoryAccount) (localSink, error) {
	if jb.ws == nil {
		jb.ws = make([]*partWorker, len(jb.inputs))
	}
	kt := jb.keyTypes()
	np := 1 << jb.partBits
	pw := &partWorker{jb: jb, parts: make([]*rowBuf, np), sels: make([][]int32, np), acc: acc,
		keyDense: make([]*coldata.Vec, len(kt)), keyScratch: newVecs(kt),
		intKey: len(kt) == 1 && isIntKey(kt[0])}
	jb.ws[w] = pw
	return pw, nil
}

// finalize lays the buffered rows out and hashes them, or finishes the
// spilled partitions (Finalize).
func (jb *JoinBuild) finalize(ctx context.Context, br *breaker) (int64, error) {
	jb.acc = jb.env.pool.NewAccount(jb.memWhat)
	err := jb.buildTable(ctx)
	jb.stats.RowsOut = int64(jb.nrows)
	jb.stats.PeakBytes = br.localPeak() + jb.acc.Peak()
	return int64(jb.nrows), err
}

func (jb *JoinBuild) buildTable(ctx context.Context) error {
	ws := jb.ws
	for _, w := range ws {
		jb.nrows += w.seen
		jb.hasNull = jb.hasNull || w.hasNull
	}
	if jb.grace == nil {
		if err := jb.reserveTable(); err != nil {
			if !errors.Is(err, ErrMemoryLimit) || jb.noSpill {
				return err
			}
			jb.startPartGrace()
		}
	}
	if jb.grace != nil {
		for _, w := range ws {
			if err := jb.spillWorker(w); err != nil {
				return err
			}
		}
		jb.acc.Close()
		return jb.grace.finishBuild()
	}
	jb.takeNullRows(ws)
	jt, err := jb.buildPartitions(ctx, ws)
	if err != nil {
		return err
	}
	jb.ws = nil
	jt.hasNull = jt.hasNull || jb.hasNull
	jb.hasNull = jt.hasNull
	jb.jt = jt
	jb.pushRuntimeFilters()
	return nil
}

// reserveTable books what laying out and hashing the buffered rows holds:
// the buffers become the table's columns a column at a time (each worker's
// copy freed as soon as it is copied), so the buffers plus the columns in
// flight, and the table itself (the int path's region array is known
// exactly). The workers' accounts are released into it.
func (jb *JoinBuild) reserveTable() error {
	n, bufs := 0, 0
	var bufBytes int64
	for _, w := range jb.ws {
		n += w.n
		bufBytes += w.bufBytes()
		for _, p := range w.parts {
			if p != nil && p.Len() > 0 {
				bufs++
			}
		}
	}
	for _, w := range jb.ws {
		w.acc.Close()
	}
	if bufs > 1 {
		var widest int64
		for _, t := range jb.types {
			widest = max(widest, int64(n)*fixedWidth(t))
		}
		bufBytes += widest * int64(min(jb.threads, len(jb.types)))
	}
	need := bufBytes + tableBytes(n)
	if jb.Partitioned() {
		need += 4 * int64(n)
		if jb.ws[0].intKey {
			if size, ok := regionSize(partOffsets(jb.ws, 1<<jb.partBits), n); ok {
				need += 16*int64((1<<jb.partBits)*size) - 32*int64(n)
			}
		}
	}
	return jb.acc.Resize(need)
}

// partWorker is one build worker's state (Sink): its rows, by partition.
type partWorker struct {
	jb       *JoinBuild
	parts    []*rowBuf // per partition: its buffered rows
	n        int       // rows buffered
	seen     int       // rows read, NULL keys and spilled rows included
	hasNull  bool
	acc      *MemoryAccount
	intKey   bool
	finished bool
	// nulls, for a partitioned FULL join, holds the rows with a NULL key,
	// which belong to no partition (hashjoin_full.go).
	nulls   *rowBuf
	nullSel []int32

	sc                   tableScratch
	keyDense, keyScratch []*coldata.Vec
	q                    []uint8
	sels                 [][]int32 // per partition: its rows of the batch
}

// bufBytes is what w's buffers hold.
func (w *partWorker) bufBytes() int64 {
	var b int64
	for _, p := range w.parts {
		if p != nil {
			b += p.bytes()
		}
	}
	if w.nulls != nil {
		b += w.nulls.bytes()
	}
	return b
}

func (jb *JoinBuild) keyTypes() []coldata.Type {
	kt := make([]coldata.Type, len(jb.keys))
	for i, c := range jb.keys {
		kt[i] = jb.types[c]
	}
	return kt
}

// sink buffers one batch's rows in their partitions (rows with a NULL key
// are dropped unless kept), or writes them to the spilled partitions once
// the build spills.
func (w *partWorker) sink(_ context.Context, b *coldata.Batch) error {
	jb := w.jb
	n := b.Len()
	w.seen += n
	if jb.spilling.Load() {
		if err := jb.spillWorker(w); err != nil {
			return err
		}
		return jb.spillBatch(b)
	}
	if jb.partBits == 0 && jb.keepNulls {
		w.bufferRows(b, 0, b.Sel, n)
	} else {
		w.partition(b, n)
	}
	if err := w.acc.Resize(w.bufBytes()); err != nil {
		if !errors.Is(err, ErrMemoryLimit) || jb.noSpill {
			return err
		}
		jb.startPartGrace()
		return jb.spillWorker(w)
	}
	return nil
}

// partition splits b's live rows by partition into w's buffers.
func (w *partWorker) partition(b *coldata.Batch, n int) {
	jb := w.jb
	denseCols(b, jb.keys, w.keyDense, w.keyScratch)
	skip := (&groupTable{}).nullRows(w.keyDense, n, &w.sc)
	if jb.partBits == 0 {
		if skip == nil {
			w.bufferRows(b, 0, b.Sel, n)
			return
		}
		sel := w.sels[0][:0]
		for k := range n {
			if skip[k] {
				w.hasNull = true
				continue
			}
			sel = append(sel, int32(selRow(b.Sel, k)))
		}
		w.sels[0] = sel
		w.bufferRows(b, 0, sel, len(sel))
		return
	}
	w.q = coldata.Grow(w.q, n)
	q := w.q[:n]
	if w.intKey {
		v := w.keyDense[0]
		if v.Type.ID == coldata.Int32 || v.Type.ID == coldata.Date {
			intParts(v.I32[:n], jb.partBits, q)
		} else {
			intParts(v.I64[:n], jb.partBits, q)
		}
	} else {
		for k, h := range hashKeys(w.keyDense, n, &w.sc)[:n] {
			q[k] = uint8(hashPartOf(h, jb.partBits))
		}
	}
	for p := range w.sels {
		w.sels[p] = w.sels[p][:0]
	}
	w.nullSel = w.nullSel[:0]
	for k, p := range q {
		if skip != nil && skip[k] {
			w.hasNull = true
			if jb.keepNulls {
				w.nullSel = append(w.nullSel, int32(selRow(b.Sel, k)))
			}
			continue
		}
		w.sels[p] = append(w.sels[p], int32(selRow(b.Sel, k)))
	}
	w.keepNullRows(b)
	for p, sel := range w.sels {
		if len(sel) > 0 {
			w.bufferRows(b, p, sel, len(sel))
		}
	}
}

// bufferRows appends m rows of b (sel, or the first m when nil) to
// partition p's buffer.
func (w *partWorker) bufferRows(b *coldata.Batch, p int, sel []int32, m int) {
	if m == 0 {
		return
	}
	if w.parts[p] == nil {
		w.parts[p] = newRowBuf(w.jb.types)
	}
	w.parts[p].appendRows(b.Vecs, nil, sel, m)
	w.n += m
}

// combine: the buffers stay where they are until finalize lays them out.
func (w *partWorker) combine(context.Context) error {
	w.finished = true
	return nil
}

func (jb *JoinBuild) acquire() {
	jb.mu.Lock()
	jb.refs++
	jb.probers++
	jb.mu.Unlock()
}

func (jb *JoinBuild) arrive() {
	jb.mu.Lock()
	jb.arrived++
	if jb.arrived == jb.probers {
		close(jb.allArrived)
	}
	jb.mu.Unlock()
}

// release drops one probe's reference; the last one frees the build data
// (and closes the build inputs if no probe ever ran the build).
func (jb *JoinBuild) release() {
	jb.mu.Lock()
	jb.refs--
	last := jb.refs == 0
	jb.mu.Unlock()
	if !last {
		return
	}
	jb.free()
}

// free closes the build's inputs (when it never ran), accounts and spill
// files.
func (jb *JoinBuild) free() {
	if jb.br != nil {
		jb.br.close()
	} else {
		for _, in := range jb.inputs {
			_ = in.Close()
		}
	}
	jb.jt, jb.ws = nil, nil
	jb.acc.Close()
	if jb.grace != nil {
		_ = jb.grace.close()
	}
}

// pushRuntimeFilters hands the finished build's key range and membership
// filter to the probe scans in targets.
func (jb *JoinBuild) pushRuntimeFilters() {
	if len(jb.targets) == 0 || jb.jt == nil {
		return
	}
	if pt := jb.jt.parts; pt != nil {
		for _, t := range jb.targets {
			keys, n := pt.keys(t.key)
			if n == 0 {
				continue
			}
			t.src.AddRuntimeFilter(t.filter(keys, n))
		}
		return
	}
	if jb.jt.table == nil {
		return
	}
	tab := jb.jt.table
	if tab.n == 0 {
		return // the probe is not read at all
	}
	for _, t := range jb.targets {
		if t.key >= len(tab.keys) {
			continue
		}
		t.src.AddRuntimeFilter(t.filter(tab.keys[t.key], tab.n))
	}
}

// partOffsets returns R, partition q's rows being [R[q], R[q+1]) once the
// workers' buffers are laid out partition after partition.
func partOffsets(ws []*partWorker, np int) []int {
	R := make([]int, np+1)
	for _, w := range ws {
		for q, buf := range w.parts {
			if buf != nil {
				R[q+1] += buf.Len()
			}
		}
	}
	for q := 1; q <= np; q++ {
		R[q] += R[q-1]
	}
	return R
}

// buildJoinTable hashes nrows rows of cols on keys (rows with a NULL key
// stay in cols, outside the CSR arrays).
func buildJoinTable(ctx context.Context, cols []*coldata.Vec, nrows int, keys []int, types []coldata.Type) (*joinTable, error) {
	jt := &joinTable{cols: cols, nrows: nrows}
	keyTypes := make([]coldata.Type, len(keys))
	for i, c := range keys {
		keyTypes[i] = types[c]
	}
	// Hashing after the drain sizes the table once for every row (no
	// rehash per doubling) and reads the keys densely where they now live.
	jt.table = newGroupTableSized(keyTypes, false, nrows)
	rowKey := make([]int32, nrows)
	views := make([]*coldata.Vec, len(keys))
	for from := 0; from < nrows; from += coldata.DefaultBatchSize {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		to := min(nrows, from+coldata.DefaultBatchSize)
		for i, c := range keys {
			views[i] = sliceVec(views[i], cols[c], from, to)
		}
		jt.table.insert(views, to-from, nil, rowKey[from:to])
	}
	// Counting sort of rows by key id into CSR form, so a key's rows are
	// contiguous and a probe walks them without pointer chasing.
	nk := jt.table.n
	jt.start = make([]int32, nk+1)
	for _, g := range rowKey[:nrows] {
		if g < 0 {
			jt.hasNull = true
			continue
		}
		jt.start[g+1]++
	}
	for g := 1; g <= nk; g++ {
		jt.start[g] += jt.start[g-1]
	}
	jt.rowIdx = make([]int32, jt.start[nk])
	fill := make([]int32, nk)
	copy(fill, jt.start[:nk])
	for r, g := range rowKey[:nrows] {
		if g >= 0 {
			jt.rowIdx[fill[g]] = int32(r)
			fill[g]++
		}
	}
	jt.unique = int(jt.start[nk]) == nk
	return jt, nil
}
