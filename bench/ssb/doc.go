// Package ssb is a star-schema workload: the Star Schema Benchmark's 13
// queries (O'Neil, O'Neil, Chen, revision 3) over tables derived from
// TPC-H's (derive.go, date.go), and queries written in their style that
// stress what star and snowflake schemas ask of a planner: filtered
// dimensions joined to one large fact table, snowflake joins through
// nation and region, GROUP BY over dimension attributes, IN lists and
// BETWEEN on dates (queries/). run.go times them and checks their results
// against answers DuckDB produced.
package ssb
