package planner

import "github.com/peregrinedb/peregrine/exec/coldata"

// PhysPartialAgg aggregates its input per task and emits, per group, the
// group keys and every aggregate's state (AggStateTypes): the same states a
// local aggregation's workers merge, so the merged result is exact
// (128-bit DECIMAL sums, AVG as sum and count).
type PhysPartialAgg struct {
	PhysBase
	Input  Physical
	Groups []int
	Aggs   []PhysAgg
}

// PhysFinalAgg merges the states of partial aggregations (its input has
// their layout) and emits the final values: Out is the aggregation's.
// InTypes are the types of the partial aggregation's input, which define
// the states.
type PhysFinalAgg struct {
	PhysBase
	Input   Physical
	InTypes []coldata.Type
	Groups  []int // of the partial aggregation's input
	Aggs    []PhysAgg
}

// Children returns the input.
func (p *PhysPartialAgg) Children() []Physical { return []Physical{p.Input} }

// Children returns the input, the exchanged partial states.
func (p *PhysFinalAgg) Children() []Physical { return []Physical{p.Input} }

// aggregate places a hash aggregation. Input already in one task, or
// partitioned on a subset of the group keys: aggregate in place. Otherwise
// partial states per task, a hash exchange on the group keys (a gather
// without groups), and the final merge. DISTINCT aggregates have no
// mergeable state: their input rows are exchanged instead, after dropping
// duplicates per task when every aggregate tolerates that.
func (d *distributor) aggregate(a *PhysHashAgg) (*stream, error) {
	s, err := d.visit(a.Input)
	if err != nil {
		return nil, err
	}
	local := func(s *stream) *stream {
		s.root = &PhysHashAgg{PhysBase: a.PhysBase, Input: s.root, Groups: a.Groups, Aggs: a.Aggs}
		s.mapKeys(func(k []int) []int { return groupKeys(k, a.Groups) })
		return s
	}
	if s.kind == FragSingle || s.kind == FragPartitions && (subsetOf(s.keys, a.Groups) || subsetOf(s.alt, a.Groups)) {
		return local(s), nil
	}
	parts := d.partitions(bytesOf(a))
	exchange := func(s *stream, keys []int) *stream {
		if len(a.Groups) == 0 {
			return d.gather(s)
		}
		root, in := d.shuffle(s, keys, parts)
		return &stream{root: root, kind: FragPartitions, parts: parts, keys: keys, inputs: in}
	}
	if hasDistinct(a) {
		if arg, ok := dedupArg(a); ok {
			return d.dedupAggregate(a, s, arg, exchange)
		}
		return local(exchange(s, a.Groups)), nil
	}
	inTypes := Types(a.Input)
	if AggStateTypes == nil {
		return nil, errUnsupported(a, "no aggregate states (the executor is not linked)")
	}
	st, err := AggStateTypes(inTypes, a.Groups, a.Aggs)
	if err != nil {
		return nil, err
	}
	partial := &PhysPartialAgg{PhysBase: PhysBase{EstRows: a.EstRows * float64(s.tasks())}, Input: s.root, Groups: a.Groups, Aggs: a.Aggs}
	in := a.Input.Base().Out
	for i, t := range st {
		if i < len(a.Groups) {
			partial.Out = append(partial.Out, in[a.Groups[i]])
			continue
		}
		partial.Out = append(partial.Out, ColMeta{ID: -1, Name: "state", Type: t})
	}
	partial.EstRows = min(partial.EstRows, s.root.Base().EstRows)
	s.root = partial
	keys := allCols(len(a.Groups))
	f := exchange(s, keys)
	f.root = &PhysFinalAgg{PhysBase: a.PhysBase, Input: f.root, InTypes: inTypes, Groups: a.Groups, Aggs: a.Aggs}
	f.mapKeys(func(k []int) []int { return groupKeys(k, keys) })
	return f, nil
}

// dedupAggregate runs an aggregation whose aggregates are all DISTINCT on
// one column arg (or MIN/MAX, which duplicates cannot change): each task
// first keeps one row per (groups, arg), the survivors are exchanged on the
// groups, and the aggregation runs over them.
func (d *distributor) dedupAggregate(a *PhysHashAgg, s *stream, arg int, exchange func(*stream, []int) *stream) (*stream, error) {
	in := a.Input.Base().Out
	dedup := &PhysHashAgg{Input: s.root, Groups: append(append([]int{}, a.Groups...), arg)}
	for _, g := range dedup.Groups {
		dedup.Out = append(dedup.Out, in[g])
	}
	dedup.EstRows = s.root.Base().EstRows
	s.root = dedup
	ng := len(a.Groups)
	f := exchange(s, allCols(ng))
	final := &PhysHashAgg{PhysBase: a.PhysBase, Input: f.root, Groups: allCols(ng)}
	for _, x := range a.Aggs {
		x.Arg = ng // the deduplicated argument
		final.Aggs = append(final.Aggs, x)
	}
	f.root = final
	f.mapKeys(func(k []int) []int { return groupKeys(k, allCols(ng)) })
	return f, nil
}

func hasDistinct(a *PhysHashAgg) bool {
	for _, x := range a.Aggs {
		if x.Distinct {
			return true
		}
	}
	return false
}

// dedupArg reports the one column every aggregate of a is DISTINCT on (or
// a MIN/MAX of): duplicates of (groups, arg) rows then change nothing.
func dedupArg(a *PhysHashAgg) (int, bool) {
	arg := -1
	for _, x := range a.Aggs {
		switch {
		case x.Arg < 0:
			return 0, false // COUNT(*) counts duplicates
		case len(x.Order) > 0 || x.Filtered:
			return 0, false // reads columns past the argument
		case !x.Distinct && x.Func != AggMin && x.Func != AggMax:
			return 0, false
		case arg >= 0 && x.Arg != arg:
			return 0, false
		}
		arg = x.Arg
	}
	return arg, arg >= 0
}

// groupKeys maps input partitioning keys to an aggregation's output: a key
// that is a group column is that group's output position.
func groupKeys(keys, groups []int) []int {
	return mapKeys(keys, len(groups), func(pos, k int) bool { return groups[pos] == k })
}

// subsetOf reports whether every key is one of the groups (so each group's
// rows share one partition).
func subsetOf(keys, groups []int) bool {
	return keys != nil && groupKeys(keys, groups) != nil
}

func allCols(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
