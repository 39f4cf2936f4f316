package sql

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// winState collects the window functions of one SELECT block while its
// SELECT list, QUALIFY and ORDER BY are bound, then builds a projection of
// their arguments and keys and one Window node per distinct (PARTITION BY,
// ORDER BY), so that functions over the same window share one sort.
type winState struct {
	defs    map[string]*ast.WindowSpec // the WINDOW clause, by lower-case name
	pre     []expr.Expr                // arguments and keys, over the rows below
	preCols []planner.ColMeta
	calls   []winEntry
}

type winEntry struct {
	key       string // the whole call, to bind a repeated call once
	specKey   string // PARTITION BY and ORDER BY: calls that share a sort
	partition []planner.ColMeta
	order     []planner.SortKey
	call      planner.WindowCall
	out       planner.ColMeta
}

func newWinState(sel *ast.Select) (*winState, error) {
	w := &winState{defs: map[string]*ast.WindowSpec{}}
	for _, d := range sel.Windows {
		name := strings.ToLower(d.Name.Name)
		if _, dup := w.defs[name]; dup {
			return nil, errAt(d, "Parser", "window \"%s\" is already defined", d.Name.Name)
		}
		w.defs[name] = d.Spec
	}
	return w, nil
}

// column projects e (deduplicated) and returns its column.
func (w *winState) column(b *binder, e expr.Expr, name string) planner.ColMeta {
	if c, ok := e.(*expr.Column); ok {
		return planner.ColMeta{ID: c.Index, Name: c.Name, Type: c.Typ}
	}
	k := exprKey(e)
	for i, x := range w.pre {
		if exprKey(x) == k {
			return w.preCols[i]
		}
	}
	c := b.newCol(name, "", e.Type())
	w.pre, w.preCols = append(w.pre, e), append(w.preCols, c)
	return c
}

// build puts the projection of arguments and the Window nodes over node.
func (w *winState) build(node planner.Node) planner.Node {
	if len(w.calls) == 0 {
		return node
	}
	if len(w.pre) > 0 {
		proj := &planner.Project{Input: node}
		for _, c := range node.Cols() {
			proj.Exprs, proj.Out = append(proj.Exprs, colExpr(c)), append(proj.Out, c)
		}
		proj.Exprs, proj.Out = append(proj.Exprs, w.pre...), append(proj.Out, w.preCols...)
		node = proj
	}
	done := map[string]bool{}
	for i, e := range w.calls {
		if done[e.specKey] {
			continue
		}
		done[e.specKey] = true
		win := &planner.Window{Input: node, Partition: e.partition, Order: e.order}
		var outs []planner.ColMeta
		for _, x := range w.calls[i:] {
			if x.specKey == e.specKey {
				win.Calls = append(win.Calls, x.call)
				outs = append(outs, x.out)
			}
		}
		win.Out = append(append([]planner.ColMeta{}, node.Cols()...), outs...)
		node = win
	}
	return node
}

// resolveSpec merges an OVER clause with the named window it refines.
func (w *winState) resolveSpec(s *ast.WindowSpec) (*ast.WindowSpec, error) {
	if s.Base == nil {
		return s, nil
	}
	var base *ast.WindowSpec
	if w != nil {
		base = w.defs[strings.ToLower(s.Base.Name)]
	}
	if base == nil {
		return nil, errAt(s.Base, "Parser", "window \"%s\" does not exist", s.Base.Name)
	}
	base, err := w.resolveSpec(base)
	if err != nil {
		return nil, err
	}
	if s.Ref {
		return base, nil
	}
	m := *s
	switch {
	case len(s.PartitionBy) > 0 && len(base.PartitionBy) > 0:
		return nil, errAt(s, "Parser", "Cannot override PARTITION BY clause of window \"%s\"", s.Base.Name)
	case len(s.OrderBy) > 0 && len(base.OrderBy) > 0:
		return nil, errAt(s, "Parser", "Cannot override ORDER BY clause of window \"%s\"", s.Base.Name)
	case s.Frame != nil && base.Frame != nil:
		return nil, errAt(s, "Parser", "Cannot override frame clause of window \"%s\"", s.Base.Name)
	}
	if len(m.PartitionBy) == 0 {
		m.PartitionBy = base.PartitionBy
	}
	if len(m.OrderBy) == 0 {
		m.OrderBy = base.OrderBy
	}
	if m.Frame == nil {
		m.Frame = base.Frame
	}
	return &m, nil
}

