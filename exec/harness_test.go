package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// This file is the operator test harness (after CockroachDB's
// colexectestutils.RunTests): every case is rerun with input batch sizes
// {1, 2, 3, 1024}, with and without random selection vectors whose
// unselected rows hold junk (random values and NULLs) that must never reach
// the output, and optionally with each input split across several worker
// sources. Sources verify that consumers never modify the batches they are
// handed.

type row = []any

// datum converts a test literal to a Datum of type t: nil is NULL; decimals
// and dates are written as strings.
func datum(t coldata.Type, v any) coldata.Datum {
	if v == nil {
		return coldata.NullDatum
	}
	switch t.ID {
	case coldata.Bool:
		return coldata.Datum{B: v.(bool)}
	case coldata.Int32, coldata.Int64, coldata.Timestamp:
		return coldata.Datum{I: int64(v.(int))}
	case coldata.Float64:
		switch x := v.(type) {
		case int:
			return coldata.Datum{F: float64(x)}
		}
		return coldata.Datum{F: v.(float64)}
	case coldata.Decimal:
		if x, ok := v.(int); ok {
			return coldata.Datum{I: int64(x) * coldata.Pow10[t.Scale]}
		}
		d, err := coldata.ParseDecimal(v.(string), int(t.Scale))
		if err != nil {
			panic(err)
		}
		return coldata.Datum{I: d}
	case coldata.Date:
		d, err := coldata.ParseDate(v.(string))
		if err != nil {
			panic(err)
		}
		return coldata.Datum{I: int64(d)}
	case coldata.String:
		return coldata.Datum{S: v.(string)}
	case coldata.Hugeint:
		if x, ok := v.(int); ok {
			return coldata.Int128Datum(coldata.Int128From(int64(x)))
		}
		x, ok := coldata.ParseInt128(v.(string))
		if !ok {
			panic(v)
		}
		return coldata.Int128Datum(x)
	case coldata.List:
		xs := v.([]any)
		elems := make([]coldata.Datum, len(xs))
		for i, x := range xs {
			elems[i] = datum(t.Nest.Elem, x)
		}
		return coldata.ListDatum(elems...)
	}
	panic(fmt.Sprintf("datum: type %s", t))
}

func datums(types []coldata.Type, rows []row) [][]coldata.Datum {
	out := make([][]coldata.Datum, len(rows))
	for i, r := range rows {
		if len(r) != len(types) {
			panic(fmt.Sprintf("row %d has %d values for %d types", i, len(r), len(types)))
		}
		out[i] = make([]coldata.Datum, len(r))
		for c, v := range r {
			out[i][c] = datum(types[c], v)
		}
	}
	return out
}

func formatRow(types []coldata.Type, r []coldata.Datum) string {
	parts := make([]string, len(r))
	for i, d := range r {
		parts[i] = coldata.Format(types[i], d)
	}
	return strings.Join(parts, "|")
}

// testSource emits fixed rows in batches of batchSize live rows.
type testSource struct {
	types     []coldata.Type
	rows      [][]coldata.Datum
	batchSize int
	rng       *rand.Rand // non-nil: random selection vectors with junk rows
	t         testing.TB

	pos     int
	b       *coldata.Batch
	written []string // what the last batch held, to detect consumers writing to it
	sel     []int32
	opened  int
	closed  int
	err     error // returned by Next once the rows run out
}

func (s *testSource) Types() []coldata.Type { return s.types }

func (s *testSource) Open(context.Context) error { s.opened++; return nil }

func (s *testSource) Close() error { s.closed++; return nil }

func (s *testSource) snapshot() []string {
	out := make([]string, 0, s.b.N+1)
	for i := 0; i < s.b.N; i++ {
		r := make([]coldata.Datum, len(s.b.Vecs))
		for c, v := range s.b.Vecs {
			r[c] = v.Get(i)
		}
		out = append(out, formatRow(s.types, r))
	}
	return append(out, fmt.Sprint(s.b.Sel, s.b.N))
}

