package exec

import (
	"context"
	"sync"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// externalShared is one query's read of an external source (CSV, JSON
// files), started by the first of its workers to open.
type externalShared struct {
	src     planner.ExternalSource
	cols    []int
	workers int

	once sync.Once
	mu   sync.Mutex
	run  planner.ExternalRun
	err  error
	open int // workers not yet closed
}

func (s *externalShared) start(ctx context.Context) (planner.ExternalRun, error) {
	s.once.Do(func() {
		s.run, s.err = s.src.Start(ctx, s.cols, s.workers)
	})
	return s.run, s.err
}

// externalScan is one worker of an external source's scan.
type externalScan struct {
	opStats
	sh    *externalShared
	types []coldata.Type
	r     planner.ExternalReader
	done_ bool
	env   memEnv
	acc   *MemoryAccount
}

func (e *externalScan) Types() []coldata.Type { return e.types }

func (e *externalScan) Open(ctx context.Context) error {
	run, err := e.sh.start(ctx)
	if err != nil {
		return err
	}
	e.r = run.Reader()
	return nil
}

func (e *externalScan) Next(ctx context.Context) (*coldata.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	b, err := e.r.Next(ctx)
	if err != nil {
		return nil, err
	}
	e.account(b)
	e.done(t0, b.Len())
	return b, nil
}

// account books the batch and what the reader holds (the chunk of the file
// it is converting), forced in like a Parquet scan's: a scan cannot spill.
func (e *externalScan) account(b *coldata.Batch) {
	if e.acc == nil {
		e.acc = e.env.pool.NewAccount("while scanning")
	}
	held := colsBytes(b.Vecs, 0)
	if h, ok := e.r.(interface{ HeldBytes() int64 }); ok {
		held += h.HeldBytes()
	}
	if d := held - e.acc.Used(); d > 0 {
		e.acc.ForceGrow(d)
		e.peak(e.acc.Used())
	}
}

// Close closes the shared run when the last worker closes.
func (e *externalScan) Close() error {
	if e.done_ {
		return nil
	}
	e.done_ = true
	if e.acc != nil {
		e.acc.Close()
	}
	s := e.sh
	s.mu.Lock()
	s.open--
	last := s.open == 0
	s.mu.Unlock()
	if last && s.run != nil {
		return s.run.Close()
	}
	return nil
}

// externalScan builds the workers of an external source's scan.
func (b *builder) externalScan(p *planner.PhysValues) stream {
	sh := &externalShared{src: p.Source, cols: p.ColIdx, workers: b.threads, open: b.threads}
	s := make(stream, b.threads)
	for i := range s {
		s[i] = &externalScan{sh: sh, types: planner.Types(p), env: b.env}
	}
	return b.record(p, s)
}
