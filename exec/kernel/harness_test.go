package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// The harness runs every case the way CockroachDB's colexectestutils does:
// the same rows as one batch and split into batches of 1, 2 and 3 rows,
// embedded among junk rows behind a random selection vector, and with every
// input NULL (over garbage values). Each run is compared with the reference
// evaluator, row by row; filters are checked against the rows where the
// reference says TRUE.

type tcase struct {
	name  string
	types []coldata.Type
	rows  [][]coldata.Datum
	e     expr.Expr
	want  []string // formatted results per row; nil: the reference decides
	err   string   // the whole input must fail with this (substring)
}

func runCases(t *testing.T, cases []tcase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runCase(t, tc) })
	}
}

// refResult is the oracle's answer for one row.
type refResult struct {
	d   coldata.Datum
	err error
}

func refAll(e expr.Expr, rows [][]coldata.Datum) []refResult {
	out := make([]refResult, len(rows))
	for i, r := range rows {
		d, err := refEval(e, r)
		out[i] = refResult{d, err}
	}
	return out
}

func runCase(t *testing.T, tc tcase) {
	t.Helper()
	ref := refAll(tc.e, tc.rows)
	typ := tc.e.Type()
	// The reference must agree with the hand-written expectations first.
	if tc.err != "" {
		failed := false
		for _, r := range ref {
			failed = failed || r.err != nil
		}
		if !failed {
			t.Fatalf("reference does not fail on %s", tc.e)
		}
	}
	if tc.want != nil {
		if len(tc.want) != len(tc.rows) {
			t.Fatalf("want %d results for %d rows", len(tc.want), len(tc.rows))
		}
		for i, r := range ref {
			if r.err != nil {
				t.Fatalf("row %d: reference error %v", i, r.err)
			}
			if got := coldata.Format(typ, r.d); !sameText(typ, got, tc.want[i]) {
				t.Fatalf("row %d of %s: reference gives %s, want %s", i, tc.e, got, tc.want[i])
			}
		}
	}
	if tc.err != "" {
		ev, err := Compile(tc.e, tc.types)
		if err != nil {
			t.Fatalf("compile %s: %v", tc.e, err)
		}
		_, err = ev.Eval(makeBatch(tc.types, tc.rows))
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Fatalf("eval %s: error %v, want %q", tc.e, err, tc.err)
		}
	}
	checkVariants(t, tc.e, tc.types, prepareVariants(tc.types, tc.rows), ref)
	nullRows := allNull(len(tc.rows), len(tc.types))
	checkVariants(t, tc.e, tc.types, prepareVariants(tc.types, nullRows), refAll(tc.e, nullRows))
}

func allNull(n, cols int) [][]coldata.Datum {
	rows := make([][]coldata.Datum, n)
	for i := range rows {
		rows[i] = make([]coldata.Datum, cols)
		for j := range rows[i] {
			rows[i][j] = coldata.NullDatum
		}
	}
	return rows
}

var batchSizes = []int{1, 2, 3, 1024}

// variant is one way of feeding the rows: batches[k] holds rows
// [starts[k], starts[k]+live rows of batches[k]).
type variant struct {
	name    string
	batches []*coldata.Batch
	starts  []int
}

// prepareVariants lays the rows out in batches of every size, with and
// without a random selection. Batches are shared by every expression run
// over them, which also checks that kernels never write to their input.
func prepareVariants(types []coldata.Type, rows [][]coldata.Datum) []variant {
	rng := rand.New(rand.NewPCG(uint64(len(rows)), 7))
	var out []variant
	for _, size := range batchSizes {
		for _, withSel := range []bool{false, true} {
			v := variant{name: fmt.Sprintf("size=%d sel=%v", size, withSel)}
			for start := 0; start < len(rows); start += size {
				end := min(start+size, len(rows))
				v.batches = append(v.batches, buildBatch(rng, types, rows[start:end], withSel))
				v.starts = append(v.starts, start)
			}
			out = append(out, v)
		}
	}
	return out
}