// containsWindow reports a window function call in n outside subqueries.
func containsWindow(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		switch y := x.(type) {
		case *ast.Query:
			return false
		case *ast.FuncCall:
			if y.Over != nil {
				found = true
			}
		}
		return !found
	})
	return found
}

var winFuncs = map[string]planner.WinFunc{
	"row_number": planner.WinRowNumber, "rank": planner.WinRank, "dense_rank": planner.WinDenseRank,
	"percent_rank": planner.WinPercentRank, "cume_dist": planner.WinCumeDist, "ntile": planner.WinNtile,
	"lag": planner.WinLag, "lead": planner.WinLead, "first_value": planner.WinFirstValue, "first": planner.WinFirstValue,
	"last_value": planner.WinLastValue, "last": planner.WinLastValue, "nth_value": planner.WinNthValue,
	"fill": planner.WinFill,
}

// window binds a window function call to the column of its result.
func (c *exprCtx) window(fe *ast.FuncCall) (expr.Expr, error) {
	name, args := funcName(fe)
	switch {
	case c.win == nil && strings.HasPrefix(c.clause, "aggregate "):
		return nil, binderErr(fe, "aggregate function calls cannot contain window function calls")
	case c.win == nil && c.clause == "window":
		return nil, binderErr(fe, "window function calls cannot be nested")
	case c.win == nil:
		return nil, binderErr(fe, "%s clause cannot contain window functions!", c.clause)
	case len(fe.OrderBy) > 0 && !argOrderAllowed(name) || len(fe.WithinGroup) > 0:
		return nil, notImplemented(fe, "ORDER BY inside a window function's arguments")
	}
	w := c.win
	spec, err := w.resolveSpec(fe.Over)
	if err != nil {
		return nil, err
	}
	inner := *c
	inner.win, inner.clause, inner.conj = nil, "window", nil
	e := winEntry{}
	call := &e.call
	if err := inner.windowCall(fe, name, args, call, w); err != nil {
		return nil, err
	}
	var sk strings.Builder
	for _, p := range spec.PartitionBy {
		x, err := inner.bind(p)
		if err != nil {
			return nil, err
		}
		col := w.column(c.b, x, outputName(p))
		e.partition = append(e.partition, col)
		fmt.Fprintf(&sk, "p%d,", col.ID)
	}
	var orderExprs []expr.Expr
	for _, o := range spec.OrderBy {
		x, err := inner.bind(o.Expr)
		if err != nil {
			return nil, err
		}
		orderExprs = append(orderExprs, x)
		col := w.column(c.b, x, outputName(o.Expr))
		k := planner.SortKey{Col: col.ID, Desc: o.Desc, NullsFirst: c.b.nullsFirst(o)}
		e.order = append(e.order, k)
		fmt.Fprintf(&sk, "o%d/%v/%v,", k.Col, k.Desc, k.NullsFirst)
	}
	if call.Func == planner.WinFill && len(call.ArgOrder) == 0 {
		if err := checkFill(fe, orderExprs); err != nil {
			return nil, err
		}
	}
	if err := inner.frame(fe, spec, orderExprs, call, w); err != nil {
		return nil, err
	}
	e.specKey = sk.String()
	e.key = fmt.Sprintf("%s|%+v", e.specKey, *call)
	for _, x := range w.calls {
		if x.key == e.key {
			return colExpr(x.out), nil
		}
	}
	e.out = c.b.newCol(outputName(fe), "", call.Typ)
	w.calls = append(w.calls, e)
	return colExpr(e.out), nil
}

