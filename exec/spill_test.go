package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// spillRun records the pools and directories of one spilling case so that
// every variant can be checked to release them.
type spillRun struct {
	limit   int64
	pools   []*MemoryPool
	dirs    []string
	ops     []Operator
	t       *testing.T
	spilled int64
}

func (r *spillRun) env() memEnv {
	p := NewMemoryPool(r.limit)
	d := r.t.TempDir()
	r.pools = append(r.pools, p)
	r.dirs = append(r.dirs, d)
	return memEnv{pool: p, dir: d}
}

// check asserts the pool is back to zero and the spill directory empty.
func (r *spillRun) check(name string) {
	r.t.Helper()
	for i, p := range r.pools {
		if p.Used() != 0 {
			r.t.Errorf("%s: pool still holds %d bytes after Close", name, p.Used())
		}
		ents, err := os.ReadDir(r.dirs[i])
		if err != nil {
			r.t.Fatal(err)
		}
		if len(ents) != 0 {
			r.t.Errorf("%s: %d spill files left in %s", name, len(ents), r.dirs[i])
		}
	}
	for _, op := range r.ops {
		if s, ok := op.(StatsReporter); ok {
			r.spilled += s.OpStats().SpilledBytes
		}
	}
	r.pools, r.dirs, r.ops = nil, nil, nil
}

// runSpilling reruns c (batch sizes 3 and 1024, with and without selection
// vectors, and with c.workers) under a memory limit; mk receives the env.
// With wantSpill, some variant must have spilled.
func runSpilling(t *testing.T, c opCase, limit int64, wantSpill bool, mk func(ins [][]Operator, env memEnv) Operator) {
	t.Helper()
	r := &spillRun{limit: limit, t: t}
	c.mk = func(ins [][]Operator) Operator {
		op := mk(ins, r.env())
		r.ops = append(r.ops, op)
		return op
	}
	workers := []int{1}
	if c.workers > 1 {
		workers = append(workers, c.workers)
	}
	for _, w := range workers {
		for _, bs := range shortOr([]int{16, 1024}, []int{16}) {
			for _, sel := range []bool{false, true} {
				name := fmt.Sprintf("%s/w=%d/bs=%d/sel=%v", c.name, w, bs, sel)
				runVariant(t, c, name, w, bs, sel)
				r.check(name)
			}
		}
	}
	if wantSpill && r.spilled == 0 {
		t.Errorf("%s: nothing spilled under a limit of %d", c.name, limit)
	}
}

func TestSortSpill(t *testing.T) {
	in := sortInput(6000, 5)
	for _, name := range []string{"int", "str desc", "int,str desc", "str nf,int desc", "int,float,str,id", "date desc,float"} {
		keys := sortKeySets[name]
		c := sortCase("spill "+name, sortTypes, in, keys)
		runSpilling(t, c, 256<<10, true, func(ins [][]Operator, env memEnv) Operator {
			return withMemory(NewSort(ins[0], keys), env)
		})
	}
}

// TestSortSpillManyRuns forces more runs than one merge pass reads.
func TestSortSpillManyRuns(t *testing.T) {
	in := sortInput(30000, 9)
	keys := sortKeySets["int,float,str,id"]
	c := sortCase("many runs", sortTypes, in, keys)
	r := &spillRun{limit: 256 << 10, t: t}
	c.mk = func(ins [][]Operator) Operator {
		op := withMemory(NewSort(ins[0], keys), r.env())
		r.ops = append(r.ops, op)
		return op
	}
	runVariant(t, c, "many runs", 1, 1024, false)
	r.check("many runs")
	if r.spilled == 0 {
		t.Fatal("nothing spilled")
	}
}

func TestSortLimitBelowOneBatch(t *testing.T) {
	c := sortCase("tiny", sortTypes, sortInput(3000, 2), sortKeySets["int"])
	c.wantErr = "memory limit of 1.0 KiB exceeded while sorting"
	r := &spillRun{limit: 1 << 10, t: t}
	c.mk = func(ins [][]Operator) Operator {
		return withMemory(NewSort(ins[0], sortKeySets["int"]), r.env())
	}
	runVariant(t, c, "tiny", 1, 1024, false)
	r.check("tiny")
}

