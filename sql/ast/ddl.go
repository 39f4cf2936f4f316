package ast

// CreateTable is `CREATE [OR REPLACE] [TEMP] TABLE [IF NOT EXISTS] name
// (columns, constraints)` or `... name [(cols)] AS query`.
type CreateTable struct {
	At
	OrReplace, Temp, IfNotExists bool
	Name                         *Name
	Columns                      []*ColumnDef
	Constraints                  []*TableConstraint
	As                           *Query
}

// ColumnDef is `name type [constraints]`.
type ColumnDef struct {
	At
	Name        Ident
	Type        *TypeName // nil for a generated column without a type
	Constraints []ColumnConstraint
}

// ColumnConstraint is one of NOT NULL, NULL, DEFAULT e, PRIMARY KEY, UNIQUE,
// CHECK (e), COLLATE name, REFERENCES t[(cols)], GENERATED ALWAYS AS (e).
type ColumnConstraint struct {
	Kind    string // NOT NULL, NULL, DEFAULT, PRIMARY KEY, UNIQUE, CHECK, COLLATE, REFERENCES, AS
	Expr    Expr
	Name    *Name
	Columns []Ident
	Stored  bool // GENERATED ... STORED
}

// TableConstraint is `[CONSTRAINT name] PRIMARY KEY (cols) | UNIQUE (cols) |
// CHECK (e) | FOREIGN KEY (cols) REFERENCES t [(cols)]`.
type TableConstraint struct {
	At
	Name       *Ident
	Kind       string // PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY
	Columns    []Ident
	Check      Expr
	RefTable   *Name
	RefColumns []Ident
}

// CreateView is `CREATE [OR REPLACE] [TEMP] VIEW [IF NOT EXISTS] name [(cols)] AS query`.
type CreateView struct {
	At
	OrReplace, Temp, IfNotExists bool
	Name                         *Name
	Columns                      []Ident
	Query                        *Query
}

// CreateMacro is `CREATE [OR REPLACE] [TEMP] MACRO|FUNCTION name(params) AS
// expr` or `... AS TABLE query`.
type CreateMacro struct {
	At
	OrReplace, Temp bool
	Name            *Name
	Params          []MacroParam
	Body            Expr
	Table           *Query
}

// MacroParam is a macro parameter, with a default when written `p := v`.
type MacroParam struct {
	Name    Ident
	Default Expr
}

// CreateSchema is `CREATE [OR REPLACE] SCHEMA [IF NOT EXISTS] name`.
type CreateSchema struct {
	At
	OrReplace, IfNotExists bool
	Name                   *Name
}

// CreateSequence is `CREATE [OR REPLACE] [TEMP] SEQUENCE [IF NOT EXISTS] name [options]`.
type CreateSequence struct {
	At
	OrReplace, Temp, IfNotExists bool
	Name                         *Name
	Options                      []SeqOption
}

// SeqOption is START [WITH] n, INCREMENT [BY] n, MINVALUE n, MAXVALUE n,
// NO MINVALUE, NO MAXVALUE, CYCLE, NO CYCLE.
type SeqOption struct {
	Name  string
	Value Expr
}

// CreateIndex is `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (exprs)`.
type CreateIndex struct {
	At
	Unique, IfNotExists bool
	Name                Ident
	Table               *Name
	Exprs               []Expr
}

// CreateType is `CREATE TYPE name AS type` (ENUM(...), STRUCT(...), INT).
type CreateType struct {
	At
	OrReplace, IfNotExists bool
	Name                   *Name
	Type                   *TypeName
}

// Drop is `DROP kind [IF EXISTS] names [CASCADE|RESTRICT]`.
type Drop struct {
	At
	Kind     string // TABLE, VIEW, SCHEMA, SEQUENCE, INDEX, MACRO, MACRO TABLE, FUNCTION, TYPE, SECRET
	IfExists bool
	Names    []*Name
	Cascade  bool
	// Storage (PERSISTENT or TEMPORARY) and From (FROM storage) are DROP
	// SECRET's.
	Storage string
	From    *Ident
}

// AlterTable is `ALTER TABLE|VIEW [IF EXISTS] name action`.
type AlterTable struct {
	At
	View     bool
	IfExists bool
	Name     *Name
	// Op is RENAME TO, ADD COLUMN, DROP COLUMN, RENAME COLUMN,
	// ALTER COLUMN TYPE, SET DEFAULT, DROP DEFAULT, SET NOT NULL,
	// DROP NOT NULL or ADD CONSTRAINT.
	Op         string
	Column     Ident
	NewName    Ident
	Def        *ColumnDef
	Type       *TypeName
	Expr       Expr // USING expression, or the default
	IfColumn   bool // ADD COLUMN IF NOT EXISTS / DROP COLUMN IF EXISTS
	Cascade    bool
	Constraint *TableConstraint
}

