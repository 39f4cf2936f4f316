package sql

import (
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
	"github.com/peregrinedb/peregrine/sql/parser"
)

// parseType maps a type as written to an engine type: DECIMAL(p,s),
// VARCHAR(n) (the length is ignored, as in DuckDB), arrays T[] and the
// nested LIST, STRUCT and MAP types.
func parseType(t *ast.TypeName) (coldata.Type, error) {
	if len(t.Array) > 0 {
		elem, err := parseType(t.Elem())
		if err != nil {
			return coldata.Type{}, err
		}
		return coldata.ListType(elem), nil
	}
	switch t.Name {
	case "JSON":
		return coldata.TypeString, nil // JSON text; DuckDB's JSON type is VARCHAR underneath
	case "DECIMAL":
		return decimalType(t)
	case "LIST":
		if len(t.Params) == 1 {
			elem, err := parseType(t.Params[0])
			if err != nil {
				return coldata.Type{}, err
			}
			return coldata.ListType(elem), nil
		}
	case "MAP":
		if len(t.Params) == 2 {
			k, err := parseType(t.Params[0])
			if err != nil {
				return coldata.Type{}, err
			}
			v, err := parseType(t.Params[1])
			if err != nil {
				return coldata.Type{}, err
			}
			return coldata.MapType(k, v), nil
		}
	case "STRUCT":
		if len(t.Fields) > 0 {
			fields := make([]coldata.Field, len(t.Fields))
			for i, f := range t.Fields {
				ft, err := parseType(f.Type)
				if err != nil {
					return coldata.Type{}, err
				}
				fields[i] = coldata.Field{Name: f.Name.Name, Type: ft}
			}
			return coldata.StructType(fields), nil
		}
	}
	if t.Ref != nil {
		return coldata.Type{}, errAt(t, "Catalog", "Type with name %s does not exist!", clip(t.Name))
	}
	// The parser has resolved DuckDB's aliases (INT4 is INTEGER).
	if tt, ok := coldata.ParseTypeName(t.Name); ok {
		return tt, nil
	}
	return coldata.Type{}, notImplemented(t, "the type "+t.Name)
}

func decimalType(t *ast.TypeName) (coldata.Type, error) {
	p, sc := 18, 3
	mod := func(i int) (int, bool) {
		n, ok := t.Mods[i].(*ast.NumberLit)
		if !ok {
			return 0, false
		}
		v, err := strconv.Atoi(n.Text)
		return v, err == nil
	}
	if len(t.Mods) > 2 {
		return coldata.Type{}, binderErr(t, "DECIMAL type can take at most two type modifiers, width and scale")
	}
	if len(t.Mods) >= 1 {
		var ok bool
		if p, ok = mod(0); !ok {
			return coldata.Type{}, binderErr(t, "DECIMAL width must be an integer")
		}
		sc = 0
	}
	if len(t.Mods) == 2 {
		var ok bool
		if sc, ok = mod(1); !ok {
			return coldata.Type{}, binderErr(t, "DECIMAL scale must be an integer")
		}
	}
	switch {
	case p < 1 || p > coldata.MaxDecimalPrecision:
		return coldata.Type{}, binderErr(t, "DECIMAL type width must be between 1 and 38")
	case sc < 0 || sc > coldata.MaxDecimalPrecision:
		return coldata.Type{}, binderErr(t, "DECIMAL type scale must be between 0 and 38")
	case sc > p:
		return coldata.Type{}, binderErr(t, "DECIMAL type scale cannot be greater than width")
	}
	if sc > 18 {
		return coldata.Type{}, notImplemented(t, "DECIMAL scale above 18")
	}
	return coldata.DecimalType(p, sc), nil
}

// parseTypeText parses a type written as text (hive_types values).
func parseTypeText(s string) (coldata.Type, error) {
	st, err := parser.ParseOne("SELECT CAST(NULL AS " + s + ")")
	if err == nil {
		if q, ok := st.(*ast.Query); ok {
			if sel, ok := q.Body.(*ast.Select); ok && len(sel.Items) == 1 {
				if c, ok := sel.Items[0].Expr.(*ast.Cast); ok {
					return parseType(c.Type)
				}
			}
		}
	}
	return coldata.Type{}, &Error{Kind: "Catalog", Msg: "Type with name " + clip(s) + " does not exist!", Pos: -1}
}

