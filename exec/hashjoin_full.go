package exec

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// FULL OUTER joins run as LEFT joins of the probe side (unmatched probe rows
// NULL-extended as they stream) that also mark every build row some pair
// kept, in a bitmap over the build table's rows (atomic OR, as the
// left-build joins do). The build keeps its rows with a NULL key (outside
// the hash table: they never match). What remains are the build rows no
// probe row matched, emitted with NULL probe columns:
//
//   - in memory, the table is shared by every probe worker, so the rest
//     waits until all of them have read their probe input (the JoinBuild's
//     barrier); then the workers take chunks of build rows from a shared
//     cursor;
//   - after a spill (the Grace join), one worker joins a whole partition,
//     so it emits that partition's unmatched build rows itself as soon as
//     the partition's probe rows are done, with a bitmap of its own.

// buildMarks is the match bitmap of one build table and the cursor its
// unmatched rows are emitted by.
type buildMarks struct {
	jt     *joinTable
	bits   []uint64
	cursor *atomic.Int64
	next   *buildMarks // rows emitted after these (a partitioned build's NULL keys)
}

func newBuildMarks(jt *joinTable) *buildMarks {
	return &buildMarks{jt: jt, bits: make([]uint64, (jt.nrows+63)/64), cursor: new(atomic.Int64)}
}

// unmatched is word w of the rows no probe row matched.
func (m *buildMarks) unmatched(w int) uint64 { return ^atomic.LoadUint64(&m.bits[w]) }

// set marks build rows (negative: a NULL-extended probe row, skipped).
func (m *buildMarks) set(rows []int32) {
	for _, r := range rows {
		if r >= 0 {
			setBit(m.bits, r)
		}
	}
}

// fullShared is the in-memory FULL join's state on its JoinBuild.
type fullShared struct {
	once  sync.Once
	marks *buildMarks
	// nulls are the rows with a NULL key of a partitioned build, which
	// no partition's table holds; a broadcast build keeps them in its
	// table's columns, outside the hash table.
	nulls *joinTable
}

// sharedMarks returns the bitmap all probe workers of an in-memory build
// share.
func (jb *JoinBuild) sharedMarks() *buildMarks {
	jb.full.once.Do(func() {
		jb.full.marks = newBuildMarks(jb.jt)
		if n := jb.full.nulls; n != nil {
			jb.full.marks.next = newBuildMarks(n)
		}
	})
	return jb.full.marks
}

// keepNullRows buffers the rows of b in w.nullSel.
func (w *partWorker) keepNullRows(b *coldata.Batch) {
	if len(w.nullSel) == 0 {
		return
	}
	if w.nulls == nil {
		w.nulls = newRowBuf(w.jb.types)
	}
	w.nulls.appendRows(b.Vecs, nil, w.nullSel, len(w.nullSel))
}

// takeNullRows gathers the workers' NULL-key rows into one table without
// keys, emitted after the hashed rows.
func (jb *JoinBuild) takeNullRows(ws []*partWorker) {
	var all *rowBuf
	for _, w := range ws {
		if w.nulls == nil {
			continue
		}
		if all == nil {
			all = newRowBuf(jb.types)
		}
		for _, ch := range w.nulls.chunks {
			all.appendRows(ch, nil, nil, ch[0].Len())
		}
		w.nulls = nil
	}
	if all != nil {
		n := all.Len()
		jb.full.nulls = &joinTable{cols: all.take(), nrows: n}
	}
}

// initFull points the pair expansion's build marks at the current table's
// bitmap.
func (j *hashJoin) initFull() {
	j.markBuild = func(rows []int32) { j.marks.set(rows) }
	j.nullProbe = make([]*coldata.Vec, len(j.probeOut))
	for i, c := range j.probeOut {
		j.nullProbe[i] = &coldata.Vec{Type: j.probe.Types()[c]}
	}
}

// probeEOF is reached when the probe input (in memory) is exhausted: a
// FULL join then waits for the other workers and emits its share of the
// unmatched build rows. It reports whether there is more to emit.
func (j *hashJoin) probeEOF(ctx context.Context) (bool, error) {
	if j.typ != JoinFull || j.restTaken || j.jb.grace != nil {
		return false, nil
	}
	j.restTaken = true
	j.grace.arrive(j.jb)
	select {
	case <-j.jb.allArrived:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	j.rest = j.marks
	return true, nil
}

// restBatch emits the next chunk of j.rest's unmatched build rows, NULL
// probe columns first; nil when none are left.
func (j *hashJoin) restBatch(ctx context.Context) (*coldata.Batch, error) {
	m := j.rest
	n := m.jt.nrows
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		from := int(m.cursor.Add(coldata.DefaultBatchSize)) - coldata.DefaultBatchSize
		if from >= n {
			j.rest = m.next
			return nil, nil
		}
		to := min(n, from+coldata.DefaultBatchSize)
		j.sel = appendBitRows(j.sel[:0], from, to, m.unmatched)
		if len(j.sel) == 0 {
			continue
		}
		j.out.Vecs = j.out.Vecs[:0]
		for _, v := range j.nullProbe {
			fillNulls(v, to-from)
			j.out.Vecs = append(j.out.Vecs, v)
		}
		if j.restViews == nil {
			j.restViews = make([]*coldata.Vec, len(j.buildOut))
		}
		for i, c := range j.buildOut {
			j.restViews[i] = sliceVec(j.restViews[i], m.jt.cols[c], from, to)
			j.out.Vecs = append(j.out.Vecs, j.restViews[i])
		}
		j.out.N, j.out.Sel = to-from, j.sel
		return &j.out, nil
	}
}

// fillNulls makes v n NULLs.
func fillNulls(v *coldata.Vec, n int) {
	if v.Len() == n && v.Nulls != nil {
		return
	}
	v.Resize(n)
	nulls := v.EnsureNulls()
	for k := range nulls {
		nulls[k] = true
	}
}
