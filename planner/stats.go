package planner

import (
	"math"
	"strings"

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
}

type colRange struct {
	lo, hi float64
	ok     bool
}

func newEstimator() *estimator {
	return &estimator{cols: map[ColID]colInfo{}, cache: map[Node]float64{}, rng: map[ColID]colRange{}}
}

func (e *estimator) set(n Node, rows float64) { e.cache[n] = rows }

// register records the base columns of every scan under n.
func (e *estimator) register(n Node) {
	if s, ok := n.(*Scan); ok {
		for i, c := range s.Out {
			e.cols[c.ID] = colInfo{table: s.Table, idx: s.ColIdx[i], rows: float64(s.Table.NumRows)}
		}
	}
	for _, in := range n.Inputs() {
		e.register(in)
	}
}

func (e *estimator) rows(n Node) float64 {
	if r, ok := e.cache[n]; ok {
		return r
	}
	var r float64
	switch n := n.(type) {
	case *Scan:
		r = float64(n.Table.NumRows)
		for _, f := range n.Filters {
			r *= e.selectivity(f)
		}
		if n.Limit >= 0 {
			r = math.Min(r, float64(n.Limit))
		}
	case *Filter:
		r = e.rows(n.Input) * e.selectivity(n.Pred)
	case *Project:
		r = e.rows(n.Input)
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
			g := 1.0
			for _, c := range n.Groups {
				g *= e.ndv(c.ID, in)
			}
			r = math.Min(in, g)
		}
	case *Join:
		l, rr := e.rows(n.Left), e.rows(n.Right)
		switch n.Type {
		case JoinInner:
			r = e.joinRows(l, rr, n.LeftKeys, n.RightKeys)
		case JoinLeft:
			r = math.Max(l, e.joinRows(l, rr, n.LeftKeys, n.RightKeys))
		default:
			r = l * 0.5
		}
	case *Values:
		r = float64(len(n.Rows))
	}
	if r < 1 {
		r = 1
	}
	e.cache[n] = r
	return r
}

// joinRows estimates |L ⋈ R| = |L|·|R| / max(ndv(lk), ndv(rk)) for the most
// selective key pair; with no keys it is a cross product.
func (e *estimator) joinRows(l, r float64, lk, rk []expr.Expr) float64 {
	if len(lk) == 0 {
		return l * r
	}
	best := l * r
	for i := range lk {
		d := math.Max(e.exprNDV(lk[i], l), e.exprNDV(rk[i], r))
		a, okA := lk[i].(*expr.Column)
		b, okB := rk[i].(*expr.Column)
		if okA && okB {
			d = e.keyNDV(a.Index, b.Index)
		}
		if est := l * r / math.Max(d, 1); est < best {
			best = est
		}
	}
	return math.Max(best, 1)
}

func (e *estimator) exprNDV(x expr.Expr, rows float64) float64 {
	if c, ok := x.(*expr.Column); ok {
		return e.ndv(c.Index, rows)
	}
	return rows
}

// ndv estimates a column's distinct values: the base table's row count,
// capped by the value range for integer-like columns.
func (e *estimator) ndv(id ColID, rows float64) float64 {
	info, ok := e.cols[id]
	if !ok {
		return rows
	}
	d := info.rows
	if rg := e.colRange(id); rg.ok && rg.hi-rg.lo+1 < d {
		t := info.table.Columns[info.idx].Type
		if t.IsInteger() || t.ID == coldata.Date {
			d = rg.hi - rg.lo + 1
		}
	}
	return math.Max(1, d)
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

// selectivity estimates the fraction of rows satisfying p.
func (e *estimator) selectivity(p expr.Expr) float64 {
	switch p := p.(type) {
	case *expr.Func:
		switch p.Op {
		case expr.OpAnd:
			return e.selectivity(p.Args[0]) * e.selectivity(p.Args[1])
		case expr.OpOr:
			a, b := e.selectivity(p.Args[0]), e.selectivity(p.Args[1])
			return math.Min(1, a+b-a*b)
		case expr.OpNot:
			return 1 - e.selectivity(p.Args[0])
		case expr.OpEq, expr.OpNe, expr.OpLt, expr.OpLe, expr.OpGt, expr.OpGe:
			return e.compareSel(p)
		}
	case *expr.In:
		c, ok := p.Arg.(*expr.Column)
		s := selEq * float64(len(p.List))
		if ok {
			s = float64(len(p.List)) / e.ndv(c.Index, 10)
		}
		s = math.Min(1, s)
		if p.Not {
			return 1 - s
		}
		return s
	case *expr.Like:
		s := selLike
		if !strings.ContainsAny(p.Pattern, "%_") {
			s = selEq
		}
		if p.Not {
			return 1 - s
		}
		return s
	case *expr.IsNull:
		frac := 0.05
		if c, ok := p.Arg.(*expr.Column); ok {
			if f, ok := e.nullFraction(c.Index); ok {
				frac = f
			}
		}
		if p.Not {
			return 1 - frac
		}
		return frac
	}
	return selDefault
}

func (e *estimator) compareSel(f *expr.Func) float64 {
	col, k, op, ok := columnVsConst(f)
	if !ok || k.Val.Null {
		if f.Op == expr.OpEq {
			return selEq
		}
		return selDefault
	}
	// Without distinct counts, only integer-like columns have a usable
	// bound (their value range); assume a string has few distinct values.
	eq := selEq
	if col.Typ.IsInteger() || col.Typ.ID == coldata.Date {
		eq = 1 / e.ndv(col.Index, 1/selEq)
	}
	switch op {
	case expr.OpEq:
		return eq
	case expr.OpNe:
		return 1 - eq
	}
	rg := e.colRange(col.Index)
	if !rg.ok || rg.hi <= rg.lo {
		return 1.0 / 3
	}
	v := asFloat(col.Typ, k.Val)
	frac := (v - rg.lo) / (rg.hi - rg.lo)
	frac = math.Max(0, math.Min(1, frac))
	if op == expr.OpGt || op == expr.OpGe {
		frac = 1 - frac
	}
	return math.Max(frac, 0.001)
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
