package ast

import "strconv"

func (x *ColumnRef) format(p *printer) { p.dotted(x.Parts) }

func (x *Star) format(p *printer) {
	if len(x.Qualifier) > 0 {
		p.dotted(x.Qualifier)
		p.w(".")
	}
	p.w("*")
	if len(x.Exclude) > 0 {
		p.w(" EXCLUDE (")
		list(p, x.Exclude)
		p.w(")")
	}
	if len(x.Replace) > 0 {
		p.w(" REPLACE (")
		list(p, x.Replace)
		p.w(")")
	}
	if len(x.Rename) > 0 {
		p.w(" RENAME (")
		for i, r := range x.Rename {
			if i > 0 {
				p.w(", ")
			}
			p.node(r.Old)
			p.w(" AS ")
			p.ident(r.New)
		}
		p.w(")")
	}
	if x.Pattern != nil {
		if x.Pattern.Not {
			p.w(" NOT")
		}
		p.w(" " + string(x.Pattern.Op) + " ")
		p.node(x.Pattern.Pattern)
	}
}

func (x *Columns) format(p *printer) {
	if x.Unpack {
		p.w("*")
	}
	p.w("COLUMNS(")
	p.node(x.Arg)
	p.w(")")
}

func (x *NumberLit) format(p *printer) { p.w(x.Text) }
func (x *StringLit) format(p *printer) { p.w(QuoteString(x.Value)) }
func (x *BoolLit) format(p *printer) {
	if x.Value {
		p.w("true")
	} else {
		p.w("false")
	}
}
func (x *NullLit) format(p *printer) { p.w("NULL") }
func (x *TypedLit) format(p *printer) {
	p.node(x.Type)
	p.w(" " + QuoteString(x.Value))
}

func (x *Interval) format(p *printer) {
	p.w("INTERVAL ")
	switch v := x.Value.(type) {
	case *StringLit:
		p.node(v)
	case *NumberLit:
		if v.Text[0] != '-' {
			p.node(v)
			break
		}
		p.w("(")
		p.node(v)
		p.w(")")
	default:
		p.w("(")
		p.node(v)
		p.w(")")
	}
	if x.Unit != "" {
		p.w(" " + x.Unit)
	}
	if x.ToUnit != "" {
		p.w(" TO " + x.ToUnit)
	}
}

func (x *Param) format(p *printer) { p.w(x.Text()) }

func (x *Unary) format(p *printer) {
	if x.Op == "NOT" {
		p.w("(NOT ")
		p.node(x.X)
		p.w(")")
		return
	}
	if x.Op == "!" {
		// Postfix factorial, printed as DuckDB names it: ((5)!).
		p.w("((")
		p.node(x.X)
		p.w(")!)")
		return
	}
	if x.Op == "-" || x.Op == "+" {
		p.w(x.Op + "(")
		p.node(x.X)
		p.w(")")
		return
	}
	// ~ and @ take everything down to the other operators' level as their
	// operand: the parentheses keep what follows out of it.
	p.w("(" + x.Op + "(")
	p.node(x.X)
	p.w("))")
}

func (x *Binary) format(p *printer) {
	p.w("(")
	p.node(x.L)
	p.w(" " + x.Op + " ")
	p.node(x.R)
	p.w(")")
}

func junction(p *printer, op string, terms []Expr) {
	p.w("(")
	for i, t := range terms {
		if i > 0 {
			p.w(" " + op + " ")
		}
		p.node(t)
	}
	p.w(")")
}

func (x *And) format(p *printer) { junction(p, "AND", x.Terms) }
func (x *Or) format(p *printer)  { junction(p, "OR", x.Terms) }

func not(p *printer, n bool) {
	if n {
		p.w("NOT ")
	}
}

func (x *IsNull) format(p *printer) {
	p.w("(")
	p.node(x.X)
	p.w(" IS ")
	not(p, x.Not)
	p.w("NULL)")
}