func (s *testSource) Next(ctx context.Context) (*coldata.Batch, error) {
	if s.opened == 0 || s.closed > 0 {
		s.t.Errorf("source: Next with opened=%d closed=%d", s.opened, s.closed)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.b != nil && !slices.Equal(s.snapshot(), s.written) {
		s.t.Errorf("source: consumer modified a batch it was handed")
	}
	if s.pos >= len(s.rows) {
		if s.err != nil {
			return nil, s.err
		}
		return nil, io.EOF
	}
	n := min(s.batchSize, len(s.rows)-s.pos)
	live := s.rows[s.pos : s.pos+n]
	s.pos += n
	var phys [][]coldata.Datum
	var sel []int32
	if s.rng == nil {
		phys = live
	} else {
		sel = []int32{}
		for _, r := range live {
			for s.rng.Intn(2) == 0 {
				phys = append(phys, s.junk())
			}
			sel = append(sel, int32(len(phys)))
			phys = append(phys, r)
		}
		if s.rng.Intn(2) == 0 {
			phys = append(phys, s.junk())
		}
	}
	if s.b == nil {
		s.b = coldata.NewBatch(s.types, len(phys))
	}
	s.b.Reset(len(phys))
	for i, r := range phys {
		for c, d := range r {
			s.b.Vecs[c].Set(i, d)
		}
	}
	s.b.Sel = sel
	s.written = s.snapshot()
	return s.b, nil
}

func (s *testSource) junk() []coldata.Datum {
	r := make([]coldata.Datum, len(s.types))
	for c, t := range s.types {
		if s.rng.Intn(3) == 0 {
			r[c] = coldata.NullDatum
			continue
		}
		x := s.rng.Int63n(1000) - 500
		r[c] = coldata.Datum{I: x, F: float64(x) / 7, B: x%2 == 0, S: fmt.Sprint("junk", x)}
		if t.ID == coldata.Int32 || t.ID == coldata.Date {
			r[c].I = int64(int32(x))
		}
	}
	return r
}

// opCase is one harness case.
type opCase struct {
	name     string
	types    [][]coldata.Type // per input
	inputs   [][]row          // per input
	expected []row
	// ordered: compare in order; orderedCols: compare the projection on
	// these columns in order and whole rows as a multiset (sorts with ties).
	ordered     bool
	orderedCols []int
	keysOnly    bool // compare only the orderedCols projection (top-N ties)
	// workers > 1 also runs the case with every input split round-robin
	// across that many sources (operators that take worker inputs).
	workers int
	// mk builds the operator from the sources: ins[i] are input i's workers.
	mk func(ins [][]Operator) Operator
	// wantErr: the run must fail with an error containing this text.
	wantErr string
}

var harnessBatchSizes = []int{1, 2, 3, 1024}

// batchSizes are the harness's batch sizes; -short (CI's race run) keeps 3
// and 1024, which still split inputs across batches and fill whole ones.
func batchSizes() []int { return shortOr(harnessBatchSizes, []int{3, 1024}) }

// shortOr returns short under -short (CI's race run), full otherwise.
func shortOr[T any](full, short []T) []T {
	if testing.Short() {
		return short
	}
	return full
}

func runCases(t *testing.T, cases []opCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runCase(t, c) })
	}
}

func runCase(t *testing.T, c opCase) {
	t.Helper()
	workerCounts := []int{1}
	if c.workers > 1 {
		workerCounts = append(workerCounts, c.workers)
	}
	for _, w := range workerCounts {
		for _, bs := range batchSizes() {
			for _, randSel := range []bool{false, true} {
				name := fmt.Sprintf("w=%d/bs=%d/sel=%v", w, bs, randSel)
				runVariant(t, c, name, w, bs, randSel)
			}
		}
	}
}

