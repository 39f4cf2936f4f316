package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Left-build joins: SEMI, ANTI and NOT IN joins that hash their LEFT input (the
// rows they filter) instead of the right one, for when the right side (the
// subquery) is much larger. The left rows are materialised once into a
// joinTable by a JoinBuild that keeps the rows with a NULL key (the same
// breaker and CSR layout as an ordinary join build); every worker of the right pipeline then probes it with
// its own right rows and sets a bit per matched left row in one shared
// bitmap (atomic OR, skipped when the bit is already set, so no lock and no
// allocation per row). With a residual the bit is set only by a (left,
// right) pair that passes it. When every worker has read its right input
// (a barrier), the workers emit the left rows whose bit is set (SEMI) or not
// (ANTI), taking chunks of left rows from a shared cursor; duplicate left
// rows are each emitted.
//
// NOT IN (JoinAntiNullAware) follows hashJoin exactly: an empty right side
// keeps every left row, NULL keys included; otherwise a left row with a NULL
// in any key column is dropped, and a right row with a NULL in any key
// column drops every row. A residual only decides which pairs match.
//
// The left side is accounted. exec.Build picks this form only when the
// estimated left side is small next to the memory limit; when the estimate
// was wrong and the left rows do not fit, they are dropped and the join
// runs in its ordinary form instead (fallback), which hashes the right side
// and can spill. The left side is then read a second time.

// leftBuildShared is the state all workers of one left-build join share.
type leftBuildShared struct {
	env   memEnv
	left  *JoinBuild // the left rows, hashed on the left keys
	types []coldata.Type
	typ   JoinType
	// LEFT joins (leftbuild_outer.go) emit the matching pairs as the right
	// side streams, then the unmatched left rows NULL-extended.
	outTypes []coldata.Type

	// fallback builds the ordinary form's workers (nil: none available,
	// fail instead). Once the left side turned out too large, fell is set
	// and fb[w] is what worker w runs: its share of the ordinary form's
	// workers, gathered when several, since all of them must run at once
	// (a spilling hash join waits for every probe worker at a barrier).
	// Each worker closes its own share; a worker closed before the fallback
	// existed has its share closed on the spot.
	fallback func() ([]Operator, error)
	fell     bool
	fb       []Operator // guarded by mu
	gone     []bool     // worker w has closed; guarded by mu

	once    sync.Once
	err     error
	jt      *joinTable
	nrows   int
	matched []uint64 // bit r: left row r matched; atomic during the probe
	nulls   []uint64 // NOT IN: bit r: left row r has a NULL key
	acc     *MemoryAccount
	stats   OpStats

	rightRows atomic.Bool // some right row was read
	rightNull atomic.Bool // some right row has a NULL key (NOT IN only)

	mu           sync.Mutex
	workersTotal int
	workers      int // workers not yet arrived at the barrier
	refs         int
	allDone      chan struct{}
	cursor       atomic.Int64 // next left row to emit
}

// NewLeftBuildJoin returns the workers of a left-build join: one per right
// input. The rows of left (the left pipeline's workers) are hashed on
// leftKeys; each right[i] is probed with rightKeys. The output is the left
// columns. residual, built by newResidual for each worker, is evaluated
// over [left..., right...]. threads goroutines lay out the left rows.
//
// A LEFT join (typ JoinLeft) outputs [left..., right...]; its workers probe
// pairs through an inner hash join whose residual newResidual(true)
// compiles over [right..., left...].
func NewLeftBuildJoin(left []Operator, leftKeys []int, right []Operator, rightKeys []int, typ JoinType, newResidual func(swapped bool) (Selector, error), residualCols map[int]bool, threads int) ([]Operator, error) {
	lb := NewJoinBuild(left, leftKeys)
	if lb.err != nil {
		return nil, fmt.Errorf("left-build join: %w", lb.err)
	}
	lb.keepNulls, lb.noSpill, lb.threads = true, true, max(threads, 1)
	lb.memWhat = "while building the hash table of a semi or anti join on its left side"
	sh := &leftBuildShared{left: lb, types: lb.types, typ: typ,
		workers: len(right), workersTotal: len(right), refs: len(right), allDone: make(chan struct{}),
		gone: make([]bool, len(right))}
	if len(leftKeys) != len(rightKeys) {
		return nil, fmt.Errorf("Internal Error: left-build join: %d left keys for %d right keys", len(leftKeys), len(rightKeys))
	}
	if typ != JoinSemi && typ != JoinAnti && typ != JoinAntiNullAware && typ != JoinLeft {
		return nil, fmt.Errorf("Internal Error: left-build join: unsupported join type %s", typ)
	}
	sh.outTypes = sh.types
	if typ == JoinLeft {
		// The left JoinBuild is also referenced by the workers' pair
		// probes; this reference keeps it until the join releases it.
		lb.acquire()
		sh.outTypes = append(append([]coldata.Type{}, sh.types...), right[0].Types()...)
	}
	if len(right) == 0 {
		return nil, errors.New("left-build join: no right input")
	}
	out := make([]Operator, len(right))
	for i, r := range right {
		rt := r.Types()
		if err := checkCols("left-build join right", rightKeys, len(rt)); err != nil {
			return nil, err
		}
		for k, c := range rightKeys {
			a, b := rt[c], sh.types[leftKeys[k]]
			if a.ID != b.ID && !(len(rightKeys) == 1 && isIntKey(a) && isIntKey(b)) {
				return nil, fmt.Errorf("Internal Error: left-build join: key %d compares %s with %s", k, b, a)
			}
		}
		m := &leftBuildJoin{sh: sh, right: r, rightKeys: rightKeys, nleft: len(sh.types), first: i == 0, idx: i}
		if typ == JoinLeft {
			if err := m.initOuter(newResidual); err != nil {
				return nil, err
			}
			out[i] = m
			continue
		}
		if newResidual != nil {
			res, err := newResidual(false)
			if err != nil {
				return nil, err
			}
			m.residual = res
			all := append(append([]coldata.Type{}, sh.types...), rt...)
			m.candVecs = newVecs(all)
			m.need = make([]bool, len(all))
			for c := range residualCols {
				if c >= 0 && c < len(all) {
					m.need[c] = true
				}
			}
		}
		m.keyDense = make([]*coldata.Vec, len(rightKeys))
		m.keyScratch = make([]*coldata.Vec, len(rightKeys))
		for k, c := range rightKeys {
			m.keyScratch[k] = coldata.NewVec(rt[c], 0)
		}
		m.sel = make([]int32, 0, coldata.DefaultBatchSize)
		out[i] = m
	}
	return out, nil
}

// ensure builds the left side once; every worker waits for it.
func (sh *leftBuildShared) ensure(ctx context.Context) error {
	sh.once.Do(func() { sh.err = sh.build(ctx) })
	return sh.err
}

// build hashes the left rows (the breaker of a JoinBuild, which also hands
// the runtime filters to the right scans) and sets up the match bits.
func (sh *leftBuildShared) build(ctx context.Context) error {
	sh.left.env = sh.env
	err := sh.left.ensure(ctx)
	sh.stats = sh.left.BuildStats()
	if err != nil {
		return sh.fallBack(err)
	}
	jt := sh.left.jt
	sh.nrows = jt.nrows
	words := (sh.nrows + 63) / 64
	sh.acc = sh.env.pool.NewAccount(sh.left.memWhat)
	if err := sh.acc.Grow(16 * int64(words)); err != nil {
		return sh.fallBack(err)
	}
	sh.jt = jt
	sh.matched = make([]uint64, words)
	if sh.typ == JoinAntiNullAware && jt.hasNull {
		// Rows missing from the CSR arrays are those with a NULL key.
		sh.nulls = make([]uint64, words)
		for i := range sh.nulls {
			sh.nulls[i] = ^uint64(0)
		}
		for _, r := range jt.rowIdx {
			sh.nulls[r>>6] &^= 1 << (r & 63)
		}
	}
	return nil
}

// fallBack answers a failed reservation of the left side: with a fallback
// available it frees the left rows and builds the ordinary form, which the
// workers then run; otherwise the error stands.
func (sh *leftBuildShared) fallBack(err error) error {
	var mle *MemoryLimitError
	if sh.fallback == nil || !errors.As(err, &mle) {
		return err
	}
	sh.left.free()
	sh.acc.Close()
	sh.jt, sh.nrows = nil, 0
	ops, ferr := sh.fallback()
	if ferr != nil {
		return ferr
	}
	w := sh.workersTotal
	shares := make([]Operator, w)
	for i := range w {
		var mine []Operator
		for j := i; j < len(ops); j += w {
			mine = append(mine, ops[j])
		}
		switch len(mine) {
		case 0:
		case 1:
			shares[i] = mine[0]
		default:
			shares[i] = NewGather(mine)
		}
	}
	var orphans []Operator
	sh.mu.Lock()
	sh.fb, sh.fell = shares, true
	for i, op := range shares {
		if sh.gone[i] && op != nil {
			orphans = append(orphans, op)
			sh.fb[i] = nil
		}
	}
	sh.mu.Unlock()
	for _, op := range orphans {
		_ = op.Close()
	}
	return nil
}

// takeShare removes and returns worker w's share of the fallback, noting
// the worker gone when it is closing.
func (sh *leftBuildShared) takeShare(w int, closing bool) Operator {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if closing {
		sh.gone[w] = true
	}
	if sh.fb == nil {
		return nil
	}
	op := sh.fb[w]
	sh.fb[w] = nil
	return op
}

// probeDone reports whether the right side can no longer change the result.
func (sh *leftBuildShared) probeDone() bool {
	return sh.nrows == 0 || sh.typ == JoinAntiNullAware && sh.rightNull.Load()
}

// arrive records that one worker has read all its right rows (or closed).
func (sh *leftBuildShared) arrive() {
	sh.mu.Lock()
	sh.workers--
	if sh.workers == 0 {
		close(sh.allDone)
	}
	sh.mu.Unlock()
}

// release drops one worker's reference; the last frees the left side.
func (sh *leftBuildShared) release() {
	sh.mu.Lock()
	sh.refs--
	last := sh.refs == 0
	sh.mu.Unlock()
	if !last {
		return
	}
	sh.once.Do(func() { sh.err = errors.New("left-build join: released before use") })
	if sh.typ == JoinLeft {
		sh.left.release() // the join's own reference (the probes hold theirs)
	}
	sh.left.free()
	sh.jt, sh.matched, sh.nulls = nil, nil, nil
	sh.acc.Close()
}

func (sh *leftBuildShared) isMatched(r int32) bool {
	return atomic.LoadUint64(&sh.matched[r>>6])&(1<<(r&63)) != 0
}

func (sh *leftBuildShared) setMatched(r int32) { setBit(sh.matched, r) }

// appendBitRows appends to sel the rows r-from of [from, to) whose bit is
// set in the words word(w) gives; from is a multiple of 64, so no word
// straddles two chunks.
func appendBitRows(sel []int32, from, to int, word func(w int) uint64) []int32 {
	for w := from >> 6; w<<6 < to; w++ {
		keep := word(w)
		for keep != 0 {
			r := w<<6 + bits.TrailingZeros64(keep)
			keep &= keep - 1
			if r >= to {
				break
			}
			sel = append(sel, int32(r-from))
		}
	}
	return sel
}

// setBit sets bit r of a bitmap that several goroutines set bits of: an
// atomic OR, skipped when the bit is already set (no write, no contention
// on the cache line).
func setBit(bits []uint64, r int32) {
	w, bit := &bits[r>>6], uint64(1)<<(r&63)
	if atomic.LoadUint64(w)&bit == 0 {
		atomic.OrUint64(w, bit)
	}
}

// keepWord returns the bits of word w of the rows the join emits.
func (sh *leftBuildShared) keepWord(w int) uint64 {
	m := sh.matched[w]
	switch sh.typ {
	case JoinSemi:
		return m
	case JoinAnti, JoinLeft:
		return ^m
	}
	// NOT IN (a NULL right key was handled by probeDone).
	if !sh.rightRows.Load() {
		return ^uint64(0)
	}
	if sh.nulls != nil {
		m |= sh.nulls[w]
	}
	return ^m
}

// leftBuildJoin is one worker: it probes with its right input, then emits a
// share of the left rows.
type leftBuildJoin struct {
	sh        *leftBuildShared
	right     Operator
	rightKeys []int
	residual  Selector
	need      []bool // candidate columns the residual reads
	nleft     int
	first     bool     // reports the left side's memory
	idx       int      // this worker's index: it runs fallback workers idx, idx+W, ...
	fbOp      Operator // its share of the fallback, once taken
	fbDone    bool

	stats   OpStats
	built   bool
	probed  bool
	arrived bool
	closed  bool
	err     error

	inner     *hashJoin      // LEFT: the pair probe (leftbuild_outer.go)
	nullRight []*coldata.Vec // LEFT: all-NULL right columns

	keyDense, keyScratch []*coldata.Vec
	gids                 []int32
	sc                   tableScratch
	pi, bi               []int32 // residual pairs: physical right row, left row
	candVecs             []*coldata.Vec
	cand                 coldata.Batch
	views                []*coldata.Vec
	out                  coldata.Batch
	sel                  []int32
}

func (m *leftBuildJoin) Types() []coldata.Type { return m.sh.outTypes }

func (m *leftBuildJoin) Open(ctx context.Context) error {
	if m.inner != nil {
		return m.inner.Open(ctx)
	}
	return m.right.Open(ctx)
}

// closeRight closes the right input (through the pair probe that reads it,
// for a LEFT join).
func (m *leftBuildJoin) closeRight() error {
	if m.inner != nil {
		return m.inner.Close()
	}
	return m.right.Close()
}

// OpStats reports the rows this worker emitted and its time; the first
// worker also carries the left side's build memory.
func (m *leftBuildJoin) OpStats() OpStats {
	st := m.stats
	if m.first {
		st.PeakBytes = m.sh.stats.PeakBytes
	}
	return st
}

func (m *leftBuildJoin) Next(ctx context.Context) (*coldata.Batch, error) {
	if m.err != nil {
		return nil, m.err
	}
	if m.closed {
		return nil, errors.New("left-build join: Next after Close")
	}
	b, err := m.next(ctx)
	if err != nil && err != io.EOF {
		m.err = err
	}
	return b, err
}

func (m *leftBuildJoin) next(ctx context.Context) (*coldata.Batch, error) {
	t0 := time.Now()
	defer func() { m.stats.Elapsed += time.Since(t0) }()
	sh := m.sh
	if !m.built {
		if err := sh.ensure(ctx); err != nil {
			return nil, err
		}
		m.built = true
	}
	if sh.fell {
		return m.nextFallback(ctx)
	}
	if m.inner != nil {
		return m.nextOuter(ctx)
	}
	for !m.probed {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if sh.probeDone() {
			break
		}
		b, err := m.right.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := m.probe(b); err != nil {
			return nil, err
		}
	}
	if !m.probed {
		m.probed = true
		if err := m.right.Close(); err != nil {
			return nil, err
		}
		if err := m.barrier(ctx); err != nil {
			return nil, err
		}
	}
	if sh.typ == JoinAntiNullAware && sh.rightNull.Load() {
		return nil, io.EOF
	}
	return m.emitKept(ctx)
}

// barrier waits until every worker has read its right input.
func (m *leftBuildJoin) barrier(ctx context.Context) error {
	m.arrive()
	select {
	case <-m.sh.allDone:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// emitKept emits the next chunk of left rows the join keeps, workers
// taking chunks from a shared cursor.
func (m *leftBuildJoin) emitKept(ctx context.Context) (*coldata.Batch, error) {
	sh := m.sh
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		from := int(sh.cursor.Add(coldata.DefaultBatchSize)) - coldata.DefaultBatchSize
		if from >= sh.nrows {
			return nil, io.EOF
		}
		to := min(sh.nrows, from+coldata.DefaultBatchSize)
		m.sel = appendBitRows(m.sel[:0], from, to, sh.keepWord)
		if len(m.sel) == 0 {
			continue
		}
		if m.views == nil {
			m.views = make([]*coldata.Vec, len(sh.outTypes))
		}
		for i, c := range sh.jt.cols {
			m.views[i] = sliceVec(m.views[i], c, from, to)
		}
		if m.inner != nil {
			m.nullExtend(to - from)
		}
		m.out = coldata.Batch{Vecs: m.views, N: to - from, Sel: m.sel}
		m.stats.RowsOut += int64(len(m.sel))
		return &m.out, nil
	}
}

// nextFallback returns the next batch of this worker's share of the
// ordinary form.
func (m *leftBuildJoin) nextFallback(ctx context.Context) (*coldata.Batch, error) {
	if !m.probed {
		m.probed = true
		if err := m.closeRight(); err != nil {
			return nil, err
		}
		m.arrive()
		m.fbOp = m.sh.takeShare(m.idx, false)
		if m.fbOp == nil {
			m.fbDone = true
		} else if err := m.fbOp.Open(ctx); err != nil {
			return nil, err
		}
	}
	if m.fbDone {
		return nil, io.EOF
	}
	b, err := m.fbOp.Next(ctx)
	if err == io.EOF {
		m.fbDone = true
	}
	if err != nil {
		return nil, err
	}
	m.stats.RowsOut += int64(b.Len())
	return b, nil
}

func (m *leftBuildJoin) arrive() {
	if !m.arrived {
		m.arrived = true
		m.sh.arrive()
	}
}

// probe sets the match bits of the left rows that b's rows match.
func (m *leftBuildJoin) probe(b *coldata.Batch) error {
	n := b.Len()
	if n == 0 {
		return nil
	}
	sh := m.sh
	if !sh.rightRows.Load() {
		sh.rightRows.Store(true)
	}
	denseCols(b, m.rightKeys, m.keyDense, m.keyScratch)
	if sh.typ == JoinAntiNullAware && m.hasNullKey(n) {
		sh.rightNull.Store(true)
		return nil
	}
	m.gids = coldata.Grow(m.gids, n)
	gids := m.gids[:n]
	sh.jt.table.find(m.keyDense, n, gids, &m.sc)
	start, rowIdx := sh.jt.start, sh.jt.rowIdx
	if m.residual == nil {
		for _, g := range gids {
			if g < 0 {
				continue
			}
			rows := rowIdx[start[g]:start[g+1]]
			// A key's rows are matched together: one set bit means all are.
			if sh.isMatched(rows[0]) {
				continue
			}
			for _, r := range rows {
				sh.setMatched(r)
			}
		}
		return nil
	}
	m.pi, m.bi = m.pi[:0], m.bi[:0]
	for k, g := range gids {
		if g < 0 {
			continue
		}
		p := int32(selRow(b.Sel, k))
		for _, r := range rowIdx[start[g]:start[g+1]] {
			if sh.isMatched(r) {
				continue
			}
			m.pi = append(m.pi, p)
			m.bi = append(m.bi, r)
			if len(m.pi) == coldata.DefaultBatchSize {
				if err := m.checkPairs(b); err != nil {
					return err
				}
				m.pi, m.bi = m.pi[:0], m.bi[:0]
			}
		}
	}
	if len(m.pi) > 0 {
		return m.checkPairs(b)
	}
	return nil
}

// checkPairs evaluates the residual on the pairs (pi, bi) and sets the
// match bits of the left rows of those that pass.
func (m *leftBuildJoin) checkPairs(b *coldata.Batch) error {
	np := len(m.pi)
	for i, v := range m.candVecs {
		v.Resize(np)
		if !m.need[i] {
			continue
		}
		if i < m.nleft {
			gatherInto(v, m.sh.jt.cols[i], nil, m.bi)
		} else if v.Type.ID != coldata.Unknown {
			v.CopyFrom(b.Vecs[i-m.nleft], m.pi, np, 0)
		}
	}
	m.cand = coldata.Batch{Vecs: m.candVecs, N: np}
	if err := m.residual.Select(&m.cand); err != nil {
		return err
	}
	if m.cand.Sel == nil {
		for _, r := range m.bi {
			m.sh.setMatched(r)
		}
		return nil
	}
	for _, x := range m.cand.Sel {
		m.sh.setMatched(m.bi[x])
	}
	return nil
}

func (m *leftBuildJoin) hasNullKey(n int) bool {
	for _, v := range m.keyDense {
		if v.Type.ID == coldata.Unknown {
			return true
		}
		if v.Nulls == nil {
			continue
		}
		for _, isNull := range v.Nulls[:n] {
			if isNull {
				return true
			}
		}
	}
	return false
}

func (m *leftBuildJoin) Close() error {
	if m.closed {
		return nil
	}
	m.closed = true
	var err error
	if !m.probed || m.inner != nil {
		err = m.closeRight()
	}
	if op := m.fbOp; op != nil {
		m.fbOp = nil
		if cerr := op.Close(); err == nil {
			err = cerr
		}
	}
	if op := m.sh.takeShare(m.idx, true); op != nil {
		_ = op.Close() // the fallback came after this worker last ran
	}
	m.arrive()
	m.views, m.candVecs, m.out, m.cand = nil, nil, coldata.Batch{}, coldata.Batch{}
	m.sh.release()
	return err
}
