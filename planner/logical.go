package planner

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/storage"
)

// ColID identifies a column within one query's plans.
type ColID = int

// ColMeta describes one output column of a node.
type ColMeta struct {
	ID    ColID
	Name  string
	Table string // qualifier that may name it ("" for computed columns)
	Type  coldata.Type
}

// Node is a logical plan node.
type Node interface {
	Cols() []ColMeta
	Inputs() []Node
}

// Scan reads a Parquet table. Out lists the columns read; ColIdx[i] is the
// table column of Out[i]. Filters are conjuncts over Out, all evaluated by
// the scan (simple ones also prune row groups).
type Scan struct {
	Table   *storage.Table
	Alias   string
	ColIdx  []int
	Out     []ColMeta
	Filters []expr.Expr
	Limit   int64 // -1: none
	// Pruned reports hive partition pruning (nil: the table has none).
	Pruned *storage.PruneStats
}

// Filter keeps rows where Pred is TRUE.
type Filter struct {
	Input Node
	Pred  expr.Expr
}

// Project computes Exprs, producing Out.
type Project struct {
	Input Node
	Exprs []expr.Expr
	Out   []ColMeta
}

// JoinType is the logical join kind.
type JoinType uint8

// The join types the planner runs. The binder turns RIGHT joins into LEFT
// ones with the sides swapped and CROSS joins into inner ones without keys;
// SEMI and ANTI come from SEMI/ANTI JOIN and from decorrelated EXISTS and IN
// subqueries, and return left rows only (LeftOnly).
const (
	JoinInner JoinType = iota
	JoinLeft
	JoinSemi
	JoinAnti
	// JoinAntiNull is NOT IN: like ANTI, but a NULL on either side of the
	// key makes the comparison unknown, so such rows never qualify.
	JoinAntiNull
	// JoinFull keeps the rows of both sides, NULL-padding the unmatched.
	JoinFull
	// JoinPositional pairs row i of the left with row i of the right,
	// NULL-padding the shorter side (positional.go).
	JoinPositional
	// JoinAsof pairs each left row with the nearest right row by the
	// inequality of Cond, among those equal on the keys (asof.go);
	// JoinAsofLeft also keeps left rows without one.
	JoinAsof
	JoinAsofLeft
)

// String is the type as EXPLAIN prints it in HASH_JOIN lines; JoinAntiNull
// is `ANTI (NOT IN)`.
func (t JoinType) String() string {
	return [...]string{"INNER", "LEFT", "SEMI", "ANTI", "ANTI (NOT IN)", "FULL", "POSITIONAL", "ASOF", "ASOF LEFT"}[t]
}

// LeftOnly reports joins whose output is the left input's rows only.
func (t JoinType) LeftOnly() bool { return t == JoinSemi || t == JoinAnti || t == JoinAntiNull }

// Join combines Left and Right. Before the join rules run Cond holds the
// whole condition; afterwards LeftKeys[i] = RightKeys[i] are the equi-join
// keys and Cond the residual (nil when none).
type Join struct {
	Left, Right Node
	Type        JoinType
	Cond        expr.Expr
	LeftKeys    []expr.Expr
	RightKeys   []expr.Expr
	// Est is the join order's estimate of the join's rows (0: none, the
	// estimator computes one from its inputs).
	Est float64
}

// AggFunc is an aggregate function.
type AggFunc uint8

// The aggregates the planner and executor implement. AggCountStar is
// COUNT(*), which counts rows and takes no argument; AggCount counts
// non-NULL values. AVG, SUM, MIN and MAX ignore NULLs and are NULL over no
// rows.
const (
	AggCountStar AggFunc = iota
	AggCount
	AggSum
	AggAvg
	AggMin
	AggMax
	// AggNamed is every other aggregate, named by AggCall.Name (the
	// executor's registry of accumulators resolves it).
	AggNamed
)

// String is the aggregate's lower-case name as EXPLAIN prints it (count_star
// for COUNT(*)).
func (f AggFunc) String() string {
	return [...]string{"count_star", "count", "sum", "avg", "min", "max", "named"}[f]
}

// AggCall is one aggregate; Arg is a column of the input (nil for COUNT(*)).
type AggCall struct {
	Func     AggFunc
	Arg      expr.Expr
	Distinct bool
	Typ      coldata.Type
	// Name and Params (constant arguments such as a quantile's fraction or
	// string_agg's separator) of an AggNamed aggregate.
	Name   string
	Params []coldata.Datum
	// Arg2 is a two-argument aggregate's second argument (arg_min's
	// ordering value, covar's x), a column of the input like Arg.
	Arg2 expr.Expr
	// Order is an ordered aggregate's ORDER BY (AggNamed only), Filter its
	// FILTER (WHERE) predicate when not rewritten into Arg (a BOOLEAN
	// column of the input).
	Order  []AggOrder
	Filter expr.Expr
}

