package exec

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// positionalJoin pairs row i of its left input with row i of its right
// input (DuckDB's POSITIONAL JOIN); once one side runs out, the other's
// remaining rows come with NULLs. Each side is a sequence of operators
// read one after the other (their rows in order), each output batch
// copying the next run of rows both sides have buffered.
type positionalJoin struct {
	opStats
	sides  [2]posSide
	types  []coldata.Type
	out    coldata.Batch
	vecs   []*coldata.Vec
	closed bool
}

// posSide is one input and where its current batch stands.
type posSide struct {
	ins  []Operator
	cur  int // input being read
	b    *coldata.Batch
	off  int // next live row of b
	done bool
	idx  []int32
	nt   int // its column count
}

// NewPositionalJoin joins left and right by position; each is read in
// the order of its operators.
func NewPositionalJoin(left, right []Operator) (Operator, error) {
	if len(left) == 0 || len(right) == 0 {
		return nil, errors.New("positional join: no input")
	}
	j := &positionalJoin{}
	j.sides[0] = posSide{ins: left, nt: len(left[0].Types())}
	j.sides[1] = posSide{ins: right, nt: len(right[0].Types())}
	j.types = append(append([]coldata.Type{}, left[0].Types()...), right[0].Types()...)
	j.vecs = newVecs(j.types)
	return j, nil
}

func (j *positionalJoin) Types() []coldata.Type { return j.types }

func (j *positionalJoin) Open(ctx context.Context) error {
	for s := range j.sides {
		for _, in := range j.sides[s].ins {
			if err := in.Open(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// fill makes sure side s has a live row, unless it is exhausted.
func (s *posSide) fill(ctx context.Context) error {
	for !s.done && (s.b == nil || s.off >= s.b.Len()) {
		if s.cur >= len(s.ins) {
			s.done = true
			return nil
		}
		b, err := s.ins[s.cur].Next(ctx)
		if err == io.EOF {
			s.cur++
			continue
		}
		if err != nil {
			return err
		}
		s.b, s.off = b, 0
	}
	return nil
}

func (j *positionalJoin) Next(ctx context.Context) (*coldata.Batch, error) {
	if j.closed {
		return nil, errors.New("positional join: Next after Close")
	}
	t0 := time.Now()
	l, r := &j.sides[0], &j.sides[1]
	if err := l.fill(ctx); err != nil {
		return nil, err
	}
	if err := r.fill(ctx); err != nil {
		return nil, err
	}
	if l.done && r.done {
		return nil, io.EOF
	}
	n := coldata.DefaultBatchSize
	for _, s := range []*posSide{l, r} {
		if !s.done {
			n = min(n, s.b.Len()-s.off)
		}
	}
	col := 0
	for _, s := range []*posSide{l, r} {
		s.take(n)
		for c := 0; c < s.nt; c++ {
			v := j.vecs[col]
			v.Resize(n)
			if s.done {
				fillNulls(v, n)
			} else {
				v.CopyFrom(s.b.Vecs[c], s.idx, n, 0)
			}
			col++
		}
		if !s.done {
			s.off += n
		}
	}
	j.out = coldata.Batch{Vecs: j.vecs, N: n}
	j.done(t0, n)
	return &j.out, nil
}

// take sets s.idx to the physical rows of the next n live rows.
func (s *posSide) take(n int) {
	if s.done {
		return
	}
	s.idx = coldata.Grow(s.idx, n)[:n]
	for k := range n {
		s.idx[k] = int32(selRow(s.b.Sel, s.off+k))
	}
}

func (j *positionalJoin) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	var first error
	for s := range j.sides {
		for _, in := range j.sides[s].ins {
			if err := in.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}
