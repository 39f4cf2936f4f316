package exec

import (
	"context"
	"io"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// LEFT joins that build on their left side (the preserved side, when it is
// much smaller than the right one: TPC-H Q13 keeps every customer and
// counts their orders). The left rows are hashed once, as for the
// semi/anti forms; every worker then runs an inner hash join of its right
// rows against them (the probe, pair expansion and residual of hashJoin,
// with the left rows as its build side), emits the pairs reordered to
// [left..., right...], and sets the match bit of every left row a pair
// kept. After the barrier the workers emit the unmatched left rows with
// NULL right columns.

// initOuter sets worker m up for a LEFT join.
func (m *leftBuildJoin) initOuter(newResidual func(swapped bool) (Selector, error)) error {
	sh := m.sh
	rt := m.right.Types()
	var res Selector
	if newResidual != nil {
		r, err := newResidual(true)
		if err != nil {
			return err
		}
		res = r
	}
	m.inner = NewHashJoin(sh.left, m.right, m.rightKeys, JoinInner, allCols(len(rt)), allCols(len(sh.types)), res).(*hashJoin)
	if m.inner.err != nil {
		return m.inner.err
	}
	m.inner.markBuild = sh.setMatchedRows
	m.nullRight = make([]*coldata.Vec, len(rt))
	for i, t := range rt {
		m.nullRight[i] = &coldata.Vec{Type: t}
	}
	return nil
}

// setMatchedRows sets the match bits of left rows.
func (sh *leftBuildShared) setMatchedRows(rows []int32) {
	for _, r := range rows {
		sh.setMatched(r)
	}
}

// nextOuter returns the next pairs, then (after the barrier) the next
// unmatched left rows.
func (m *leftBuildJoin) nextOuter(ctx context.Context) (*coldata.Batch, error) {
	if !m.probed {
		b, err := m.inner.Next(ctx)
		if err == nil {
			return m.reorder(b), nil
		}
		if err != io.EOF {
			return nil, err
		}
		m.probed = true
		if err := m.barrier(ctx); err != nil {
			return nil, err
		}
	}
	return m.emitKept(ctx)
}

// reorder turns a pair batch of the probe ([right..., left...]) into the
// join's layout.
func (m *leftBuildJoin) reorder(b *coldata.Batch) *coldata.Batch {
	nl, nr := len(m.sh.types), len(m.nullRight)
	if m.views == nil {
		m.views = make([]*coldata.Vec, nl+nr)
	}
	copy(m.views[:nl], b.Vecs[nr:nr+nl])
	copy(m.views[nl:], b.Vecs[:nr])
	m.out = coldata.Batch{Vecs: m.views, N: b.N, Sel: b.Sel}
	m.stats.RowsOut += int64(b.Len())
	return &m.out
}

// nullExtend sets the right columns of the output to n NULL rows.
func (m *leftBuildJoin) nullExtend(n int) {
	nl := len(m.sh.types)
	for i, v := range m.nullRight {
		fillNulls(v, n)
		m.views[nl+i] = v
	}
}
