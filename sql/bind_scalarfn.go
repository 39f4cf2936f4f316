package sql

import (
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// scalarFn describes how a function of the math/encoding block binds:
// its operator, the DOUBLE arity of the plain math functions (0 for the
// ones with their own rule) and the result type.
type scalarFn struct {
	op    expr.Op
	nargs int // DOUBLE arguments for the plain math functions; 0: special
	res   coldata.Type
}

var (
	f64   = coldata.TypeFloat64
	bool_ = coldata.TypeBool
	str   = coldata.TypeString
	blob  = coldata.TypeBlob
)

// scalarOpFuncs are the functions scalarOpFunction binds, by DuckDB name
// and alias.
var scalarOpFuncs = map[string]scalarFn{
	"sin": {expr.OpSin, 1, f64}, "cos": {expr.OpCos, 1, f64}, "tan": {expr.OpTan, 1, f64}, "cot": {expr.OpCot, 1, f64},
	"asin": {expr.OpAsin, 1, f64}, "acos": {expr.OpAcos, 1, f64}, "atan": {expr.OpAtan, 1, f64},
	"atan2": {expr.OpAtan2, 2, f64}, "sinh": {expr.OpSinh, 1, f64}, "cosh": {expr.OpCosh, 1, f64},
	"tanh": {expr.OpTanh, 1, f64}, "asinh": {expr.OpAsinh, 1, f64}, "acosh": {expr.OpAcosh, 1, f64},
	"atanh": {expr.OpAtanh, 1, f64}, "degrees": {expr.OpDegrees, 1, f64}, "radians": {expr.OpRadians, 1, f64},
	"gamma": {expr.OpGamma, 1, f64}, "lgamma": {expr.OpLgamma, 1, f64}, "fmod": {expr.OpFmod, 2, f64},
	"fdiv": {expr.OpFdiv, 2, f64}, "nextafter": {expr.OpNextAfter, 2, f64}, "even": {expr.OpEven, 1, f64},
	"isnan": {expr.OpIsNan, 1, bool_}, "isinf": {expr.OpIsInf, 1, bool_}, "isfinite": {expr.OpIsFinite, 1, bool_},
	"signbit": {expr.OpSignBit, 1, bool_},
	"log":     {expr.OpLogBase, 0, f64}, "round_even": {expr.OpRoundEven, 0, f64}, "roundbankers": {expr.OpRoundEven, 0, f64},
	"trunc": {expr.OpTrunc, 0, f64}, "sign": {expr.OpSign, 0, coldata.TypeInt32},
	"factorial": {expr.OpFactorial, 0, coldata.TypeHugeint}, "bit_count": {expr.OpBitCount, 0, coldata.TypeInt32},
	"random": {expr.OpRandom, 0, f64}, "setseed": {expr.OpSetSeed, 0, coldata.TypeInt32},
	"uuid": {expr.OpUUID, 0, coldata.TypeUUID}, "gen_random_uuid": {expr.OpUUID, 0, coldata.TypeUUID},
	"mod": {expr.OpMod, 0, f64}, "divide": {expr.OpIntDiv, 0, f64}, "add": {expr.OpAdd, 0, f64},
	"subtract": {expr.OpSub, 0, f64}, "multiply": {expr.OpMul, 0, f64},
	"sha1": {expr.OpSHA1, 0, str}, "sha256": {expr.OpSHA256, 0, str},
	"md5_number": {expr.OpMD5Number, 0, coldata.TypeHugeint}, "hash": {expr.OpHash, 0, coldata.TypeHugeint},
	"to_base64": {expr.OpToBase64, 0, str}, "base64": {expr.OpToBase64, 0, str},
	"from_base64": {expr.OpFromBase64, 0, blob}, "hex": {expr.OpToHex, 0, str}, "to_hex": {expr.OpToHex, 0, str},
	"unhex": {expr.OpFromHex, 0, blob}, "from_hex": {expr.OpFromHex, 0, blob},
	"bin": {expr.OpToBinary, 0, str}, "to_binary": {expr.OpToBinary, 0, str},
	"unbin": {expr.OpFromBinary, 0, blob}, "from_binary": {expr.OpFromBinary, 0, blob},
}

// noMatch is DuckDB's error for arguments no overload takes.
func noMatch(e ast.Node, name string, args []expr.Expr) error {
	ts := make([]string, len(args))
	for i, a := range args {
		ts[i] = a.Type().String()
	}
	return binderErr(e, "No function matches the given name and argument types '%s(%s)'. You might need to add explicit type casts.", name, strings.Join(ts, ", "))
}

// toDouble casts a numeric (or string, or NULL) argument to DOUBLE, as
// DuckDB's DOUBLE-only math functions do.
func toDouble(e ast.Node, name string, args []expr.Expr, i int) (expr.Expr, error) {
	a := args[i]
	if p, ok := a.(*expr.Param); ok {
		p.Typ = f64
	}
	if t := a.Type(); !t.IsNumeric() && t.ID != coldata.Unknown && t.ID != coldata.String {
		return nil, noMatch(e, name, args)
	}
	return castTo(a, f64)
}

// scalarOpFunction binds the math, hashing and encoding functions of
// scalarOpFuncs; ok is false for other names.
func (c *exprCtx) scalarOpFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	f, known := scalarOpFuncs[name]
	if !known {
		return nil, false, nil
	}
	x, err := c.bindScalarOp(e, name, f, args)
	return x, true, err
}

