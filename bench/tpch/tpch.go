package tpch

import (
	"embed"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/peregrinedb/peregrine/bench/tpch/queries"
)

//go:embed answers
var answerFS embed.FS

// Query returns the text of query n (1..22).
func Query(n int) (string, error) { return queries.Text(n) }

// Answer is a reference result: column names and rows of text values.
type Answer struct {
	Columns []string
	Rows    [][]string
}

// AnswerSFs lists the scale factors with embedded answers.
var AnswerSFs = []string{"0.01", "0.1", "1"}

// ReferenceAnswer returns the embedded answer of query n at scale factor sf
// ("0.01", "0.1" or "1").
func ReferenceAnswer(sf string, n int) (*Answer, error) {
	b, err := answerFS.ReadFile(fmt.Sprintf("answers/sf%s/q%02d.csv", sf, n))
	if err != nil {
		return nil, fmt.Errorf("no reference answer for query %d at SF %s", n, sf)
	}
	return ParseAnswer(string(b))
}

// ParseAnswer parses the answers' format: a header line, then one line per
// row, values separated by '|', no quoting, NULL as an empty value.
func ParseAnswer(text string) (*Answer, error) {
	// Only the final newline ends the file: an empty line before it is a
	// row holding one NULL (Q17 at SF 0.01).
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) == 0 || lines[0] == "" {
		return nil, fmt.Errorf("empty answer file")
	}
	a := &Answer{Columns: strings.Split(lines[0], "|")}
	for _, l := range lines[1:] {
		row := strings.Split(l, "|")
		if len(row) != len(a.Columns) {
			return nil, fmt.Errorf("answer row %q has %d values, want %d", l, len(row), len(a.Columns))
		}
		a.Rows = append(a.Rows, row)
	}
	return a, nil
}

// Check compares got (rows of values printed by the engine) with want.
// Numbers compare numerically (decimals exactly up to their printed scale,
// doubles to a relative 1e-9); text compares exactly. Rows must be in
// order, except that rows tied on every printed value may be permuted.
func Check(want *Answer, got [][]string) error {
	if len(got) != len(want.Rows) {
		return fmt.Errorf("got %d rows, want %d", len(got), len(want.Rows))
	}
	for i := range got {
		if len(got[i]) != len(want.Columns) {
			return fmt.Errorf("row %d: got %d columns, want %d", i+1, len(got[i]), len(want.Columns))
		}
	}
	firstBad := -1
	for i := range got {
		if !rowEqual(got[i], want.Rows[i]) {
			firstBad = i
			break
		}
	}
	if firstBad < 0 {
		return nil
	}
	// Ties in ORDER BY may come out in another order: accept a permutation.
	g, w := sortedCopy(got), sortedCopy(want.Rows)
	for i := range g {
		if !rowEqual(g[i], w[i]) {
			return fmt.Errorf("row %d differs:\n  got  %s\n  want %s", firstBad+1,
				strings.Join(got[firstBad], "|"), strings.Join(want.Rows[firstBad], "|"))
		}
	}
	return nil
}

func sortedCopy(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, v := range r {
			out[i][j] = canonical(v)
		}
	}
	sort.Slice(out, func(a, b int) bool { return strings.Join(out[a], "|") < strings.Join(out[b], "|") })
	return out
}

// canonical normalises numbers so permutation checks ignore formatting.
func canonical(v string) string {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return strconv.FormatFloat(f, 'g', 12, 64)
	}
	return v
}

func rowEqual(got, want []string) bool {
	for j := range got {
		if !valueEqual(got[j], want[j]) {
			return false
		}
	}
	return true
}

func valueEqual(got, want string) bool {
	if got == want {
		return true
	}
	g, err1 := strconv.ParseFloat(got, 64)
	w, err2 := strconv.ParseFloat(want, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	if g == w {
		return true
	}
	return math.Abs(g-w) <= 1e-9*math.Max(math.Abs(w), 1)
}
