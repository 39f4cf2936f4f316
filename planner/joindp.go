package planner

import (
	"math"
	"math/bits"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// maxDPRelations bounds exhaustive join ordering: DP over subsets costs
// O(3^n), about 59K split checks at 10 relations.
const maxDPRelations = 10

// dpEntry is the best plan found for a set of relations.
type dpEntry struct {
	cost, rows  float64
	left, right uint64 // the split; 0 for a single relation
}

// dpJoins finds the join tree with the least total cost, where a join costs
// its estimated output rows plus its hash table's build side, rows
// weighted by width (the C_out cost model, plus building). A join with no hash key between
// its sides (only a condition such as d3.d_date > d1.d_date + 5) runs as a
// cross product filtered by that condition, so it also costs every pair it
// tests. Only splits linked by some condition are considered, so cross
// products are never introduced; a disconnected query returns nil and
// falls back to greedy ordering.
func (o *optimizer) dpJoins(g *joinGraph, rels []Node) Node {
	n := len(rels)
	full := uint64(1)<<n - 1
	best := make([]*dpEntry, full+1)
	for i := 0; i < n; i++ {
		best[1<<i] = &dpEntry{rows: g.card[i]}
	}
	for set := uint64(1); set <= full; set++ {
		if bits.OnesCount64(set) < 2 {
			continue
		}
		// Enumerate splits {a, set\a} once each (a holds the lowest bit).
		low := set & -set
		for a := (set - 1) & set; a > 0; a = (a - 1) & set {
			if a&low == 0 {
				continue
			}
			b := set ^ a
			ea, eb := best[a], best[b]
			if ea == nil || eb == nil {
				continue
			}
			cost, ok := g.joinCost(a, b, ea, eb)
			if !ok {
				continue
			}
			if cur := best[set]; cur == nil || cost < cur.cost {
				best[set] = &dpEntry{cost: cost, rows: g.rows(set), left: a, right: b}
			}
		}
	}
	if best[full] == nil {
		return nil
	}
	return o.buildTree(g, rels, full, func(set uint64) (uint64, uint64) {
		return best[set].left, best[set].right
	})
}

// joinCost is the cost of joining the best plans ea (of set a) and eb (of
// b); ok is false when no condition links a and b.
func (g *joinGraph) joinCost(a, b uint64, ea, eb *dpEntry) (float64, bool) {
	hash, theta := g.link(a, b)
	if !hash && !theta {
		return 0, false
	}
	cost := ea.cost + eb.cost + g.rows(a|b) + math.Min(g.buildCost(a), g.buildCost(b))
	if !hash {
		cost += ea.rows * eb.rows
	}
	return cost, true
}

// buildTree turns the chosen splits into joins: split(set) returns the two
// halves of set (0, 0 for a single relation). The smaller half (by
// estimate) is the build side; each join gets one key per equivalence class
// spanning its halves, and the other conditions as soon as their
// relations are all joined.
func (o *optimizer) buildTree(g *joinGraph, rels []Node, full uint64, split func(uint64) (uint64, uint64)) Node {
	used := make([]bool, len(g.others))
	var build func(set uint64) Node
	build = func(set uint64) Node {
		l, r := split(set)
		if l == 0 {
			return rels[bits.TrailingZeros64(set)]
		}
		if g.buildCost(l) < g.buildCost(r) {
			l, r = r, l // the cheaper side is built into the hash table
		}
		left, right := build(l), build(r)
		var here []expr.Expr
		for _, c := range g.class {
			// One key per class that spans both sides.
			var lc, rc *expr.Column
			for _, m := range c.members {
				if lc == nil && l&(1<<m.rel) != 0 {
					lc = m.col
				}
				if rc == nil && r&(1<<m.rel) != 0 {
					rc = m.col
				}
			}
			if lc != nil && rc != nil {
				here = append(here, &expr.Func{Op: expr.OpEq, Args: []expr.Expr{lc, rc}, Typ: coldata.TypeBool})
			}
		}
		for ci, c := range g.others {
			if !used[ci] && g.refs[ci] != 0 && g.refs[ci]&set == g.refs[ci] {
				here = append(here, c)
				used[ci] = true
			}
		}
		j := &Join{Type: JoinInner, Left: left, Right: right, Est: g.rows(set)}
		j.LeftKeys, j.RightKeys, j.Cond = splitKeys(here, IDs(left.Cols()), IDs(right.Cols()))
		return j
	}
	root := build(full)
	var rest []expr.Expr
	for ci, c := range g.others {
		if !used[ci] {
			rest = append(rest, c) // constant conditions
		}
	}
	return filterOver(root, rest)
}

// colEquality matches `column = column`.
func colEquality(c expr.Expr) (*expr.Column, *expr.Column, bool) {
	f, ok := c.(*expr.Func)
	if !ok || f.Op != expr.OpEq {
		return nil, nil, false
	}
	a, okA := f.Args[0].(*expr.Column)
	b, okB := f.Args[1].(*expr.Column)
	return a, b, okA && okB
}

// classes is a union-find over columns.
type classes struct {
	parent map[ColID]ColID
	cols   map[ColID]*expr.Column
	order  []ColID
}

func newClasses() *classes {
	return &classes{parent: map[ColID]ColID{}, cols: map[ColID]*expr.Column{}}
}

func (c *classes) find(x ColID) ColID {
	for c.parent[x] != x {
		c.parent[x] = c.parent[c.parent[x]]
		x = c.parent[x]
	}
	return x
}

func (c *classes) add(col *expr.Column) {
	if _, ok := c.parent[col.Index]; !ok {
		c.parent[col.Index] = col.Index
		c.cols[col.Index] = col
		c.order = append(c.order, col.Index)
	}
}

func (c *classes) union(a, b *expr.Column) {
	c.add(a)
	c.add(b)
	ra, rb := c.find(a.Index), c.find(b.Index)
	if ra != rb {
		c.parent[rb] = ra
	}
}

// groups returns the classes in first-seen order, members in order too.
func (c *classes) groups() [][]*expr.Column {
	idx := map[ColID]int{}
	var out [][]*expr.Column
	for _, id := range c.order {
		r := c.find(id)
		k, ok := idx[r]
		if !ok {
			k = len(out)
			idx[r] = k
			out = append(out, nil)
		}
		out[k] = append(out[k], c.cols[id])
	}
	return out
}
