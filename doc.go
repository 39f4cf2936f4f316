// Package peregrine is an embedded analytical SQL engine over Parquet files.
//
//	db, err := peregrine.Open("path/to/dir") // each NAME.parquet or folder is a table
//	rows, err := db.Query(ctx, "SELECT count(*) FROM lineitem WHERE l_quantity < ?", 24)
//
// Importing the package also registers the database/sql driver "peregrine"
// (DSN: a directory, or "" for an in-memory database; options as
// "dir?threads=4&memory_limit=2GB").
//
// Files:
//
//	peregrine.go         Open, DB, running a statement: queries, SHOW/DESCRIBE, EXPLAIN, COPY, writes
//	settings.go          per-database limits (memory, threads, temp directory) and SET
//	session.go           Conn: one session (its own memory limit) of a database
//	session_settings.go  integer_division, default_null_order as the binder reads them
//	sandbox.go           settings for SQL one does not trust (allowed_directories, external access, lock)
//	secrets.go           CREATE SECRET's credentials for object stores, persistent secrets
//	prepare.go           Stmt: prepared statements bound once per combination of argument types
//	rows.go              Rows: a cursor over a result, a batch at a time
//	arrow.go             QueryArrow: results as Arrow records
//	arrow_nested.go      LIST, STRUCT and MAP as Arrow types
//	arrow_register.go    RegisterArrowTable/RegisterArrowReader/Unregister: Go's Arrow data as tables
//	appender.go          Appender: bulk loading from Go
//	decimal.go           Decimal: exact DECIMAL values through database/sql
//	driver.go            the database/sql driver "peregrine"
//	driver_multi.go      several statements in one database/sql query
//	ddl.go               the database's own tables and views (CREATE, DROP), queryCatalog, introspection
//	ddl_dir.go           a directory database's files and catalog file (views, macros)
//	macros.go            CREATE/DROP MACRO, kept with the views
//	indexes.go           CREATE [UNIQUE] INDEX / DROP INDEX: names, and a UNIQUE index's key
//	dml.go               INSERT (and COPY FROM) into the database's tables, constraint checks
//	dml_returning.go     INSERT ... RETURNING: the list over the inserted rows
//	dml_conflict.go      INSERT ... ON CONFLICT DO NOTHING and INSERT OR IGNORE
//	dml_update.go        UPDATE and DELETE over a table's snapshot
//	alter.go             ALTER TABLE
//	tables_file.go       folder tables: atomic appends and rewrites of a table's files
//	tables_adopt.go      a NAME.parquet table made a folder table when first written
//	copy.go              COPY ... TO: Parquet, partitioned writes
//	copy_text.go         COPY ... TO csv and json
//	runplan.go           plans the binder needs rows of first (PIVOT)
//	progress.go          Progress: how far running queries have got
//	distributed.go       distributed execution over fragments
//	ipc.go               what the distributed fragments send each other
package peregrine