func (c *exprCtx) bindScalarOp(e ast.Node, name string, f scalarFn, args []expr.Expr) (expr.Expr, error) {
	call := func(t coldata.Type, xs ...expr.Expr) expr.Expr { return &expr.Func{Op: f.op, Args: xs, Typ: t} }
	if f.nargs > 0 {
		if len(args) != f.nargs {
			return nil, noMatch(e, name, args)
		}
		xs := make([]expr.Expr, len(args))
		for i := range args {
			var err error
			if xs[i], err = toDouble(e, name, args, i); err != nil {
				return nil, err
			}
		}
		return call(f.res, xs...), nil
	}
	switch f.op {
	case expr.OpLogBase:
		return logFunc(e, name, args)
	case expr.OpRoundEven:
		if len(args) != 2 {
			return nil, noMatch(e, name, args)
		}
		x, err := toDouble(e, name, args, 0)
		if err != nil {
			return nil, err
		}
		d, err := intArg(e, name, args, 1)
		if err != nil {
			return nil, err
		}
		return call(f64, x, d), nil
	case expr.OpTrunc:
		return truncFunc(e, name, args)
	case expr.OpSign:
		if len(args) != 1 {
			return nil, noMatch(e, name, args)
		}
		t := args[0].Type()
		target := f64
		switch {
		case t.IsInteger():
			target = coldata.TypeInt64
		case t.ID == coldata.String:
			return nil, binderErr(e, "Could not choose a best candidate function for the function call \"sign(STRING_LITERAL)\". In order to select one, please add explicit type casts.")
		case !t.IsNumeric() && t.ID != coldata.Unknown:
			return nil, noMatch(e, name, args)
		}
		x, err := castTo(args[0], target)
		if err != nil {
			return nil, err
		}
		return call(f.res, x), nil
	case expr.OpFactorial:
		if len(args) != 1 || !args[0].Type().IsInteger() && args[0].Type().ID != coldata.Unknown {
			return nil, noMatch(e, name, args)
		}
		x, err := castTo(args[0], coldata.TypeInt32)
		if err != nil {
			return nil, err
		}
		return call(f.res, x), nil
	case expr.OpBitCount:
		if len(args) != 1 {
			return nil, noMatch(e, name, args)
		}
		switch t := args[0].Type(); {
		case t.ID == coldata.Unknown:
			return &expr.Const{Val: coldata.NullDatum, Typ: f.res}, nil
		case t.IsInteger() || t.ID == coldata.Hugeint:
			return call(f.res, args[0]), nil
		}
		return nil, noMatch(e, name, args)
	case expr.OpRandom, expr.OpUUID:
		if len(args) != 0 {
			return nil, noMatch(e, name, args)
		}
		return call(f.res), nil
	case expr.OpSetSeed:
		if len(args) != 1 {
			return nil, noMatch(e, name, args)
		}
		x, err := toDouble(e, name, args, 0)
		if err != nil {
			return nil, err
		}
		return call(f.res, x), nil
	case expr.OpMod, expr.OpIntDiv, expr.OpAdd, expr.OpSub, expr.OpMul:
		if len(args) != 2 {
			return nil, noMatch(e, name, args)
		}
		return arithmetic(f.op, args[0], args[1], false, false)
	}
	return encodeFunc(e, name, f, args)
}

