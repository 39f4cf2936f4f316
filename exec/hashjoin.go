package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// JoinType selects the rows a hash join produces.
type JoinType uint8

const (
	// JoinInner emits every matching (probe, build) pair.
	JoinInner JoinType = iota
	// JoinLeft also emits unmatched probe rows with NULL build columns.
	JoinLeft
	// JoinSemi emits each probe row that has at least one match (EXISTS, IN).
	JoinSemi
	// JoinAnti emits probe rows with no match, a NULL key included (NOT EXISTS).
	JoinAnti
	// JoinAntiNullAware is NOT IN: no rows at all if the build side has a NULL
	// key; a NULL probe key is dropped unless the build side is empty.
	JoinAntiNullAware
)

var joinNames = [...]string{"inner", "left", "semi", "anti", "anti-null-aware"}

// String is the join type's lower-case name, for test output and debugging.
func (t JoinType) String() string {
	if int(t) < len(joinNames) {
		return joinNames[t]
	}
	return fmt.Sprintf("join(%d)", t)
}

// NewHashJoin probes jb with the rows of probe, equating probeKeys with the
// build keys (NULL never matches). Output: the probeOut columns of the probe
// input, then the buildOut columns of the build side (Semi/Anti: probe
// columns only). residual, if non-nil, is evaluated on candidate pairs laid
// out as [all probe columns..., all build columns...]; a pair matches only if
// it keeps the row. With a residual, JoinAntiNullAware applies its NULL rules
// to keys only (the residual filters matches, as in JoinAnti).
//
// Output batches have at most coldata.DefaultBatchSize rows; a probe batch
// whose rows match many build rows yields several. When a probe row can match
// at most once (unique build keys) or the join emits probe rows only, the
// output reuses the probe vectors and selects rows with Sel instead of
// copying them.
func NewHashJoin(jb *JoinBuild, probe Operator, probeKeys []int, typ JoinType, probeOut, buildOut []int, residual Selector) Operator {
	j := &hashJoin{jb: jb, probe: probe, probeKeys: probeKeys, typ: typ,
		probeOut: probeOut, buildOut: buildOut, residual: residual}
	jb.acquire()
	j.err = j.init()
	return j
}

type hashJoin struct {
	opStats
	jb        *JoinBuild
	jt        *joinTable // jb's table, or the spilled partition being joined
	grace     graceState
	probe     Operator
	probeKeys []int
	typ       JoinType
	probeOut  []int
	buildOut  []int
	residual  Selector
	types     []coldata.Type
	nprobe    int
	err       error
	// markBuild, when set, is told the build rows of the pairs an inner
	// join emits (a left-build LEFT join marks its matched left rows).
	markBuild func(rows []int32)

	built  bool
	closed bool

	// Current probe batch and where its processing stands.
	in      *coldata.Batch
	n       int     // live rows of in
	gids    []int32 // per live row: build key id or -1
	pnull   []bool  // per live row: some probe key is NULL
	k       int     // next live row to expand into pairs
	off     int32   // next match of row k
	stage   int
	matched []bool // per live row, when a residual decides matches

	keyDense, keyScratch []*coldata.Vec
	pi, bi, pk           []int32 // pairs: physical probe row, build row (-1: NULL), live row
	sel                  []int32
	out                  coldata.Batch
	outVecs              []*coldata.Vec // owned output vectors, by output position
	cand                 coldata.Batch  // residual candidates
	candVecs             []*coldata.Vec // the candidate batch's columns
	candOwned            []*coldata.Vec // owned candidate columns
	keep                 []bool
	sc                   tableScratch
	ps                   partScratch
}

const (
	stageNext      = iota // fetch a probe batch
	stagePairs            // expand matches into pair batches
	stageUnmatched        // LEFT with residual: null-extend the unmatched rows
	stageFinish           // SEMI/ANTI with residual: emit the decided rows
)

