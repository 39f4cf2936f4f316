package main

import (
	"database/sql"
	"fmt"
	"io"
	"os"
	"strings"
)

// runScript runs every statement of script in DuckDB and prints, for each,
// its column names and DuckDB types, its rows ('|'-separated, NULL for
// NULL) or `Error: <DuckDB's message>`: the reference answer for a quick
// question about DuckDB's behaviour.
func runScript(db *sql.DB, script string, w io.Writer) {
	for _, st := range splitScript(script) {
		fmt.Fprintf(w, "> %s\n", oneLine(st))
		rows, err := db.Query(st)
		if err != nil {
			fmt.Fprintf(w, "Error: %v\n", err)
			continue
		}
		cols, _ := rows.Columns()
		types, _ := rows.ColumnTypes()
		head := make([]string, len(cols))
		names := make([]string, len(cols))
		for i, c := range cols {
			names[i] = types[i].DatabaseTypeName()
			head[i] = c + ":" + names[i]
		}
		fmt.Fprintln(w, strings.Join(head, " | "))
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				fmt.Fprintf(w, "Error: %v\n", err)
				break
			}
			parts := make([]string, len(cols))
			for i, v := range vals {
				parts[i] = sltValue(v, names[i])
			}
			fmt.Fprintln(w, strings.Join(parts, " | "))
		}
		if err := rows.Err(); err != nil {
			fmt.Fprintf(w, "Error: %v\n", err)
		}
		rows.Close()
	}
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// splitScript cuts a script at semicolons outside quotes and comments.
func splitScript(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'' || c == '"':
			for i++; i < len(s) && s[i] != c; i++ {
			}
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			if j := strings.Index(s[i+2:], "*/"); j >= 0 {
				i += j + 3
			} else {
				i = len(s)
			}
		case c == ';':
			out = appendStmt(out, s[start:i])
			start = i + 1
		}
	}
	return appendStmt(out, s[start:])
}

func appendStmt(out []string, st string) []string {
	if st = strings.TrimSpace(st); st != "" {
		out = append(out, st)
	}
	return out
}

func scriptFrom(text string) (string, error) {
	if text != "" {
		return text, nil
	}
	b, err := io.ReadAll(os.Stdin)
	return string(b), err
}
