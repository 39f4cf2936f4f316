// Package tpch holds the 22 TPC-H queries as users write them, the reference
// answers at SF 0.01, 0.1 and 1, and the checker that compares a result
// with an answer.
//
// Files:
//
//	tpch.go     the queries (from bench/tpch/queries), reference answers, Check and Collect
//	run.go      Run: a timed benchmark run of the queries against a database (RunOptions, Report)
//	rechunk.go  Rechunk: rewrite the tables with small row groups (many splits at a small scale)
package tpch