func TestMemoryPool(t *testing.T) {
	p := NewMemoryPool(100)
	a, b := p.NewAccount("while testing"), p.NewAccount("while testing")
	if err := a.Grow(60); err != nil {
		t.Fatal(err)
	}
	err := b.Grow(50)
	var mle *MemoryLimitError
	if !errors.Is(err, ErrMemoryLimit) || !errors.As(err, &mle) || mle.Needed != 10 {
		t.Fatalf("Grow past the limit: %v", err)
	}
	if want := "Out of Memory Error: memory limit of 100 B exceeded while testing (needed 10 B more)"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if err := b.Resize(40); err != nil || p.Used() != 100 || p.Peak() != 100 {
		t.Fatalf("Resize: %v used=%d", err, p.Used())
	}
	a.Close()
	b.Shrink(15)
	if p.Used() != 25 || b.Used() != 25 || b.Peak() != 40 {
		t.Errorf("after release used=%d b=%d", p.Used(), b.Used())
	}
	p.SetLimit(0)
	if err := a.Grow(1 << 40); err != nil {
		t.Errorf("unlimited pool refused: %v", err)
	}
	a.Close()
	b.Close()
	if p.Used() != 0 {
		t.Errorf("used %d after closing", p.Used())
	}
	if DefaultMemoryLimit() <= 0 {
		t.Errorf("DefaultMemoryLimit = %d", DefaultMemoryLimit())
	}
	var nilPool *MemoryPool
	if err := nilPool.NewAccount("x").Grow(1 << 50); err != nil {
		t.Errorf("nil pool refused: %v", err)
	}
}

// inMemory runs mk once without a limit over c's inputs and returns its
// rows as test literals: the reference a spilling run must reproduce.
func inMemory(t *testing.T, c opCase, mk func(ins [][]Operator, env memEnv) Operator) []row {
	t.Helper()
	ins := make([][]Operator, len(c.inputs))
	for i, rows := range c.inputs {
		ins[i] = []Operator{&testSource{types: c.types[i], rows: datums(c.types[i], rows), batchSize: 1024, t: t}}
	}
	op := mk(ins, memEnv{})
	ctx := context.Background()
	if err := op.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer op.Close()
	ts := op.Types()
	var out []row
	for {
		b, err := op.Next(ctx)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < b.Len(); k++ {
			r := row{}
			for c, d := range b.Row(k) {
				r = append(r, literal(ts[c], d))
			}
			out = append(out, r)
		}
	}
}

func literal(t coldata.Type, d coldata.Datum) any {
	if d.Null {
		return nil
	}
	switch t.ID {
	case coldata.Bool:
		return d.B
	case coldata.Int32, coldata.Int64, coldata.Timestamp:
		return int(d.I)
	case coldata.Float64:
		return d.F
	case coldata.Decimal:
		return coldata.FormatDecimal(d.I, int(t.Scale))
	case coldata.Date:
		return coldata.FormatDate(int32(d.I))
	case coldata.String:
		return d.S
	case coldata.Hugeint:
		return d.Int128().String()
	}
	panic("literal: " + t.String())
}

func aggSpillCase(name string, ts []coldata.Type, in []row, groups []int, aggs ...AggSpec) (opCase, func([][]Operator, memEnv) Operator) {
	mk := func(ins [][]Operator, env memEnv) Operator {
		return withReaders(withMemory(NewHashAgg(ins[0], groups, aggs), env))
	}
	return opCase{name: name, types: [][]coldata.Type{ts}, inputs: [][]row{in}, workers: 3}, mk
}

func TestHashAggSpill(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	in := seq(4000, func(i int) row {
		var v any = rng.Intn(1000) - 500
		if i%13 == 0 {
			v = nil
		}
		var s any = fmt.Sprintf("str-%d-%s", rng.Intn(50), strings.Repeat("x", i%7))
		if i%17 == 0 {
			s = nil
		}
		var g any = (i * 7919) % 6007
		if i%101 == 0 {
			g = nil
		}
		return row{g, s, v, fmt.Sprintf("%d.%02d", rng.Intn(100000), rng.Intn(100)), float64(rng.Intn(100)) / 8}
	})
	ts := types(i64, str, i64, coldata.DecimalType(15, 2), f64)
	dec := coldata.DecimalType(38, 2)
	all := []AggSpec{countStar(), agg(AggCount, 2, i64), agg(AggSum, 2, i64), agg(AggAvg, 2, f64),
		agg(AggMin, 1, str), agg(AggMax, 1, str), agg(AggSum, 3, dec), agg(AggAvg, 3, f64),
		agg(AggSum, 4, f64), agg(AggMin, 4, f64), agg(AggMax, 3, coldata.DecimalType(15, 2))}
	cases := []struct {
		name   string
		groups []int
		aggs   []AggSpec
		limit  int64
		spill  bool
	}{
		{"many groups int key", []int{0}, all, 512 << 10, true},
		{"many groups composite", []int{0, 1}, all, 640 << 10, true},
		{"string key", []int{1}, all, 160 << 10, true},
		{"few groups", []int{4}, all, 1 << 20, false},
		{"distinct", []int{0}, []AggSpec{distinct(AggCount, 2, i64), distinct(AggSum, 3, dec),
			distinct(AggAvg, 2, f64), agg(AggSum, 2, i64), distinct(AggCount, 1, i64)}, 512 << 10, true},
		{"distinct few groups", []int{4}, []AggSpec{distinct(AggCount, 1, i64), distinct(AggSum, 2, i64)}, 128 << 10, true},
		{"ungrouped", nil, all, 64 << 10, false},
	}
	for _, tc := range cases {
		c, mk := aggSpillCase(tc.name, ts, in, tc.groups, tc.aggs...)
		c.expected = inMemory(t, c, mk)
		runSpilling(t, c, tc.limit, tc.spill, mk)
	}
}