func (*CreateTable) stmtNode()    {}
func (*CreateView) stmtNode()     {}
func (*CreateMacro) stmtNode()    {}
func (*CreateSchema) stmtNode()   {}
func (*CreateSequence) stmtNode() {}
func (*CreateIndex) stmtNode()    {}
func (*CreateType) stmtNode()     {}
func (*Drop) stmtNode()           {}
func (*AlterTable) stmtNode()     {}

func (p *printer) create(orReplace, temp bool, what string, ifNotExists bool) {
	p.w("CREATE ")
	if orReplace {
		p.w("OR REPLACE ")
	}
	if temp {
		p.w("TEMP ")
	}
	p.w(what + " ")
	if ifNotExists {
		p.w("IF NOT EXISTS ")
	}
}

func (x *CreateTable) format(p *printer) {
	p.create(x.OrReplace, x.Temp, "TABLE", x.IfNotExists)
	p.node(x.Name)
	if len(x.Columns) > 0 || len(x.Constraints) > 0 {
		p.w(" (")
		list(p, x.Columns)
		if len(x.Columns) > 0 && len(x.Constraints) > 0 {
			p.w(", ")
		}
		list(p, x.Constraints)
		p.w(")")
	}
	p.opt(" AS ", x.As)
}

func (x *ColumnDef) format(p *printer) {
	p.ident(x.Name)
	p.opt(" ", x.Type)
	for _, c := range x.Constraints {
		p.w(" ")
		switch c.Kind {
		case "DEFAULT":
			p.w("DEFAULT ")
			p.node(c.Expr)
		case "CHECK":
			p.w("CHECK (")
			p.node(c.Expr)
			p.w(")")
		case "COLLATE":
			p.w("COLLATE ")
			p.node(c.Name)
		case "REFERENCES":
			p.w("REFERENCES ")
			p.node(c.Name)
			if len(c.Columns) > 0 {
				p.w(" (")
				p.idents(c.Columns)
				p.w(")")
			}
		case "AS":
			p.w("GENERATED ALWAYS AS (")
			p.node(c.Expr)
			p.w(")")
			if c.Stored {
				p.w(" STORED")
			}
		default:
			p.w(c.Kind)
		}
	}
}

func (x *TableConstraint) format(p *printer) {
	if x.Name != nil {
		p.w("CONSTRAINT ")
		p.ident(*x.Name)
		p.w(" ")
	}
	p.w(x.Kind)
	if x.Kind == "CHECK" {
		p.w(" (")
		p.node(x.Check)
		p.w(")")
		return
	}
	p.w(" (")
	p.idents(x.Columns)
	p.w(")")
	if x.RefTable != nil {
		p.w(" REFERENCES ")
		p.node(x.RefTable)
		if len(x.RefColumns) > 0 {
			p.w(" (")
			p.idents(x.RefColumns)
			p.w(")")
		}
	}
}

func (x *CreateView) format(p *printer) {
	p.create(x.OrReplace, x.Temp, "VIEW", x.IfNotExists)
	p.node(x.Name)
	if len(x.Columns) > 0 {
		p.w(" (")
		p.idents(x.Columns)
		p.w(")")
	}
	p.w(" AS ")
	p.node(x.Query)
}

func (x *CreateMacro) format(p *printer) {
	p.create(x.OrReplace, x.Temp, "MACRO", false)
	p.node(x.Name)
	p.w("(")
	for i, a := range x.Params {
		if i > 0 {
			p.w(", ")
		}
		p.ident(a.Name)
		if a.Default != nil {
			p.w(" := ")
			p.node(a.Default)
		}
	}
	p.w(") AS ")
	if x.Table != nil {
		p.w("TABLE ")
		p.node(x.Table)
	} else {
		p.node(x.Body)
	}
}

func (x *CreateSchema) format(p *printer) {
	p.create(x.OrReplace, false, "SCHEMA", x.IfNotExists)
	p.node(x.Name)
}

func (x *CreateSequence) format(p *printer) {
	p.create(x.OrReplace, x.Temp, "SEQUENCE", x.IfNotExists)
	p.node(x.Name)
	for _, o := range x.Options {
		p.w(" " + o.Name)
		if o.Value != nil {
			p.w(" ")
			p.node(o.Value)
		}
	}
}

func (x *CreateIndex) format(p *printer) {
	p.w("CREATE ")
	if x.Unique {
		p.w("UNIQUE ")
	}
	p.w("INDEX ")
	if x.IfNotExists {
		p.w("IF NOT EXISTS ")
	}
	p.ident(x.Name)
	p.w(" ON ")
	p.node(x.Table)
	p.w(" (")
	list(p, x.Exprs)
	p.w(")")
}

func (x *CreateType) format(p *printer) {
	p.create(x.OrReplace, false, "TYPE", x.IfNotExists)
	p.node(x.Name)
	p.w(" AS ")
	p.node(x.Type)
}

