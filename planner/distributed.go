package planner

// Distributed plans (issue 16): the physical plan is cut into fragments at
// exchanges, and each fragment runs as many tasks on a distributed engine
// (Apache Beam's runners, in cmd/peregrine-beam), every task being the
// ordinary executor over the fragment's plan. A fragment's tasks are
//
//   - splits of one scan (FragSplits): each task reads a few row groups;
//   - hash partitions of its exchange inputs (FragPartitions): each task
//     gets the rows whose keys hash to its partition, from every input;
//   - one task (FragSingle): gathered inputs, e.g. a final sort.
//
// Inputs a fragment reads in full in every task (a broadcast join's build
// side, gathered results) arrive as broadcast exchanges: Beam side inputs.
// The cuts are chosen by cost (distcost.go): aggregations aggregate
// partially before a hash exchange on the group keys and finish after it;
// joins broadcast a small build side or shuffle both sides on the keys;
// ORDER BY … LIMIT keeps a top-N per task and merges once.
//
// Files: distributed.go (types, the cut), distagg.go (aggregations),
// distcost.go (splits, partition counts, the broadcast choice),
// distexplain.go (EXPLAIN (DISTRIBUTED) text and the plan fingerprint).

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// FragmentKind says what a fragment's tasks are.
type FragmentKind uint8

// The kinds of fragment, by what divides the work among its tasks.
const (
	FragSplits     FragmentKind = iota // one task per split of Fragment.Scan
	FragPartitions                     // one task per hash partition of the inputs
	FragSingle                         // one task
)

// String is the kind's name: splits, partitions or single.
func (k FragmentKind) String() string {
	return [...]string{"splits", "partitions", "single"}[k]
}

// ExchangeKind is how a fragment's output reaches its consumers.
type ExchangeKind uint8

const (
	// ExchangeResult: the output is the query's result (the root fragment).
	ExchangeResult ExchangeKind = iota
	// ExchangeHash sends each row to the partition its key columns hash to.
	ExchangeHash
	// ExchangeBroadcast sends every row to every task of the consumer.
	ExchangeBroadcast
	// ExchangeGather sends every row to the consumer's single task.
	ExchangeGather
)

// String is the kind's name as EXPLAIN (DISTRIBUTED) prints it: RESULT,
// HASH, BROADCAST or GATHER.
func (k ExchangeKind) String() string {
	return [...]string{"RESULT", "HASH", "BROADCAST", "GATHER"}[k]
}

// Exchange describes a fragment's output.
type Exchange struct {
	Kind       ExchangeKind
	Keys       []int // ExchangeHash: output columns hashed
	Partitions int   // ExchangeHash: number of partitions
}

// Split is one task's share of a scan: row-group ranges of the table's files.
type Split struct {
	Pieces []SplitPiece
	Rows   int64
}

// SplitPiece is row groups [From, To) of the table's file File.
type SplitPiece struct {
	File     int
	From, To int
}

// Fragment is a piece of the plan run as tasks. Its plan reads exchange
// leaves (PhysExchange) and, in FragSplits fragments, the split scan; every
// other scan in it is read whole by each task.
type Fragment struct {
	ID   int
	Root Physical
	Kind FragmentKind
	// FragSplits: the scan whose row groups the tasks divide.
	Scan   *PhysScan
	Splits []Split
	// FragPartitions: the number of partitions (of every hash input).
	Partitions int
	// Inputs are the exchange leaves in Root, in plan order.
	Inputs []*PhysExchange
	Output Exchange
	// Consumers are the fragments reading this one's output.
	Consumers []*Fragment
}

// Tasks is the number of tasks the fragment runs as.
func (f *Fragment) Tasks() int {
	switch f.Kind {
	case FragSplits:
		return len(f.Splits)
	case FragPartitions:
		return f.Partitions
	}
	return 1
}

// PhysExchange is a leaf that reads the output of fragment From: the rows
// hashed to the task's partition (hash), or all of them (broadcast, gather).
type PhysExchange struct {
	PhysBase
	From *Fragment
	Kind ExchangeKind
}

// Children is nil: the producing fragment (From) is a plan of its own, run
// as separate tasks.
func (p *PhysExchange) Children() []Physical { return nil }

