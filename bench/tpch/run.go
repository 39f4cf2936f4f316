package tpch

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// RunOptions configure a benchmark run.
type RunOptions struct {
	Queries []int // nil: all 22
	Runs    int   // timed runs per query (the first run also checks the answer)
	// AnswerSF selects embedded answers ("0.01", "0.1", "1"); AnswersDir
	// overrides with a folder of qNN.csv files. Both empty: no checking.
	AnswerSF   string
	AnswersDir string
	Out        io.Writer // progress lines; nil for none
}

// QueryResult is one query's outcome.
type QueryResult struct {
	Query  int             `json:"query"`
	Times  []time.Duration `json:"-"`
	Median float64         `json:"median_ms"`
	Min    float64         `json:"min_ms"`
	Rows   int             `json:"rows"`
	Check  string          `json:"check"` // "ok", "unchecked", or what differs
	Error  string          `json:"error,omitempty"`
}

// Report summarises a run.
type Report struct {
	Results []QueryResult `json:"results"`
	TotalMS float64       `json:"total_median_ms"`
	GeoMean float64       `json:"geomean_ms"`
	Failed  int           `json:"failed"`
}

// ParseQueryList parses "1,3-5,22" into query numbers.
func ParseQueryList(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("bad query number %q", part)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return nil, fmt.Errorf("bad query range %q", part)
			}
		}
		if a < 1 || b > 22 || a > b {
			return nil, fmt.Errorf("query range %q outside 1-22", part)
		}
		for q := a; q <= b; q++ {
			out = append(out, q)
		}
	}
	return out, nil
}

// Run executes the queries against db and checks answers when asked.
func Run(ctx context.Context, db *peregrine.DB, opts RunOptions) (*Report, error) {
	queries := opts.Queries
	if len(queries) == 0 {
		for q := 1; q <= 22; q++ {
			queries = append(queries, q)
		}
	}
	runs := max(opts.Runs, 1)
	rep := &Report{}
	logf := func(format string, args ...any) {
		if opts.Out != nil {
			fmt.Fprintf(opts.Out, format, args...)
		}
	}
	for _, q := range queries {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		text, err := Query(q)
		if err != nil {
			return rep, err
		}
		res := QueryResult{Query: q, Check: "unchecked"}
		var rows [][]string
		for r := 0; r < runs; r++ {
			start := time.Now()
			got, err := Collect(ctx, db, text)
			if err != nil {
				res.Error = err.Error()
				break
			}
			res.Times = append(res.Times, time.Since(start))
			if r == 0 {
				rows = got
			}
		}
		if res.Error == "" {
			res.Rows = len(rows)
			want, err := loadAnswer(opts, q)
			if err != nil {
				return rep, err
			}
			if want != nil {
				if err := Check(want, rows); err != nil {
					res.Check = err.Error()
				} else {
					res.Check = "ok"
				}
			}
			res.Median, res.Min = MedianMin(res.Times)
		}
		if res.Error != "" || (res.Check != "ok" && res.Check != "unchecked") {
			rep.Failed++
		}
		rep.Results = append(rep.Results, res)
		switch {
		case res.Error != "":
			logf("Q%02d  error: %s\n", q, res.Error)
		default:
			logf("Q%02d  %9.1f ms (min %9.1f ms)  %6d rows  %s\n", q, res.Median, res.Min, res.Rows, firstLine(res.Check))
		}
	}
	var logSum float64
	n := 0
	for _, r := range rep.Results {
		if r.Error == "" {
			rep.TotalMS += r.Median
			logSum += math.Log(math.Max(r.Median, 1e-3))
			n++
		}
	}
	if n > 0 {
		rep.GeoMean = math.Exp(logSum / float64(n))
	}
	logf("total %.1f ms, geometric mean %.1f ms over %d queries", rep.TotalMS, rep.GeoMean, n)
	if rep.Failed > 0 {
		logf(", %d failed", rep.Failed)
	}
	logf("\n")
	return rep, nil
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// MedianMin is the median and the least of ts, in milliseconds.
func MedianMin(ts []time.Duration) (median, minimum float64) {
	if len(ts) == 0 {
		return 0, 0
	}
	ms := make([]float64, len(ts))
	for i, t := range ts {
		ms[i] = float64(t.Microseconds()) / 1000
	}
	sort.Float64s(ms)
	median = ms[len(ms)/2]
	if len(ms)%2 == 0 {
		median = (ms[len(ms)/2-1] + ms[len(ms)/2]) / 2
	}
	return median, ms[0]
}

func loadAnswer(opts RunOptions, q int) (*Answer, error) {
	switch {
	case opts.AnswersDir != "":
		b, err := os.ReadFile(filepath.Join(opts.AnswersDir, fmt.Sprintf("q%02d.csv", q)))
		if err != nil {
			return nil, fmt.Errorf("reading answer: %w", err)
		}
		return ParseAnswer(string(b))
	case opts.AnswerSF != "":
		return ReferenceAnswer(opts.AnswerSF, q)
	}
	return nil, nil
}

// Collect runs text and returns its rows printed as the answers print them
// (NULL as an empty value).
func Collect(ctx context.Context, db *peregrine.DB, text string) ([][]string, error) {
	rows, err := db.Query(ctx, text)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for {
		b, err := rows.Next(ctx)
		if err != nil {
			return nil, err
		}
		if b == nil {
			return out, nil
		}
		out = append(out, FormatRows(b)...)
	}
}

// FormatRows prints the live rows of b as the answers print them (NULL as
// an empty value).
func FormatRows(b *coldata.Batch) [][]string {
	var rows [][]string
	for k := 0; k < b.Len(); k++ {
		i := k
		if b.Sel != nil {
			i = int(b.Sel[k])
		}
		row := make([]string, len(b.Vecs))
		for c, v := range b.Vecs {
			if !v.IsNull(i) {
				row[c] = coldata.Format(v.Type, v.Get(i))
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// WriteJSON writes the report as JSON to path (atomically).
func (r *Report) WriteJSON(path string) error { return WriteJSON(path, r) }

// WriteJSON writes v as indented JSON to path, through a temporary file
// renamed into place.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
