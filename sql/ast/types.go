package ast

import (
	"strconv"
	"strings"
)

// TypeName is a SQL type as written: a name with modifiers (VARCHAR(10),
// DECIMAL(18,3)), the nested forms STRUCT(a INT, b VARCHAR), MAP(K, V),
// LIST(T), UNION(a INT, b VARCHAR), ENUM('a', 'b'), and array suffixes
// (INT[], INT[3][]). A built-in type's Name is DuckDB's canonical name
// for it (INT4 → INTEGER, TEXT → VARCHAR, ROW → STRUCT; see BuiltinType),
// as DuckDB's own parser resolves it; any other name (a user type, a
// typo) is kept as written in Ref, and Name is Ref's text.
type TypeName struct {
	At
	Name   string
	Ref    *Name       // the name as written, when it is not a built-in type
	Mods   []Expr      // (p, s) modifiers
	Fields []TypeField // STRUCT and UNION members
	Params []*TypeName // LIST(T), MAP(K, V)
	Enum   []string    // ENUM labels
	// Array holds one entry per [] suffix: -1 for unsized, else the size.
	Array []int
}

// TypeField is one `name type` member of a STRUCT or UNION type.
type TypeField struct {
	Name Ident
	Type *TypeName
}

// Elem returns the element type of an array type (one [] removed).
func (t *TypeName) Elem() *TypeName {
	c := *t
	c.Array = t.Array[:len(t.Array)-1]
	return &c
}

func (x *TypeName) format(p *printer) {
	if x.Ref != nil {
		p.node(x.Ref)
	} else {
		p.w(x.Name)
	}
	switch {
	case len(x.Fields) > 0:
		p.w("(")
		for i, f := range x.Fields {
			if i > 0 {
				p.w(", ")
			}
			p.ident(f.Name)
			p.w(" ")
			p.node(f.Type)
		}
		p.w(")")
	case len(x.Params) > 0:
		p.w("(")
		list(p, x.Params)
		p.w(")")
	case x.Enum != nil:
		p.w("(")
		for i, e := range x.Enum {
			if i > 0 {
				p.w(", ")
			}
			p.w(QuoteString(e))
		}
		p.w(")")
	case len(x.Mods) > 0:
		p.w("(")
		list(p, x.Mods)
		p.w(")")
	}
	for _, n := range x.Array {
		if n < 0 {
			p.w("[]")
		} else {
			p.w("[" + strconv.Itoa(n) + "]")
		}
	}
}

// String prints the type name back as SQL: name, modifiers, nested types and
// array suffixes (`DECIMAL(15,2)[]`).
func (x *TypeName) String() string { return String(x) }

// Base is the name without modifiers or array suffixes, for messages.
func (x *TypeName) Base() string { return strings.ToUpper(x.Name) }

// BuiltinType returns DuckDB's canonical name of a built-in type name or
// alias written in any case (int4 → INTEGER, "double precision" → DOUBLE),
// and whether name is one.
func BuiltinType(name string) (string, bool) {
	c, ok := builtinTypes[strings.ToUpper(name)]
	return c, ok
}

// builtinTypes maps DuckDB's type names and aliases (duckdb_types()) to the
// name DuckDB prints.
var builtinTypes = func() map[string]string {
	m := map[string]string{}
	for canon, aliases := range map[string][]string{
		"BOOLEAN":                  {"BOOL", "LOGICAL"},
		"TINYINT":                  {"INT1"},
		"SMALLINT":                 {"INT2", "INT16", "SHORT"},
		"INTEGER":                  {"INT", "INT4", "INT32", "SIGNED", "INTEGRAL"},
		"BIGINT":                   {"INT8", "INT64", "LONG", "OID"},
		"HUGEINT":                  {"INT128"},
		"UTINYINT":                 {"UINT8"},
		"USMALLINT":                {"UINT16"},
		"UINTEGER":                 {"UINT32"},
		"UBIGINT":                  {"UINT64"},
		"UHUGEINT":                 {"UINT128"},
		"FLOAT":                    {"FLOAT4", "REAL"},
		"DOUBLE":                   {"FLOAT8", "DOUBLE PRECISION"},
		"DECIMAL":                  {"NUMERIC", "DEC"},
		"VARCHAR":                  {"TEXT", "STRING", "CHAR", "BPCHAR", "NVARCHAR", "CHARACTER", "CHARACTER VARYING", "NCHAR", "NCHAR VARYING"},
		"BLOB":                     {"BYTEA", "BINARY", "VARBINARY"},
		"BIT":                      {"BITSTRING"},
		"BIGNUM":                   {"VARINT"},
		"UUID":                     {"GUID"},
		"DATE":                     nil,
		"TIME":                     nil,
		"TIME_NS":                  nil,
		"TIME WITH TIME ZONE":      {"TIMETZ"},
		"TIMESTAMP":                {"DATETIME", "TIMESTAMP_US"},
		"TIMESTAMP_S":              nil,
		"TIMESTAMP_MS":             nil,
		"TIMESTAMP_NS":             nil,
		"TIMESTAMP WITH TIME ZONE": {"TIMESTAMPTZ"},
		"INTERVAL":                 nil,
		"STRUCT":                   {"ROW"},
		"LIST":                     nil,
		"MAP":                      nil,
		"UNION":                    nil,
		"ENUM":                     nil,
		"JSON":                     nil,
		"VARIANT":                  nil,
		"GEOMETRY":                 nil,
		"NULL":                     nil,
	} {
		m[canon] = canon
		for _, a := range aliases {
			m[a] = canon
		}
	}
	return m
}()