func runVariant(t *testing.T, c opCase, name string, workers, bs int, randSel bool) {
	t.Helper()
	goroutines := runtime.NumGoroutine()
	rng := rand.New(rand.NewSource(int64(bs*31 + workers)))
	var sources []*testSource
	ins := make([][]Operator, len(c.inputs))
	for i, rows := range c.inputs {
		all := datums(c.types[i], rows)
		parts := make([][][]coldata.Datum, workers)
		for r, d := range all {
			parts[r%workers] = append(parts[r%workers], d)
		}
		for _, p := range parts {
			s := &testSource{types: c.types[i], rows: p, batchSize: bs, t: t}
			if randSel {
				s.rng = rand.New(rand.NewSource(rng.Int63()))
			}
			sources = append(sources, s)
			ins[i] = append(ins[i], s)
		}
	}
	op := c.mk(ins)
	got, err := drain(context.Background(), op)
	if cerr := op.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if cerr := op.Close(); cerr != nil {
		t.Errorf("%s: second Close: %v", name, cerr)
	}
	for i, s := range sources {
		if s.opened > 0 && s.closed == 0 {
			t.Errorf("%s: source %d opened but never closed", name, i)
		}
	}
	checkNoLeak(t, goroutines)
	if c.wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Fatalf("%s: got error %v, want %q", name, err, c.wantErr)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	types := op.Types()
	want := make([]string, len(c.expected))
	for i, r := range datums(types, c.expected) {
		want[i] = formatRow(types, r)
	}
	compareRows(t, name, types, got, want, c)
}

func compareRows(t *testing.T, name string, types []coldata.Type, got, want []string, c opCase) {
	t.Helper()
	if c.orderedCols != nil {
		proj := func(rows []string) []string {
			out := make([]string, len(rows))
			for i, r := range rows {
				f := strings.Split(r, "|")
				var p []string
				for _, col := range c.orderedCols {
					// -0 and +0 tie as keys; either may come first.
					v := f[col]
					if v == "-0.0" {
						v = "0.0"
					}
					p = append(p, v)
				}
				out[i] = strings.Join(p, "|")
			}
			return out
		}
		if g, w := proj(got), proj(want); !slices.Equal(g, w) {
			t.Fatalf("%s: key order differs\ngot:  %v\nwant: %v", name, trunc(g), trunc(w))
		}
		if c.keysOnly {
			return
		}
	}
	if !c.ordered {
		got, want = slices.Clone(got), slices.Clone(want)
		slices.Sort(got)
		slices.Sort(want)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: rows differ\ngot  (%d): %v\nwant (%d): %v", name, len(got), trunc(got), len(want), trunc(want))
	}
}

func trunc(rows []string) []string {
	if len(rows) > 40 {
		return append(slices.Clone(rows[:40]), "...")
	}
	return rows
}

// drain opens op and reads it to the end, checking batch invariants.
func drain(ctx context.Context, op Operator) ([]string, error) {
	if err := op.Open(ctx); err != nil {
		return nil, err
	}
	types := op.Types()
	var out []string
	for {
		b, err := op.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if b.Len() == 0 {
			return out, errors.New("operator returned an empty batch")
		}
		if b.Len() > coldata.DefaultBatchSize {
			return out, fmt.Errorf("batch of %d rows exceeds %d", b.Len(), coldata.DefaultBatchSize)
		}
		if len(b.Vecs) != len(types) {
			return out, fmt.Errorf("batch has %d vectors, Types() has %d", len(b.Vecs), len(types))
		}
		for c, v := range b.Vecs {
			if v.Type.ID != types[c].ID {
				return out, fmt.Errorf("vector %d is %s, Types() says %s", c, v.Type, types[c])
			}
		}
		for k := 0; k < b.Len(); k++ {
			out = append(out, formatRow(types, b.Row(k)))
		}
	}
}

// checkNoLeak fails if goroutines started during the test outlive it.
func checkNoLeak(t testing.TB, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			n := runtime.Stack(buf, true)
			t.Fatalf("goroutine leak: %d running, %d before\n%s", runtime.NumGoroutine(), before, buf[:n])
		}
		time.Sleep(time.Millisecond)
	}
}

