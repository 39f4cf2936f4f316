package sql

import (
	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// strFunc is the signature of a string function bound by stringFunction:
// its operator, argument kinds ('s' VARCHAR, 'i' BIGINT), how many trailing
// arguments may be left out, and its result type.
type strFunc struct {
	op   expr.Op
	args string
	opt  int
	res  coldata.Type
}

var strFuncs = map[string]strFunc{
	"ltrim":       {expr.OpLTrim, "ss", 1, coldata.TypeString},
	"rtrim":       {expr.OpRTrim, "ss", 1, coldata.TypeString},
	"replace":     {expr.OpReplace, "sss", 0, coldata.TypeString},
	"reverse":     {expr.OpReverse, "s", 0, coldata.TypeString},
	"repeat":      {expr.OpRepeat, "si", 0, coldata.TypeString},
	"left":        {expr.OpLeft, "si", 0, coldata.TypeString},
	"right":       {expr.OpRight, "si", 0, coldata.TypeString},
	"lpad":        {expr.OpLpad, "sis", 0, coldata.TypeString},
	"rpad":        {expr.OpRpad, "sis", 0, coldata.TypeString},
	"split_part":  {expr.OpSplitPart, "ssi", 0, coldata.TypeString},
	"ends_with":   {expr.OpEndsWith, "ss", 0, coldata.TypeBool},
	"suffix":      {expr.OpEndsWith, "ss", 0, coldata.TypeBool},
	"strpos":      {expr.OpStrpos, "ss", 0, coldata.TypeInt64},
	"instr":       {expr.OpStrpos, "ss", 0, coldata.TypeInt64},
	"position":    {expr.OpStrpos, "ss", 0, coldata.TypeInt64},
	"ascii":       {expr.OpAscii, "s", 0, coldata.TypeInt32},
	"chr":         {expr.OpChr, "i", 0, coldata.TypeString},
	"md5":         {expr.OpMD5, "s", 0, coldata.TypeString},
	"concat_ws":   {expr.OpConcatWS, "ss", -1, coldata.TypeString},
	"trim(chars)": {expr.OpTrimChars, "ss", 0, coldata.TypeString},
}

// stringFunction binds the functions of strFuncs; ok is false for other names.
func stringFunction(e *ast.FuncCall, name string, args []expr.Expr) (x expr.Expr, ok bool, err error) {
	if x, ok, err := regexpFunction(e, name, args); ok {
		return x, ok, err
	}
	if x, ok, err := strMoreFunction(e, name, args); ok {
		return x, ok, err
	}
	if name == "trim" && len(args) == 2 {
		name = "trim(chars)"
	}
	f, ok := strFuncs[name]
	if !ok {
		return nil, false, nil
	}
	if name == "trim(chars)" {
		name = "trim"
	}
	lo, hi := len(f.args)-f.opt, len(f.args)
	if f.opt < 0 { // any number of further VARCHAR arguments
		lo, hi = len(f.args), 1<<30
	}
	if len(args) < lo || len(args) > hi {
		return nil, true, binderErr(e, "function %s does not take %d arguments", name, len(args))
	}
	out := make([]expr.Expr, len(args))
	for i, a := range args {
		kind := byte('s')
		if i < len(f.args) {
			kind = f.args[i]
		}
		t := coldata.TypeString
		if kind == 'i' {
			t = coldata.TypeInt64
			if p, ok := a.(*expr.Param); ok {
				p.Typ = t
			}
			if at := a.Type(); !at.IsInteger() && at.ID != coldata.Unknown && at.ID != coldata.String {
				return nil, true, binderErr(e, "function %s needs an integer argument %d, got %s", name, i+1, at)
			}
		}
		if out[i], err = castTo(a, t); err != nil {
			return nil, true, err
		}
	}
	return &expr.Func{Op: f.op, Args: out, Typ: f.res}, true, nil
}

func isStrFunc(name string) bool {
	_, re := regexpFuncs[name]
	_, ok := strFuncs[name]
	_, more := strMoreFuncs[name]
	_, relist := regexpListFuncs[name]
	_, path := pathOps[name]
	return re || more || relist || path || name == "printf" || name == "format" || ok && name != "trim(chars)"
}

// regexpFuncs are the regexp functions: the operator and the arguments
// before the optional ones (regexp_extract's group, then the options).
var regexpFuncs = map[string]struct {
	op    expr.Op
	fixed int
}{
	"regexp_matches":    {expr.OpRegexpMatches, 2},
	"regexp_full_match": {expr.OpRegexpFullMatch, 2},
	"regexp_replace":    {expr.OpRegexpReplace, 3},
	"regexp_extract":    {expr.OpRegexpExtract, 2},
}

// regexpFunction binds a regexp function; the options (and
// regexp_extract's group) must be constants, as in DuckDB.
func regexpFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	f, ok := regexpFuncs[name]
	if !ok {
		return nil, false, nil
	}
	extra := 1
	if f.op == expr.OpRegexpExtract {
		extra = 2
	}
	if len(args) < f.fixed || len(args) > f.fixed+extra {
		return nil, true, binderErr(e, "function %s does not take %d arguments", name, len(args))
	}
	out := make([]expr.Expr, 0, f.fixed+extra)
	for _, a := range args[:f.fixed] {
		x, err := castTo(a, coldata.TypeString)
		if err != nil {
			return nil, true, err
		}
		out = append(out, x)
	}
	rest := args[f.fixed:]
	constant := func(a expr.Expr, t coldata.Type, what string) (*expr.Const, error) {
		x, err := castTo(a, t)
		if err != nil {
			return nil, err
		}
		k, ok := x.(*expr.Const)
		if !ok {
			return nil, binderErr(e, "%s must be a constant", what)
		}
		return k, nil
	}
	if f.op == expr.OpRegexpExtract {
		group := &expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt64}
		if len(rest) > 0 {
			k, err := constant(rest[0], coldata.TypeInt64, "Group specification field")
			if err != nil {
				return nil, true, err
			}
			if k.Val.Null { // DuckDB returns '' for a NULL group: no group 10 ever matches
				k = &expr.Const{Val: coldata.Datum{I: 10}, Typ: coldata.TypeInt64}
			} else if k.Val.I < 0 || k.Val.I > 9 {
				return nil, true, &Error{Kind: "Invalid Input", Msg: "Group index must be between 0 and 9!", Pos: -1}
			}
			group, rest = k, rest[1:]
		}
		out = append(out, group)
	}
	opts := &expr.Const{Val: coldata.Datum{S: ""}, Typ: coldata.TypeString}
	if len(rest) > 0 {
		k, err := constant(rest[0], coldata.TypeString, "Regex options field")
		if err != nil {
			return nil, true, err
		}
		if k.Val.Null && f.op == expr.OpRegexpReplace {
			return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeString}, true, nil
		}
		if k.Val.Null {
			return nil, true, &Error{Kind: "Invalid Input", Msg: "Regex options field must not be NULL", Pos: -1}
		}
		for _, c := range k.Val.S {
			switch c {
			case 'c', 'i', 'g':
			case 'l', 'm', 'n', 'p', 's', 'x':
				return nil, true, notImplemented(e, "the regex option "+string(c))
			default:
				return nil, true, &Error{Kind: "Invalid Input", Msg: "Unrecognized Regex option " + string(c), Pos: -1}
			}
		}
		opts = k
	}
	out = append(out, opts)
	typ := coldata.TypeBool
	if f.op == expr.OpRegexpReplace || f.op == expr.OpRegexpExtract {
		typ = coldata.TypeString
	}
	return &expr.Func{Op: f.op, Args: out, Typ: typ}, true, nil
}