func checkVariants(t *testing.T, e expr.Expr, types []coldata.Type, vs []variant, ref []refResult) {
	t.Helper()
	for _, v := range vs {
		ev, err := Compile(e, types)
		if err != nil {
			t.Fatalf("%s: compile %s: %v", v.name, e, err)
		}
		var f *Filter
		if e.Type().ID == coldata.Bool {
			if f, err = CompileFilter(e, types); err != nil {
				t.Fatalf("%s: compile filter %s: %v", v.name, e, err)
			}
		}
		for k, b := range v.batches {
			r := ref[v.starts[k] : v.starts[k]+b.Len()]
			checkEval(t, v.name, ev, e, b, r)
			if f != nil {
				checkFilter(t, v.name, f, e, b, r)
			}
		}
	}
}

// buildBatch lays rows out in a batch. With sel, junk rows (random values,
// some NULL) surround the live ones and b.Sel lists the live rows in order,
// which is not always ascending.
func buildBatch(rng *rand.Rand, types []coldata.Type, rows [][]coldata.Datum, withSel bool) *coldata.Batch {
	var layout [][]coldata.Datum
	var sel []int32
	for _, r := range rows {
		if withSel {
			for range rng.IntN(3) {
				layout = append(layout, junkRow(rng, types))
			}
			sel = append(sel, int32(len(layout)))
		}
		layout = append(layout, r)
	}
	if withSel && rng.IntN(2) == 0 {
		layout = append(layout, junkRow(rng, types))
	}
	if withSel && rng.IntN(2) == 0 {
		// Selections need not be ascending: shuffle where the rows live.
		perm := rng.Perm(len(layout))
		shuffled := make([][]coldata.Datum, len(layout))
		for i, r := range layout {
			shuffled[perm[i]] = r
		}
		layout = shuffled
		for k := range sel {
			sel[k] = int32(perm[sel[k]])
		}
	}
	b := makeBatch(types, layout)
	if withSel {
		b.Sel = sel
		if sel == nil {
			b.Sel = []int32{}
		}
	}
	return b
}

func junkRow(rng *rand.Rand, types []coldata.Type) []coldata.Datum {
	r := make([]coldata.Datum, len(types))
	for i, t := range types {
		r[i] = randDatum(rng, t, 0.2)
	}
	return r
}

// makeBatch stores rows; NULL slots get garbage values, which kernels must
// ignore.
func makeBatch(types []coldata.Type, rows [][]coldata.Datum) *coldata.Batch {
	b := coldata.NewBatch(types, len(rows))
	rng := rand.New(rand.NewPCG(uint64(len(rows)), 11))
	for i, r := range rows {
		for j, d := range r {
			if d.Null {
				g := randDatum(rng, types[j], 0)
				b.Vecs[j].Set(i, g)
				b.Vecs[j].SetNull(i)
				continue
			}
			b.Vecs[j].Set(i, d)
		}
	}
	return b
}

func checkEval(t *testing.T, name string, ev *Evaluator, e expr.Expr, b *coldata.Batch, ref []refResult) {
	t.Helper()
	var refErr error
	for _, r := range ref {
		if r.err != nil {
			refErr = r.err
			break
		}
	}
	v, err := ev.Eval(b)
	if refErr != nil {
		if err == nil {
			t.Fatalf("%s: %s: no error, reference fails with %v", name, e, refErr)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: %s: %v", name, e, err)
	}
	if v.Type.ID != coldata.Unknown && v.Len() < b.N {
		t.Fatalf("%s: %s: result length %d < batch %d", name, e, v.Len(), b.N)
	}
	typ := e.Type()
	for k := range ref {
		i := k
		if b.Sel != nil {
			i = int(b.Sel[k])
		}
		got, want := coldata.Format(typ, v.Get(i)), coldata.Format(typ, ref[k].d)
		if !sameText(typ, got, want) {
			t.Fatalf("%s: %s row %d (%v): got %s, want %s", name, e, k, b.Row(k), got, want)
		}
	}
}

func checkFilter(t *testing.T, name string, f *Filter, e expr.Expr, b *coldata.Batch, ref []refResult) {
	t.Helper()
	var want []int32
	for k, r := range ref {
		if r.err != nil {
			return // reordered conjuncts may legitimately avoid the error
		}
		if !r.d.Null && r.d.B {
			if b.Sel != nil {
				want = append(want, b.Sel[k])
			} else {
				want = append(want, int32(k))
			}
		}
	}
	fb := &coldata.Batch{Vecs: b.Vecs, N: b.N, Sel: slices.Clone(b.Sel)}
	if err := f.Select(fb); err != nil {
		t.Fatalf("%s: filter %s: %v", name, e, err)
	}
	got := fb.Sel
	if got == nil {
		got = make([]int32, fb.N)
		for i := range got {
			got[i] = int32(i)
		}
	}
	if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Fatalf("%s: filter %s: got rows %v, want %v", name, e, got, want)
	}
}

