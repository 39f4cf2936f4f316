package peregrine

import (
	"fmt"
	"strconv"
	"strings"
)

// IntegerDivision reports SET integer_division (sql.SessionSettings).
func (c queryCatalog) IntegerDivision() bool { return c.intDiv }

// DefaultNullOrder reports SET default_null_order (sql.SessionSettings).
func (c queryCatalog) DefaultNullOrder() string { return c.nullOrder }

// nullOrders are default_null_order's values, with DuckDB's aliases.
var nullOrders = map[string]string{
	"nulls_first": "nulls_first", "first": "nulls_first", "nulls_last": "nulls_last", "last": "nulls_last",
	"nulls_first_on_asc_last_on_desc": "nulls_first_on_asc_last_on_desc", "sqlite": "nulls_first_on_asc_last_on_desc",
	"mysql":                           "nulls_first_on_asc_last_on_desc",
	"nulls_last_on_asc_first_on_desc": "nulls_last_on_asc_first_on_desc", "postgres": "nulls_last_on_asc_first_on_desc",
}

// sessionSetting applies integer_division and default_null_order, the
// settings that change how statements bind.
func (db *DB) sessionSetting(name, value string, reset bool) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	v := strings.ToLower(strings.Trim(strings.TrimSpace(value), "'"))
	switch name {
	case "integer_division":
		if reset {
			db.intDiv = false
			return nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("Conversion Error: Could not convert string '%s' to BOOL", value)
		}
		db.intDiv = b
	case "default_null_order":
		if reset {
			db.nullOrder = ""
			return nil
		}
		o, ok := nullOrders[v]
		if !ok {
			return fmt.Errorf("Invalid Input Error: Unrecognized null order '%s', expected either NULLS FIRST, NULLS LAST, SQLite, MySQL or Postgres", value)
		}
		db.nullOrder = o
	}
	return nil
}
