package sql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// bindSeries binds range(stop), range(start, stop[, step]) and
// generate_series (the same with the stop included) as DuckDB types them:
// BIGINT over integers, TIMESTAMP over dates or timestamps stepping by an
// interval. The arguments are constant expressions; a NULL one makes the
// series empty.
func (b *binder) bindSeries(t *ast.TableFunc, name, alias string, colNames []ast.Ident, sc *scope) (planner.Node, error) {
	f := t.Call
	ctx := &exprCtx{b: b, sc: &scope{}, clause: "FROM"}
	var args []*expr.Const
	for _, a := range f.Args {
		if _, ok := a.(*ast.NamedArg); ok {
			return nil, binderErr(a, "%s does not take named arguments", name)
		}
		if iv, ok := a.(*ast.Interval); ok {
			v, err := ctx.constInterval(iv)
			if err != nil {
				return nil, err
			}
			args = append(args, &expr.Const{Val: v, Typ: coldata.TypeInterval})
			continue
		}
		e, err := ctx.bind(a)
		if err != nil {
			return nil, err
		}
		c, ok := e.(*expr.Const)
		if !ok {
			return nil, notImplemented(a, name+" with arguments that are not constants")
		}
		args = append(args, c)
	}
	typ, err := seriesType(name, args, f)
	if err != nil {
		return nil, err
	}
	spec := planner.SeriesSpec{Inclusive: name == "generate_series", Step: 1}
	vals := make([]coldata.Datum, len(args))
	for i, a := range args {
		if a.Val.Null {
			spec.Empty = true
			continue
		}
		to := typ
		if i == 2 && typ.ID == coldata.Timestamp {
			to = coldata.TypeInterval
		}
		if vals[i], err = castConst(a.Val, a.Typ, to); err != nil {
			return nil, at(err, f.Args[i])
		}
	}
	switch len(args) {
	case 1:
		spec.Stop = vals[0].I
	default:
		spec.Start, spec.Stop = vals[0].I, vals[1].I
	}
	if len(args) == 3 && !spec.Empty {
		if typ.ID == coldata.Timestamp {
			spec.Months, spec.Days, spec.Step = vals[2].I, vals[2].I2, vals[2].I3
		} else {
			spec.Step = vals[2].I
		}
		if spec.Step == 0 && spec.Months == 0 && spec.Days == 0 {
			return nil, binderErr(f, "interval cannot be 0!")
		}
	}
	if alias == "" {
		alias = name
	}
	n := &planner.Series{Out: []planner.ColMeta{b.newCol(name, alias, typ)}, Spec: spec}
	if err := renameCols(n.Out, colNames, alias, t); err != nil {
		return nil, err
	}
	sc.add(alias, n.Out)
	return n, nil
}

// seriesType resolves the overload: BIGINT for one to three integers,
// TIMESTAMP for (date or timestamp, date or timestamp, interval).
func seriesType(name string, args []*expr.Const, f *ast.FuncCall) (coldata.Type, error) {
	isInt := func(a *expr.Const) bool { return a.Typ.IsInteger() || a.Typ.ID == coldata.Unknown }
	isTime := func(a *expr.Const) bool {
		return a.Typ.ID == coldata.Timestamp || a.Typ.ID == coldata.Date || a.Typ.ID == coldata.Unknown
	}
	ints := len(args) >= 1 && len(args) <= 3
	for _, a := range args {
		ints = ints && isInt(a)
	}
	if ints {
		return coldata.TypeInt64, nil
	}
	if len(args) == 3 && isTime(args[0]) && isTime(args[1]) &&
		(args[2].Typ.ID == coldata.Interval || args[2].Typ.ID == coldata.Unknown) {
		return coldata.TypeTimestamp, nil
	}
	types := make([]string, len(args))
	for i, a := range args {
		types[i] = a.Typ.String()
	}
	return coldata.Type{}, &Error{Kind: "Binder", Pos: -1, Msg: fmt.Sprintf(
		"No function matches the given name and argument types '%s(%s)'. You might need to add explicit type casts.\n\tCandidate functions:\n"+
			"\t%[1]s(BIGINT)\n\t%[1]s(BIGINT, BIGINT)\n\t%[1]s(BIGINT, BIGINT, BIGINT)\n"+
			"\t%[1]s(TIMESTAMP, TIMESTAMP, INTERVAL)\n\t%[1]s(TIMESTAMP WITH TIME ZONE, TIMESTAMP WITH TIME ZONE, INTERVAL)",
		name, strings.Join(types, ", "))}
}

// intervalMicros are the units below a day, in microseconds.
var intervalMicros = map[string]int64{
	"microsecond": 1, "us": 1, "millisecond": 1000, "ms": 1000, "second": 1e6, "sec": 1e6, "s": 1e6,
	"minute": 60e6, "min": 60e6, "m": 60e6, "hour": 3600e6, "h": 3600e6,
}

// constInterval reads a constant INTERVAL (any unit DuckDB has, from
// microseconds to millennia) as months, days and microseconds.
func (c *exprCtx) constInterval(iv *ast.Interval) (coldata.Datum, error) {
	if iv.ToUnit != "" {
		return coldata.Datum{}, notImplemented(iv, "INTERVAL ... TO ...")
	}
	var out coldata.Datum
	add := func(n int64, unit string) bool {
		u := strings.ToLower(unit)
		if us, ok := intervalMicros[u]; ok {
			out.I3 += n * us
			return true
		}
		if us, ok := intervalMicros[strings.TrimSuffix(u, "s")]; ok {
			out.I3 += n * us
			return true
		}
		v, _, ok := unitOf(u)
		switch {
		case !ok:
			return false
		case v.months:
			out.I += n * v.mult
		default:
			out.I2 += n * v.mult
		}
		return true
	}
	if s, ok := iv.Value.(*ast.StringLit); ok {
		f := strings.Fields(s.Value)
		if iv.Unit != "" {
			f = append(f, iv.Unit)
		}
		if len(f) == 0 || len(f)%2 != 0 {
			return out, errAt(iv.Value, "Conversion", "Could not convert string '%s' to INTERVAL", clip(s.Value))
		}
		for k := 0; k < len(f); k += 2 {
			n, err := strconv.ParseInt(f[k], 10, 64)
			if err != nil || !add(n, f[k+1]) {
				return out, errAt(iv.Value, "Conversion", "Could not convert string '%s' to INTERVAL", clip(s.Value))
			}
		}
		return out, nil
	}
	e, err := c.bind(iv.Value)
	if err != nil {
		return out, err
	}
	k, ok := e.(*expr.Const)
	if !ok || !k.Typ.IsInteger() || k.Val.Null {
		return out, notImplemented(iv, "this INTERVAL")
	}
	if !add(k.Val.I, iv.Unit) {
		return out, errAt(iv, "Not implemented", "INTERVAL unit %s is not supported", clip(iv.Unit))
	}
	return out, nil
}
