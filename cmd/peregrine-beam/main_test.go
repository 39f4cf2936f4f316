package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/metrics"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/bench/tpch"
	"github.com/peregrinedb/peregrine/cmd/internal/resultfmt"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// The repository's TPC-H SF 0.01, rewritten with row groups of 1,000 rows
// (lineitem: 61) so that scans have several splits; with these options
// joins whose build side exceeds 64 KiB are shuffled, so queries run with
// real hash exchanges, as at a large scale factor.
var shuffleFlags = []string{"--quiet", "--split-rows", "5000", "--workers", "4", "--broadcast-limit", "65536"}

var (
	dataOnce sync.Once
	dataDir  string
	dataErr  error
)

func smallRowGroups(t *testing.T) string {
	dataOnce.Do(func() {
		dataDir, dataErr = os.MkdirTemp("", "peregrine-beam-sf001-")
		if dataErr == nil {
			dataErr = tpch.Rechunk(context.Background(), "../../testdata/tpch-sf0.01-duckdb", dataDir, 1000)
		}
	})
	if dataErr != nil {
		t.Fatal(dataErr)
	}
	return dataDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if dataDir != "" {
		os.RemoveAll(dataDir)
	}
	os.Exit(code)
}

// runCLI runs the command in this process (prism runs here too).
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return out.String(), errb.String(), code
}

// parseCSV reads the CSV output: header, then rows. A one-column row
// holding NULL is an empty line, which encoding/csv would skip.
func parseCSV(t *testing.T, text string) [][]string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) > 0 && !strings.Contains(lines[0], ",") {
		var rows [][]string
		for _, l := range lines[1:] {
			rows = append(rows, []string{strings.Trim(l, `"`)})
		}
		return rows
	}
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, text)
	}
	if len(recs) == 0 {
		t.Fatal("no header")
	}
	return recs[1:]
}

// TestTPCH runs the 22 queries through prism and compares them with the
// reference answers.
func TestTPCH(t *testing.T) {
	dir := smallRowGroups(t)
	for q := 1; q <= 22; q++ {
		text, _ := tpch.Query(q)
		want, _ := tpch.ReferenceAnswer("0.01", q)
		args := append(append([]string{}, shuffleFlags...), "--format", "csv", dir, "-c", text)
		out, errs, code := runCLI(t, args...)
		if code != 0 {
			t.Errorf("Q%d: exit %d: %s", q, code, errs)
			continue
		}
		if err := tpch.Check(want, parseCSV(t, out)); err != nil {
			t.Errorf("Q%d: %v", q, err)
		}
	}
}

