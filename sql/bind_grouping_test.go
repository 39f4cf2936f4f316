package sql

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/exec"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// runQuery binds, plans and runs text with a memory limit (0: none),
// returning its rows formatted and sorted, and the bytes its operators
// spilled.
func runQuery(t *testing.T, cat Catalog, text string, limit int64, tmp string) ([]string, int64) {
	t.Helper()
	st, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	bd, err := Bind(st.(*Query), cat)
	if err != nil {
		t.Fatal(err)
	}
	phys, err := planner.PlanWith(bd.Plan, planner.PlanOptions{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	opts := exec.BuildOptions{Threads: 2, TempDir: tmp}
	if limit > 0 {
		opts.Memory = exec.NewMemoryPool(limit)
	}
	q, err := exec.Build(phys, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := q.Root.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Root.Close()
	types := planner.Types(phys)
	var out []string
	for {
		b, err := q.Root.Next(ctx)
		if err != nil {
			if strings.Contains(err.Error(), "EOF") {
				break
			}
			t.Fatal(err)
		}
		for k := 0; k < b.Len(); k++ {
			r := b.Row(k)
			parts := make([]string, len(r))
			for i, d := range r {
				parts[i] = coldata.Format(types[i], d)
			}
			out = append(out, strings.Join(parts, "|"))
		}
	}
	sort.Strings(out)
	var spilled int64
	var walk func(p planner.Physical)
	walk = func(p planner.Physical) {
		spilled += q.Figures(p).SpilledBytes
		for _, c := range p.Children() {
			walk(c)
		}
	}
	walk(phys)
	return out, spilled
}

// TestGroupingSetsMaterialized: the plan that materializes the projected
// input once (for aggregates that do not decompose) answers as the
// finest-groups plan, also under a 4 MiB memory limit, where it spills and
// leaves no spill files.
func TestGroupingSetsMaterialized(t *testing.T) {
	cat := testCatalog(t)
	queries := []string{
		"SELECT l_returnflag, l_linestatus, l_shipmode, count(*), sum(l_quantity), round(avg(l_discount), 10), min(l_comment), count(DISTINCT l_suppkey), grouping(l_returnflag, l_shipmode) FROM lineitem GROUP BY ROLLUP (l_returnflag, l_linestatus, l_shipmode)",
		"SELECT l_orderkey, l_suppkey, count(*), max(l_comment), sum(DISTINCT l_quantity) FILTER (WHERE l_tax > 0.04) FROM lineitem GROUP BY CUBE (l_orderkey, l_suppkey)",
		"SELECT n_regionkey, count(*) FROM nation WHERE n_nationkey < 0 GROUP BY GROUPING SETS ((n_regionkey), ())",
	}
	for _, q := range queries {
		want, _ := runQuery(t, cat, q, 0, t.TempDir())
		materializeSets = true
		got, _ := runQuery(t, cat, q, 0, t.TempDir())
		tmp := t.TempDir()
		spilled, n := runQuery(t, cat, q, 4<<20, tmp)
		materializeSets = false
		if strings.Contains(q, "CUBE") && n == 0 {
			t.Errorf("%s: nothing spilled under 4 MiB", q)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: materialized plan differs: %d rows, want %d\n%s", q, len(got), len(want), firstDiff(got, want))
		}
		if strings.Join(spilled, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: under 4 MiB: %d rows, want %d", q, len(spilled), len(want))
		}
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("%s: spill files left: %v", q, left)
		}
	}
}

func firstDiff(got, want []string) string {
	for i := range got {
		if i < len(want) && got[i] != want[i] {
			return "got  " + got[i] + "\nwant " + want[i]
		}
	}
	return ""
}