// TestHashAggRepartition: a limit so small that merged partitions must be
// split again by further hash bits.
func TestHashAggRepartition(t *testing.T) {
	in := seq(60000, func(i int) row { return row{i, i % 7} })
	c, mk := aggSpillCase("repartition", types(i64, i64), in, []int{0}, countStar(), agg(AggSum, 1, i64))
	c.expected = inMemory(t, c, mk)
	r := &spillRun{limit: 96 << 10, t: t}
	c.mk = func(ins [][]Operator) Operator {
		op := mk(ins, r.env())
		r.ops = append(r.ops, op)
		return op
	}
	runVariant(t, c, "repartition", 1, 1024, false)
	r.check("repartition")
}

func TestHashAggLimitBelowOneBatch(t *testing.T) {
	in := seq(5000, func(i int) row { return row{i, i} })
	c, mk := aggSpillCase("tiny", types(i64, i64), in, []int{0, 1}, countStar())
	c.wantErr = "memory limit of 1.0 KiB exceeded while aggregating"
	r := &spillRun{limit: 1 << 10, t: t}
	c.mk = func(ins [][]Operator) Operator { return mk(ins, r.env()) }
	runVariant(t, c, "tiny", 1, 1024, false)
	r.check("tiny")
}

// TestHashAggOneBatchOverLimit: one batch's groups exceed the limit but a
// partition of them fits, so the aggregate spills instead of failing
// (under a tight limit, a large first morsel used to fail the query).
func TestHashAggOneBatchOverLimit(t *testing.T) {
	in := seq(20000, func(i int) row { return row{i, i % 5} })
	c, mk := aggSpillCase("batch over limit", types(i64, i64), in, []int{0}, countStar(), agg(AggSum, 1, i64))
	c.expected = inMemory(t, c, mk)
	r := &spillRun{limit: 64 << 10, t: t}
	c.mk = func(ins [][]Operator) Operator {
		op := mk(ins, r.env())
		r.ops = append(r.ops, op)
		return op
	}
	runVariant(t, c, "batch over limit", 1, 8192, false)
	r.check("batch over limit")
	if r.spilled == 0 {
		t.Error("nothing spilled")
	}
}

func (s joinSpec) mkEnv(ins [][]Operator, env memEnv) Operator {
	jb := NewJoinBuild(ins[0], s.bk)
	jb.env = env
	var res Selector
	if s.residual != nil {
		res = *s.residual
	}
	ps := make([]Operator, len(ins[1]))
	for i, p := range ins[1] {
		ps[i] = NewHashJoin(jb, p, s.pk, s.typ, s.probeOut, s.buildOut, res)
	}
	if len(ps) == 1 {
		return &buildStatsOp{Operator: ps[0], jb: jb}
	}
	return &buildStatsOp{Operator: NewGather(ps), jb: jb}
}

// buildStatsOp exposes the build's spilled bytes to spillRun.
type buildStatsOp struct {
	Operator
	jb *JoinBuild
}

func (o *buildStatsOp) OpStats() OpStats { return o.jb.BuildStats() }

// spillJoinInputs are the join inputs of the spill tests: 2500 build rows
// with strings of varying length and some NULL keys, 1500 probe rows, the
// build rows without NULL keys, and both sides' types.
func spillJoinInputs() (build, probe, noNull []row, bt, pt []coldata.Type) {
	rng := rand.New(rand.NewSource(11))
	build = seq(2500, func(i int) row {
		var k any = rng.Intn(2000)
		if i%97 == 0 {
			k = nil
		}
		return row{k, fmt.Sprintf("b%d-%s", i, strings.Repeat("y", i%9)), rng.Intn(100)}
	})
	probe = seq(1500, func(i int) row {
		var k any = rng.Intn(2500)
		if i%89 == 0 {
			k = nil
		}
		return row{k, rng.Intn(100), fmt.Sprint("p", i)}
	})
	noNull = make([]row, 0, len(build))
	for _, r := range build {
		if r[0] != nil {
			noNull = append(noNull, r)
		}
	}
	bt, pt = types(i64, str, i64), types(i64, i64, str)
	return build, probe, noNull, bt, pt
}

