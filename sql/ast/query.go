package ast

import "strings"

// Query is a whole query: WITH, a body, ORDER BY and LIMIT/OFFSET. It is
// the SELECT statement, and a body itself when parenthesized inside a set
// operation.
type Query struct {
	At
	With    *With
	Body    QueryBody
	OrderBy []*OrderItem
	Limit   Expr
	Offset  Expr
	// LimitPercent is `LIMIT n%` (or `LIMIT n PERCENT`).
	LimitPercent bool
}

// With is `WITH [RECURSIVE] cte, ...`.
type With struct {
	At
	Recursive bool
	CTEs      []*CTE
}

// CTE is `name [(columns)] AS [[NOT] MATERIALIZED] (query)`.
type CTE struct {
	At
	Name         Ident
	Columns      []Ident
	UsingKey     []Ident // WITH RECURSIVE t USING KEY (k) AS (...)
	Materialized *bool
	Query        *Query
}

// Select is one SELECT block (also FROM-first `FROM t [SELECT ...]`).
type Select struct {
	At
	Distinct   bool
	DistinctOn []Expr
	Items      []*SelectItem
	From       []TableExpr
	Where      Expr
	GroupBy    *GroupBy
	Having     Expr
	Windows    []*WindowDef
	Qualify    Expr
	Sample     *Sample // USING SAMPLE
}

// SelectItem is `expr [[AS] alias]`.
type SelectItem struct {
	At
	Expr  Expr
	Alias *Ident
}

// GroupBy is `GROUP BY ALL` or `GROUP BY items` (expressions, ROLLUP, CUBE,
// GROUPING SETS).
type GroupBy struct {
	At
	All   bool
	Items []Expr
}

// WindowDef is one `name AS (spec)` of a WINDOW clause.
type WindowDef struct {
	At
	Name Ident
	Spec *WindowSpec
}

// OrderItem is `expr [ASC|DESC] [NULLS FIRST|LAST]`, or ALL for ORDER BY ALL.
type OrderItem struct {
	At
	Expr       Expr // nil for ALL
	All        bool
	Desc       bool
	Using      string // "<" or ">" for PostgreSQL's ORDER BY e USING op (Desc is then false)
	NullsFirst *bool
}

// SetOp is `l UNION|INTERSECT|EXCEPT [ALL|DISTINCT] [BY NAME] r`.
type SetOp struct {
	At
	Op     string // UNION, INTERSECT, EXCEPT
	All    bool
	ByName bool
	L, R   QueryBody
}

// Values is `VALUES (a, b), (c, d)`.
type Values struct {
	At
	Rows [][]Expr
}

// Sample is `USING SAMPLE size [(method [, seed])]` or
// `TABLESAMPLE method (size) [REPEATABLE (seed)]`.
type Sample struct {
	At
	Size   Expr
	Unit   string // PERCENT, ROWS, or "" (a bare number: rows, or percent with %)
	Method string // reservoir, bernoulli, system, or ""
	Seed   Expr
	// Table is the TABLESAMPLE form.
	Table bool
}

func (*Query) stmtNode()  {}
func (*Query) bodyNode()  {}
func (*Select) bodyNode() {}
func (*SetOp) bodyNode()  {}
func (*Values) bodyNode() {}

func (x *Query) format(p *printer) {
	if x.With != nil {
		p.node(x.With)
		p.w(" ")
	}
	if _, ok := x.Body.(*Query); ok {
		p.w("(")
		p.node(x.Body)
		p.w(")")
	} else {
		p.node(x.Body)
	}
	optList(p, " ORDER BY ", x.OrderBy)
	if x.Limit != nil {
		p.w(" LIMIT ")
		p.node(x.Limit)
		if x.LimitPercent {
			p.w(" PERCENT")
		}
	}
	p.opt(" OFFSET ", x.Offset)
}

func (x *With) format(p *printer) {
	p.w("WITH ")
	if x.Recursive {
		p.w("RECURSIVE ")
	}
	list(p, x.CTEs)
}

func (x *CTE) format(p *printer) {
	p.ident(x.Name)
	if len(x.Columns) > 0 {
		p.w("(")
		p.idents(x.Columns)
		p.w(")")
	}
	if len(x.UsingKey) > 0 {
		p.w(" USING KEY (")
		p.idents(x.UsingKey)
		p.w(")")
	}
	p.w(" AS ")
	if x.Materialized != nil {
		if !*x.Materialized {
			p.w("NOT ")
		}
		p.w("MATERIALIZED ")
	}
	p.w("(")
	p.node(x.Query)
	p.w(")")
}

func (x *Select) format(p *printer) {
	p.w("SELECT ")
	if x.Distinct {
		p.w("DISTINCT ")
		if len(x.DistinctOn) > 0 {
			p.w("ON (")
			list(p, x.DistinctOn)
			p.w(") ")
		}
	}
	list(p, x.Items)
	optList(p, " FROM ", x.From)
	p.opt(" WHERE ", x.Where)
	p.opt(" ", x.GroupBy)
	p.opt(" HAVING ", x.Having)
	optList(p, " WINDOW ", x.Windows)
	p.opt(" QUALIFY ", x.Qualify)
	p.opt(" ", x.Sample)
}

