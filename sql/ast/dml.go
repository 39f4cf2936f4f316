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

func (x *Insert) String() string     { return String(x) }
func (x *Assignment) String() string { return String(x) }
func (x *Update) String() string     { return String(x) }
func (x *Delete) String() string     { return String(x) }
