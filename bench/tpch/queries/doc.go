// Package queries embeds the 22 TPC-H queries (q01.sql ... q22.sql) as
// users write them; queries.go reads them (Text, All). It imports nothing
// of Peregrine, so that the parser's and binder's tests and benchmarks can
// read them too (bench/tpch, which runs them, imports the engine).
package queries
