package main

import (
	"database/sql"
	"fmt"
	"os"
	"strings"
)

// completeErrors fills in the expected error texts of a bad-input file
// (../../testdata/parser/errors.txt) from DuckDB: records are separated by
// a line `====`, each is the input, a line `----` and DuckDB's error text
// (message and LINE/caret context, exactly as DuckDB words them). Comment
// lines (#) before the input are kept. An input DuckDB accepts, or rejects
// with something other than a parser error, is reported on stderr and kept
// with `# duckdb: <what it said>`, so a reviewer can drop or rewrite it.
func completeErrors(db *sql.DB, path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var out strings.Builder
	for _, rec := range strings.Split(string(raw), "\n====\n") {
		rec = strings.Trim(rec, "\n")
		if rec == "" {
			continue
		}
		lines := strings.Split(rec, "\n")
		var comments, body []string
		for _, l := range lines {
			if l == "----" {
				break
			}
			if len(body) == 0 && strings.HasPrefix(l, "#") {
				if !strings.HasPrefix(l, "# duckdb:") {
					comments = append(comments, l)
				}
				continue
			}
			body = append(body, l)
		}
		input := strings.Join(body, "\n")
		msg := "(accepted)"
		if _, err := db.Prepare(input); err != nil {
			msg = err.Error()
		}
		for _, c := range comments {
			out.WriteString(c + "\n")
		}
		if !strings.HasPrefix(msg, "Parser Error: ") {
			fmt.Fprintf(os.Stderr, "%s: not a parser error in DuckDB: %q: %s\n", path, input, firstLine(msg))
			fmt.Fprintf(&out, "# duckdb: %s\n", firstLine(msg))
		}
		fmt.Fprintf(&out, "%s\n----\n%s\n====\n", input, msg)
	}
	return os.WriteFile(path, []byte(out.String()), 0o644)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
