package exec

import (
	"context"
	"io"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/exec/kernel"
)

// Series describes range/generate_series: the values Start, Start+Step,
// ... up to Stop (excluded, or included when Inclusive), BIGINT or
// TIMESTAMP. An integer series steps by Step; a timestamp series by the
// interval (Months, Days, Step microseconds), added to the previous value
// each time as DuckDB does (so month steps follow clamped days). Empty
// marks a series with a NULL argument.
type Series struct {
	Typ          coldata.Type
	Start, Stop  int64
	Step         int64
	Months, Days int64
	Inclusive    bool
	Empty        bool
}

// ascending reports the direction of the step (the interval's leading
// nonzero part).
func (s Series) ascending() bool {
	switch {
	case s.Months != 0:
		return s.Months > 0
	case s.Days != 0:
		return s.Days > 0
	}
	return s.Step > 0
}

// NewSeries produces s a batch at a time.
func NewSeries(s Series) Operator { return &series{s: s} }

type series struct {
	opStats
	s        Series
	cur      int64
	finished bool
	out      *coldata.Batch
}

func (o *series) Types() []coldata.Type { return []coldata.Type{o.s.Typ} }

func (o *series) Open(context.Context) error {
	o.cur, o.finished = o.s.Start, o.s.Empty
	return nil
}

// inRange reports whether v is still part of the series.
func (o *series) inRange(v int64) bool {
	if o.s.ascending() {
		return v < o.s.Stop || o.s.Inclusive && v == o.s.Stop
	}
	return v > o.s.Stop || o.s.Inclusive && v == o.s.Stop
}

func (o *series) Next(ctx context.Context) (*coldata.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if o.finished || !o.inRange(o.cur) {
		o.finished = true
		return nil, io.EOF
	}
	t0 := time.Now()
	if o.out == nil {
		o.out = coldata.NewBatch(o.Types(), coldata.DefaultBatchSize)
	}
	o.out.Reset(coldata.DefaultBatchSize)
	vals := o.out.Vecs[0].I64[:coldata.DefaultBatchSize]
	n := 0
	if o.s.Months == 0 {
		n = o.fixed(vals)
	} else {
		n = o.calendar(vals)
	}
	o.out.Reset(n)
	o.opStats.done(t0, n)
	return o.out, nil
}

// fixed fills vals with a constant step: the integer or the interval's
// days and microseconds.
func (o *series) fixed(vals []int64) int {
	step := o.s.Step
	if o.s.Days != 0 {
		var ok bool
		if step, ok = kernel.TimestampAddInterval(0, 0, o.s.Days, o.s.Step); !ok {
			o.finished = true
		}
	}
	cur, n := o.cur, 0
	for n < len(vals) && !o.finished && o.inRange(cur) {
		vals[n] = cur
		n++
		next := cur + step
		if (step > 0) != (next > cur) {
			o.finished = true // past the int64 range: nothing further is in range
		}
		cur = next
	}
	o.cur = cur
	return n
}

// calendar fills vals adding a month interval value by value.
func (o *series) calendar(vals []int64) int {
	cur, n := o.cur, 0
	for n < len(vals) && !o.finished && o.inRange(cur) {
		vals[n] = cur
		n++
		next, ok := kernel.TimestampAddInterval(cur, o.s.Months, o.s.Days, o.s.Step)
		if !ok {
			o.finished = true
		}
		cur = next
	}
	o.cur = cur
	return n
}

func (o *series) Close() error {
	o.out, o.finished = nil, true
	return nil
}
