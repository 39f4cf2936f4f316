package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tpchq "github.com/peregrinedb/peregrine/bench/tpch/queries"
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

// BenchmarkParse parses each of the 22 TPC-H queries (one sub-benchmark
// per query, ns/op is per query) and all of them in turn, reporting the
// mean in microseconds per query.
func BenchmarkParse(b *testing.B) {
	queries := tpchq.All()
	parse := func(b *testing.B, q string) {
		if _, err := ParseOne(q); err != nil {
			b.Fatal(err)
		}
	}
	for i, q := range queries {
		b.Run(fmt.Sprintf("q%02d", i+1), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				parse(b, q)
			}
		})
	}
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			for _, q := range queries {
				parse(b, q)
			}
			n++
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n*len(queries)), "µs/query")
	})
}