// intArg casts argument i to BIGINT (a digits count).
func intArg(e ast.Node, name string, args []expr.Expr, i int) (expr.Expr, error) {
	if p, ok := args[i].(*expr.Param); ok {
		p.Typ = coldata.TypeInt64
	}
	if t := args[i].Type(); !t.IsInteger() && t.ID != coldata.Unknown {
		return nil, noMatch(e, name, args)
	}
	return castTo(args[i], coldata.TypeInt64)
}

// logFunc binds log(x) (base 10) and log(b, x).
func logFunc(e ast.Node, name string, args []expr.Expr) (expr.Expr, error) {
	if len(args) < 1 || len(args) > 2 {
		return nil, noMatch(e, name, args)
	}
	xs := make([]expr.Expr, len(args))
	for i := range args {
		var err error
		if xs[i], err = toDouble(e, name, args, i); err != nil {
			return nil, err
		}
	}
	if len(xs) == 1 {
		return &expr.Func{Op: expr.OpLog10, Args: xs, Typ: f64}, nil
	}
	return &expr.Func{Op: expr.OpLogBase, Args: xs, Typ: f64}, nil
}

// truncFunc binds trunc(x) and trunc(x, digits): integers keep their type
// (and value without digits), DECIMAL(p,s) becomes DECIMAL(p, digits
// clamped to [0, s]), anything else is DOUBLE.
func truncFunc(e ast.Node, name string, args []expr.Expr) (expr.Expr, error) {
	if len(args) < 1 || len(args) > 2 {
		return nil, noMatch(e, name, args)
	}
	x := args[0]
	t := x.Type()
	var err error
	switch {
	case t.IsInteger() || t.ID == coldata.Hugeint:
		if len(args) == 1 {
			return x, nil
		}
	case t.ID == coldata.Decimal:
	default:
		if x, err = toDouble(e, name, args, 0); err != nil {
			return nil, err
		}
		t = f64
	}
	if len(args) == 1 {
		if t.ID == coldata.Decimal {
			return &expr.Func{Op: expr.OpTrunc, Args: []expr.Expr{x}, Typ: coldata.DecimalType(int(t.Precision), 0)}, nil
		}
		return &expr.Func{Op: expr.OpTrunc, Args: []expr.Expr{x}, Typ: t}, nil
	}
	d, err := intArg(e, name, args, 1)
	if err != nil {
		return nil, err
	}
	r := expr.Expr(&expr.Func{Op: expr.OpTruncDigits, Args: []expr.Expr{x, d}, Typ: t})
	if k, ok := d.(*expr.Const); ok && !k.Val.Null && t.ID == coldata.Decimal && k.Val.I < int64(t.Scale) {
		return castTo(r, coldata.DecimalType(int(t.Precision), int(max(k.Val.I, 0))))
	}
	return r, nil
}

// encodeFunc binds the hashing and encoding functions: text in (integers
// too for hex and bin), text or a 128-bit integer out. hash takes any
// arguments.
func encodeFunc(e ast.Node, name string, f scalarFn, args []expr.Expr) (expr.Expr, error) {
	if f.op == expr.OpHash {
		if len(args) == 0 {
			return nil, noMatch(e, name, args)
		}
		for _, a := range args {
			if a.Type().IsNested() {
				return nil, notImplemented(e, "hash of a nested value")
			}
		}
		return &expr.Func{Op: f.op, Args: args, Typ: f.res}, nil
	}
	if len(args) != 1 {
		return nil, noMatch(e, name, args)
	}
	a := args[0]
	t := a.Type()
	switch {
	case (f.op == expr.OpToHex || f.op == expr.OpToBinary) && (t.IsInteger() || t.ID == coldata.Hugeint):
	case t.Kind == coldata.KindBlob:
		// the bytes themselves, not their escaped text
	case t.ID == coldata.String || t.ID == coldata.Unknown:
		var err error
		if a, err = castTo(a, str); err != nil {
			return nil, err
		}
	default:
		return nil, noMatch(e, name, args)
	}
	return &expr.Func{Op: f.op, Args: []expr.Expr{a}, Typ: f.res}, nil
}
