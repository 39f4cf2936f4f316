package ast

// TableName is a named table, view or CTE: `[catalog.][schema.]name`, with
// DuckDB's time travel `AT (VERSION => v)` in AtClause.
type TableName struct {
	At
	Name     *Name
	AtClause *NamedArg
	Alias    *Alias
	Sample   *Sample
}

// TablePath is a file path or glob used as a table: FROM 'data/*.parquet'.
type TablePath struct {
	At
	Path   string
	Alias  *Alias
	Sample *Sample
}

// TableFunc is a table function call: FROM read_parquet('x', hive_partitioning = true).
type TableFunc struct {
	At
	Call    *FuncCall
	Lateral bool
	Alias   *Alias
	Sample  *Sample
}

// DerivedTable is a subquery in FROM: `[LATERAL] (query) [AS] alias`.
type DerivedTable struct {
	At
	Query   *Query
	Lateral bool
	Alias   *Alias
	Sample  *Sample
}

// ParenTable is a parenthesized join: `(a JOIN b ON ...) [AS alias]`.
type ParenTable struct {
	At
	Inner TableExpr
	Alias *Alias
}

// JoinKind is the kind of a join.
type JoinKind string

// The join kinds; the value is the keyword as printed. NATURAL and ASOF are
// flags of Join, not kinds, and a comma-separated FROM list stays a list of
// items (Select.From), not JoinCross. POSITIONAL pairs the rows of both
// sides by position; SEMI and ANTI are DuckDB's `SEMI JOIN` and `ANTI JOIN`
// (also written LEFT SEMI, LEFT ANTI).
const (
	JoinInner      JoinKind = "INNER"
	JoinLeft       JoinKind = "LEFT"
	JoinRight      JoinKind = "RIGHT"
	JoinFull       JoinKind = "FULL"
	JoinCross      JoinKind = "CROSS"
	JoinPositional JoinKind = "POSITIONAL"
	JoinSemi       JoinKind = "SEMI"
	JoinAnti       JoinKind = "ANTI"
)

// Join is `l [NATURAL|ASOF] kind JOIN r [ON cond | USING (cols)]`.
type Join struct {
	At
	Kind    JoinKind
	Natural bool
	Asof    bool
	L, R    TableExpr
	On      Expr
	Using   []Ident
}

// Pivot is DuckDB's `PIVOT source ON cols [IN (...)] USING aggs GROUP BY
// cols`, also written in the SQL-standard form `source PIVOT (aggs FOR col IN
// (...))`.
type Pivot struct {
	At
	Source  TableExpr
	On      []*PivotOn
	Using   []*SelectItem
	GroupBy []Expr
	Alias   *Alias
	// Standard marks the `FROM t PIVOT (...)` form.
	Standard bool
}

// PivotOn is one ON column (or expression) with its optional IN list.
type PivotOn struct {
	Expr Expr
	In   []*SelectItem
}

// Unpivot is `UNPIVOT source ON cols INTO NAME n VALUE v`, or the standard
// `source UNPIVOT [INCLUDE NULLS] (v FOR n IN (cols))`.
type Unpivot struct {
	At
	Source       TableExpr
	On           []*SelectItem
	Name         Ident
	Values       []Ident
	IncludeNulls bool
	Alias        *Alias
	Standard     bool
}

// StatementTable is DESCRIBE, SUMMARIZE or SHOW used as a FROM item:
// FROM (DESCRIBE t).
type StatementTable struct {
	At
	Stmt  Statement
	Alias *Alias
}

func (*StatementTable) tableNode() {}

// TableAlias returns the alias of the parenthesized statement.
func (x *StatementTable) TableAlias() *Alias { return x.Alias }

// String prints the statement in FROM back as SQL: the statement in
// parentheses, then its alias.
func (x *StatementTable) String() string { return String(x) }
func (x *StatementTable) format(p *printer) {
	p.w("(")
	p.node(x.Stmt)
	p.w(")")
	p.alias(x.Alias, nil)
}

func (*TableName) tableNode()    {}
func (*TablePath) tableNode()    {}
func (*TableFunc) tableNode()    {}
func (*DerivedTable) tableNode() {}
func (*ParenTable) tableNode()   {}
func (*Join) tableNode()         {}
func (*Pivot) tableNode()        {}
func (*Unpivot) tableNode()      {}

// TableAlias returns the alias given to the table, nil when it is referred
// to by its own name.
func (x *TableName) TableAlias() *Alias { return x.Alias }

// TableAlias returns the alias given to the file path.
func (x *TablePath) TableAlias() *Alias { return x.Alias }

// TableAlias returns the alias given to the table function's result.
func (x *TableFunc) TableAlias() *Alias { return x.Alias }

// TableAlias returns the subquery's alias.
func (x *DerivedTable) TableAlias() *Alias { return x.Alias }

// TableAlias returns the alias given to the parenthesized join.
func (x *ParenTable) TableAlias() *Alias { return x.Alias }

// TableAlias is always nil: a join has no alias of its own (ParenTable
// carries one).
func (x *Join) TableAlias() *Alias { return nil }

// TableAlias returns the alias given to the pivot's result.
func (x *Pivot) TableAlias() *Alias { return x.Alias }

