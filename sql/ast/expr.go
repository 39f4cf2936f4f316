package ast

import (
	"strconv"
)

// ColumnRef is a possibly qualified name in an expression: a, t.a,
// schema.t.a, or a struct field path s.a.b (the binder decides which
// parts name a table, a column and fields).
type ColumnRef struct {
	At
	Parts []Ident
}

// Star is `*` or `t.*`, with DuckDB's modifiers:
// `* EXCLUDE (a, t.b)`, `* REPLACE (e AS a)`, `* RENAME (a AS b)`,
// `* LIKE 'pattern'` (and ILIKE, GLOB, SIMILAR TO).
type Star struct {
	At
	Qualifier []Ident
	Exclude   []*ColumnRef
	Replace   []*SelectItem
	Rename    []Rename
	Pattern   *Like // X is nil: `* LIKE 'x%'`
}

// Rename is one `old AS new` of `* RENAME (...)`.
type Rename struct {
	Old *ColumnRef
	New Ident
}

// Columns is DuckDB's `COLUMNS(arg)` (a regex string, a lambda, `*` or
// a list of names), or `*COLUMNS(arg)` which unpacks into the call around it.
type Columns struct {
	At
	Arg    Expr
	Unpack bool
}

// NumberLit is a numeric literal as written (a folded unary minus
// included): 12, -1.5, 1e3, .5, 1_000, 0x1F.
type NumberLit struct {
	At
	Text string
}

// StringLit is a string literal; Value is decoded (quotes and escapes
// resolved).
type StringLit struct {
	At
	Value string
}

// BoolLit is TRUE or FALSE.
type BoolLit struct {
	At
	Value bool
}

// NullLit is NULL.
type NullLit struct{ At }

// TypedLit is `type 'text'`: DATE '1994-01-01', TIMESTAMP '…', INTEGER '5'.
type TypedLit struct {
	At
	Type  *TypeName
	Value string
}

// Interval is an interval literal: `INTERVAL 3 DAY`, `INTERVAL '3' DAY`,
// `INTERVAL (x) MINUTE`, `INTERVAL '3 days'` (Unit empty),
// `INTERVAL '1-2' YEAR TO MONTH`.
type Interval struct {
	At
	Value  Expr
	Unit   string // upper case as written (DAY, DAYS, MINUTE, ...), "" when the text carries it
	ToUnit string
}

// ParamKind tells how a parameter was written.
type ParamKind uint8

// The spellings of a parameter: the binder numbers `?` by position and binds
// `$name` by name.
const (
	ParamQuestion ParamKind = iota // ?
	ParamNumber                    // $1
	ParamNamed                     // $name
)

// Param is a query parameter. Index is 1-based: the position of a `?`
// among the statement's `?`s, the number of a `$n`; 0 for `$name`.
type Param struct {
	At
	Kind  ParamKind
	Index int
	Name  string
}

// Text is the parameter as written.
func (x *Param) Text() string {
	switch x.Kind {
	case ParamNumber:
		return "$" + strconv.Itoa(x.Index)
	case ParamNamed:
		return "$" + x.Name
	}
	return "?"
}

// Unary is a prefix operator (- + ~ @ NOT) or DuckDB's postfix factorial (x !,
// Op "!").
type Unary struct {
	At
	Op string
	X  Expr
}

// Binary is an infix operator: arithmetic (+ - * / // % ** ^), comparison
// (= == <> != < <= > >=), || and the bitwise, regex and JSON operators
// (& | # << >> ~ !~ ~* !~* -> ->> ...). Op is the canonical spelling.
type Binary struct {
	At
	Op   string
	L, R Expr
}

// And is a conjunction of two or more terms (n-ary: long chains stay flat).
type And struct {
	At
	Terms []Expr
}

// Or is a disjunction of two or more terms.
type Or struct {
	At
	Terms []Expr
}

// IsNull is `x IS [NOT] NULL` (also ISNULL, NOTNULL).
type IsNull struct {
	At
	X   Expr
	Not bool
}

// IsBool is `x IS [NOT] TRUE|FALSE|UNKNOWN`; Value nil means UNKNOWN.
type IsBool struct {
	At
	X     Expr
	Not   bool
	Value *bool
}

// IsDistinct is `l IS [NOT] DISTINCT FROM r`.
type IsDistinct struct {
	At
	L, R Expr
	Not  bool
}

