// Package ast is Peregrine's SQL syntax tree: what sql/parser produces
// and the binder (package sql) consumes.
//
// Every node is a concrete struct embedding At (its byte offset in the
// statement text, for error positions) and has a String method that prints
// it back as SQL: binary operators fully parenthesized (as DuckDB names
// expression columns), keywords upper case. Parentheses are not nodes, so
// parse -> print -> parse gives the same tree (the parser's round-trip test
// and fuzz target check it). The tree covers DuckDB's dialect whether or
// not the engine runs it yet: window functions, set operations, grouping
// sets, DDL and DML are all here for the binder to grow into.
//
// Files:
//
//	node.go        Node, Statement, Expr, TableExpr, QueryBody; At, Ident, Name, Alias
//	query.go       Query (WITH, body, ORDER BY, LIMIT), Select, SetOp, Values, GroupBy, Sample
//	table.go       FROM items: TableName, TablePath, TableFunc, DerivedTable, Join, Pivot, Unpivot
//	expr.go        expression nodes: literals, parameters, operators (n-ary And/Or), CASE, CAST,
//	               FuncCall (DISTINCT, ORDER BY, FILTER, WITHIN GROUP, IGNORE NULLS, OVER),
//	               lambdas, list/struct/map literals, subscripts, COLUMNS, WindowSpec
//	expr_print.go  String for expressions
//	types.go       TypeName: names with modifiers, STRUCT/MAP/LIST/UNION/ENUM, array suffixes
//	stmt.go        EXPLAIN, DESCRIBE, SHOW, SUMMARIZE, SET/RESET, PRAGMA, COPY, PREPARE/EXECUTE/
//	               DEALLOCATE, transactions, INSTALL/LOAD, ATTACH/DETACH, USE, CHECKPOINT, ...
//	ddl.go         CREATE TABLE/VIEW/MACRO/SCHEMA/SEQUENCE/INDEX/TYPE/SECRET, DROP, ALTER
//	dml.go         INSERT (ON CONFLICT, RETURNING), UPDATE, DELETE
//	printer.go     the printer, identifier and string quoting
//	walk.go        Inspect and Children: generic traversal
package ast