func TestHashJoinSpill(t *testing.T) {
	build, probe, noNull, bt, pt := spillJoinInputs()
	for _, typ := range allJoinTypes {
		for _, res := range []*colCmpSel{nil, {a: 1, b: 5, op: "<"}} {
			s := joinSpec{bk: []int{0}, pk: []int{0}, typ: typ, probeOut: []int{2, 0}, buildOut: []int{1}, residual: res}
			name := typ.String()
			if res != nil {
				name += " residual"
			}
			b := build
			if typ == JoinAntiNullAware && res == nil {
				runSpilling(t, joinCase(name+" null build", bt, pt, build, probe, s), 48<<10, false, s.mkEnv)
				b = noNull
			}
			runSpilling(t, joinCase(name, bt, pt, b, probe, s), 48<<10, true, s.mkEnv)
		}
	}
	// String and composite keys take the general table path.
	s := joinSpec{bk: []int{1, 0}, pk: []int{2, 0}, typ: JoinInner, probeOut: []int{1}, buildOut: []int{2}}
	sb := seq(2000, func(i int) row { return row{i % 50, fmt.Sprint("p", i), i} })
	runSpilling(t, joinCase("composite", bt, pt, sb, probe, s), 48<<10, true, s.mkEnv)
}

// TestHashJoinSpillRepartition: one partition's build rows exceed the
// limit, so it is split again with the next hash bits.
func TestHashJoinSpillRepartition(t *testing.T) {
	build := seq(16000, func(i int) row { return row{i, i} })
	probe := seq(3000, func(i int) row { return row{i * 13, i} })
	s := joinSpec{bk: []int{0}, pk: []int{0}, typ: JoinInner, probeOut: []int{1}, buildOut: []int{1}}
	c := joinCase("repartition", types(i64, i64), types(i64, i64), build, probe, s)
	r := &spillRun{limit: 40 << 10, t: t}
	c.mk = func(ins [][]Operator) Operator {
		op := s.mkEnv(ins, r.env())
		r.ops = append(r.ops, op)
		return op
	}
	runVariant(t, c, "repartition", 3, 1024, false)
	r.check("repartition")
}

func TestHashJoinSpillSkew(t *testing.T) {
	// One key's rows alone exceed the limit: no split can help.
	build := seq(20000, func(i int) row { return row{7, i} })
	s := joinSpec{bk: []int{0}, pk: []int{0}, typ: JoinInner, probeOut: []int{1}, buildOut: []int{1}}
	c := joinCase("skew", types(i64, i64), types(i64, i64), build, []row{{7, 1}}, s)
	c.expected = nil
	c.wantErr = "memory limit of 64.0 KiB exceeded while building the hash table of a join"
	r := &spillRun{limit: 64 << 10, t: t}
	c.mk = func(ins [][]Operator) Operator { return s.mkEnv(ins, r.env()) }
	runVariant(t, c, "skew", 1, 1024, false)
	r.check("skew")
}

// TestSpillFileCorrupt flips bytes of a compressed spill file and checks
// that reading gives errors, never a panic.
func TestSpillFileCorrupt(t *testing.T) {
	ts := []coldata.Type{coldata.TypeInt64, coldata.TypeString}
	b := coldata.NewBatch(ts, 0)
	b.Reset(1000)
	for i := range 1000 {
		b.Vecs[0].I64[i] = int64(i % 7)
		b.Vecs[1].Str[i] = "value-" + string(rune('a'+i%26))
	}
	for pos := 0; pos < 200; pos += 3 {
		f := newSpillFile(memEnv{dir: t.TempDir()}, ts, 1, nil)
		if _, err := f.write(0, b.Vecs, nil, b.N, nil); err != nil {
			t.Fatal(err)
		}
		if f.RawBytes() <= f.partBytes(0) {
			t.Fatalf("block not compressed: raw %d stored %d", f.RawBytes(), f.partBytes(0))
		}
		if pos == 0 { // intact: round trip
			got, err := f.reader(0).next()
			if err != nil || got.N != 1000 || got.Vecs[1].Str[999] != b.Vecs[1].Str[999] {
				t.Fatalf("round trip: %v", err)
			}
		}
		if pos > 0 && int64(pos) < f.size {
			if _, err := f.f.WriteAt([]byte{0xff ^ byte(pos)}, int64(pos)); err != nil {
				t.Fatal(err)
			}
			if _, err := f.reader(0).next(); err == nil && pos < spillHdr {
				t.Errorf("header byte %d corrupted: no error", pos)
			}
		}
		f.Close()
	}
}

