package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/peterh/liner"

	"github.com/peregrinedb/peregrine"
)

type fakeLines struct {
	lines   []string
	prompts []string
}

func (f *fakeLines) Prompt(p string) (string, error) {
	f.prompts = append(f.prompts, p)
	if len(f.lines) == 0 {
		return "", io.EOF
	}
	l := f.lines[0]
	f.lines = f.lines[1:]
	if l == "^C" {
		return "", liner.ErrPromptAborted
	}
	return l, nil
}

func (f *fakeLines) AppendHistory(string) {}

func TestREPLSurvivesErrors(t *testing.T) {
	db, err := peregrine.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out, errOut bytes.Buffer
	sh := &shell{db: db, out: &out, errOut: &errOut, format: "csv"}
	in := &fakeLines{lines: []string{
		"SELECT * FROM nosuch;",
		"SELECT count(*)",
		"  AS n FROM region;",
		"SELECT 'dropped'",
		"^C",
		".mode json",
		"SELECT 1 AS one;",
		".tables",
		".bogus",
		".quit",
		"SELECT 'never reached';",
	}}
	sh.loop(in, dataDir)
	o := out.String()
	for _, want := range []string{"n\n5\n", `[{"one":1}]`, "lineitem", "region"} {
		if !strings.Contains(o, want) {
			t.Errorf("output lacks %q:\n%s", want, o)
		}
	}
	if strings.Contains(o, "dropped") || strings.Contains(o, "never reached") {
		t.Errorf("ran an aborted or post-quit statement:\n%s", o)
	}
	if e := errOut.String(); !strings.Contains(e, "nosuch") || !strings.Contains(e, "unknown command .bogus") {
		t.Errorf("stderr: %s", e)
	}
	if in.prompts[2] != "      ...> " {
		t.Errorf("continuation prompt = %q", in.prompts[2])
	}
	if sh.failed {
		t.Error("an interactive session's errors must not set the exit status")
	}
}
