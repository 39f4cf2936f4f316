package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/scan"
)

// Fragments of distributed plans (planner.DistPlan) run one task at a time
// with the ordinary operators: BuildFragment builds a fragment's plan like
// Build, reading its exchange leaves from batch sources the caller feeds
// (decoded exchange data) and its split scan from the task's row groups
// only. Partial and final aggregations are aggstate.go's.

// BatchSource yields an exchange leaf's batches: (nil, io.EOF) at the end.
// The executor calls it from one goroutine at a time (not always the same);
// a returned batch must stay valid after the next call.
type BatchSource interface {
	Next(ctx context.Context) (*coldata.Batch, error)
}

// FragmentTask is what one task of a fragment reads.
type FragmentTask struct {
	// Scan is the fragment's split scan and Split the task's share of it
	// (nil for fragments whose tasks are not splits).
	Scan  *planner.PhysScan
	Split *planner.Split
	// Input returns the source of an exchange leaf of the fragment.
	Input func(x *planner.PhysExchange) (BatchSource, error)
}

// BuildFragment turns one task of a fragment into operators.
func BuildFragment(root planner.Physical, task FragmentTask, opts BuildOptions) (*Query, error) {
	return buildQuery(root, opts, &task)
}

// fragmentNode builds the nodes only distributed plans have, and the
// task's split scan; ok is false for every other node.
func (b *builder) fragmentNode(p planner.Physical) (s stream, ok bool, err error) {
	switch p := p.(type) {
	case *planner.PhysExchange:
		if b.frag == nil || b.frag.Input == nil {
			return nil, true, fmt.Errorf("internal error: exchange from fragment %d outside a distributed task", p.From.ID)
		}
		src, err := b.frag.Input(p)
		if err != nil {
			return nil, true, err
		}
		shared := &sharedSource{src: src}
		s := make(stream, b.threads)
		for i := range s {
			s[i] = &exchangeOp{src: shared, types: planner.Types(p), env: b.env}
		}
		return b.record(p, s), true, nil
	case *planner.PhysPartialAgg:
		in, specs, err := b.aggInput(p.Input, p.Aggs)
		if err != nil {
			return nil, true, err
		}
		return b.record(p, stream{withMemory(NewPartialAgg(in, p.Groups, specs), b.env)}), true, nil
	case *planner.PhysFinalAgg:
		in, specs, err := b.aggInput(p.Input, p.Aggs)
		if err != nil {
			return nil, true, err
		}
		f := withMemory(NewFinalAgg(b.single(in), p.InTypes, p.Groups, specs), b.env)
		if h, ok := f.(*hashAgg); ok {
			h.threads = b.threads
		}
		return b.record(p, stream{f}), true, nil
	case *planner.PhysScan:
		if b.frag == nil || p != b.frag.Scan || b.frag.Split == nil {
			return nil, false, nil
		}
		s, err := b.splitScan(p, b.frag.Split)
		return s, true, err
	}
	return nil, false, nil
}

func (b *builder) aggInput(input planner.Physical, aggs []planner.PhysAgg) (stream, []AggSpec, error) {
	in, err := b.build(input)
	if err != nil {
		return nil, nil, err
	}
	specs, err := aggSpecs(aggs)
	return in, specs, err
}

// splitScan builds the scan of one split: the table cut down to the
// split's files, then each file's row groups to the split's ranges.
func (b *builder) splitScan(p *planner.PhysScan, split *planner.Split) (stream, error) {
	t := *p.Table
	t.Files, t.DataFiles = nil, nil
	keep := map[*scan.File][][2]int{}
	for _, piece := range split.Pieces {
		if piece.File < 0 || piece.File >= len(p.Table.Files) {
			return nil, fmt.Errorf("split: file %d of %d", piece.File, len(p.Table.Files))
		}
		f := p.Table.Files[piece.File]
		if _, seen := keep[f]; !seen {
			t.Files = append(t.Files, f)
			if p.Table.DataFiles != nil {
				t.DataFiles = append(t.DataFiles, p.Table.DataFiles[piece.File])
			}
		}
		keep[f] = append(keep[f], [2]int{piece.From, piece.To})
	}
	cut := *p
	cut.Table = &t
	s, err := b.build(&cut)
	if err != nil {
		return nil, err
	}
	in := func(f *scan.File, rg int) bool {
		for _, r := range keep[f] {
			if rg >= r[0] && rg < r[1] {
				return true
			}
		}
		return false
	}
	switch src := b.q.scans[&cut].(type) {
	case *ScanSource:
		src.keepRowGroups(in)
	case *datasetSource:
		for _, f := range src.files {
			f.src.keepRowGroups(in)
		}
	default:
		return nil, fmt.Errorf("internal error: split scan of %s has no morsel queue", p.Alias)
	}
	// Runtime filters and EXPLAIN ANALYZE look the scan up by the plan's node.
	b.q.scans[p] = b.q.scans[&cut]
	b.q.ops[p] = b.q.ops[&cut]
	return s, nil
}

// keepRowGroups drops the morsels keep rejects; call it before the scan runs.
func (s *ScanSource) keepRowGroups(keep func(f *scan.File, rg int) bool) {
	out := s.morsels[:0]
	for _, m := range s.morsels {
		if keep(m.f, m.rg) {
			out = append(out, m)
		}
	}
	s.morsels = out
}

// sharedSource serialises an exchange leaf's workers on its source.
type sharedSource struct {
	mu   sync.Mutex
	src  BatchSource
	done bool
}

func (s *sharedSource) next(ctx context.Context) (*coldata.Batch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return nil, io.EOF
	}
	b, err := s.src.Next(ctx)
	if err != nil {
		s.done = errors.Is(err, io.EOF)
	}
	return b, err
}

// exchangeOp is one worker reading an exchange leaf. It books the batch it
// holds, as a scan does.
type exchangeOp struct {
	opStats
	env   memEnv
	acc   *MemoryAccount
	src   *sharedSource
	types []coldata.Type
}

func (o *exchangeOp) Types() []coldata.Type { return o.types }

func (o *exchangeOp) Open(context.Context) error {
	o.acc = o.env.pool.NewAccount("while reading an exchange")
	return nil
}

func (o *exchangeOp) Next(ctx context.Context) (*coldata.Batch, error) {
	t0 := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := o.src.next(ctx)
		if err != nil {
			return nil, err
		}
		if len(b.Vecs) != len(o.types) {
			return nil, fmt.Errorf("exchange: a batch of %d columns where %d were planned", len(b.Vecs), len(o.types))
		}
		n := b.Len()
		if n == 0 {
			continue
		}
		if d := colsBytes(b.Vecs, liveStrBytes(b)) - o.acc.Used(); d > 0 {
			o.acc.ForceGrow(d)
			o.peak(o.acc.Used())
		}
		o.done(t0, n)
		return b, nil
	}
}

func (o *exchangeOp) Close() error {
	o.acc.Close()
	return nil
}
