package sql

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// Arg is the value of a query parameter: a constant and its type
// (TypeUnknown for NULL). Name is set for a named ($name) parameter's value.
type Arg struct {
	Name string
	Val  coldata.Datum
	Typ  coldata.Type
}

// params are a statement's parameters and where their values go in the
// bound plan. Most parameters are expr.Param nodes; LIKE patterns, IN
// lists and LIMIT/OFFSET need their values before execution and are
// recorded here to be filled in by Instantiate.
type params struct {
	byIndex map[int]Arg
	byName  map[string]Arg
	any     bool
	likes   map[*expr.Like]likeParam
	ins     map[*expr.In][]*expr.Param
	limits  map[*planner.Limit]limitParams
	// clock is the statement's time for now()/current_date (read once,
	// so every call of one statement sees the same value).
	clock time.Time
}

// statementClock is the statement's time, read on first use.
func (ps *params) statementClock() time.Time {
	if ps == nil {
		return time.Now()
	}
	if ps.clock.IsZero() {
		ps.clock = time.Now()
	}
	return ps.clock
}

type likeParam struct {
	p   *expr.Param
	esc byte
	op  ast.LikeOp
}

type limitParams struct{ count, offset *expr.Param }

// newParams matches args with the parameters used in n: positional args
// are $1, $2, ... (and the ?s in order), named args go to $name.
func newParams(n ast.Node, args []Arg) (*params, error) {
	ps := &params{}
	ps.byIndex, ps.byName = argMaps(args)
	usedIdx, usedName := map[int]bool{}, map[string]bool{}
	var mixed *ast.Param
	ast.Inspect(n, func(x ast.Node) bool {
		if p, ok := x.(*ast.Param); ok {
			ps.any = true
			if p.Kind == ast.ParamNamed {
				usedName[strings.ToLower(p.Name)] = true
			} else {
				usedIdx[p.Index] = true
			}
			if mixed == nil && len(usedName) > 0 && len(usedIdx) > 0 {
				mixed = p
			}
		}
		return true
	})
	if mixed != nil {
		return nil, &Error{Kind: "Not implemented", Msg: "Mixing named and positional parameters is not supported yet", Pos: -1}
	}
	var missing, excess []string
	for _, id := range sortedInts(usedIdx) {
		if _, ok := ps.byIndex[id]; !ok {
			missing = append(missing, strconv.Itoa(id))
		}
	}
	for _, name := range sortedStrings(usedName) {
		if _, ok := ps.byName[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, &Error{Kind: "Invalid Input", Msg: "Values were not provided for the following prepared statement parameters: " + strings.Join(missing, ", "), Pos: -1}
	}
	for _, id := range sortedInts(ps.byIndex) {
		if !usedIdx[id] {
			excess = append(excess, strconv.Itoa(id))
		}
	}
	for _, name := range sortedStrings(ps.byName) {
		if !usedName[name] {
			excess = append(excess, name)
		}
	}
	if len(excess) > 0 {
		return nil, &Error{Kind: "Invalid Input", Msg: "Parameter argument/count mismatch, identifiers of the excess parameters: " + strings.Join(excess, ", "), Pos: -1}
	}
	return ps, nil
}

func sortedInts[V any](m map[int]V) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

func sortedStrings[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// argMaps indexes args: positional ones from 1, named ones by lower-case name.
func argMaps(args []Arg) (map[int]Arg, map[string]Arg) {
	byIndex, byName := map[int]Arg{}, map[string]Arg{}
	for _, a := range args {
		if a.Name != "" {
			byName[strings.ToLower(a.Name)] = a
		} else {
			byIndex[len(byIndex)+1] = a
		}
	}
	return byIndex, byName
}

func (ps *params) arg(p *expr.Param) Arg {
	if p.Index == 0 {
		return ps.byName[strings.ToLower(p.Name)]
	}
	return ps.byIndex[p.Index]
}

// bind makes a parameter's placeholder, typed by its value; the binder may
// retype it (castTo) where its context asks for another type.
func (ps *params) bind(x *ast.Param) (expr.Expr, error) {
	p := &expr.Param{Index: x.Index, Name: x.Name, Text: x.Text()}
	p.Typ = ps.arg(p).Typ
	return p, nil
}

func (ps *params) like(l *expr.Like, p *expr.Param, esc byte, op ast.LikeOp) {
	if ps.likes == nil {
		ps.likes = map[*expr.Like]likeParam{}
	}
	ps.likes[l] = likeParam{p: p, esc: esc, op: op}
}

func (ps *params) inList(in *expr.In, list []*expr.Param) {
	if ps.ins == nil {
		ps.ins = map[*expr.In][]*expr.Param{}
	}
	ps.ins[in] = list
}

func (ps *params) limit(l *planner.Limit, count bool, p *expr.Param, at ast.Expr) {
	if ps.limits == nil {
		ps.limits = map[*planner.Limit]limitParams{}
	}
	lp := ps.limits[l]
	p.Typ = coldata.TypeInt64
	if count {
		lp.count = p
	} else {
		lp.offset = p
	}
	ps.limits[l] = lp
}

// values are one execution's parameter values.
type values struct {
	byIndex map[int]Arg
	byName  map[string]Arg
}

// value is a parameter's value as a constant of the parameter's type.
func (vs values) value(p *expr.Param) (*expr.Const, error) {
	a, ok := vs.byIndex[p.Index]
	if p.Index == 0 {
		a, ok = vs.byName[strings.ToLower(p.Name)]
	}
	if !ok {
		return nil, &Error{Kind: "Invalid Input", Msg: "Values were not provided for the following prepared statement parameters: " + strings.TrimPrefix(p.Text, "$"), Pos: -1}
	}
	v, err := castConst(a.Val, a.Typ, p.Typ)
	if err != nil {
		return nil, err
	}
	return &expr.Const{Val: v, Typ: p.Typ}, nil
}

// Instantiate returns a copy of the bound plan with the parameters' values
// in place, as typed constants. The bound plan itself is left unchanged,
// so a prepared statement instantiates it once per execution, from any
// number of goroutines.
func (bd *Bound) Instantiate(args []Arg) (planner.Node, error) {
	ps := bd.params
	if ps == nil {
		ps = &params{}
	}
	var vs values
	vs.byIndex, vs.byName = argMaps(args)
	sub := func(e expr.Expr) (expr.Expr, error) { return ps.subst(e, vs) }
	return planner.Clone(bd.Plan, sub, func(orig, cp planner.Node) error {
		ol, ok := orig.(*planner.Limit)
		if !ok {
			return nil
		}
		lp, ok := ps.limits[ol]
		if !ok {
			return nil
		}
		l := cp.(*planner.Limit)
		for _, part := range []struct {
			p   *expr.Param
			dst *int64
		}{{lp.count, &l.Count}, {lp.offset, &l.Offset}} {
			if part.p == nil {
				continue
			}
			k, err := vs.value(part.p)
			if err != nil {
				return err
			}
			switch {
			case k.Val.Null:
				if part.dst == &l.Count {
					*part.dst = -1
				}
			case k.Val.I < 0:
				return &Error{Kind: "Binder", Msg: "LIMIT/OFFSET cannot be negative", Pos: -1}
			default:
				*part.dst = k.Val.I
			}
		}
		return nil
	})
}

// subst copies e with parameters replaced by their values; an expression
// left without columns is folded to a constant.
func (ps *params) subst(e expr.Expr, vs values) (expr.Expr, error) {
	if !ps.any {
		return expr.Rewrite(e, func(x expr.Expr) expr.Expr { return x }), nil
	}
	var err error
	var walk func(e expr.Expr) expr.Expr
	walk = func(e expr.Expr) expr.Expr {
		if err != nil || e == nil {
			return e
		}
		switch x := e.(type) {
		case *expr.Param:
			k, verr := vs.value(x)
			if verr != nil {
				err = verr
				return e
			}
			return k
		case *expr.Like:
			out := &expr.Like{Arg: walk(x.Arg), Pattern: x.Pattern, Not: x.Not}
			lp, ok := ps.likes[x]
			if !ok {
				return out
			}
			k, verr := vs.value(lp.p)
			if verr != nil {
				err = verr
				return e
			}
			if k.Val.Null {
				return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeBool}
			}
			out.Pattern, err = likeOf(k.Val.S, lp.esc, lp.op)
			return out
		case *expr.In:
			out := &expr.In{Arg: walk(x.Arg), List: append([]coldata.Datum(nil), x.List...), HasNull: x.HasNull, Not: x.Not}
			for _, p := range ps.ins[x] {
				k, verr := vs.value(p)
				if verr != nil {
					err = verr
					return e
				}
				if k.Val.Null {
					out.HasNull = true
				} else {
					out.List = append(out.List, k.Val)
				}
			}
			return out
		case *expr.Func:
			kids := make([]expr.Expr, len(x.Args))
			for i, a := range x.Args {
				kids[i] = walk(a)
			}
			return ps.fold(&expr.Func{Op: x.Op, Args: kids, Typ: x.Typ})
		case *expr.Cast:
			return ps.fold(&expr.Cast{Arg: walk(x.Arg), Typ: x.Typ, Try: x.Try})
		case *expr.Case:
			c := &expr.Case{Typ: x.Typ, Whens: make([]expr.When, len(x.Whens)), Else: walk(x.Else)}
			for i, w := range x.Whens {
				c.Whens[i] = expr.When{Cond: walk(w.Cond), Then: walk(w.Then)}
			}
			return c
		case *expr.IsNull:
			return &expr.IsNull{Arg: walk(x.Arg), Not: x.Not}
		case *expr.Column:
			c := *x
			return &c
		case *expr.Const:
			c := *x
			return &c
		}
		err = fmt.Errorf("internal error: cannot substitute parameters in %T", e)
		return e
	}
	out := walk(e)
	return out, err
}

// fold folds a node whose arguments became constants; a failure (say, an
// overflow) is left for execution to report, as the kernels do.
func (ps *params) fold(e expr.Expr) expr.Expr {
	if x, err := fold(e); err == nil {
		return x
	}
	return e
}

// constArgs evaluates EXECUTE's arguments, which must be constants.
func constArgs(list []ast.Expr) ([]Arg, error) {
	ctx := &exprCtx{b: &binder{ids: new(int), params: &params{}}, sc: &scope{}, clause: "EXECUTE"}
	out := make([]Arg, 0, len(list))
	for _, a := range list {
		name := ""
		if na, ok := a.(*ast.NamedArg); ok {
			name, a = na.Name.Name, na.Value
		}
		x, err := ctx.bind(a)
		if err != nil {
			return nil, err
		}
		k, ok := x.(*expr.Const)
		if !ok {
			return nil, binderErr(a, "EXECUTE arguments must be constants, got %s", clip(a.String()))
		}
		out = append(out, Arg{Name: name, Val: k.Val, Typ: k.Typ})
	}
	return out, nil
}

// ArgTypes is a key for the types of args: a prepared statement binds once
// per key.
func ArgTypes(args []Arg) string {
	var sb strings.Builder
	for _, a := range args {
		sb.WriteString(a.Name)
		sb.WriteByte(':')
		sb.WriteString(a.Typ.String())
		sb.WriteByte(';')
	}
	return sb.String()
}