// windowCall binds the function and its arguments.
func (c *exprCtx) windowCall(fe *ast.FuncCall, name string, args []ast.Expr, call *planner.WindowCall, w *winState) error {
	fn, isWin := winFuncs[name]
	agg, isAgg := aggNames[name]
	if _, named := namedAggs[name]; named && !isWin && !isAgg {
		return c.windowNamedAgg(fe, name, args, call, w)
	}
	if !isWin && !isAgg {
		if scalarFunctions[name] || isStrFunc(name) || mathFuncNames[name] || dateFuncNames[name] {
			return errAt(fe, "Catalog", "%s is not an aggregate function", name)
		}
		if _, known := knownFunctions[name]; known {
			return unknownFunction(fe, name, "aggregate")
		}
		return errAt(fe, "Catalog", "Aggregate Function with name %s does not exist!", clip(name))
	}
	if fe.Distinct && !isAgg {
		return binderErr(fe, "DISTINCT is not implemented for non-aggregate window functions!")
	}
	if fe.IgnoreNulls != nil && *fe.IgnoreNulls {
		switch fn {
		case planner.WinLag, planner.WinLead, planner.WinFirstValue, planner.WinLastValue, planner.WinNthValue:
			call.IgnoreNulls = true
		default:
			return binderErr(fe, "IGNORE NULLS is not supported for %s", name)
		}
	}
	var bound []expr.Expr
	if !fe.Star {
		for _, a := range args {
			if _, ok := a.(*ast.NamedArg); ok {
				return binderErr(a, "%s does not take named arguments", name)
			}
			x, err := c.bind(a)
			if err != nil {
				return err
			}
			bound = append(bound, x)
		}
	}
	if fe.Filter != nil {
		if !isAgg {
			return notImplemented(fe.Filter, "FILTER on a window function")
		}
		fc, fb, err := c.windowFilter(fe, agg, bound)
		if err != nil {
			return err
		}
		fe, bound = fc, fb
	}
	if name == "count_star" && len(args) > 0 {
		return noAggMatch(fe, name, args, c)
	}
	if isAgg {
		return c.windowAgg(fe, name, agg, bound, call, w)
	}
	call.Func = fn
	if fn == planner.WinFill && len(bound) == 1 && !fillable(bound[0].Type()) {
		return binderErr(fe, "FILL argument must support subtraction")
	}
	if fn == planner.WinFill && len(fe.OrderBy) > 0 {
		if err := c.fillArgOrder(fe, call, w); err != nil {
			return err
		}
	}
	counts := map[planner.WinFunc][2]int{
		planner.WinNtile: {1, 1}, planner.WinLag: {1, 3}, planner.WinLead: {1, 3},
		planner.WinFirstValue: {1, 1}, planner.WinLastValue: {1, 1}, planner.WinNthValue: {2, 2},
		planner.WinFill: {1, 1},
	}
	want := counts[fn]
	if len(bound) < want[0] || len(bound) > want[1] {
		switch {
		case want[1] == 0:
			return binderErr(fe, "%s needs 0 parameters, got %d", strings.ToUpper(name), len(bound))
		case fn == planner.WinLag || fn == planner.WinLead:
			return errAt(fe, "Parser", "Incorrect number of parameters for function %s", name)
		}
		return binderErr(fe, "%s needs %d parameter(s), got %d", strings.ToUpper(name), want[0], len(bound))
	}
	switch fn {
	case planner.WinRowNumber, planner.WinRank, planner.WinDenseRank:
		call.Typ = coldata.TypeInt64
	case planner.WinPercentRank, planner.WinCumeDist:
		call.Typ = coldata.TypeFloat64
	case planner.WinNtile:
		call.Typ = coldata.TypeInt64
		n, err := castTo(bound[0], coldata.TypeInt64)
		if err != nil {
			return at(err, fe)
		}
		bound[0] = n
	default:
		call.Typ = bound[0].Type()
		if call.Typ.IsNested() {
			return errAt(fe, "Not implemented", "%s over the nested value %s is not supported", name, call.Typ)
		}
		for i := 1; i < len(bound); i++ {
			t := coldata.TypeInt64 // lag/lead offset, nth_value's n
			if i == 2 {
				// lag/lead default: the value's type, or the default's
				// when the value is an untyped NULL.
				if call.Typ.ID == coldata.Unknown {
					call.Typ = bound[2].Type()
					x, err := castTo(bound[0], call.Typ)
					if err != nil {
						return at(err, fe)
					}
					bound[0] = x
				}
				t = call.Typ
			}
			x, err := castTo(bound[i], t)
			if err != nil {
				return at(err, fe)
			}
			bound[i] = x
		}
	}
	for _, x := range bound {
		call.Args = append(call.Args, w.column(c.b, x, x.String()))
	}
	return nil
}

