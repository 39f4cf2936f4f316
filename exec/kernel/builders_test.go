package kernel

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// Short names for the tests' types and expression builders.
var (
	tB   = coldata.TypeBool
	tI32 = coldata.TypeInt32
	tI64 = coldata.TypeInt64
	tF   = coldata.TypeFloat64
	tS   = coldata.TypeString
	tD   = coldata.TypeDate
	tTS  = coldata.TypeTimestamp
	tU   = coldata.TypeUnknown
)

func dec(p, s int) coldata.Type { return coldata.DecimalType(p, s) }

func col(i int, t coldata.Type) *expr.Column { return &expr.Column{Index: i, Typ: t} }

func lit(t coldata.Type, s string) *expr.Const { return &expr.Const{Val: datum(t, s), Typ: t} }

func null(t coldata.Type) *expr.Const { return &expr.Const{Val: coldata.NullDatum, Typ: t} }

func fn(op expr.Op, t coldata.Type, args ...expr.Expr) *expr.Func {
	return &expr.Func{Op: op, Args: args, Typ: t}
}

func bin(op expr.Op, a, b expr.Expr) *expr.Func {
	t := a.Type()
	if op.IsComparison() || op == expr.OpAnd || op == expr.OpOr {
		t = tB
	}
	return fn(op, t, a, b)
}

func castTo(e expr.Expr, t coldata.Type) *expr.Cast { return &expr.Cast{Arg: e, Typ: t} }

func inList(e expr.Expr, not bool, vals ...string) *expr.In {
	in := &expr.In{Arg: e, Not: not}
	for _, v := range vals {
		d := datum(e.Type(), v)
		in.List = append(in.List, d)
		in.HasNull = in.HasNull || d.Null
	}
	return in
}

func like(e expr.Expr, pat string, not bool) *expr.Like {
	return &expr.Like{Arg: e, Pattern: pat, Not: not}
}

func isNull(e expr.Expr, not bool) *expr.IsNull { return &expr.IsNull{Arg: e, Not: not} }

func caseOf(t coldata.Type, els expr.Expr, whens ...expr.Expr) *expr.Case {
	c := &expr.Case{Typ: t, Else: els}
	for i := 0; i+1 < len(whens); i += 2 {
		c.Whens = append(c.Whens, expr.When{Cond: whens[i], Then: whens[i+1]})
	}
	return c
}

// datum parses a test value of type t; "NULL" is NULL.
func datum(t coldata.Type, s string) coldata.Datum {
	if s == "NULL" {
		return coldata.NullDatum
	}
	var d coldata.Datum
	var err error
	switch t.ID {
	case coldata.Bool:
		d.B, err = strconv.ParseBool(s)
	case coldata.Int32, coldata.Int64:
		d.I, err = strconv.ParseInt(s, 10, 64)
	case coldata.Float64:
		d.F, err = strconv.ParseFloat(s, 64)
	case coldata.Decimal:
		d.I, err = coldata.ParseDecimal(s, int(t.Scale))
	case coldata.Hugeint:
		b, ok := new(big.Int).SetString(s, 10)
		if !ok {
			err = fmt.Errorf("not an integer")
		} else {
			d = bigDatum(b)
		}
	case coldata.String:
		d.S = s
	case coldata.Date:
		var days int32
		days, err = coldata.ParseDate(s)
		d.I = int64(days)
	case coldata.Timestamp:
		d.I, err = coldata.ParseTimestamp(s)
	case coldata.Unknown:
		return coldata.NullDatum
	}
	if err != nil {
		panic(fmt.Sprintf("test value %q of %s: %v", s, t, err))
	}
	return d
}

// rowsOf builds rows from lines of '|'-separated values.
func rowsOf(types []coldata.Type, lines ...string) [][]coldata.Datum {
	out := make([][]coldata.Datum, len(lines))
	for i, l := range lines {
		parts := strings.Split(l, "|")
		if len(types) == 0 {
			parts = nil
		}
		if len(parts) != len(types) {
			panic(fmt.Sprintf("row %q has %d values for %d types", l, len(parts), len(types)))
		}
		out[i] = make([]coldata.Datum, len(types))
		for j, p := range parts {
			out[i][j] = datum(types[j], p)
		}
	}
	return out
}

func types(ts ...coldata.Type) []coldata.Type { return ts }

func strs(s ...string) []string { return s }
