package planner

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/storage"
)

// Default selectivities when statistics say nothing (DuckDB uses 0.2 for an
// unknown filter).
const (
	selDefault = 0.2
	selEq      = 0.1
	selLike    = 0.1
)

// colInfo is what the estimator knows about a base column.
type colInfo struct {
	table *storage.Table
	idx   int
	rows  float64
}

// estimator computes cardinality estimates from Parquet statistics.
type estimator struct {
	cols  map[ColID]colInfo
	cache map[Node]float64
	rng   map[ColID]colRange
	ndvs  map[ColID]baseNDV
	// derived holds projections' computed columns (year(d) AS y), whose
	// distinct values follow from their argument's.
	derived map[ColID]expr.Expr
	// alias maps a projection's pass-through column to the column it
	// passes (n_name AS supp_nation).
	alias map[ColID]ColID
	// implied maps a disjunction (by exprKey) to the conjuncts factorOr
	// derived from it: they filter rows the disjunction would have
	// filtered anyway, so its selectivity given them is its own divided
	// by theirs.
	implied map[string][]expr.Expr

	// used holds the columns the query reads above its scans (see
	// usedColumns); nil counts every column.
	used map[ColID]bool

	// Plan-time measurements of filtered dimensions (sample.go).
	sampler      Sampler
	samples      map[string]*scanSample
	sampledCols  map[ColID]*colSample
	sampleBudget float64
}

// baseNDV is a base column's distinct values over its whole table.
type baseNDV struct {
	d float64
	// measured is true when d comes from the files' distinct counts
	// (footer distinct_count, dictionary sizes) rather than from a value
	// range (an upper bound) or the row count (a guess).
	measured bool
}

type colRange struct {
	lo, hi float64
	ok     bool
}

func newEstimator() *estimator {
	return &estimator{cols: map[ColID]colInfo{}, cache: map[Node]float64{}, rng: map[ColID]colRange{}, ndvs: map[ColID]baseNDV{}, derived: map[ColID]expr.Expr{}, alias: map[ColID]ColID{}, implied: map[string][]expr.Expr{},
		samples: map[string]*scanSample{}, sampledCols: map[ColID]*colSample{}}
}

func (e *estimator) set(n Node, rows float64) { e.cache[n] = rows }

// register records the base columns of every scan under n, and the
// columns projections pass through under new IDs.
func (e *estimator) register(n Node) {
	if s, ok := n.(*Scan); ok {
		for i, c := range s.Out {
			e.cols[c.ID] = colInfo{table: s.Table, idx: s.ColIdx[i], rows: float64(s.Table.NumRows)}
		}
	}
	for _, in := range n.Inputs() {
		e.register(in)
	}
	if p, ok := n.(*Project); ok {
		for i, x := range p.Exprs {
			if i >= len(p.Out) {
				break
			}
			if c, ok := x.(*expr.Column); ok {
				if p.Out[i].ID != c.Index {
					e.alias[p.Out[i].ID] = c.Index
				}
				if info, ok := e.cols[c.Index]; ok {
					if _, dup := e.cols[p.Out[i].ID]; !dup {
						e.cols[p.Out[i].ID] = info
					}
				}
				continue
			}
			e.derived[p.Out[i].ID] = x
		}
	}
}