// windowAgg types an aggregate used as a window function.
func (c *exprCtx) windowAgg(fe *ast.FuncCall, name string, fn planner.AggFunc, bound []expr.Expr, call *planner.WindowCall, w *winState) error {
	call.Func, call.Agg, call.Distinct = planner.WinAggregate, fn, fe.Distinct
	if fe.Star || fn == planner.AggCount && len(bound) == 0 {
		if fn != planner.AggCount {
			return binderErr(fe, "%s(*) is not allowed; only count(*)", name)
		}
		call.Agg, call.Distinct, call.Typ = planner.AggCountStar, false, coldata.TypeInt64
		return nil
	}
	if len(bound) != 1 {
		return binderErr(fe, "%s takes exactly one argument", name)
	}
	arg := bound[0]
	t := arg.Type()
	if t.IsNested() {
		return errAt(fe, "Not implemented", "%s on the nested value %s (%s) is not supported", clip(fe.String()), clip(arg.String()), t)
	}
	switch fn {
	case planner.AggCount:
		call.Typ = coldata.TypeInt64
	case planner.AggSum, planner.AggAvg:
		if t.ID == coldata.Unknown {
			arg, t = &expr.Cast{Arg: arg, Typ: coldata.TypeInt32}, coldata.TypeInt32
		}
		if !t.IsNumeric() {
			return binderErr(fe, "No function matches %s(%s). You might need to add explicit type casts.", name, t)
		}
		call.Typ = coldata.SumType(t)
		if fn == planner.AggAvg {
			call.Typ = coldata.TypeFloat64
			if t.ID == coldata.Hugeint {
				arg = &expr.Cast{Arg: arg, Typ: coldata.TypeFloat64}
			}
		}
	default:
		call.Typ = t
	}
	call.Args = []planner.ColMeta{w.column(c.b, arg, arg.String())}
	return nil
}

var frameModes = map[string]planner.FrameMode{"ROWS": planner.FrameRows, "RANGE": planner.FrameRange, "GROUPS": planner.FrameGroups}
var frameExcludes = map[string]planner.FrameExclude{"": planner.ExcludeNoOthers, "NO OTHERS": planner.ExcludeNoOthers,
	"CURRENT ROW": planner.ExcludeCurrentRow, "GROUP": planner.ExcludeGroup, "TIES": planner.ExcludeTies}