// TestExchangesCrossed checks, from the pipeline's own metrics, that an
// aggregation's partial states and both sides of a shuffled join crossed
// hash exchanges between tasks.
func TestExchangesCrossed(t *testing.T) {
	dir := smallRowGroups(t)
	sql := `SELECT o_orderpriority, count(*) AS n, sum(l_extendedprice) AS s
		FROM orders JOIN lineitem ON l_orderkey = o_orderkey GROUP BY o_orderpriority ORDER BY 1`
	c, data, err := flags(append(append([]string{}, shuffleFlags...), dir, "-c", sql), os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	db, err := peregrine.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d, err := db.PlanDistributed(sql, c.opts)
	if err != nil {
		t.Fatal(err)
	}
	resDir := t.TempDir()
	q := query{Data: data, SQL: sql, Opts: c.opts, Fingerprint: d.Fingerprint, Result: resDir}
	res, err := runJob(context.Background(), "prism", buildPipeline(d, q), func(metrics.Results) {}, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	counts := fragmentCounters(res.metrics)
	var joins, aggs int
	for _, f := range d.Plan.Fragments {
		j, ok := findNode[*planner.PhysHashJoin](f.Root)
		if ok && isHash(j.Probe) && isHash(j.Build) {
			joins++
			checkCrossed(t, d, counts, f, j.Probe.(*planner.PhysExchange), j.Build.(*planner.PhysExchange))
		}
		if a, ok := findNode[*planner.PhysFinalAgg](f.Root); ok && isHash(a.Input) {
			aggs++
			checkCrossed(t, d, counts, f, a.Input.(*planner.PhysExchange))
		}
	}
	if joins == 0 || aggs == 0 {
		t.Errorf("%d shuffled joins and %d exchanged aggregations in the plan, want one of each:\n%s", joins, aggs, d.Explain())
	}
	out, err := openResult(context.Background(), resDir, planner.Types(d.Plan.Root().Root))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	n := 0
	for {
		b, err := out.Next(context.Background())
		if err != nil {
			break
		}
		n += b.Len()
	}
	if n != 5 {
		t.Errorf("%d result rows, want 5", n)
	}
}

// checkCrossed asserts that fragment f ran as several tasks that received
// rows, and that each producer sent rows through the runner.
func checkCrossed(t *testing.T, d *peregrine.Distributed, counts map[int]map[string]int64, f *planner.Fragment, xs ...*planner.PhysExchange) {
	t.Helper()
	c := counts[f.ID]
	if c["tasks"] < 2 || c["rows_in"] == 0 {
		t.Errorf("stage %d: %d tasks, %d rows in; want several tasks receiving rows", f.ID, c["tasks"], c["rows_in"])
	}
	for _, x := range xs {
		p := counts[x.From.ID]
		if p["rows_out"] == 0 || p["bytes_out"] == 0 || p["tasks"] < 2 {
			t.Errorf("stage %d (feeding stage %d): %d tasks sent %d rows, %d bytes", x.From.ID, f.ID, p["tasks"], p["rows_out"], p["bytes_out"])
		}
	}
}

func isHash(p planner.Physical) bool {
	x, ok := p.(*planner.PhysExchange)
	return ok && x.Kind == planner.ExchangeHash
}

func findNode[T planner.Physical](p planner.Physical) (T, bool) {
	if n, ok := p.(T); ok {
		return n, true
	}
	for _, c := range p.Children() {
		if n, ok := findNode[T](c); ok {
			return n, true
		}
	}
	var zero T
	return zero, false
}

// TestFailingSplitNamed corrupts one row group of lineitem: the query
// fails, naming the fragment, the split, the file and its row groups.
func TestFailingSplitNamed(t *testing.T) {
	src := smallRowGroups(t)
	dir := t.TempDir()
	for _, tab := range []string{"lineitem", "orders"} {
		b, err := os.ReadFile(filepath.Join(src, tab+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, tab+".parquet"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "lineitem.parquet")
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var off int64
	rows, err := db.Query(context.Background(), fmt.Sprintf(
		"SELECT coalesce(dictionary_page_offset, data_page_offset) FROM parquet_metadata('%s') WHERE row_group_id = 30 AND path_in_schema = 'l_quantity'", file))
	if err != nil {
		t.Fatal(err)
	}
	b, err := rows.Next(context.Background())
	if err != nil || b == nil {
		t.Fatal(err, b)
	}
	row := 0
	if b.Sel != nil {
		row = int(b.Sel[0])
	}
	off = b.Vecs[0].I64[row]
	rows.Close()
	db.Close()
	f, err := os.OpenFile(file, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xff}, 32), off); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, errs, code := runCLI(t, "--quiet", "--split-rows", "5000", dir, "-c", "SELECT sum(l_quantity) FROM lineitem")
	if code == 0 {
		t.Fatalf("a corrupt row group did not fail the query (offset %d): %s", off, errs)
	}
	for _, want := range []string{"fragment 1", "split", "of lineitem", "lineitem.parquet row groups", "Error:"} {
		if !strings.Contains(errs, want) {
			t.Errorf("error lacks %q:\n%s", want, errs)
		}
	}
	if strings.Count(strings.TrimSpace(errs), "\n") > 2 {
		t.Errorf("error is not a short message:\n%s", errs)
	}
}

// TestOutParquet writes a result as Parquet files and reads them back.
func TestOutParquet(t *testing.T) {
	dir := smallRowGroups(t)
	out := filepath.Join(t.TempDir(), "res")
	_, errs, code := runCLI(t, "--quiet", "--split-rows", "5000", "--out", out, dir, "-c",
		"SELECT l_returnflag, l_linestatus, count(*) AS n FROM lineitem GROUP BY 1, 2")
	if code != 0 {
		t.Fatal(errs)
	}
	ents, _ := os.ReadDir(out)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if len(names) < 2 || strings.HasPrefix(names[0], ".") {
		t.Fatalf("files %v, want several part files and no staging folder", names)
	}
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(context.Background(), fmt.Sprintf("SELECT count(*), sum(n) FROM read_parquet('%s/*.parquet')", out))
	if err != nil {
		t.Fatal(err)
	}
	b, err := rows.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// sum(BIGINT) is a HUGEINT, as in DuckDB.
	if g, n := b.Vecs[0].I64[0], b.Vecs[1].I128[0]; g != 4 || n != coldata.Int128From(60175) {
		t.Errorf("%d groups of %d rows, want 4 of 60175", g, n)
	}
	rows.Close()
}

// TestFinalAggSpills runs a GROUP BY of lineitem's 60K (order, line) pairs
// under a memory limit below what the final aggregation's table needs:
// the final merge spills (the pipeline's spilled_bytes counter says so)
// and the result equals the local query's without a limit. One hash
// partition: the partition's buffered exchange input cannot spill, and
// with two final tasks at once one's table could crowd out the other's
// buffer.
func TestFinalAggSpills(t *testing.T) {
	dir := smallRowGroups(t)
	sql := `SELECT l_orderkey, l_linenumber, count(*) AS n, sum(l_extendedprice) AS s,
		avg(l_quantity) AS a, min(l_comment) AS c FROM lineitem GROUP BY l_orderkey, l_linenumber`
	args := append(append([]string{}, shuffleFlags...), "--workers", "1", "--max-partitions", "1",
		"--memory-limit", "12MB", dir, "-c", sql)
	c, data, err := flags(args, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	db, limit, err := c.open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d, err := db.PlanDistributed(sql, c.opts)
	if err != nil {
		t.Fatal(err)
	}
	resDir := t.TempDir()
	q := query{Data: data, SQL: sql, Opts: c.opts, Fingerprint: d.Fingerprint, MemoryLimit: limit, Result: resDir}
	res, err := runJob(context.Background(), "prism", buildPipeline(d, q), func(metrics.Results) {}, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	counts := fragmentCounters(res.metrics)
	finals := 0
	for _, f := range d.Plan.Fragments {
		if a, ok := findNode[*planner.PhysFinalAgg](f.Root); ok && isHash(a.Input) {
			finals++
			if c := counts[f.ID]; c["spilled_bytes"] == 0 {
				t.Errorf("stage %d: %d tasks spilled %d bytes under %d bytes of memory",
					f.ID, c["tasks"], c["spilled_bytes"], limit)
			} else {
				t.Logf("stage %d: %d tasks spilled %d bytes under a %d-byte limit", f.ID, c["tasks"], c["spilled_bytes"], limit)
			}
		}
	}
	if finals == 0 {
		t.Fatalf("no exchanged final aggregation in the plan:\n%s", d.Explain())
	}
	out, err := openResult(context.Background(), resDir, planner.Types(d.Plan.Root().Root))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var got bytes.Buffer
	if err := resultfmt.Print(context.Background(), &got, "csv", d.ResultRows(out.Next)); err != nil {
		t.Fatal(err)
	}
	local, err := peregrine.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	rows, err := local.Query(context.Background(), sql)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := resultfmt.Print(context.Background(), &want, "csv", rows); err != nil {
		t.Fatal(err)
	}
	g, w := sortedLines(got.String()), sortedLines(want.String())
	if len(w) < 60_000 || !slices.Equal(g, w) {
		t.Fatalf("%d rows through prism, %d locally; they differ", len(g), len(w))
	}
}

func sortedLines(s string) []string {
	l := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	slices.Sort(l)
	return l
}
