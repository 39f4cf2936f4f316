package planner

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/axiomhq/hyperloglog"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/storage"
)

// Sampler runs a scan at plan time, handing each batch of rows that pass
// its filter to fn until the scan ends or fn returns false (the executor
// provides it: exec.SampleScan; the planner cannot run operators itself).
type Sampler func(ctx context.Context, p *PhysScan, fn func(*coldata.Batch) bool) error

// Filtered dimensions are measured, not guessed. A star query's
// dimensions are small and filtered on attributes whose selectivity the
// footers cannot tell (a string equal to a constant, a month and a year
// together) and whose surviving keys are not spread like the table's: a
// date dimension spans two centuries, d_year = 2001 keeps the one year the
// fact table's dates lie in, and estimated by the share of rows kept (1 in
// 200) the join with it keeps 40 times too few fact rows. So a filtered
// scan of a table of at most sampleMaxRows rows is run at plan time, whole:
// its passing rows are counted, each column's distinct values sketched and
// a sample of its integer keys kept, from which the join estimate takes
// the share of the kept keys that the fact table's key range covers
// (fkDivisor). Reading such a table takes about a millisecond; the total
// is bounded per query by sampleBudgetRows.
// Filters of more than sampleMaxFilterNodes nodes (a WHERE of thousands of
// ORed terms) are not sampled: evaluating them costs what running the query
// costs, not a millisecond.
const (
	sampleMaxRows        = 500_000
	sampleBudgetRows     = 1_500_000
	sampleKeepValues     = 2048
	sampleMaxFilterNodes = 1024
)

// scanSample is what a sampled scan measured.
type scanSample struct {
	rows float64
	cols map[int]*colSample // by table column
}

// colSample describes one column's values among a sampled scan's rows.
type colSample struct {
	ndv  float64
	vals []float64 // a uniform sample of integer or date values, sorted
	rows float64   // the scan's passing rows
}

// sampleScan measures n when it is filtered, small enough and the budget
// allows; nil otherwise. Results are cached by table and filters, so the
// estimates of a scan before and after column pruning agree.
func (e *estimator) sampleScan(n *Scan) *scanSample {
	if e.sampler == nil || len(n.Filters) == 0 || n.Table == nil || n.Table.Mem != nil || n.Table.NumRows > sampleMaxRows || filterNodesOver(n.Filters, sampleMaxFilterNodes) {
		return nil
	}
	key := sampleKey(n)
	if s, ok := e.samples[key]; ok {
		e.noteSample(n, s)
		return s
	}
	if e.sampleBudget+float64(n.Table.NumRows) > sampleBudgetRows {
		return nil
	}
	e.sampleBudget += float64(n.Table.NumRows)
	s := e.runSample(n)
	e.samples[key] = s
	e.noteSample(n, s)
	return s
}

// filterNodesOver reports whether filters have more than limit nodes,
// stopping its count there.
func filterNodesOver(filters []expr.Expr, limit int) bool {
	n := 0
	for _, f := range filters {
		expr.Walk(f, func(expr.Expr) bool {
			n++
			return n <= limit
		})
		if n > limit {
			return true
		}
	}
	return false
}

func sampleKey(n *Scan) string {
	// A builder: appending to a string copies it each time, quadratic in a
	// 100,000-term WHERE.
	var k strings.Builder
	k.WriteString(n.Table.Name)
	for _, f := range n.Filters {
		k.WriteByte(0)
		k.WriteString(exprKey(f))
	}
	return k.String()
}

// noteSample records the sample against the scan's column IDs.
func (e *estimator) noteSample(n *Scan, s *scanSample) {
	if s == nil {
		return
	}
	for i, c := range n.Out {
		if i < len(n.ColIdx) {
			if cs := s.cols[n.ColIdx[i]]; cs != nil {
				e.sampledCols[c.ID] = cs
			}
		}
	}
}

