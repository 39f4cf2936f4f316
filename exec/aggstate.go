package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// Partial and final aggregation for distributed plans: a partial
// aggregation is the ordinary hash aggregation (parallel, spilling) that
// emits each group's keys and accumulator states (the columns its spill
// files hold) instead of values; the final aggregation merges such rows
// with the accumulators' own merge and emits values. Merging states, not
// values, keeps results exact: DECIMAL sums stay 128-bit until the end and
// AVG is one division of the total sum by the total count.

// AggStateTypes lists the columns a partial aggregation of inTypes emits:
// the group keys, then every aggregate's state.
func AggStateTypes(inTypes []coldata.Type, groups []int, aggs []planner.PhysAgg) ([]coldata.Type, error) {
	specs, err := aggSpecs(aggs)
	if err != nil {
		return nil, err
	}
	types, _, err := stateLayout(inTypes, groups, specs)
	return types, err
}

func aggSpecs(aggs []planner.PhysAgg) ([]AggSpec, error) {
	out := make([]AggSpec, len(aggs))
	for i, a := range aggs {
		f, err := aggFunc(a.Func)
		if err != nil {
			return nil, err
		}
		out[i] = AggSpec{Func: f, Arg: a.Arg, Distinct: a.Distinct, Out: a.Typ}
	}
	return out, nil
}

// stateLayout returns the state row's types and where each aggregate's
// state columns start (cols[i]:cols[i+1]).
func stateLayout(inTypes []coldata.Type, groups []int, aggs []AggSpec) ([]coldata.Type, []int, error) {
	if err := checkCols("partial aggregate", groups, len(inTypes)); err != nil {
		return nil, nil, err
	}
	var types []coldata.Type
	for _, g := range groups {
		types = append(types, inTypes[g])
	}
	cols := make([]int, len(aggs)+1)
	for i, a := range aggs {
		if a.Distinct {
			return nil, nil, fmt.Errorf("partial aggregate: %s has no mergeable state", a)
		}
		in := coldata.TypeUnknown
		if a.Func != AggCountStar {
			if err := checkCols("partial aggregate", []int{a.Arg}, len(inTypes)); err != nil {
				return nil, nil, err
			}
			in = inTypes[a.Arg]
		}
		acc, err := newAccumulator(a, in)
		if err != nil {
			return nil, nil, err
		}
		cols[i] = len(types)
		types = append(types, acc.stateTypes(a.Out)...)
	}
	cols[len(aggs)] = len(types)
	return types, cols, nil
}

// NewPartialAgg aggregates like NewHashAgg but emits, per group, the group
// keys and the aggregates' states (AggStateTypes). No DISTINCT aggregates.
// Each aggregate keeps a state of its own (no SUM/AVG sharing): the state
// rows carry one state per aggregate, as the final aggregation merges them.
func NewPartialAgg(inputs []Operator, groupCols []int, aggs []AggSpec) Operator {
	h := NewHashAgg(inputs, groupCols, aggs).(*hashAgg)
	if h.err != nil {
		return h
	}
	h.aggs = aggs
	h.outs = make([]outAgg, len(aggs))
	for i, a := range aggs {
		h.outs[i] = outAgg{state: i, avg: a.Func == AggAvg}
	}
	types, cols, err := stateLayout(h.inTypes, groupCols, aggs)
	if err != nil {
		h.err = err
		return h
	}
	h.outTypes = types
	ng := len(groupCols)
	h.stateOut = func(r *aggReader, f *aggPartial, from, to int) (*coldata.Batch, error) {
		if r.out == nil {
			r.out = &coldata.Batch{Vecs: newVecs(types)}
		}
		out := r.out
		n := to - from
		for i := range ng {
			sliceVec(out.Vecs[i], f.table.keys[i], from, to)
		}
		r.rows = coldata.Grow(r.rows, n)
		for k := range r.rows[:n] {
			r.rows[k] = int32(from + k)
		}
		for i, acc := range f.accs {
			vecs := out.Vecs[cols[i]:cols[i+1]]
			for _, v := range vecs {
				v.Resize(n)
			}
			acc.store(vecs, r.rows[:n])
		}
		out.N, out.Sel = n, nil
		return out, nil
	}
	return h
}

// finalAgg merges partial states, one batch at a time, into one table and
// then emits the final values. It runs in one goroutine: a distributed
// plan's final aggregation is one task per hash partition, and the
// partitions are what run in parallel. It does not spill: past the memory
// limit it fails, naming the limit (more partitions make each smaller).
type finalAgg struct {
	opStats
	env     memEnv
	input   Operator
	groups  int
	aggs    []AggSpec
	inTypes []coldata.Type // the states' input types (accumulator kinds)
	cols    []int
	types   []coldata.Type // output
	err     error

	table   *groupTable
	ngroups int
	accs    []accumulator
	tmp     []accumulator
	acc     *MemoryAccount
	gids    []int32
	dense   []*coldata.Vec
	scratch []*coldata.Vec
	merged  bool
	emit    int
	out     *coldata.Batch
}