// funcName resolves a call's name: the function, with a method call's
// receiver (x.f(a) is f(x, a)) or a column named like a schema as the
// first argument.
func funcName(e *ast.FuncCall) (string, []ast.Expr) {
	args := e.Args
	if e.Receiver != nil {
		args = append([]ast.Expr{e.Receiver}, args...)
	}
	parts := e.Name.Parts
	if len(parts) > 1 {
		switch strings.ToLower(parts[len(parts)-2].Name) {
		case "main", "pg_catalog", "system":
		default:
			// col.f(...) calls f on the column.
			recv := &ast.ColumnRef{At: e.Name.At, Parts: parts[:len(parts)-1]}
			args = append([]ast.Expr{recv}, args...)
		}
	}
	return strings.ToLower(parts[len(parts)-1].Name), args
}

func (c *exprCtx) args(list []ast.Expr, name string) ([]expr.Expr, error) {
	out := make([]expr.Expr, 0, len(list))
	for _, a := range list {
		if na, ok := a.(*ast.NamedArg); ok {
			return nil, binderErr(na, "function %s does not take the named argument %s", name, clip(na.Name.Name))
		}
		x, err := c.bind(a)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// function binds a scalar function call.
func (c *exprCtx) function(e *ast.FuncCall) (expr.Expr, error) {
	name, argList := funcName(e)
	switch {
	case e.Over != nil:
		return c.window(e)
	case name == "unnest" && e.Over == nil:
		return c.unnestRef(e)
	case listFuncNames[name] != "" && !isAggName(name):
		return c.listFunction(e, name, argList)
	case !functionKind(name, "scalar") && !functionKind(name, "aggregate"):
		return nil, unknownFunction(e, name, "scalar")
	case isAggName(name):
		return nil, aggregateNotAllowed(e, c.clause)
	case e.Distinct || e.Filter != nil || len(e.OrderBy) > 0 || len(e.WithinGroup) > 0:
		return nil, errAt(e, "Invalid Input", "Function \"%s\" is a Scalar Function. \"DISTINCT\", \"FILTER\", and \"ORDER BY\" are only applicable to aggregate functions.", name)
	case e.IgnoreNulls != nil:
		return nil, binderErr(e, "IGNORE NULLS is only allowed in window functions")
	case e.Star:
		return nil, binderErr(e, "* is not a valid argument to %s", name)
	}
	if name == "time_bucket" || name == "date_add" {
		return c.intervalFunction(e, name, argList)
	}
	args, err := c.args(argList, name)
	if err != nil {
		return nil, err
	}
	x, err := c.scalarFunction(e, name, args)
	return x, at(err, e)
}

func (c *exprCtx) scalarFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, error) {
	want := func(n ...int) error {
		for _, k := range n {
			if len(args) == k {
				return nil
			}
		}
		return binderErr(e, "function %s does not take %d arguments", name, len(args))
	}
	call := func(op expr.Op, t coldata.Type, xs ...expr.Expr) expr.Expr {
		return &expr.Func{Op: op, Args: xs, Typ: t}
	}
	str := func(i int) (expr.Expr, error) { return castTo(args[i], coldata.TypeString) }
	if x, ok, err := blobFunction(e, name, args); ok {
		return x, err
	}
	if x, ok, err := mapFunction(e, name, args); ok {
		return x, err
	}
	if x, ok, err := nestedFunction(name, args); ok {
		return x, err
	}
	if x, ok, err := stringFunction(e, name, args); ok {
		return x, err
	}
	if x, ok, err := c.mathFunction(e, name, args); ok {
		return x, err
	}
	if x, ok, err := c.datePartFunction(e, name, args); ok {
		return x, err
	}
	if x, ok, err := c.scalarOpFunction(e, name, args); ok {
		return x, err
	}
	if x, ok, err := jsonFunction(e, name, args); ok {
		return x, err
	}
	if x, ok, err := dateFunction(e, name, args); ok {
		return x, err
	}
	if x, ok, err := c.catalogFunction(e, name, args); ok {
		return x, err
	}
	switch name {
	case "typeof":
		// The argument's type, known when binding: a constant.
		if err := want(1); err != nil {
			return nil, err
		}
		t := args[0].Type().String()
		if args[0].Type().ID == coldata.Unknown {
			t = `"NULL"` // as DuckDB spells it
		}
		return &expr.Const{Val: coldata.Datum{S: t}, Typ: coldata.TypeString}, nil
	case "date_part", "datepart":
		if err := want(2); err != nil {
			return nil, err
		}
		f, ok := args[0].(*expr.Const)
		if !ok || f.Typ.ID != coldata.String || f.Val.Null {
			return nil, binderErr(e, "%s needs a constant field name", name)
		}
		return c.extract(e, strings.ToLower(f.Val.S), args[1])
	case "year", "month", "day":
		if err := want(1); err != nil {
			return nil, err
		}
		return c.extract(e, name, args[0])
	case "upper", "ucase", "lower", "lcase", "trim":
		if err := want(1); err != nil {
			return nil, err
		}
		a, err := str(0)
		if err != nil {
			return nil, err
		}
		op := map[string]expr.Op{"upper": expr.OpUpper, "ucase": expr.OpUpper, "lower": expr.OpLower, "lcase": expr.OpLower, "trim": expr.OpTrim}[name]
		return call(op, coldata.TypeString, a), nil
	case "length", "char_length", "character_length", "len", "strlen":
		if err := want(1); err != nil {
			return nil, err
		}
		a, err := str(0)
		if err != nil {
			return nil, err
		}
		return call(expr.OpLength, coldata.TypeInt64, a), nil
	case "substring", "substr":
		if len(args) < 2 || len(args) > 3 {
			return nil, want(2, 3)
		}
		return substring(args[0], args[1:])
	case "concat":
		var out expr.Expr
		for i := range args {
			a, err := str(i)
			if err != nil {
				return nil, err
			}
			// concat() skips NULLs, unlike ||.
			a = call(expr.OpCoalesce, coldata.TypeString, a, &expr.Const{Val: coldata.Datum{S: ""}, Typ: coldata.TypeString})
			if out == nil {
				out = a
			} else {
				out = call(expr.OpConcat, coldata.TypeString, out, a)
			}
		}
		if out == nil {
			return nil, want(1)
		}
		return out, nil
	case "starts_with", "prefix", "contains":
		if err := want(2); err != nil {
			return nil, err
		}
		a, err := str(0)
		if err != nil {
			return nil, err
		}
		b, err := str(1)
		if err != nil {
			return nil, err
		}
		op := expr.OpStartsWith
		if name == "contains" {
			op = expr.OpContains
		}
		return call(op, coldata.TypeBool, a, b), nil
	case "abs":
		if err := want(1); err != nil {
			return nil, err
		}
		if !args[0].Type().IsNumeric() {
			return nil, binderErr(e, "abs needs a number, got %s", args[0].Type())
		}
		return call(expr.OpAbs, args[0].Type(), args[0]), nil
	case "pow", "power":
		if err := want(2); err != nil {
			return nil, err
		}
		return power(args[0], args[1])
	case "xor":
		if err := want(2); err != nil {
			return nil, err
		}
		return bitwise(expr.OpBitXor, "xor", args[0], args[1])
	case "round":
		if err := want(1, 2); err != nil {
			return nil, err
		}
		return round(e, args)
	case "nullif":
		// NULLIF(a, b) = CASE WHEN a = b THEN NULL ELSE a END, typed as a.
		if err := want(2); err != nil {
			return nil, err
		}
		eq, err := c.compare(expr.OpEq, args[0], args[1])
		if err != nil {
			return nil, err
		}
		return &expr.Case{Whens: []expr.When{{Cond: eq, Then: &expr.Const{Val: coldata.NullDatum, Typ: args[0].Type()}}}, Else: args[0], Typ: args[0].Type()}, nil
	case "if":
		return c.ifFunc(e, name, args)
	case "coalesce", "ifnull":
		if len(args) == 0 {
			return nil, want(1)
		}
		t := coldata.TypeUnknown
		var err error
		for _, a := range args {
			if t, err = resultType(t, a.Type()); err != nil {
				return nil, binderErr(e, "%s arguments have incompatible types: %v", name, err)
			}
		}
		for i := range args {
			if args[i], err = castTo(args[i], t); err != nil {
				return nil, err
			}
		}
		return call(expr.OpCoalesce, t, args...), nil
	}
	return nil, unknownFunction(e, name, "scalar")
}

// scalarFunctions are the functions scalarFunction binds.
var scalarFunctions = map[string]bool{
	"date_part": true, "datepart": true, "year": true, "month": true, "day": true, "upper": true, "ucase": true,
	"lower": true, "lcase": true, "trim": true, "length": true, "char_length": true, "character_length": true,
	"len": true, "strlen": true, "substring": true, "substr": true, "concat": true, "starts_with": true,
	"prefix": true, "contains": true, "abs": true, "pow": true, "power": true, "xor": true, "round": true,
	"nullif": true, "coalesce": true, "ifnull": true, "typeof": true, "if": true,
}

// extract binds date_part('field', x) (also EXTRACT(field FROM x), year(x)...).
func (c *exprCtx) extract(e *ast.FuncCall, field string, a expr.Expr) (expr.Expr, error) {
	op, ok := map[string]expr.Op{"year": expr.OpExtractYear, "month": expr.OpExtractMonth, "day": expr.OpExtractDay}[field]
	if !ok {
		return nil, notImplemented(e, "date_part('"+clip(field)+"', ...)")
	}
	var err error
	if a.Type().ID == coldata.String {
		if a, err = castTo(a, coldata.TypeDate); err != nil {
			return nil, err
		}
	}
	if a.Type().ID != coldata.Date && a.Type().ID != coldata.Timestamp && a.Type().ID != coldata.Unknown {
		return nil, binderErr(e, "%s needs a DATE or TIMESTAMP, got %s", field, a.Type())
	}
	return &expr.Func{Op: op, Args: []expr.Expr{a}, Typ: coldata.TypeInt64}, nil
}

// round binds round(x [, digits]). DuckDB types round(DECIMAL(p,s), d) with
// a constant d as DECIMAL(p, max(d,0)): the rounded-off digits are dropped.
func round(e *ast.FuncCall, args []expr.Expr) (expr.Expr, error) {
	if !args[0].Type().IsNumeric() {
		return nil, binderErr(e, "round needs a number, got %s", args[0].Type())
	}
	digits := expr.Expr(&expr.Const{Val: coldata.Datum{I: 0}, Typ: coldata.TypeInt64})
	if len(args) == 2 {
		var err error
		if digits, err = castTo(args[1], coldata.TypeInt64); err != nil {
			return nil, err
		}
	}
	r := &expr.Func{Op: expr.OpRound, Args: []expr.Expr{args[0], digits}, Typ: args[0].Type()}
	t := args[0].Type()
	if k, ok := digits.(*expr.Const); ok && !k.Val.Null && t.ID == coldata.Decimal {
		d := max(k.Val.I, 0)
		if d < int64(t.Scale) {
			return castTo(r, coldata.DecimalType(int(t.Precision), int(d)))
		}
	}
	return r, nil
}

func substring(s expr.Expr, rest []expr.Expr) (expr.Expr, error) {
	s, err := castTo(s, coldata.TypeString)
	if err != nil {
		return nil, err
	}
	args := []expr.Expr{s}
	for _, r := range rest {
		if p, ok := r.(*expr.Param); ok {
			p.Typ = coldata.TypeInt64
		}
		if !r.Type().IsInteger() && r.Type().ID != coldata.Unknown {
			return nil, &Error{Kind: "Binder", Msg: "substring positions must be integers, got " + r.Type().String(), Pos: -1}
		}
		x, err := castTo(r, coldata.TypeInt64)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	return &expr.Func{Op: expr.OpSubstring, Args: args, Typ: coldata.TypeString}, nil
}