func (e *estimator) rows(n Node) float64 {
	if r, ok := e.cache[n]; ok {
		return r
	}
	var r float64
	switch n := n.(type) {
	case *DistinctOn:
		r = e.rows(n.Input)
	case *Scan:
		r = float64(n.Table.NumRows)
		if s := e.sampleScan(n); s != nil {
			r = s.rows
		} else if len(n.Filters) > 0 {
			var terms []expr.Expr
			for _, f := range n.Filters {
				terms = append(terms, expr.SplitAnd(f)...)
			}
			r *= e.conjunctionSel(terms)
		}
		if n.Limit >= 0 {
			r = math.Min(r, float64(n.Limit))
		}
	case *Filter:
		r = e.rows(n.Input) * e.selectivity(n.Pred)
	case *Project:
		r = e.rows(n.Input)
	case *Repeat, *Window:
		r = e.rows(n.Inputs()[0])
	case *Union:
		for _, in := range n.Ins {
			r += e.rows(in)
		}
	case *Sort:
		r = e.rows(n.Input)
	case *Limit:
		r = e.rows(n.Input)
		if n.Count >= 0 {
			r = math.Min(r, float64(n.Count))
		}
	case *Aggregate:
		in := e.rows(n.Input)
		if len(n.Groups) == 0 {
			r = 1
		} else {
			// The product of the keys' distinct values in the input (each
			// scaled down for the rows filters left, see ndv), capped by
			// the input rows.
			g := 1.0
			for _, c := range n.Groups {
				d := e.ndv(c.ID, in)
				// = and IN filters on the key below leave at most as many
				// values as they list.
				if k, ok := listedValues(n.Input, e.source(c.ID)); ok {
					d = math.Min(d, math.Max(k, 1))
				}
				g *= d
			}
			r = math.Min(in, g)
		}
	case *Join:
		if n.Est > 0 {
			// Ordered by joinGraph, whose estimate of the whole set of
			// relations is the one the order was chosen by.
			r = n.Est
			break
		}
		l, rr := e.rows(n.Left), e.rows(n.Right)
		switch n.Type {
		case JoinInner:
			r = e.joinRows(l, rr, n.LeftKeys, n.RightKeys) * e.residualSel(n, l, rr)
		case JoinLeft:
			r = math.Max(l, e.joinRows(l, rr, n.LeftKeys, n.RightKeys))
		case JoinFull:
			r = math.Max(math.Max(l, rr), e.joinRows(l, rr, n.LeftKeys, n.RightKeys))
		case JoinPositional:
			r = math.Max(l, rr)
		case JoinAsof, JoinAsofLeft:
			r = l
		default:
			r = e.semiRows(n, l, rr)
		}
	case *Values:
		r = float64(len(n.Rows))
		if n.Source != nil {
			r = n.Source.EstimatedRows()
		}
	case *Series:
		r = n.Rows()
	case *CTERef:
		r = e.cteRows(n)
	case *Materialized:
		r = n.Rows
	}
	if r < 1 {
		r = 1
	}
	e.cache[n] = r
	return r
}

// semiRows estimates a semi or anti join: the share of the left rows
// whose key finds a match is, under containment, the right side's
// distinct keys over the left side's (a semi join on a filtered dimension
// keeps the fact rows of its keys). An anti join keeps the rest, but at
// least a tenth: its estimate errs high rather than at nothing. Without
// keys (a condition only) half the rows are kept.
func (e *estimator) semiRows(n *Join, l, r float64) float64 {
	frac := 0.5
	if len(n.LeftKeys) > 0 {
		pl, pr := 1.0, 1.0
		for i := range n.LeftKeys {
			dl, kl := e.exprNDVKnown(n.LeftKeys[i], l)
			dr, kr := e.exprNDVKnown(n.RightKeys[i], r)
			if kl && !kr {
				dr = math.Min(dr, dl)
			}
			pl *= math.Max(dl, 1)
			pr *= math.Max(dr, 1)
		}
		frac = math.Min(1, math.Min(pr, r)/math.Min(pl, math.Max(l, 1)))
	}
	if n.Type == JoinSemi {
		return l * frac
	}
	return l * math.Max(1-frac, 0.1)
}

// residualSel is the selectivity of an inner join's residual condition.
func (e *estimator) residualSel(n *Join, l, r float64) float64 {
	if n.Cond == nil {
		return 1
	}
	left := IDs(n.Left.Cols())
	right := IDs(n.Right.Cols())
	relOf := func(c ColID) int {
		switch {
		case left[c]:
			return 0
		case right[c]:
			return 1
		}
		return -1
	}
	s := 1.0
	for _, c := range expr.SplitAnd(n.Cond) {
		s *= e.condSelectivity(c, relOf, []float64{l, r})
	}
	return s
}

