package peregrine_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeGoExamples extracts every ```go block of README.md and runs it
// as a program of this module, so the README's examples compile and work
// as written.
func TestReadmeGoExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs")
	}
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(b), -1)
	if len(blocks) == 0 {
		t.Fatal("README.md has no Go block")
	}
	for i, m := range blocks {
		// Inside the module (a dot folder, which ./... skips) so that the
		// program imports this checkout.
		dir, err := os.MkdirTemp(".", ".readme-example-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(m[1]), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("go", "run", "./"+dir).CombinedOutput()
		if err != nil {
			t.Fatalf("README Go block %d: %v\n%s", i+1, err, out)
		}
		// What each block must print (sum(l_quantity) and count(*) from
		// DuckDB), chosen by what the block calls.
		want := "total quantity: 1536127"
		if strings.Contains(m[1], "WithExternalAccess") {
			want = "Permission Error: Cannot access file \"/etc/passwd\" - file system operations are disabled by configuration\n25 nations"
		}
		if !strings.Contains(string(out), want) {
			t.Errorf("README Go block %d printed:\n%s", i+1, out)
		}
	}
}
