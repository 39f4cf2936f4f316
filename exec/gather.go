package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// NewGather runs each worker pipeline in its own goroutine and unions their
// output in arrival order.
//
// Hand-off is zero-copy: a worker sends its batch and then waits until the
// consumer asks for the following batch before calling its own Next again,
// which is what keeps the batch valid while the consumer reads it. Each
// worker thus has at most one batch in flight and runs ahead by exactly one
// batch, so P workers overlap their work with the consumer's. The first
// worker error cancels the others and is returned; Close stops and waits for
// every goroutine.
func NewGather(workers []Operator) Operator {
	return &gather{workers: workers}
}

type gatherMsg struct {
	b   *coldata.Batch
	w   int
	err error // io.EOF: worker w finished
}

type gather struct {
	opStats
	workers []Operator

	cancel  context.CancelFunc
	wg      sync.WaitGroup
	msgs    chan gatherMsg
	resume  []chan struct{} // per worker: consumer is done with its batch
	holding int             // worker whose batch the consumer holds, -1 none
	live    int
	err     error
	opened  bool
	closed  bool
}

func (g *gather) Types() []coldata.Type {
	if len(g.workers) == 0 {
		return nil
	}
	return g.workers[0].Types()
}

func (g *gather) Open(ctx context.Context) error {
	if g.opened {
		return errors.New("gather: opened twice")
	}
	g.opened = true
	wctx, cancel := context.WithCancel(ctx)
	g.cancel = cancel
	// Buffered so a finishing or failing worker never blocks on the consumer.
	g.msgs = make(chan gatherMsg, len(g.workers))
	g.resume = make([]chan struct{}, len(g.workers))
	g.holding = -1
	g.live = len(g.workers)
	g.wg.Add(len(g.workers))
	for i := range g.workers {
		g.resume[i] = make(chan struct{}, 1)
		go g.run(wctx, i)
	}
	return nil
}

func (g *gather) run(ctx context.Context, i int) {
	defer g.wg.Done()
	op := g.workers[i]
	err := g.pump(ctx, i, op)
	if cerr := op.Close(); err == io.EOF && cerr != nil {
		err = cerr
	}
	if err == errStopped {
		return
	}
	g.msgs <- gatherMsg{w: i, err: err}
}

// errStopped: the consumer went away; nothing to report.
var errStopped = errors.New("gather: stopped")

func (g *gather) pump(ctx context.Context, i int, op Operator) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("Internal Error: gather worker panicked: %v\n%s", r, debug.Stack())
		}
	}()
	if err := op.Open(ctx); err != nil {
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := op.Next(ctx)
		if err != nil {
			return err
		}
		if b.Len() == 0 {
			continue
		}
		select {
		case g.msgs <- gatherMsg{b: b, w: i}:
		case <-ctx.Done():
			return errStopped
		}
		select {
		case <-g.resume[i]:
		case <-ctx.Done():
			return errStopped
		}
	}
}

func (g *gather) Next(ctx context.Context) (*coldata.Batch, error) {
	if !g.opened || g.closed {
		return nil, errors.New("gather: Next without Open")
	}
	if g.err != nil {
		return nil, g.err
	}
	if err := ctx.Err(); err != nil {
		g.cancel()
		g.err = err
		return nil, err
	}
	t0 := time.Now()
	if g.holding >= 0 {
		g.resume[g.holding] <- struct{}{}
		g.holding = -1
	}
	for g.live > 0 {
		var m gatherMsg
		select {
		case m = <-g.msgs:
		case <-ctx.Done():
			g.cancel()
			g.err = ctx.Err()
			return nil, g.err
		}
		if m.err == io.EOF {
			g.live--
			continue
		}
		if m.err != nil {
			g.cancel()
			g.err = m.err
			return nil, m.err
		}
		g.holding = m.w
		g.done(t0, m.b.Len())
		return m.b, nil
	}
	return nil, io.EOF
}

func (g *gather) Close() error {
	if g.closed {
		return nil
	}
	g.closed = true
	if !g.opened {
		var first error
		for _, w := range g.workers {
			if err := w.Close(); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	g.cancel()
	g.wg.Wait()
	return nil
}
