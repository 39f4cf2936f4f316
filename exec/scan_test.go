package exec

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/scan"
)

const tpchDir = "/work/shared/tpch"

func openTPCH(t *testing.T, table string) *scan.File {
	t.Helper()
	f, err := scan.Open(tpchDir + "/duckdb-sf0.01/" + table + ".parquet")
	if err != nil {
		t.Skipf("TPC-H data not available: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func colIndex(t *testing.T, f *scan.File, names ...string) []int {
	t.Helper()
	var out []int
	for _, n := range names {
		found := false
		for i, c := range f.Columns() {
			if c.Name == n {
				out = append(out, i)
				found = true
			}
		}
		if !found {
			t.Fatalf("no column %s", n)
		}
	}
	return out
}

func scanWorkers(src *ScanSource, n int) []Operator {
	ws := make([]Operator, n)
	for i := range ws {
		ws[i] = NewScan(src)
	}
	return ws
}

// TestScanQ1 runs the part of TPC-H Q1 that needs no arithmetic kernels
// (scan → filter → parallel hash aggregate → sort) and compares it with
// DuckDB's answer.
func TestScanQ1(t *testing.T) {
	li := openTPCH(t, "lineitem")
	cols := colIndex(t, li, "l_returnflag", "l_linestatus", "l_quantity", "l_extendedprice", "l_discount", "l_shipdate")
	for _, copies := range []int{1, 2} {
		files := make([]*scan.File, copies)
		for i := range files {
			files[i] = li
		}
		src := newTestScanSource(files, cols, nil, -1)
		cutoff, _ := coldata.ParseDate("1998-09-02")
		ws := scanWorkers(src, 3)
		for i, w := range ws {
			ws[i] = NewFilter(w, cmpSel{col: 5, op: "<", val: int64(cutoff) + 1})
		}
		d38 := coldata.DecimalType(38, 2)
		agg := NewHashAgg(ws, []int{0, 1}, []AggSpec{
			agg(AggSum, 2, d38), agg(AggSum, 3, d38), agg(AggAvg, 2, f64), agg(AggAvg, 3, f64), agg(AggAvg, 4, f64), countStar()})
		op := NewSort([]Operator{agg}, []SortKey{{Col: 0}, {Col: 1}})
		got, err := drain(context.Background(), op)
		if err != nil {
			t.Fatal(err)
		}
		_ = op.Close()
		data, err := os.ReadFile(tpchDir + "/answers/sf0.01/q01.csv")
		if err != nil {
			t.Skip(err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")[1:]
		if len(got) != len(lines) {
			t.Fatalf("%d groups, want %d", len(got), len(lines))
		}
		for i, line := range lines {
			w := strings.Split(line, "|")
			g := strings.Split(got[i], "|")
			qty, _ := strconv.ParseFloat(w[2], 64)
			price, _ := strconv.ParseFloat(w[3], 64)
			cnt, _ := strconv.Atoi(w[9])
			want := []string{w[0], w[1],
				coldata.FormatDecimal(int64(qty*100+0.5)*int64(copies), 2),
				coldata.FormatDecimal(int64(price*100+0.5)*int64(copies), 2),
				w[6], w[7], w[8], strconv.Itoa(cnt * copies)}
			if strings.Join(g, "|") != strings.Join(want, "|") {
				t.Errorf("copies=%d group %d:\ngot  %s\nwant %s", copies, i, got[i], strings.Join(want, "|"))
			}
		}
		st := src.Stats()
		if st.Files != int64(copies) || st.RowGroupsRead != st.RowGroups || st.RowsRead != int64(60175*copies) || st.BytesRead == 0 {
			t.Errorf("stats %+v", st)
		}
	}
}

// TestScanJoin joins lineitem to orders (broadcast build shared by the
// probe workers) and checks every line finds its order.
func TestScanJoin(t *testing.T) {
	li, ord := openTPCH(t, "lineitem"), openTPCH(t, "orders")
	build := scanWorkers(newTestScanSource([]*scan.File{ord}, colIndex(t, ord, "o_orderkey", "o_orderdate"), nil, -1), 2)
	jb := NewJoinBuild(build, []int{0})
	probe := scanWorkers(newTestScanSource([]*scan.File{li}, colIndex(t, li, "l_orderkey", "l_shipdate"), nil, -1), 2)
	for i, p := range probe {
		probe[i] = NewHashJoin(jb, p, []int{0}, JoinInner, []int{1}, []int{1}, nil)
	}
	op := NewHashAgg(probe, nil, []AggSpec{countStar(), agg(AggMin, 0, dt), agg(AggMax, 1, dt)})
	got, err := drain(context.Background(), op)
	if err != nil {
		t.Fatal(err)
	}
	_ = op.Close()
	if len(got) != 1 || !strings.HasPrefix(got[0], "60175|") {
		t.Fatalf("got %v", got)
	}
	// Orders without lineitems (anti join) — TPC-H has none.
	jb2 := NewJoinBuild([]Operator{NewScan(newTestScanSource([]*scan.File{li}, colIndex(t, li, "l_orderkey"), nil, -1))}, []int{0})
	anti := NewHashJoin(jb2, NewScan(newTestScanSource([]*scan.File{ord}, colIndex(t, ord, "o_orderkey"), nil, -1)),
		[]int{0}, JoinAnti, []int{0}, nil, nil)
	got, err = drain(context.Background(), anti)
	if err != nil || len(got) != 0 {
		t.Fatalf("anti: %d rows, %v", len(got), err)
	}
	_ = anti.Close()
}

func TestScanPruneAndLimit(t *testing.T) {
	li := openTPCH(t, "lineitem")
	cols := colIndex(t, li, "l_orderkey", "l_shipdate")
	late, _ := coldata.ParseDate("2000-01-01")
	src := newTestScanSource([]*scan.File{li}, cols, []scan.Predicate{{Col: cols[1], Op: scan.OpGt, Vals: []coldata.Datum{{I: int64(late)}}}}, -1)
	rows, err := drain(context.Background(), NewGather(scanWorkers(src, 2)))
	if err != nil || len(rows) != 0 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if st := src.Stats(); st.RowGroupsPruned != 1 || st.RowGroupsRead != 0 {
		t.Fatalf("stats %+v", st)
	}

	src = newTestScanSource([]*scan.File{li}, cols, nil, 100)
	op := NewLimit(NewGather(scanWorkers(src, 2)), 0, 100)
	rows, err = drain(context.Background(), op)
	_ = op.Close()
	if err != nil || len(rows) != 100 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if st := src.Stats(); st.RowsRead > 2*coldata.DefaultBatchSize {
		t.Fatalf("limit pushdown read %d rows", st.RowsRead)
	}
}

func TestScanManyRowGroups(t *testing.T) {
	f, err := scan.Open("/work/shared/parquet-testing/data/floating_orders_nan_count.parquet")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var cols []int
	for i, c := range f.Columns() {
		if c.Unsupported == "" {
			cols = append(cols, i)
		}
	}
	src := newTestScanSource([]*scan.File{f, f}, cols, nil, -1)
	op := NewHashAgg(scanWorkers(src, 3), nil, []AggSpec{countStar()})
	rows, err := drain(context.Background(), op)
	_ = op.Close()
	if err != nil || len(rows) != 1 || rows[0] != "100" {
		t.Fatalf("%v %v", rows, err)
	}
	if st := src.Stats(); st.RowGroups != 10 || st.RowGroupsRead != 10 || st.RowsRead != 100 {
		t.Fatalf("stats %+v", st)
	}
	bad := NewScan(newTestScanSource([]*scan.File{f}, []int{99}, nil, -1))
	if err := bad.Open(context.Background()); err == nil {
		t.Fatal("out of range column accepted")
	}
}

// newTestScanSource derives the column types from the first file, as the
// catalog does for the planner.
func newTestScanSource(files []*scan.File, cols []int, preds []scan.Predicate, limit int64) *ScanSource {
	ts := make([]coldata.Type, len(cols))
	if len(files) > 0 {
		fc := files[0].Columns()
		for i, c := range cols {
			if c >= 0 && c < len(fc) {
				ts[i] = fc[c].Type
			}
		}
	}
	return NewScanSource(files, cols, ts, preds, limit)
}