// TableAlias returns the alias given to the unpivot's result.
func (x *Unpivot) TableAlias() *Alias { return x.Alias }

func (p *printer) alias(a *Alias, s *Sample) {
	if a != nil {
		p.w(" AS ")
		p.node(a)
	}
	if s != nil {
		p.w(" ")
		p.node(s)
	}
}

func (x *TableName) format(p *printer) {
	p.node(x.Name)
	if x.AtClause == nil {
		p.alias(x.Alias, x.Sample)
		return
	}
	p.alias(x.Alias, nil)
	p.w(" AT (")
	p.ident(x.AtClause.Name)
	p.w(" => ")
	p.node(x.AtClause.Value)
	p.w(")")
	p.alias(nil, x.Sample)
}

func (x *TablePath) format(p *printer) {
	p.w(QuoteString(x.Path))
	p.alias(x.Alias, x.Sample)
}

func (x *TableFunc) format(p *printer) {
	if x.Lateral {
		p.w("LATERAL ")
	}
	p.node(x.Call)
	p.alias(x.Alias, x.Sample)
}

func (x *DerivedTable) format(p *printer) {
	if x.Lateral {
		p.w("LATERAL ")
	}
	p.w("(")
	p.node(x.Query)
	p.w(")")
	p.alias(x.Alias, x.Sample)
}

func (x *ParenTable) format(p *printer) {
	p.w("(")
	p.node(x.Inner)
	p.w(")")
	p.alias(x.Alias, nil)
}

func (x *Join) format(p *printer) {
	p.node(x.L)
	p.w(" ")
	if x.Natural {
		p.w("NATURAL ")
	}
	if x.Asof {
		p.w("ASOF ")
	}
	p.w(string(x.Kind) + " JOIN ")
	if _, ok := x.R.(*Join); ok {
		p.w("(")
		p.node(x.R)
		p.w(")")
	} else {
		p.node(x.R)
	}
	p.opt(" ON ", x.On)
	if len(x.Using) > 0 {
		p.w(" USING (")
		p.idents(x.Using)
		p.w(")")
	}
}

func (x *Pivot) format(p *printer) {
	if x.Standard {
		p.node(x.Source)
		p.w(" PIVOT (")
		list(p, x.Using)
		for _, on := range x.On {
			p.w(" FOR ")
			p.node(on.Expr)
			p.w(" IN (")
			list(p, on.In)
			p.w(")")
		}
		if len(x.GroupBy) > 0 {
			p.w(" GROUP BY ")
			list(p, x.GroupBy)
		}
		p.w(")")
		p.alias(x.Alias, nil)
		return
	}
	p.w("(PIVOT ")
	p.node(x.Source)
	if len(x.On) > 0 {
		p.w(" ON ")
		for i, on := range x.On {
			if i > 0 {
				p.w(", ")
			}
			p.node(on.Expr)
			if on.In != nil {
				p.w(" IN (")
				list(p, on.In)
				p.w(")")
			}
		}
	}
	optList(p, " USING ", x.Using)
	optList(p, " GROUP BY ", x.GroupBy)
	p.w(")")
	p.alias(x.Alias, nil)
}

func (x *Unpivot) format(p *printer) {
	if x.Standard {
		p.node(x.Source)
		p.w(" UNPIVOT ")
		if x.IncludeNulls {
			p.w("INCLUDE NULLS ")
		}
		p.w("(")
		if len(x.Values) == 1 {
			p.ident(x.Values[0])
		} else {
			p.w("(")
			p.idents(x.Values)
			p.w(")")
		}
		p.w(" FOR ")
		p.ident(x.Name)
		p.w(" IN (")
		list(p, x.On)
		p.w("))")
		p.alias(x.Alias, nil)
		return
	}
	p.w("(UNPIVOT ")
	if x.IncludeNulls {
		p.w("INCLUDE NULLS ")
	}
	p.node(x.Source)
	p.w(" ON ")
	list(p, x.On)
	if len(x.Values) > 0 {
		p.w(" INTO NAME ")
		p.ident(x.Name)
		p.w(" VALUE ")
		p.idents(x.Values)
	}
	p.w(")")
	p.alias(x.Alias, nil)
}

// String prints the table reference back as SQL: name, AT (...) time travel,
// alias and sample.
func (x *TableName) String() string { return String(x) }

// String prints the file path in FROM back as SQL: the path as a string
// literal, alias and sample.
func (x *TablePath) String() string { return String(x) }

// String prints the table function call and its alias back as SQL.
func (x *TableFunc) String() string { return String(x) }

// String prints the subquery in FROM back as SQL: `[LATERAL] (query) alias`.
func (x *DerivedTable) String() string { return String(x) }

// String prints the parenthesized join and its alias back as SQL.
func (x *ParenTable) String() string { return String(x) }

// String prints the join back as SQL: NATURAL, ASOF, kind, then ON or USING.
func (x *Join) String() string { return String(x) }

// String prints the PIVOT back as SQL: in the DuckDB or the standard form it
// was written in.
func (x *Pivot) String() string { return String(x) }

// String prints the UNPIVOT back as SQL: in the DuckDB or the standard form
// it was written in.
func (x *Unpivot) String() string { return String(x) }
