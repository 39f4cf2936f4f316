package sql

import (
	"math"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
	"github.com/peregrinedb/peregrine/sql/ast"
)

// partFuncs are the one-part functions (dayofweek(d) = date_part('dow', d))
// beyond year, month and day, with the part each extracts.
var partFuncs = map[string]string{
	"dayofmonth": "day", "hour": "hour", "minute": "minute", "second": "second",
	"millisecond": "millisecond", "microsecond": "microsecond", "dayofweek": "dow", "weekday": "dow",
	"dayofyear": "doy", "week": "week", "weekofyear": "week", "yearweek": "yearweek", "quarter": "quarter",
	"decade": "decade", "century": "century", "millennium": "millennium", "era": "era", "isodow": "isodow",
	"isoyear": "isoyear", "epoch": "epoch", "julian": "julian",
}

func init() {
	for n := range partFuncs {
		dateFuncNames[n] = true
	}
	for _, n := range []string{"epoch_ms", "epoch_us", "epoch_ns", "make_timestamp", "make_time", "date_sub", "datesub", "isfinite", "isinf", "strptime", "try_strptime", "nanosecond"} {
		dateFuncNames[n] = true
	}
}

// datePartFunction binds date_part/datepart/extract, the one-part functions
// and epoch_ms/us/ns; ok is false for other names.
func (c *exprCtx) datePartFunction(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, bool, error) {
	part, single := partFuncs[name]
	switch {
	case single || name == "year" || name == "month" || name == "day":
		if len(args) != 1 {
			return nil, true, binderErr(e, "function %s does not take %d arguments", name, len(args))
		}
		if !single {
			part = name
		}
		x, err := c.datePart(e, part, args[0])
		return x, true, err
	case name == "date_part" || name == "datepart":
		if len(args) != 2 {
			return nil, true, binderErr(e, "function %s does not take %d arguments", name, len(args))
		}
		x, err := c.datePartArgs(e, args[0], args[1])
		return x, true, err
	case name == "epoch_ms" || name == "epoch_us" || name == "epoch_ns":
		if len(args) != 1 {
			return nil, true, binderErr(e, "function %s does not take %d arguments", name, len(args))
		}
		x, err := epochUnits(e, name, args[0])
		return x, true, err
	case name == "date_sub" || name == "datesub":
		x, err := dateSub(e, name, args)
		return x, true, err
	case (name == "isfinite" || name == "isinf") && (len(args) != 1 || !isDateOrTimestamp(args[0].Type())):
		return nil, false, nil // the numeric forms are bind_scalarfn.go's
	case name == "isfinite" || name == "isinf":
		x, err := isFinite(e, name, args)
		return x, true, err
	case name == "strptime" || name == "try_strptime":
		x, err := strptime(e, name, args)
		return x, true, err
	case name == "nanosecond":
		if len(args) != 1 {
			return nil, true, binderErr(e, "function %s does not take %d arguments", name, len(args))
		}
		x, err := c.datePart(e, "microsecond", args[0])
		if k, ok := x.(*expr.Const); err != nil || ok && k.Val.Null {
			return x, true, err
		}
		return &expr.Func{Op: expr.OpMul, Args: []expr.Expr{x, &expr.Const{Val: coldata.Datum{I: 1000}, Typ: coldata.TypeInt64}}, Typ: coldata.TypeInt64}, true, nil
	case name == "make_timestamp":
		x, err := makeTimestamp(e, args)
		return x, true, err
	case name == "make_time":
		x, err := makeTime(e, args)
		return x, true, err
	}
	return nil, false, nil
}

