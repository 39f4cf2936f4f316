package exec

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

func TestFilter(t *testing.T) {
	in := seq(50, func(i int) row {
		if i%7 == 0 {
			return row{nil, "n"}
		}
		return row{i, "v"}
	})
	var want []row
	for _, r := range in {
		if r[0] != nil && r[0].(int) > 30 {
			want = append(want, r)
		}
	}
	runCases(t, []opCase{{
		name:     "gt",
		types:    [][]coldata.Type{types(i64, str)},
		inputs:   [][]row{in},
		expected: want,
		ordered:  true,
		mk:       func(ins [][]Operator) Operator { return NewFilter(single(ins), cmpSel{0, ">", 30}) },
	}, {
		name:     "none pass (empty batches skipped)",
		types:    [][]coldata.Type{types(i64)},
		inputs:   [][]row{seq(20, func(i int) row { return row{i} })},
		expected: nil,
		mk:       func(ins [][]Operator) Operator { return NewFilter(single(ins), cmpSel{0, ">", 100}) },
	}, {
		name:     "all null",
		types:    [][]coldata.Type{types(i64)},
		inputs:   [][]row{seq(5, func(int) row { return row{nil} })},
		expected: nil,
		mk:       func(ins [][]Operator) Operator { return NewFilter(single(ins), cmpSel{0, "<>", 0}) },
	}, {
		name:     "stacked",
		types:    [][]coldata.Type{types(i64)},
		inputs:   [][]row{seq(20, func(i int) row { return row{i} })},
		expected: []row{{6}, {7}, {8}, {9}},
		ordered:  true,
		mk: func(ins [][]Operator) Operator {
			return NewFilter(NewFilter(single(ins), cmpSel{0, ">", 5}), cmpSel{0, "<", 10})
		},
	}, {
		name:    "error",
		types:   [][]coldata.Type{types(i64)},
		inputs:  [][]row{{{1}}},
		wantErr: "boom",
		mk:      func(ins [][]Operator) Operator { return NewFilter(single(ins), errSel{}) },
	}})
}

func TestProject(t *testing.T) {
	in := seq(30, func(i int) row {
		if i%4 == 0 {
			return row{nil, i}
		}
		return row{i, i}
	})
	var want []row
	for _, r := range in {
		if r[0] == nil {
			want = append(want, row{r[1], nil})
		} else {
			want = append(want, row{r[1], r[0].(int) + 100})
		}
	}
	runCases(t, []opCase{{
		name:     "add",
		types:    [][]coldata.Type{types(i64, i64)},
		inputs:   [][]row{in},
		expected: want,
		ordered:  true,
		mk: func(ins [][]Operator) Operator {
			return NewProject(single(ins), []VecExpr{&addConst{col: 1}, &addConst{col: 0, val: 100}}, types(i64, i64))
		},
	}, {
		name:     "after filter",
		types:    [][]coldata.Type{types(i64)},
		inputs:   [][]row{seq(10, func(i int) row { return row{i} })},
		expected: []row{{18}, {19}},
		ordered:  true,
		mk: func(ins [][]Operator) Operator {
			return NewProject(NewFilter(single(ins), cmpSel{0, ">", 7}), []VecExpr{&addConst{col: 0, val: 10}}, types(i64))
		},
	}})
}

func TestLimit(t *testing.T) {
	in := seq(25, func(i int) row { return row{i} })
	rng := func(a, b int) []row { return seq(b-a, func(i int) row { return row{a + i} }) }
	mk := func(off, lim int64) func([][]Operator) Operator {
		return func(ins [][]Operator) Operator { return NewLimit(single(ins), off, lim) }
	}
	runCases(t, []opCase{
		{name: "limit", types: [][]coldata.Type{types(i64)}, inputs: [][]row{in}, expected: rng(0, 10), ordered: true, mk: mk(0, 10)},
		{name: "offset", types: [][]coldata.Type{types(i64)}, inputs: [][]row{in}, expected: rng(7, 25), ordered: true, mk: mk(7, -1)},
		{name: "both", types: [][]coldata.Type{types(i64)}, inputs: [][]row{in}, expected: rng(3, 8), ordered: true, mk: mk(3, 5)},
		{name: "zero", types: [][]coldata.Type{types(i64)}, inputs: [][]row{in}, expected: nil, mk: mk(0, 0)},
		{name: "past end", types: [][]coldata.Type{types(i64)}, inputs: [][]row{in}, expected: nil, mk: mk(30, 5)},
		{name: "more than all", types: [][]coldata.Type{types(i64)}, inputs: [][]row{in}, expected: in, ordered: true, mk: mk(0, 100)},
		{name: "nulls", types: [][]coldata.Type{types(i64)}, inputs: [][]row{{{nil}, {nil}, {nil}}}, expected: []row{{nil}}, ordered: true, mk: mk(1, 1)},
	})
}

// TestLimitStopsEarly: a satisfied limit closes its child without reading the rest.
func TestLimitStopsEarly(t *testing.T) {
	src := &testSource{types: types(i64), rows: datums(types(i64), seq(10000, func(i int) row { return row{i} })), batchSize: 100, t: t}
	op := NewLimit(src, 0, 150)
	rows, err := drain(context.Background(), op)
	if err != nil || len(rows) != 150 {
		t.Fatalf("got %d rows, %v", len(rows), err)
	}
	if src.closed != 1 || src.pos != 200 {
		t.Fatalf("child closed=%d after reading %d rows; want closed once after 200", src.closed, src.pos)
	}
	_ = op.Close()
	if src.closed != 1 {
		t.Fatalf("child closed %d times", src.closed)
	}
}

