package main

import (
	"database/sql"
	"fmt"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// complete fills in the expected results of a sqllogictest file
// (../../testdata/sql/*.slt) from DuckDB, the reference for Peregrine's SQL
// results: each `query` record gets DuckDB's rows, each `statement` record
// `ok` or `error` as DuckDB answers it (with the first line of DuckDB's
// message after ---- when the record has a ---- section). Records marked `# duckdb: skip` keep
// what they have (a Peregrine-only statement). The value format is the one
// the root package's TestSQLLogic prints: NULL, (empty), true/false, exact
// decimals, dates as YYYY-MM-DD, floats in Go's shortest form.
func complete(db *sql.DB, path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var out strings.Builder
	for _, rec := range strings.Split(strings.TrimRight(string(raw), "\n")+"\n", "\n\n") {
		rec = strings.Trim(rec, "\n")
		if rec == "" {
			continue
		}
		lines := strings.Split(rec, "\n")
		head := 0
		for head < len(lines) && strings.HasPrefix(lines[head], "#") {
			head++
		}
		if head == len(lines) || strings.Contains(rec, "# duckdb: skip") {
			out.WriteString(rec + "\n\n")
			continue
		}
		words := strings.Fields(lines[head])
		body := lines[head+1:]
		for i, l := range body {
			if l == "----" {
				body = body[:i]
				break
			}
		}
		// A statement record with a ---- section wants DuckDB's message.
		wantMessage := len(body) < len(lines[head+1:])
		text := strings.Join(body, "\n")
		out.WriteString(strings.Join(lines[:head], "\n"))
		if head > 0 {
			out.WriteString("\n")
		}
		switch words[0] {
		case "statement":
			verdict, message := "ok", ""
			if _, err := db.Exec(text); err != nil {
				verdict = "error"
				first, _, _ := strings.Cut(err.Error(), "\n")
				message = "----\n" + first + "\n"
			}
			if !wantMessage {
				message = ""
			}
			fmt.Fprintf(&out, "statement %s\n%s\n%s\n", verdict, text, message)
		case "query":
			rows, letters, err := queryRows(db, text)
			if err != nil {
				return fmt.Errorf("%s: %q: %w", path, text, err)
			}
			if len(words) > 2 && words[2] == "rowsort" {
				sort.Strings(rows)
			}
			if len(words) < 2 {
				words = append(words, "")
			}
			words[1] = letters
			fmt.Fprintf(&out, "%s\n%s\n----\n", strings.Join(words, " "), text)
			for _, r := range rows {
				out.WriteString(r + "\n")
			}
			out.WriteString("\n")
		default:
			return fmt.Errorf("%s: unknown record %q", path, lines[head])
		}
	}
	return os.WriteFile(path, []byte(strings.TrimRight(out.String(), "\n")+"\n"), 0o644)
}

// queryRows runs text and prints its rows, with sqllogictest's letter for
// each column's type.
func queryRows(db *sql.DB, text string) ([]string, string, error) {
	rows, err := db.Query(text)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	cts, _ := rows.ColumnTypes()
	letters := make([]byte, len(cts))
	typeNames := make([]string, len(cts))
	var casts []string
	nested := false
	for i, ct := range cts {
		typeNames[i] = ct.DatabaseTypeName()
		letters[i] = typeLetter(typeNames[i])
		c := fmt.Sprintf("#%d", i+1)
		if isNestedType(typeNames[i]) {
			// The driver hands nested values over as Go maps and slices
			// (struct field order lost, floats and strings printed as Go
			// does): print them as DuckDB's own VARCHAR cast instead.
			c, typeNames[i], nested = "CAST("+c+" AS VARCHAR)", "VARCHAR", true
		}
		casts = append(casts, c)
	}
	if nested {
		rows.Close()
		q := "SELECT " + strings.Join(casts, ", ") + " FROM (" + strings.TrimRight(strings.TrimSpace(text), ";") + "\n) AS sltq"
		if rows, err = db.Query(q); err != nil {
			return nil, "", err
		}
		defer rows.Close()
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, "", err
		}
		parts := make([]string, len(cols))
		for i, v := range vals {
			parts[i] = sltValue(v, typeNames[i])
		}
		out = append(out, strings.Join(parts, "\t"))
	}
	return out, string(letters), rows.Err()
}

// isNestedType reports a LIST, ARRAY, STRUCT, MAP or UNION type name.
func isNestedType(name string) bool {
	return strings.HasSuffix(name, "]") || strings.HasPrefix(name, "STRUCT") || strings.HasPrefix(name, "MAP") || strings.HasPrefix(name, "UNION")
}

// typeLetter is sqllogictest's letter for a DuckDB type: I for integers, R
// for floating-point and decimal numbers, T for everything else.
func typeLetter(name string) byte {
	if isNestedType(name) {
		return 'T'
	}
	if strings.HasPrefix(name, "DECIMAL") || name == "FLOAT" || name == "DOUBLE" {
		return 'R'
	}
	switch name {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT":
		return 'I'
	}
	return 'T'
}

func sltValue(v any, typ string) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		if x == "" {
			return "(empty)"
		}
		return x
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if typ == "DATE" {
			return x.Format("2006-01-02")
		}
		if x.Nanosecond() == 0 {
			return x.Format("2006-01-02 15:04:05")
		}
		return strings.TrimRight(x.Format("2006-01-02 15:04:05.000000"), "0")
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case duckdb.Decimal:
		return decimalString(x.Value, int(x.Scale))
	case *big.Int:
		return x.String()
	}
	return fmt.Sprint(v)
}

func decimalString(v *big.Int, scale int) string {
	s := new(big.Int).Abs(v).String()
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if v.Sign() < 0 {
		s = "-" + s
	}
	return s
}
