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

func isStrFunc(name string) bool { _, ok := strFuncs[name]; return ok && name != "trim(chars)" }
