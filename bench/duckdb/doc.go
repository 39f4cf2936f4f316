// Command duckbench times queries (TPC-H's, the SSB's, any folder of .sql files) in DuckDB over the same Parquet files
// Peregrine reads, for side-by-side comparisons.
//
// A module of its own (DuckDB through cgo stays out of the engine's build).
// Files:
//
//	main.go    flags; timing of query folders (TPC-H, SSB, any *.sql) and -write/-answers
//	query.go   -sql / -c: run a script, print columns, types, rows or DuckDB's error
//	slt.go     -complete: fill sqllogictest files' expected rows and errors from DuckDB
//	errors.go  -errors: fill a bad-input file's expected parser errors from DuckDB
package main
