package exec

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// countSink counts rows per worker; it can fail or panic on a chosen batch.
type countSink struct {
	rows      atomic.Int64
	combined  atomic.Int64
	failAt    int64 // rows after which a worker's sink fails (0: never)
	panicAt   int64
	finalized int
}

type countLocal struct {
	s *countSink
	n int64
}

func (s *countSink) newLocal(int, *MemoryAccount) (localSink, error) { return &countLocal{s: s}, nil }

func (s *countSink) finalize(context.Context, *breaker) (int64, error) {
	s.finalized++
	return s.rows.Load(), nil
}

func (l *countLocal) sink(_ context.Context, b *coldata.Batch) error {
	l.n += int64(b.Len())
	if l.s.failAt > 0 && l.n >= l.s.failAt {
		return errors.New("sink failed")
	}
	if l.s.panicAt > 0 && l.n >= l.s.panicAt {
		panic("sink blew up")
	}
	return nil
}

func (l *countLocal) combine(context.Context) error {
	l.s.rows.Add(l.n)
	l.s.combined.Add(1)
	return nil
}

func countSources(t *testing.T, workers, rows int) ([]Operator, []*testSource) {
	var ops []Operator
	var srcs []*testSource
	for range workers {
		s := &testSource{types: types(i64), rows: datums(types(i64), seq(rows, func(i int) row { return row{i} })), batchSize: 100, t: t}
		ops = append(ops, s)
		srcs = append(srcs, s)
	}
	return ops, srcs
}

// TestBreakerRuns: every worker's rows reach its local state, each worker
// combines once, finalize runs once and its count reaches the observer;
// every input is opened and closed exactly once; a second run returns the
// first outcome.
func TestBreakerRuns(t *testing.T) {
	before := runtime.NumGoroutine()
	ins, srcs := countSources(t, 3, 1000)
	s := &countSink{}
	var seen int64 = -2
	br := newBreaker("test breaker", "while testing", ins, s, memEnv{}, 2, func(n int64) { seen = n })
	if err := br.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := br.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	br.close()
	if s.rows.Load() != 3000 || s.combined.Load() != 3 || s.finalized != 1 || seen != 3000 || br.rows != 3000 {
		t.Fatalf("rows %d combined %d finalized %d observed %d", s.rows.Load(), s.combined.Load(), s.finalized, seen)
	}
	for i, src := range srcs {
		if src.opened != 1 || src.closed != 1 {
			t.Errorf("input %d opened %d, closed %d times", i, src.opened, src.closed)
		}
	}
	checkNoLeak(t, before)
}

// TestBreakerErrors: a sink error and a sink panic both end the run with
// an error (the panic's naming the breaker), cancel the other workers (an
// endless input stops), close every input once and never finalize.
func TestBreakerErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    *countSink
		want string
	}{
		{"error", &countSink{failAt: 500}, "sink failed"},
		{"panic", &countSink{panicAt: 500}, "test breaker panicked: sink blew up"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			ins, srcs := countSources(t, 2, 1000)
			ins = append(ins, newEndless())
			br := newBreaker("test breaker", "while testing", ins, tc.s, memEnv{}, 2, nil)
			done := make(chan error, 1)
			go func() { done <- br.run(context.Background()) }()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want %q", err, tc.want)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the endless worker was not cancelled")
			}
			br.close()
			if tc.s.finalized != 0 {
				t.Error("finalized after a failed sink")
			}
			for i, src := range srcs {
				if src.opened > 1 || src.closed != 1 {
					t.Errorf("input %d opened %d, closed %d times", i, src.opened, src.closed)
				}
			}
			checkNoLeak(t, before)
		})
	}
}

// TestBreakerCancel: cancelling the context ends a run over an endless
// input with the context's error.
func TestBreakerCancel(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	br := newBreaker("test breaker", "while testing", []Operator{newEndless(), newEndless()}, &countSink{}, memEnv{}, 2, nil)
	done := make(chan error, 1)
	go func() { done <- br.run(ctx) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	br.close()
	checkNoLeak(t, before)
}

// TestBreakerClosedUnrun: closing a breaker that never ran closes its
// inputs without opening them, and a later run fails.
func TestBreakerClosedUnrun(t *testing.T) {
	ins, srcs := countSources(t, 2, 10)
	br := newBreaker("test breaker", "while testing", ins, &countSink{}, memEnv{}, 2, nil)
	br.close()
	for i, src := range srcs {
		if src.opened != 0 || src.closed != 1 {
			t.Errorf("input %d opened %d, closed %d times", i, src.opened, src.closed)
		}
	}
	if err := br.run(context.Background()); err == nil {
		t.Error("a closed breaker ran")
	}
}

// TestRunTasks: every index runs once; a panic becomes an error naming the
// task and stops the others.
func TestRunTasks(t *testing.T) {
	var hits [100]atomic.Int32
	if err := runTasks(context.Background(), "tasks", 100, 3, func(_ context.Context, i int) error {
		hits[i].Add(1)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := range hits {
		if hits[i].Load() != 1 {
			t.Fatalf("task %d ran %d times", i, hits[i].Load())
		}
	}
	err := runTasks(context.Background(), "merge", 100, 3, func(_ context.Context, i int) error {
		if i == 7 {
			panic("oops")
		}
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "merge panicked: oops") {
		t.Fatalf("got %v", err)
	}
}

// TestBreakerRowsReachQuery: the executor's hook and Query.BreakerRows see
// what a join build, an aggregate and a sort measured, each for its node.
func TestBreakerRowsReachQuery(t *testing.T) {
	keys := make([]int64, 5000)
	for i := range keys {
		keys[i] = int64(i % 1000)
	}
	f := writeKeyFile(t, "keys", keys, 1000)
	small := make([]int64, 300)
	for i := range small {
		small[i] = int64(i)
	}
	g := writeKeyFile(t, "small", small, 100)
	join := joinPlan(keyScan(f), keyScan(g), 0, planner.JoinSemi) // 1500 rows: keys < 300
	agg := &planner.PhysHashAgg{Input: join, Groups: []int{0},
		Aggs: []planner.PhysAgg{{Func: planner.AggCountStar, Arg: -1, Typ: coldata.TypeInt64}}}
	agg.Out = []planner.ColMeta{join.Out[0], {Name: "n", Type: coldata.TypeInt64}}
	sort := &planner.PhysSort{Input: agg, Keys: []planner.PhysSortKey{{Col: 0}}}
	sort.Out = agg.Out
	var mu sync.Mutex
	hooked := map[planner.Physical]int64{}
	q, err := Build(sort, BuildOptions{Threads: 2, OnBreakerFinalized: func(p planner.Physical, rows int64) {
		mu.Lock()
		hooked[p] = rows
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := drain(context.Background(), q.Root)
	_ = q.Root.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 300 {
		t.Fatalf("%d rows, want 300", len(rows))
	}
	for _, want := range []struct {
		node planner.Physical
		rows int64
	}{{join.Build, 300}, {agg, 300}, {sort, 300}} {
		got, ok := q.BreakerRows(want.node)
		if !ok || got != want.rows || hooked[want.node] != want.rows {
			t.Errorf("%s: breaker rows %d (%v), hook %d, want %d", planner.Describe(want.node), got, ok, hooked[want.node], want.rows)
		}
	}
}
