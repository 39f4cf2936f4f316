package exec

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Grace hash join. When the build side outgrows its account, its rows are
// written to joinParts partitions by the top bits of the key hash (rows
// with a NULL key are dropped: they never match, and the NOT IN rule only
// needs to know one existed). Every probe worker then writes its rows to the
// same partitions; after all have (a barrier), workers take partitions from
// a shared queue and join each one in memory as an ordinary build and probe.
// A partition whose build rows still do not fit is split by the next hash
// bits. Facts that span partitions (the build row count, a NULL build key)
// stay on the JoinBuild, so NOT IN and the empty-build rules are global.

const (
	joinPartBits = 4
	joinParts    = 1 << joinPartBits
	maxJoinLevel = 8
)

func joinPartOf(h uint64, level int) int {
	return int(h >> (64 - joinPartBits*(level+1)) & (joinParts - 1))
}

type joinWork struct {
	build, probe *spillFile
	part, level  int
}

type graceBuild struct {
	jb      *JoinBuild
	build   *spillFile // level 0
	probeMu sync.Mutex
	probe   *spillFile // level 0, created by the first probe worker
	spilled atomic.Int64
	buf     []byte
	sc      tableScratch
	sels    [][]int32

	mu    sync.Mutex
	queue []joinWork
	files []*spillFile
}

// startGrace switches the build to partitioned mode after err (from the
// account) and writes the rows buffered so far.
func (jb *JoinBuild) startGrace(err error, cols []*coldata.Vec, batches int) error {
	if !errors.Is(err, ErrMemoryLimit) {
		return err
	}
	if lim := jb.env.pool.Limit(); batches <= 1 && lim > 0 && jb.acc.Used() > lim {
		return jb.acc.limitError(colsBytes(cols, 0))
	}
	g := &graceBuild{jb: jb, sels: make([][]int32, joinParts)}
	g.build = g.newFile(jb.types)
	jb.grace = g
	n := 0
	if len(cols) > 0 {
		n = cols[0].Len()
	}
	if err := g.writeBuildCols(cols, n); err != nil {
		return err
	}
	jb.acc.Close()
	return nil
}

// writeBuildCols writes the first n rows of buffered build columns to the
// spilled build partitions, a batch at a time.
func (g *graceBuild) writeBuildCols(cols []*coldata.Vec, n int) error {
	for from := 0; from < n; from += coldata.DefaultBatchSize {
		to := min(n, from+coldata.DefaultBatchSize)
		b := &coldata.Batch{Vecs: make([]*coldata.Vec, len(cols)), N: to - from}
		for i, c := range cols {
			b.Vecs[i] = sliceVec(nil, c, from, to)
		}
		if err := g.write(g.build, b, g.jb.keys, 0, false); err != nil {
			return err
		}
	}
	return nil
}

func (g *graceBuild) newFile(types []coldata.Type) *spillFile {
	f := newSpillFile(g.jb.env, types, joinParts, &g.spilled)
	g.mu.Lock()
	g.files = append(g.files, f)
	g.mu.Unlock()
	return f
}

// partitionBuild writes one more build batch to the partitions.
func (g *graceBuild) partitionBuild(b *coldata.Batch) error {
	g.jb.nrows += b.Len()
	return g.write(g.build, b, g.jb.keys, 0, false)
}

// write splits the live rows of b by the hash of its columns keys at level
// into f's partitions. Build rows with a NULL key are dropped (and noted)
// unless the build keeps them (FULL joins emit them); probe rows keep
// theirs, since LEFT and ANTI joins emit them.
func (g *graceBuild) write(f *spillFile, b *coldata.Batch, keys []int, level int, probe bool) error {
	n := b.Len()
	if n == 0 {
		return nil
	}
	dense := make([]*coldata.Vec, len(keys))
	denseCols(b, keys, dense, newVecs(keyTypesOf(b, keys)))
	var skip []bool
	if !probe && !g.jb.keepNulls {
		skip = (&groupTable{}).nullRows(dense, n, &g.sc)
		if skip != nil {
			for _, s := range skip[:n] {
				if s {
					g.jb.hasNull = true
					break
				}
			}
		}
	}
	hs := hashKeys(dense, n, &g.sc)
	for q := range g.sels {
		g.sels[q] = g.sels[q][:0]
	}
	for k, h := range hs[:n] {
		if skip != nil && skip[k] {
			continue
		}
		q := joinPartOf(h, level)
		g.sels[q] = append(g.sels[q], int32(selRow(b.Sel, k)))
	}
	var err error
	for q, sel := range g.sels {
		if g.buf, err = f.write(q, b.Vecs, sel, len(sel), g.buf); err != nil {
			return err
		}
	}
	return nil
}

