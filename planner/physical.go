package planner

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/scan"
	"github.com/peregrinedb/peregrine/storage"
)

// Physical is a node of the physical plan. Expressions in physical nodes
// refer to input columns by position; Out describes the output layout.
type Physical interface {
	Base() *PhysBase
	Children() []Physical
}

// PhysBase is shared by all physical nodes.
type PhysBase struct {
	Out     []ColMeta
	EstRows float64
}

// Base returns the shared fields; embedding PhysBase gives every physical
// node this method of the Physical interface.
func (b *PhysBase) Base() *PhysBase { return b }

// Types lists the output types of p.
func Types(p Physical) []coldata.Type {
	out := make([]coldata.Type, len(p.Base().Out))
	for i, c := range p.Base().Out {
		out[i] = c.Type
	}
	return out
}

// PhysScan reads ColIdx of Table; Filter (over Out) is applied to every
// row, Preds prune row groups by statistics.
type PhysScan struct {
	PhysBase
	Table  *storage.Table
	Alias  string
	ColIdx []int
	Filter expr.Expr
	Preds  []scan.Predicate
	Limit  int64
	Pruned *storage.PruneStats // hive partition pruning, when the table has partitions
	// OrPreds are OR filters whose every branch is a conjunction of simple
	// predicates; a row group no branch can match is skipped.
	OrPreds []scan.Disjunction
}

// PhysFilter keeps the input rows for which Pred (over input positions) is
// TRUE; FALSE and NULL drop the row. Out is the input's layout.
type PhysFilter struct {
	PhysBase
	Input Physical
	Pred  expr.Expr
}

// PhysProject computes Exprs over each input row (columns by input
// position): output column i is Exprs[i].
type PhysProject struct {
	PhysBase
	Input Physical
	Exprs []expr.Expr
}

// PhysHashJoin builds a hash table on Build (once, shared read-only by all
// probe workers) and streams Probe through it. Output: probe columns then
// build columns (probe only for semi/anti). Residual is evaluated over
// [probe..., build...] candidate pairs. Mode says how the table is built.
type PhysHashJoin struct {
	PhysBase
	Probe, Build Physical
	ProbeKeys    []int
	BuildKeys    []int
	Type         JoinType
	Residual     expr.Expr
	Cross        bool // keys are a constant: every pair matches
	Mode         JoinMode
	Asof         *PhysAsof // ASOF joins (asof.go)
}

// PlanOptions describe the executor the plan is for.
type PlanOptions struct {
	// Threads is the number of workers per pipeline; 0: several (unknown).
	// With one thread every join is broadcast: nobody would build the
	// partitions in parallel.
	Threads int
	// Sample, when set, measures small filtered scans at plan time (see
	// sample.go); nil plans from statistics alone.
	Sample Sampler
	// NoAdaptive plans every join region once, without stages measured
	// at run time (adaptive.go).
	NoAdaptive bool
}

// PhysAgg is one aggregate of a physical aggregation: Func over input column
// Arg (a position), over distinct values when Distinct is set; Typ is the
// result type.
type PhysAgg struct {
	Func     AggFunc
	Arg      int // -1 for COUNT(*)
	Distinct bool
	Typ      coldata.Type
	Name     string // AggNamed's aggregate
	Params   []coldata.Datum
	Arg2     int // a two-argument aggregate's second input column (AggCall.Arg2)
	Order    []PhysAggOrder
	Filter   int // the FILTER column, when Filtered
	Filtered bool
}

// PhysHashAgg groups its input by the columns at positions Groups in a hash
// table and computes Aggs per group. Output: the group columns, then one per
// aggregate. Without Groups it returns one row, also over an empty input.
type PhysHashAgg struct {
	PhysBase
	Input  Physical
	Groups []int
	Aggs   []PhysAgg
}

// PhysSortKey orders by the input column at position Col, descending when
// Desc, NULLs first when NullsFirst (the binder sets it only for NULLS
// FIRST: DuckDB sorts NULLs last by default).
type PhysSortKey struct {
	Col        int
	Desc       bool
	NullsFirst bool
}

