package sql

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/sql/parser"
	"github.com/peregrinedb/peregrine/storage"
)

func testCatalog(t testing.TB) *storage.Catalog {
	cat, err := storage.Open(filepath.Join("..", "testdata", "tpch-sf0.01-duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	return cat
}

// prepare parses and binds text (a query, or any statement).
func prepare(cat Catalog, text string) error {
	st, err := Parse(text)
	if err != nil {
		return err
	}
	var q *Query
	switch s := st.(type) {
	case *Query:
		q = s
	case *Explain:
		q = s.Query
	case *Describe:
		q = s.Query
	case *Copy:
		q = s.Query
	}
	if q != nil {
		_, err = Bind(q, cat)
	}
	return err
}

var rewriteNotImplemented = flag.Bool("rewrite", false, "rewrite testdata/sql/not_implemented.txt: drop the statements that now bind, update the messages that changed")

// TestNotImplemented checks that constructs the engine cannot run yet fail
// with "Not implemented Error" at their position (testdata/sql/not_implemented.txt).
// With -rewrite, a statement that now binds leaves the file and a changed
// message is written in (review the diff: only "Not implemented" and
// catalog errors belong there).
func TestNotImplemented(t *testing.T) {
	path := filepath.Join("..", "testdata", "sql", "not_implemented.txt")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cat := testCatalog(t)
	var kept []string
	for _, rec := range strings.Split(string(raw), "\n====\n") {
		body, want, ok := strings.Cut(strings.Trim(rec, "\n"), "\n----\n")
		if !ok {
			kept = append(kept, strings.Trim(rec, "\n"))
			continue
		}
		var lines []string
		for _, l := range strings.Split(body, "\n") {
			if !strings.HasPrefix(l, "#") {
				lines = append(lines, l)
			}
		}
		in := strings.Join(lines, "\n")
		err := prepare(cat, in)
		if err == nil || err.Error() != want {
			if *rewriteNotImplemented {
				if err != nil {
					kept = append(kept, body+"\n----\n"+err.Error())
				}
				continue
			}
			t.Errorf("%s\ngot:\n%v\nwant:\n%s", in, err, want)
		}
		kept = append(kept, strings.Trim(rec, "\n"))
	}
	if *rewriteNotImplemented {
		if err := os.WriteFile(path, []byte(strings.Join(kept, "\n====\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCorpusNeverSyntaxError binds every statement of the parser's corpus:
// whatever DuckDB's dialect allows must fail, when the engine cannot run
// it, with a binder, catalog or "Not implemented" error, never a parser
// error or a panic.
func TestCorpusNeverSyntaxError(t *testing.T) {
	cat := testCatalog(t)
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "parser", "*.sql"))
	n := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pieces, err := parser.Split(string(raw))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pieces {
			n++
			err := prepare(cat, p.Text)
			if err != nil && strings.HasPrefix(err.Error(), "Parser Error") {
				t.Errorf("%s: %s\n%v", f, p.Text, err)
			}
		}
	}
	if n < 500 {
		t.Errorf("only %d statements", n)
	}
}