// Aggregate groups Input by Groups (columns of the input) and computes Aggs.
// Out is the group columns (same IDs as in the input) then one per agg.
type Aggregate struct {
	Input  Node
	Groups []ColMeta
	Aggs   []AggCall
	Out    []ColMeta
}

// SortKey orders by a column.
type SortKey struct {
	Col        ColID
	Desc       bool
	NullsFirst bool
}

// Sort orders its input.
type Sort struct {
	Input Node
	Keys  []SortKey
}

// Limit skips Offset rows and returns at most Count (-1: all).
type Limit struct {
	Input  Node
	Offset int64
	Count  int64
}

// Values is a constant relation (SELECT without FROM has one empty row).
type Values struct {
	Out  []ColMeta
	Rows [][]coldata.Datum
	// Source, when set, produces the rows instead (CSV, JSON files);
	// ColIdx[i] is its column of Out[i].
	Source ExternalSource
	ColIdx []int
}

// Cols returns the columns read (Out).
func (n *Scan) Cols() []ColMeta { return n.Out }

// Cols returns the input's columns: a filter drops rows, never columns.
func (n *Filter) Cols() []ColMeta { return n.Input.Cols() }

// Cols returns the computed columns (Out).
func (n *Project) Cols() []ColMeta { return n.Out }

// Cols returns the group columns, then one column per aggregate (Out).
func (n *Aggregate) Cols() []ColMeta { return n.Out }

// Cols returns the input's columns, in their order.
func (n *Sort) Cols() []ColMeta { return n.Input.Cols() }

// Cols returns the input's columns.
func (n *Limit) Cols() []ColMeta { return n.Input.Cols() }

// Cols returns the relation's columns (Out).
func (n *Values) Cols() []ColMeta { return n.Out }

// Cols returns the left columns then the right ones; SEMI, ANTI and NOT IN
// joins return only the left.
func (n *Join) Cols() []ColMeta {
	if n.Type.LeftOnly() {
		return n.Left.Cols()
	}
	l, r := n.Left.Cols(), n.Right.Cols()
	out := make([]ColMeta, 0, len(l)+len(r))
	return append(append(out, l...), r...)
}

// Inputs is nil: a scan is a leaf.
func (n *Scan) Inputs() []Node { return nil }

// Inputs returns the filtered input.
func (n *Filter) Inputs() []Node { return []Node{n.Input} }

// Inputs returns the projected input.
func (n *Project) Inputs() []Node { return []Node{n.Input} }

// Inputs returns the aggregated input.
func (n *Aggregate) Inputs() []Node { return []Node{n.Input} }

// Inputs returns the sorted input.
func (n *Sort) Inputs() []Node { return []Node{n.Input} }

// Inputs returns the limited input.
func (n *Limit) Inputs() []Node { return []Node{n.Input} }

// Inputs is nil: the rows are constants.
func (n *Values) Inputs() []Node { return nil }

// Inputs returns Left then Right.
func (n *Join) Inputs() []Node { return []Node{n.Left, n.Right} }

// IDs returns the column IDs of cols.
func IDs(cols []ColMeta) map[ColID]bool {
	m := make(map[ColID]bool, len(cols))
	for _, c := range cols {
		m[c.ID] = true
	}
	return m
}

// covers reports whether every column e reads is in ids.
func covers(ids map[ColID]bool, e expr.Expr) bool {
	for c := range expr.Columns(e) {
		if !ids[c] {
			return false
		}
	}
	return true
}

// mapInputs replaces each input of n by f(input), in place: the walk that
// rules rewriting below a node share.
func mapInputs(n Node, f func(Node) Node) {
	switch x := n.(type) {
	case *DistinctOn:
		x.Input = f(x.Input)
	case *Filter:
		x.Input = f(x.Input)
	case *Project:
		x.Input = f(x.Input)
	case *Aggregate:
		x.Input = f(x.Input)
	case *Sort:
		x.Input = f(x.Input)
	case *Limit:
		x.Input = f(x.Input)
	case *Join:
		x.Left, x.Right = f(x.Left), f(x.Right)
	case *Repeat:
		x.Input = f(x.Input)
	case *Window:
		x.Input = f(x.Input)
	case *Unnest:
		x.Input = f(x.Input)
	case *Union:
		for i, in := range x.Ins {
			x.Ins[i] = f(in)
		}
	}
}