// PhysSort orders its input by Keys, the first key most significant. Out is
// the input's layout.
type PhysSort struct {
	PhysBase
	Input Physical
	Keys  []PhysSortKey
}

// PhysTopN keeps the first Offset+Count rows in key order, then skips Offset.
type PhysTopN struct {
	PhysBase
	Input  Physical
	Keys   []PhysSortKey
	Offset int64
	Count  int64
}

// PhysLimit skips Offset input rows and returns at most Count of the rest
// (-1: all). An ORDER BY with a LIMIT is a PhysTopN instead.
type PhysLimit struct {
	PhysBase
	Input  Physical
	Offset int64
	Count  int64
}

// PhysValues returns constant Rows, one datum per column of Out: a VALUES
// list, or the single empty row of a SELECT without FROM.
type PhysValues struct {
	PhysBase
	Rows   [][]coldata.Datum
	Source ExternalSource // see Values
	ColIdx []int
}

// Children is nil: a scan is a leaf.
func (p *PhysScan) Children() []Physical { return nil }

// Children returns the filtered input.
func (p *PhysFilter) Children() []Physical { return []Physical{p.Input} }

// Children returns the projected input.
func (p *PhysProject) Children() []Physical { return []Physical{p.Input} }

// Children returns Probe then Build, the order of the output's columns.
func (p *PhysHashJoin) Children() []Physical { return []Physical{p.Probe, p.Build} }

// Children returns the aggregated input.
func (p *PhysHashAgg) Children() []Physical { return []Physical{p.Input} }

// Children returns the sorted input.
func (p *PhysSort) Children() []Physical { return []Physical{p.Input} }

// Children returns the input the top rows are taken from.
func (p *PhysTopN) Children() []Physical { return []Physical{p.Input} }

// Children returns the limited input.
func (p *PhysLimit) Children() []Physical { return []Physical{p.Input} }

// Children is nil: the rows are constants.
func (p *PhysValues) Children() []Physical { return nil }

// Plan optimizes a bound logical plan and lowers it to a physical plan for
// an executor with several threads.
func Plan(root Node) (Physical, error) { return PlanWith(root, PlanOptions{}) }

// PlanWith is Plan for the executor opts describes.
func PlanWith(root Node, opts PlanOptions) (Physical, error) {
	o := &optimizer{est: newEstimator(), opts: opts}
	o.est.sampler = opts.Sample
	o.est.used = usedColumns(root)
	o.est.register(root)
	if err := o.planShared(root); err != nil {
		return nil, err
	}
	n := o.pushDown(simplifyOuterJoins(root), nil)
	if o.err != nil {
		return nil, o.err
	}
	n = prune(n, IDs(root.Cols()))
	n = pushLimit(n)
	n = answerFromFooters(n)
	// Estimates were cached on pre-pruning nodes; recompute on the final tree.
	o.est.cache = map[Node]float64{}
	return o.lower(n)
}

type optimizer struct {
	opts PlanOptions
	est  *estimator
	err  error // the first error of a rule that can fail (opening files)
	// inRegion is above zero while an adaptive region's own joins are
	// lowered.
	inRegion int
}

func positions(cols []ColMeta) map[ColID]int {
	m := make(map[ColID]int, len(cols))
	for i, c := range cols {
		m[c.ID] = i
	}
	return m
}

// toPos rewrites column references from IDs to positions in layout.
func toPos(e expr.Expr, layout []ColMeta) (expr.Expr, error) {
	pos := positions(layout)
	var missing error
	out := expr.Rewrite(e, func(x expr.Expr) expr.Expr {
		if c, ok := x.(*expr.Column); ok {
			p, ok := pos[c.Index]
			if !ok && missing == nil {
				missing = fmt.Errorf("internal error: column %s (#%d) is not available to %s", c.Name, c.Index, e)
			}
			c.Index = p
		}
		return x
	})
	return out, missing
}

