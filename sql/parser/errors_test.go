package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// badInput is one record of testdata/parser/errors.txt: an input and the
// exact error DuckDB gives for it.
type badInput struct {
	line       int
	input, err string
}

func badInputs(t *testing.T) []badInput {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "parser", "errors.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []badInput
	line := 1
	for _, rec := range strings.Split(string(raw), "\n====\n") {
		start := line
		line += strings.Count(rec, "\n") + 2
		var body []string
		lines := strings.Split(strings.Trim(rec, "\n"), "\n")
		k := 0
		for ; k < len(lines) && lines[k] != "----"; k++ {
			if len(body) == 0 && strings.HasPrefix(lines[k], "#") {
				continue
			}
			body = append(body, lines[k])
		}
		if k == len(lines) {
			continue
		}
		out = append(out, badInput{line: start, input: strings.Join(body, "\n"), err: strings.Join(lines[k+1:], "\n")})
	}
	return out
}

// TestErrors checks each bad input's error, text and caret, against
// DuckDB's.
func TestErrors(t *testing.T) {
	cases := badInputs(t)
	for _, c := range cases {
		_, err := Parse(c.input)
		got := "(accepted)"
		if err != nil {
			got = err.Error()
		}
		if got != c.err {
			t.Errorf("errors.txt:%d: %q\ngot:\n%s\nwant:\n%s", c.line, c.input, got, c.err)
		}
	}
	if len(cases) < 150 {
		t.Errorf("only %d bad inputs; the front end promises at least 150", len(cases))
	}
}
