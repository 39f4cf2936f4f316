package kernel

import (
	"go/build"
	"strings"
	"testing"
)

// TestDependencies keeps kernel a leaf beside coldata and expr: exec imports
// it, so importing exec (or the planner, scan or sql) here would be a cycle
// or a layering breach.
func TestDependencies(t *testing.T) {
	pkg, err := build.Default.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{
		"github.com/peregrinedb/peregrine/exec/coldata": true,
		"github.com/peregrinedb/peregrine/planner/expr": true,
		// Unicode's grapheme cluster rules (UAX #29) for the _grapheme
		// string functions: tables we would otherwise have to generate and
		// keep current; a leaf itself, pinned in go.mod.
		"github.com/rivo/uniseg": true,
	}
	for _, imp := range pkg.Imports {
		if strings.Contains(imp, ".") && !allowed[imp] {
			t.Errorf("kernel imports %s; only the standard library, coldata and expr are allowed", imp)
		}
	}
}