func (o *optimizer) lower(n Node) (Physical, error) {
	est := o.est.rows(n)
	switch n := n.(type) {
	case *DistinctOn:
		return o.lowerDistinctOn(n, est)
	case *Scan:
		p := &PhysScan{PhysBase: PhysBase{Out: n.Out, EstRows: est}, Table: n.Table, Alias: n.Alias, ColIdx: n.ColIdx, Limit: n.Limit, Pruned: n.Pruned}
		if len(n.Filters) > 0 {
			f, err := toPos(expr.And(n.Filters...), n.Out)
			if err != nil {
				return nil, err
			}
			p.Filter = f
			p.Preds = scanPredicates(expr.SplitAnd(f), n.ColIdx)
			p.OrPreds = scanDisjunctions(expr.SplitAnd(f), n.ColIdx)
		}
		return p, nil
	case *Filter:
		in, err := o.lower(n.Input)
		if err != nil {
			return nil, err
		}
		pred, err := toPos(n.Pred, in.Base().Out)
		if err != nil {
			return nil, err
		}
		return &PhysFilter{PhysBase: PhysBase{Out: in.Base().Out, EstRows: est}, Input: in, Pred: pred}, nil
	case *Project:
		in, err := o.lower(n.Input)
		if err != nil {
			return nil, err
		}
		p := &PhysProject{PhysBase: PhysBase{Out: n.Out, EstRows: est}, Input: in}
		for _, e := range n.Exprs {
			x, err := toPos(e, in.Base().Out)
			if err != nil {
				return nil, err
			}
			p.Exprs = append(p.Exprs, x)
		}
		return p, nil
	case *Join:
		switch n.Type {
		case JoinPositional:
			return o.lowerPositional(n, est)
		case JoinAsof, JoinAsofLeft:
			return o.lowerAsof(n, est)
		}
		if n.Type == JoinInner && o.inRegion == 0 && !o.opts.NoAdaptive {
			if rels, conds, stages := regionStages(n); len(stages) > 0 {
				return o.lowerAdaptive(n, est, rels, conds, stages)
			}
		}
		return o.leftBuildJoin(o.lowerJoin(n, est))
	case *Materialized:
		return &PhysMaterialized{PhysBase: PhysBase{Out: n.Out, EstRows: est}, Slot: n.Slot}, nil
	case *Aggregate:
		in, err := o.lower(n.Input)
		if err != nil {
			return nil, err
		}
		pos := positions(in.Base().Out)
		p := &PhysHashAgg{PhysBase: PhysBase{Out: n.Out, EstRows: est}, Input: in}
		for _, g := range n.Groups {
			p.Groups = append(p.Groups, pos[g.ID])
		}
		for _, a := range n.Aggs {
			pa := PhysAgg{Func: a.Func, Arg: -1, Distinct: a.Distinct, Typ: a.Typ, Name: a.Name, Params: a.Params}
			if a.Arg != nil {
				c, ok := a.Arg.(*expr.Column)
				if !ok {
					return nil, fmt.Errorf("internal error: aggregate argument %s is not a column", a.Arg)
				}
				pa.Arg = pos[c.Index]
			}
			if c, ok := a.Arg2.(*expr.Column); ok {
				pa.Arg2 = pos[c.Index]
			} else if a.Arg2 != nil {
				return nil, fmt.Errorf("internal error: aggregate argument %s is not a column", a.Arg2)
			}
			if err := lowerAggExtras(&pa, a, pos); err != nil {
				return nil, err
			}
			p.Aggs = append(p.Aggs, pa)
		}
		return p, nil
	case *Sort:
		in, err := o.lower(n.Input)
		if err != nil {
			return nil, err
		}
		return &PhysSort{PhysBase: PhysBase{Out: in.Base().Out, EstRows: est}, Input: in, Keys: sortKeys(n.Keys, in)}, nil
	case *Limit:
		if s, ok := n.Input.(*Sort); ok && n.Count >= 0 {
			in, err := o.lower(s.Input)
			if err != nil {
				return nil, err
			}
			return &PhysTopN{PhysBase: PhysBase{Out: in.Base().Out, EstRows: est}, Input: in, Keys: sortKeys(s.Keys, in), Offset: n.Offset, Count: n.Count}, nil
		}
		in, err := o.lower(n.Input)
		if err != nil {
			return nil, err
		}
		return &PhysLimit{PhysBase: PhysBase{Out: in.Base().Out, EstRows: est}, Input: in, Offset: n.Offset, Count: n.Count}, nil
	case *Values:
		return &PhysValues{PhysBase: PhysBase{Out: n.Out, EstRows: est}, Rows: n.Rows, Source: n.Source, ColIdx: n.ColIdx}, nil
	case *Series:
		return &PhysSeries{PhysBase: PhysBase{Out: n.Out, EstRows: est}, Spec: n.Spec}, nil
	case *RecursiveCTE:
		return o.lowerRecursive(n, est)
	case *WorkScan:
		return o.lowerWorkScan(n, est)
	case *CTERef:
		return o.lowerCTERef(n, est)
	case *Union:
		return o.lowerUnion(n, est)
	case *Repeat:
		return o.lowerRepeat(n, est)
	case *Window:
		return o.lowerWindow(n, est)
	case *Unnest:
		return o.lowerUnnest(n, est)
	}
	return nil, fmt.Errorf("internal error: cannot lower %T", n)
}

