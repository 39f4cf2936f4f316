// Package jsonfmt writes query results as JSON for COPY ... TO (FORMAT
// json): one object per row, newline-delimited like DuckDB's default, or
// one array with ARRAY true. Nested values (LIST, STRUCT, MAP) become JSON
// arrays and objects; dates and timestamps are strings.
//
// The files:
//
//	write.go  Encoder (storage.RowEncoder)
package jsonfmt
