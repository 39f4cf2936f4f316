package main

import (
	"strconv"
	"strings"
)

// recordKind says what a parsed record asks the runner to do.
type recordKind int

const (
	recStatement recordKind = iota
	recQuery
	recHashThreshold
	recLoop    // loop or foreach: Loop holds the variable and its values
	recEndLoop // closes the innermost loop
	recSkipFile
	recHalt
)

// record is one sqllogictest record after its skipif/onlyif conditions
// have been applied (records meant for other systems are dropped by parse).
type record struct {
	Kind     recordKind
	Line     int    // 1-based line of the record's header
	SQL      string // statement or query text
	WantErr  bool   // statement error
	ErrText  string // expected error text for statement error, if any
	Maybe    bool   // statement maybe: either outcome passes
	Types    string // query column letters, e.g. "IIR"
	Sort     string // "nosort", "rowsort" or "valuesort"
	Label    string // query label: results compared to the label's first hash
	Expected []string
	N        int // hash-threshold
	LoopVar  string
	LoopVals []string
	Reason   string // why a file is skipped
}

// parseOptions say how conditions are evaluated.
type parseOptions struct {
	// sqliteMode: every onlyif/skipif names a system, and "postgresql"
	// counts as our own system too (DuckDB's handling of SQLite's files).
	sqliteMode bool
	// requireOK reports whether a `require X` is met; unmet requires skip
	// the rest of the file.
	requireOK func(string) bool
}

// parse splits a sqllogictest file into records. Records are separated by
// blank lines; lines starting with # are comments.
func parse(text string, opt parseOptions) []record {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var out []record
	skipLevel := 0
	for i := 0; i < len(lines); {
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			i++
			continue
		}
		start := i
		skip := false
		f := strings.Fields(line)
		for f[0] == "skipif" || f[0] == "onlyif" {
			if len(f) > 1 && !opt.sqliteMode && conditionIsNotSystem(f[1]) {
				// `skipif config=...` style conditions: we never match them.
				if f[0] == "onlyif" {
					skip = true
				}
			} else if len(f) > 1 {
				sys := strings.ToLower(f[1])
				ours := sys == "duckdb" || (opt.sqliteMode && sys == "postgresql")
				if ours == (f[0] == "skipif") {
					skip = true
				}
			}
			i++
			if i >= len(lines) {
				return out
			}
			f = strings.Fields(strings.TrimSpace(lines[i]))
			if len(f) == 0 {
				f = []string{""}
			}
		}
		i++ // past the header
		body, next := block(lines, i)
		i = next
		if f[0] == "mode" && len(f) > 1 {
			switch f[1] {
			case "skip":
				skipLevel++
			case "unskip":
				skipLevel--
			}
			continue
		}
		if skip || skipLevel > 0 {
			continue
		}
		r := record{Line: start + 1}
		switch f[0] {
		case "statement":
			r.Kind = recStatement
			r.WantErr = len(f) > 1 && f[1] == "error"
			r.Maybe = len(f) > 1 && f[1] == "maybe"
			sqlPart, res := splitResult(body)
			r.SQL = strings.Join(sqlPart, "\n")
			r.ErrText = strings.Join(res, "\n")
		case "query":
			r.Kind = recQuery
			if len(f) > 1 {
				r.Types = f[1]
			}
			r.Sort = "nosort"
			if len(f) > 2 {
				switch f[2] {
				case "nosort", "rowsort", "valuesort":
					r.Sort = f[2]
				}
			}
			if len(f) > 3 {
				r.Label = f[3]
			}
			sqlPart, res := splitResult(body)
			r.SQL = strings.Join(sqlPart, "\n")
			r.Expected = res
		case "hash-threshold":
			r.Kind = recHashThreshold
			if len(f) > 1 {
				r.N, _ = strconv.Atoi(f[1])
			}
		case "loop", "concurrentloop":
			if len(f) < 4 {
				continue
			}
			a, _ := strconv.Atoi(f[2])
			b, _ := strconv.Atoi(f[3])
			r.Kind, r.LoopVar = recLoop, f[1]
			for v := a; v < b; v++ {
				r.LoopVals = append(r.LoopVals, strconv.Itoa(v))
			}
		case "foreach", "concurrentforeach":
			if len(f) < 3 {
				continue
			}
			r.Kind, r.LoopVar = recLoop, f[1]
			r.LoopVals = expandForeach(f[2:])
		case "endloop":
			r.Kind = recEndLoop
		case "require":
			if len(f) > 1 && (opt.requireOK == nil || !opt.requireOK(strings.Join(f[1:], " "))) {
				r.Kind, r.Reason = recSkipFile, "require "+strings.Join(f[1:], " ")
			} else {
				continue
			}
		case "halt":
			r.Kind = recHalt
		case "load", "restart", "reconnect":
			// Each file already runs on a fresh in-memory database; a
			// restart of an in-memory database would lose its tables, which
			// DuckDB's runner keeps by reloading, so the records are skipped
			// and the file goes on with the same connection.
			continue
		default:
			// set, tags, sleep, unzip, test-env, ...: nothing to do here.
			continue
		}
		out = append(out, r)
	}
	return out
}

// conditionIsNotSystem reports whether an onlyif/skipif parameter is a
// condition on the configuration (e.g. "<REGEX>" or "config=x") rather than
// a system name.
func conditionIsNotSystem(p string) bool {
	return strings.ContainsAny(p, "=<>")
}

// block returns the lines from i up to the next blank line, and the index
// after it.
func block(lines []string, i int) ([]string, int) {
	var body []string
	for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
		body = append(body, strings.TrimRight(lines[i], "\r"))
		i++
	}
	return body, i
}

// splitResult splits a record body at its "----" separator.
func splitResult(body []string) (sqlPart, result []string) {
	for k, l := range body {
		if strings.TrimSpace(l) == "----" {
			return body[:k], body[k+1:]
		}
	}
	return body, nil
}

// expandForeach expands DuckDB's foreach value groups such as <numeric>
// into concrete type names; plain values stay as they are.
func expandForeach(vals []string) []string {
	groups := map[string][]string{
		"<integral>":          {"tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint", "usmallint", "uinteger", "ubigint", "uhugeint"},
		"<signed>":            {"tinyint", "smallint", "integer", "bigint", "hugeint"},
		"<unsigned>":          {"utinyint", "usmallint", "uinteger", "ubigint", "uhugeint"},
		"<numeric>":           {"tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint", "usmallint", "uinteger", "ubigint", "uhugeint", "float", "double"},
		"<alltypes>":          {"bool", "tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint", "usmallint", "uinteger", "ubigint", "uhugeint", "float", "double", "varchar"},
		"<compression>":       {"none", "uncompressed", "rle", "bitpacking", "dictionary", "fsst", "alp", "alprd"},
		"<all_types_columns>": nil,
	}
	var out []string
	for _, v := range vals {
		if g, ok := groups[v]; ok {
			out = append(out, g...)
			continue
		}
		out = append(out, v)
	}
	return out
}