// joinRows estimates |L ⋈ R| on the key pairs lk[i] = rk[i] (see
// equiJoinRows); with no keys it is a cross product.
func (e *estimator) joinRows(l, r float64, lk, rk []expr.Expr) float64 {
	if len(lk) == 0 {
		return l * r
	}
	return e.equiJoinRows(l, r, lk, rk)
}

// ndv estimates a column's distinct values among rows rows of input: for a
// column not read from a table, rows itself; for a base column, its
// table's distinct values (base), reduced when rows is fewer than the
// table's rows.
//
// The reduction assumes the rows that are left (after filters) are a
// random subset: n of N rows keep D·(1 − (1 − n/N)^(N/D)) of D values in
// expectation (each value has N/D rows, and survives unless all of them
// are dropped; Cardenas' formula). A filter on the column itself or a
// correlated one keeps fewer, which this does not see. More rows than the
// table's (after a join) keep every value.
func (e *estimator) ndv(id ColID, rows float64) float64 {
	if cs := e.sampled(id); cs != nil {
		// Measured among the filtered scan's rows, which play the table.
		d := cs.ndv
		if rows > 0 && rows < cs.rows && d > 1 {
			d *= 1 - math.Pow(1-rows/cs.rows, cs.rows/d)
			d = math.Min(d, rows)
		}
		return math.Max(1, d)
	}
	info, ok := e.cols[id]
	if !ok {
		if x, ok := e.derived[e.source(id)]; ok {
			if d, ok := e.derivedNDV(x); ok {
				return math.Max(1, math.Min(d, rows))
			}
		}
		return math.Max(1, rows)
	}
	d := e.base(id).d
	if rows > 0 && rows < info.rows && d > 1 {
		d *= 1 - math.Pow(1-rows/info.rows, info.rows/d)
		d = math.Min(d, rows)
	}
	return math.Max(1, d)
}

// derivedNDV bounds the distinct values of a computed column: year(),
// month() and day() of a date or timestamp column take at most as many
// values as the calendar allows within the column's range.
func (e *estimator) derivedNDV(x expr.Expr) (float64, bool) {
	f, ok := x.(*expr.Func)
	if !ok || len(f.Args) != 1 {
		return 0, false
	}
	c, ok := f.Args[0].(*expr.Column)
	if !ok {
		return 0, false
	}
	var d float64
	switch f.Op {
	case expr.OpExtractYear:
		d = math.Inf(1)
		if rg := e.colRange(c.Index); rg.ok {
			days := rg.hi - rg.lo
			if c.Typ.ID == coldata.Timestamp {
				days /= 86400e6
			}
			d = math.Floor(days/365.25) + 2 // a span may straddle two year ends
		}
	case expr.OpExtractMonth:
		d = 12
	case expr.OpExtractDay:
		d = 31
	default:
		return 0, false
	}
	if _, ok := e.cols[c.Index]; ok {
		d = math.Min(d, e.base(c.Index).d)
	}
	return d, !math.IsInf(d, 1)
}

// source follows projections' pass-through columns back to where a
// column was produced.
func (e *estimator) source(id ColID) ColID {
	for i := 0; i < 64; i++ {
		s, ok := e.alias[id]
		if !ok {
			break
		}
		id = s
	}
	return id
}

