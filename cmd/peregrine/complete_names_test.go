package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/sql"
)

// TestFunctionNamesBind: every function name the completer offers is one
// the engine knows. Each name is called with a few argument shapes (none, a
// number, a string, a list, a map, a struct, pairs and triples) over the
// nested test file; the name passes when some call binds, or fails with an
// error other than "does not exist" or "not supported yet" (the answers
// for a name the binder does not have).
func TestFunctionNamesBind(t *testing.T) {
	db, err := peregrine.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	file := filepath.ToSlash(filepath.Join("..", "..", "testdata", "nested", "nested.parquet"))
	shapes := []string{"", "id", "'x'", "tags", "m", "s", "ll", "tags, 'x'", "m, 'x'", "s, 'a'", "id, id",
		"'x', 'x'", "'x', 1", "'x', 1, 1", "id, id, id", "'x', 'x', 'x'"}
	ctx := context.Background()
	names := functionNames()
	if len(names) < 50 {
		t.Fatalf("only %d function names", len(names))
	}
	for _, name := range names {
		unknown := regexp.MustCompile(`(?i)(function with name ` + regexp.QuoteMeta(name) + ` does not exist|function ` +
			regexp.QuoteMeta(name) + ` is not supported yet)`)
		var queries []string
		if sql.IsTableFunction(name) {
			queries = []string{"SELECT * FROM " + name + "('" + file + "')", "SELECT * FROM " + name + "(3)", "SELECT * FROM " + name + "()"}
		} else {
			for _, s := range shapes {
				queries = append(queries, "SELECT "+name+"("+s+") FROM '"+file+"'")
			}
		}
		var last error
		known := false
		for _, q := range queries {
			rows, err := db.Query(ctx, "EXPLAIN "+q)
			if err == nil {
				rows.Close()
				known = true
				break
			}
			if msg := err.Error(); !unknown.MatchString(msg) && !strings.Contains(msg, "Parser Error") {
				known = true
				break
			}
			last = err
		}
		if !known {
			t.Errorf("the completer offers %s, which the engine does not know: %v", name, last)
		}
	}
}