func (j *hashJoin) init() error {
	if j.jb.err != nil {
		return j.jb.err
	}
	pt, bt := j.probe.Types(), j.jb.types
	j.nprobe = len(pt)
	if len(j.probeKeys) != len(j.jb.keys) {
		return fmt.Errorf("Internal Error: hash join: %d probe keys for %d build keys", len(j.probeKeys), len(j.jb.keys))
	}
	if err := checkCols("hash join probe", append(append([]int{}, j.probeKeys...), j.probeOut...), len(pt)); err != nil {
		return err
	}
	if err := checkCols("hash join build", j.buildOut, len(bt)); err != nil {
		return err
	}
	for i, c := range j.probeKeys {
		a, b := pt[c], bt[j.jb.keys[i]]
		ok := a.ID == b.ID || len(j.probeKeys) == 1 && isIntKey(a) && isIntKey(b)
		if !ok {
			return fmt.Errorf("Internal Error: hash join: key %d compares %s with %s", i, a, b)
		}
	}
	if j.typ > JoinAntiNullAware {
		return fmt.Errorf("Internal Error: hash join: unknown join type %d", j.typ)
	}
	for _, c := range j.probeOut {
		j.types = append(j.types, pt[c])
	}
	if j.emitsBuild() {
		for _, c := range j.buildOut {
			j.types = append(j.types, bt[c])
		}
	}
	j.keyDense = make([]*coldata.Vec, len(j.probeKeys))
	j.keyScratch = make([]*coldata.Vec, len(j.probeKeys))
	for i, c := range j.probeKeys {
		j.keyScratch[i] = coldata.NewVec(pt[c], 0)
	}
	// Non-nil even when empty: a nil Sel would mean "every row".
	j.sel = make([]int32, 0, coldata.DefaultBatchSize)
	j.pi = make([]int32, 0, coldata.DefaultBatchSize)
	j.outVecs = make([]*coldata.Vec, len(j.types))
	for i, t := range j.types {
		j.outVecs[i] = coldata.NewVec(t, 0)
	}
	if j.residual != nil {
		j.candOwned = append(newVecs(pt), newVecs(bt)...)
		j.candVecs = make([]*coldata.Vec, len(j.candOwned))
	}
	return nil
}

func (j *hashJoin) emitsBuild() bool { return j.typ == JoinInner || j.typ == JoinLeft }

func (j *hashJoin) Types() []coldata.Type { return j.types }

func (j *hashJoin) Open(ctx context.Context) error {
	if j.err != nil {
		return j.err
	}
	return j.probe.Open(ctx)
}

func (j *hashJoin) Next(ctx context.Context) (*coldata.Batch, error) {
	if j.err != nil {
		return nil, j.err
	}
	if j.closed {
		return nil, errors.New("hash join: Next after Close")
	}
	t0 := time.Now()
	if !j.built {
		if err := j.jb.ensure(ctx); err != nil {
			j.err = err
			return nil, err
		}
		j.built = true
		j.jt = j.jb.jt
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := j.step(ctx)
		if err != nil {
			if err != io.EOF {
				j.err = err
			}
			return nil, err
		}
		if b != nil && b.Len() > 0 {
			j.done(t0, b.Len())
			return b, nil
		}
	}
}

// step advances the state machine by one output batch (possibly empty).
func (j *hashJoin) step(ctx context.Context) (*coldata.Batch, error) {
	switch j.stage {
	case stageNext:
		if j.buildDecides() {
			j.grace.arrive(j.jb)
			return nil, io.EOF
		}
		b, err := j.nextProbe(ctx)
		if err != nil {
			return nil, err
		}
		return j.startBatch(b)
	case stagePairs:
		return j.pairBatch()
	case stageUnmatched:
		return j.unmatchedBatch()
	case stageFinish:
		j.stage = stageNext
		return j.selectRows(func(k int) bool { return j.keepAnti(k, j.matched[k]) }), nil
	}
	return nil, fmt.Errorf("Internal Error: hash join: bad stage %d", j.stage)
}

// buildDecides reports whether the build side alone settles that no more
// rows can come, so the probe input need not be read.
func (j *hashJoin) buildDecides() bool {
	switch j.typ {
	case JoinInner, JoinSemi:
		return j.jb.nrows == 0
	case JoinAntiNullAware:
		return j.jb.hasNull
	}
	return false
}

func (j *hashJoin) startBatch(b *coldata.Batch) (*coldata.Batch, error) {
	j.in, j.n = b, b.Len()
	if j.n == 0 {
		return nil, nil
	}
	denseCols(b, j.probeKeys, j.keyDense, j.keyScratch)
	j.gids = coldata.Grow(j.gids, j.n)
	gids := j.gids[:j.n]
	if j.jt.nrows == 0 {
		for k := range gids {
			gids[k] = -1
		}
	} else {
		j.jt.find(j.keyDense, j.n, gids, &j.sc, &j.ps)
	}
	j.pnull = j.pnull[:0]
	if j.typ == JoinAntiNullAware {
		j.markNullKeys()
	}
	j.k, j.off = 0, 0
	if j.residual != nil {
		j.matched = growZero(j.matched[:0], j.n)
	}
	switch {
	case (j.typ == JoinSemi || j.typ == JoinAnti || j.typ == JoinAntiNullAware) && j.residual == nil:
		return j.selectRows(func(k int) bool { return j.keepAnti(k, gids[k] >= 0) }), nil
	case j.emitsBuild() && j.jt.unique && (j.markBuild == nil || j.residual == nil):
		return j.uniqueBatch()
	}
	j.stage = stagePairs
	return j.pairBatch()
}

