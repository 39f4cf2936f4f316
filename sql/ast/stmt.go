package ast

// Explain is `EXPLAIN [ANALYZE] statement` or `EXPLAIN (options) statement`.
type Explain struct {
	At
	Analyze bool
	Options []Option
	Stmt    Statement
}

// UpdateExtensions is `UPDATE EXTENSIONS [(names)]`.
type UpdateExtensions struct {
	At
	Names []Ident
}

func (*UpdateExtensions) stmtNode() {}

// String prints the UPDATE EXTENSIONS statement back as SQL.
func (x *UpdateExtensions) String() string { return String(x) }
func (x *UpdateExtensions) format(p *printer) {
	p.w("UPDATE EXTENSIONS")
	if len(x.Names) > 0 {
		p.w(" (")
		p.idents(x.Names)
		p.w(")")
	}
}

// Describe is `DESCRIBE table` or `DESCRIBE query` (also DESC, SHOW table).
type Describe struct {
	At
	Table TableExpr // DESCRIBE name, or
	Query *Query    // DESCRIBE SELECT ...
}

// Show is `SHOW TABLES [FROM db]`, `SHOW ALL TABLES`, `SHOW DATABASES` or
// `SHOW name` (a setting or table).
type Show struct {
	At
	What string // TABLES, ALL TABLES, DATABASES, or "" with Name
	Name *Name  // SHOW name, or SHOW TABLES FROM name
}

// Summarize is `SUMMARIZE table` or `SUMMARIZE query`.
type Summarize struct {
	At
	Table TableExpr
	Query *Query
}

// Set is `SET [GLOBAL|SESSION|LOCAL] name = value` (also TO), or
// `SET VARIABLE name = value`.
type Set struct {
	At
	Scope    string
	Variable bool
	Name     *Name
	Values   []Expr
}

// Reset is `RESET [scope] name` or `RESET ALL`.
type Reset struct {
	At
	Scope    string
	Variable bool
	Name     *Name // nil for ALL
}

// Pragma is `PRAGMA name`, `PRAGMA name(args)` or `PRAGMA name = value`.
type Pragma struct {
	At
	Name   Ident
	Args   []Expr
	Assign bool
}

// Option is one `NAME [value]` of COPY, ATTACH or EXPORT. Value is nil for a
// bare flag; a parenthesized list is a RowExpr.
type Option struct {
	Name  Ident
	Value Expr
}

// Copy is `COPY table [(cols)] TO|FROM 'path' [(options)]` or
// `COPY (query) TO 'path' [(options)]`.
type Copy struct {
	At
	Table   *Name
	Columns []Ident
	Query   *Query
	From    bool // COPY ... FROM (loading)
	Path    Expr
	Options []Option
}

// Prepare is `PREPARE name AS statement`.
type Prepare struct {
	At
	Name Ident
	Stmt Statement
}

// Execute is `EXECUTE name[(args)]`.
type Execute struct {
	At
	Name Ident
	Args []Expr // NamedArg for `name := value`
}

// Deallocate is `DEALLOCATE [PREPARE] name` or `DEALLOCATE ALL`.
type Deallocate struct {
	At
	Name Ident
	All  bool
}

// Transaction is BEGIN, COMMIT or ROLLBACK (and their synonyms).
type Transaction struct {
	At
	Kind string // BEGIN, COMMIT, ROLLBACK
}

// Install is `[FORCE] INSTALL ext [FROM repo]`; Load is `LOAD ext`.
type Install struct {
	At
	Name  Ident
	Force bool
	From  Expr
}

// Load is `LOAD extension`.
type Load struct {
	At
	Name Ident
}

// Attach is `ATTACH [DATABASE] [IF NOT EXISTS] 'path' [AS alias] [(options)]`.
type Attach struct {
	At
	Path        Expr
	IfNotExists bool
	Alias       *Ident
	Options     []Option
}

// Detach is `DETACH [DATABASE] [IF EXISTS] name`.
type Detach struct {
	At
	Name     Ident
	IfExists bool
}

// Use is `USE database[.schema]`.
type Use struct {
	At
	Name *Name
}

// CopyDatabase is `COPY FROM DATABASE src TO dst [(SCHEMA | DATA)]`; What
// is "", "SCHEMA" or "DATA".
type CopyDatabase struct {
	At
	From, To Ident
	What     string
}

// Checkpoint is `[FORCE] CHECKPOINT [database]`.
type Checkpoint struct {
	At
	Force    bool
	Database *Ident
}

// Vacuum is `VACUUM [ANALYZE] [table]`; Analyze is `ANALYZE [table]`.
type Vacuum struct {
	At
	Analyze bool
	Table   *Name
}

// Analyze is `ANALYZE [table]`.
type Analyze struct {
	At
	Table *Name
}

// Call is `CALL function(args)`.
type Call struct {
	At
	Call *FuncCall
}