// datePartArgs binds date_part(part, x): a constant part, a list of
// constant parts (a STRUCT of them), or a part per row.
func (c *exprCtx) datePartArgs(e *ast.FuncCall, p, x expr.Expr) (expr.Expr, error) {
	if p.Type().ID == coldata.List {
		k, ok := p.(*expr.Const)
		if ok && !k.Val.Null && (k.Val.N == nil || len(k.Val.N.Elems) == 0) {
			return nil, binderErr(e, "date_part requires non-empty lists of part names")
		}
		if !ok || k.Val.Null || p.Type().Nest.Elem.ID != coldata.String {
			return nil, binderErr(e, "date_part requires a constant list of part names")
		}
		names := make([]string, len(k.Val.N.Elems))
		vals := make([]expr.Expr, len(names))
		for i, d := range k.Val.N.Elems {
			v, err := c.datePart(e, d.S, x)
			if err != nil {
				return nil, err
			}
			names[i], vals[i] = d.S, v
		}
		return structPack(names, vals)
	}
	if pr, ok := p.(*expr.Param); ok {
		pr.Typ = coldata.TypeString
	}
	if k, ok := p.(*expr.Const); ok && (k.Typ.ID == coldata.String || k.Typ.ID == coldata.Unknown) {
		if k.Val.Null {
			return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeInt64}, nil
		}
		return c.datePart(e, k.Val.S, x)
	}
	if p.Type().ID != coldata.String {
		return nil, binderErr(e, "date_part needs a VARCHAR part name, got %s", p.Type())
	}
	if x.Type() == coldata.TypeTime {
		// The kernel reads a TIME as a time on 1970-01-01: only the
		// constant parts checked by datePart are a TIME's.
		return nil, notImplemented(e, "date_part of a TIME with a part that is not a constant")
	}
	x, err := datePartArg(e, x)
	if err != nil || x.Type().ID == coldata.Unknown {
		return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeInt64}, err
	}
	return &expr.Func{Op: expr.OpDatePart, Args: []expr.Expr{x, p}, Typ: coldata.TypeInt64}, nil
}

// datePartArg casts a string to DATE and refuses non-temporal arguments.
func datePartArg(e *ast.FuncCall, a expr.Expr) (expr.Expr, error) {
	var err error
	if p, ok := a.(*expr.Param); ok {
		p.Typ = coldata.TypeTimestamp
	}
	if a.Type().ID == coldata.String {
		if a, err = castTo(a, coldata.TypeDate); err != nil {
			return nil, err
		}
	}
	if id := a.Type().ID; id != coldata.Date && id != coldata.Timestamp && id != coldata.Unknown && a.Type() != coldata.TypeTime {
		return nil, binderErr(e, "%s needs a DATE or TIMESTAMP, got %s", funcNameOf(e), a.Type())
	}
	return a, nil
}

func funcNameOf(e *ast.FuncCall) string { n, _ := funcName(e); return n }

// datePart binds one constant part of x. year, month and day keep their
// own operators, which filters and statistics know.
func (c *exprCtx) datePart(e *ast.FuncCall, part string, a expr.Expr) (expr.Expr, error) {
	canon, ok := expr.DatePart(part)
	if !ok {
		return nil, &Error{Kind: "Conversion", Msg: "extract specifier \"" + clip(part) + "\" not recognized", Pos: -1}
	}
	a, err := datePartArg(e, a)
	if err != nil {
		return nil, err
	}
	t := coldata.TypeInt64
	if canon == "epoch" || canon == "julian" {
		t = coldata.TypeFloat64
	}
	if a.Type().ID == coldata.Unknown {
		return &expr.Const{Val: coldata.NullDatum, Typ: t}, nil
	}
	if a.Type() == coldata.TypeTime && !timeParts[canon] {
		return nil, binderErr(e, "No function matches the given name and argument types '%s(TIME)'. You might need to add explicit type casts.", canon)
	}
	if strings.HasPrefix(canon, "timezone") && a.Type().ID == coldata.Date {
		return nil, &Error{Kind: "Not implemented", Msg: "\"date\" units \"" + clip(part) + "\" not recognized", Pos: -1}
	}
	if op, ok := map[string]expr.Op{"year": expr.OpExtractYear, "month": expr.OpExtractMonth, "day": expr.OpExtractDay}[canon]; ok {
		return &expr.Func{Op: op, Args: []expr.Expr{a}, Typ: t}, nil
	}
	p := &expr.Const{Val: coldata.Datum{S: canon}, Typ: coldata.TypeString}
	return &expr.Func{Op: expr.OpDatePart, Args: []expr.Expr{a, p}, Typ: t}, nil
}