func (x *IsBool) format(p *printer) {
	p.w("(")
	p.node(x.X)
	p.w(" IS ")
	not(p, x.Not)
	switch {
	case x.Value == nil:
		p.w("UNKNOWN)")
	case *x.Value:
		p.w("TRUE)")
	default:
		p.w("FALSE)")
	}
}

func (x *IsDistinct) format(p *printer) {
	p.w("(")
	p.node(x.L)
	p.w(" IS ")
	not(p, x.Not)
	p.w("DISTINCT FROM ")
	p.node(x.R)
	p.w(")")
}

func (x *Between) format(p *printer) {
	p.w("(")
	p.node(x.X)
	p.w(" ")
	not(p, x.Not)
	p.w("BETWEEN ")
	if x.Symmetric {
		p.w("SYMMETRIC ")
	}
	p.node(x.Lo)
	p.w(" AND ")
	p.node(x.Hi)
	p.w(")")
}

func (x *InList) format(p *printer) {
	p.w("(")
	p.node(x.X)
	p.w(" ")
	not(p, x.Not)
	p.w("IN (")
	list(p, x.List)
	if _, sub := x.List[0].(*Subquery); len(x.List) == 1 && sub {
		p.w(",") // else (x IN ((SELECT ...))) would read as IN (subquery)
	}
	p.w("))")
}

func (x *InSubquery) format(p *printer) {
	p.w("(")
	p.node(x.X)
	p.w(" ")
	not(p, x.Not)
	p.w("IN (")
	p.node(x.Query)
	p.w("))")
}

func (x *Like) format(p *printer) {
	p.w("(")
	p.node(x.X)
	p.w(" ")
	not(p, x.Not)
	p.w(string(x.Op) + " ")
	p.node(x.Pattern)
	p.opt(" ESCAPE ", x.Escape)
	p.w(")")
}

func (x *Quantified) format(p *printer) {
	p.w("(")
	p.node(x.X)
	p.w(" " + x.Op + " " + x.Quant + "(")
	if x.Query != nil {
		p.node(x.Query)
	} else {
		p.node(x.List)
	}
	p.w("))")
}

func (x *Exists) format(p *printer) {
	p.w("EXISTS (")
	p.node(x.Query)
	p.w(")")
}

func (x *Subquery) format(p *printer) {
	if x.Array {
		p.w("ARRAY")
	}
	p.w("(")
	p.node(x.Query)
	p.w(")")
}

func (x *Case) format(p *printer) {
	p.w("CASE")
	p.opt(" ", x.Operand)
	for _, w := range x.Whens {
		p.w(" WHEN ")
		p.node(w.Cond)
		p.w(" THEN ")
		p.node(w.Then)
	}
	p.opt(" ELSE ", x.Else)
	p.w(" END")
}

func (x *Cast) format(p *printer) {
	if x.Try {
		p.w("TRY_CAST(")
	} else {
		p.w("CAST(")
	}
	p.node(x.X)
	p.w(" AS ")
	p.node(x.Type)
	p.w(")")
}

func (x *FuncCall) format(p *printer) {
	if x.Receiver != nil {
		p.w("(")
		p.node(x.Receiver)
		p.w(").")
	}
	p.node(x.Name)
	p.w("(")
	if x.Distinct {
		p.w("DISTINCT ")
	}
	if x.Star {
		p.w("*")
	}
	list(p, x.Args)
	optList(p, " ORDER BY ", x.OrderBy)
	p.w(")")
	if len(x.WithinGroup) > 0 {
		p.w(" WITHIN GROUP (ORDER BY ")
		list(p, x.WithinGroup)
		p.w(")")
	}
	if x.Filter != nil {
		p.w(" FILTER (WHERE ")
		p.node(x.Filter)
		p.w(")")
	}
	if x.IgnoreNulls != nil {
		if *x.IgnoreNulls {
			p.w(" IGNORE NULLS")
		} else {
			p.w(" RESPECT NULLS")
		}
	}
	p.opt(" OVER ", x.Over)
}

