// Package dbgen generates TPC-H data row for row identical to dbgen's.
//
// It is an adaptation of go-tpc's Go port of the TPC-H dbgen (Apache
// License 2.0; see NOTICE for attribution and the list of changes). With the
// default Options the rows equal those of DuckDB's tpch extension, whose
// dbgen differs from the TPC's only in the comment and address columns;
// Options.Compat selects the TPC's.
//
// A Generator is built for one scale factor and is safe for concurrent use:
// each table generation (Regions, Nations, Suppliers, Customers, Parts,
// Orders) carries its own random state and calls back once per row with a
// typed struct. Parts also yields partsupp and Orders also yields lineitem,
// because dbgen draws them from the same per-row state.
package dbgen
