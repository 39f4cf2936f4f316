package planner

import (
	"math"
	"math/bits"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// dpBudget bounds exhaustive join ordering: the connected subsets and
// subset pairs the enumeration may visit before it gives the region to
// greedy ordering. A star of n relations has (n-1)·2^(n-2) pairs (11,264
// at 12 relations), a chain (n³-n)/6 (10,660 at 40), a clique
// (3^n - 2^(n+1) + 1)/2 (9,330 at 9). At about half a microsecond a pair
// (BenchmarkDPhypStar) this keeps the search under about 10 ms; the
// largest region of the TPC-H and TPC-DS queries the engine plans below
// it visits 5,469 (TPC-DS Q72's 11 relations, two of them the right sides
// of LEFT joins); TPC-DS Q64's 18 go greedy.
const dpBudget = 20000

// dpEntry is the best plan found for a set of relations.
type dpEntry struct {
	cost, rows  float64
	left, right uint64 // the split; 0 for a single relation
}

// dpJoins finds the join tree with the least total cost, where a join costs
// its estimated output rows plus its hash table's build side, rows
// weighted by width (the C_out cost model, plus building). A join with no
// hash key between its sides (only a condition such as d3.d_date >
// d1.d_date + 5) runs as a cross product filtered by that condition, so it
// also costs every pair it tests. Only splits linked by some condition are
// considered, so cross products are never introduced.
//
// The enumeration is DPhyp (Moerkotte and Neumann, "Dynamic Programming
// Strikes Back", SIGMOD 2008): it visits only connected subsets of the
// join graph and, for each, only the connected subsets of its complement
// linked to it, each pair once, in an order in which both halves' best
// plans are final before the pair is costed. Conditions over three or more
// relations are hyperedges, and the right side of a LEFT join in the
// region (leftUnit) hangs on a hyperedge from the relations its ON
// condition reads. It returns nil when the relations are not all
// connected or the search would pass dpBudget; the caller orders them
// greedily instead.
func (o *optimizer) dpJoins(g *joinGraph, rels []Node) Node {
	full := uint64(1)<<g.n - 1
	d := &dphyp{g: g, best: make(map[uint64]*dpEntry, 4*g.n)}
	for i := 0; i < g.n; i++ {
		d.best[1<<i] = &dpEntry{rows: g.card[i]}
	}
	if !d.solve() || d.best[full] == nil {
		return nil
	}
	return o.buildTree(g, rels, full, func(set uint64) (uint64, uint64) {
		return d.best[set].left, d.best[set].right
	})
}

// orderRegion orders a join graph's relations: by dynamic programming
// when they are connected and the search fits dpBudget, greedily
// otherwise.
func (o *optimizer) orderRegion(g *joinGraph, rels []Node) Node {
	if n := o.dpJoins(g, rels); n != nil {
		return n
	}
	return o.greedyJoins(g, rels)
}

// dphyp is the state of one DPhyp enumeration; relations are numbered by
// bit, and "below v" means the relations with a lower number.
type dphyp struct {
	g     *joinGraph
	best  map[uint64]*dpEntry
	steps int
	pairs int // linked pairs costed
}

// solve runs the enumeration; false when it passed dpBudget.
func (d *dphyp) solve() bool {
	for v := d.g.n - 1; v >= 0; v-- {
		s := uint64(1) << v
		if !d.emitCsg(s) || !d.csgRec(s, s<<1-1) {
			return false
		}
	}
	return true
}

// spend counts one visited subset or pair against dpBudget.
func (d *dphyp) spend() bool {
	d.steps++
	return d.steps <= dpBudget
}

// csgRec grows the connected subset s1 by its neighbours outside x: every
// connected superset is emitted (its complements paired with it), then
// grown further with the neighbours excluded, so none is reached twice.
func (d *dphyp) csgRec(s1, x uint64) bool {
	nb := d.g.neighbours(s1, x)
	for sub := nb & -nb; sub != 0; sub = nextSubset(sub, nb) {
		if !d.spend() {
			return false
		}
		if d.best[s1|sub] != nil && !d.emitCsg(s1|sub) {
			return false
		}
	}
	for sub := nb & -nb; sub != 0; sub = nextSubset(sub, nb) {
		if !d.csgRec(s1|sub, x|nb) {
			return false
		}
	}
	return true
}

// emitCsg pairs the connected subset s1 with every connected subset of
// the relations above its lowest one that is linked to it.
func (d *dphyp) emitCsg(s1 uint64) bool {
	low := s1 & -s1
	x := s1 | (low - 1)
	nb := d.g.neighbours(s1, x)
	for rest := nb; rest != 0; {
		v := 63 - bits.LeadingZeros64(rest)
		s2 := uint64(1) << v
		rest &^= s2
		if d.g.joinable(s1, s2) {
			if !d.spend() {
				return false
			}
			d.emitPair(s1, s2)
		}
		if !d.cmpRec(s1, s2, x|(nb&(s2<<1-1))) {
			return false
		}
	}
	return true
}

// cmpRec grows the complement s2 of s1 by its neighbours outside x.
func (d *dphyp) cmpRec(s1, s2, x uint64) bool {
	nb := d.g.neighbours(s2, x)
	for sub := nb & -nb; sub != 0; sub = nextSubset(sub, nb) {
		if !d.spend() {
			return false
		}
		if d.best[s2|sub] != nil && d.g.joinable(s1, s2|sub) {
			d.emitPair(s1, s2|sub)
		}
	}
	x |= nb
	for sub := nb & -nb; sub != 0; sub = nextSubset(sub, nb) {
		if !d.cmpRec(s1, s2|sub, x) {
			return false
		}
	}
	return true
}

// emitPair costs the join of the best plans of a and b and keeps it when
// it is the cheapest plan of a ∪ b so far. Equal costs go to the split
// whose side holding the set's lowest relation is the larger number, so
// the choice does not depend on the order pairs are enumerated in.
func (d *dphyp) emitPair(a, b uint64) {
	d.pairs++
	set := a | b
	if a&(set&-set) == 0 {
		a, b = b, a
	}
	ea, eb := d.best[a], d.best[b]
	cost, ok := d.g.joinCost(a, b, ea, eb)
	if !ok {
		return
	}
	if cur := d.best[set]; cur == nil || cost < cur.cost || (cost == cur.cost && a > cur.left) {
		d.best[set] = &dpEntry{cost: cost, rows: d.g.rows(set), left: a, right: b}
	}
}

// nextSubset steps through the non-empty subsets of mask in increasing
// order, returning 0 after the last.
func nextSubset(sub, mask uint64) uint64 {
	return (sub - mask) & mask
}

// joinCost is the cost of joining the best plans ea (of set a) and eb (of
// b); ok is false when no condition links a and b. The right side of a
// LEFT join is always its build side.
func (g *joinGraph) joinCost(a, b uint64, ea, eb *dpEntry) (float64, bool) {
	hash, theta := g.link(a, b)
	if !hash && !theta {
		return 0, false
	}
	ca, cb := ea.rows*g.setWidth(a), eb.rows*g.setWidth(b)
	build := math.Min(ca, cb)
	if u := g.unitSide(a, b); u == a {
		build = ca
	} else if u == b && u != 0 {
		build = cb
	}
	cost := ea.cost + eb.cost + g.rows(a|b) + build
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
		if u := g.unitSide(l, r); u != 0 {
			if l == u {
				l, r = r, l
			}
			return g.leftJoin(build(l), build(r), l, r, used)
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
		here = append(here, g.completed(set, used)...)
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

// completed returns the other conditions whose relations are all in set
// and not yet placed, marking them placed.
func (g *joinGraph) completed(set uint64, used []bool) []expr.Expr {
	var out []expr.Expr
	for ci, c := range g.others {
		if !used[ci] && g.refs[ci] != 0 && g.refs[ci]&set == g.refs[ci] {
			out = append(out, c)
			used[ci] = true
		}
	}
	return out
}

// leftJoin joins the plan of the relations l to the right side of a LEFT
// join r (a unit) on its ON condition. Conditions from above the LEFT
// join that it completes are a filter over it: in its ON they would pad
// the rows they reject with NULLs instead of dropping them.
func (g *joinGraph) leftJoin(left, right Node, l, r uint64, used []bool) Node {
	u := g.units[g.unitOf[bits.TrailingZeros64(r)]]
	j := &Join{Type: JoinLeft, Left: left, Right: right, Est: math.Max(1, g.rows(l)*u.fan)}
	j.LeftKeys, j.RightKeys, j.Cond = splitKeys(u.on, IDs(left.Cols()), IDs(right.Cols()))
	return filterOver(j, g.completed(l|r, used))
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