// NewFinalAgg merges the state rows input yields (as NewPartialAgg emits
// them for an input of inTypes) and emits group keys then values.
func NewFinalAgg(input Operator, inTypes []coldata.Type, groupCols []int, aggs []AggSpec) Operator {
	f := &finalAgg{input: input, groups: len(groupCols), aggs: aggs, inTypes: inTypes}
	var stateTypes []coldata.Type
	stateTypes, f.cols, f.err = stateLayout(inTypes, groupCols, aggs)
	if f.err != nil {
		return f
	}
	if got := input.Types(); len(got) != len(stateTypes) {
		f.err = fmt.Errorf("final aggregate: input has %d columns, the states %d", len(got), len(stateTypes))
		return f
	}
	f.types = append(f.types, stateTypes[:f.groups]...)
	for _, a := range aggs {
		f.types = append(f.types, a.Out)
	}
	return f
}

func (f *finalAgg) Types() []coldata.Type { return f.types }

func (f *finalAgg) Open(ctx context.Context) error {
	if f.err != nil {
		return f.err
	}
	f.acc = f.env.pool.NewAccount("while merging aggregate states")
	keyTypes := f.types[:f.groups]
	if f.groups > 0 {
		f.table = newGroupTable(keyTypes, true)
	} else {
		f.ngroups = 1
	}
	for _, a := range f.aggs {
		in := coldata.TypeUnknown
		if a.Func != AggCountStar {
			in = f.inTypes[a.Arg]
		}
		acc, _ := newAccumulator(a, in) // validated by stateLayout
		tmp, _ := newAccumulator(a, in)
		acc.resize(f.ngroups)
		f.accs, f.tmp = append(f.accs, acc), append(f.tmp, tmp)
	}
	f.dense = make([]*coldata.Vec, len(f.input.Types()))
	f.scratch = newVecs(f.input.Types())
	return f.input.Open(ctx)
}

// sink merges one batch of state rows.
func (f *finalAgg) sink(b *coldata.Batch) error {
	n := b.Len()
	if n == 0 {
		return nil
	}
	dense := f.dense
	denseCols(b, allCols(len(dense)), dense, f.scratch)
	f.gids = growZero(f.gids, n)
	gids := f.gids[:n]
	if f.table != nil {
		f.table.insert(dense[:f.groups], n, nil, gids)
		if f.table.n != f.ngroups {
			f.ngroups = f.table.n
			for _, acc := range f.accs {
				acc.resize(f.ngroups)
			}
		}
	} else {
		clear(gids)
	}
	for i, acc := range f.accs {
		f.tmp[i].load(dense[f.cols[i]:f.cols[i+1]], n)
		acc.merge(f.tmp[i], nil, gids)
	}
	var bytes int64
	if f.table != nil {
		bytes = f.table.bytes()
	}
	for _, acc := range f.accs {
		bytes += acc.bytes()
	}
	return f.acc.Resize(bytes)
}

func (f *finalAgg) Next(ctx context.Context) (*coldata.Batch, error) {
	if f.err != nil {
		return nil, f.err
	}
	t0 := time.Now()
	for !f.merged {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := f.input.Next(ctx)
		if errors.Is(err, io.EOF) {
			f.merged = true
			f.peak(f.acc.Peak())
			break
		}
		if err == nil {
			err = f.sink(b)
		}
		if err != nil {
			f.err = err
			return nil, err
		}
	}
	if f.emit >= f.ngroups {
		return nil, io.EOF
	}
	from := f.emit
	to := min(f.ngroups, from+coldata.DefaultBatchSize)
	f.emit = to
	if f.out == nil {
		f.out = &coldata.Batch{Vecs: make([]*coldata.Vec, len(f.types))}
		for i := range f.types {
			f.out.Vecs[i] = coldata.NewVec(f.types[i], 0)
		}
	}
	n := to - from
	for i := 0; i < f.groups; i++ {
		sliceVec(f.out.Vecs[i], f.table.keys[i], from, to)
	}
	for i, acc := range f.accs {
		v := f.out.Vecs[f.groups+i]
		v.Resize(n)
		if err := acc.finalize(v, from, to); err != nil {
			f.err = err
			return nil, err
		}
	}
	f.out.N, f.out.Sel = n, nil
	f.done(t0, n)
	return f.out, nil
}

func (f *finalAgg) Close() error {
	f.table, f.accs, f.tmp, f.out = nil, nil, nil, nil
	f.acc.Close()
	return f.input.Close()
}
