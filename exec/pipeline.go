package exec

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Pipeline breakers. Hash aggregation, the join builds (broadcast,
// partitioned, left-build semi/anti), sort, top-N and CTE materialisation
// each consume every worker of the pipeline below them before they produce
// a row. They all stand on one contract, DuckDB's Sink / Combine /
// Finalize, and one runner (breaker.run) that owns the goroutines, turns
// panics into errors, cancels the other workers on the first error, closes
// every input whatever happens, and opens one memory account per worker:
//
//   - sink: every worker of the input pipeline drains its own input, in its
//     own goroutine, into a local state that nothing else touches;
//   - combine: when its input is exhausted the worker hands its local state
//     over (still on its goroutine, concurrently with other workers'
//     combines: work done there, such as sorting a worker's run, runs on
//     all cores);
//   - finalize: once every worker has combined, the global state is
//     finished once (merging partials, hashing, merging sorted runs), in
//     parallel through runTasks, and reports how many rows the breaker
//     holds, which the runner hands to an observer (adaptive re-planning
//     compares it with the planner's estimate).
//
// A breaker runs at most once, when its consumer first needs it (the first
// Next of an aggregate or sort, the first probe of a join); every caller
// then shares its outcome.

// sinker is a pipeline breaker's global state.
type sinker interface {
	// newLocal returns worker w's local state; acc is the worker's memory
	// account, closed by the runner when the breaker is closed.
	newLocal(w int, acc *MemoryAccount) (localSink, error)
	// finalize runs once, after every worker combined. It returns the
	// number of rows the breaker holds (its output, or for a join build
	// its build rows), or -1 when that is not known yet (an aggregate that
	// spilled knows its groups only once it has merged them all).
	finalize(ctx context.Context, br *breaker) (int64, error)
}

// localSink is one worker's state.
type localSink interface {
	// sink consumes one batch with at least one live row; the batch is
	// valid only during the call.
	sink(ctx context.Context, b *coldata.Batch) error
	// combine hands the local state over once its input is exhausted.
	combine(ctx context.Context) error
}

// breaker runs one pipeline breaker's input workers into its sinker.
type breaker struct {
	name    string // "hash aggregate", ...: in panic messages
	memWhat string // completes "memory limit of X exceeded ..."
	inputs  []Operator
	s       sinker
	env     memEnv
	threads int // goroutines for finalize's tasks
	// observe, when set, is told the breaker's row count as it finalizes.
	observe func(rows int64)

	once    sync.Once
	ran     bool
	err     error
	rows    int64
	accs    []*MemoryAccount
	elapsed time.Duration
}

// newBreaker runs inputs into s; observe may be nil; threads <= 0 means
// GOMAXPROCS.
func newBreaker(name, memWhat string, inputs []Operator, s sinker, env memEnv, threads int, observe func(int64)) *breaker {
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	return &breaker{name: name, memWhat: memWhat, inputs: inputs, s: s, env: env, threads: threads, rows: -1, observe: observe}
}

// run runs the breaker once; every call returns its outcome.
func (br *breaker) run(ctx context.Context) error {
	br.once.Do(func() {
		br.ran = true
		t0 := time.Now()
		br.err = br.exec(ctx)
		br.elapsed = time.Since(t0)
	})
	return br.err
}

func (br *breaker) exec(ctx context.Context) error {
	if len(br.inputs) == 0 {
		return fmt.Errorf("%s: no inputs", br.name)
	}
	br.accs = make([]*MemoryAccount, len(br.inputs))
	locals := make([]localSink, len(br.inputs))
	for w := range br.inputs {
		br.accs[w] = br.env.pool.NewAccount(br.memWhat)
		l, err := br.s.newLocal(w, br.accs[w])
		if err != nil {
			br.closeInputs()
			return err
		}
		locals[w] = l
	}
	closed := make([]bool, len(br.inputs))
	err := runTasks(ctx, br.name, len(br.inputs), len(br.inputs), func(ctx context.Context, w int) error {
		closed[w] = true // drainInto closes it whatever happens
		return drainInto(ctx, br.inputs[w], locals[w])
	})
	// A task that never started (an earlier one failed) left its input
	// open.
	for w, in := range br.inputs {
		if !closed[w] {
			_ = in.Close()
		}
	}
	if err != nil {
		return err
	}
	rows, err := br.finalize(ctx)
	if err != nil {
		return err
	}
	br.rows = rows
	if br.observe != nil && rows >= 0 {
		br.observe(rows)
	}
	return nil
}

func (br *breaker) finalize(ctx context.Context) (rows int64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicError(br.name, r)
		}
	}()
	return br.s.finalize(ctx, br)
}

// drainInto is one worker: open, sink every batch, close, combine.
func drainInto(ctx context.Context, in Operator, l localSink) (err error) {
	closed := false
	defer func() {
		if !closed { // a panic
			_ = in.Close()
		}
	}()
	err = in.Open(ctx)
	for err == nil {
		if err = ctx.Err(); err != nil {
			break
		}
		var b *coldata.Batch
		if b, err = in.Next(ctx); err != nil {
			break
		}
		if b.Len() > 0 {
			err = l.sink(ctx, b)
		}
	}
	// Close before combining: the input's scan buffers go before the
	// combine step allocates.
	closed = true
	if cerr := in.Close(); err == io.EOF {
		err = cerr
	}
	if err != nil {
		return err
	}
	return l.combine(ctx)
}

func (br *breaker) closeInputs() {
	for _, in := range br.inputs {
		_ = in.Close()
	}
}

// close releases the inputs of a breaker that never ran and every worker's
// account; idempotent. The sinker frees its own state.
func (br *breaker) close() {
	br.once.Do(func() {
		br.err = fmt.Errorf("%s: closed before it ran", br.name)
		br.closeInputs()
	})
	for _, a := range br.accs {
		a.Close()
	}
}

// localPeak sums the workers' accounts' peaks (an upper bound of what they
// held at once).
func (br *breaker) localPeak() int64 {
	var p int64
	for _, a := range br.accs {
		if a != nil {
			p += a.Peak()
		}
	}
	return p
}

// tasks runs f on the breaker's threads (see runTasks).
func (br *breaker) tasks(ctx context.Context, n int, f func(ctx context.Context, i int) error) error {
	return runTasks(ctx, br.name, n, br.threads, f)
}

// runTasks runs f(ctx, i) for i in [0,n) on up to workers goroutines that
// take indices from a shared counter. A panic becomes an error naming what;
// the first error cancels ctx for the others and is returned.
func runTasks(ctx context.Context, what string, n, workers int, f func(ctx context.Context, i int) error) error {
	if n <= 0 {
		return ctx.Err()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var once sync.Once
	var first error
	task := func(i int) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = panicError(what, r)
			}
		}()
		return f(ctx, i)
	}
	var wg sync.WaitGroup
	for range min(n, max(workers, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := task(i); err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

func panicError(what string, r any) error {
	return fmt.Errorf("Internal Error: %s panicked: %v\n%s", what, r, debug.Stack())
}