func (x *NamedArg) format(p *printer) {
	p.ident(x.Name)
	p.w(" := ")
	p.node(x.Value)
}

func (x *Lambda) format(p *printer) {
	if x.Keyword {
		p.w("(LAMBDA ")
		p.idents(x.Params)
		p.w(": ")
		p.node(x.Body)
		p.w(")")
		return
	}
	p.w("(")
	if len(x.Params) == 1 {
		p.ident(x.Params[0])
	} else {
		p.w("(")
		p.idents(x.Params)
		p.w(")")
	}
	p.w(" -> ")
	p.node(x.Body)
	p.w(")")
}

func (x *ListLit) format(p *printer) {
	p.w("[")
	list(p, x.Items)
	p.w("]")
}

func (x *StructLit) format(p *printer) {
	p.w("{")
	for i, f := range x.Fields {
		if i > 0 {
			p.w(", ")
		}
		p.w(QuoteString(f.Name.Name) + ": ")
		p.node(f.Value)
	}
	p.w("}")
}

func (x *MapLit) format(p *printer) {
	p.w("MAP {")
	for i, e := range x.Entries {
		if i > 0 {
			p.w(", ")
		}
		p.node(e.Key)
		p.w(": ")
		p.node(e.Value)
	}
	p.w("}")
}

func (x *RowExpr) format(p *printer) {
	if x.Keyword {
		p.w("ROW")
	}
	p.w("(")
	list(p, x.Items)
	p.w(")")
}

// postfixOperand prints the operand of a subscript or field access; a
// bare name, call or literal needs no parentheses.
func postfixOperand(p *printer, x Expr) {
	switch x.(type) {
	case *ColumnRef, *FuncCall, *Index, *Slice, *Field, *ListLit, *StringLit, *Param, *Subquery, *StructLit, *MapLit:
		p.node(x)
	default:
		p.w("(")
		p.node(x)
		p.w(")")
	}
}

func (x *Index) format(p *printer) {
	postfixOperand(p, x.X)
	p.w("[")
	p.node(x.Index)
	p.w("]")
}

func (x *Slice) format(p *printer) {
	postfixOperand(p, x.X)
	p.w("[")
	p.node(x.Lo)
	p.w(":")
	p.node(x.Hi)
	p.opt(":", x.Step)
	p.w("]")
}

func (x *Field) format(p *printer) {
	p.w("(")
	p.node(x.X)
	p.w(").")
	p.ident(x.Name)
}

func (x *ListComprehension) format(p *printer) {
	p.w("[")
	p.node(x.Result)
	p.w(" FOR ")
	p.idents(x.Vars)
	p.w(" IN ")
	p.node(x.List)
	p.opt(" IF ", x.Cond)
	p.w("]")
}

func (x *Collate) format(p *printer) {
	p.w("(")
	p.node(x.X)
	p.w(" COLLATE ")
	p.node(x.Collation)
	p.w(")")
}

func (x *AtTimeZone) format(p *printer) {
	p.w("(")
	p.node(x.X)
	p.w(" AT TIME ZONE ")
	p.node(x.Zone)
	p.w(")")
}

func (x *PositionalRef) format(p *printer) { p.w("#" + strconv.Itoa(x.Index)) }
func (x *Default) format(p *printer)       { p.w("DEFAULT") }

func groupingForm(p *printer, kw string, items []Expr) {
	p.w(kw + " (")
	list(p, items)
	p.w(")")
}

func (x *Rollup) format(p *printer)       { groupingForm(p, "ROLLUP", x.Items) }
func (x *Cube) format(p *printer)         { groupingForm(p, "CUBE", x.Items) }
func (x *GroupingSets) format(p *printer) { groupingForm(p, "GROUPING SETS", x.Sets) }

