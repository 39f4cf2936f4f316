package ast

// Insert is `[WITH ...] INSERT [OR REPLACE|OR IGNORE] INTO table [AS alias]
// [(cols)] [BY NAME|BY POSITION] {query | DEFAULT VALUES} [ON CONFLICT ...]
// [RETURNING items]`. A VALUES list is a Query whose body is Values.
type Insert struct {
	At
	With          *With
	Or            string // REPLACE, IGNORE or ""
	Table         *Name
	Alias         *Ident
	Columns       []Ident
	ByName        bool
	ByPosition    bool
	Query         *Query
	DefaultValues bool
	OnConflict    *OnConflict
	Returning     []*SelectItem
}

// OnConflict is `ON CONFLICT [(cols) [WHERE pred]] DO NOTHING | DO UPDATE SET
// ... [WHERE cond]`.
type OnConflict struct {
	Columns     []Ident
	Where       Expr
	DoNothing   bool
	Set         []*Assignment
	UpdateWhere Expr
}

// Assignment is `column = value` of UPDATE ... SET.
type Assignment struct {
	At
	Column []Ident // a, or a struct field path
	Value  Expr
}

// Update is `[WITH ...] UPDATE table [AS alias] SET a = e, ... [FROM ...]
// [WHERE ...] [RETURNING ...]`.
type Update struct {
	At
	With      *With
	Table     *Name
	Alias     *Ident
	Set       []*Assignment
	From      []TableExpr
	Where     Expr
	Returning []*SelectItem
}

// Delete is `[WITH ...] DELETE FROM table [AS alias] [USING ...] [WHERE ...]
// [RETURNING ...]`.
type Delete struct {
	At
	With      *With
	Table     *Name
	Alias     *Ident
	Using     []TableExpr
	Where     Expr
	Returning []*SelectItem
}

// Merge is `MERGE INTO target [AS alias] USING source ON cond | USING
// (cols) WHEN ... THEN ...`.
type Merge struct {
	At
	With      *With
	Target    *Name
	Alias     *Ident
	Source    TableExpr
	On        Expr
	Using     []Ident
	Clauses   []MergeClause
	Returning []*SelectItem
}

// MergeClause is one `WHEN [NOT] MATCHED [BY SOURCE|TARGET] [AND cond] THEN
// action`: UPDATE [SET ... | SET *], DELETE, INSERT [(cols)] [VALUES (...) |
// BY NAME | BY POSITION | *], DO NOTHING or ERROR.
type MergeClause struct {
	Matched  bool
	BySource bool
	Cond     Expr
	Action   string
	Set      []*Assignment
	Star     bool // UPDATE SET * / INSERT *
	Columns  []Ident
	Values   []Expr
	ByName   bool
}

func (*Merge) stmtNode()  {}
func (*Insert) stmtNode() {}
func (*Update) stmtNode() {}
func (*Delete) stmtNode() {}

func (p *printer) with(w *With) {
	if w != nil {
		p.node(w)
		p.w(" ")
	}
}

func (p *printer) target(t *Name, alias *Ident) {
	p.node(t)
	if alias != nil {
		p.w(" AS ")
		p.ident(*alias)
	}
}

func (p *printer) returning(items []*SelectItem) {
	if len(items) > 0 {
		p.w(" RETURNING ")
		list(p, items)
	}
}

func (p *printer) assignments(set []*Assignment) {
	for i, a := range set {
		if i > 0 {
			p.w(", ")
		}
		p.node(a)
	}
}

func (x *Insert) format(p *printer) {
	p.with(x.With)
	p.w("INSERT ")
	if x.Or != "" {
		p.w("OR " + x.Or + " ")
	}
	p.w("INTO ")
	p.target(x.Table, x.Alias)
	if len(x.Columns) > 0 {
		p.w(" (")
		p.idents(x.Columns)
		p.w(")")
	}
	if x.ByName {
		p.w(" BY NAME")
	}
	if x.ByPosition {
		p.w(" BY POSITION")
	}
	if x.DefaultValues {
		p.w(" DEFAULT VALUES")
	} else {
		p.w(" ")
		p.node(x.Query)
	}
	if c := x.OnConflict; c != nil {
		p.w(" ON CONFLICT")
		if len(c.Columns) > 0 {
			p.w(" (")
			p.idents(c.Columns)
			p.w(")")
			if c.Where != nil {
				p.w(" WHERE ")
				p.node(c.Where)
			}
		}
		if c.DoNothing {
			p.w(" DO NOTHING")
		} else {
			p.w(" DO UPDATE SET ")
			p.assignments(c.Set)
			if c.UpdateWhere != nil {
				p.w(" WHERE ")
				p.node(c.UpdateWhere)
			}
		}
	}
	p.returning(x.Returning)
}

func (x *Assignment) format(p *printer) {
	p.dotted(x.Column)
	p.w(" = ")
	p.node(x.Value)
}

func (x *Update) format(p *printer) {
	p.with(x.With)
	p.w("UPDATE ")
	p.target(x.Table, x.Alias)
	p.w(" SET ")
	p.assignments(x.Set)
	optList(p, " FROM ", x.From)
	p.opt(" WHERE ", x.Where)
	p.returning(x.Returning)
}

func (x *Delete) format(p *printer) {
	p.with(x.With)
	p.w("DELETE FROM ")
	p.target(x.Table, x.Alias)
	optList(p, " USING ", x.Using)
	p.opt(" WHERE ", x.Where)
	p.returning(x.Returning)
}

func (x *Merge) format(p *printer) {
	p.with(x.With)
	p.w("MERGE INTO ")
	p.target(x.Target, x.Alias)
	p.w(" USING ")
	p.node(x.Source)
	if x.On != nil {
		p.w(" ON ")
		p.node(x.On)
	} else {
		p.w(" USING (")
		p.idents(x.Using)
		p.w(")")
	}
	for _, c := range x.Clauses {
		p.w(" WHEN ")
		if !c.Matched {
			p.w("NOT ")
		}
		p.w("MATCHED")
		if !c.Matched && c.BySource {
			p.w(" BY SOURCE")
		}
		p.opt(" AND ", c.Cond)
		p.w(" THEN " + c.Action)
		switch {
		case c.Action == "UPDATE" && c.Star:
			p.w(" SET *")
		case c.Action == "UPDATE" && len(c.Set) > 0:
			p.w(" SET ")
			p.assignments(c.Set)
		case c.Action == "INSERT":
			if len(c.Columns) > 0 {
				p.w(" (")
				p.idents(c.Columns)
				p.w(")")
			}
			switch {
			case c.Star:
				p.w(" *")
			case c.ByName:
				p.w(" BY NAME")
			case c.Values != nil:
				p.w(" VALUES (")
				list(p, c.Values)
				p.w(")")
			}
		}
	}
	p.returning(x.Returning)
}

// String prints the MERGE INTO statement with its WHEN clauses back as SQL.
func (x *Merge) String() string { return String(x) }

// String prints the INSERT statement back as SQL: target, column list,
// source, ON CONFLICT and RETURNING.
func (x *Insert) String() string { return String(x) }

// String prints the assignment of a SET list back as SQL: `col = expr`.
func (x *Assignment) String() string { return String(x) }

// String prints the UPDATE statement back as SQL.
func (x *Update) String() string { return String(x) }

// String prints the DELETE statement back as SQL.
func (x *Delete) String() string { return String(x) }