func sortKeys(keys []SortKey, in Physical) []PhysSortKey {
	pos := positions(in.Base().Out)
	out := make([]PhysSortKey, len(keys))
	for i, k := range keys {
		out[i] = PhysSortKey{Col: pos[k.Col], Desc: k.Desc, NullsFirst: k.NullsFirst}
	}
	return out
}

func (o *optimizer) lowerJoin(n *Join, est float64) (Physical, error) {
	probe, err := o.lower(n.Left)
	if err != nil {
		return nil, err
	}
	build, err := o.lower(n.Right)
	if err != nil {
		return nil, err
	}
	var pk, bk []int
	lk, rk := n.LeftKeys, n.RightKeys
	cross := len(lk) == 0
	if cross {
		// A cross product is a hash join on a constant key: one bucket that
		// every probe row matches, emitted in bounded batches.
		zero := &expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt32}
		lk, rk = []expr.Expr{zero}, []expr.Expr{zero}
	}
	if probe, pk, err = keyColumns(probe, lk); err != nil {
		return nil, err
	}
	if build, bk, err = keyColumns(build, rk); err != nil {
		return nil, err
	}
	// An inner or full join hashes the smaller side: when the right side is
	// estimated much larger, the sides swap and a projection restores the
	// [left..., right...] layout (the other types have left-build forms).
	swapped := (n.Type == JoinInner || n.Type == JoinFull) && !cross && build.Base().EstRows > InnerSwapRatio*probe.Base().EstRows
	if swapped {
		probe, build, pk, bk = build, probe, bk, pk
	}
	j := &PhysHashJoin{Probe: probe, Build: build, ProbeKeys: pk, BuildKeys: bk, Type: n.Type, Cross: cross}
	both := append(append([]ColMeta{}, probe.Base().Out...), build.Base().Out...)
	if n.Cond != nil {
		if j.Residual, err = toPos(n.Cond, both); err != nil {
			return nil, err
		}
	}
	j.Out = both
	if n.Type.LeftOnly() {
		j.Out = probe.Base().Out
	}
	j.EstRows = est
	j.Mode = o.joinMode(j)
	if !swapped {
		return j, nil
	}
	proj := &PhysProject{PhysBase: PhysBase{EstRows: est}, Input: j}
	np := len(probe.Base().Out)
	for i, c := range build.Base().Out {
		proj.Exprs = append(proj.Exprs, &expr.Column{Index: np + i, Typ: c.Type, Name: c.Name})
		proj.Out = append(proj.Out, c)
	}
	for i, c := range probe.Base().Out {
		proj.Exprs = append(proj.Exprs, &expr.Column{Index: i, Typ: c.Type, Name: c.Name})
		proj.Out = append(proj.Out, c)
	}
	return proj, nil
}

// InnerSwapRatio is how many times larger the estimated right side of an
// inner join must be than its left side for the join to hash the left.
const InnerSwapRatio = 2