// frame binds the frame clause (DuckDB's default: the whole partition
// without ORDER BY, else RANGE UNBOUNDED PRECEDING to CURRENT ROW).
func (c *exprCtx) frame(fe *ast.FuncCall, spec *ast.WindowSpec, order []expr.Expr, call *planner.WindowCall, w *winState) error {
	f := &call.Frame
	f.Start.Kind, f.End.Kind = planner.BoundUnboundedPreceding, planner.BoundUnboundedFollowing
	fr := spec.Frame
	if fr == nil {
		if len(order) > 0 {
			f.Mode, f.End.Kind = planner.FrameRange, planner.BoundCurrentRow
		}
		return nil
	}
	f.Mode, f.Exclude = frameModes[strings.ToUpper(fr.Mode)], frameExcludes[strings.ToUpper(fr.Exclude)]
	end := ast.FrameBound{Kind: ast.CurrentRow}
	if fr.End != nil {
		end = *fr.End
	}
	switch {
	case fr.Start.Kind == ast.UnboundedFollowing:
		return errAt(spec, "Parser", "frame start cannot be UNBOUNDED FOLLOWING")
	case end.Kind == ast.UnboundedPreceding:
		return errAt(spec, "Parser", "frame end cannot be UNBOUNDED PRECEDING")
	case fr.Start.Kind == ast.Following && (end.Kind == ast.Preceding || end.Kind == ast.CurrentRow):
		return errAt(spec, "Parser", "frame starting from following row cannot have preceding rows")
	case fr.Start.Kind == ast.CurrentRow && end.Kind == ast.Preceding:
		return errAt(spec, "Parser", "frame starting from current row cannot have preceding rows")
	}
	offsets := fr.Start.Offset != nil || end.Offset != nil
	if f.Mode == planner.FrameRange && offsets && len(order) != 1 {
		return binderErr(fe, "RANGE frames must have only one ORDER BY expression")
	}
	var rangeType coldata.Type
	haveRange := false
	for _, b := range []struct {
		ast *ast.FrameBound
		out *planner.WinBound
	}{{&fr.Start, &f.Start}, {&end, &f.End}} {
		b.out.Kind = planner.BoundKind(b.ast.Kind)
		if b.ast.Offset == nil {
			continue
		}
		var v expr.Expr
		var err error
		if f.Mode == planner.FrameRange {
			// The bound's value: key - n for PRECEDING in ascending order.
			sub := (b.ast.Kind == ast.Preceding) != spec.OrderBy[0].Desc
			op := "+"
			if sub {
				op = "-"
			}
			v, err = c.bind(&ast.Binary{At: ast.At{Pos: b.ast.Offset.Position()}, Op: op, L: spec.OrderBy[0].Expr, R: b.ast.Offset})
			if err == nil && haveRange && !v.Type().Equal(rangeType) {
				v, err = castTo(v, rangeType)
			}
			if err == nil {
				rangeType, haveRange = v.Type(), true
			}
		} else {
			if v, err = c.bind(b.ast.Offset); err == nil {
				v, err = castTo(v, coldata.TypeInt64)
			}
		}
		if err != nil {
			return at(err, b.ast.Offset)
		}
		b.out.Value = w.column(c.b, v, v.String())
	}
	if haveRange {
		key, err := castTo(order[0], rangeType)
		if err != nil {
			return at(err, fe)
		}
		f.RangeKey = w.column(c.b, key, key.String())
		f.Desc = spec.OrderBy[0].Desc
	}
	return nil
}

// bindQualify binds QUALIFY, which filters on window results; DuckDB
// requires a window function somewhere in the block.
func (c *exprCtx) bindQualify(sel *ast.Select) (expr.Expr, error) {
	q := sel.Qualify
	if q == nil {
		return nil, nil
	}
	qc := *c
	qc.clause, qc.pending, qc.conj = "QUALIFY", nil, q
	qc.itemAliases = itemAliases(sel.Items)
	x, err := qc.bindBool(q)
	if err != nil {
		return nil, err
	}
	if len(c.win.calls) == 0 {
		return nil, &Error{Kind: "Binder", Msg: "at least one window function must appear in the SELECT column or QUALIFY clause", Pos: -1}
	}
	return x, nil
}
