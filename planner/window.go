package planner

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// WinFunc is a window function.
type WinFunc uint8

// The window functions: an aggregate over the frame, or one of SQL's
// ranking and value functions, named as in SQL (WinRowNumber is
// row_number(), WinNthValue nth_value(), ...).
const (
	// WinAggregate is an aggregate (WindowCall.Agg) over the frame.
	WinAggregate WinFunc = iota
	WinRowNumber
	WinRank
	WinDenseRank
	WinPercentRank
	WinCumeDist
	WinNtile
	WinLag
	WinLead
	WinFirstValue
	WinLastValue
	WinNthValue
	WinFill // DuckDB's fill(x): NULLs interpolated by the one ORDER BY key
)

var winFuncNames = [...]string{"aggregate", "row_number", "rank", "dense_rank", "percent_rank", "cume_dist",
	"ntile", "lag", "lead", "first_value", "last_value", "nth_value", "fill"}

// String is the function's SQL name.
func (f WinFunc) String() string { return winFuncNames[f] }

// FrameMode is how a frame's offsets count: rows, peer groups, or a
// distance in the ORDER BY value.
type FrameMode uint8

// The frame modes: ROWS, RANGE and GROUPS.
const (
	FrameRows FrameMode = iota
	FrameRange
	FrameGroups
)

// BoundKind is the kind of one end of a frame.
type BoundKind uint8

// The frame bounds: UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n
// FOLLOWING, UNBOUNDED FOLLOWING.
const (
	BoundUnboundedPreceding BoundKind = iota
	BoundPreceding
	BoundCurrentRow
	BoundFollowing
	BoundUnboundedFollowing
)

// FrameExclude is a frame's EXCLUDE clause.
type FrameExclude uint8

// The EXCLUDE options: NO OTHERS (the default), CURRENT ROW, GROUP (the
// current row's peers) and TIES (the peers but the current row).
const (
	ExcludeNoOthers FrameExclude = iota
	ExcludeCurrentRow
	ExcludeGroup
	ExcludeTies
)

// WinBound is one end of a frame. For n PRECEDING/FOLLOWING, Value is a
// column of the input: ROWS and GROUPS count its value (a BIGINT) in rows
// or peer groups; RANGE compares the ORDER BY key (the frame's RangeKey
// column) with it, each row's key minus or plus the offset as the binder
// computed it.
type WinBound struct {
	Kind  BoundKind
	Value ColMeta
}

// hasValue reports a bound with an offset.
func (b BoundKind) hasValue() bool { return b == BoundPreceding || b == BoundFollowing }

// WinFrame is a window frame.
type WinFrame struct {
	Mode       FrameMode
	Start, End WinBound
	Exclude    FrameExclude
	// RangeKey is the ORDER BY key in the type of the bound values (RANGE
	// with an offset only); Desc is its direction.
	RangeKey ColMeta
	Desc     bool
}

// WindowCall is one window function. Args are columns of the input.
type WindowCall struct {
	Func        WinFunc
	Agg         AggFunc // WinAggregate only
	Distinct    bool
	Args        []ColMeta
	IgnoreNulls bool
	Frame       WinFrame
	Typ         coldata.Type
}

// Window computes Calls over the rows of Input partitioned by Partition
// and ordered by Order within each partition (all columns of Input). Out
// is the input's columns then one per call.
type Window struct {
	Input     Node
	Partition []ColMeta
	Order     []SortKey
	Calls     []WindowCall
	Out       []ColMeta
}

// Cols are the input's columns and then one per call.
func (n *Window) Cols() []ColMeta { return n.Out }

// Inputs is the windowed input.
func (n *Window) Inputs() []Node { return []Node{n.Input} }

// usedCols are the input columns the window reads itself.
func (n *Window) usedCols() map[ColID]bool {
	used := IDs(n.Partition)
	for _, k := range n.Order {
		used[k.Col] = true
	}
	for _, c := range n.Calls {
		for _, a := range c.Args {
			used[a.ID] = true
		}
		for _, b := range []WinBound{c.Frame.Start, c.Frame.End} {
			if b.Kind.hasValue() {
				used[b.Value.ID] = true
				if c.Frame.Mode == FrameRange {
					used[c.Frame.RangeKey.ID] = true
				}
			}
		}
	}
	return used
}

// pruneWindow drops the calls nobody reads (and the window with them when
// none is read) and the input columns neither the window nor anything
// above reads.
func pruneWindow(n *Window, need map[ColID]bool) Node {
	w := *n
	w.Calls = nil
	nIn := len(n.Out) - len(n.Calls)
	var outs []ColMeta
	for i, c := range n.Calls {
		if need[n.Out[nIn+i].ID] {
			w.Calls = append(w.Calls, c)
			outs = append(outs, n.Out[nIn+i])
		}
	}
	if len(w.Calls) == 0 {
		// Nobody reads a result: a window keeps every row as it is.
		return prune(n.Input, need)
	}
	used := copySet(need)
	for id := range w.usedCols() {
		used[id] = true
	}
	// The executor counts a window's rows by its input's columns, so the
	// input keeps one even when nothing above reads any.
	if in := n.Input.Cols(); len(in) > 0 && !anyUsed(in, used) {
		used[in[0].ID] = true
	}
	w.Input = narrow(prune(n.Input, used), used)
	w.Out = append(append([]ColMeta{}, w.Input.Cols()...), outs...)
	return &w
}

