package exec

import (
	"cmp"
	"context"
	"io"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// sortFanIn bounds how many runs one merge pass reads at once; more runs
// are merged in several passes, each writing a longer run.
const sortFanIn = 32

// runBlockRows is the rows per block of a run: a merge holds one block per
// run, so blocks smaller than a batch let tight limits merge more runs.
const runBlockRows = 512

// spillRun sorts the worker's buffered rows, writes them as one run and
// empties the buffer. Workers sort their runs in parallel; the writes are
// serialised.
func (l *sortLocal) spillRun() error {
	s := l.s
	n := l.buf.Len()
	cols := l.buf.take()
	perm := sortRows(cols, n, s.keys)
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.runs == nil {
		s.runs = newSpillFile(s.env, s.types, 0, &s.spilled)
	}
	id := len(s.runIDs)
	for from := 0; from < n; from += runBlockRows {
		to := min(n, from+runBlockRows)
		var err error
		l.encBuf, err = s.runs.write(id, cols, perm[from:to], to-from, l.encBuf)
		if err != nil {
			return err
		}
	}
	s.runIDs = append(s.runIDs, id)
	l.batches = 0
	l.acc.Close()
	return nil
}

// startMerge merges runs in passes of at most sortFanIn (fewer when the
// limit cannot hold that many readers) until one pass can produce the
// output.
func (s *sortOp) startMerge(ctx context.Context) error {
	next := len(s.runIDs)
	for {
		fan := s.fanIn()
		if fan < 2 && len(s.runIDs) > 1 {
			return s.acc.limitError(s.readerBytes(s.runIDs[:2]))
		}
		if len(s.runIDs) <= fan {
			s.merger = newRunMerger(s.runs, s.runIDs, s.keys, s.types)
			return s.merger.start()
		}
		m := newRunMerger(s.runs, s.runIDs[:fan], s.keys, s.types)
		if err := m.start(); err != nil {
			return err
		}
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			b, err := m.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			for from := 0; from < b.N; from += runBlockRows {
				to := min(b.N, from+runBlockRows)
				if s.encBuf, err = s.runs.write(next, b.Vecs, s.rowRange(from, to), to-from, s.encBuf); err != nil {
					return err
				}
			}
		}
		s.acc.Close()
		s.runIDs = append(s.runIDs[fan:], next)
		next++
	}
}

// rowRange returns the selection [from,to) from a reused buffer.
func (s *sortOp) rowRange(from, to int) []int32 {
	s.sel = s.sel[:0]
	for i := from; i < to; i++ {
		s.sel = append(s.sel, int32(i))
	}
	return s.sel
}

// OpStats adds the accounts' peaks and the bytes written to runs.
func (s *sortOp) OpStats() OpStats {
	st := s.st
	if s.br != nil {
		st.PeakBytes = max(st.PeakBytes, s.br.localPeak())
	}
	if s.acc != nil {
		st.PeakBytes = max(st.PeakBytes, s.acc.Peak())
	}
	st.SpilledBytes = s.spilled.Load()
	return st
}

// readerBytes is what merging runs holds: per run one raw block and its
// decoded batch, plus the output batch (about four blocks).
func (s *sortOp) readerBytes(runs []int) int64 {
	var b, m int64
	for _, r := range runs {
		blk := s.runs.maxBlock(r)
		b += 2 * blk
		m = max(m, blk)
	}
	return b + 4*m
}

// fanIn is how many of the next runs the account can afford to merge at
// once, reserving their readers' memory.
func (s *sortOp) fanIn() int {
	n := min(sortFanIn, len(s.runIDs))
	for ; n >= 2; n-- {
		if s.acc.Resize(s.readerBytes(s.runIDs[:n])) == nil {
			return n
		}
	}
	return n
}

// runMerger is a k-way merge of sorted runs through a binary heap of run
// cursors ordered by their current row.
type runMerger struct {
	keys []SortKey
	rd   []*spillReader
	bat  []*coldata.Batch
	pos  []int
	heap []int
	out  *coldata.Batch
}

