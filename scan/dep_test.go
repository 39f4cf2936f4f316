package scan

import (
	"go/build"
	"strings"
	"testing"
)

// TestDependencies keeps scan independent of SQL: it may use the shared
// data contract (exec/coldata) but no other package of the engine.
func TestDependencies(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	const self = "github.com/peregrinedb/peregrine/"
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, self) && imp != self+"exec/coldata" {
			t.Errorf("scan imports %s", imp)
		}
	}
}