// keyColumns returns the positions of join keys in p, adding a projection
// that computes keys that are expressions rather than plain columns.
func keyColumns(p Physical, keys []expr.Expr) (Physical, []int, error) {
	layout := p.Base().Out
	pos := positions(layout)
	out := make([]int, len(keys))
	var extra []expr.Expr
	for i, k := range keys {
		if c, ok := k.(*expr.Column); ok {
			if at, ok := pos[c.Index]; ok {
				out[i] = at
				continue
			}
		}
		x, err := toPos(k, layout)
		if err != nil {
			return nil, nil, err
		}
		out[i] = len(layout) + len(extra)
		extra = append(extra, x)
	}
	if len(extra) == 0 {
		return p, out, nil
	}
	proj := &PhysProject{Input: p, PhysBase: PhysBase{EstRows: p.Base().EstRows}}
	for i, c := range layout {
		proj.Exprs = append(proj.Exprs, &expr.Column{Index: i, Typ: c.Type, Name: c.Name})
		proj.Out = append(proj.Out, c)
	}
	for _, x := range extra {
		proj.Exprs = append(proj.Exprs, x)
		// Computed keys get IDs no logical column uses.
		proj.Out = append(proj.Out, ColMeta{ID: -len(proj.Out) - 1, Name: x.String(), Type: x.Type()})
	}
	return proj, out, nil
}

// scanPredicates extracts the `column op constant` conjuncts the scanner can
// use to skip row groups. filters are positional over the scan's output;
// colIdx maps output positions to file columns.
func scanPredicates(filters []expr.Expr, colIdx []int) []scan.Predicate {
	var out []scan.Predicate
	for _, f := range filters {
		switch f := f.(type) {
		case *expr.Func:
			col, k, op, ok := columnVsConst(f)
			if !ok || !op.IsComparison() || k.Val.Null {
				continue
			}
			sop := map[expr.Op]scan.Op{expr.OpEq: scan.OpEq, expr.OpNe: scan.OpNe, expr.OpLt: scan.OpLt,
				expr.OpLe: scan.OpLe, expr.OpGt: scan.OpGt, expr.OpGe: scan.OpGe}[op]
			out = append(out, scan.Predicate{Col: colIdx[col.Index], Op: sop, Vals: []coldata.Datum{k.Val}})
		case *expr.In:
			if col, ok := f.Arg.(*expr.Column); ok && !f.Not && len(f.List) > 0 {
				out = append(out, scan.Predicate{Col: colIdx[col.Index], Op: scan.OpIn, Vals: f.List})
			}
		case *expr.IsNull:
			if col, ok := f.Arg.(*expr.Column); ok {
				op := scan.OpIsNull
				if f.Not {
					op = scan.OpIsNotNull
				}
				out = append(out, scan.Predicate{Col: colIdx[col.Index], Op: op})
			}
		}
	}
	return out
}

// scanDisjunctions extracts OR filters all of whose branches the scanner can
// test against statistics: (a = 1 AND b < 5) OR c IN (…).
func scanDisjunctions(filters []expr.Expr, colIdx []int) []scan.Disjunction {
	var out []scan.Disjunction
	for _, f := range filters {
		fn, ok := f.(*expr.Func)
		if !ok || fn.Op != expr.OpOr {
			continue
		}
		var d scan.Disjunction
		for _, branch := range splitOr(f) {
			terms := expr.SplitAnd(branch)
			preds := scanPredicates(terms, colIdx)
			if len(preds) == 0 {
				d = nil // a branch the statistics can't judge may always match
				break
			}
			// Terms that are not simple predicates only make the branch
			// narrower, so testing its simple ones alone is conservative.
			d = append(d, preds)
		}
		if d != nil {
			out = append(out, d)
		}
	}
	return out
}

// columnVsConst matches `column op constant` in either order, returning the
// operator as seen from the column (5 > x gives x < 5).
func columnVsConst(f *expr.Func) (*expr.Column, *expr.Const, expr.Op, bool) {
	if len(f.Args) != 2 {
		return nil, nil, 0, false
	}
	if col, ok := f.Args[0].(*expr.Column); ok {
		if k, ok := f.Args[1].(*expr.Const); ok {
			return col, k, f.Op, true
		}
	}
	if col, ok := f.Args[1].(*expr.Column); ok {
		if k, ok := f.Args[0].(*expr.Const); ok {
			return col, k, f.Op.Commute(), true
		}
	}
	return nil, nil, 0, false
}
