// Package kernel compiles bound scalar expressions (planner/expr) into
// vectorized evaluators over coldata batches.
//
// Compilation builds a tree of nodes, one per expression node, each owning a
// reusable result vector. Evaluation walks the tree once per batch; every node
// fetches its inputs' typed slices once and runs a tight loop over the live
// rows, so the per-value cost is a few machine instructions with no interface
// call, closure call or allocation. The dispatch on type and operator happens
// once per batch, outside the loops.
//
// Nodes evaluate over an explicit selection (nil = all rows of the batch)
// rather than b.Sel, which lets CASE, COALESCE and AND/OR evaluate a child on
// just the rows still undecided: errors such as overflow can only come from
// rows that actually reach the child, as in DuckDB.
//
// Predicates used as filters compile separately (CompileFilter) into
// selectors that write selection vectors directly: a `col < const` filter
// never materialises a boolean vector.
//
// Evaluators and filters hold scratch state and are not safe for concurrent
// use; each worker compiles its own (compilation is cheap).
//
// Files:
//
//	kernel.go       Compile, Evaluator, the node tree and its dispatch
//	funcs.go        function calls handed to the family implementing them
//	vecutil.go      result vectors, null masks and physical-type helpers
//	errors.go       DuckDB-worded errors (categories and messages)
//	filter.go       CompileFilter: predicates that write selection vectors
//	compare.go      comparisons over every ordered type
//	logic.go        n-ary AND/OR, NOT with three-valued logic
//	in.go           IN lists (scanned, bitmaps, hash sets)
//	like.go         LIKE/ILIKE/GLOB patterns
//	arith.go        integer, decimal and double arithmetic with overflow checks
//	hugeint.go      HUGEINT arithmetic, casts and comparisons
//	kinds.go        TINYINT/SMALLINT/unsigned/FLOAT (coldata.Kind): casts and arithmetic in the
//	                storage type, then a range check (unsigned negation wraps; FLOAT rounds to float32)
//	blob.go         casts between VARCHAR, BLOB and UUID (escapes, validation, UUID <-> 16 bytes)
//	timekinds.go    casts of TIME and TIMESTAMPTZ: VARCHAR, TIMESTAMP/DATE <-> TIMESTAMPTZ
//	                (a relabelling, the session zone being UTC), TIMESTAMP -> TIME
//	bitwise.go      & | xor ~ << >> and pow
//	mathfn.go       abs, negation, round
//	floatfn.go      sqrt, cbrt, exp, ln, log10, log2, ceil, floor
//	intfn.go        gcd, lcm
//	greatest.go     greatest, least
//	cast.go         casts between types; caststr.go: casts to and from VARCHAR
//	castdec.go      decimal strings (exponents, '_' separators) to DECIMAL and integers
//	trycast.go      TRY_CAST: a failing batch retried row by row, failures NULL
//	strfn.go        string functions (length, upper/lower, substring, trim, concat, ...)
//	strops.go       replace, reverse, repeat, pad, split_part, strpos, ascii/chr, md5, ...
//	regexp.go       regexp_matches, regexp_full_match, regexp_replace, regexp_extract
//	regexp_all.go   regexp_extract_all, string_split_regex (VARCHAR[] results); parse_path's node
//	strmore.go      planner/expr/strmore.go's functions: translate, unicode, format_bytes, to_base, bar, sha1/256,
//	                string subscripts, parse_dirname/dirpath/filename, the _grapheme functions
//	strsim.go       levenshtein, damerau_levenshtein, jaro(_winkler), jaccard, hamming
//	printf.go       printf (C conversions) and format (fmt fields)
//	parsepath.go    the path functions
//	grapheme.go     grapheme clusters (rivo/uniseg) for the _grapheme functions
//	datetime.go     civil-date conversions, parsing and formatting of dates and timestamps, date parts
//	datefn.go       date_trunc, date_diff, last_day, dayname, monthname, make_date
//	strftime.go     strftime with DuckDB's format codes
//	strptime.go     strptime/try_strptime through strftime's specifier table
//	dateops.go      dispatch of planner/expr/dateops.go's operators
//	datepart.go     date_part for every part, epoch_ms/us/ns, make_timestamp, TIMESTAMP + INTERVAL,
//	                date_trunc with a part per row, ±infinity helpers
//	datesub.go      date_sub: whole parts elapsed
//	timebucket.go   time_bucket with offsets and origins
//	nested.go       struct fields, list elements and lengths, map lookups
//	list.go         building lists: list_value, struct_pack, slices/sort/distinct/flatten, concat/append, range
//	map.go          map(keys, values) with DuckDB's key checks; map_entries/map_from_entries as zero-copy views
//	list_fn.go      element comparisons, list aggregates, position, array_to_string, string_split
//	list_lambda.go  list_transform/filter/reduce (lambda bodies over the elements), casts of nested types
//	list_compile.go compiling the list operators
//	nested_codec.go nested values as VARCHAR bytes for flat-only operators
//	nested_sortkey.go sort keys of LIST/STRUCT values (ORDER BY): VARCHAR bytes in DuckDB's order
//	singlerow.go    a scalar subquery's at-most-one-row check
//	trig.go         the scalar block's dispatch; DOUBLE math (trigonometric, hyperbolic, gamma, log(b,x),
//	                fmod/fdiv, nextafter, even, round_even) and DOUBLE predicates (isnan, isinf, signbit)
//	intmath.go      sign, trunc (with digits), factorial, bit_count over integers, decimals and doubles
//	volatile.go     random, setseed and uuid: never folded; a process-wide seed source reseeded by setseed
//	encode.go       sha1, sha256, md5_number, hash, base64, hex/unhex, bin/unbin
//	jsonscan.go     a JSON scanner over text: validation, paths ($.a[0], /a/0), navigation, DuckDB's re-serialization
//	json.go         the JSON functions: extraction, json_type/array_length/keys/valid, to_json/json_object/json_array
//	jsonstruct.go   json_structure: a value's shape, arrays and objects merged member-wise
package kernel