// Between is `x [NOT] BETWEEN [SYMMETRIC] lo AND hi`.
type Between struct {
	At
	X, Lo, Hi      Expr
	Not, Symmetric bool
}

// InList is `x [NOT] IN (a, b, ...)`.
type InList struct {
	At
	X    Expr
	List []Expr
	Not  bool
}

// InSubquery is `x [NOT] IN (SELECT ...)`.
type InSubquery struct {
	At
	X     Expr
	Query *Query
	Not   bool
}

// LikeOp names a pattern-matching operator.
type LikeOp string

// The pattern operators of Like; the value is the keyword as printed. ILIKE
// is LIKE ignoring case, GLOB takes shell wildcards (`*`, `?`) and SIMILAR TO
// a regular expression (the binder reports it as not implemented yet).
const (
	OpLike      LikeOp = "LIKE"
	OpILike     LikeOp = "ILIKE"
	OpGlob      LikeOp = "GLOB"
	OpSimilarTo LikeOp = "SIMILAR TO"
)

// Like is `x [NOT] LIKE|ILIKE|GLOB|SIMILAR TO pattern [ESCAPE e]`.
type Like struct {
	At
	Op         LikeOp
	X, Pattern Expr
	Escape     Expr
	Not        bool
}

// Quantified is `x op ANY|ALL|SOME (subquery)` or `x op ANY(list)`.
type Quantified struct {
	At
	X     Expr
	Op    string // a comparison
	Quant string // ANY, ALL or SOME
	Query *Query // the subquery, or
	List  Expr   // a list-valued expression
}

// Exists is `EXISTS (subquery)`.
type Exists struct {
	At
	Query *Query
}

// Subquery is a scalar subquery `(SELECT ...)`, or `ARRAY(SELECT ...)`.
type Subquery struct {
	At
	Query *Query
	Array bool
}

// Case is `CASE [operand] WHEN ... THEN ... [ELSE ...] END`.
type Case struct {
	At
	Operand Expr
	Whens   []When
	Else    Expr
}

// When is one branch of a CASE.
type When struct{ Cond, Then Expr }

// Cast is `CAST(x AS type)`, `TRY_CAST(x AS type)` or `x::type`.
type Cast struct {
	At
	X    Expr
	Type *TypeName
	Try  bool
}

// FuncCall is a function call with everything SQL and DuckDB allow around
// it: `name([DISTINCT] args [ORDER BY ...]) [WITHIN GROUP (ORDER BY ...)]
// [FILTER (WHERE ...)] [IGNORE|RESPECT NULLS] [OVER window]`. A call written
// as a method, `x.f(args)`, has Receiver x. The special forms EXTRACT,
// SUBSTRING, POSITION, TRIM and OVERLAY parse into plain calls (date_part,
// substring, position, trim/ltrim/rtrim, overlay).
type FuncCall struct {
	At
	Name        *Name
	Receiver    Expr
	Args        []Expr // NamedArg for `name := value`
	Star        bool   // f(*)
	Distinct    bool
	OrderBy     []*OrderItem
	WithinGroup []*OrderItem
	Filter      Expr
	IgnoreNulls *bool // IGNORE NULLS (true) or RESPECT NULLS (false)
	Over        *WindowSpec
}

// NamedArg is `name := value` (or `name => value`) in a call.
type NamedArg struct {
	At
	Name  Ident
	Value Expr
}

// Lambda is `x -> body`, `(x, y) -> body` or `lambda x, y: body`.
type Lambda struct {
	At
	Params  []Ident
	Body    Expr
	Keyword bool // written with LAMBDA
}

// ListLit is `[a, b]` (also ARRAY[a, b]).
type ListLit struct {
	At
	Items []Expr
}

// StructLit is `{'a': 1, 'b': 2}`.
type StructLit struct {
	At
	Fields []StructField
}

// StructField is one `name: value` of a struct literal.
type StructField struct {
	Name  Ident
	Value Expr
}

// MapLit is `MAP {k: v, ...}`.
type MapLit struct {
	At
	Entries []MapEntry
}

// MapEntry is one `key: value` of a MAP literal.
type MapEntry struct{ Key, Value Expr }

// RowExpr is `(a, b)` or `ROW(a, b)`; `()` in GROUPING SETS is empty.
type RowExpr struct {
	At
	Items   []Expr
	Keyword bool
}

// Index is `x[i]`.
type Index struct {
	At
	X, Index Expr
}

// Slice is `x[lo:hi]` or `x[lo:hi:step]`; omitted bounds are nil.
type Slice struct {
	At
	X, Lo, Hi, Step Expr
}

