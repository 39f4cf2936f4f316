// Package sql turns SQL text into bound logical plans: sql/parser parses
// DuckDB's dialect into an ast tree, and the binder here resolves names,
// types, implicit casts and functions against a catalog into a
// planner.Node tree.
//
// Statements the engine runs become Query, Explain, Describe, ShowTables,
// Set, Copy, Prepare, Execute, Deallocate, and the writes CreateTable,
// CreateView, DropObject, Insert, Update, Delete and AlterTable (which the
// root package runs); everything else parses and is
// refused with "Not implemented Error: <construct> is not supported yet"
// pointing at the construct, as are expression and clause forms the
// engine cannot run yet (lambdas, ...).
//
// Parameters (?, $1, $name) bind to expr.Param placeholders typed by
// their context (or their value's type); a prepared statement binds once
// per combination of argument types and Bound.Instantiate copies the plan
// with the values as typed constants for each execution.
//
// Files:
//
//	statement.go      Parse, the runnable statement types, SplitStatements, Complete
//	transaction.go    BEGIN/COMMIT/ROLLBACK (run by the root package, txn.go)
//	secret.go         CREATE/DROP SECRET, duckdb_secrets(), which_secret(), masking of secret literals in errors
//	copy.go           COPY ... TO
//	copy_from.go      COPY t FROM 'file': an INSERT from read_csv (the target's names and types), read_json or read_parquet
//	introspect.go     duckdb_tables/views/columns/schemas(), information_schema, pragma_table_info, PRAGMA table_info/show_tables/version, DESCRIBE's key and default
//	bind_catalogfunc.go current_database(), current_schema(), version()
//	bind_limitpct.go  LIMIT n%: a counting window over the query
//	bind_sample.go    USING SAMPLE / TABLESAMPLE: a filter on a random (or seeded hash) key for bernoulli/system
//	                  percentages, a sort on it and a LIMIT for reservoir counts, two windows for reservoir percentages
//	bind_map.go       MAP {k: v} and map(), map_from_entries, map_entries, map_extract/element_at, map_contains
//	index.go          CREATE [UNIQUE] INDEX statements (the root package keeps them)
//	macro.go          CREATE MACRO: scalar and table macros expanded in the syntax tree before binding
//	bind_ddl.go       CREATE TABLE/VIEW, DROP, ALTER statements; table schemas and
//	                  constraints; views and local tables in FROM (LocalCatalog)
//	bind_dml.go       INSERT (values cast to the columns, defaults), UPDATE and DELETE
//	                  as queries over the target's row ids
//	errors.go         Error: positioned errors with DuckDB's LINE/caret context
//	bind.go           Bind, the binder, scopes, output names
//	bind_select.go    queries and SELECT blocks: WHERE, GROUP BY, HAVING, ORDER BY, LIMIT
//	bind_star.go      *, t.*, s.*, EXCLUDE/REPLACE/RENAME/LIKE, COLUMNS(...)
//	bind_from.go      FROM items, joins, CTE references, derived tables, table functions
//	bind_join.go      FULL JOIN ... USING merged columns (COALESCE), ASOF JOIN conditions
//	bind_values.go    VALUES lists
//	bind_grouping.go  GROUPING SETS/ROLLUP/CUBE (one aggregate per set over a shared input), GROUPING(), FILTER
//	bind_distincton.go DISTINCT ON: a sort by the keys, the first row of each key
//	bind_pivot.go     PIVOT and UNPIVOT, rewritten into FILTERed aggregates and UNION ALL; PlanRunner
//	bind_summarize.go SUMMARIZE (and FROM (SUMMARIZE ...)): one aggregate pass, a row per column
//	bind_setop.go     UNION [ALL] [BY NAME], INTERSECT [ALL], EXCEPT [ALL]: type unification, counting by side
//	bind_expr.go      expressions: names, literals, logic, IS, BETWEEN, CASE, casts
//	bind_ops.go       operators: comparison, arithmetic, bitwise, ||, LIKE/ILIKE/GLOB, IN, ANY/ALL
//	bind_rowvalue.go  row values (a, b): STRUCT comparisons, IN lists, IN/ANY/ALL subqueries as EXISTS
//	bind_interval.go  INTERVAL literals and date arithmetic
//	bind_func.go      scalar functions and type names
//	bind_strfunc.go   string functions with a kernel each (ltrim, replace, lpad, split_part, ...) and regexp_*
//	bind_strmore.go   more string functions: similarity measures, translate, format_bytes, bar, printf/format,
//	                  regexp_extract_all, string_split_regex, parse_path family, _grapheme functions,
//	                  s[i] and s[a:b], SIMILAR TO / ~, GLOB with character classes
//	bind_mathfunc.go  sqrt, ln, log10, ceil/floor, ..., pi, greatest/least
//	bind_scalarfn.go  trigonometric and other DOUBLE math, sign/trunc/factorial/bit_count, random/setseed/uuid,
//	                  hashing and encoding (sha1, hash, base64, hex, bin, ...)
//	bind_jsonfn.go    JSON functions over VARCHAR JSON text, -> and ->>
//	functions_docs_scalarops.go  the registry's descriptions and examples of those
//	bind_datefunc.go  date_trunc, date_diff, last_day, dayname, monthname, make_date, strftime
//	bind_datepart.go  date_part/extract (constant, per-row and list parts), hour()/dayofweek()/..., epoch_*,
//	                  make_timestamp, date_sub, isfinite/isinf, strptime, nanosecond
//	bind_tsinterval.go TIMESTAMP ± INTERVAL (and DATE ± an INTERVAL below a day) as months, days, microseconds
//	bind_timebucket.go time_bucket and date_add, which take INTERVAL literals ('..'::INTERVAL too)
//	functions_docs_date.go the registry entries of the date/time functions
//	bind_agg.go       aggregates and GROUP BY keys
//	bind_aggnamed.go  the aggregates the executor resolves by name (median, string_agg, stddev, arg_min, corr, ...):
//	                  DuckDB's aliases, argument casts, result types, constant parameters, two-column forms
//	bind_aggorder.go  ORDER BY and FILTER (WHERE) inside a named aggregate (planner.AggCall.Order/Filter)
//	functions_registry.go  the function registry (Functions): peregrine_functions()/duckdb_functions(), the shell's
//	                  completion, unknown-function hints (Jaro-Winkler), an aggregate where a scalar must be
//	functions_docs.go  the registry's descriptions and examples of scalar and table functions
//	functions_docs_str.go  those of bind_strmore.go's functions
//	functions_table.go DuckDB's function names by kind ("Not implemented" rather than "does not exist")
//	bind_window.go    window functions (OVER, named WINDOWs, frames) and QUALIFY: one Window node per (PARTITION BY, ORDER BY)
//	bind_fill.go      fill()'s rules: one ORDER BY key, value and key numeric or temporal
//	bind_window_named.go  named aggregates (median, stddev, arg_min, ...) as window functions, with FILTER
//	bind_window_argorder.go  ORDER BY inside a window call's arguments: fill's key; ignored by order-insensitive aggregates
//	bind_mad.go       mad()'s result type
//	bind_if.go        if(cond, a, b) as a CASE
//	session.go        SessionSettings: integer_division and default_null_order, read from the Catalog
//	bind_window_filter.go  FILTER (WHERE f) on window aggregates, as agg(CASE WHEN f THEN x END)
//	bind_subquery.go  EXISTS, IN and scalar subqueries, decorrelated into joins
//	decorrelate.go    general decorrelation (Neumann/Kemper dependent-join elimination): free columns, D, IS NOT DISTINCT FROM keys
//	decorrelate_push.go  pushing D down a subquery plan: filters, projections, aggregates (the COUNT bug), joins, unions
//	decorrelate_recursive.go  pushing D into a recursive CTE: its working table carries D's columns
//	decorrelate_ops.go  pushing D through UNNEST, windows and LIMIT/OFFSET; grouping by nested D columns (encoded keys)
//	decorrelate_bind.go  scalar, EXISTS and IN subqueries anywhere in an expression, through dependent joins
//	decorrelate_quant.go x op ANY|ALL (subquery) for every comparison
//	bind_lateral.go   LATERAL joins (also implicit) as dependent joins
//	bind_recursive.go WITH RECURSIVE: anchor UNION [ALL] step, the working table inside the step
//	bind_series.go    range and generate_series, constant INTERVALs of any unit
//	bind_cte.go       WITH queries computed once when read more than once
//	bind_nested.go    LIST/STRUCT/MAP access, and nested values through joins
//	bind_nested_more.go nested columns through UNNEST, windows, unions and join conditions; = and <> on nested values; ORDER BY nested columns (sort keys)
//	bind_list.go      [..] and {..} literals, list_value/struct_pack, slices, casts of nested types, list functions, lambdas
//	bind_unnest.go    unnest in the SELECT list (zipped; STRUCTs expand into columns) and in FROM
//	bind_tablefunc.go read_parquet options, parquet_metadata/schema/inspect
//	tablefunc.go      constant arguments of table functions and COPY options
//	bind_csv.go       read_csv/read_csv_auto and FROM 'x.csv' (storage/csv), its options
//	bind_json.go      read_json/read_json_auto/read_ndjson options (storage/jsonfmt)
//	params.go         parameters: Arg, binding, Instantiate
//	coerce.go         common types, casts of constants
//	bind_trycast.go   TRY_CAST: folded constants, or a Cast whose failures are NULL
//	bind_kinds.go     arithmetic types of the small/unsigned integers and FLOAT (literals adapt, mixed signs widen)
//	bind_blob.go      octet_length of a BLOB; text functions without a BLOB overload fail to bind
package sql
