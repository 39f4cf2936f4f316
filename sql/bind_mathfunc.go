package sql

import (
	"math"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// doubleFuncs are the math functions of one DOUBLE argument (DuckDB casts
// integers and decimals to DOUBLE for them).
var doubleFuncs = map[string]expr.Op{
	"sqrt": expr.OpSqrt, "cbrt": expr.OpCbrt, "exp": expr.OpExp, "ln": expr.OpLn, "log10": expr.OpLog10,
	"log2": expr.OpLog2, "ceil": expr.OpCeil, "ceiling": expr.OpCeil, "floor": expr.OpFloor,
	"trunc": expr.OpTrunc,
}

// mathFuncNames are the names mathFunction binds.
var mathFuncNames = func() map[string]bool {
	m := map[string]bool{"pi": true, "greatest": true, "least": true, "gcd": true, "lcm": true,
		"greatest_common_divisor": true, "least_common_multiple": true}
	for n := range doubleFuncs {
		m[n] = true
	}
	return m
}()

// mathFunction binds pi(), greatest/least and doubleFuncs; ok is false for
// other names.
func (c *exprCtx) mathFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	if !mathFuncNames[name] {
		return nil, false, nil
	}
	arity := func(n int) error {
		if len(args) != n {
			return binderErr(e, "function %s does not take %d arguments", name, len(args))
		}
		return nil
	}
	switch name {
	case "pi":
		if err := arity(0); err != nil {
			return nil, true, err
		}
		return &expr.Const{Val: coldata.Datum{F: math.Pi}, Typ: coldata.TypeFloat64}, true, nil
	case "gcd", "lcm", "greatest_common_divisor", "least_common_multiple":
		if err := arity(2); err != nil {
			return nil, true, err
		}
		out := make([]expr.Expr, 2)
		for i, a := range args {
			if p, ok := a.(*expr.Param); ok {
				p.Typ = coldata.TypeInt64
			}
			if t := a.Type(); !t.IsInteger() && t.ID != coldata.Unknown || t.ID == coldata.Hugeint {
				return nil, true, binderErr(e, "function %s needs BIGINT arguments, got %s", name, t)
			}
			var err error
			if out[i], err = castTo(a, coldata.TypeInt64); err != nil {
				return nil, true, err
			}
		}
		op := expr.OpGcd
		if name == "lcm" || name == "least_common_multiple" {
			op = expr.OpLcm
		}
		return &expr.Func{Op: op, Args: out, Typ: coldata.TypeInt64}, true, nil
	case "greatest", "least":
		if len(args) == 0 {
			return nil, true, binderErr(e, "function %s does not take 0 arguments", name)
		}
		t := coldata.TypeUnknown
		var err error
		for _, a := range args {
			if t, err = resultType(t, a.Type()); err != nil {
				return nil, true, binderErr(e, "%s arguments have incompatible types: %v", name, err)
			}
		}
		if t.ID == coldata.Unknown {
			t = coldata.TypeInt32 // DuckDB types greatest(NULL, NULL) as INTEGER
		}
		out := make([]expr.Expr, len(args))
		for i, a := range args {
			if out[i], err = castTo(a, t); err != nil {
				return nil, true, err
			}
		}
		op := expr.OpGreatest
		if name == "least" {
			op = expr.OpLeast
		}
		return &expr.Func{Op: op, Args: out, Typ: t}, true, nil
	}
	if err := arity(1); err != nil {
		return nil, true, err
	}
	op, a := doubleFuncs[name], args[0]
	if p, ok := a.(*expr.Param); ok {
		p.Typ = coldata.TypeFloat64
	}
	if t := a.Type(); op == expr.OpTrunc && integral(t) {
		return a, true, nil // DuckDB's trunc of an integer is the integer
	}
	if t := a.Type(); (op == expr.OpCeil || op == expr.OpFloor || op == expr.OpTrunc) && t.ID == coldata.Decimal {
		return &expr.Func{Op: op, Args: []expr.Expr{a}, Typ: coldata.DecimalType(int(t.Precision), 0)}, true, nil
	}
	if t := a.Type(); !t.IsNumeric() && t.ID != coldata.Unknown && t.ID != coldata.String {
		return nil, true, binderErr(e, "function %s needs a number, got %s", name, t)
	}
	x, err := castTo(a, coldata.TypeFloat64)
	if err != nil {
		return nil, true, err
	}
	return &expr.Func{Op: op, Args: []expr.Expr{x}, Typ: coldata.TypeFloat64}, true, nil
}
