package exec

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/storage"
)

// writeKeyFile writes a Parquet file of (k BIGINT, s VARCHAR, v INT) rows
// from keys, rowGroup rows per row group, and opens it.
func writeKeyFile(t *testing.T, name string, keys []int64, rowGroup int64) *scan.File {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	}, nil)
	bld := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer bld.Release()
	for i, k := range keys {
		if k < 0 { // a NULL key
			bld.Field(0).(*array.Int64Builder).AppendNull()
			bld.Field(1).(*array.StringBuilder).AppendNull()
		} else {
			bld.Field(0).(*array.Int64Builder).Append(k)
			bld.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("key%08d", k))
		}
		bld.Field(2).(*array.Int32Builder).Append(int32(i))
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	tbl := array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
	defer tbl.Release()
	path := filepath.Join(t.TempDir(), name+".parquet")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	props := parquet.NewWriterProperties(parquet.WithStats(true), parquet.WithDictionaryDefault(false))
	if err := pqarrow.WriteTable(tbl, out, rowGroup, props, pqarrow.DefaultWriterProps()); err != nil {
		t.Fatal(err)
	}
	f, err := scan.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func keyScan(f *scan.File) *planner.PhysScan {
	cols := f.Columns()
	p := &planner.PhysScan{Table: &storage.Table{Name: "t", Files: []*scan.File{f}, Columns: cols}, ColIdx: []int{0, 1, 2}, Limit: -1}
	for _, c := range cols[:3] {
		p.Out = append(p.Out, planner.ColMeta{Name: c.Name, Type: c.Type})
	}
	return p
}

func joinPlan(probe, build *planner.PhysScan, key int, typ planner.JoinType) *planner.PhysHashJoin {
	j := &planner.PhysHashJoin{Probe: probe, Build: build, ProbeKeys: []int{key}, BuildKeys: []int{key}, Type: typ}
	j.Out = append(j.Out, probe.Out...)
	if typ == planner.JoinInner || typ == planner.JoinLeft {
		j.Out = append(j.Out, build.Out...)
	}
	return j
}

