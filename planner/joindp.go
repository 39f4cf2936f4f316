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
	left, right uint32 // the split; 0 for a single relation
}

// dpJoins finds the join tree with the least total cost, where a join costs
// its estimated output rows plus the rows of its hash table's build side
// (the C_out cost model, plus building). Only splits connected by a
// predicate are considered; a disconnected query returns nil and falls
// back to greedy ordering, which introduces cross products.
func (o *optimizer) dpJoins(rels []Node, ids []map[ColID]bool, card []float64, conds []expr.Expr) Node {
	n := len(rels)
	full := uint32(1)<<n - 1
	relOf := func(col ColID) int {
		for i := range rels {
			if ids[i][col] {
				return i
			}
		}
		return -1
	}
	// Column equalities across relations form equivalence classes: a = b
	// and b = c also join a with c (transitive join keys), and a class
	// filters a set of relations once per relation it adds, not once per
	// predicate (no double counting of the same key).
	classes := newClasses()
	var others []expr.Expr
	for _, c := range conds {
		if a, b, ok := colEquality(c); ok && relOf(a.Index) >= 0 && relOf(b.Index) >= 0 && relOf(a.Index) != relOf(b.Index) && a.Typ == b.Typ {
			classes.union(a, b)
			continue
		}
		others = append(others, c)
	}
	type member struct {
		col *expr.Column
		rel int
	}
	var groups [][]member
	for _, cols := range classes.groups() {
		var g []member
		for _, c := range cols {
			g = append(g, member{col: c, rel: relOf(c.Index)})
		}
		groups = append(groups, g)
	}
	classSel := make([]float64, len(groups))
	for gi, g := range groups {
		// The class's distinct values: its smallest table's key (see
		// keyNDV), raised to the largest distinct count measured from the
		// files, since |A ⋈ B| = |A|·|B| / max(ndv(a), ndv(b)).
		d := math.Inf(1)
		measured := 0.0
		for _, m := range g {
			if info, ok := o.est.cols[m.col.Index]; ok {
				if v := o.est.ndv(m.col.Index, info.rows); info.rows < d || v < d {
					d = math.Min(d, v)
				}
				if b := o.est.base(m.col.Index); b.measured {
					measured = math.Max(measured, b.d)
				}
			}
		}
		if math.IsInf(d, 1) {
			d = 1 / selEq
		}
		d = math.Max(d, measured)
		classSel[gi] = 1 / math.Max(d, 1)
	}
	refs := make([]uint32, len(others))
	for ci, c := range others {
		for col := range expr.Columns(c) {
			if r := relOf(col); r >= 0 {
				refs[ci] |= 1 << r
			}
		}
	}
	classRels := make([]uint32, len(groups))
	for gi, g := range groups {
		for _, m := range g {
			classRels[gi] |= 1 << m.rel
		}
	}
	best := make([]*dpEntry, full+1)
	rows := make([]float64, full+1)
	for i := 0; i < n; i++ {
		best[1<<i] = &dpEntry{rows: card[i]}
		rows[1<<i] = card[i]
	}
	// rowsOf estimates a set's join size independently of how it is split.
	rowsOf := func(set uint32) float64 {
		if rows[set] > 0 {
			return rows[set]
		}
		r := 1.0
		for i := 0; i < n; i++ {
			if set&(1<<i) != 0 {
				r *= card[i]
			}
		}
		for gi := range groups {
			if k := bits.OnesCount32(classRels[gi] & set); k > 1 {
				r *= math.Pow(classSel[gi], float64(k-1))
			}
		}
		for ci, c := range others {
			if refs[ci] != 0 && refs[ci]&set == refs[ci] && bits.OnesCount32(refs[ci]) > 1 {
				r *= o.est.condSelectivity(c, card, ids)
			}
		}
		r = math.Max(r, 1)
		rows[set] = r
		return r
	}
	connected := func(a, b uint32) bool {
		for gi := range groups {
			if classRels[gi]&a != 0 && classRels[gi]&b != 0 {
				return true
			}
		}
		for ci := range others {
			if refs[ci]&a != 0 && refs[ci]&b != 0 && refs[ci]&^(a|b) == 0 {
				return true
			}
		}
		return false
	}
	for set := uint32(1); set <= full; set++ {
		if bits.OnesCount32(set) < 2 {
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
			if ea == nil || eb == nil || !connected(a, b) {
				continue
			}
			out := rowsOf(set)
			cost := ea.cost + eb.cost + out + math.Min(ea.rows, eb.rows)
			if cur := best[set]; cur == nil || cost < cur.cost {
				best[set] = &dpEntry{cost: cost, rows: out, left: a, right: b}
			}
		}
	}
	if best[full] == nil {
		return nil
	}
	used := make([]bool, len(others))
	var build func(set uint32) Node
	build = func(set uint32) Node {
		e := best[set]
		if e.left == 0 {
			return rels[bits.TrailingZeros32(set)]
		}
		l, r := e.left, e.right
		if best[l].rows < best[r].rows {
			l, r = r, l // the smaller side is built into the hash table
		}
		left, right := build(l), build(r)
		var here []expr.Expr
		for _, g := range groups {
			// One key per class that spans both sides.
			var lc, rc *expr.Column
			for _, m := range g {
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
		for ci, c := range others {
			if !used[ci] && refs[ci]&set == refs[ci] {
				here = append(here, c)
				used[ci] = true
			}
		}
		j := &Join{Type: JoinInner, Left: left, Right: right}
		j.LeftKeys, j.RightKeys, j.Cond = splitKeys(here, IDs(left.Cols()), IDs(right.Cols()))
		o.est.set(j, e.rows)
		return j
	}
	root := build(full)
	var rest []expr.Expr
	for ci, c := range others {
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

// condSelectivity estimates the fraction of the cross product of the
// relations a join condition references that satisfies it.
func (e *estimator) condSelectivity(c expr.Expr, card []float64, ids []map[ColID]bool) float64 {
	f, ok := c.(*expr.Func)
	if !ok || f.Op != expr.OpEq {
		return selDefault
	}
	a, okA := f.Args[0].(*expr.Column)
	b, okB := f.Args[1].(*expr.Column)
	if !okA || !okB {
		return selEq
	}
	return 1 / math.Max(e.keyNDV(a.Index, b.Index), 1)
}

// keyNDV estimates the distinct values of an equi-join key pair, the
// max(ndv(a), ndv(b)) of |A ⋈ B| = |A|·|B| / max(ndv(a), ndv(b)). Distinct
// counts measured from the files are used as they are; a value range or a
// row count is only an upper bound (a sparse key's range or a foreign key's
// row count can be far above its distinct values), so without
// measurements the key of the smaller base table is taken to be the
// primary key its values come from (foreign keys point from big tables to
// small ones), and its count bounds the join's distinct values. A measured
// count on either side raises the result to at least that.
func (e *estimator) keyNDV(a, b ColID) float64 {
	d := e.keyNDVUnmeasured(a, b)
	for _, id := range []ColID{a, b} {
		if _, ok := e.cols[id]; ok {
			if nb := e.base(id); nb.measured {
				d = math.Max(d, nb.d)
			}
		}
	}
	return d
}

func (e *estimator) keyNDVUnmeasured(a, b ColID) float64 {
	ia, okA := e.cols[a]
	ib, okB := e.cols[b]
	switch {
	case okA && okB && ia.rows != ib.rows:
		if ia.rows < ib.rows {
			return e.ndv(a, ia.rows)
		}
		return e.ndv(b, ib.rows)
	case okA && okB:
		return math.Max(e.ndv(a, ia.rows), e.ndv(b, ib.rows))
	case okA:
		return e.ndv(a, ia.rows)
	case okB:
		return e.ndv(b, ib.rows)
	}
	return 1 / selEq
}
