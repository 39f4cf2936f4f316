package sql

import (
	"strings"

	"github.com/peregrinedb/peregrine/sql/ast"
)

// SessionSettings is what a Catalog may also implement to pass the
// session's settings that change binding (DuckDB's names): without it the
// binder uses DuckDB's defaults.
type SessionSettings interface {
	// IntegerDivision is `SET integer_division`: / on two integers divides
	// as // does.
	IntegerDivision() bool
	// DefaultNullOrder is `SET default_null_order`: nulls_last (the
	// default), nulls_first, nulls_first_on_asc_last_on_desc or
	// nulls_last_on_asc_first_on_desc.
	DefaultNullOrder() string
}

func (b *binder) settings() SessionSettings {
	s, _ := b.cat.(SessionSettings)
	return s
}

func (b *binder) integerDivision() bool {
	s := b.settings()
	return s != nil && s.IntegerDivision()
}

// nullsFirst is an ORDER BY item's NULL placement: as written, else as
// default_null_order says for its direction.
func (b *binder) nullsFirst(o *ast.OrderItem) bool {
	if o.NullsFirst != nil {
		return *o.NullsFirst
	}
	s := b.settings()
	if s == nil {
		return false
	}
	switch strings.ToLower(s.DefaultNullOrder()) {
	case "nulls_first", "nulls_first_on_asc_last_on_desc":
		return strings.ToLower(s.DefaultNullOrder()) == "nulls_first" || !o.Desc
	case "nulls_last_on_asc_first_on_desc":
		return o.Desc
	}
	return false
}