func runPlan(t *testing.T, p planner.Physical, opts BuildOptions) ([]string, *Query) {
	t.Helper()
	opts.Threads = 2
	q, err := Build(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := drain(context.Background(), q.Root)
	_ = q.Root.Close()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(rows)
	return rows, q
}

// TestRuntimeFilterJoin joins a 100,000-row probe file sorted by its key (20
// row groups) with small build sides: the runtime filters must prune row
// groups and rows for inner and semi joins, never for left and anti joins,
// and every join must give the same rows as without runtime filters.
func TestRuntimeFilterJoin(t *testing.T) {
	const n = 100_000
	probeKeys := make([]int64, n)
	for i := range probeKeys {
		probeKeys[i] = int64(i / 2) // two rows per key
	}
	probeKeys[n-1] = -1 // a NULL key
	probeF := writeKeyFile(t, "probe", probeKeys, 5000)

	// build sides: a few keys (IN list), a dense range with holes (bitset),
	// scattered keys (bloom), and a NULL key in each.
	var few, dense, sparse []int64
	for i := int64(0); i < 40; i++ {
		few = append(few, 20_000+i*7)
	}
	for i := int64(10_000); i < 14_000; i++ {
		if i%3 != 0 {
			dense = append(dense, i)
		}
	}
	for i := int64(0); i < 3000; i++ {
		sparse = append(sparse, 25_000+i*i%20_000)
	}
	few, dense, sparse = append(few, -1), append(dense, -1, 999_999_999), append(sparse, -1)

	for _, bc := range []struct {
		name string
		keys []int64
	}{{"few", few}, {"dense", dense}, {"sparse", sparse}} {
		buildF := writeKeyFile(t, "build_"+bc.name, bc.keys, 1000)
		for _, key := range []int{0, 1} { // the int key and the string key
			for _, typ := range []planner.JoinType{planner.JoinInner, planner.JoinSemi, planner.JoinLeft, planner.JoinAnti} {
				name := fmt.Sprintf("%s/key%d/%v", bc.name, key, typ)
				plan := func() (planner.Physical, *planner.PhysScan) {
					ps := keyScan(probeF)
					return joinPlan(ps, keyScan(buildF), key, typ), ps
				}
				p1, _ := plan()
				want, _ := runPlan(t, p1, BuildOptions{NoRuntimeFilters: true})
				p2, ps := plan()
				got, q := runPlan(t, p2, BuildOptions{})
				if !slices.Equal(got, want) {
					t.Errorf("%s: %d rows with runtime filters, %d without", name, len(got), len(want))
					continue
				}
				st := q.scans[ps].(*ScanSource).Stats()
				filtered := typ == planner.JoinInner || typ == planner.JoinSemi
				if !filtered {
					if st.RuntimeFilters != 0 {
						t.Errorf("%s: runtime filter on a join that keeps unmatched probe rows", name)
					}
					continue
				}
				if st.RuntimeFilters == 0 || st.RuntimeRowGroupsPruned == 0 {
					t.Errorf("%s: no row groups pruned: %+v", name, st)
				}
				if bc.name != "few" && key == 0 && st.RowsSkipped == 0 {
					t.Errorf("%s: membership filter removed no rows: %+v", name, st)
				}
				if st.RowsRead >= n/4 {
					t.Errorf("%s: %d rows read", name, st.RowsRead)
				}
				if typ == planner.JoinInner && key == 0 {
					t.Logf("%s: %d rows, %s", name, len(got), q.Annotate(ps))
				}
			}
		}
	}
}

func TestRuntimeFilterSets(t *testing.T) {
	keys := coldata.NewVec(coldata.TypeInt64, 0)
	keys.I64 = []int64{5, 100, 77, 1 << 40}
	preds, set := rtTarget{fileCol: 3}.filterSet(keys, len(keys.I64))
	if len(preds) != 3 || preds[0].Op != scan.OpGe || preds[0].Vals[0].I != 5 || preds[1].Vals[0].I != 1<<40 || preds[2].Op != scan.OpIn || set != nil {
		t.Fatalf("range and IN list: %+v %v", preds, set)
	}
	// Many keys, wide range: a bloom filter that keeps every key.
	keys.I64 = nil
	for i := int64(0); i < 5000; i++ {
		keys.I64 = append(keys.I64, i*i*1000)
	}
	_, set = rtTarget{}.filterSet(keys, len(keys.I64))
	if set == nil || !set.bloom {
		t.Fatal("no bloom filter")
	}
	fp := 0
	for i := int64(0); i < 5000; i++ {
		if !set.hasInt(i * i * 1000) {
			t.Fatalf("bloom lost %d", i*i*1000)
		}
		if set.hasInt(i*i*1000 + 1) {
			fp++
		}
	}
	if fp > 250 {
		t.Fatalf("%d false positives of 5000", fp)
	}
}

// TestRuntimeFilterThroughAggregate joins an aggregate grouped by (k, s)
// with a small build side on both keys: each key column's membership filter
// must reach the scan below the aggregate (the aggregate starts its workers
// only after the build finished) and remove most rows before they are
// grouped, with the same result as without runtime filters.
func TestRuntimeFilterThroughAggregate(t *testing.T) {
	const n = 60_000
	probeKeys := make([]int64, n)
	for i := range probeKeys {
		probeKeys[i] = int64(i*7919) % 20_000 // three rows per key, scattered
	}
	probeF := writeKeyFile(t, "probe", probeKeys, 10_000)
	var build []int64
	for i := int64(0); i < 300; i++ {
		build = append(build, i*i%20_000)
	}
	buildF := writeKeyFile(t, "build", append(build, -1), 1000)
	plan := func() (planner.Physical, *planner.PhysScan) {
		ps := keyScan(probeF)
		agg := &planner.PhysHashAgg{Input: ps, Groups: []int{0, 1},
			Aggs: []planner.PhysAgg{{Func: planner.AggSum, Arg: 2, Typ: coldata.TypeInt64}}}
		agg.Out = append(agg.Out, ps.Out[0], ps.Out[1], planner.ColMeta{Name: "sum", Type: coldata.TypeInt64})
		bs := keyScan(buildF)
		j := &planner.PhysHashJoin{Probe: agg, Build: bs, ProbeKeys: []int{0, 1}, BuildKeys: []int{0, 1}, Type: planner.JoinInner}
		j.Out = append(append(j.Out, agg.Out...), bs.Out...)
		return j, ps
	}
	p1, _ := plan()
	want, _ := runPlan(t, p1, BuildOptions{NoRuntimeFilters: true})
	p2, ps := plan()
	got, q := runPlan(t, p2, BuildOptions{})
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("%d rows with runtime filters, %d without", len(got), len(want))
	}
	st := q.scans[ps].(*ScanSource).Stats()
	if st.RuntimeFilters != 2 || st.RowsSkipped < n*9/10 {
		t.Fatalf("the filters did not reach the scan below the aggregate: %+v", st)
	}
}

// TestScanAccountsReaderBuffers checks that a scan books the column chunks
// its reader fetched, not just the batch it hands out.
func TestScanAccountsReaderBuffers(t *testing.T) {
	keys := make([]int64, 50_000)
	for i := range keys {
		keys[i] = int64(i)
	}
	ps := keyScan(writeKeyFile(t, "held", keys, 50_000))
	_, q := runPlan(t, ps, BuildOptions{})
	text := q.Annotate(ps)
	parse := func(label string) float64 {
		i := strings.Index(text, label)
		if i < 0 {
			t.Fatalf("no %q in %s", label, text)
		}
		var v float64
		var unit string
		if _, err := fmt.Sscanf(strings.TrimSuffix(strings.SplitN(text[i+len(label):], ",", 2)[0], "]"), "%g %s", &v, &unit); err != nil {
			t.Fatalf("%q in %s: %v", label, text, err)
		}
		return v * map[string]float64{"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[unit]
	}
	if mem, read := parse("memory: "), parse("bytes read: "); read < 100<<10 || mem < read {
		t.Fatalf("scan booked %.0f bytes having fetched %.0f: %s", mem, read, text)
	}
}