// pushWindow pushes the predicates over partition keys alone below the
// window (they keep or drop whole partitions, which are computed
// independently); the rest stay above.
func (o *optimizer) pushWindow(n *Window, preds []expr.Expr) Node {
	keys := IDs(n.Partition)
	var below, above []expr.Expr
	for _, p := range preds {
		if len(keys) > 0 && covers(keys, p) {
			below = append(below, p)
		} else {
			above = append(above, p)
		}
	}
	w := *n
	w.Input = o.pushDown(n.Input, below)
	return filterOver(&w, above)
}

// PhysWinBound is a frame end with the bound value's column position
// (-1: none).
type PhysWinBound struct {
	Kind  BoundKind
	Value int
}

// PhysWinFrame is a frame with positional columns.
type PhysWinFrame struct {
	Mode       FrameMode
	Start, End PhysWinBound
	Exclude    FrameExclude
	RangeKey   int
	Desc       bool
}

// PhysWindowCall is a window function over input positions.
type PhysWindowCall struct {
	Func        WinFunc
	Agg         AggFunc
	Distinct    bool
	Args        []int
	IgnoreNulls bool
	Frame       PhysWinFrame
	Typ         coldata.Type
}

// PhysWindow sorts its input by (Partition, Order) and computes Calls over
// each partition; output is the input's columns then one per call.
type PhysWindow struct {
	PhysBase
	Input     Physical
	Partition []int
	Order     []PhysSortKey
	Calls     []PhysWindowCall
}

// Children is the windowed input.
func (p *PhysWindow) Children() []Physical { return []Physical{p.Input} }

func (o *optimizer) lowerWindow(n *Window, est float64) (Physical, error) {
	in, err := o.lower(n.Input)
	if err != nil {
		return nil, err
	}
	pos := positions(in.Base().Out)
	at := func(c ColMeta) (int, error) {
		k, ok := pos[c.ID]
		if !ok {
			return 0, fmt.Errorf("internal error: window input lost column %s (#%d)", c.Name, c.ID)
		}
		return k, nil
	}
	nIn := len(n.Out) - len(n.Calls)
	out := append(append([]ColMeta{}, in.Base().Out...), n.Out[nIn:]...)
	p := &PhysWindow{PhysBase: PhysBase{Out: out, EstRows: est}, Input: in, Order: sortKeys(n.Order, in)}
	for _, c := range n.Partition {
		k, err := at(c)
		if err != nil {
			return nil, err
		}
		p.Partition = append(p.Partition, k)
	}
	for _, c := range n.Calls {
		pc := PhysWindowCall{Func: c.Func, Agg: c.Agg, Distinct: c.Distinct, IgnoreNulls: c.IgnoreNulls, Typ: c.Typ}
		for _, a := range c.Args {
			k, err := at(a)
			if err != nil {
				return nil, err
			}
			pc.Args = append(pc.Args, k)
		}
		f := c.Frame
		pc.Frame = PhysWinFrame{Mode: f.Mode, Exclude: f.Exclude, Desc: f.Desc, RangeKey: -1,
			Start: PhysWinBound{Kind: f.Start.Kind, Value: -1},
			End:   PhysWinBound{Kind: f.End.Kind, Value: -1}}
		for _, b := range []struct {
			l *WinBound
			p *PhysWinBound
		}{{&f.Start, &pc.Frame.Start}, {&f.End, &pc.Frame.End}} {
			if !b.l.Kind.hasValue() {
				continue
			}
			if b.p.Value, err = at(b.l.Value); err != nil {
				return nil, err
			}
			if f.Mode == FrameRange {
				if pc.Frame.RangeKey, err = at(f.RangeKey); err != nil {
					return nil, err
				}
			}
		}
		p.Calls = append(p.Calls, pc)
	}
	return p, nil
}

// describe is the EXPLAIN line of a window.
func (p *PhysWindow) describe() string {
	in := p.Input.Base().Out
	calls := make([]string, len(p.Calls))
	for i, c := range p.Calls {
		name := c.Func.String()
		if c.Func == WinAggregate {
			name = c.Agg.String()
		}
		args := make([]string, len(c.Args))
		for k, a := range c.Args {
			args[k] = in[a].Name
		}
		calls[i] = name + "(" + strings.Join(args, ", ") + ")"
	}
	s := "WINDOW [" + strings.Join(calls, ", ") + "]"
	if len(p.Partition) > 0 {
		s += " partition: [" + colNames(in, p.Partition) + "]"
	}
	if len(p.Order) > 0 {
		s += " order: " + sortDesc(p.Order, in)
	}
	return s
}

func cloneWindow(c *cloner, x *Window) (*Window, error) {
	w := *x
	w.Partition = append([]ColMeta(nil), x.Partition...)
	w.Order = append([]SortKey(nil), x.Order...)
	w.Out = append([]ColMeta(nil), x.Out...)
	w.Calls = make([]WindowCall, len(x.Calls))
	for i, call := range x.Calls {
		call.Args = append([]ColMeta(nil), call.Args...)
		w.Calls[i] = call
	}
	var err error
	w.Input, err = c.clone(x.Input)
	return &w, err
}

func anyUsed(cols []ColMeta, used map[ColID]bool) bool {
	for _, c := range cols {
		if used[c.ID] {
			return true
		}
	}
	return false
}
