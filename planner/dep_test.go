package planner_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering keeps the planner independent of the executor: it may use
// the shared data contract (exec/coldata) but never operators or kernels.
func TestLayering(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/peregrinedb/peregrine/planner").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if !strings.HasPrefix(dep, "github.com/peregrinedb/peregrine/") {
			continue
		}
		rest := strings.TrimPrefix(dep, "github.com/peregrinedb/peregrine/")
		switch {
		case rest == "exec/coldata", strings.HasPrefix(rest, "planner"), rest == "scan", rest == "storage", rest == "storage/tempdir":
		default:
			t.Errorf("planner depends on %s", dep)
		}
	}
}