func (x *SelectItem) format(p *printer) {
	p.node(x.Expr)
	if x.Alias != nil {
		p.w(" AS ")
		p.ident(*x.Alias)
	}
}

func (x *GroupBy) format(p *printer) {
	p.w("GROUP BY ")
	if x.All {
		p.w("ALL")
		return
	}
	for i, it := range x.Items {
		if i > 0 {
			p.w(", ")
		}
		if gs, ok := it.(*GroupingSets); ok {
			p.w("GROUPING SETS (")
			for j, s := range gs.Sets {
				if j > 0 {
					p.w(", ")
				}
				if r, ok := s.(*RowExpr); ok && !r.Keyword {
					p.w("(")
					list(p, r.Items)
					p.w(")")
				} else {
					p.node(s)
				}
			}
			p.w(")")
			continue
		}
		p.node(it)
	}
}

func (x *WindowDef) format(p *printer) {
	p.ident(x.Name)
	p.w(" AS ")
	p.node(x.Spec)
}

func (x *OrderItem) format(p *printer) {
	if x.All {
		p.w("ALL")
	} else {
		p.node(x.Expr)
	}
	if x.Desc {
		p.w(" DESC")
	}
	if x.Using != "" {
		p.w(" USING " + x.Using)
	}
	if x.NullsFirst != nil {
		if *x.NullsFirst {
			p.w(" NULLS FIRST")
		} else {
			p.w(" NULLS LAST")
		}
	}
}

func (x *SetOp) format(p *printer) {
	side := func(b QueryBody) {
		switch b.(type) {
		case *Select, *Values:
			p.node(b)
		default:
			p.w("(")
			p.node(b)
			p.w(")")
		}
	}
	side(x.L)
	p.w(" " + x.Op)
	if x.All {
		p.w(" ALL")
	}
	if x.ByName {
		p.w(" BY NAME")
	}
	p.w(" ")
	side(x.R)
}

func (x *Values) format(p *printer) {
	p.w("VALUES ")
	for i, r := range x.Rows {
		if i > 0 {
			p.w(", ")
		}
		p.w("(")
		list(p, r)
		p.w(")")
	}
}

func (x *Sample) format(p *printer) {
	if x.Table {
		p.w("TABLESAMPLE ")
		if x.Method != "" {
			p.w(x.Method + "(")
		} else {
			p.w("(")
		}
		p.node(x.Size)
		if x.Unit != "" {
			p.w(" " + x.Unit)
		}
		p.w(")")
		if x.Seed != nil {
			p.w(" REPEATABLE (")
			p.node(x.Seed)
			p.w(")")
		}
		return
	}
	p.w("USING SAMPLE ")
	switch strings.ToLower(x.Method) {
	case "reservoir", "bernoulli", "system":
		p.w(x.Method + "(")
		p.node(x.Size)
		if x.Unit != "" {
			p.w(" " + x.Unit)
		}
		p.w(")")
		if x.Seed != nil {
			p.w(" REPEATABLE (")
			p.node(x.Seed)
			p.w(")")
		}
		return
	}
	if _, ok := x.Size.(*NumberLit); ok {
		p.node(x.Size)
	} else {
		p.w("(")
		p.node(x.Size)
		p.w(")")
	}
	if x.Unit != "" {
		p.w(" " + x.Unit)
	}
	if x.Method != "" {
		p.w(" (" + x.Method)
		if x.Seed != nil {
			p.w(", ")
			p.node(x.Seed)
		}
		p.w(")")
	} else if x.Seed != nil {
		p.w(" REPEATABLE (")
		p.node(x.Seed)
		p.w(")")
	}
}

// String prints the query back as SQL: WITH, body (in parentheses when it is
// itself a query), ORDER BY, LIMIT and OFFSET.
func (x *Query) String() string { return String(x) }

// String prints the WITH clause back as SQL: RECURSIVE and the CTEs.
func (x *With) String() string { return String(x) }

// String prints the common table expression back as SQL: `name [(cols)] AS
// [[NOT] MATERIALIZED] (query)`.
func (x *CTE) String() string { return String(x) }

// String prints the SELECT block back as SQL: its clauses in SQL order.
func (x *Select) String() string { return String(x) }

// String prints the select-list item back as SQL: the expression and its
// alias.
func (x *SelectItem) String() string { return String(x) }

// String prints the GROUP BY clause back as SQL: ALL or its items.
func (x *GroupBy) String() string { return String(x) }

// String prints the named window of a WINDOW clause back as SQL: `name AS
// (spec)`.
func (x *WindowDef) String() string { return String(x) }

// String prints the ORDER BY item back as SQL: expression (or ALL), then
// DESC, USING op and NULLS FIRST/LAST when set.
func (x *OrderItem) String() string { return String(x) }

// String prints the set operation back as SQL: `l UNION|EXCEPT|INTERSECT
// [ALL] [BY NAME] r`, an operand that is not a SELECT or VALUES in
// parentheses.
func (x *SetOp) String() string { return String(x) }

// String prints the VALUES list back as SQL.
func (x *Values) String() string { return String(x) }

// String prints the sample clause back as SQL: size, unit, method and seed.
func (x *Sample) String() string { return String(x) }
