package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var dataDir = filepath.Join("..", "..", "testdata", "tpch-sf0.01-duckdb")

func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestOneShotFormats(t *testing.T) {
	q := "SELECT n_nationkey, n_name, n_comment IS NULL AS c FROM nation WHERE n_nationkey < 2 ORDER BY 1"
	cases := []struct {
		format string
		want   string
	}{
		{"csv", "n_nationkey,n_name,c\n0,ALGERIA,false\n1,ARGENTINA,false\n"},
		{"json", `[{"n_nationkey":0,"n_name":"ALGERIA","c":false},` + "\n" + `{"n_nationkey":1,"n_name":"ARGENTINA","c":false}]` + "\n"},
	}
	for _, c := range cases {
		out, errOut, code := runCLI(t, "", "--format", c.format, dataDir, "-c", q)
		if code != 0 || out != c.want {
			t.Errorf("%s: code %d stderr %q\ngot  %q\nwant %q", c.format, code, errOut, out, c.want)
		}
	}
	out, _, code := runCLI(t, "", "-c", q, dataDir)
	if code != 0 || !strings.Contains(out, "│ n_nationkey │") || !strings.Contains(out, "ARGENTINA") || !strings.Contains(out, "┌") {
		t.Errorf("table output (code %d):\n%s", code, out)
	}
}

func TestCSVQuotingAndNulls(t *testing.T) {
	out, errOut, code := runCLI(t, "", "--format", "csv", "-c", `SELECT 'a,b' AS x, NULL AS y, 'say "hi"' AS z`)
	want := "x,y,z\n\"a,b\",,\"say \"\"hi\"\"\"\n"
	if code != 0 || out != want {
		t.Errorf("code %d stderr %q\ngot  %q\nwant %q", code, errOut, out, want)
	}
}

func TestScriptFromStdinAndSetPrintsNothing(t *testing.T) {
	script := "SET threads = 2;\nSELECT count(*) AS n FROM region;\n-- comment\nSELECT r_name FROM region ORDER BY r_name LIMIT 1;\n"
	out, errOut, code := runCLI(t, script, "--format", "csv", dataDir)
	if code != 0 || out != "n\n5\nr_name\nAFRICA\n" {
		t.Errorf("code %d stderr %q out %q", code, errOut, out)
	}
}

func TestScriptFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "q.sql")
	os.WriteFile(f, []byte("SELECT 1 + 1 AS two;"), 0o644)
	out, _, code := runCLI(t, "", "-f", f, "--format", "csv")
	if code != 0 || out != "two\n2\n" {
		t.Errorf("code %d out %q", code, out)
	}
}

func TestErrorsExitOne(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{dataDir, "-c", "SELECT * FROM nosuch"}, "Error: Catalog Error: Table with name nosuch does not exist!"},
		{[]string{dataDir, "-c", "SELECT n_nam FROM nation"}, `Referenced column "n_nam" not found`},
		{[]string{"-c", "SELEC 1"}, "Parser Error"},
		{[]string{"/no/such/dir", "-c", "SELECT 1"}, "cannot open database"},
		{[]string{"--format", "xml", "-c", "SELECT 1"}, "unknown format"},
	}
	for _, c := range cases {
		out, errOut, code := runCLI(t, "", c.args...)
		if code != 1 || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "goroutine") {
			t.Errorf("%v: code %d stdout %q stderr %q, want %q", c.args, code, out, errOut, c.want)
		}
		// As DuckDB's shell: a positioned error keeps its LINE context
		// with the caret on its own line under the token.
		if i := strings.Index(errOut, "LINE 1: "); i >= 0 {
			lines := strings.Split(errOut[i:], "\n")
			if len(lines) < 2 || strings.TrimSpace(lines[1]) != "^" {
				t.Errorf("%v: LINE context without its caret line: %q", c.args, errOut)
			}
		}
	}
}

func TestScriptContinuesAfterError(t *testing.T) {
	out, errOut, code := runCLI(t, "SELECT * FROM nosuch; SELECT 42 AS x;", "--format", "csv")
	if code != 1 || out != "x\n42\n" || !strings.Contains(errOut, "nosuch") {
		t.Errorf("code %d out %q err %q", code, out, errOut)
	}
	out, _, code = runCLI(t, "SELECT * FROM nosuch; SELECT 42 AS x;", "--format", "csv", "-bail")
	if code != 1 || out != "" {
		t.Errorf("bail: code %d out %q", code, out)
	}
}

func TestExplain(t *testing.T) {
	out, errOut, code := runCLI(t, "", dataDir, "-c", "EXPLAIN SELECT count(*) FROM lineitem WHERE l_shipdate < DATE '1993-01-01'")
	if code != 0 || !strings.Contains(out, "PARQUET_SCAN lineitem") || !strings.Contains(out, "HASH_AGGREGATE") {
		t.Errorf("code %d err %q out:\n%s", code, errOut, out)
	}
	out, errOut, code = runCLI(t, "", dataDir, "-c", "EXPLAIN ANALYZE SELECT count(*) FROM lineitem WHERE l_shipdate < DATE '1993-01-01'")
	if code != 0 || !strings.Contains(out, "actual rows") || !strings.Contains(out, "row groups") {
		t.Errorf("code %d err %q out:\n%s", code, errOut, out)
	}
}

func TestTPCHGenAndRun(t *testing.T) {
	dir := t.TempDir()
	_, errOut, code := runCLI(t, "", "tpch", "gen", "--sf", "0.01", "--out", dir, "--compression", "zstd", "--row-group-size", "10000")
	if code != 0 {
		t.Fatalf("gen: %s", errOut)
	}
	out, errOut, code := runCLI(t, "", "tpch", "run", "--data", dir, "--queries", "1,6", "--runs", "1", "--sf", "0.01")
	if code != 0 || strings.Count(out, " ok") != 2 {
		t.Errorf("run: code %d err %q out:\n%s", code, errOut, out)
	}
}