// ExportDatabase is `EXPORT DATABASE 'dir' [(options)]`; ImportDatabase is
// `IMPORT DATABASE 'dir'`.
type ExportDatabase struct {
	At
	Path    Expr
	Options []Option
}

// ImportDatabase is `IMPORT DATABASE 'dir'`.
type ImportDatabase struct {
	At
	Path Expr
}

// CommentOn is `COMMENT ON TABLE|COLUMN|VIEW|... name IS 'text'`.
type CommentOn struct {
	At
	Kind  string
	Name  *Name
	Value Expr
}

func (*CommentOn) stmtNode() {}

// String prints the COMMENT ON statement back as SQL.
func (x *CommentOn) String() string { return String(x) }
func (x *CommentOn) format(p *printer) {
	p.w("COMMENT ON " + x.Kind + " ")
	p.node(x.Name)
	p.w(" IS ")
	p.node(x.Value)
}

func (*Explain) stmtNode()        {}
func (*Describe) stmtNode()       {}
func (*Show) stmtNode()           {}
func (*Summarize) stmtNode()      {}
func (*Set) stmtNode()            {}
func (*Reset) stmtNode()          {}
func (*Pragma) stmtNode()         {}
func (*Copy) stmtNode()           {}
func (*Prepare) stmtNode()        {}
func (*Execute) stmtNode()        {}
func (*Deallocate) stmtNode()     {}
func (*Transaction) stmtNode()    {}
func (*Install) stmtNode()        {}
func (*Load) stmtNode()           {}
func (*Attach) stmtNode()         {}
func (*Detach) stmtNode()         {}
func (*Use) stmtNode()            {}
func (*Checkpoint) stmtNode()     {}
func (*CopyDatabase) stmtNode()   {}
func (*Vacuum) stmtNode()         {}
func (*Analyze) stmtNode()        {}
func (*Call) stmtNode()           {}
func (*ExportDatabase) stmtNode() {}
func (*ImportDatabase) stmtNode() {}

func (x *Explain) format(p *printer) {
	p.w("EXPLAIN")
	if x.Analyze {
		p.w(" ANALYZE")
	}
	p.options(x.Options)
	p.w(" ")
	p.node(x.Stmt)
}

func (x *Describe) format(p *printer) {
	p.w("DESCRIBE ")
	if x.Query != nil {
		p.node(x.Query)
	} else {
		p.node(x.Table)
	}
}

func (x *Show) format(p *printer) {
	p.w("SHOW ")
	switch {
	case x.What == "":
		p.node(x.Name)
	case x.Name != nil:
		p.w(x.What + " FROM ")
		p.node(x.Name)
	default:
		p.w(x.What)
	}
}

func (x *Summarize) format(p *printer) {
	p.w("SUMMARIZE ")
	if x.Query != nil {
		p.node(x.Query)
	} else {
		p.node(x.Table)
	}
}

func (x *Set) format(p *printer) {
	p.w("SET ")
	if x.Variable {
		p.w("VARIABLE ")
	}
	if x.Scope != "" {
		p.w(x.Scope + " ")
	}
	p.node(x.Name)
	p.w(" = ")
	list(p, x.Values)
}

func (x *Reset) format(p *printer) {
	p.w("RESET ")
	if x.Variable {
		p.w("VARIABLE ")
	}
	if x.Scope != "" {
		p.w(x.Scope + " ")
	}
	if x.Name == nil {
		p.w("ALL")
	} else {
		p.node(x.Name)
	}
}

func (x *Pragma) format(p *printer) {
	p.w("PRAGMA ")
	p.ident(x.Name)
	switch {
	case x.Assign:
		p.w(" = ")
		list(p, x.Args)
	case len(x.Args) > 0:
		p.w("(")
		list(p, x.Args)
		p.w(")")
	}
}

func (p *printer) options(opts []Option) {
	if len(opts) == 0 {
		return
	}
	p.w(" (")
	for i, o := range opts {
		if i > 0 {
			p.w(", ")
		}
		p.ident(o.Name)
		if o.Value != nil {
			p.w(" ")
			p.node(o.Value)
		}
	}
	p.w(")")
}

func (x *Copy) format(p *printer) {
	p.w("COPY ")
	if x.Query != nil {
		p.w("(")
		p.node(x.Query)
		p.w(")")
	} else {
		p.node(x.Table)
		if len(x.Columns) > 0 {
			p.w(" (")
			p.idents(x.Columns)
			p.w(")")
		}
	}
	if x.From {
		p.w(" FROM ")
	} else {
		p.w(" TO ")
	}
	p.node(x.Path)
	p.options(x.Options)
}

func (x *CopyDatabase) format(p *printer) {
	p.w("COPY FROM DATABASE ")
	p.ident(x.From)
	p.w(" TO ")
	p.ident(x.To)
	if x.What != "" {
		p.w(" (" + x.What + ")")
	}
}

func (x *Prepare) format(p *printer) {
	p.w("PREPARE ")
	p.ident(x.Name)
	p.w(" AS ")
	p.node(x.Stmt)
}

