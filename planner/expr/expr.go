package expr

import (
	"fmt"
	"strings"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

// Expr is a bound scalar expression over the columns of one input row.
type Expr interface {
	Type() coldata.Type
	String() string
}

// Column reads input column Index.
type Column struct {
	Index int
	Typ   coldata.Type
	Name  string // for EXPLAIN and errors only
}

// Const is a constant; Val.Null for a typed NULL.
type Const struct {
	Val coldata.Datum
	Typ coldata.Type
}

// Op names a scalar function or operator.
type Op uint8

// The scalar operators and functions a Func applies. The arithmetic (OpAdd
// to OpNeg), comparison (OpEq to OpGe) and logical (OpAnd, OpOr, OpNot)
// operators follow the typing contract in doc.go; the others carry their
// signature as a trailing comment. Apart from coalesce and the ones noted, a
// NULL argument makes the result NULL; AND and OR use three-valued logic.
// The binder maps DuckDB's operator and function names onto them; nested.go
// adds the LIST, STRUCT and MAP operators.
const (
	OpAdd Op = iota
	OpSub
	OpMul
	OpDiv
	OpMod
	OpNeg
	OpEq
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
	OpAnd
	OpOr
	OpNot
	OpConcat          // (string, string) → string
	OpSubstring       // (string, start int64 1-based, [length int64]) → string
	OpUpper           // (string) → string
	OpLower           // (string) → string
	OpLength          // (string) → int64 (characters)
	OpTrim            // (string) → string
	OpExtractYear     // (date|timestamp) → int64
	OpExtractMonth    // (date|timestamp) → int64
	OpExtractDay      // (date|timestamp) → int64
	OpDateAddDays     // (date, int64 days) → date
	OpDateAddMonths   // (date, int64 months) → date (day clamped to month end, like DuckDB)
	OpAbs             // numeric → same type
	OpRound           // (numeric, int64 digits) → same type (decimal keeps its scale)
	OpCoalesce        // (T, T, ...) → T
	OpStartsWith      // (string, string) → bool
	OpContains        // (string, string) → bool
	OpIntDiv          // (int, int) → int, truncating; NULL for a zero divisor (DuckDB's //)
	OpSingleRow       // (count int64, T) → T; an error when count > 1 (a scalar subquery's rows)
	OpBitAnd          // (int, int) → int of the same type
	OpBitOr           // (int, int) → int
	OpBitXor          // (int, int) → int
	OpBitNot          // (int) → int
	OpShiftLeft       // (int, int) → int; out-of-range shifts and overflow are errors (DuckDB)
	OpShiftRight      // (int, int) → int
	OpPow             // (double, double) → double
	OpLTrim           // (string [, characters]) → string
	OpRTrim           // (string [, characters]) → string
	OpTrimChars       // (string, characters) → string
	OpReplace         // (string, from, to) → string
	OpReverse         // (string) → string (by character)
	OpRepeat          // (string, int64 count) → string
	OpLeft            // (string, int64 n) → string; n < 0 drops characters from the end
	OpRight           // (string, int64 n) → string; n < 0 drops characters from the start
	OpLpad            // (string, int64 width, fill) → string
	OpRpad            // (string, int64 width, fill) → string
	OpSplitPart       // (string, separator, int64 index 1-based; < 0 from the end) → string
	OpEndsWith        // (string, string) → bool
	OpStrpos          // (haystack, needle) → int64 (1-based character position, 0 if absent)
	OpAscii           // (string) → int32 (code point of the first character)
	OpChr             // (int32 code point) → string
	OpMD5             // (string) → string (hex digest)
	OpConcatWS        // (separator, string...) → string; NULL arguments are skipped, a NULL separator gives NULL
	OpRegexpMatches   // (string, pattern, options constant) → bool; the pattern matches somewhere
	OpRegexpFullMatch // (string, pattern, options constant) → bool; the pattern matches all of it
	OpRegexpReplace   // (string, pattern, replacement, options constant; 'g' replaces all) → string
	OpRegexpExtract   // (string, pattern, group int64 constant, options constant) → string
	OpSqrt            // (double) → double; an error for a negative argument
	OpCbrt            // (double) → double
	OpExp             // (double) → double
	OpLn              // (double) → double; an error for zero or a negative argument
	OpLog10           // (double) → double; likewise
	OpLog2            // (double) → double; likewise
	OpCeil            // (double) → double, (decimal(p,s)) → decimal(p,0)
	OpFloor           // (double) → double, (decimal(p,s)) → decimal(p,0)
	OpTrunc           // (double) → double, (decimal(p,s)) → decimal(p,0); toward zero
	OpGreatest        // (T, T, ...) → T, the largest non-NULL argument (NULL when all are)
	OpLeast           // (T, T, ...) → T, the smallest non-NULL argument
	OpDateTrunc       // (timestamp, part string constant) → timestamp (a DATE argument is cast first)
	OpDateDiff        // (part string constant, start timestamp, end timestamp) → int64 boundaries crossed
	OpLastDay         // (date) → date
	OpDayName         // (date) → string
	OpMonthName       // (date) → string
	OpMakeDate        // (year, month, day int64) → date; an error for an invalid date
	OpStrftime        // (date|timestamp, format string constant) → string
	OpGcd             // (int64, int64) → int64, non-negative
	OpLcm             // (int64, int64) → int64, non-negative; an error when it overflows
	opCount
)

var opNames = [...]string{
	OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpMod: "%", OpNeg: "-",
	OpEq: "=", OpNe: "<>", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">=",
	OpAnd: "AND", OpOr: "OR", OpNot: "NOT", OpConcat: "||",
	OpSubstring: "substring", OpUpper: "upper", OpLower: "lower", OpLength: "length",
	OpTrim: "trim", OpExtractYear: "year", OpExtractMonth: "month", OpExtractDay: "day",
	OpDateAddDays: "date_add_days", OpDateAddMonths: "date_add_months", OpAbs: "abs",
	OpRound: "round", OpCoalesce: "coalesce", OpStartsWith: "starts_with", OpContains: "contains",
	OpIntDiv: "//", OpSingleRow: "single_row",
	OpBitAnd: "&", OpBitOr: "|", OpBitXor: "xor", OpBitNot: "~", OpShiftLeft: "<<", OpShiftRight: ">>",
	OpPow: "**", OpLTrim: "ltrim", OpRTrim: "rtrim", OpTrimChars: "trim", OpReplace: "replace",
	OpReverse: "reverse", OpRepeat: "repeat", OpLeft: "left", OpRight: "right", OpLpad: "lpad", OpRpad: "rpad",
	OpSplitPart: "split_part", OpEndsWith: "ends_with", OpStrpos: "strpos", OpAscii: "ascii", OpChr: "chr",
	OpMD5: "md5", OpConcatWS: "concat_ws", OpRegexpMatches: "regexp_matches", OpRegexpFullMatch: "regexp_full_match",
	OpRegexpReplace: "regexp_replace", OpRegexpExtract: "regexp_extract", OpSqrt: "sqrt", OpCbrt: "cbrt",
	OpExp: "exp", OpLn: "ln", OpLog10: "log10", OpLog2: "log2", OpCeil: "ceil", OpFloor: "floor",
	OpGreatest: "greatest", OpLeast: "least", OpDateTrunc: "date_trunc", OpDateDiff: "date_diff",
	OpLastDay: "last_day", OpDayName: "dayname", OpMonthName: "monthname", OpMakeDate: "make_date",
	OpStrftime: "strftime", OpGcd: "gcd", OpLcm: "lcm",
	OpTrunc: "trunc",
}

// String is the operator's SQL spelling (`+`, `<>`) or function name, as
// expressions print in EXPLAIN; a few ops share one (OpSub and OpNeg are
// both `-`, OpTrim and OpTrimChars both trim).
func (o Op) String() string {
	if s, ok := nestedOpNames[o]; ok {
		return s
	}
	if s, ok := dateOpNames[o]; ok {
		return s
	}
	if int(o) < len(opNames) && opNames[o] != "" {
		return opNames[o]
	}
	return fmt.Sprintf("op%d", o)
}

// IsComparison reports whether o is one of = <> < <= > >=.
func (o Op) IsComparison() bool { return o >= OpEq && o <= OpGe }

// IsInfix reports whether o prints between its operands.
func (o Op) IsInfix() bool {
	switch o {
	case OpConcat, OpIntDiv, OpBitAnd, OpBitOr, OpShiftLeft, OpShiftRight, OpPow:
		return true
	}
	return o <= OpMod || (o >= OpEq && o <= OpOr)
}

// Commute returns the comparison with operands swapped (a < b ⇔ b > a).
func (o Op) Commute() Op {
	switch o {
	case OpLt:
		return OpGt
	case OpLe:
		return OpGe
	case OpGt:
		return OpLt
	case OpGe:
		return OpLe
	}
	return o
}

// Negate returns the comparison's complement (NOT a < b ⇔ a >= b).
func (o Op) Negate() Op {
	switch o {
	case OpEq:
		return OpNe
	case OpNe:
		return OpEq
	case OpLt:
		return OpGe
	case OpLe:
		return OpGt
	case OpGt:
		return OpLe
	case OpGe:
		return OpLt
	}
	return o
}

// Func applies Op to Args.
type Func struct {
	Op   Op
	Args []Expr
	Typ  coldata.Type
}

// Cast converts Arg to Typ (DuckDB's cast rules; failures are errors naming
// the value, or NULL for a TRY_CAST, Try).
type Cast struct {
	Arg Expr
	Typ coldata.Type
	Try bool
}

// Param is a query parameter ($1, ?, $name) awaiting its value: a prepared
// statement's bound plan holds it, and executing the statement replaces it
// by a Const of Typ (the value cast to the type the parameter's context
// asks for). Text is the parameter as written, for messages and EXPLAIN.
type Param struct {
	Index int // 1-based; 0 for a named parameter
	Name  string
	Text  string
	Typ   coldata.Type
}

// When is one CASE branch.
type When struct{ Cond, Then Expr }

// Case is a searched CASE; Else nil means NULL.
type Case struct {
	Whens []When
	Else  Expr
	Typ   coldata.Type
}

// In is `Arg [NOT] IN (List...)` with constant list values of Arg's type.
// A NULL in the list is recorded in HasNull (it makes non-matches NULL).
type In struct {
	Arg     Expr
	List    []coldata.Datum
	HasNull bool
	Not     bool
}

// Like is `Arg [NOT] LIKE Pattern` with SQL wildcards % and _ (escape '\').
type Like struct {
	Arg     Expr
	Pattern string
	Not     bool
}

// IsNull is `Arg IS [NOT] NULL`.
type IsNull struct {
	Arg Expr
	Not bool
}

// Type is the input column's type.
func (e *Column) Type() coldata.Type { return e.Typ }

// Type is the constant's type; a NULL constant has one too.
func (e *Const) Type() coldata.Type { return e.Typ }

// Type is the result type the binder resolved from Op and the argument
// types.
func (e *Func) Type() coldata.Type { return e.Typ }

// Type is the target type.
func (e *Cast) Type() coldata.Type { return e.Typ }

// Type is the type every branch (and Else) has been cast to.
func (e *Case) Type() coldata.Type { return e.Typ }

// Type is BOOLEAN.
func (e *In) Type() coldata.Type { return coldata.TypeBool }

// Type is BOOLEAN.
func (e *Like) Type() coldata.Type { return coldata.TypeBool }

// Type is BOOLEAN: IS [NOT] NULL is never NULL itself.
func (e *IsNull) Type() coldata.Type { return coldata.TypeBool }

// Type is the type the parameter's context asks for; the value is cast to it
// when the statement executes.
func (e *Param) Type() coldata.Type { return e.Typ }

// String is the parameter as written (`?`, `$1`, `$name`).
func (e *Param) String() string { return e.Text }

// String is the column's name, or `#i` (its input position) when it has
// none.
func (e *Column) String() string {
	if e.Name != "" {
		return e.Name
	}
	return fmt.Sprintf("#%d", e.Index)
}

// String prints the constant as a SQL literal: strings quoted, dates and
// timestamps as typed literals (`DATE '1995-03-15'`), NULL as NULL.
func (e *Const) String() string {
	if e.Val.Null {
		return "NULL"
	}
	switch e.Typ.ID {
	case coldata.String:
		return "'" + strings.ReplaceAll(e.Val.S, "'", "''") + "'"
	case coldata.Date:
		return "DATE '" + coldata.Format(e.Typ, e.Val) + "'"
	case coldata.Timestamp:
		return "TIMESTAMP '" + coldata.Format(e.Typ, e.Val) + "'"
	}
	return coldata.Format(e.Typ, e.Val)
}

// String prints the call as EXPLAIN shows it: infix operators parenthesized,
// an n-ary AND/OR as the left-nested chain it stands for, other functions as
// name(args).
func (e *Func) String() string {
	switch {
	case e.Op == OpNeg:
		return "-(" + e.Args[0].String() + ")"
	case e.Op == OpNot:
		return "NOT (" + e.Args[0].String() + ")"
	case e.Op.IsInfix() && len(e.Args) == 2:
		return "(" + e.Args[0].String() + " " + e.Op.String() + " " + e.Args[1].String() + ")"
	case (e.Op == OpAnd || e.Op == OpOr) && len(e.Args) > 2:
		// n-ary AND/OR print as the left-nested chain they stand for.
		var sb strings.Builder
		sb.WriteString(strings.Repeat("(", len(e.Args)-1))
		sb.WriteString(e.Args[0].String())
		for _, a := range e.Args[1:] {
			sb.WriteString(" " + e.Op.String() + " " + a.String() + ")")
		}
		return sb.String()
	}
	parts := make([]string, len(e.Args))
	for i, a := range e.Args {
		parts[i] = a.String()
	}
	return e.Op.String() + "(" + strings.Join(parts, ", ") + ")"
}

// String prints `CAST(arg AS type)`.
func (e *Cast) String() string {
	if e.Try {
		return "TRY_CAST(" + e.Arg.String() + " AS " + e.Typ.String() + ")"
	}
	return "CAST(" + e.Arg.String() + " AS " + e.Typ.String() + ")"
}

// String prints the searched CASE with its branches.
func (e *Case) String() string {
	var sb strings.Builder
	sb.WriteString("CASE")
	for _, w := range e.Whens {
		sb.WriteString(" WHEN " + w.Cond.String() + " THEN " + w.Then.String())
	}
	if e.Else != nil {
		sb.WriteString(" ELSE " + e.Else.String())
	}
	sb.WriteString(" END")
	return sb.String()
}

// String prints `arg [NOT] IN (values)`, the values as literals of arg's
// type and NULL last when the list had one.
func (e *In) String() string {
	parts := make([]string, len(e.List))
	for i, d := range e.List {
		parts[i] = (&Const{Val: d, Typ: e.Arg.Type()}).String()
	}
	if e.HasNull {
		parts = append(parts, "NULL")
	}
	not := ""
	if e.Not {
		not = "NOT "
	}
	return e.Arg.String() + " " + not + "IN (" + strings.Join(parts, ", ") + ")"
}

// String prints `arg [NOT] LIKE 'pattern'`.
func (e *Like) String() string {
	not := ""
	if e.Not {
		not = "NOT "
	}
	return e.Arg.String() + " " + not + "LIKE '" + strings.ReplaceAll(e.Pattern, "'", "''") + "'"
}

// String prints `arg IS [NOT] NULL`.
func (e *IsNull) String() string {
	if e.Not {
		return e.Arg.String() + " IS NOT NULL"
	}
	return e.Arg.String() + " IS NULL"
}

// Children returns e's direct sub-expressions.
func Children(e Expr) []Expr {
	switch e := e.(type) {
	case *Func:
		return e.Args
	case *Cast:
		return []Expr{e.Arg}
	case *Case:
		out := make([]Expr, 0, 2*len(e.Whens)+1)
		for _, w := range e.Whens {
			out = append(out, w.Cond, w.Then)
		}
		if e.Else != nil {
			out = append(out, e.Else)
		}
		return out
	case *In:
		return []Expr{e.Arg}
	case *Like:
		return []Expr{e.Arg}
	case *IsNull:
		return []Expr{e.Arg}
	}
	return nil
}

// Walk calls fn on e and its sub-expressions, parents first; fn returning
// false stops the descent below that node.
func Walk(e Expr, fn func(Expr) bool) {
	if !fn(e) {
		return
	}
	for _, c := range Children(e) {
		Walk(c, fn)
	}
}

// Rewrite rebuilds e bottom-up, replacing each node by fn(node) after its
// children were rewritten. It never mutates e.
func Rewrite(e Expr, fn func(Expr) Expr) Expr {
	switch n := e.(type) {
	case *Func:
		args := make([]Expr, len(n.Args))
		for i, a := range n.Args {
			args[i] = Rewrite(a, fn)
		}
		e = &Func{Op: n.Op, Args: args, Typ: n.Typ}
	case *Cast:
		e = &Cast{Arg: Rewrite(n.Arg, fn), Typ: n.Typ, Try: n.Try}
	case *Case:
		c := &Case{Typ: n.Typ, Whens: make([]When, len(n.Whens))}
		for i, w := range n.Whens {
			c.Whens[i] = When{Cond: Rewrite(w.Cond, fn), Then: Rewrite(w.Then, fn)}
		}
		if n.Else != nil {
			c.Else = Rewrite(n.Else, fn)
		}
		e = c
	case *In:
		e = &In{Arg: Rewrite(n.Arg, fn), List: n.List, HasNull: n.HasNull, Not: n.Not}
	case *Like:
		e = &Like{Arg: Rewrite(n.Arg, fn), Pattern: n.Pattern, Not: n.Not}
	case *IsNull:
		e = &IsNull{Arg: Rewrite(n.Arg, fn), Not: n.Not}
	case *Column:
		c := *n
		e = &c
	case *Const:
		c := *n
		e = &c
	case *Param:
		c := *n
		e = &c
	}
	return fn(e)
}

// Columns returns the set of input column indexes e reads.
func Columns(e Expr) map[int]bool {
	out := map[int]bool{}
	Walk(e, func(x Expr) bool {
		if c, ok := x.(*Column); ok {
			out[c.Index] = true
		}
		return true
	})
	return out
}

// Remap returns e with every Column index i replaced by m[i].
func Remap(e Expr, m map[int]int) Expr {
	return Rewrite(e, func(x Expr) Expr {
		if c, ok := x.(*Column); ok {
			if to, ok := m[c.Index]; ok {
				c.Index = to
			}
		}
		return x
	})
}

// SplitAnd flattens a conjunction into its terms, in order. It walks
// nested ANDs with an explicit stack, so a chain of any length costs time
// linear in its terms.
func SplitAnd(e Expr) []Expr {
	return split(e, OpAnd)
}

// SplitOr flattens a disjunction into its terms, in order.
func SplitOr(e Expr) []Expr {
	return split(e, OpOr)
}

func split(e Expr, op Op) []Expr {
	f, ok := e.(*Func)
	if !ok || f.Op != op {
		return []Expr{e}
	}
	out := make([]Expr, 0, len(f.Args))
	flat := true
	for _, a := range f.Args {
		if g, ok := a.(*Func); ok && g.Op == op {
			flat = false
			break
		}
	}
	if flat {
		return append(out, f.Args...) // the usual case: no nested op
	}
	stack := []Expr{e}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if g, ok := x.(*Func); ok && g.Op == op {
			for i := len(g.Args) - 1; i >= 0; i-- {
				stack = append(stack, g.Args[i])
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

// And joins terms into one n-ary conjunction (nil for none, the term
// itself for one). Nested conjunctions are flattened into it.
func And(terms ...Expr) Expr {
	return join(OpAnd, terms)
}

// Or joins terms into one n-ary disjunction (nil for none).
func Or(terms ...Expr) Expr {
	return join(OpOr, terms)
}

func join(op Op, terms []Expr) Expr {
	n := 0
	for _, t := range terms {
		if f, ok := t.(*Func); ok && f.Op == op {
			n += len(f.Args)
		} else if t != nil {
			n++
		}
	}
	args := make([]Expr, 0, n)
	for _, t := range terms {
		switch f, ok := t.(*Func); {
		case t == nil:
		case ok && f.Op == op:
			args = append(args, split(t, op)...)
		default:
			args = append(args, t)
		}
	}
	switch len(args) {
	case 0:
		return nil
	case 1:
		return args[0]
	}
	return &Func{Op: op, Args: args, Typ: coldata.TypeBool}
}
