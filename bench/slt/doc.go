// Command slt runs sqllogictest files written in DuckDB's dialect against
// Peregrine through database/sql and reports per-file and total pass rates
// of query records, the first failures of each file and the most frequent
// failure causes:
//
//	go run ./bench/slt [-q] [-failures N] [-causes N] [-timeout D] DIR-or-FILES...
//
// Directories are searched for *.test and *.test_slow files. Each file runs
// on its own in-memory database (sql.Open("peregrine", "")) and a single
// connection. Files under a sqlite/ directory or named selectN.test[_slow]
// run as DuckDB runs SQLite's own tests: `SET integer_division = true`
// first, "postgresql" counts as our system in onlyif/skipif, and floating
// and decimal results are cast to BIGINT before comparing or hashing.
//
// Supported records: statement ok|error|maybe, query <TIR letters>
// [nosort|rowsort|valuesort] [label], results as rows (tab separated), as
// one value a line, or "N values hashing to MD5" (MD5 of each value
// followed by a newline), hash-threshold, loop/foreach/endloop (with
// ${var} substitution), mode skip/unskip, skipif/onlyif <system>, halt.
// `require` skips the file unless it names something Peregrine has
// (requireOK); load/restart/reconnect/set and other runner commands are
// ignored. Values print as DuckDB's runner prints them: NULL, (empty),
// booleans as 1/0, doubles as DuckDB casts them to VARCHAR; numeric
// values compare as numbers (floats within 1%), as DuckDB's runner does.
//
// Files:
//   - main.go: flags, file collection, per-file driver, loop expansion, report.
//   - parse.go: record parser and condition handling.
//   - run.go: executing records on a connection and checking results.
//   - result.go: value printing, hashing, sorting, value comparison.
package main