// Field is `(x).name`: a field of a value that is not a plain name.
type Field struct {
	At
	X    Expr
	Name Ident
}

// ListComprehension is `[result FOR var IN list IF cond]`.
type ListComprehension struct {
	At
	Result Expr
	Vars   []Ident
	List   Expr
	Cond   Expr
}

// Collate is `x COLLATE name`.
type Collate struct {
	At
	X         Expr
	Collation *Name
}

// AtTimeZone is `x AT TIME ZONE zone`.
type AtTimeZone struct {
	At
	X, Zone Expr
}

// PositionalRef is DuckDB's `#n`: the n-th column of the FROM clause.
type PositionalRef struct {
	At
	Index int
}

// Default is DEFAULT as a value in INSERT ... VALUES or UPDATE ... SET.
type Default struct{ At }

// Rollup, Cube and GroupingSets are the grouping forms of GROUP BY.
type Rollup struct {
	At
	Items []Expr
}

// Cube is `CUBE (a, b)`.
type Cube struct {
	At
	Items []Expr
}

// GroupingSets is `GROUPING SETS ((a), (a, b), ())`.
type GroupingSets struct {
	At
	Sets []Expr
}

// WindowSpec is the window of an OVER clause or a WINDOW definition.
type WindowSpec struct {
	At
	Base        *Ident // OVER name, or (name PARTITION BY ...) refining a named window
	PartitionBy []Expr
	OrderBy     []*OrderItem
	Frame       *Frame
	// Ref is set for `OVER name` without parentheses.
	Ref bool
}

// Frame is `ROWS|RANGE|GROUPS BETWEEN start AND end [EXCLUDE ...]`, or a
// frame with only a start bound (End nil).
type Frame struct {
	Mode    string // ROWS, RANGE, GROUPS
	Start   FrameBound
	End     *FrameBound
	Exclude string // "", CURRENT ROW, GROUP, TIES, NO OTHERS
}

// BoundKind is the kind of a frame bound.
type BoundKind uint8

// The bounds of a window frame, in order from the partition's first row to
// its last; Preceding and Following carry an offset (FrameBound.Offset), as
// in `ROWS BETWEEN 2 PRECEDING AND CURRENT ROW`.
const (
	UnboundedPreceding BoundKind = iota
	Preceding
	CurrentRow
	Following
	UnboundedFollowing
)

// FrameBound is one end of a window frame; Offset is set for n PRECEDING
// and n FOLLOWING.
type FrameBound struct {
	Kind   BoundKind
	Offset Expr
}

func (*ColumnRef) exprNode()         {}
func (*Star) exprNode()              {}
func (*Columns) exprNode()           {}
func (*NumberLit) exprNode()         {}
func (*StringLit) exprNode()         {}
func (*BoolLit) exprNode()           {}
func (*NullLit) exprNode()           {}
func (*TypedLit) exprNode()          {}
func (*Interval) exprNode()          {}
func (*Param) exprNode()             {}
func (*Unary) exprNode()             {}
func (*Binary) exprNode()            {}
func (*And) exprNode()               {}
func (*Or) exprNode()                {}
func (*IsNull) exprNode()            {}
func (*IsBool) exprNode()            {}
func (*IsDistinct) exprNode()        {}
func (*Between) exprNode()           {}
func (*InList) exprNode()            {}
func (*InSubquery) exprNode()        {}
func (*Like) exprNode()              {}
func (*Quantified) exprNode()        {}
func (*Exists) exprNode()            {}
func (*Subquery) exprNode()          {}
func (*Case) exprNode()              {}
func (*Cast) exprNode()              {}
func (*FuncCall) exprNode()          {}
func (*NamedArg) exprNode()          {}
func (*Lambda) exprNode()            {}
func (*ListLit) exprNode()           {}
func (*StructLit) exprNode()         {}
func (*MapLit) exprNode()            {}
func (*RowExpr) exprNode()           {}
func (*Index) exprNode()             {}
func (*Slice) exprNode()             {}
func (*Field) exprNode()             {}
func (*ListComprehension) exprNode() {}
func (*Collate) exprNode()           {}
func (*AtTimeZone) exprNode()        {}
func (*PositionalRef) exprNode()     {}
func (*Default) exprNode()           {}
func (*Rollup) exprNode()            {}
func (*Cube) exprNode()              {}
func (*GroupingSets) exprNode()      {}
