package planner

import (
	"math"
	"math/bits"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// joinGraph is the cardinality model of a region of inner joins: its
// relations, the equivalence classes of their equi-join keys, and the
// other conditions. rows(set) estimates the join of any subset of the
// relations independently of the order the plan joins it in (it adds the
// relations in one canonical order), so dynamic programming and greedy
// ordering compare plans on one footing.
//
// Each step joins a relation r to the relations T joined so far on every
// key class linking them, by the textbook |T|·|r| / max(V(T.k), V(r.k))
// with V the key's distinct values in its base table: filtered rows on
// either side keep their share of the matches (a filter on a dimension
// keeps its share of the fact rows), refined where star and snowflake
// schemas break it:
//
//   - a foreign key into a dimension measured at plan time (sample.go)
//     keeps the share of fact rows the measured keys stand for within the
//     fact's key range (fkDivisor): d_year = 2001 keeps a fifth of five
//     years of sales, not 1/200 of a two-century calendar;
//   - a column whose distinct count is a guess (no statistic, no integer
//     range: a string foreign key, a computed column) is taken to draw from
//     the other side's domain, so it never inflates the divisor;
//   - several keys at once (a composite foreign key such as lineitem's
//     (partkey, suppkey) into partsupp, or store_returns' (ticket, item)
//     into store_sales) join on the combination: its distinct values are
//     the product of the columns', capped by the rows holding them, taken
//     on the side spanning more combinations (a tie goes to the side with
//     fewer rows, the primary key's). The product of the keys' separate
//     selectivities makes such a join a handful of rows when it is as
//     large as its foreign-key side.
type joinGraph struct {
	est   *estimator
	n     int
	card  []float64
	ids   []map[ColID]bool
	class []joinClass
	// others are conditions that are not column equalities between two
	// relations; refs[i] is the set of relations others[i] reads, sel[i]
	// its selectivity, hashable[i] whether it is an equality of
	// expressions the hash join can use as a key (a.x + 1 = b.y).
	others   []expr.Expr
	refs     []uint64
	sel      []float64
	hashable []bool
	memo     map[uint64]float64
	// width[i] is relation i's row width in units of two fixed-width
	// columns (see buildCost).
	width []float64
	// units are the right sides of LEFT joins in the region (see
	// leftUnit); unitOf[i] is relation i's index in units, -1 for the
	// relations joined by inner joins.
	units  []unitEdge
	unitOf []int
	// adj[i] is the relations linked to relation i by a condition over
	// the two of them; flex are the relation sets of conditions over
	// three or more (hyperedges, split any way between a join's sides).
	adj  []uint64
	flex []uint64
}

// unitEdge is a LEFT join of the region: its right side, relation rel,
// joins any plan holding the relations t its ON condition reads, as the
// build side of a LEFT join. fan is the rows that join makes of each row
// of its left side (at least one).
type unitEdge struct {
	rel  int
	t    uint64
	on   []expr.Expr
	hash bool
	fan  float64
}

// joinClass is an equivalence class of join columns: all equal.
type joinClass struct {
	members []classMember
	rels    uint64
}

type classMember struct {
	col   *expr.Column
	rel   int
	ndv   float64 // distinct values of col in its base table (V)
	known bool    // ndv is measured or bounded, not the row count
	base  float64 // rows of the table col comes from (its relation's when computed)
}

func newJoinGraph(est *estimator, rels []Node, ids []map[ColID]bool, card []float64, conds []expr.Expr, units []leftUnit) *joinGraph {
	g := &joinGraph{est: est, n: len(rels), card: card, ids: ids, memo: map[uint64]float64{}}
	g.unitOf = make([]int, len(rels))
	for i := range g.unitOf {
		g.unitOf[i] = -1
	}
	for k, u := range units {
		g.unitOf[u.rel] = k
	}
	for _, r := range rels {
		w := 0.0
		for _, c := range r.Cols() {
			if est.used == nil || est.used[c.ID] {
				w += colWidth(c.Type)
			}
		}
		g.width = append(g.width, math.Max(w, 8)/16)
	}
	relOf := func(col ColID) int {
		for i := range ids {
			if ids[i][col] {
				return i
			}
		}
		return -1
	}
	classes := newClasses()
	for _, c := range conds {
		if a, b, ok := colEquality(c); ok && a.Typ == b.Typ {
			// A LEFT join's right side takes no part in the classes: its
			// columns equal nothing until it is joined.
			if ra, rb := relOf(a.Index), relOf(b.Index); ra >= 0 && rb >= 0 && ra != rb && g.unitOf[ra] < 0 && g.unitOf[rb] < 0 {
				classes.union(a, b)
				continue
			}
		}
		var refs uint64
		for col := range expr.Columns(c) {
			if r := relOf(col); r >= 0 {
				refs |= 1 << r
			}
		}
		g.others = append(g.others, c)
		g.refs = append(g.refs, refs)
		g.hashable = append(g.hashable, isHashableEquality(c, ids))
		g.sel = append(g.sel, est.condSelectivity(c, relOf, card))
	}
	for _, cols := range classes.groups() {
		var jc joinClass
		// A class holding a primary key (a unique base column) has that
		// key's rows as every member's domain: the others' values come
		// from it, and counting them (sketching a fact table's foreign
		// key) would cost planning time for nothing.
		unique := 0.0
		for _, c := range cols {
			if n, ok := est.uniqueBase(c.Index); ok {
				unique = math.Max(unique, n)
			}
		}
		for _, c := range cols {
			r := relOf(c.Index)
			m := classMember{col: c, rel: r}
			if unique > 0 {
				m.ndv, m.known, m.base = unique, true, card[r]
				if info, ok := est.cols[c.Index]; ok {
					m.base = info.rows
				}
			} else {
				m.ndv, m.known, m.base = est.baseNDV(c.Index, card[r])
			}
			jc.members = append(jc.members, m)
			jc.rels |= 1 << r
		}
		// A guessed distinct count draws from the best-known domain of the
		// class (see above).
		dom := 0.0
		for _, m := range jc.members {
			if m.known {
				dom = math.Max(dom, m.ndv)
			}
		}
		for i := range jc.members {
			if m := &jc.members[i]; !m.known && dom > 0 {
				m.ndv = math.Min(m.ndv, dom)
			}
		}
		g.class = append(g.class, jc)
	}
	for _, u := range units {
		g.units = append(g.units, g.newUnit(u, relOf))
	}
	g.hyperedges()
	return g
}

// newUnit describes the LEFT join u: the relations its ON condition reads
// besides its right side, whether it has a hash key, and how many rows it
// makes of each left row (its matches, at least one).
func (g *joinGraph) newUnit(u leftUnit, relOf func(ColID) int) unitEdge {
	e := unitEdge{rel: u.rel, on: u.on}
	leftIDs := map[ColID]bool{}
	lrows := 1.0
	for _, c := range u.on {
		for col := range expr.Columns(c) {
			if r := relOf(col); r >= 0 && r != u.rel {
				e.t |= 1 << r
				leftIDs[col] = true
				lrows = math.Max(lrows, g.card[r])
			}
		}
	}
	lk, rk, res := splitKeys(u.on, leftIDs, g.ids[u.rel])
	e.hash = len(lk) > 0
	matches := g.card[u.rel]
	if e.hash {
		matches /= g.est.joinDomain(lrows, g.card[u.rel], lk, rk)
	}
	if res != nil {
		for _, c := range expr.SplitAnd(res) {
			matches *= g.est.condSelectivity(c, relOf, g.card)
		}
	}
	e.fan = math.Max(1, matches)
	return e
}

// hyperedges fills adj and flex from the classes, the other conditions
// and the LEFT joins.
func (g *joinGraph) hyperedges() {
	g.adj = make([]uint64, g.n)
	pair := func(set uint64) {
		for s := set; s != 0; s &= s - 1 {
			g.adj[bits.TrailingZeros64(s)] |= set &^ (s & -s)
		}
	}
	for _, c := range g.class {
		pair(c.rels)
	}
	for _, r := range g.refs {
		switch bits.OnesCount64(r) {
		case 0, 1:
		case 2:
			pair(r)
		default:
			g.flex = append(g.flex, r)
		}
	}
}

// neighbours is the neighbourhood of the set s outside x (DPhyp's N(S,
// X)): the relations outside s and x linked to s, and for a hyperedge
// whose relations outside s are all outside x, the lowest of them.
func (g *joinGraph) neighbours(s, x uint64) uint64 {
	var nb uint64
	for r := s; r != 0; r &= r - 1 {
		nb |= g.adj[bits.TrailingZeros64(r)]
	}
	nb &^= s | x
	for _, r := range g.flex {
		if out := r &^ s; r&s != 0 && out != 0 && out&x == 0 {
			nb |= out & -out
		}
	}
	for _, u := range g.units {
		bit := uint64(1) << u.rel
		if u.t&^s == 0 && bit&(s|x) == 0 {
			nb |= bit
		}
		if s&bit != 0 && u.t&(s|x) == 0 && u.t != 0 {
			nb |= u.t & -u.t
		}
	}
	return nb
}

// unitSide returns the side of a join of a and b that is the right side
// of a LEFT join alone (its bit), 0 when neither is.
func (g *joinGraph) unitSide(a, b uint64) uint64 {
	for _, s := range [2]uint64{a, b} {
		if bits.OnesCount64(s) == 1 && g.unitOf[bits.TrailingZeros64(s)] >= 0 {
			return s
		}
	}
	return 0
}

// joinable reports whether some condition links a and b.
func (g *joinGraph) joinable(a, b uint64) bool {
	hash, theta := g.link(a, b)
	return hash || theta
}

// isHashableEquality reports an equality whose sides read disjoint,
// non-empty sets of relations: a hash join can compute each side as a key.
func isHashableEquality(c expr.Expr, ids []map[ColID]bool) bool {
	f, ok := c.(*expr.Func)
	if !ok || f.Op != expr.OpEq {
		return false
	}
	a, b := expr.Columns(f.Args[0]), expr.Columns(f.Args[1])
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	for i := range ids {
		if covers(ids[i], f.Args[0]) && !covers(ids[i], f.Args[1]) {
			return true
		}
		if covers(ids[i], f.Args[1]) && !covers(ids[i], f.Args[0]) {
			return true
		}
	}
	return false
}

// rows estimates the join of the relations in set.
func (g *joinGraph) rows(set uint64) float64 {
	if r, ok := g.memo[set]; ok {
		return r
	}
	var r float64
	if bits.OnesCount64(set) == 1 {
		r = g.card[bits.TrailingZeros64(set)]
	} else {
		// Canonical order: the relation added last is the right side of
		// a LEFT join no other in the set depends on, else the
		// highest-indexed relation whose removal leaves the rest linked
		// (any, if none does).
		last := g.lastUnit(set)
		for i := g.n - 1; i >= 0 && last < 0; i-- {
			if bit := uint64(1) << i; set&bit != 0 && g.linked(set&^bit) {
				last = i
			}
		}
		if last < 0 {
			last = 63 - bits.LeadingZeros64(set)
		}
		bit := uint64(1) << last
		rest := set &^ bit
		r = g.rows(rest) * g.step(rest, last)
	}
	r = math.Max(r, 1)
	g.memo[set] = r
	return r
}

// lastUnit is the highest-indexed LEFT join right side in set that no
// other one in set reads in its ON condition; -1 when there is none.
func (g *joinGraph) lastUnit(set uint64) int {
	for k := len(g.units) - 1; k >= 0; k-- {
		u := g.units[k]
		bit := uint64(1) << u.rel
		if set&bit == 0 {
			continue
		}
		needed := false
		for _, o := range g.units {
			if set&(1<<o.rel) != 0 && o.t&bit != 0 {
				needed = true
				break
			}
		}
		if !needed {
			return u.rel
		}
	}
	return -1
}

// linked reports whether the relations of set are connected by hash keys
// or other conditions.
func (g *joinGraph) linked(set uint64) bool {
	seen := set & -set
	for {
		grown := seen
		for i := 0; i < g.n; i++ {
			if bit := uint64(1) << i; set&bit != 0 && grown&bit == 0 {
				if hash, theta := g.link(grown, bit); hash || theta {
					grown |= bit
				}
			}
		}
		if grown == seen {
			return seen == set
		}
		seen = grown
	}
}

// step is the factor by which joining relation r to the set t multiplies
// t's rows: r's rows over the divisor of the keys linking them, times the
// selectivity of the other conditions the join completes.
func (g *joinGraph) step(t uint64, r int) float64 {
	bit := uint64(1) << r
	f := g.card[r]
	if k := g.unitOf[r]; k >= 0 {
		f = g.units[k].fan
	}
	var linking []int
	for ci, c := range g.class {
		if c.rels&bit != 0 && c.rels&t != 0 {
			linking = append(linking, ci)
		}
	}
	if len(linking) > 0 {
		f /= g.keyDivisor(t, r, linking)
	}
	for i := range g.others {
		// (A condition over r alone is one from above a LEFT join on
		// its right side.)
		if ref := g.refs[i]; ref&bit != 0 && ref&^(t|bit) == 0 {
			f *= g.sel[i]
		}
	}
	return f
}

// keyDivisor is the distinct values (or combinations) of the keys joining
// relation r to the set t, in classes cs.
func (g *joinGraph) keyDivisor(t uint64, r int, cs []int) float64 {
	side := func(ci int, in func(m classMember) bool) (best classMember, ok bool) {
		for _, m := range g.class[ci].members {
			if in(m) && (!ok || m.ndv < best.ndv) {
				best, ok = m, true // after a join on k, T holds the smaller domain
			}
		}
		return best, ok
	}
	inT := func(m classMember) bool { return t&(1<<m.rel) != 0 }
	inR := func(m classMember) bool { return m.rel == r }
	if len(cs) == 1 {
		mr, _ := side(cs[0], inR)
		for _, m := range g.class[cs[0]].members {
			if !inT(m) {
				continue
			}
			if d, ok := g.est.fkDivisor(m.col.Index, mr.col.Index); ok {
				return d
			}
			if d, ok := g.est.fkDivisor(mr.col.Index, m.col.Index); ok {
				return d
			}
		}
	}
	pt, pr := 1.0, 1.0
	bt, br := 0.0, 0.0
	for _, ci := range cs {
		mt, _ := side(ci, inT)
		mr, _ := side(ci, inR)
		dt, dr := reconcileNDV(mt.ndv, mt.known, mt.base, mr.ndv, mr.known, mr.base)
		pt *= math.Max(dt, 1)
		pr *= math.Max(dr, 1)
		bt = math.Max(bt, mt.base)
		br = math.Max(br, mr.base)
	}
	return domainNDV(pt, pr, bt, br)
}

// reconcileNDV adjusts two join columns' distinct counts (a over a base
// table of ra rows, b over rb) where they are upper bounds rather than
// measurements. One measured: the other draws from its domain, so it is
// capped by it. Neither: the key of the smaller table is taken to be the
// primary key the other's values come from (foreign keys point from big
// tables to small ones), and its count stands for both.
func reconcileNDV(a float64, ka bool, ra float64, b float64, kb bool, rb float64) (float64, float64) {
	switch {
	case ka && !kb:
		b = math.Min(b, a)
	case kb && !ka:
		a = math.Min(a, b)
	case !ka && !kb && ra < rb:
		b = math.Min(b, a)
	case !ka && !kb && rb < ra:
		a = math.Min(a, b)
	}
	return a, b
}

// domainNDV picks the join's domain from two sides' key combinations pa and
// pb over ra and rb rows: the larger, capped by its rows; within 10% of
// each other, the side with fewer rows.
func domainNDV(pa, pb, ra, rb float64) float64 {
	da, db := math.Min(pa, math.Max(ra, 1)), math.Min(pb, math.Max(rb, 1))
	switch {
	case pa > pb*1.1:
		return math.Max(da, 1)
	case pb > pa*1.1:
		return math.Max(db, 1)
	case ra <= rb:
		return math.Max(da, 1)
	}
	return math.Max(db, 1)
}

// usedColumns collects every column the plan reads above its scans: the
// output, and the columns of every expression, key and grouping. Scans
// still carry all their table's columns while joins are ordered (pruning
// runs later), so a build side's width counts only these.
func usedColumns(root Node) map[ColID]bool {
	used := IDs(root.Cols())
	add := func(e expr.Expr) {
		if e != nil {
			for c := range expr.Columns(e) {
				used[c] = true
			}
		}
	}
	var walk func(n Node)
	walk = func(n Node) {
		switch n := n.(type) {
		case *Filter:
			add(n.Pred)
		case *Project:
			for _, e := range n.Exprs {
				add(e)
			}
		case *Join:
			add(n.Cond)
			for i := range n.LeftKeys {
				add(n.LeftKeys[i])
				add(n.RightKeys[i])
			}
		case *Aggregate:
			for _, g := range n.Groups {
				used[g.ID] = true
			}
			for _, a := range n.Aggs {
				add(a.Arg)
				for _, x := range a.Extra() {
					add(*x)
				}
			}
		case *Sort:
			for _, k := range n.Keys {
				used[k.Col] = true
			}
		case *CTERef:
			walk(n.Shared.Plan)
		case *Repeat:
			used[n.Count.ID] = true
		case *Window:
			for id := range n.usedCols() {
				used[id] = true
			}
		case *DistinctOn:
			for _, k := range n.Keys {
				used[k] = true
			}
		case *Unnest:
			for _, l := range n.Lists {
				used[l.ID] = true
			}
		case *Union:
			for _, in := range n.Ins {
				for _, c := range in.Cols() {
					used[c.ID] = true
				}
			}
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(root)
	return used
}

// colWidth is a column's bytes per row in a hash table: a string is its
// header plus typical short text.
func colWidth(t coldata.Type) float64 {
	if t.ID == coldata.String || t.IsNested() {
		return 32
	}
	return 8
}

// buildCost is the cost of hashing set's rows into a table: its rows
// weighted by width, so a dimension carrying long strings is probed
// (through the runtime filter its joins push into its scan) rather than
// copied into a hash table when its row count alone would make it the
// smaller side.
func (g *joinGraph) buildCost(set uint64) float64 { return g.rows(set) * g.setWidth(set) }

// setWidth is the row width of the join of set (see buildCost).
func (g *joinGraph) setWidth(set uint64) float64 {
	w := 0.0
	for s := set; s != 0; s &= s - 1 {
		w += g.width[bits.TrailingZeros64(s)]
	}
	return math.Max(w, 1)
}

// link describes how two disjoint sets of relations can be joined: by a
// hash key (an equivalence class or a hashable equality spanning both) or
// only by other conditions (a theta join: every pair is tested).
func (g *joinGraph) link(a, b uint64) (hash, theta bool) {
	// The right side of a LEFT join joins only by its ON condition, as
	// the right side, and only once every relation that reads is on the
	// other side (which is no lone right side of another LEFT join).
	if u := g.unitSide(a, b); u != 0 {
		other := (a | b) &^ u
		e := g.units[g.unitOf[bits.TrailingZeros64(u)]]
		if e.t == 0 || e.t&^other != 0 || g.unitSide(other, other) != 0 {
			return false, false
		}
		return e.hash, true
	}
	for _, c := range g.class {
		if c.rels&a != 0 && c.rels&b != 0 {
			return true, true
		}
	}
	for i, r := range g.refs {
		if r&a != 0 && r&b != 0 && r&^(a|b) == 0 {
			if g.hashable[i] {
				return true, true
			}
			theta = true
		}
	}
	return false, theta
}

// equiJoinRows estimates |L ⋈ R| on key pairs lk[i] = rk[i] over l and r
// rows, the two-relation case of joinGraph.rows.
func (e *estimator) equiJoinRows(l, r float64, lk, rk []expr.Expr) float64 {
	return math.Max(1, l*r/e.joinDomain(l, r, lk, rk))
}

// joinDomain is the distinct values (or combinations) of the keys of an
// equi-join of l and r rows: each row meets the other side's rows over it.
func (e *estimator) joinDomain(l, r float64, lk, rk []expr.Expr) float64 {
	if len(lk) == 1 {
		a, okA := stripCasts(lk[0]).(*expr.Column)
		b, okB := stripCasts(rk[0]).(*expr.Column)
		if okA && okB {
			if d, ok := e.fkDivisor(a.Index, b.Index); ok {
				return d
			}
			if d, ok := e.fkDivisor(b.Index, a.Index); ok {
				return d
			}
		}
	}
	pl, pr := 1.0, 1.0
	bl, br := 0.0, 0.0
	for i := range lk {
		dl, kl, basel := e.exprBaseNDV(lk[i], l)
		dr, kr, baser := e.exprBaseNDV(rk[i], r)
		dl, dr = reconcileNDV(dl, kl, basel, dr, kr, baser)
		pl *= math.Max(dl, 1)
		pr *= math.Max(dr, 1)
		bl, br = math.Max(bl, basel), math.Max(br, baser)
	}
	return domainNDV(pl, pr, bl, br)
}

func (e *estimator) exprBaseNDV(x expr.Expr, rows float64) (float64, bool, float64) {
	if c, ok := stripCasts(x).(*expr.Column); ok {
		return e.baseNDV(c.Index, rows)
	}
	return math.Max(1, rows), false, rows
}

// baseNDV is a join column's distinct values in its base table (V in
// |R|·|S| / max(V(R.a), V(S.a))), whether that rests on more than the row
// count, and the rows of that table. A column computed above the scans
// (a grouping key, a projection) has its relation's rows for both.
func (e *estimator) baseNDV(id ColID, rows float64) (float64, bool, float64) {
	if info, ok := e.cols[id]; ok {
		// Only a measured count is known, or a range exactly as wide as
		// the rows: a value range bounds the distinct values from above,
		// and a sparse key's range (TPC-H's order keys use a quarter of
		// theirs) is far above them.
		b := e.base(id)
		if !b.measured {
			// A dense unique key's range is exact (a date dimension's
			// surrogate keys, one per row).
			if _, unique := e.uniqueBase(id); unique {
				return info.rows, true, info.rows
			}
		}
		return b.d, b.measured, info.rows
	}
	d, known := e.ndvKnown(id, rows)
	return d, known, rows
}

func (e *estimator) exprNDVKnown(x expr.Expr, rows float64) (float64, bool) {
	if c, ok := stripCasts(x).(*expr.Column); ok {
		return e.ndvKnown(c.Index, rows)
	}
	return math.Max(1, rows), false
}

// stripCasts removes casts around a column: CAST(k AS BIGINT) = k2 joins
// on k's values.
func stripCasts(x expr.Expr) expr.Expr {
	for {
		c, ok := x.(*expr.Cast)
		if !ok {
			return x
		}
		x = c.Arg
	}
}

// ndvKnown is ndv(id, rows) and whether it rests on something better than
// the row count: a measured distinct count, an integer or date range, a
// calendar bound of a derived column.
func (e *estimator) ndvKnown(id ColID, rows float64) (float64, bool) {
	d := e.ndv(id, rows)
	if e.sampled(id) != nil {
		return d, true
	}
	if _, ok := e.cols[id]; ok {
		_, known := e.knownNDV(id)
		return d, known
	}
	if x, ok := e.derived[e.source(id)]; ok {
		if _, ok := e.derivedNDV(x); ok {
			return d, true
		}
	}
	return d, false
}

// condSelectivity estimates the fraction of the cross product of the
// relations a join condition reads that satisfies it: an equality of
// columns (through casts) as a one-key join, other comparisons as range
// predicates (a third), anything else as an unknown filter.
func (e *estimator) condSelectivity(c expr.Expr, relOf func(ColID) int, card []float64) float64 {
	f, ok := c.(*expr.Func)
	if !ok {
		return e.selectivity(c)
	}
	switch f.Op {
	case expr.OpEq:
		a, okA := stripCasts(f.Args[0]).(*expr.Column)
		b, okB := stripCasts(f.Args[1]).(*expr.Column)
		if okA != okB {
			// A column equal to a computed value (a scalar subquery's,
			// an expression of the other side's columns): each value
			// matches the column's share of one distinct value.
			c := a
			if okB {
				c = b
			}
			if d, known := e.ndvKnown(c.Index, math.Inf(1)); known {
				return 1 / math.Max(d, 1)
			}
			return selEq
		}
		if !okA || relOf(a.Index) < 0 || relOf(b.Index) < 0 {
			return selEq
		}
		ra, rb := card[relOf(a.Index)], card[relOf(b.Index)]
		return e.equiJoinRows(ra, rb, []expr.Expr{a}, []expr.Expr{b}) / (ra * rb)
	case expr.OpLt, expr.OpLe, expr.OpGt, expr.OpGe:
		if _, _, _, isConst := columnVsConst(f); !isConst {
			return 1.0 / 3
		}
	}
	return e.selectivity(c)
}
