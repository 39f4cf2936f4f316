package main

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// formatValue prints one result value as DuckDB's sqllogictest runner
// does: NULL, (empty) for the empty string, booleans as 1/0, and, in the
// SQLite files, floating and decimal values cast to BIGINT.
func formatValue(v any, dbType string, sqliteMode bool) string {
	if v == nil {
		return "NULL"
	}
	if sqliteMode && isFloatType(dbType) {
		if f, err := strconv.ParseFloat(fmt.Sprint(v), 64); err == nil {
			return strconv.FormatInt(int64(math.RoundToEven(f)), 10)
		}
	}
	var s string
	switch x := v.(type) {
	case bool:
		if x {
			return "1"
		}
		return "0"
	case int64:
		s = strconv.FormatInt(x, 10)
	case float64:
		s = formatDouble(x)
	case float32:
		s = coldata.FormatFloat32(float64(x))
	case uint64:
		s = strconv.FormatUint(x, 10)
	case string:
		s = x
	case []byte:
		// BLOB: DuckDB's text form, \xNN for bytes that are not printable
		s = coldata.FormatBlob(string(x))
	case *big.Int:
		s = x.String()
	case time.Time:
		s = formatTime(x, dbType)
	default:
		s = formatNested(v)
	}
	if s == "" {
		return "(empty)"
	}
	return strings.ReplaceAll(s, "\x00", `\0`)
}

func isFloatType(t string) bool {
	t = strings.ToUpper(t)
	return t == "DOUBLE" || t == "FLOAT" || t == "REAL" || strings.HasPrefix(t, "DECIMAL")
}

// formatDouble prints a DOUBLE as DuckDB casts it to VARCHAR: integral
// values keep a ".0", others use the shortest round-trip form.
func formatDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	a := math.Abs(f)
	if a >= 1e-5 && a < 1e15 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'e', -1, 64)
}

func formatTime(t time.Time, dbType string) string {
	switch strings.ToUpper(dbType) {
	case "DATE":
		return coldata.FormatDate(coldata.DaysFromTime(t))
	case "TIME":
		return t.Format("15:04:05.999999")
	case "TIMESTAMP":
		return coldata.FormatTimestamp(t.UnixMicro())
	case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ":
		return coldata.FormatTimestampTZ(t.UnixMicro())
	}
	return t.Format("2006-01-02 15:04:05.999999")
}

// formatNested prints lists as [a, b] and structs as {'k': v}, strings
// inside them unquoted as DuckDB prints them.
func formatNested(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatNested(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = "'" + k + "': " + formatNested(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return formatDouble(x)
	case peregrine.Decimal:
		return string(x) // with the type's scale, as DuckDB prints it
	}
	return fmt.Sprint(v)
}

// hashValues is sqllogictest's result hash: the MD5 of every value
// followed by a newline, reported with the value count.
func hashValues(vals []string) string {
	h := md5.New()
	for _, v := range vals {
		h.Write([]byte(v))
		h.Write([]byte{'\n'})
	}
	return fmt.Sprintf("%d values hashing to %s", len(vals), hex.EncodeToString(h.Sum(nil)))
}

// isHashLine reports whether an expected result is "N values hashing to <md5>".
func isHashLine(s string) bool {
	n, rest, ok := strings.Cut(s, " values hashing to ")
	if !ok || n == "" || len(rest) != 32 {
		return false
	}
	_, err := strconv.Atoi(n)
	return err == nil
}

// sortResult applies a record's sort mode to the flat value list (row-major).
func sortResult(vals []string, ncol int, mode string) {
	switch mode {
	case "valuesort":
		sort.Strings(vals)
	case "rowsort":
		if ncol == 0 {
			return
		}
		rows := make([][]string, len(vals)/ncol)
		for i := range rows {
			rows[i] = append([]string(nil), vals[i*ncol:(i+1)*ncol]...)
		}
		sort.SliceStable(rows, func(a, b int) bool {
			for c := range ncol {
				if rows[a][c] != rows[b][c] {
					return rows[a][c] < rows[b][c]
				}
			}
			return false
		})
		for i, r := range rows {
			copy(vals[i*ncol:], r)
		}
	}
}

// expectedValues turns a query's expected lines into a flat value list:
// row-wise lines are split at tabs, otherwise every line is one value.
func expectedValues(lines []string, ncol, nrows int) []string {
	rowWise := ncol > 1 && len(lines) == nrows
	if !rowWise && ncol > 1 {
		rowWise = len(lines) > 0
		for _, l := range lines {
			if !strings.Contains(l, "\t") {
				rowWise = false
				break
			}
		}
	}
	if !rowWise {
		return lines
	}
	var out []string
	for _, l := range lines {
		// Empty pieces (a trailing tab) are dropped, as DuckDB's split does;
		// an empty string is written (empty).
		for _, v := range strings.Split(l, "\t") {
			if v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// valuesMatch compares one printed value with an expected one: exactly,
// or for numeric columns as numbers (floats within DuckDB's 1% tolerance),
// or for booleans as true/false against 1/0.
func valuesMatch(got, want, dbType string) bool {
	if got == want {
		return true
	}
	if got == "NULL" || want == "NULL" {
		return false
	}
	t := strings.ToUpper(dbType)
	if t == "BOOLEAN" {
		return boolText(got) == boolText(want) && boolText(got) != ""
	}
	if !isNumericType(t) {
		return false
	}
	// DuckDB's runner casts both texts to the column's type, which
	// tolerates surrounding spaces.
	g, err1 := strconv.ParseFloat(strings.TrimSpace(got), 64)
	w, err2 := strconv.ParseFloat(strings.TrimSpace(want), 64)
	if err1 != nil || err2 != nil {
		return false
	}
	if !isFloatType(t) {
		return g == w
	}
	if math.IsNaN(g) || math.IsNaN(w) {
		return math.IsNaN(g) && math.IsNaN(w)
	}
	return math.Abs(g-w) <= math.Abs(w)*0.01+1e-8
}

func boolText(s string) string {
	switch strings.ToLower(s) {
	case "true", "1":
		return "1"
	case "false", "0":
		return "0"
	}
	return ""
}

func isNumericType(t string) bool {
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "INT", "INT32", "INT64":
		return true
	}
	return isFloatType(t)
}
