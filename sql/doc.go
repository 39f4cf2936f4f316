// Package sql turns SQL text into bound logical plans: sql/parser parses
// DuckDB's dialect into an ast tree, and the binder here resolves names,
// types, implicit casts and functions against a catalog into a
// planner.Node tree.
//
// Statements the engine runs become Query, Explain, Describe, ShowTables,
// Set, Copy, Prepare, Execute and Deallocate; everything else parses and is
// refused with "Not implemented Error: <construct> is not supported yet"
// pointing at the construct, as are expression and clause forms the
// engine cannot run yet (window functions, grouping sets,
// lambdas, ...).
//
// Parameters (?, $1, $name) bind to expr.Param placeholders typed by
// their context (or their value's type); a prepared statement binds once
// per combination of argument types and Bound.Instantiate copies the plan
// with the values as typed constants for each execution.
//
// Files:
//
//	statement.go      Parse, the runnable statement types, SplitStatements, Complete
//	secret.go         CREATE/DROP SECRET, duckdb_secrets(), which_secret(), masking of secret literals in errors
//	copy.go           COPY ... TO
//	errors.go         Error: positioned errors with DuckDB's LINE/caret context
//	bind.go           Bind, the binder, scopes, output names
//	bind_select.go    queries and SELECT blocks: WHERE, GROUP BY, HAVING, ORDER BY, LIMIT
//	bind_star.go      *, t.*, s.*, EXCLUDE/REPLACE/RENAME/LIKE, COLUMNS(...)
//	bind_from.go      FROM items, joins, CTE references, derived tables, table functions
//	bind_values.go    VALUES lists
//	bind_setop.go     UNION [ALL] [BY NAME], INTERSECT [ALL], EXCEPT [ALL]: type unification, counting by side
//	bind_expr.go      expressions: names, literals, logic, IS, BETWEEN, CASE, casts
//	bind_ops.go       operators: comparison, arithmetic, bitwise, ||, LIKE/ILIKE/GLOB, IN, ANY/ALL
//	bind_interval.go  INTERVAL literals and date arithmetic
//	bind_func.go      scalar functions and type names
//	bind_strfunc.go   string functions with a kernel each (ltrim, replace, lpad, split_part, ...) and regexp_*
//	bind_mathfunc.go  sqrt, ln, log10, ceil/floor, ..., pi, greatest/least
//	bind_datefunc.go  date_trunc, date_diff, last_day, dayname, monthname, make_date, strftime
//	bind_agg.go       aggregates and GROUP BY keys
//	bind_subquery.go  EXISTS, IN and scalar subqueries, decorrelated into joins
//	bind_cte.go       WITH queries computed once when read more than once
//	bind_nested.go    LIST/STRUCT/MAP access, and nested values through joins
//	bind_list.go      [..] and {..} literals, list_value/struct_pack, slices, casts of nested types, list functions, lambdas
//	bind_unnest.go    unnest in the SELECT list (zipped; STRUCTs expand into columns) and in FROM
//	bind_tablefunc.go read_parquet options, parquet_metadata/schema/inspect
//	tablefunc.go      constant arguments of table functions and COPY options
//	params.go         parameters: Arg, binding, Instantiate
//	coerce.go         common types, casts of constants
package sql