// runSample scans n's table with its filters. Columns are keyed by table
// column index so a cached sample serves any scan of the same table and
// filters.
func (e *estimator) runSample(n *Scan) *scanSample {
	// Read only the columns the query reads (filters, keys, groupings):
	// scans still carry all their table's columns while joins are
	// ordered.
	need := map[ColID]bool{}
	for _, f := range n.Filters {
		for c := range expr.Columns(f) {
			need[c] = true
		}
	}
	var out []ColMeta
	var colIdx []int
	for i, c := range n.Out {
		if need[c.ID] || e.used == nil || e.used[c.ID] {
			out = append(out, c)
			colIdx = append(colIdx, n.ColIdx[i])
		}
	}
	n = &Scan{Table: n.Table, Alias: n.Alias, ColIdx: colIdx, Out: out, Filters: n.Filters, Limit: -1}
	p := &PhysScan{PhysBase: PhysBase{Out: out}, Table: n.Table, Alias: n.Alias, ColIdx: colIdx, Limit: -1}
	f, err := toPos(expr.And(n.Filters...), n.Out)
	if err != nil {
		return nil
	}
	p.Filter = f
	p.Preds = scanPredicates(expr.SplitAnd(f), n.ColIdx)
	p.OrPreds = scanDisjunctions(expr.SplitAnd(f), n.ColIdx)
	sks := make([]*hyperloglog.Sketch, len(n.Out))
	keep := make([][]float64, len(n.Out))
	seen := make([]int, len(n.Out))
	for i := range sks {
		sks[i] = storage.NewSketch()
	}
	rng := rand.New(rand.NewPCG(1, 2)) // reproducible plans
	rows := 0
	err = e.sampler(context.Background(), p, func(b *coldata.Batch) bool {
		m := b.Len()
		rows += m
		for i, v := range b.Vecs {
			if sks[i] != nil && !storage.AddToSketch(sks[i], v, b.Sel, m) {
				sks[i] = nil
			}
			if !keyType(v.Type) {
				continue
			}
			for k := 0; k < m; k++ {
				r := k
				if b.Sel != nil {
					r = int(b.Sel[k])
				}
				if v.Nulls != nil && v.Nulls[r] {
					continue
				}
				// Reservoir sampling (Vitter's algorithm R).
				seen[i]++
				x := asFloat(v.Type, v.Get(r))
				if len(keep[i]) < sampleKeepValues {
					keep[i] = append(keep[i], x)
				} else if j := rng.IntN(seen[i]); j < sampleKeepValues {
					keep[i][j] = x
				}
			}
		}
		return true
	})
	if err != nil {
		return nil
	}
	s := &scanSample{rows: float64(rows), cols: map[int]*colSample{}}
	for i := range n.Out {
		if sks[i] == nil || i >= len(n.ColIdx) {
			continue
		}
		cs := &colSample{ndv: math.Min(float64(sks[i].Estimate()), float64(rows)), rows: float64(rows)}
		if rows > 0 && cs.ndv < 1 {
			cs.ndv = 1
		}
		cs.vals = keep[i]
		slices.Sort(cs.vals)
		s.cols[n.ColIdx[i]] = cs
	}
	return s
}

func keyType(t coldata.Type) bool { return t.IsInteger() || t.ID == coldata.Date }

// sampled returns the sample of a column of a sampled scan (following
// projections' pass-through columns).
func (e *estimator) sampled(id ColID) *colSample {
	if cs := e.sampledCols[id]; cs != nil {
		return cs
	}
	return e.sampledCols[e.source(id)]
}

// uniqueBase reports a base column whose values are all distinct in its
// table (a primary key): a measured distinct count within 5% of the rows,
// or, unmeasured, an integer range no wider than 5% over the rows (a
// dense surrogate key). It returns the table's rows.
func (e *estimator) uniqueBase(id ColID) (float64, bool) {
	info, ok := e.cols[id]
	if !ok || info.rows <= 0 || info.table == nil {
		if b, ok := e.ndvs[id]; ok && b.measured && info.rows > 0 {
			return info.rows, b.d >= 0.95*info.rows // tests preset counts
		}
		return 0, false
	}
	// The range first: it is free, and decides for integer keys unless
	// they are sparse (distinct counts may mean sketching dictionaries).
	t := info.table.Columns[info.idx].Type
	if rg := e.colRange(id); rg.ok && (t.IsInteger() || t.ID == coldata.Date) {
		w := rg.hi - rg.lo + 1
		switch {
		case w < info.rows:
			return 0, false // fewer possible values than rows
		case w <= 1.05*info.rows:
			// As wide as the rows, but a chunk repeating values (a
			// foreign key that happens to span as many values as rows)
			// is no key.
			return info.rows, !storage.ValuesRepeat(info.table, info.idx)
		}
	}
	if b := e.base(id); b.measured {
		return info.rows, b.d >= 0.95*info.rows
	}
	return 0, false
}

// fkDivisor estimates a join of a foreign key fk with the primary key pk
// of a sampled, filtered dimension of pkRows rows as |F|·pkRows / div:
// among the dimension's keys inside the foreign key's range R, the share
// the filter kept is the share of the sampled keys that fall in R over
// the share of the whole table in R. ok is false unless pk is a unique
// key of a sampled scan and both ranges are known.
func (e *estimator) fkDivisor(fk, pk ColID) (float64, bool) {
	cs := e.sampled(pk)
	if cs == nil || len(cs.vals) == 0 {
		return 0, false
	}
	n, ok := e.uniqueBase(pk)
	if !ok {
		return 0, false
	}
	fr, dr := e.colRange(fk), e.colRange(pk)
	if !fr.ok || !dr.ok || dr.hi < dr.lo {
		return 0, false
	}
	lo, hi := math.Max(fr.lo, dr.lo), math.Min(fr.hi, dr.hi)
	if hi < lo {
		return math.Inf(1), true // no key in common: no rows
	}
	inTable := n * (hi - lo + 1) / (dr.hi - dr.lo + 1)
	a := sort.SearchFloat64s(cs.vals, lo)
	b := sort.Search(len(cs.vals), func(i int) bool { return cs.vals[i] > hi })
	frac := float64(b-a) / float64(len(cs.vals))
	if frac == 0 {
		frac = 0.5 / float64(len(cs.vals))
	}
	return math.Max(inTable/frac, 1), true
}
