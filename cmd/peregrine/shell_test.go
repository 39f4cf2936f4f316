package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// asShell makes the test binary run as the shell itself: the terminal tests
// start it in a pseudo-terminal instead of building the binary again.
const asShell = "PEREGRINE_TEST_AS_SHELL"

func TestMain(m *testing.M) {
	if os.Getenv(asShell) == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	// Keep the user's ~/.peregrinerc and history out of the tests.
	home, err := os.MkdirTemp("", "peregrine-home")
	if err == nil {
		os.Setenv("HOME", home)
	}
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}

func TestDotCommandsInScripts(t *testing.T) {
	dir := t.TempDir()
	out1 := filepath.Join(dir, "once.txt")
	out2 := filepath.Join(dir, "all.txt")
	script := filepath.Join(dir, "s.sql")
	os.WriteFile(script, []byte(".mode csv\nSELECT 7 AS seven;\n"), 0o644)
	stdout, stderr, code := runCLI(t, "", dataDir,
		"-c", ".tables",
		"-c", ".tables %item",
		"-c", ".schema region",
		"-c", ".once "+out1,
		"-c", "SELECT 1 AS a",
		"-c", ".read "+script,
		"-c", ".output "+out2,
		"-c", "SELECT 2 AS b; SELECT 3 AS c",
		"-c", ".output",
		"-c", ".nullvalue NIL",
		"-c", ".separator ;",
		"-c", ".mode list",
		"-c", "SELECT NULL AS n, 'x' AS y",
		"-c", ".headers off",
		"-c", "SELECT 4 AS d",
		"-c", ".show")
	if code != 0 {
		t.Fatalf("code %d stderr %s", code, stderr)
	}
	for _, want := range []string{"customer  lineitem", "lineitem\n", "CREATE TABLE region(r_regionkey INTEGER, r_name VARCHAR, r_comment VARCHAR);",
		"seven\n7\n", "n;y\nNIL;x\n4\n", `nullvalue: "NIL"`, "mode: list"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if b, _ := os.ReadFile(out1); !strings.Contains(string(b), "│   a   │") {
		t.Errorf(".once file: %q", b)
	}
	if b, _ := os.ReadFile(out2); string(b) != "b\n2\nc\n3\n" {
		t.Errorf(".output file: %q", b)
	}
	if strings.Contains(stdout, "│ b │") {
		t.Errorf(".output leaked to stdout:\n%s", stdout)
	}
}

func TestSwitchesVersionAndRC(t *testing.T) {
	out, _, code := runCLI(t, "", "--version")
	if code != 0 || !strings.HasPrefix(out, "peregrine ") {
		t.Errorf("--version: %d %q", code, out)
	}
	q := "SELECT 1 AS x, 'a' AS y"
	for flag, want := range map[string]string{
		"-json": `[{"x":1,"y":"a"}]` + "\n", "-csv": "x,y\n1,a\n", "-line": "x = 1\ny = a\n",
		"-markdown": "| x | y |\n|--:|---|\n| 1 | a |\n", "-jsonlines": `{"x":1,"y":"a"}` + "\n",
	} {
		out, errOut, code := runCLI(t, "", flag, "-c", q)
		if code != 0 || out != want {
			t.Errorf("%s: code %d err %q\ngot  %q\nwant %q", flag, code, errOut, out, want)
		}
	}
	// The shell's statements run in one session: SET SESSION holds.
	if out, errOut, code := runCLI(t, "", "-c", "SET SESSION memory_limit = '1MB'", "-csv", "-c", "SELECT 42 AS x"); code != 0 || out != "x\n42\n" {
		t.Errorf("SET SESSION memory_limit in the shell: %d %q %q", code, out, errOut)
	}
	// HUGEINT (the type of an integer SUM) is a JSON number, as in DuckDB.
	out, _, _ = runCLI(t, "", "-json", "-c", "SELECT sum(x) AS s FROM (VALUES (1), (2)) t(x)")
	if want := `[{"s":3}]` + "\n"; out != want {
		t.Errorf("-json with a HUGEINT: got %q, want %q", out, want)
	}
	rc := filepath.Join(os.Getenv("HOME"), ".peregrinerc")
	os.WriteFile(rc, []byte(".mode csv\n.headers off\n"), 0o644)
	defer os.Remove(rc)
	out, _, _ = runCLI(t, "", "-c", q)
	if out != "1,a\n" {
		t.Errorf("~/.peregrinerc not applied: %q", out)
	}
	out, errOut, code := runCLI(t, "", "-c", ".exit 3")
	if code != 3 {
		t.Errorf(".exit 3: code %d %q %q", code, out, errOut)
	}
	_, errOut, code = runCLI(t, "", "-c", ".nosuch")
	if code != 1 || !strings.Contains(errOut, "unknown command") {
		t.Errorf(".nosuch: %d %q", code, errOut)
	}
}

func TestDuckboxShapes(t *testing.T) {
	// Empty result, NULL, long strings cut only when too wide, .maxrows.
	out, _, _ := runCLI(t, "", dataDir, "-c", "SELECT r_regionkey, r_name FROM region WHERE false")
	want := "┌─────────────┬─────────┐\n│ r_regionkey │ r_name  │\n│    int32    │ varchar │\n├─────────────┴─────────┤\n│        0 rows         │\n└───────────────────────┘\n"
	if out != want {
		t.Errorf("empty:\ngot\n%s\nwant\n%s", out, want)
	}
	out, _, _ = runCLI(t, "", dataDir, "-c", ".maxrows 4", "-c", "SELECT n_nationkey FROM nation ORDER BY 1")
	want = "┌─────────────┐\n│ n_nationkey │\n│    int32    │\n├─────────────┤\n│           0 │\n│           1 │\n│      ·      │\n│      ·      │\n│      ·      │\n│          23 │\n│          24 │\n├─────────────┤\n│   25 rows   │\n│ (4 shown)   │\n└─────────────┘\n"
	if !strings.Contains(out, "│           1 │\n│      ·      │") || !strings.Contains(out, "│          24 │") || !strings.Contains(out, "25 rows") {
		t.Errorf(".maxrows 4:\n%s\n(shape like)\n%s", out, want)
	}
	out, _, _ = runCLI(t, "", "-c", ".maxwidth 30", "-c", "SELECT '"+strings.Repeat("x", 50)+"' AS s, NULL AS n")
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if displayWidth(l) > 30 {
			t.Errorf("line wider than .maxwidth 30: %q", l)
		}
	}
	if !strings.Contains(out, "x…") || !strings.Contains(out, "2 columns (1 shown)") {
		t.Errorf(".maxwidth 30:\n%s", out)
	}
}

// TestChangesReportsCopyRows: .changes on prints the rows the last writing
// statement changed (COPY's rows written; DuckDB 1.5.5 gives Count 5 for
// region and 25 for nation) and the running total; a query leaves the
// count as it was, and COPY prints no table (DuckDB's shell prints none).
func TestChangesReportsCopyRows(t *testing.T) {
	dir := t.TempDir()
	script := ".changes on\n" +
		"COPY (SELECT * FROM region) TO '" + filepath.Join(dir, "r.parquet") + "';\n" +
		"SELECT 1 AS one;\n" +
		"COPY (SELECT * FROM nation) TO '" + filepath.Join(dir, "n.parquet") + "';\n"
	stdout, stderr, code := runCLI(t, script, dataDir)
	if code != 0 {
		t.Fatalf("code %d stderr %s", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	var got []string
	for _, l := range lines {
		if strings.HasPrefix(l, "changes:") {
			got = append(got, l)
		}
	}
	want := []string{"changes: 5   total_changes: 5", "changes: 5   total_changes: 5", "changes: 25   total_changes: 30"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes lines %q, want %q\n%s", got, want, stdout)
	}
	if strings.Contains(stdout, "Count") {
		t.Errorf("COPY printed a table:\n%s", stdout)
	}
}
