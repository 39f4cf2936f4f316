package main

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// runner executes one file's records on a single connection.
type runner struct {
	conn          *sql.Conn
	timeout       time.Duration
	sqlite        bool
	hashThreshold int
	labels        map[string]string
}

// exec runs SQL and drains any rows it returns.
func (r *runner) exec(q string) error {
	_, _, err := r.rows(q)
	return err
}

// rows runs SQL and returns its printed values (row-major) and column types.
func (r *runner) rows(q string) (vals []string, types []string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("PANIC: %v", p)
		}
	}()
	rs, err := r.conn.QueryContext(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	defer rs.Close()
	cts, err := rs.ColumnTypes()
	if err != nil {
		return nil, nil, err
	}
	for _, c := range cts {
		types = append(types, c.DatabaseTypeName())
	}
	dest := make([]any, len(cts))
	ptrs := make([]any, len(cts))
	for i := range dest {
		ptrs[i] = &dest[i]
	}
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		for i, v := range dest {
			vals = append(vals, formatValue(v, types[i], r.sqlite))
		}
	}
	return vals, types, rs.Err()
}

// statement runs a statement record; it returns "" on success, else why not.
func (r *runner) statement(rec record) string {
	err := r.exec(rec.SQL)
	switch {
	case rec.Maybe:
		return ""
	case rec.WantErr && err == nil:
		return "expected an error"
	case rec.WantErr:
		if rec.ErrText != "" && !errorMatches(err.Error(), rec.ErrText) {
			return fmt.Sprintf("error %q does not contain %q", firstLine(err.Error()), rec.ErrText)
		}
		return ""
	case err != nil:
		return firstLine(err.Error())
	}
	return ""
}

// errorMatches checks an expected error as DuckDB's runner does: a
// substring, or a <REGEX>: pattern.
func errorMatches(got, want string) bool {
	if p, ok := strings.CutPrefix(want, "<REGEX>:"); ok {
		re, err := regexp.Compile("(?s)" + p)
		return err == nil && re.MatchString(got)
	}
	return strings.Contains(got, want)
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// query runs a query record; it returns "" when the result matches, else
// a message and a short cause used to rank failures.
func (r *runner) query(rec record) (msg, cause string) {
	vals, types, err := r.rows(rec.SQL)
	if err != nil {
		return "error: " + firstLine(err.Error()), causeOf(err.Error())
	}
	ncol := len(types)
	if ncol != len(rec.Types) && len(rec.Types) > 0 {
		// DuckDB's runner goes on with the result's column count; only a
		// hash or value mismatch fails the record.
		_ = ncol
	}
	sortResult(vals, ncol, rec.Sort)
	hashMode := rec.Label != "" || (r.hashThreshold > 0 && len(vals) > r.hashThreshold)
	if len(rec.Expected) == 1 && isHashLine(rec.Expected[0]) {
		hashMode = true
	}
	if hashMode {
		h := hashValues(vals)
		want := ""
		if len(rec.Expected) == 1 && isHashLine(rec.Expected[0]) {
			want = rec.Expected[0]
		}
		if rec.Label != "" {
			if prev, ok := r.labels[rec.Label]; ok {
				want = prev
			} else {
				r.labels[rec.Label] = h
				if want == "" {
					return "", ""
				}
			}
		}
		if want == "" && len(rec.Expected) > 0 {
			want = hashValues(expectedValues(rec.Expected, ncol, len(vals)/max(ncol, 1)))
		}
		if h != want {
			return fmt.Sprintf("hash mismatch: got %s, want %s", h, want), "wrong result (hash)"
		}
		return "", ""
	}
	nrows := 0
	if ncol > 0 {
		nrows = len(vals) / ncol
	}
	want := expectedValues(rec.Expected, ncol, nrows)
	if len(want) != len(vals) {
		return fmt.Sprintf("wrong value count: got %d (%d rows), want %d\n  got: %s", len(vals), nrows, len(want), preview(vals)), "wrong row count"
	}
	for i := range vals {
		if !valuesMatch(vals[i], want[i], types[i%max(ncol, 1)]) {
			return fmt.Sprintf("wrong value at row %d col %d: got %q want %q (type %s)", i/max(ncol, 1)+1, i%max(ncol, 1)+1,
				vals[i], want[i], types[i%max(ncol, 1)]), "wrong value"
		}
	}
	return "", ""
}

func preview(v []string) string {
	if len(v) > 12 {
		return strings.Join(v[:12], " | ") + " ..."
	}
	return strings.Join(v, " | ")
}

var (
	quoted = regexp.MustCompile(`"[^"]*"|'[^']*'`)
	digits = regexp.MustCompile(`[0-9]+`)
)

// causeOf reduces an error message to a rankable cause: the first line with
// quoted names and numbers blanked out.
func causeOf(msg string) string {
	l := firstLine(msg)
	l = quoted.ReplaceAllString(l, "'…'")
	l = digits.ReplaceAllString(l, "N")
	if len(l) > 110 {
		l = l[:110]
	}
	return l
}