func (j *hashJoin) markNullKeys() {
	for _, v := range j.keyDense {
		if v.Nulls == nil && v.Type.ID != coldata.Unknown {
			continue
		}
		if len(j.pnull) == 0 {
			j.pnull = growZero(j.pnull, j.n)
		}
		for k := 0; k < j.n; k++ {
			if v.Type.ID == coldata.Unknown || v.Nulls[k] {
				j.pnull[k] = true
			}
		}
	}
}

// keepAnti decides a probe-only join's row given whether it matched.
func (j *hashJoin) keepAnti(k int, matched bool) bool {
	switch j.typ {
	case JoinSemi:
		return matched
	case JoinAnti:
		return !matched
	}
	// NOT IN; a NULL build key was ruled out by buildDecides.
	if len(j.pnull) > 0 && j.pnull[k] {
		return j.jb.nrows == 0
	}
	return !matched
}

func (j *hashJoin) phys(k int) int32 {
	if j.in.Sel != nil {
		return j.in.Sel[k]
	}
	return int32(k)
}

// selectRows emits the probe batch narrowed to the live rows k with keep(k),
// sharing the probe vectors.
func (j *hashJoin) selectRows(keep func(k int) bool) *coldata.Batch {
	j.stage = stageNext
	j.sel = j.sel[:0]
	for k := 0; k < j.n; k++ {
		if keep(k) {
			j.sel = append(j.sel, j.phys(k))
		}
	}
	j.setProbeVecs()
	j.out.Vecs, j.out.N, j.out.Sel = j.out.Vecs[:len(j.probeOut)], j.in.N, j.sel
	return &j.out
}

func (j *hashJoin) setProbeVecs() {
	if cap(j.out.Vecs) < len(j.types) {
		j.out.Vecs = make([]*coldata.Vec, len(j.types))
	}
	j.out.Vecs = j.out.Vecs[:len(j.types)]
	for i, c := range j.probeOut {
		j.out.Vecs[i] = j.in.Vecs[c]
	}
}

// uniqueBatch handles INNER and LEFT when every probe row matches at most
// one build row: probe columns pass through by Sel and the build columns are
// gathered at the probe rows' physical positions.
func (j *hashJoin) uniqueBatch() (*coldata.Batch, error) {
	j.stage = stageNext
	start, rowIdx := j.jt.start, j.jt.rowIdx
	j.pi, j.bi = j.pi[:0], j.bi[:0]
	left := j.typ == JoinLeft
	for k, g := range j.gids[:j.n] {
		switch {
		case g >= 0:
			j.pi = append(j.pi, j.phys(k))
			j.bi = append(j.bi, rowIdx[start[g]])
		case left:
			j.pi = append(j.pi, j.phys(k))
			j.bi = append(j.bi, -1)
		}
	}
	N := j.in.N
	if j.residual == nil {
		if j.markBuild != nil {
			j.markBuild(j.bi) // inner: every pair is a match
		}
		j.setProbeVecs()
		for i, c := range j.buildOut {
			v := j.outVecs[len(j.probeOut)+i]
			v.Resize(N)
			gatherInto(v, j.jt.cols[c], j.pi, j.bi)
			j.out.Vecs[len(j.probeOut)+i] = v
		}
		j.out.N, j.out.Sel = N, j.pi
		return &j.out, nil
	}
	// Candidates are the matched rows; the residual narrows them.
	for i := range j.candVecs {
		if i < j.nprobe {
			j.candVecs[i] = j.in.Vecs[i]
			continue
		}
		v := j.candOwned[i]
		v.Resize(N)
		gatherInto(v, j.jt.cols[i-j.nprobe], j.pi, j.bi)
		j.candVecs[i] = v
	}
	j.sel = j.sel[:0]
	for x, p := range j.pi {
		if j.bi[x] >= 0 {
			j.sel = append(j.sel, p)
		}
	}
	j.cand = coldata.Batch{Vecs: j.candVecs, N: N, Sel: j.sel}
	if len(j.sel) > 0 {
		if err := j.residual.Select(&j.cand); err != nil {
			return nil, err
		}
	}
	j.setProbeVecs()
	for i, c := range j.buildOut {
		j.out.Vecs[len(j.probeOut)+i] = j.candVecs[j.nprobe+c]
	}
	j.out.N = N
	if !left {
		j.out.Sel = j.cand.Sel
		return &j.out, nil
	}
	// LEFT: pairs the residual rejected become NULL-extended rows.
	keep := growZero(j.keep, N)
	for _, p := range j.cand.Sel {
		keep[p] = true
	}
	for _, p := range j.pi {
		if !keep[p] {
			for _, c := range j.buildOut {
				j.candVecs[j.nprobe+c].SetNull(int(p))
			}
		}
		keep[p] = false
	}
	j.keep = keep
	j.out.Sel = j.pi
	return &j.out, nil
}