func (x *Drop) format(p *printer) {
	p.w("DROP ")
	if x.Storage != "" {
		p.w(x.Storage + " ")
	}
	p.w(x.Kind + " ")
	if x.IfExists {
		p.w("IF EXISTS ")
	}
	list(p, x.Names)
	if x.From != nil {
		p.w(" FROM ")
		p.ident(*x.From)
	}
	if x.Cascade {
		p.w(" CASCADE")
	}
}

func (x *AlterTable) format(p *printer) {
	if x.View {
		p.w("ALTER VIEW ")
	} else {
		p.w("ALTER TABLE ")
	}
	if x.IfExists {
		p.w("IF EXISTS ")
	}
	p.node(x.Name)
	p.w(" ")
	switch x.Op {
	case "RENAME TO":
		p.w("RENAME TO ")
		p.ident(x.NewName)
	case "ADD COLUMN":
		p.w("ADD COLUMN ")
		if x.IfColumn {
			p.w("IF NOT EXISTS ")
		}
		p.node(x.Def)
	case "DROP COLUMN":
		p.w("DROP COLUMN ")
		if x.IfColumn {
			p.w("IF EXISTS ")
		}
		p.ident(x.Column)
		if x.Cascade {
			p.w(" CASCADE")
		}
	case "RENAME COLUMN":
		p.w("RENAME COLUMN ")
		p.ident(x.Column)
		p.w(" TO ")
		p.ident(x.NewName)
	case "ALTER COLUMN TYPE":
		p.w("ALTER COLUMN ")
		p.ident(x.Column)
		p.w(" TYPE ")
		p.node(x.Type)
		if x.Expr != nil {
			p.w(" USING ")
			p.node(x.Expr)
		}
	case "SET DEFAULT":
		p.w("ALTER COLUMN ")
		p.ident(x.Column)
		p.w(" SET DEFAULT ")
		p.node(x.Expr)
	case "DROP DEFAULT", "SET NOT NULL", "DROP NOT NULL":
		p.w("ALTER COLUMN ")
		p.ident(x.Column)
		p.w(" " + x.Op)
	case "ADD CONSTRAINT":
		p.w("ADD ")
		p.node(x.Constraint)
	}
}

// String prints the CREATE TABLE statement back as SQL: columns with their
// constraints, then table constraints, or AS query.
func (x *CreateTable) String() string { return String(x) }

// String prints the column definition back as SQL: name, type, then its
// constraints, as inside CREATE TABLE.
func (x *ColumnDef) String() string { return String(x) }

// String prints the table constraint back as SQL: its CONSTRAINT name when
// it has one, the kind, then the CHECK expression or the columns and
// REFERENCES.
func (x *TableConstraint) String() string { return String(x) }

// String prints the CREATE VIEW statement back as SQL.
func (x *CreateView) String() string { return String(x) }

// String prints the CREATE MACRO statement back as SQL: parameters, then the
// body expression or AS TABLE query.
func (x *CreateMacro) String() string { return String(x) }

// String prints the CREATE SCHEMA statement back as SQL.
func (x *CreateSchema) String() string { return String(x) }

// String prints the CREATE SEQUENCE statement with its options back as SQL.
func (x *CreateSequence) String() string { return String(x) }

// String prints the CREATE INDEX statement back as SQL.
func (x *CreateIndex) String() string { return String(x) }

// String prints the CREATE TYPE statement back as SQL.
func (x *CreateType) String() string { return String(x) }

// String prints the DROP statement back as SQL: kind, IF EXISTS, the name,
// CASCADE.
func (x *Drop) String() string { return String(x) }

// String prints the ALTER TABLE or ALTER VIEW statement with its one action
// back as SQL.
func (x *AlterTable) String() string { return String(x) }

// CreateSecret is `CREATE [OR REPLACE] [PERSISTENT|TEMPORARY] SECRET [IF NOT
// EXISTS] [name] (options)`.
type CreateSecret struct {
	At
	OrReplace, IfNotExists bool
	Storage                string // PERSISTENT, TEMPORARY or ""
	Name                   *Ident
	Options                []Option
}

func (*CreateSecret) stmtNode() {}

func (x *CreateSecret) format(p *printer) {
	p.w("CREATE ")
	if x.OrReplace {
		p.w("OR REPLACE ")
	}
	if x.Storage != "" {
		p.w(x.Storage + " ")
	}
	p.w("SECRET ")
	if x.IfNotExists {
		p.w("IF NOT EXISTS ")
	}
	if x.Name != nil {
		p.ident(*x.Name)
	}
	p.options(x.Options)
}

// String prints the CREATE SECRET statement back as SQL: the options as
// written, credentials included.
func (x *CreateSecret) String() string { return String(x) }
