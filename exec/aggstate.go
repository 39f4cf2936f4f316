package exec

import (
	"fmt"

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
		out[i] = AggSpec{Func: f, Arg: a.Arg, Distinct: a.Distinct, Out: a.Typ, Name: a.Name, Params: a.Params, Arg2: a.Arg2}
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
		if a.Distinct && !a.wrapped() { // orderedAcc keeps rows and deduplicates at the end
			return nil, nil, fmt.Errorf("partial aggregate: %s has no mergeable state", a)
		}
		in := coldata.TypeUnknown
		if a.Func != AggCountStar {
			if err := checkCols("partial aggregate", a.argCols(), len(inTypes)); err != nil {
				return nil, nil, err
			}
			in = a.argType(inTypes)
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
	h.ownStates(aggs)
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

// NewFinalAgg merges the state rows input yields (as NewPartialAgg emits
// them for an input of inTypes) and emits group keys then values. It is
// the hash aggregation with a sink that merges states instead of updating
// them, so it flushes, spills and merges its spilled partitions one at a
// time under the memory limit as the local aggregation does: state rows
// are already the spill format.
func NewFinalAgg(input Operator, inTypes []coldata.Type, groupCols []int, aggs []AggSpec) Operator {
	h := &hashAgg{inputs: []Operator{input}, groupCols: groupCols, aggs: aggs, mergeIn: true}
	h.err = h.initFinal(inTypes)
	return h
}

func (h *hashAgg) initFinal(inTypes []coldata.Type) error {
	stateTypes, cols, err := stateLayout(inTypes, h.groupCols, h.aggs)
	if err != nil {
		return err
	}
	if got := h.inputs[0].Types(); len(got) != len(stateTypes) {
		return fmt.Errorf("final aggregate: input has %d columns, the states %d", len(got), len(stateTypes))
	}
	if err := h.initTypes(inTypes); err != nil {
		return err
	}
	h.ownStates(h.aggs)
	h.stateOnce.Do(func() { h.stateTypes, h.stateCol = stateTypes, cols })
	return nil
}

// ownStates gives every aggregate a state of its own (no SUM/AVG
// sharing): state rows carry one state per aggregate.
func (h *hashAgg) ownStates(aggs []AggSpec) {
	h.aggs = aggs
	h.outs = make([]outAgg, len(aggs))
	for i, a := range aggs {
		h.outs[i] = outAgg{state: i, avg: a.Func == AggAvg}
	}
}