// DistPlan is a physical plan cut into fragments, producers before
// consumers; the last fragment is the root, whose output is the result.
type DistPlan struct {
	Fragments []*Fragment
	Out       []ColMeta
}

// Root is the fragment producing the result.
func (d *DistPlan) Root() *Fragment { return d.Fragments[len(d.Fragments)-1] }

// DistOptions tune the cut (zero values take the defaults).
type DistOptions struct {
	// SplitRows is the number of rows a scan split aims for (default 1M).
	SplitRows int64
	// MinSplits: a scan of at least this many row groups is cut into at
	// least this many splits, so that a cluster has work for every worker
	// (default 8).
	MinSplits int
	// Workers is the parallelism the cost model assumes (default 8).
	Workers int
	// MaxPartitions bounds a hash exchange's partitions (default 64).
	MaxPartitions int
	// PartitionBytes is the data a hash partition aims for (default 64 MiB).
	PartitionBytes int64
	// BroadcastBytes is the largest build side that may be broadcast
	// (estimated; default 64 MiB, like Spark's autoBroadcastJoinThreshold
	// raised for columnar batches). 0 takes the default, < 0 never
	// broadcasts a join that can be shuffled.
	BroadcastBytes int64
}

func (o DistOptions) withDefaults() DistOptions {
	if o.SplitRows <= 0 {
		o.SplitRows = 1 << 20
	}
	if o.MinSplits <= 0 {
		o.MinSplits = 8
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.MaxPartitions <= 0 {
		o.MaxPartitions = 64
	}
	if o.PartitionBytes <= 0 {
		o.PartitionBytes = 64 << 20
	}
	if o.BroadcastBytes == 0 {
		o.BroadcastBytes = 64 << 20
	}
	return o
}

// AggStateTypes returns the columns a partial aggregation emits per group:
// the group keys, then each aggregate's state. The executor defines the
// states; the embedding package sets this (as it sets EvalConst).
var AggStateTypes func(inTypes []coldata.Type, groups []int, aggs []PhysAgg) ([]coldata.Type, error)

// Distribute cuts a physical plan into fragments.
func Distribute(p Physical, opts DistOptions) (*DistPlan, error) {
	d := &distributor{opts: opts.withDefaults(), ctes: map[*PhysShared]*Fragment{}}
	s, err := d.visit(p)
	if err != nil {
		return nil, err
	}
	d.close(s, Exchange{Kind: ExchangeResult})
	return &DistPlan{Fragments: d.frags, Out: p.Base().Out}, nil
}

type distributor struct {
	opts  DistOptions
	frags []*Fragment
	ctes  map[*PhysShared]*Fragment
}

// stream is the open fragment a subtree's output flows in: its plan so far
// and how its tasks are defined.
type stream struct {
	root   Physical
	kind   FragmentKind
	scan   *PhysScan
	splits []Split
	parts  int
	// keys: FragPartitions streams whose rows are partitioned by the hash of
	// these output columns (nil: partitioned, but by nothing known here).
	keys []int
	// alt: other columns the rows are partitioned by as well (after an
	// inner join on keys, the build side's equal key columns).
	alt    []int
	inputs []*PhysExchange
}

// partitionedOn reports whether s's rows are hash-partitioned on keys.
func (s *stream) partitionedOn(keys []int) bool {
	return s.kind == FragPartitions && (sameInts(s.keys, keys) || sameInts(s.alt, keys))
}

// mapKeys carries the partitioning keys through a node.
func (s *stream) mapKeys(f func([]int) []int) {
	s.keys, s.alt = f(s.keys), f(s.alt)
	if s.keys == nil {
		s.keys, s.alt = s.alt, nil
	}
}

func (s *stream) tasks() int {
	switch s.kind {
	case FragSplits:
		return len(s.splits)
	case FragPartitions:
		return s.parts
	}
	return 1
}

// close ends s's fragment with output ex and returns the leaf that reads it.
func (d *distributor) close(s *stream, ex Exchange) *PhysExchange {
	f := &Fragment{ID: len(d.frags) + 1, Root: s.root, Kind: s.kind, Scan: s.scan, Splits: s.splits,
		Partitions: s.parts, Inputs: s.inputs, Output: ex}
	for _, in := range s.inputs {
		in.From.Consumers = append(in.From.Consumers, f)
	}
	d.frags = append(d.frags, f)
	return &PhysExchange{PhysBase: PhysBase{Out: s.root.Base().Out, EstRows: s.root.Base().EstRows}, From: f, Kind: ex.Kind}
}

// gather closes s (unless it is one task already) into a single-task stream.
func (d *distributor) gather(s *stream) *stream {
	if s.kind == FragSingle {
		return s
	}
	x := d.close(s, Exchange{Kind: ExchangeGather})
	return &stream{root: x, kind: FragSingle, inputs: []*PhysExchange{x}}
}

// shuffle closes s into a hash exchange on keys with parts partitions and
// returns the exchange leaf, or s's plan unchanged when s is already
// partitioned that way.
func (d *distributor) shuffle(s *stream, keys []int, parts int) (Physical, []*PhysExchange) {
	if s.parts == parts && s.partitionedOn(keys) {
		return s.root, s.inputs
	}
	x := d.close(s, Exchange{Kind: ExchangeHash, Keys: keys, Partitions: parts})
	return x, []*PhysExchange{x}
}

func (d *distributor) visit(p Physical) (*stream, error) {
	switch p := p.(type) {
	case *PhysScan:
		return &stream{root: p, kind: FragSplits, scan: p, splits: d.splitScan(p)}, nil
	case *PhysValues:
		return &stream{root: p, kind: FragSingle}, nil
	case *PhysCTEScan:
		return d.cteRef(p)
	case *PhysFilter:
		s, err := d.visit(p.Input)
		if err != nil {
			return nil, err
		}
		s.root = &PhysFilter{PhysBase: p.PhysBase, Input: s.root, Pred: p.Pred}
		return s, nil
	case *PhysProject:
		s, err := d.visit(p.Input)
		if err != nil {
			return nil, err
		}
		s.root = &PhysProject{PhysBase: p.PhysBase, Input: s.root, Exprs: p.Exprs}
		s.mapKeys(func(k []int) []int { return projectKeys(k, p.Exprs) })
		return s, nil
	case *PhysHashJoin:
		return d.join(p)
	case *PhysLeftBuildJoin:
		// Across tasks the ordinary form is the one that is correct piecewise:
		// it keeps the left rows in place and hashes the right side.
		return d.join(p.Join)
	case *PhysHashAgg:
		return d.aggregate(p)
	case *PhysSort:
		s, err := d.visit(p.Input)
		if err != nil {
			return nil, err
		}
		s = d.gather(s)
		s.root = &PhysSort{PhysBase: p.PhysBase, Input: s.root, Keys: p.Keys}
		return s, nil
	case *PhysTopN:
		s, err := d.visit(p.Input)
		if err != nil {
			return nil, err
		}
		if s.kind != FragSingle {
			// Each task keeps its first Offset+Count rows; the merge keeps
			// the first of those and skips Offset.
			s.root = &PhysTopN{PhysBase: p.PhysBase, Input: s.root, Keys: p.Keys, Count: p.Offset + p.Count}
			s = d.gather(s)
		}
		s.root = &PhysTopN{PhysBase: p.PhysBase, Input: s.root, Keys: p.Keys, Offset: p.Offset, Count: p.Count}
		return s, nil
	case *PhysLimit:
		s, err := d.visit(p.Input)
		if err != nil {
			return nil, err
		}
		if s.kind != FragSingle && p.Count >= 0 {
			s.root = &PhysLimit{PhysBase: p.PhysBase, Input: s.root, Count: p.Offset + p.Count}
		}
		s = d.gather(s)
		s.root = &PhysLimit{PhysBase: p.PhysBase, Input: s.root, Offset: p.Offset, Count: p.Count}
		return s, nil
	}
	// A node this cut does not know (a newer operator) runs whole, with
	// everything below it, in one task: always correct, never distributed.
	return &stream{root: p, kind: FragSingle}, nil
}

// cteRef reads a shared CTE: its body is one fragment, computed once and
// gathered to every reference, which reads the CTE's columns of it.
func (d *distributor) cteRef(p *PhysCTEScan) (*stream, error) {
	f := d.ctes[p.Shared]
	if f == nil {
		body, err := d.visit(p.Shared.Plan)
		if err != nil {
			return nil, err
		}
		d.close(body, Exchange{Kind: ExchangeGather})
		f = d.frags[len(d.frags)-1]
		d.ctes[p.Shared] = f
	}
	bodyOut := p.Shared.Plan.Base().Out
	x := &PhysExchange{PhysBase: PhysBase{Out: bodyOut, EstRows: p.EstRows}, From: f, Kind: ExchangeGather}
	proj := &PhysProject{PhysBase: p.PhysBase, Input: x}
	for _, k := range p.ColIdx {
		proj.Exprs = append(proj.Exprs, &expr.Column{Index: k, Typ: bodyOut[k].Type, Name: bodyOut[k].Name})
	}
	return &stream{root: proj, kind: FragSingle, inputs: []*PhysExchange{x}}, nil
}

// join places a hash join: in place when both sides are already in one
// task or partitioned alike on the keys, with the build side broadcast when
// that is cheaper than moving both sides, else with both sides shuffled.
func (d *distributor) join(j *PhysHashJoin) (*stream, error) {
	probe, err := d.visit(j.Probe)
	if err != nil {
		return nil, err
	}
	build, err := d.visit(j.Build)
	if err != nil {
		return nil, err
	}
	out := func(s *stream, probeRoot, buildRoot Physical) *stream {
		s.root = &PhysHashJoin{PhysBase: j.PhysBase, Probe: probeRoot, Build: buildRoot, ProbeKeys: j.ProbeKeys,
			BuildKeys: j.BuildKeys, Type: j.Type, Residual: j.Residual, Cross: j.Cross, Mode: j.Mode}
		return s
	}
	switch {
	case probe.kind == FragSingle && build.kind == FragSingle:
		probe.inputs = append(probe.inputs, build.inputs...)
		return out(probe, probe.root, build.root), nil
	case probe.kind == FragPartitions && build.kind == FragPartitions && probe.parts == build.parts &&
		probe.partitionedOn(j.ProbeKeys) && build.partitionedOn(j.BuildKeys) && !j.Cross && j.Type != JoinAntiNull:
		probe.inputs = append(probe.inputs, build.inputs...)
		return out(probe, probe.root, build.root), nil
	case d.broadcastBuild(j, probe, build):
		x := d.close(build, Exchange{Kind: ExchangeBroadcast})
		probe.inputs = append(probe.inputs, x)
		return out(probe, probe.root, x), nil
	}
	parts := d.partitions(max(bytesOf(j.Probe), bytesOf(j.Build)))
	if probe.partitionedOn(j.ProbeKeys) {
		parts = probe.parts // the probe side is in place already
	}
	pr, pin := d.shuffle(probe, j.ProbeKeys, parts)
	br, bin := d.shuffle(build, j.BuildKeys, parts)
	s := &stream{kind: FragPartitions, parts: parts, keys: j.ProbeKeys, inputs: append(pin, bin...)}
	if j.Type == JoinInner {
		// Equal keys hash alike: the rows are partitioned on either side's.
		for _, k := range j.BuildKeys {
			s.alt = append(s.alt, len(j.Probe.Base().Out)+k)
		}
	}
	return out(s, pr, br), nil
}

// projectKeys maps partitioning keys through a projection: a key survives
// when some output is that very column; one lost key loses them all.
func projectKeys(keys []int, exprs []expr.Expr) []int {
	return mapKeys(keys, len(exprs), func(pos, k int) bool {
		c, ok := exprs[pos].(*expr.Column)
		return ok && c.Index == k
	})
}

// mapKeys maps each key to the first of n output positions that is it.
func mapKeys(keys []int, n int, is func(pos, key int) bool) []int {
	if keys == nil {
		return nil
	}
	out := make([]int, len(keys))
	for i, k := range keys {
		out[i] = -1
		for pos := 0; pos < n; pos++ {
			if is(pos, k) {
				out[i] = pos
				break
			}
		}
		if out[i] < 0 {
			return nil
		}
	}
	return out
}

func sameInts(a, b []int) bool {
	if a == nil || len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// errUnsupported names a plan the cut cannot place.
func errUnsupported(p Physical, why string) error {
	return fmt.Errorf("Not implemented Error: distributed plan for %s: %s", Describe(p), why)
}
