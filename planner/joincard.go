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
// relations independently of the order it is joined in, so dynamic
// programming and greedy ordering compare plans on one footing.
//
// Keys follow the containment assumption (of two join columns the one with
// fewer distinct values draws them from the other's), refined where star
// and snowflake schemas break the textbook formula:
//
//   - a column whose distinct count is a guess (no statistic, no integer
//     range: a string foreign key, a computed column) is taken to draw from
//     the other side's domain, so it never inflates the divisor;
//   - two relations joined on several keys (a composite foreign key such as
//     lineitem's (partkey, suppkey) into partsupp, or store_returns'
//     (ticket, item) into store_sales) join on the combination: its
//     distinct values are the product of the columns', capped by the rows
//     holding them, taken on the side that spans more combinations (a tie
//     goes to the side with fewer rows, which is the primary key's). The
//     textbook product of the keys' separate selectivities makes such a
//     join a handful of rows when it is as large as its foreign-key side.
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
}

// joinClass is an equivalence class of join columns: all equal.
type joinClass struct {
	members []classMember
	rels    uint64
}

type classMember struct {
	col   *expr.Column
	rel   int
	ndv   float64 // distinct values of col within its relation
	known bool    // ndv is measured or bounded, not the row count
}

func newJoinGraph(est *estimator, rels []Node, ids []map[ColID]bool, card []float64, conds []expr.Expr) *joinGraph {
	g := &joinGraph{est: est, n: len(rels), card: card, ids: ids, memo: map[uint64]float64{}}
	for _, r := range rels {
		w := 0.0
		for _, c := range r.Cols() {
			w += colWidth(c.Type)
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
			if ra, rb := relOf(a.Index), relOf(b.Index); ra >= 0 && rb >= 0 && ra != rb {
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
		for _, c := range cols {
			r := relOf(c.Index)
			d, known := est.ndvKnown(c.Index, card[r])
			jc.members = append(jc.members, classMember{col: c, rel: r, ndv: d, known: known})
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
	return g
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
	r := 1.0
	for i := 0; i < g.n; i++ {
		if set&(1<<i) != 0 {
			r *= g.card[i]
		}
	}
	// Classes with exactly two relations in set are grouped by that pair,
	// so a composite key counts once (see joinGraph).
	type pair struct{ a, b int }
	pairs := map[pair][]int{}
	var pairOrder []pair
	for ci, c := range g.class {
		in := c.rels & set
		switch bits.OnesCount64(in) {
		case 0, 1:
			continue
		case 2:
			a := bits.TrailingZeros64(in)
			p := pair{a, 63 - bits.LeadingZeros64(in)}
			if _, ok := pairs[p]; !ok {
				pairOrder = append(pairOrder, p)
			}
			pairs[p] = append(pairs[p], ci)
		default:
			r /= g.classDivisor(ci, set)
		}
	}
	for _, p := range pairOrder {
		r /= g.pairDivisor(p.a, p.b, pairs[p])
	}
	for i := range g.others {
		if g.refs[i] != 0 && g.refs[i]&set == g.refs[i] && bits.OnesCount64(g.refs[i]) > 1 {
			r *= g.sel[i]
		}
	}
	r = math.Max(r, 1)
	g.memo[set] = r
	return r
}

// classDivisor is what joining k relations on one key divides their
// product by: every member's distinct values but the smallest.
func (g *joinGraph) classDivisor(ci int, set uint64) float64 {
	d, least := 1.0, math.Inf(1)
	for _, m := range g.class[ci].members {
		if set&(1<<m.rel) == 0 {
			continue
		}
		v := math.Max(1, math.Min(m.ndv, g.card[m.rel]))
		d *= v
		least = math.Min(least, v)
	}
	return d / least
}

// pairDivisor is the distinct combinations of the keys joining relations a
// and b (classes cs): the side spanning more combinations is the domain.
func (g *joinGraph) pairDivisor(a, b int, cs []int) float64 {
	pa, pb := 1.0, 1.0
	for _, ci := range cs {
		for _, m := range g.class[ci].members {
			switch m.rel {
			case a:
				pa *= math.Max(1, m.ndv)
			case b:
				pb *= math.Max(1, m.ndv)
			}
		}
	}
	return domainNDV(pa, pb, g.card[a], g.card[b])
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
func (g *joinGraph) buildCost(set uint64) float64 {
	w := 0.0
	for i := 0; i < g.n; i++ {
		if set&(1<<i) != 0 {
			w += g.width[i]
		}
	}
	return g.rows(set) * math.Max(w, 1)
}

// link describes how two disjoint sets of relations can be joined: by a
// hash key (an equivalence class or a hashable equality spanning both) or
// only by other conditions (a theta join: every pair is tested).
func (g *joinGraph) link(a, b uint64) (hash, theta bool) {
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
	pl, pr := 1.0, 1.0
	for i := range lk {
		dl, kl := e.exprNDVKnown(lk[i], l)
		dr, kr := e.exprNDVKnown(rk[i], r)
		switch {
		case kl && !kr:
			dr = math.Min(dr, dl)
		case kr && !kl:
			dl = math.Min(dl, dr)
		}
		pl *= math.Max(dl, 1)
		pr *= math.Max(dr, 1)
	}
	return math.Max(1, l*r/domainNDV(pl, pr, l, r))
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
		if !okA || !okB || relOf(a.Index) < 0 || relOf(b.Index) < 0 {
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
