package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The shell runs SQL through the embedding API, so the sandbox settings
// work from it as SET statements.
func TestShellSandboxSettings(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(dataDir, "region.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "region.parquet")
	if err := os.WriteFile(outside, b, 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(dataDir)
	up, _ := filepath.Rel(abs, filepath.Dir(outside)) // ../../…/tmp/…
	script := "SET enable_external_access = false;\n" +
		"SELECT count(*) AS n FROM nation;\n" +
		"SELECT count(*) FROM read_parquet('" + outside + "');\n" +
		"SELECT count(*) FROM '" + abs + "/" + up + "/*.parquet';\n" +
		"SET lock_configuration = true;\n" +
		"SET threads = 1;\n"
	out, errOut, code := runCLI(t, script, "--format", "csv", dataDir)
	if code != 1 || out != "n\n25\n" || strings.Count(errOut, "Permission Error") != 2 {
		t.Errorf("code %d out %q", code, out)
	}
	for _, want := range []string{
		`Permission Error: Cannot access file "` + outside + `" - file system operations are disabled by configuration`,
		`Invalid Input Error: Cannot change configuration option "threads" - the configuration has been locked`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}
	_, errOut, code = runCLI(t, "", dataDir, "-c", "SET max_result_rows = 3; SELECT * FROM nation")
	if code != 1 || !strings.Contains(errOut, "max_result_rows = 3") {
		t.Errorf("max_result_rows: code %d stderr %q", code, errOut)
	}
}