func TestValues(t *testing.T) {
	ts := types(i64, str, f64, coldata.DecimalType(15, 2), dt, coldata.TypeBool)
	rows := []row{{1, "a", 1.5, "2.25", "1994-01-01", true}, {nil, nil, nil, nil, nil, nil}, {-3, "", 0.0, "-0.01", "1970-01-01", false}}
	op := NewValues(ts, datums(ts, rows))
	got, err := drain(context.Background(), op)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1|a|1.5|2.25|1994-01-01|true", "NULL|NULL|NULL|NULL|NULL|NULL", "-3||0.0|-0.01|1970-01-01|false"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %q", got)
	}
	// Many rows span batches.
	big := seq(5000, func(i int) row { return row{i} })
	op = NewValues(types(i64), datums(types(i64), big))
	got, err = drain(context.Background(), op)
	if err != nil || len(got) != 5000 || got[4999] != "4999" {
		t.Fatalf("got %d rows, %v", len(got), err)
	}
	if err := NewValues(types(i64), [][]coldata.Datum{{}}).Open(context.Background()); err == nil {
		t.Fatal("ragged row accepted")
	}
}

func TestGather(t *testing.T) {
	in := seq(3000, func(i int) row {
		if i%10 == 0 {
			return row{nil, "x"}
		}
		return row{i, "y"}
	})
	runCases(t, []opCase{{
		name:     "union",
		types:    [][]coldata.Type{types(i64, str)},
		inputs:   [][]row{in},
		expected: in,
		workers:  4,
		mk:       func(ins [][]Operator) Operator { return NewGather(ins[0]) },
	}, {
		name:     "filters in workers",
		types:    [][]coldata.Type{types(i64, str)},
		inputs:   [][]row{in[:40]},
		expected: []row{{31, "y"}, {32, "y"}, {33, "y"}, {34, "y"}, {35, "y"}, {36, "y"}, {37, "y"}, {38, "y"}, {39, "y"}},
		workers:  3,
		mk: func(ins [][]Operator) Operator {
			ws := make([]Operator, len(ins[0]))
			for i, w := range ins[0] {
				ws[i] = NewFilter(w, cmpSel{0, ">", 30})
			}
			return NewGather(ws)
		},
	}, {
		name:    "worker error",
		types:   [][]coldata.Type{types(i64, str)},
		inputs:  [][]row{in[:100]},
		workers: 3,
		wantErr: "boom",
		mk: func(ins [][]Operator) Operator {
			ws := append([]Operator{}, ins[0]...)
			ws[len(ws)-1] = NewFilter(ws[len(ws)-1], errSel{})
			return NewGather(ws)
		},
	}})
}

// endless produces batches forever (until cancelled or closed).
type endless struct {
	b      *coldata.Batch
	closed chan struct{}
	err    error // returned after the first batch when set
	n      int
}

func newEndless() *endless {
	b := coldata.NewBatch(types(i64), coldata.DefaultBatchSize)
	for i := range b.Vecs[0].I64 {
		b.Vecs[0].I64[i] = int64(i % 100)
	}
	return &endless{b: b, closed: make(chan struct{})}
}

func (e *endless) Types() []coldata.Type      { return types(i64) }
func (e *endless) Open(context.Context) error { return nil }
func (e *endless) Next(ctx context.Context) (*coldata.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e.n++
	if e.err != nil && e.n > 1 {
		return nil, e.err
	}
	return e.b, nil
}
func (e *endless) Close() error {
	select {
	case <-e.closed:
	default:
		close(e.closed)
	}
	return nil
}

func TestGatherCancelAndClose(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	ws := []Operator{newEndless(), newEndless(), newEndless()}
	g := NewGather(ws)
	if err := g.Open(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if _, err := g.Next(ctx); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if _, err := g.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("after cancel: %v", err)
	}
	_ = g.Close()
	for _, w := range ws {
		select {
		case <-w.(*endless).closed:
		case <-time.After(time.Second):
			t.Fatal("worker pipeline not closed")
		}
	}
	checkNoLeak(t, before)

	// Close while workers are blocked handing off batches, no cancel.
	g = NewGather([]Operator{newEndless(), newEndless()})
	if err := g.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	_ = g.Close()
	checkNoLeak(t, before)

	// A failing worker cancels the others and its error is returned.
	bad := newEndless()
	bad.err = errors.New("disk on fire")
	g = NewGather([]Operator{newEndless(), bad, newEndless()})
	if err := g.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	var err error
	for err == nil {
		_, err = g.Next(context.Background())
	}
	if err.Error() != "disk on fire" {
		t.Fatalf("got %v", err)
	}
	_ = g.Close()
	checkNoLeak(t, before)

	// Never opened: Close still closes the workers.
	w := newEndless()
	_ = NewGather([]Operator{w}).Close()
	select {
	case <-w.closed:
	default:
		t.Fatal("unopened gather did not close its worker")
	}

	// Gather under a limit stops its workers.
	g = NewLimit(NewGather([]Operator{newEndless(), newEndless()}), 0, 5000)
	rows, err := drain(context.Background(), g)
	if err != nil || len(rows) != 5000 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	_ = g.Close()
	checkNoLeak(t, before)
}

func TestGatherNoWorkers(t *testing.T) {
	g := NewGather(nil)
	if err := g.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Next(context.Background()); err != io.EOF {
		t.Fatalf("got %v", err)
	}
	_ = g.Close()
}