func (x *WindowSpec) format(p *printer) {
	if x.Ref {
		p.ident(*x.Base)
		return
	}
	p.w("(")
	sep := ""
	if x.Base != nil {
		p.ident(*x.Base)
		sep = " "
	}
	if len(x.PartitionBy) > 0 {
		p.w(sep + "PARTITION BY ")
		list(p, x.PartitionBy)
		sep = " "
	}
	if len(x.OrderBy) > 0 {
		p.w(sep + "ORDER BY ")
		list(p, x.OrderBy)
		sep = " "
	}
	if f := x.Frame; f != nil {
		p.w(sep + f.Mode + " ")
		if f.End != nil {
			p.w("BETWEEN ")
			p.bound(f.Start)
			p.w(" AND ")
			p.bound(*f.End)
		} else {
			p.bound(f.Start)
		}
		if f.Exclude != "" {
			p.w(" EXCLUDE " + f.Exclude)
		}
	}
	p.w(")")
}

func (p *printer) bound(b FrameBound) {
	switch b.Kind {
	case UnboundedPreceding:
		p.w("UNBOUNDED PRECEDING")
	case UnboundedFollowing:
		p.w("UNBOUNDED FOLLOWING")
	case CurrentRow:
		p.w("CURRENT ROW")
	case Preceding:
		p.node(b.Offset)
		p.w(" PRECEDING")
	case Following:
		p.node(b.Offset)
		p.w(" FOLLOWING")
	}
}

// String prints the column reference back as SQL: its dotted parts, each in
// double quotes when it was quoted in the text or is not a plain identifier.
func (x *ColumnRef) String() string { return String(x) }

// String prints the star back as SQL: qualifier, then EXCLUDE, REPLACE,
// RENAME and a LIKE/GLOB/SIMILAR TO filter (`* EXCLUDE (a)`).
func (x *Star) String() string { return String(x) }

// String prints the COLUMNS(...) expression back as SQL, with the unpacking
// `*` prefix when it was written `*COLUMNS(...)`.
func (x *Columns) String() string { return String(x) }

// String prints the number back as SQL: the text as written, so `1.50` keeps
// its digits and its type.
func (x *NumberLit) String() string { return String(x) }

// String prints the string literal back as SQL: in single quotes, embedded
// quotes doubled.
func (x *StringLit) String() string { return String(x) }

// String prints the boolean literal back as SQL: `true` or `false`.
func (x *BoolLit) String() string { return String(x) }

// String prints the NULL literal back as SQL.
func (x *NullLit) String() string { return String(x) }

// String prints the typed literal back as SQL: the type name, then the
// quoted text (`DATE '1995-01-01'`).
func (x *TypedLit) String() string { return String(x) }

// String prints the interval literal back as SQL: an expression or negative
// number value in parentheses (`INTERVAL (-3) DAY`), so it parses back as
// the value.
func (x *Interval) String() string { return String(x) }

// String prints the parameter as written back as SQL: `?`, `$1` or `$name`.
func (x *Param) String() string { return String(x) }

// String prints the unary operation back as SQL, parenthesized as DuckDB
// names such columns: `(NOT x)`, `-(x)`, factorial `((5)!)`.
func (x *Unary) String() string { return String(x) }

// String prints the binary operation back as SQL, always parenthesized as
// DuckDB names expression columns: `(a + b)`.
func (x *Binary) String() string { return String(x) }

// String prints the conjunction back as SQL: all terms in one parenthesized
// chain, `(a AND b AND c)`.
func (x *And) String() string { return String(x) }

// String prints the disjunction back as SQL: all terms in one parenthesized
// chain, `(a OR b OR c)`.
func (x *Or) String() string { return String(x) }

// String prints the null test back as SQL: `(x IS [NOT] NULL)`.
func (x *IsNull) String() string { return String(x) }

// String prints the truth test back as SQL: `(x IS [NOT]
// TRUE|FALSE|UNKNOWN)`.
func (x *IsBool) String() string { return String(x) }

// String prints the null-safe comparison back as SQL: `(a IS [NOT] DISTINCT
// FROM b)`.
func (x *IsDistinct) String() string { return String(x) }

