// Package resultfmt prints query results the way the peregrine shell does:
// DuckDB's boxed table form, RFC 4180 CSV, or JSON. The peregrine and
// peregrine-beam binaries share it.
//
// Files: format.go (Print and the three forms).
package resultfmt