// runAggCollect runs an aggregate to the end and returns its rows.
func runAggCollect(t *testing.T, op Operator) [][]coldata.Datum {
	t.Helper()
	ctx := context.Background()
	if err := op.Open(ctx); err != nil {
		t.Fatal(err)
	}
	var out [][]coldata.Datum
	for {
		b, err := op.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			op.Close()
			t.Fatal(err)
		}
		for k := range b.Len() {
			i := selRow(b.Sel, k)
			var r []coldata.Datum
			for _, v := range b.Vecs {
				r = append(r, v.Get(i))
			}
			out = append(out, r)
		}
	}
	if err := op.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestHashAggHugeDistinctSpill: one group whose DISTINCT sets are far
// beyond the limit spills by value partitions and gives the unlimited
// result.
func TestHashAggHugeDistinctSpill(t *testing.T) {
	if testing.Short() {
		t.Skip("large")
	}
	const nInt, nStr = 1_000_000, 200_000
	rng := rand.New(rand.NewSource(5))
	perm := rng.Perm(nInt)
	vals := make([]int64, 0, nInt+nInt/5)
	for _, p := range perm {
		vals = append(vals, int64(p)*7-3_000_000)
	}
	for i := range nInt / 5 { // duplicates
		vals = append(vals, vals[i*3])
	}
	ints := int64Batches(vals)
	var strs []*coldata.Batch
	for from := 0; from < nStr*3/2; from += coldata.DefaultBatchSize {
		to := min(nStr*3/2, from+coldata.DefaultBatchSize)
		b := coldata.NewBatch([]coldata.Type{coldata.TypeString, coldata.TypeInt64}, 0)
		b.Reset(to - from)
		for k := range to - from {
			x := rng.Intn(nStr)
			if from+k < nStr {
				x = from + k
			}
			b.Vecs[0].Str[k] = fmt.Sprintf("distinct-value-%07d", x)
			b.Vecs[1].I64[k] = int64(x % 3)
		}
		strs = append(strs, b)
	}
	i64, str := coldata.TypeInt64, coldata.TypeString
	cases := []struct {
		name    string
		ts      []coldata.Type
		batches []*coldata.Batch
		groups  []int
		aggs    []AggSpec
	}{
		{"int64", []coldata.Type{i64}, ints, nil, []AggSpec{distinct(AggCount, 0, i64), distinct(AggSum, 0, i64),
			countStar(), distinct(AggAvg, 0, coldata.TypeFloat64)}},
		{"string", []coldata.Type{str, i64}, strs, nil, []AggSpec{distinct(AggCount, 0, i64), countStar(),
			distinct(AggSum, 1, i64)}},
		{"string few groups", []coldata.Type{str, i64}, strs, []int{1}, []AggSpec{distinct(AggCount, 0, i64)}},
	}
	for _, c := range cases {
		for _, w := range []int{2} {
			want := runAggCollect(t, NewHashAgg(splitReplay(c.ts, c.batches, w), c.groups, c.aggs))
			pool, dir := NewMemoryPool(4<<20), t.TempDir()
			op := withMemory(NewHashAgg(splitReplay(c.ts, c.batches, w), c.groups, c.aggs), memEnv{pool: pool, dir: dir})
			got := runAggCollect(t, op)
			if fmt.Sprint(sortedRows(got)) != fmt.Sprint(sortedRows(want)) {
				t.Errorf("%s w=%d: got %v, want %v", c.name, w, got, want)
			}
			st := op.(StatsReporter).OpStats()
			if st.SpilledBytes == 0 {
				t.Errorf("%s w=%d: nothing spilled", c.name, w)
			}
			if pool.Used() != 0 {
				t.Errorf("%s w=%d: pool holds %d after Close", c.name, w, pool.Used())
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("%s w=%d: %d spill files left", c.name, w, len(ents))
			}
			t.Logf("%s w=%d: %v spilled %s, pool peak %s", c.name, w, got[0], humanBytes(st.SpilledBytes), humanBytes(pool.Peak()))
		}
	}
}

func sortedRows(rs [][]coldata.Datum) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprint(r)
	}
	slices.Sort(out)
	return out
}