// String prints the range test back as SQL: `(x [NOT] BETWEEN [SYMMETRIC] lo
// AND hi)`.
func (x *Between) String() string { return String(x) }

// String prints the IN list test back as SQL, parenthesized.
func (x *InList) String() string { return String(x) }

// String prints the IN subquery test back as SQL, parenthesized.
func (x *InSubquery) String() string { return String(x) }

// String prints the pattern match back as SQL: operator, NOT and ESCAPE as
// written, parenthesized.
func (x *Like) String() string { return String(x) }

// String prints the quantified comparison back as SQL: `(x op ANY|ALL(query
// or list))`.
func (x *Quantified) String() string { return String(x) }

// String prints the EXISTS test back as SQL: `EXISTS (query)`.
func (x *Exists) String() string { return String(x) }

// String prints the scalar subquery back as SQL: `(query)`, or
// `ARRAY(query)`.
func (x *Subquery) String() string { return String(x) }

// String prints the CASE expression back as SQL: operand, WHEN/THEN pairs,
// ELSE.
func (x *Case) String() string { return String(x) }

// String prints the cast back as SQL: always in the CAST(x AS T) or TRY_CAST
// form, also when written `x::T`.
func (x *Cast) String() string { return String(x) }

// String prints the function call back as SQL: a method call's receiver
// first (`(x).upper()`), then DISTINCT, arguments, ORDER BY, WITHIN GROUP,
// FILTER, IGNORE|RESPECT NULLS and OVER as written.
func (x *FuncCall) String() string { return String(x) }

// String prints the named argument back as SQL: `name := value`.
func (x *NamedArg) String() string { return String(x) }

// String prints the lambda back as SQL: `(x -> body)` or `(LAMBDA x: body)`,
// the form it was written in.
func (x *Lambda) String() string { return String(x) }

// String prints the list literal back as SQL: `[a, b]`.
func (x *ListLit) String() string { return String(x) }

// String prints the struct literal back as SQL: `{'k': v, ...}`.
func (x *StructLit) String() string { return String(x) }

// String prints the MAP literal back as SQL.
func (x *MapLit) String() string { return String(x) }

// String prints the row constructor back as SQL: `(a, b)` or `ROW(a, b)` as
// written.
func (x *RowExpr) String() string { return String(x) }

// String prints the subscript back as SQL: `x[i]`, the operand in
// parentheses unless it is a name, call, literal or another postfix form.
func (x *Index) String() string { return String(x) }

// String prints the slice back as SQL: `x[lo:hi]` or `x[lo:hi:step]`.
func (x *Slice) String() string { return String(x) }

// String prints the field access back as SQL: `(x).name`: the parentheses
// keep a struct field apart from a qualified column name.
func (x *Field) String() string { return String(x) }

// String prints the list comprehension back as SQL: `[expr FOR x IN list IF
// cond]`.
func (x *ListComprehension) String() string { return String(x) }

// String prints the COLLATE expression back as SQL, parenthesized.
func (x *Collate) String() string { return String(x) }

// String prints the AT TIME ZONE expression back as SQL, parenthesized.
func (x *AtTimeZone) String() string { return String(x) }

// String prints the positional column reference back as SQL: `#n`.
func (x *PositionalRef) String() string { return String(x) }

// String prints DEFAULT, the keyword standing for a column's default in
// INSERT and UPDATE values.
func (x *Default) String() string { return String(x) }

// String prints the ROLLUP grouping item back as SQL: `ROLLUP (a, b)`.
func (x *Rollup) String() string { return String(x) }

// String prints the CUBE grouping item back as SQL: `CUBE (a, b)`.
func (x *Cube) String() string { return String(x) }

// String prints the GROUPING SETS grouping item back as SQL.
func (x *GroupingSets) String() string { return String(x) }

// String prints the window specification back as SQL: the parenthesized body
// of OVER (base window, PARTITION BY, ORDER BY, frame), or only the name of
// a window it refers to (`OVER w`).
func (x *WindowSpec) String() string { return String(x) }