// sameText compares formatted values, doubles with a relative tolerance of a
// few ulps (decimal-to-double conversions of wide values may round twice).
func sameText(t coldata.Type, a, b string) bool {
	if a == b {
		return true
	}
	if t.ID != coldata.Float64 {
		return false
	}
	var x, y float64
	if _, err := fmt.Sscan(a, &x); err != nil {
		return false
	}
	if _, err := fmt.Sscan(b, &y); err != nil {
		return false
	}
	return math.Abs(x-y) <= 1e-15*math.Max(math.Abs(x), math.Abs(y))
}

// randDatum draws a value of type t, NULL with probability pNull, favouring
// edge values.
func randDatum(rng *rand.Rand, t coldata.Type, pNull float64) coldata.Datum {
	if rng.Float64() < pNull || t.ID == coldata.Unknown {
		return coldata.NullDatum
	}
	edge := rng.IntN(4) == 0
	switch t.ID {
	case coldata.Bool:
		return coldata.Datum{B: rng.IntN(2) == 0}
	case coldata.Int32:
		if edge {
			return coldata.Datum{I: []int64{0, 1, -1, math.MaxInt32, math.MinInt32, 46341}[rng.IntN(6)]}
		}
		return coldata.Datum{I: rng.Int64N(2001) - 1000}
	case coldata.Int64:
		if edge {
			return coldata.Datum{I: []int64{0, 1, -1, math.MaxInt64, math.MinInt64, 3037000500}[rng.IntN(6)]}
		}
		return coldata.Datum{I: rng.Int64N(2_000_001) - 1_000_000}
	case coldata.Float64:
		if edge {
			return coldata.Datum{F: []float64{0, math.Copysign(0, -1), 1, -1.5, 2.5, math.NaN(), math.Inf(1), math.Inf(-1), 1e300}[rng.IntN(9)]}
		}
		return coldata.Datum{F: math.Round(rng.NormFloat64()*1e5) / 100}
	case coldata.Decimal:
		lim := coldata.Pow10[min(t.Precision, 18)] - 1
		if edge {
			return coldata.Datum{I: []int64{0, 1, -1, lim, -lim, 5, -5, 50}[rng.IntN(8)]}
		}
		return coldata.Datum{I: rng.Int64N(min(lim, 1_000_000)*2+1) - min(lim, 1_000_000)}
	case coldata.String:
		words := []string{"", "a", "abc", "green", "forest green", "ABC", "héllo", "日本語", " pad ", "%_\\", "1", "-12", "3.5", "true", "1995-03-15", "x_y%z"}
		return coldata.Datum{S: words[rng.IntN(len(words))]}
	case coldata.Date:
		if edge {
			return coldata.Datum{I: []int64{0, -1, 59, 11016, -719528, 2932896, 19782}[rng.IntN(7)]}
		}
		return coldata.Datum{I: rng.Int64N(40000) - 10000}
	case coldata.Timestamp:
		if edge {
			return coldata.Datum{I: []int64{0, -1, 1, 951782400000000, -86400000001}[rng.IntN(5)]}
		}
		return coldata.Datum{I: rng.Int64N(4e15) - 1e15}
	case coldata.List:
		elems := make([]coldata.Datum, rng.IntN(5))
		for i := range elems {
			elems[i] = randDatum(rng, t.Nest.Elem, 0.2)
		}
		return coldata.ListDatum(elems...)
	}
	return coldata.NullDatum
}
