package peregrine_test

import (
	"context"
	"math/rand"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/bench/tpch"
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
)

// runLocal runs a distributed plan the way a distributed engine does, in
// this process: every task of every fragment on its own, each hash
// partition's elements to that partition's task only, broadcast and
// gathered elements to every task, and elements in a shuffled order (an
// engine promises none). It returns the result rows as the reference
// answers print them.
func runLocal(ctx context.Context, d *peregrine.Distributed, seed int64) ([][]string, error) {
	rng := rand.New(rand.NewSource(seed))
	outs := map[int][][][]byte{}
	for _, f := range d.Plan.Fragments {
		parts := 1
		if f.Output.Kind == planner.ExchangeHash {
			parts = f.Output.Partitions
		}
		out := make([][][]byte, parts)
		for task := 0; task < f.Tasks(); task++ {
			var elems [][]byte
			seen := map[int]bool{}
			for _, x := range f.Inputs {
				if seen[x.From.ID] {
					continue
				}
				seen[x.From.ID] = true
				src := outs[x.From.ID]
				if x.Kind == planner.ExchangeHash {
					elems = append(elems, src[task]...)
					continue
				}
				for _, p := range src {
					elems = append(elems, p...)
				}
			}
			rng.Shuffle(len(elems), func(i, j int) { elems[i], elems[j] = elems[j], elems[i] })
			pass := func() func() ([]byte, bool) {
				i := 0
				return func() ([]byte, bool) {
					if i >= len(elems) {
						return nil, false
					}
					i++
					return elems[i-1], true
				}
			}
			_, err := d.RunTask(ctx, f.ID, task, pass, func(part int, data []byte) error {
				out[part] = append(out[part], data)
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		outs[f.ID] = out
	}
	types := make([]coldata.Type, len(d.Columns))
	for i, c := range d.Columns {
		types[i] = c.Type
	}
	var rows [][]string
	for _, p := range outs[d.Plan.Root().ID] {
		for _, e := range p {
			b, err := peregrine.DecodeBatch(e, types)
			if err != nil {
				return nil, err
			}
			rows = append(rows, tpch.FormatRows(b)...)
		}
	}
	return rows, nil
}

var (
	smallRGOnce sync.Once
	smallRGDir  string
	smallRGErr  error
)

// smallRowGroups is the repository's SF 0.01 data with row groups of 1,000
// rows (lineitem: 61 of them), written once per test binary.
func smallRowGroups(t *testing.T) string {
	smallRGOnce.Do(func() {
		dir, err := os.MkdirTemp("", "peregrine-sf001-rg1000-")
		if err != nil {
			smallRGErr = err
			return
		}
		smallRGDir = dir
		smallRGErr = tpch.Rechunk(context.Background(), duckdbSF001, dir, 1000)
	})
	if smallRGErr != nil {
		t.Fatal(smallRGErr)
	}
	return smallRGDir
}

// shuffleOpts makes SF 0.01 plan like a large scale factor: small splits,
// few broadcasts (build sides over 64 KiB are shuffled).
var shuffleOpts = planner.DistOptions{SplitRows: 5000, Workers: 4, BroadcastBytes: 64 << 10}

func TestDistributedTPCH(t *testing.T) {
	db, err := peregrine.Open(smallRowGroups(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for _, opts := range []planner.DistOptions{shuffleOpts, {}} {
		for _, q := range allQueries {
			text, _ := tpch.Query(q)
			want, _ := tpch.ReferenceAnswer("0.01", q)
			d, err := db.PlanDistributed(text, opts)
			if err != nil {
				t.Fatalf("Q%d: %v", q, err)
			}
			got, err := runLocal(ctx, d, int64(q))
			if err != nil {
				t.Fatalf("Q%d: %v\n%s", q, err, d.Explain())
			}
			if err := tpch.Check(want, got); err != nil {
				t.Errorf("Q%d (%+v): %v\n%s", q, opts, err, d.Explain())
			}
		}
	}
}

// TestDistributedExchanges checks the cuts themselves: an aggregation is
// partial before a hash exchange on its keys and final after it, and a join
// of two large sides shuffles both.
func TestDistributedExchanges(t *testing.T) {
	db, err := peregrine.Open(smallRowGroups(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d, err := db.PlanDistributed(`SELECT o_orderpriority, count(*), sum(l_extendedprice), avg(l_quantity)
		FROM orders JOIN lineitem ON l_orderkey = o_orderkey GROUP BY o_orderpriority`, shuffleOpts)
	if err != nil {
		t.Fatal(err)
	}
	text := d.Explain()
	for _, want := range []string{"splits of lineitem", "splits of orders", "PARTIAL_AGGREGATE", "FINAL_AGGREGATE",
		"HASH (o_orderpriority) into", "HASH (l_orderkey) into", "HASH (o_orderkey) into"} {
		if !strings.Contains(text, want) {
			t.Errorf("plan lacks %q:\n%s", want, text)
		}
	}
	var join *planner.PhysHashJoin
	for _, f := range d.Plan.Fragments {
		if j, ok := findJoin(f.Root); ok {
			join = j
			if f.Kind != planner.FragPartitions {
				t.Errorf("the join runs in a %s fragment", f.Kind)
			}
		}
	}
	if join == nil {
		t.Fatalf("no join:\n%s", text)
	}
	for _, side := range []planner.Physical{join.Probe, join.Build} {
		if x, ok := side.(*planner.PhysExchange); !ok || x.Kind != planner.ExchangeHash {
			t.Errorf("join side %s is not a hash exchange:\n%s", planner.DescribeDistributed(side), text)
		}
	}
	got, err := runLocal(context.Background(), d, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Errorf("%d groups, want 5", len(got))
	}
}

func findJoin(p planner.Physical) (*planner.PhysHashJoin, bool) {
	if j, ok := p.(*planner.PhysHashJoin); ok {
		return j, true
	}
	for _, c := range p.Children() {
		if j, ok := findJoin(c); ok {
			return j, true
		}
	}
	return nil, false
}

func TestMain(m *testing.M) {
	code := m.Run()
	if smallRGDir != "" {
		os.RemoveAll(smallRGDir)
	}
	os.Exit(code)
}

// TestDistributedSplits checks that a scan's splits cover each row group
// exactly once, in file order, and follow the options.
func TestDistributedSplits(t *testing.T) {
	db, err := peregrine.Open(smallRowGroups(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		opts      planner.DistOptions
		min, most int
	}{
		{planner.DistOptions{}, 8, 8},                             // 61 row groups, 60K rows: MinSplits
		{planner.DistOptions{SplitRows: 5000}, 12, 13},            // about 5,000 rows each
		{planner.DistOptions{SplitRows: 1, MinSplits: 1}, 61, 61}, // one row group each at most
		{planner.DistOptions{MinSplits: 1}, 1, 1},
	} {
		d, err := db.PlanDistributed("SELECT sum(l_quantity) FROM lineitem", tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		f := d.Plan.Fragments[0]
		if f.Kind != planner.FragSplits || len(f.Splits) < tc.min || len(f.Splits) > tc.most {
			t.Fatalf("%+v: %d splits, want %d..%d:\n%s", tc.opts, len(f.Splits), tc.min, tc.most, d.Explain())
		}
		next, rows := 0, int64(0)
		for _, s := range f.Splits {
			for _, p := range s.Pieces {
				if p.File != 0 || p.From != next || p.To <= p.From {
					t.Fatalf("%+v: piece %+v after row group %d", tc.opts, p, next)
				}
				next = p.To
			}
			rows += s.Rows
		}
		if n := f.Scan.Table.Files[0].NumRowGroups(); next != n || rows != 60175 {
			t.Errorf("%+v: splits end at row group %d of %d with %d rows", tc.opts, next, n, rows)
		}
	}
}