func newRunMerger(f *spillFile, runs []int, keys []SortKey, types []coldata.Type) *runMerger {
	m := &runMerger{keys: keys, out: coldata.NewBatch(types, 0)}
	for _, r := range runs {
		m.rd = append(m.rd, f.reader(r))
	}
	m.bat = make([]*coldata.Batch, len(runs))
	m.pos = make([]int, len(runs))
	return m
}

func (m *runMerger) start() error {
	for i, r := range m.rd {
		b, err := r.next()
		if err == io.EOF {
			continue
		}
		if err != nil {
			return err
		}
		m.bat[i] = b
		m.heap = append(m.heap, i)
	}
	for i := len(m.heap)/2 - 1; i >= 0; i-- {
		m.down(i)
	}
	return nil
}

func (m *runMerger) less(a, b int) bool {
	c := cmpRowsAcross(m.keys, m.bat[a].Vecs, m.pos[a], m.bat[b].Vecs, m.pos[b])
	return c < 0 || c == 0 && a < b
}

func (m *runMerger) down(i int) {
	h := m.heap
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		c := l
		if r := l + 1; r < len(h) && m.less(h[r], h[l]) {
			c = r
		}
		if !m.less(h[c], h[i]) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// next emits up to a batch of the smallest remaining rows.
func (m *runMerger) next() (*coldata.Batch, error) {
	if len(m.heap) == 0 {
		return nil, io.EOF
	}
	out := m.out
	out.Reset(coldata.DefaultBatchSize)
	n := 0
	for n < coldata.DefaultBatchSize && len(m.heap) > 0 {
		top := m.heap[0]
		b, p := m.bat[top], m.pos[top]
		for c, v := range out.Vecs {
			copyRow(v, n, b.Vecs[c], p)
		}
		n++
		m.pos[top]++
		if m.pos[top] >= m.bat[top].N {
			nb, err := m.rd[top].next()
			switch {
			case err == io.EOF:
				last := len(m.heap) - 1
				m.heap[0] = m.heap[last]
				m.heap = m.heap[:last]
			case err != nil:
				return nil, err
			default:
				m.bat[top], m.pos[top] = nb, 0
			}
		}
		if len(m.heap) > 0 {
			m.down(0)
		}
	}
	out.N = n
	for _, v := range out.Vecs {
		shrinkVec(v, n)
	}
	return out, nil
}

// shrinkVec cuts v to n rows keeping its null mask (Resize would drop it).
func shrinkVec(v *coldata.Vec, n int) {
	if v.Type.ID == coldata.Unknown {
		v.Nulls = v.Nulls[:n]
		return
	}
	growVec(v, n)
}

// cmpRowsAcross compares row ai of av with row bi of bv by keys, with the
// order of keyComparator (NULLs last unless NullsFirst, in both directions).
func cmpRowsAcross(keys []SortKey, av []*coldata.Vec, ai int, bv []*coldata.Vec, bi int) int {
	for _, k := range keys {
		x, y := av[k.Col], bv[k.Col]
		xn, yn := x.IsNull(ai) || x.Type.ID == coldata.Unknown, y.IsNull(bi) || y.Type.ID == coldata.Unknown
		if xn || yn {
			if xn && yn {
				continue
			}
			r := 1
			if k.NullsFirst {
				r = -1
			}
			if xn {
				return r
			}
			return -r
		}
		var c int
		switch x.Type.ID {
		case coldata.Int32, coldata.Date:
			c = cmp.Compare(x.I32[ai], y.I32[bi])
		case coldata.Int64, coldata.Decimal, coldata.Timestamp:
			c = cmp.Compare(x.I64[ai], y.I64[bi])
		case coldata.Float64:
			c = cmpFloat(x.F64[ai], y.F64[bi])
		case coldata.String:
			c = strings.Compare(x.Str[ai], y.Str[bi])
		case coldata.Hugeint:
			c = x.I128[ai].Cmp(y.I128[bi])
		case coldata.Bool:
			c = cmp.Compare(b2i(x.B[ai]), b2i(y.B[bi]))
		}
		if c != 0 {
			if k.Desc {
				return -c
			}
			return c
		}
	}
	return 0
}

// b2i is 1 for true; the compiler turns it into a flag move, not a
// branch (selection loops rely on it: runtimefilter.go).
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}
