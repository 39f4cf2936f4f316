package sql

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// orderNamedAgg binds the ORDER BY inside a named aggregate's call
// (string_agg(x, ',' ORDER BY y DESC), list(x ORDER BY y)): the executor
// feeds the rows to the aggregate in that order. NULLs sort last unless
// the key says otherwise, as in DuckDB.
func (c *exprCtx) orderNamedAgg(fe *ast.FuncCall, args []ast.Expr, call *planner.AggCall) error {
	if len(fe.OrderBy) == 0 {
		return nil
	}
	var argKeys []string
	if fe.Distinct {
		for _, a := range args {
			if x, err := c.bind(a); err == nil {
				argKeys = append(argKeys, exprKey(x))
			}
		}
	}
	for _, o := range fe.OrderBy {
		if o.Expr == nil || o.Using != "" {
			return notImplemented(o, "this ORDER BY inside an aggregate")
		}
		if containsAggregate(o.Expr) {
			return binderErr(o.Expr, "aggregate function calls cannot be nested")
		}
		k, err := c.bind(o.Expr)
		if err != nil {
			return err
		}
		if fe.Distinct && !containsString(argKeys, exprKey(k)) {
			return binderErr(nil, "In a DISTINCT aggregate, ORDER BY expressions must appear in the argument list")
		}
		if t := k.Type(); t.IsNested() {
			return errAt(o, "Not implemented", "ORDER BY the nested value %s (%s) inside an aggregate is not supported", clip(k.String()), t)
		} else if t.ID == coldata.Unknown {
			k = &expr.Cast{Arg: k, Typ: coldata.TypeInt32}
		}
		call.Order = append(call.Order, planner.AggOrder{Key: k, Desc: o.Desc, NullsFirst: o.NullsFirst != nil && *o.NullsFirst})
	}
	return nil
}

func containsString(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

// filterNamedAgg binds a named aggregate's FILTER (WHERE p): the
// executor skips the rows p does not keep (a CASE rewrite would turn
// them into NULLs, which list, first and count_if see).
func (c *exprCtx) filterNamedAgg(fe *ast.FuncCall, call *planner.AggCall) error {
	if containsAggregate(fe.Filter) {
		return binderErr(fe.Filter, "aggregate function calls cannot be nested")
	}
	fc := *c
	fc.clause = "FILTER"
	p, err := fc.bind(fe.Filter)
	if err != nil {
		return err
	}
	if p.Type().ID != coldata.Bool {
		if p, err = castTo(p, coldata.TypeBool); err != nil {
			return at(err, fe.Filter)
		}
	}
	call.Filter = p
	return nil
}

// aggExtraKey spells an aggregate's ORDER BY and FILTER for its dedup key.
func aggExtraKey(call planner.AggCall) string {
	var sb strings.Builder
	for _, o := range call.Order {
		fmt.Fprintf(&sb, " order %s/%v/%v", exprKey(o.Key), o.Desc, o.NullsFirst)
	}
	if call.Filter != nil {
		sb.WriteString(" filter " + exprKey(call.Filter))
	}
	return sb.String()
}

func isNamedAgg(name string) bool { _, ok := namedAggs[name]; return ok }