func (x *Execute) format(p *printer) {
	p.w("EXECUTE ")
	p.ident(x.Name)
	if len(x.Args) > 0 {
		p.w("(")
		list(p, x.Args)
		p.w(")")
	}
}

func (x *Deallocate) format(p *printer) {
	p.w("DEALLOCATE ")
	if x.All {
		p.w("ALL")
	} else {
		p.ident(x.Name)
	}
}

func (x *Transaction) format(p *printer) { p.w(x.Kind) }

func (x *Install) format(p *printer) {
	if x.Force {
		p.w("FORCE ")
	}
	p.w("INSTALL ")
	p.ident(x.Name)
	p.opt(" FROM ", x.From)
}

func (x *Load) format(p *printer) {
	p.w("LOAD ")
	p.ident(x.Name)
}

func (x *Attach) format(p *printer) {
	p.w("ATTACH ")
	if x.IfNotExists {
		p.w("IF NOT EXISTS ")
	}
	p.node(x.Path)
	if x.Alias != nil {
		p.w(" AS ")
		p.ident(*x.Alias)
	}
	p.options(x.Options)
}

func (x *Detach) format(p *printer) {
	p.w("DETACH ")
	if x.IfExists {
		p.w("IF EXISTS ")
	}
	p.ident(x.Name)
}

func (x *Use) format(p *printer) {
	p.w("USE ")
	p.node(x.Name)
}

func (x *Checkpoint) format(p *printer) {
	if x.Force {
		p.w("FORCE ")
	}
	p.w("CHECKPOINT")
	if x.Database != nil {
		p.w(" ")
		p.ident(*x.Database)
	}
}

func (x *Vacuum) format(p *printer) {
	p.w("VACUUM")
	if x.Analyze {
		p.w(" ANALYZE")
	}
	p.opt(" ", x.Table)
}

func (x *Analyze) format(p *printer) {
	p.w("ANALYZE")
	p.opt(" ", x.Table)
}

func (x *Call) format(p *printer) {
	p.w("CALL ")
	p.node(x.Call)
}

func (x *ExportDatabase) format(p *printer) {
	p.w("EXPORT DATABASE ")
	p.node(x.Path)
	p.options(x.Options)
}

func (x *ImportDatabase) format(p *printer) {
	p.w("IMPORT DATABASE ")
	p.node(x.Path)
}

// String prints the EXPLAIN statement with its options and statement back as
// SQL.
func (x *Explain) String() string { return String(x) }

// String prints the DESCRIBE statement back as SQL.
func (x *Describe) String() string { return String(x) }

// String prints the SHOW statement back as SQL.
func (x *Show) String() string { return String(x) }

// String prints the SUMMARIZE statement back as SQL.
func (x *Summarize) String() string { return String(x) }

// String prints the SET statement back as SQL: scope, setting name and
// value.
func (x *Set) String() string { return String(x) }

// String prints the RESET statement back as SQL.
func (x *Reset) String() string { return String(x) }

// String prints the PRAGMA statement back as SQL: a call with arguments or
// an assignment.
func (x *Pragma) String() string { return String(x) }

// String prints the COPY statement back as SQL: direction, target or source,
// and options.
func (x *Copy) String() string { return String(x) }

// String prints the PREPARE statement with the statement it names back as
// SQL.
func (x *Prepare) String() string { return String(x) }

// String prints the EXECUTE statement with its arguments back as SQL.
func (x *Execute) String() string { return String(x) }

// String prints the DEALLOCATE statement back as SQL.
func (x *Deallocate) String() string { return String(x) }

// String prints the transaction statement back as SQL: its keywords as
// parsed (Kind).
func (x *Transaction) String() string { return String(x) }

// String prints the INSTALL statement back as SQL.
func (x *Install) String() string { return String(x) }

// String prints the LOAD statement back as SQL.
func (x *Load) String() string { return String(x) }

// String prints the ATTACH statement back as SQL: path, alias and options.
func (x *Attach) String() string { return String(x) }

// String prints the DETACH statement back as SQL.
func (x *Detach) String() string { return String(x) }

// String prints the USE statement back as SQL.
func (x *Use) String() string { return String(x) }

// String prints the CHECKPOINT statement back as SQL.
func (x *Checkpoint) String() string { return String(x) }

// String prints the COPY FROM DATABASE statement back as SQL.
func (x *CopyDatabase) String() string { return String(x) }

// String prints the VACUUM statement back as SQL.
func (x *Vacuum) String() string { return String(x) }

// String prints the ANALYZE statement back as SQL.
func (x *Analyze) String() string { return String(x) }

// String prints the CALL statement back as SQL.
func (x *Call) String() string { return String(x) }

// String prints the EXPORT DATABASE statement back as SQL.
func (x *ExportDatabase) String() string { return String(x) }

// String prints the IMPORT DATABASE statement back as SQL.
func (x *ImportDatabase) String() string { return String(x) }
