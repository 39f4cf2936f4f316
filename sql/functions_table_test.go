package sql

import "testing"

// TestFunctionNamesAreDuckDBs: the names FunctionNames offers (the shell
// completes them) are DuckDB 1.5's (duckdbFunctions, from
// duckdb_functions()), so completion never teaches a name DuckDB users
// would not recognise. The exceptions: coalesce, ifnull and if, which DuckDB
// binds as special forms rather than listing them, parquet_inspect,
// Peregrine's own layout report, and peregrine_functions, its function list.
func TestFunctionNamesAreDuckDBs(t *testing.T) {
	extra := map[string]bool{"coalesce": true, "ifnull": true, "if": true, "parquet_inspect": true, "peregrine_functions": true}
	for _, n := range FunctionNames() {
		if _, ok := knownFunctions[n]; !ok && !extra[n] {
			t.Errorf("FunctionNames offers %s, which DuckDB 1.5 does not have", n)
		}
	}
}