// epochUnits binds epoch_ms/us/ns of a DATE or TIMESTAMP (BIGINT), and
// epoch_ms of a number of milliseconds (the TIMESTAMP).
func epochUnits(e *ast.FuncCall, name string, a expr.Expr) (expr.Expr, error) {
	per := map[string]int64{"epoch_ms": 1000, "epoch_us": 1_000_000, "epoch_ns": 1_000_000_000}[name]
	unit := &expr.Const{Val: coldata.Datum{I: per}, Typ: coldata.TypeInt64}
	if name == "epoch_ms" && (a.Type().IsInteger() || a.Type().ID == coldata.Hugeint) {
		x, err := castTo(a, coldata.TypeInt64)
		if err != nil {
			return nil, err
		}
		return &expr.Func{Op: expr.OpEpochUnits, Args: []expr.Expr{x, unit}, Typ: coldata.TypeTimestamp}, nil
	}
	x, err := datePartArg(e, a)
	if err != nil {
		return nil, err
	}
	if x.Type().ID == coldata.Unknown {
		return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeInt64}, nil
	}
	return &expr.Func{Op: expr.OpEpochUnits, Args: []expr.Expr{x, unit}, Typ: coldata.TypeInt64}, nil
}

// makeTimestamp binds make_timestamp(micros) and make_timestamp(year,
// month, day, hour, minute, seconds).
func makeTimestamp(e *ast.FuncCall, args []expr.Expr) (expr.Expr, error) {
	switch len(args) {
	case 1:
		x, err := castTo(args[0], coldata.TypeInt64)
		if err != nil {
			return nil, err
		}
		unit := &expr.Const{Val: coldata.Datum{I: 1_000_000}, Typ: coldata.TypeInt64}
		return &expr.Func{Op: expr.OpEpochUnits, Args: []expr.Expr{x, unit}, Typ: coldata.TypeTimestamp}, nil
	case 6:
		out := make([]expr.Expr, 6)
		for i, a := range args {
			t := coldata.TypeInt64
			if i == 5 {
				t = coldata.TypeFloat64
			}
			if p, ok := a.(*expr.Param); ok {
				p.Typ = t
			}
			if !a.Type().IsNumeric() && a.Type().ID != coldata.Unknown {
				return nil, binderErr(e, "make_timestamp needs numbers, got %s", a.Type())
			}
			x, err := castTo(a, t)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return &expr.Func{Op: expr.OpMakeTS, Args: out, Typ: coldata.TypeTimestamp}, nil
	}
	return nil, binderErr(e, "function make_timestamp does not take %d arguments", len(args))
}

// dateSub binds date_sub(part, start, end) over DATEs or TIMESTAMPs.
func dateSub(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, error) {
	if len(args) != 3 {
		return nil, binderErr(e, "function %s does not take %d arguments", name, len(args))
	}
	p, ok := args[0].(*expr.Const)
	if !ok || (p.Typ.ID != coldata.String && p.Typ.ID != coldata.Unknown) {
		return nil, notImplemented(e, name+" with a part that is not a constant")
	}
	if p.Val.Null {
		return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeInt64}, nil
	}
	if _, ok := expr.DatePart(p.Val.S); !ok {
		return nil, &Error{Kind: "Conversion", Msg: "extract specifier \"" + clip(p.Val.S) + "\" not recognized", Pos: -1}
	}
	out := []expr.Expr{p}
	for _, a := range args[1:] {
		x, err := datePartArg(e, a)
		if err != nil {
			return nil, err
		}
		if x, err = castTo(x, coldata.TypeTimestamp); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return &expr.Func{Op: expr.OpDateSub, Args: out, Typ: coldata.TypeInt64}, nil
}

// isFinite binds isfinite(x) and isinf(x) of a DATE or TIMESTAMP: a
// comparison with the ±infinity values.
func isFinite(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, error) {
	if len(args) != 1 {
		return nil, binderErr(e, "function %s does not take %d arguments", name, len(args))
	}
	x, err := datePartArg(e, args[0])
	if err != nil {
		return nil, err
	}
	if x.Type().ID == coldata.Unknown {
		return &expr.Const{Val: coldata.NullDatum, Typ: coldata.TypeBool}, nil
	}
	lo, hi := coldata.Datum{I: -math.MaxInt32}, coldata.Datum{I: math.MaxInt32}
	if x.Type().ID == coldata.Timestamp {
		lo, hi = coldata.Datum{I: -math.MaxInt64}, coldata.Datum{I: math.MaxInt64}
	}
	gt := &expr.Func{Op: expr.OpGt, Args: []expr.Expr{x, &expr.Const{Val: lo, Typ: x.Type()}}, Typ: coldata.TypeBool}
	lt := &expr.Func{Op: expr.OpLt, Args: []expr.Expr{x, &expr.Const{Val: hi, Typ: x.Type()}}, Typ: coldata.TypeBool}
	finite := &expr.Func{Op: expr.OpAnd, Args: []expr.Expr{gt, lt}, Typ: coldata.TypeBool}
	if name == "isinf" {
		return &expr.Func{Op: expr.OpNot, Args: []expr.Expr{finite}, Typ: coldata.TypeBool}, nil
	}
	return finite, nil
}

// strptime binds strptime(text, format) and try_strptime (NULL where the
// text does not match); the format must be a constant.
func strptime(e *ast.FuncCall, name string, args []expr.Expr) (expr.Expr, error) {
	if len(args) != 2 {
		return nil, binderErr(e, "function %s does not take %d arguments", name, len(args))
	}
	x, err := castTo(args[0], coldata.TypeString)
	if err != nil {
		return nil, err
	}
	f, err := castTo(args[1], coldata.TypeString)
	if err != nil {
		return nil, err
	}
	if _, ok := f.(*expr.Const); !ok {
		return nil, notImplemented(e, name+" with a format that is not a constant")
	}
	try := &expr.Const{Val: coldata.Datum{B: name == "try_strptime"}, Typ: coldata.TypeBool}
	return &expr.Func{Op: expr.OpStrptime, Args: []expr.Expr{x, f, try}, Typ: coldata.TypeTimestamp}, nil
}

func isDateOrTimestamp(t coldata.Type) bool { return t.ID == coldata.Date || t.ID == coldata.Timestamp }

// timeParts are the parts a TIME has (extract of others is DuckDB's "no
// function matches").
var timeParts = map[string]bool{"hour": true, "minute": true, "second": true,
	"millisecond": true, "microsecond": true, "epoch": true}

// makeTime binds make_time(hour, minute, seconds) as the time of day of
// make_timestamp(1970, 1, 1, hour, minute, seconds), whose range checks
// give DuckDB's "Time out of range" errors.
func makeTime(e *ast.FuncCall, args []expr.Expr) (expr.Expr, error) {
	if len(args) != 3 {
		return nil, binderErr(e, "function make_time does not take %d arguments", len(args))
	}
	day := func(v int64) expr.Expr { return &expr.Const{Val: coldata.Datum{I: v}, Typ: coldata.TypeInt64} }
	ts, err := makeTimestamp(e, append([]expr.Expr{day(1970), day(1), day(1)}, args...))
	if err != nil {
		return nil, err
	}
	return castTo(ts, coldata.TypeTime)
}
