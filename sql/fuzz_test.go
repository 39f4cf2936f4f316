package sql

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/planner"
	"github.com/peregrinedb/peregrine/sql/parser"
)

// FuzzBind parses, binds and plans arbitrary text against the TPC-H test
// tables, seeded with every statement of the parser's corpus and the
// sqllogictest files: any input must give a plan or an error, never a
// panic.
func FuzzBind(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "parser", "*.sql"))
	slts, _ := filepath.Glob(filepath.Join("..", "testdata", "sql", "*.slt"))
	for _, name := range append(files, slts...) {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		text := string(raw)
		if strings.HasSuffix(name, ".slt") {
			var lines []string
			for _, l := range strings.Split(text, "\n") {
				if !strings.HasPrefix(l, "statement ") && !strings.HasPrefix(l, "query ") && !strings.HasPrefix(l, "#") && l != "----" {
					lines = append(lines, l)
				}
			}
			text = strings.Join(lines, "\n")
		}
		pieces, _ := parser.Split(text)
		for _, p := range pieces {
			f.Add(p.Text)
		}
	}
	cat := testCatalog(f)
	f.Fuzz(func(t *testing.T, src string) {
		st, err := Parse(src)
		if err != nil {
			return
		}
		var q *Query
		switch s := st.(type) {
		case *Query:
			q = s
		case *Explain:
			q = s.Query
		case *Describe:
			q = s.Query
		}
		if q == nil {
			return
		}
		b, err := Bind(q, cat)
		if err != nil {
			return
		}
		planner.Plan(b.Plan)
	})
}
