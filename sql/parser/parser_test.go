package parser

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine/sql/ast"
)

// corpus returns every statement of the repository's SQL: the parser's
// test files, the sqllogictest files and the TPC-H queries, each with the
// file it comes from.
func corpus(t testing.TB) (stmts, where []string) {
	t.Helper()
	root := filepath.Join("..", "..")
	files, _ := filepath.Glob(filepath.Join(root, "testdata", "parser", "*.sql"))
	tpch, _ := filepath.Glob(filepath.Join(root, "bench", "tpch", "queries", "*.sql"))
	files = append(files, tpch...)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pieces, err := Split(string(raw))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, p := range pieces {
			stmts = append(stmts, p.Text)
			where = append(where, f+":"+lineOf(string(raw), p.Pos))
		}
	}
	slts, _ := filepath.Glob(filepath.Join(root, "testdata", "sql", "*.slt"))
	for _, f := range slts {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sltStatements(string(raw)) {
			stmts = append(stmts, s)
			where = append(where, f)
		}
	}
	if len(stmts) == 0 {
		t.Fatal("no statements found")
	}
	return stmts, where
}

func lineOf(src string, pos int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + itoa(1+strings.Count(src[:pos], "\n")))
}

func itoa(n int) string {
	b := []byte{}
	for n > 0 || len(b) == 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// sltStatements returns the SQL of a sqllogictest file's records.
func sltStatements(text string) []string {
	var out []string
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if !strings.HasPrefix(l, "statement ") && !strings.HasPrefix(l, "query ") {
			continue
		}
		var body []string
		for i++; i < len(lines) && lines[i] != "" && lines[i] != "----"; i++ {
			body = append(body, lines[i])
		}
		if strings.HasPrefix(l, "statement error") {
			continue // may be a syntax error on purpose
		}
		out = append(out, strings.Join(body, "\n"))
	}
	return out
}

// sameTree compares two trees ignoring source positions.
func sameTree(a, b any) bool {
	return equalValues(reflect.ValueOf(a), reflect.ValueOf(b))
}

var atType = reflect.TypeOf(ast.At{})

func equalValues(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalValues(a.Elem(), b.Elem())
	case reflect.Struct:
		if a.Type() == atType {
			return true
		}
		for i := 0; i < a.NumField(); i++ {
			if !equalValues(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equalValues(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// TestRoundTrip parses every statement of the corpus, prints it, parses the
// printed text and checks that both trees are the same (positions aside).
func TestRoundTrip(t *testing.T) {
	stmts, where := corpus(t)
	n := 0
	for i, s := range stmts {
		first, err := ParseOne(s)
		if err != nil {
			t.Errorf("%s: %v\n%s", where[i], err, s)
			continue
		}
		printed := first.String()
		second, err := ParseOne(printed)
		if err != nil {
			t.Errorf("%s: printed form does not parse: %v\n%s\nprinted: %s", where[i], err, s, printed)
			continue
		}
		if !sameTree(first, second) {
			t.Errorf("%s: print -> parse changed the tree\n%s\nprinted: %s\nagain:   %s", where[i], s, printed, second.String())
			continue
		}
		if again := second.String(); again != printed {
			t.Errorf("%s: printing is not stable\n%s\n%s", where[i], printed, again)
		}
		n++
	}
	t.Logf("%d statements round-tripped", n)
	if n < 500 {
		t.Errorf("only %d statements in the corpus; the front end promises at least 500", n)
	}
}
