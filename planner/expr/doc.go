// Package expr is the bound scalar-expression IR shared by the binder (which
// produces it), the planner (which rewrites it) and the executor (which
// compiles it into vector kernels).
//
// Typing contract, established by the binder so kernels never coerce:
//   - Comparison, Add, Sub, Mod, Coalesce, Case branches and In lists: all
//     operands have the identical Type (the binder inserts Cast nodes).
//   - Mul on decimals may mix scales: the result scale is the sum of the
//     operand scales and the result precision the sum of precisions (capped
//     at 38); a result precision above 18 means the kernel checks overflow.
//   - Div is DOUBLE / DOUBLE → DOUBLE (DuckDB's '/').
//   - And/Or/Not take and return BOOLEAN with SQL three-valued logic.
//
// Files:
//
//	expr.go      the IR: Expr nodes, operators, constructors, Walk/Rewrite, printing
//	nested.go    operators on LIST, STRUCT and MAP values
//	dateparts.go DuckDB's date part names and aliases, resolved once
//	dateops.go   the date/time library's operators (date_part, time_bucket, strptime, TIMESTAMP + INTERVAL, ...)
package expr