func keyTypesOf(b *coldata.Batch, keys []int) []coldata.Type {
	ts := make([]coldata.Type, len(keys))
	for i, c := range keys {
		ts[i] = b.Vecs[c].Type
	}
	return ts
}

func (g *graceBuild) finishBuild() error { return nil }

// probeFile returns the level-0 probe partitions, created by the first
// worker that asks.
func (g *graceBuild) probeFile(types []coldata.Type) *spillFile {
	g.probeMu.Lock()
	defer g.probeMu.Unlock()
	if g.probe == nil {
		g.probe = g.newFile(types)
	}
	return g.probe
}

// queueLevel0 queues the level-0 partitions once every probe worker wrote
// its rows.
func (g *graceBuild) queueLevel0(types []coldata.Type) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.queue != nil {
		return
	}
	g.queue = []joinWork{}
	probe := g.probe
	if probe == nil {
		probe = newSpillFile(g.jb.env, types, joinParts, &g.spilled)
		g.files = append(g.files, probe)
	}
	for q := joinParts - 1; q >= 0; q-- {
		g.queue = append(g.queue, joinWork{build: g.build, probe: probe, part: q})
	}
}

func (g *graceBuild) take() (joinWork, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		return joinWork{}, false
	}
	w := g.queue[len(g.queue)-1]
	g.queue = g.queue[:len(g.queue)-1]
	return w, true
}

