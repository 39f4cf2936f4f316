package ssb

import (
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/bench/tpch"
)

//go:embed queries/*.sql
var queryFS embed.FS

//go:embed answers
var answerFS embed.FS

// Names lists the queries, SSB's (q1.1 … q4.3) first, then ours (x01 …).
func Names() []string {
	ents, _ := queryFS.ReadDir("queries")
	return sortNames(ents)
}

func sortNames(ents []fs.DirEntry) []string {
	var out []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".sql"); ok && !e.IsDir() {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if (a[0] == 'q') != (b[0] == 'q') {
			if a[0] == 'q' {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}

// Query returns the text of query name.
func Query(name string) (string, error) {
	b, err := queryFS.ReadFile(path.Join("queries", name+".sql"))
	if err != nil {
		return "", fmt.Errorf("no SSB query %q", name)
	}
	return string(b), nil
}

func listQueries(dir string) ([]string, error) {
	if dir == "" {
		return Names(), nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	return sortNames(ents), nil
}

func queryText(dir, name string) (string, error) {
	if dir == "" {
		return Query(name)
	}
	b, err := os.ReadFile(filepath.Join(dir, name+".sql"))
	return string(b), err
}

// ReferenceAnswer returns DuckDB's answer to query name over the tables
// derived from TPC-H SF 0.01 (the repository's testdata), embedded.
func ReferenceAnswer(name string) (*tpch.Answer, error) {
	b, err := answerFS.ReadFile(path.Join("answers", "sf0.01", name+".csv"))
	if err != nil {
		return nil, fmt.Errorf("no reference answer for SSB query %s", name)
	}
	return tpch.ParseAnswer(string(b))
}

// RunOptions configure Run.
type RunOptions struct {
	// Dir, when set, holds the queries to run instead of the embedded ones:
	// every NAME.sql in it.
	Dir   string
	Names []string // nil: all
	Runs  int      // timed runs per query (the first also checks the answer)
	// AnswersDir holds NAME.csv answers to check against; "" with
	// Embedded false: no checking.
	AnswersDir string
	Embedded   bool // check against the embedded SF 0.01 answers
	Out        io.Writer
}

// Result is one query's outcome.
type Result struct {
	Name   string  `json:"name"`
	Median float64 `json:"median_ms"`
	Min    float64 `json:"min_ms"`
	Rows   int     `json:"rows"`
	Check  string  `json:"check"`
	Error  string  `json:"error,omitempty"`
}

// Report summarises a run.
type Report struct {
	Results []Result `json:"results"`
	GeoMean float64  `json:"geomean_ms"`
	Failed  int      `json:"failed"`
}

// Run executes the queries against db, timing each and checking its answer.
func Run(ctx context.Context, db *peregrine.DB, opts RunOptions) (*Report, error) {
	names := opts.Names
	if len(names) == 0 {
		var err error
		if names, err = listQueries(opts.Dir); err != nil {
			return nil, err
		}
	}
	logf := func(format string, args ...any) {
		if opts.Out != nil {
			fmt.Fprintf(opts.Out, format, args...)
		}
	}
	rep := &Report{}
	var logSum float64
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		text, err := queryText(opts.Dir, name)
		if err != nil {
			return rep, err
		}
		res := Result{Name: name, Check: "unchecked"}
		var times []time.Duration
		var rows [][]string
		for r := 0; r < max(opts.Runs, 1); r++ {
			start := time.Now()
			got, err := tpch.Collect(ctx, db, text)
			if err != nil {
				res.Error = err.Error()
				break
			}
			times = append(times, time.Since(start))
			if r == 0 {
				rows = got
			}
		}
		if res.Error == "" {
			res.Rows = len(rows)
			res.Median, res.Min = tpch.MedianMin(times)
			logSum += math.Log(math.Max(res.Median, 1e-3))
			want, err := loadAnswer(opts, name)
			if err != nil {
				return rep, err
			}
			if want != nil {
				res.Check = "ok"
				if err := tpch.Check(want, rows); err != nil {
					res.Check = err.Error()
				}
			}
		}
		if res.Error != "" || (res.Check != "ok" && res.Check != "unchecked") {
			rep.Failed++
		}
		rep.Results = append(rep.Results, res)
		if res.Error != "" {
			logf("%-5s error: %s\n", name, res.Error)
		} else {
			check, _, _ := strings.Cut(res.Check, "\n")
			logf("%-5s %9.1f ms (min %9.1f ms)  %6d rows  %s\n", name, res.Median, res.Min, res.Rows, check)
		}
	}
	if n := len(rep.Results) - countErrors(rep.Results); n > 0 {
		rep.GeoMean = math.Exp(logSum / float64(n))
	}
	logf("geometric mean %.1f ms over %d queries, %d failed\n", rep.GeoMean, len(rep.Results), rep.Failed)
	return rep, nil
}

func countErrors(rs []Result) int {
	n := 0
	for _, r := range rs {
		if r.Error != "" {
			n++
		}
	}
	return n
}

func loadAnswer(opts RunOptions, name string) (*tpch.Answer, error) {
	switch {
	case opts.AnswersDir != "":
		b, err := os.ReadFile(filepath.Join(opts.AnswersDir, name+".csv"))
		if err != nil {
			return nil, fmt.Errorf("reading answer: %w", err)
		}
		return tpch.ParseAnswer(string(b))
	case opts.Embedded:
		return ReferenceAnswer(name)
	}
	return nil, nil
}
