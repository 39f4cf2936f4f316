package planner

import (
	"math"
	"math/bits"
	"math/rand"
	"testing"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// dpsub is exhaustive dynamic programming over every subset and every
// split of it (what the planner ran before DPhyp), as an oracle: the least
// cost of a plan for all relations, false when there is none.
func dpsub(g *joinGraph) (float64, bool) {
	full := uint64(1)<<g.n - 1
	best := make([]*dpEntry, full+1)
	for i := 0; i < g.n; i++ {
		best[1<<i] = &dpEntry{rows: g.card[i]}
	}
	for set := uint64(1); set <= full; set++ {
		if bits.OnesCount64(set) < 2 {
			continue
		}
		for a := (set - 1) & set; a > 0; a = (a - 1) & set {
			b := set ^ a
			if best[a] == nil || best[b] == nil {
				continue
			}
			if cost, ok := g.joinCost(a, b, best[a], best[b]); ok && (best[set] == nil || cost < best[set].cost) {
				best[set] = &dpEntry{cost: cost, rows: g.rows(set)}
			}
		}
	}
	if best[full] == nil {
		return 0, false
	}
	return best[full].cost, true
}

func eq(a, b expr.Expr) expr.Expr {
	return &expr.Func{Op: expr.OpEq, Args: []expr.Expr{a, b}, Typ: coldata.TypeBool}
}

// randomGraph builds a join graph of n relations with random sizes, key
// equalities, theta conditions over two or three relations, and some
// relations as the right sides of LEFT joins on earlier relations.
func randomGraph(rng *rand.Rand, n int) *joinGraph {
	e := newEstimator()
	rels := make([]testRel, n)
	for i := range rels {
		rows := math.Floor(math.Pow(10, 1+5*rng.Float64()))
		rels[i] = testRel{rows: rows, baseRows: rows * float64(1+rng.Intn(3)), ndv: []float64{math.Max(1, math.Floor(rows/float64(1+rng.Intn(20)))), float64(1 + rng.Intn(1000))}}
	}
	g, nodes, cols := testGraph(e, rels, nil)
	isUnit := make([]bool, n)
	var units []leftUnit
	for i := 2; i < n; i++ {
		if rng.Intn(4) == 0 {
			isUnit[i] = true
			t := rng.Intn(i)
			on := []expr.Expr{eq(cols[t][rng.Intn(2)], cols[i][0])}
			if rng.Intn(3) == 0 {
				// An ON condition over two relations of the left side.
				u := rng.Intn(i)
				on = append(on, &expr.Func{Op: expr.OpGt, Args: []expr.Expr{cols[u][1], cols[i][1]}, Typ: coldata.TypeBool})
			}
			units = append(units, leftUnit{rel: i, on: on})
		}
	}
	var conds []expr.Expr
	// A spanning tree of equalities over the inner relations, then extra
	// edges.
	var inner []int
	for i := 0; i < n; i++ {
		if !isUnit[i] {
			inner = append(inner, i)
		}
	}
	for k := 1; k < len(inner); k++ {
		a, b := inner[rng.Intn(k)], inner[k]
		conds = append(conds, eq(cols[a][rng.Intn(2)], cols[b][rng.Intn(2)]))
	}
	for k := rng.Intn(n); k > 0; k-- {
		a, b, c := rng.Intn(n), rng.Intn(n), rng.Intn(n)
		if a == b || isUnit[a] && isUnit[b] {
			continue
		}
		switch rng.Intn(3) {
		case 0:
			if !isUnit[a] && !isUnit[b] {
				conds = append(conds, eq(cols[a][rng.Intn(2)], cols[b][rng.Intn(2)]))
			}
		case 1:
			conds = append(conds, &expr.Func{Op: expr.OpLt, Args: []expr.Expr{cols[a][1], cols[b][1]}, Typ: coldata.TypeBool})
		default:
			if c != a && c != b {
				sum := &expr.Func{Op: expr.OpAdd, Args: []expr.Expr{cols[a][1], cols[b][1]}, Typ: coldata.TypeInt64}
				conds = append(conds, &expr.Func{Op: expr.OpGt, Args: []expr.Expr{sum, cols[c][1]}, Typ: coldata.TypeBool})
			}
		}
	}
	ids := make([]map[ColID]bool, n)
	for i, nd := range nodes {
		ids[i] = IDs(nd.Cols())
	}
	return newJoinGraph(e, nodes, ids, g.card, conds, units)
}

// TestDPhypMatchesExhaustive: on random join graphs (hyperedges and LEFT
// joins included) DPhyp finds a plan exactly when exhaustive DP does, of
// the same least cost.
func TestDPhypMatchesExhaustive(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for iter := 0; iter < 3000; iter++ {
		n := 2 + rng.Intn(8)
		g := randomGraph(rng, n)
		want, ok := dpsub(g)
		d := &dphyp{g: g, best: map[uint64]*dpEntry{}}
		for i := 0; i < n; i++ {
			d.best[1<<i] = &dpEntry{rows: g.card[i]}
		}
		if !d.solve() {
			t.Fatalf("graph %d: over budget", iter)
		}
		got := d.best[uint64(1)<<n-1]
		if (got != nil) != ok {
			t.Fatalf("graph %d (%d relations): DPhyp plan %v, exhaustive %v", iter, n, got != nil, ok)
		}
		if ok && math.Abs(got.cost-want) > 1e-9*want {
			t.Fatalf("graph %d (%d relations): DPhyp cost %v, exhaustive %v", iter, n, got.cost, want)
		}
	}
}

// TestDPhypPairs: DPhyp costs each connected pair of subsets once: a
// chain of n relations has (n³-n)/6 such pairs, a star (n-1)·2^(n-2), a
// clique (3^n - 2^(n+1) + 1)/2.
func TestDPhypPairs(t *testing.T) {
	shapes := map[string]struct {
		edges func(n int) [][2]int
		pairs func(n int) int
	}{
		"chain": {func(n int) (e [][2]int) {
			for i := 1; i < n; i++ {
				e = append(e, [2]int{i - 1, i})
			}
			return e
		}, func(n int) int { return (n*n*n - n) / 6 }},
		"star": {func(n int) (e [][2]int) {
			for i := 1; i < n; i++ {
				e = append(e, [2]int{0, i})
			}
			return e
		}, func(n int) int { return (n - 1) << (n - 2) }},
		"clique": {func(n int) (e [][2]int) {
			for i := 0; i < n; i++ {
				for j := i + 1; j < n; j++ {
					e = append(e, [2]int{i, j})
				}
			}
			return e
		}, func(n int) int { return (int(math.Pow(3, float64(n))) - 1<<(n+1) + 1) / 2 }},
	}
	for name, s := range shapes {
		for _, n := range []int{3, 6, 9} {
			rels := make([]testRel, n)
			for i := range rels {
				rels[i] = testRel{rows: 1000, baseRows: 1000, ndv: make([]float64, n)}
				for k := range rels[i].ndv {
					rels[i].ndv[k] = 100
				}
			}
			var eqs [][4]int
			for _, e := range s.edges(n) {
				// A distinct column per edge: no classes merge.
				eqs = append(eqs, [4]int{e[0], e[1], e[1], e[0]})
			}
			g, _, _ := testGraph(newEstimator(), rels, eqs)
			d := &dphyp{g: g, best: map[uint64]*dpEntry{}}
			for i := 0; i < n; i++ {
				d.best[1<<i] = &dpEntry{rows: g.card[i]}
			}
			if !d.solve() {
				t.Fatalf("%s %d: over budget", name, n)
			}
			if want := s.pairs(n); d.pairs != want {
				t.Errorf("%s of %d: %d pairs costed, want %d", name, n, d.pairs, want)
			}
		}
	}
}

// BenchmarkDPhypStar orders a star of 13 relations (24,576 pairs), the
// planning cost per pair that dpBudget is set by.
func BenchmarkDPhypStar(b *testing.B) {
	const n = 13
	rels := make([]testRel, n)
	rels[0] = testRel{rows: 1e7, baseRows: 1e7, ndv: make([]float64, n)}
	for k := range rels[0].ndv {
		rels[0].ndv[k] = 1000
	}
	var eqs [][4]int
	for i := 1; i < n; i++ {
		rels[i] = testRel{rows: float64(10 * i), baseRows: 1000, ndv: []float64{1000}}
		eqs = append(eqs, [4]int{0, i, i, 0})
	}
	for i := 0; i < b.N; i++ {
		g, nodes, _ := testGraph(newEstimator(), rels, eqs)
		o := &optimizer{est: g.est}
		if o.dpJoins(g, nodes) == nil {
			b.Fatal("no plan")
		}
	}
}