func (g *graceBuild) close() error {
	g.mu.Lock()
	files := g.files
	g.files = nil
	g.mu.Unlock()
	var first error
	for _, f := range files {
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// graceState is one probe worker's part in a grace join.
type graceState struct {
	arrived     bool
	partitioned bool
	rd          *spillReader
	acc         *MemoryAccount
	sc          tableScratch
	sels        [][]int32
	buf         []byte
}

func (s *graceState) arrive(jb *JoinBuild) {
	if !s.arrived {
		s.arrived = true
		jb.arrive()
	}
}

func (s *graceState) close(jb *JoinBuild) {
	s.arrive(jb)
	s.acc.Close()
}

// nextProbe returns the next probe batch: from the probe input, or in a
// grace join from the spilled partition being joined.
func (j *hashJoin) nextProbe(ctx context.Context) (*coldata.Batch, error) {
	g := j.jb.grace
	if g == nil {
		return j.probe.Next(ctx)
	}
	s := &j.grace
	if !s.partitioned {
		f := g.probeFile(j.probe.Types())
		for {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			b, err := j.probe.Next(ctx)
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			if err := j.partitionProbe(f, b, 0); err != nil {
				return nil, err
			}
		}
		s.partitioned = true
		if err := j.probe.Close(); err != nil {
			return nil, err
		}
		s.arrive(j.jb)
		select {
		case <-j.jb.allArrived:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		g.queueLevel0(j.probe.Types())
		s.acc = j.jb.env.pool.NewAccount("while building the hash table of a join")
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if s.rd != nil {
			b, err := s.rd.next()
			if err != io.EOF {
				return b, err
			}
			s.rd, j.jt = nil, nil
			s.acc.Close()
			if j.typ == JoinFull {
				// The partition's unmatched build rows come next.
				j.rest = j.marks
				return &coldata.Batch{}, nil
			}
		}
		w, ok := g.take()
		if !ok {
			return nil, io.EOF
		}
		jt, err := j.loadPartition(ctx, w)
		if err != nil {
			return nil, err
		}
		if jt != nil {
			j.jt = jt
			s.rd = w.probe.reader(w.part)
			if j.typ == JoinFull {
				j.marks = newBuildMarks(jt)
			}
		}
	}
}

func (j *hashJoin) partitionProbe(f *spillFile, b *coldata.Batch, level int) error {
	s := &j.grace
	if s.sels == nil {
		s.sels = make([][]int32, joinParts)
	}
	n := b.Len()
	if n == 0 {
		return nil
	}
	denseCols(b, j.probeKeys, j.keyDense, j.keyScratch)
	hs := hashKeys(j.keyDense, n, &s.sc)
	for q := range s.sels {
		s.sels[q] = s.sels[q][:0]
	}
	for k, h := range hs[:n] {
		q := joinPartOf(h, level)
		s.sels[q] = append(s.sels[q], int32(selRow(b.Sel, k)))
	}
	var err error
	for q, sel := range s.sels {
		if s.buf, err = f.write(q, b.Vecs, sel, len(sel), s.buf); err != nil {
			return err
		}
	}
	return nil
}

// loadPartition builds the hash table of one partition's build rows, or,
// when they do not fit, splits the partition one level deeper (nil table).
func (j *hashJoin) loadPartition(ctx context.Context, w joinWork) (*joinTable, error) {
	s := &j.grace
	cols := newVecs(j.jb.types)
	var strBytes int64
	n := 0
	r := w.build.reader(w.part)
	fits := true
	for fits {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		appendBatch(cols, b, nil)
		n += b.N
		strBytes += liveStrBytes(b)
		fits = s.acc.Resize(colsBytes(cols, strBytes)) == nil
	}
	extra := j.rowExtra * int64(n) // an ASOF join's index
	if fits {
		fits = s.acc.Resize(colsBytes(cols, strBytes)+tableBytes(n)+extra) == nil
	}
	if !fits {
		need := colsBytes(cols, strBytes) + tableBytes(n) + extra
		s.acc.Close()
		if w.level+1 >= maxJoinLevel {
			return nil, s.acc.limitError(need)
		}
		return nil, j.repartition(ctx, w)
	}
	j.peak(s.acc.Used())
	return buildJoinTable(ctx, cols, n, j.jb.keys, j.jb.types)
}

// repartition splits partition w of both sides by the next hash bits and
// queues the pieces.
func (j *hashJoin) repartition(ctx context.Context, w joinWork) error {
	g := j.jb.grace
	sub := joinWork{build: g.newFile(j.jb.types), probe: g.newFile(j.probe.Types()), level: w.level + 1}
	r := w.build.reader(w.part)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := j.writeBuildPart(sub.build, b, sub.level); err != nil {
			return err
		}
	}
	r = w.probe.reader(w.part)
	for {
		b, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := j.partitionProbe(sub.probe, b, sub.level); err != nil {
			return err
		}
	}
	g.mu.Lock()
	for q := joinParts - 1; q >= 0; q-- {
		w := sub
		w.part = q
		g.queue = append(g.queue, w)
	}
	g.mu.Unlock()
	return nil
}

// writeBuildPart splits spilled build rows (no NULL keys left) by level.
func (j *hashJoin) writeBuildPart(f *spillFile, b *coldata.Batch, level int) error {
	s := &j.grace
	keys := make([]*coldata.Vec, len(j.jb.keys))
	for i, c := range j.jb.keys {
		keys[i] = b.Vecs[c]
	}
	hs := hashKeys(keys, b.N, &s.sc)
	// A worker whose own probe side never spilled has no selection buffers
	// yet, but may still be the one re-splitting a spilled build partition.
	if s.sels == nil {
		s.sels = make([][]int32, joinParts)
	}
	for q := range s.sels {
		s.sels[q] = s.sels[q][:0]
	}
	for k, h := range hs[:b.N] {
		q := joinPartOf(h, level)
		s.sels[q] = append(s.sels[q], int32(k))
	}
	var err error
	for q, sel := range s.sels {
		if s.buf, err = f.write(q, b.Vecs, sel, len(sel), s.buf); err != nil {
			return err
		}
	}
	return nil
}

// OpStats adds the probe worker's largest partition table.
func (j *hashJoin) OpStats() OpStats {
	st := j.st
	if j.grace.acc != nil {
		st.PeakBytes = max(st.PeakBytes, j.grace.acc.Peak())
	}
	return st
}

// BuildStats reports the build side: rows, peak memory and bytes spilled
// (its partitions and the probe rows written to them).
func (jb *JoinBuild) BuildStats() OpStats {
	st := jb.stats
	if jb.grace != nil {
		st.SpilledBytes = jb.grace.spilled.Load()
	}
	return st
}
