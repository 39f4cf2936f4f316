package peregrine_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// TestSQLLogic runs the sqllogictest files under testdata/sql against the
// TPC-H SF 0.01 tables. Their expected results come from DuckDB, the
// reference for SQL semantics: `go run ./bench/duckdb -data
// testdata/tpch-sf0.01-duckdb -complete testdata/sql/*.slt` (from the
// bench/duckdb module) rewrites them. A record is
//
//	statement ok|error
//	SQL
//
// optionally followed, for `statement error`, by
//
//	----
//	the first line of DuckDB's error message
//
// which the error must match exactly, or
//
//	query <column types> [rowsort]
//	SQL
//	----
//	values separated by tabs, one row a line
//
// with NULL, (empty) for the empty string, true/false, exact decimals and
// floats in Go's shortest form (compared with a relative tolerance). The
// column types are a letter a column (I integer, R float or decimal, T any
// other type), written by -complete from DuckDB's result types and checked.
// Each file runs on a fresh database over the TPC-H tables, in order.
func TestSQLLogic(t *testing.T) {
	files, err := filepath.Glob("testdata/sql/*.slt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sqllogictest files: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".slt"), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			db := sltDatabase(t)
			for _, r := range parseSLT(string(raw)) {
				r.run(t, db, f)
			}
		})
	}
}

// sltDatabase opens a fresh database for one file: a temporary folder
// linking the TPC-H SF 0.01 tables, so that what a file creates, changes or
// drops stays out of testdata and out of the other files.
func sltDatabase(t *testing.T) *peregrine.DB {
	t.Helper()
	dir := t.TempDir()
	src, err := filepath.Abs(duckdbSF001)
	if err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if err := os.Symlink(filepath.Join(src, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	db, err := peregrine.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

type sltRecord struct {
	line    int
	kind    string // statement, query
	verdict string // ok, error (statements)
	rowsort bool
	types   string // queries: one letter a column (I integer, R float or decimal, T other)
	sql     string
	want    []string
}

func parseSLT(text string) []sltRecord {
	var out []sltRecord
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		w := strings.Fields(l)
		r := sltRecord{line: i + 1, kind: w[0]}
		if r.kind == "statement" && len(w) > 1 {
			r.verdict = w[1]
		}
		r.rowsort = len(w) > 2 && w[2] == "rowsort"
		if r.kind == "query" && len(w) > 1 {
			r.types = w[1]
		}
		var body []string
		for i++; i < len(lines) && lines[i] != "" && lines[i] != "----"; i++ {
			body = append(body, lines[i])
		}
		r.sql = strings.Join(body, "\n")
		if i < len(lines) && lines[i] == "----" {
			for i++; i < len(lines) && lines[i] != ""; i++ {
				r.want = append(r.want, lines[i])
			}
		}
		out = append(out, r)
	}
	return out
}

func (r sltRecord) run(t *testing.T, db *peregrine.DB, file string) {
	t.Helper()
	ctx := context.Background()
	where := file + ":" + strconv.Itoa(r.line)
	switch r.kind {
	case "statement":
		err := db.Exec(ctx, r.sql)
		if (err == nil) != (r.verdict == "ok") {
			t.Errorf("%s: statement %s, got error %v\n%s", where, r.verdict, err, r.sql)
			return
		}
		if err != nil && len(r.want) > 0 {
			if got, _, _ := strings.Cut(err.Error(), "\n"); got != r.want[0] {
				t.Errorf("%s: %s\ngot error:  %s\nwant error: %s", where, r.sql, got, r.want[0])
			}
		}
	case "query":
		got, floats, types, err := sltQuery(ctx, db, r.sql)
		if err != nil {
			t.Errorf("%s: %v\n%s", where, err, r.sql)
			return
		}
		if types != r.types {
			t.Errorf("%s: %s\ngot column types %s, want %s", where, r.sql, types, r.types)
		}
		if r.rowsort {
			sort.Strings(got)
		}
		if !sltEqual(got, r.want, floats) {
			t.Errorf("%s: %s\ngot:\n%s\nwant:\n%s", where, r.sql, strings.Join(got, "\n"), strings.Join(r.want, "\n"))
		}
	default:
		t.Errorf("%s: unknown record %q", where, r.kind)
	}
}

// sltRows runs q and prints its rows; floats marks the DOUBLE columns.
func sltRows(ctx context.Context, db *peregrine.DB, q string) (out []string, floats []bool, err error) {
	out, floats, _, err = sltQuery(ctx, db, q)
	return out, floats, err
}

// sltQuery is sltRows with the columns' type letters (sltTypeLetter).
func sltQuery(ctx context.Context, db *peregrine.DB, q string) (out []string, floats []bool, types string, err error) {
	rows, err := db.Query(ctx, q)
	if err != nil {
		return nil, nil, "", err
	}
	return sltCollect(ctx, rows)
}

// sltCollect prints rows' batches as sltQuery does, and closes rows.
func sltCollect(ctx context.Context, rows *peregrine.Rows) (out []string, floats []bool, types string, err error) {
	defer rows.Close()
	letters := make([]byte, 0, len(rows.Columns()))
	for _, c := range rows.Columns() {
		floats = append(floats, c.Type.ID == coldata.Float64)
		letters = append(letters, sltTypeLetter(c.Type))
	}
	for {
		b, err := rows.Next(ctx)
		if err != nil {
			return nil, nil, "", err
		}
		if b == nil {
			return out, floats, string(letters), nil
		}
		for k := range b.Len() {
			row := b.Row(k)
			parts := make([]string, len(row))
			for c, d := range row {
				parts[c] = sltValue(b.Vecs[c].Type, d)
			}
			out = append(out, strings.Join(parts, "\t"))
		}
	}
}

// sltTypeLetter is sqllogictest's column type: I for integers, R for
// floating-point and decimal numbers, T for everything else (the letters
// bench/duckdb's -complete writes from DuckDB's result types).
func sltTypeLetter(t coldata.Type) byte {
	if t.Kind == coldata.KindTime {
		return 'T' // TIME is stored in Int64
	}
	switch t.ID {
	case coldata.Int32, coldata.Int64, coldata.Hugeint, coldata.Unknown:
		// DuckDB's client API reports a column of bare NULLs as INTEGER.
		return 'I'
	case coldata.Float64, coldata.Decimal:
		return 'R'
	}
	return 'T'
}

func sltValue(t coldata.Type, d coldata.Datum) string {
	if d.Null {
		return "NULL"
	}
	switch t.ID {
	case coldata.String:
		if d.S == "" {
			return "(empty)"
		}
	case coldata.Float64:
		if t.Kind == coldata.KindFloat {
			return strconv.FormatFloat(d.F, 'g', -1, 32) // FLOAT: float32 digits
		}
		return strconv.FormatFloat(d.F, 'g', -1, 64)
	}
	return coldata.Format(t, d)
}

// sltEqual compares rows cell by cell; DOUBLE values may differ in the last
// bits (summation order).
func sltEqual(got, want []string, floats []bool) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := strings.Split(got[i], "\t"), strings.Split(want[i], "\t")
		if len(g) != len(w) {
			return false
		}
		for j := range g {
			if g[j] == w[j] {
				continue
			}
			if j >= len(floats) || !floats[j] {
				return false
			}
			a, err1 := strconv.ParseFloat(g[j], 64)
			b, err2 := strconv.ParseFloat(w[j], 64)
			if err1 != nil || err2 != nil || math.Abs(a-b) > 1e-9*math.Max(math.Abs(a), math.Abs(b)) {
				return false
			}
		}
	}
	return true
}