func single(ins [][]Operator) Operator {
	if len(ins[0]) == 1 {
		return ins[0][0]
	}
	return NewGather(ins[0])
}

// cmpSel is a test-only Selector: column col <op> val over integer columns
// (kernel package not required). NULL drops the row.
type cmpSel struct {
	col int
	op  string // ">", "<", "=", "<>"
	val int64
}

func (s cmpSel) Select(b *coldata.Batch) error {
	v := b.Vecs[s.col]
	// Narrow in place, as real kernels do, so an operator that hands its
	// child's selection to a Selector is caught by the source's check.
	out := b.Sel[:0:len(b.Sel)]
	if b.Sel == nil {
		out = make([]int32, 0, b.N)
	}
	for k := 0; k < b.Len(); k++ {
		i := k
		if b.Sel != nil {
			i = int(b.Sel[k])
		}
		if v.IsNull(i) || v.Type.ID == coldata.Unknown {
			continue
		}
		x := v.Get(i).I
		var ok bool
		switch s.op {
		case ">":
			ok = x > s.val
		case "<":
			ok = x < s.val
		case "=":
			ok = x == s.val
		case "<>":
			ok = x != s.val
		}
		if ok {
			out = append(out, int32(i))
		}
	}
	b.Sel = out
	return nil
}

// colCmpSel keeps rows where column a <op> column b (integers).
type colCmpSel struct {
	a, b int
	op   string
}

func (s colCmpSel) Select(b *coldata.Batch) error {
	va, vb := b.Vecs[s.a], b.Vecs[s.b]
	out := []int32{}
	for k := 0; k < b.Len(); k++ {
		i := k
		if b.Sel != nil {
			i = int(b.Sel[k])
		}
		if va.IsNull(i) || vb.IsNull(i) {
			continue
		}
		x, y := va.Get(i).I, vb.Get(i).I
		if s.op == "<>" && x != y || s.op == "<" && x < y || s.op == "=" && x == y {
			out = append(out, int32(i))
		}
	}
	b.Sel = out
	return nil
}

// errSel fails every call.
type errSel struct{}

func (errSel) Select(*coldata.Batch) error { return errors.New("boom") }

// addConst is a test-only VecExpr: column col (Int64) + val.
type addConst struct {
	col int
	val int64
	out *coldata.Vec
}

func (e *addConst) Eval(b *coldata.Batch) (*coldata.Vec, error) {
	if e.out == nil {
		e.out = coldata.NewVec(coldata.TypeInt64, 0)
	}
	e.out.Resize(b.N)
	src := b.Vecs[e.col]
	for k := 0; k < b.Len(); k++ {
		i := k
		if b.Sel != nil {
			i = int(b.Sel[k])
		}
		if src.IsNull(i) {
			e.out.SetNull(i)
			continue
		}
		e.out.I64[i] = src.I64[i] + e.val
	}
	return e.out, nil
}

var (
	i64 = coldata.TypeInt64
	i32 = coldata.TypeInt32
	str = coldata.TypeString
	f64 = coldata.TypeFloat64
	dt  = coldata.TypeDate
)

func types(ts ...coldata.Type) []coldata.Type { return ts }

func seq(n int, f func(i int) row) []row {
	out := make([]row, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// aggReadersForTest > 1 makes withReaders read aggregates through that
// many readers, gathered.
var aggReadersForTest = 1

func withReaders(op Operator) Operator {
	if aggReadersForTest <= 1 {
		return op
	}
	h := op.(*hashAgg)
	return &readersOp{Operator: NewGather(h.Readers(aggReadersForTest)), h: h}
}

// readersOp reports the aggregate's statistics for its gathered readers.
type readersOp struct {
	Operator
	h *hashAgg
}

func (o *readersOp) OpStats() OpStats { return o.h.OpStats() }
