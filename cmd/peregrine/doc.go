// Files of the peregrine command:
//
//	main.go          flags, -c/-f/stdin/REPL dispatch, --version, ~/.peregrinerc
//	shell.go         the session: scripts of SQL and dot commands, one statement's run, .output
//	dot.go           DuckDB's dot commands (.mode, .tables, .schema, .read, .open, .show, ...)
//	repl.go          the line editor (reeflective/readline): prompts, history, Tab
//	complete.go      completion of keywords, tables, columns, functions, paths, dot commands
//	highlight.go     syntax highlighting of keywords, strings, numbers and comments
//	sqltokens.go     the shell's only door to the SQL lexer (splitting, tokens, keywords)
//	progressbar.go   the progress bar of statements running longer than a second
//	render.go        output modes that stream rows (csv, list, line, json, html, insert, ...)
//	box.go           duckbox (fitted to the terminal) and box/table/markdown/latex
//	jsonvalue.go     nested values as JSON
//	inspect.go       peregrine inspect: layout reports, table by table
//	inspect_html.go  peregrine inspect --html: the self-contained HTML report
//	tpch.go          peregrine tpch gen|run|demo
//	ssb.go           peregrine ssb gen|run: the star-schema workload (bench/ssb)
package main
