package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds the parser arbitrary text, seeded with every statement in
// the repository and every bad input. Any input must give a tree or an
// error, never a panic; the tokens must spell the input back; and a tree
// must print as SQL that parses to the same tree.
func FuzzParse(f *testing.F) {
	stmts, _ := corpus(f)
	for _, s := range stmts {
		f.Add(s)
	}
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "parser", "errors.txt"))
	if err == nil {
		for _, rec := range strings.Split(string(raw), "\n====\n") {
			in, _, _ := strings.Cut(rec, "\n----\n")
			f.Add(in)
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		toks, _ := Tokens(src)
		var sb strings.Builder
		for _, tk := range toks {
			sb.WriteString(tk.Text)
		}
		if sb.String() != src {
			t.Fatalf("tokens do not spell the input back: %q", src)
		}
		Split(src)
		Complete(src)
		sts, err := Parse(src)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Error() == "" {
				t.Fatalf("bad error %v for %q", err, src)
			}
			return
		}
		for _, st := range sts {
			printed := st.String()
			again, err := ParseOne(printed)
			if err != nil {
				t.Fatalf("%q printed as %q, which does not parse: %v", src, printed, err)
			}
			if !sameTree(st, again) {
				t.Fatalf("%q printed as %q, which parses to a different tree (%q)", src, printed, again.String())
			}
		}
	})
}

// BenchmarkParse parses the 22 TPC-H queries; it reports microseconds per
// query.
func BenchmarkParse(b *testing.B) {
	var queries []string
	files, _ := filepath.Glob(filepath.Join("..", "..", "bench", "tpch", "queries", "*.sql"))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		queries = append(queries, string(raw))
	}
	if len(queries) != 22 {
		b.Fatalf("found %d TPC-H queries", len(queries))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range queries {
			if _, err := ParseOne(q); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(queries)), "µs/query")
}