// listedValues finds = and IN filters on column id under n (in scans and
// filters) and returns how many values they let through.
func listedValues(n Node, id ColID) (float64, bool) {
	best, found := math.Inf(1), false
	var walk func(n Node)
	check := func(p expr.Expr) {
		for _, c := range expr.SplitAnd(p) {
			if k, ok := predValues(c, id); ok {
				best, found = math.Min(best, k), true
			}
		}
	}
	walk = func(n Node) {
		switch n := n.(type) {
		case *Scan:
			for _, f := range n.Filters {
				check(f)
			}
		case *Filter:
			check(n.Pred)
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(n)
	return best, found
}

// predValues is the number of values of column id that p can be true for,
// when p is id = const, id IN (list), or an OR of those.
func predValues(p expr.Expr, id ColID) (float64, bool) {
	switch p := p.(type) {
	case *expr.In:
		if c, ok := p.Arg.(*expr.Column); ok && c.Index == id && !p.Not {
			return float64(len(p.List)), true
		}
	case *expr.Func:
		switch p.Op {
		case expr.OpEq:
			if c, _, _, ok := columnVsConst(p); ok && c.Index == id {
				return 1, true
			}
		case expr.OpOr:
			// n-ary: folded left to right, as the binary chain it stands for.
			total, ok := predValues(p.Args[0], id)
			for _, x := range p.Args[1:] {
				b, okB := predValues(x, id)
				if !ok || !okB {
					return 0, false
				}
				total += b
			}
			return total, ok
		case expr.OpAnd:
			a, okA := predValues(p.Args[0], id)
			for _, x := range p.Args[1:] {
				b, okB := predValues(x, id)
				switch {
				case okA && okB:
					a = math.Min(a, b)
				case okB:
					a, okA = b, true
				}
			}
			return a, okA
		}
	}
	return 0, false
}

// base is a base column's distinct values over its table, from the best
// source available, cheapest first:
//  1. distinct counts measured from the files (storage.ColumnNDV: the
//     footers' distinct_count, else dictionary page sizes, combined over
//     row groups and files);
//  2. for integers and dates, the value range max − min + 1, which also
//     caps (1) — it is an upper bound;
//  3. the table's row count (every value distinct).
func (e *estimator) base(id ColID) baseNDV {
	if b, ok := e.ndvs[id]; ok {
		return b
	}
	info := e.cols[id]
	b := baseNDV{d: info.rows}
	if d, ok := storage.ColumnNDV(info.table, info.idx); ok {
		b = baseNDV{d: math.Min(d, info.rows), measured: true}
	}
	if rg := e.colRange(id); rg.ok && rg.hi-rg.lo+1 < b.d {
		t := info.table.Columns[info.idx].Type
		if t.IsInteger() || t.ID == coldata.Date {
			b.d = rg.hi - rg.lo + 1
		}
	}
	b.d = math.Max(1, b.d)
	e.ndvs[id] = b
	return b
}

// knownNDV is a base column's distinct values when something bounds them
// better than the row count: a measured count, or an integer range.
func (e *estimator) knownNDV(id ColID) (float64, bool) {
	info, ok := e.cols[id]
	if !ok {
		return 0, false
	}
	b := e.base(id)
	if b.measured {
		return b.d, true
	}
	t := info.table.Columns[info.idx].Type
	if t.IsInteger() || t.ID == coldata.Date {
		return b.d, true
	}
	return 0, false
}

func (e *estimator) colRange(id ColID) colRange {
	if r, ok := e.rng[id]; ok {
		return r
	}
	var r colRange
	if info, ok := e.cols[id]; ok {
		if lo, hi, ok := storage.ColumnRange(info.table, info.idx); ok {
			t := info.table.Columns[info.idx].Type
			r = colRange{lo: asFloat(t, lo), hi: asFloat(t, hi), ok: t.IsNumeric() || t.ID == coldata.Date || t.ID == coldata.Timestamp}
		}
	}
	e.rng[id] = r
	return r
}

func asFloat(t coldata.Type, d coldata.Datum) float64 {
	switch t.ID {
	case coldata.Float64:
		return d.F
	case coldata.Decimal:
		return float64(d.I) / math.Pow10(int(t.Scale))
	}
	return float64(d.I)
}

// nullFraction is the share of NULLs in a base column, from the footers'
// null counts, when every row group has one.
func (e *estimator) nullFraction(id ColID) (float64, bool) {
	info, ok := e.cols[id]
	if !ok || info.rows == 0 {
		return 0, false
	}
	var nulls int64
	for _, f := range info.table.Files {
		for rg := 0; rg < f.NumRowGroups(); rg++ {
			st, ok := f.ColumnStats(rg, info.idx)
			if !ok || !st.HasNullCount {
				return 0, false
			}
			nulls += st.NullCount
		}
	}
	return float64(nulls) / info.rows, true
}
