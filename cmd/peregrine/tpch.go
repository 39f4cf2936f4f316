package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"time"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/bench/tpch"
	"github.com/peregrinedb/peregrine/bench/tpchgen"
)

const tpchUsage = `Usage:
  peregrine tpch [demo] [--sf 0.1]     generate a small data set into the cache folder (once) and run the queries
  peregrine tpch gen --sf N --out DIR [--compression snappy|zstd|gzip|lz4_raw|none] [--row-group-size ROWS]
  peregrine tpch run --data DIR [--queries 1,3-5] [--runs N] [--sf 0.01|0.1|1 | --answers DIR] [--json FILE] [--threads N]
                    [--memory-limit 1GB] [--temp-directory DIR]
`

func runTPCH(args []string, stdout, stderr io.Writer) int {
	sub := "demo"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		sub, args = args[0], args[1:]
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	var err error
	switch sub {
	case "gen":
		err = tpchGen(ctx, args, stderr)
	case "run":
		err = tpchRun(ctx, args, stdout, stderr)
	case "demo":
		err = tpchDemo(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, tpchUsage)
		return 0
	default:
		fmt.Fprintf(stderr, "Error: unknown tpch command %q\n%s", sub, tpchUsage)
		return 1
	}
	if err == flag.ErrHelp {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "Error: %v\n", err)
		return 1
	}
	return 0
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("peregrine tpch "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, tpchUsage) }
	return fs
}

func tpchGen(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("gen", stderr)
	sf := fs.Float64("sf", 1, "scale factor (0.01, 0.1, 1, 10, ...)")
	out := fs.String("out", "", "output directory")
	comp := fs.String("compression", "snappy", "codec: snappy, zstd, gzip, lz4_raw or none")
	rg := fs.Int("row-group-size", 122880, "rows per row group")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("--out DIR is required")
	}
	start := time.Now()
	if err := tpchgen.Generate(ctx, tpchgen.Options{SF: *sf, OutDir: *out, Compression: *comp, RowGroupSize: *rg}); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "generated TPC-H SF %g in %s (%.1fs)\n", *sf, *out, time.Since(start).Seconds())
	return nil
}

func tpchRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", stderr)
	data := fs.String("data", "", "directory with the 8 TPC-H tables as Parquet")
	queries := fs.String("queries", "1-22", "queries to run, e.g. 1,3-5")
	runs := fs.Int("runs", 3, "timed runs per query")
	sf := fs.String("sf", "", "check results against the embedded answers of this scale factor (0.01, 0.1, 1)")
	answers := fs.String("answers", "", "check results against qNN.csv answer files in this directory")
	jsonOut := fs.String("json", "", "also write the report as JSON to this file")
	threads := fs.Int("threads", 0, "worker threads (default: all cores)")
	memLimit := fs.String("memory-limit", "", "memory limit, e.g. 1GB (default: 80% of RAM)")
	tempDir := fs.String("temp-directory", "", "where queries spill under the memory limit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" {
		return fmt.Errorf("--data DIR is required")
	}
	return runQueries(ctx, runConfig{data: *data, queries: *queries, runs: *runs, sf: *sf, answers: *answers,
		jsonOut: *jsonOut, threads: *threads, memLimit: *memLimit, tempDir: *tempDir}, stdout)
}

// runConfig is what `tpch run` and `tpch demo` ask of a benchmark run.
type runConfig struct {
	data, queries, sf, answers, jsonOut string
	runs, threads                       int
	memLimit, tempDir                   string
}

func runQueries(ctx context.Context, c runConfig, stdout io.Writer) error {
	qs, err := tpch.ParseQueryList(c.queries)
	if err != nil {
		return err
	}
	db, err := peregrine.Open(c.data)
	if err != nil {
		return err
	}
	defer db.Close()
	if c.threads > 0 {
		if err := db.SetThreads(c.threads); err != nil {
			return err
		}
	}
	if c.memLimit != "" {
		n, err := peregrine.ParseBytes(c.memLimit)
		if err != nil {
			return fmt.Errorf("--memory-limit: %w", err)
		}
		db.SetMemoryLimit(n)
	}
	if c.tempDir != "" {
		if err := db.SetTempDir(c.tempDir); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "TPC-H on %s, %d threads, %d runs per query\n", c.data, db.Threads(), c.runs)
	rep, err := tpch.Run(ctx, db, tpch.RunOptions{Queries: qs, Runs: c.runs, AnswerSF: c.sf, AnswersDir: c.answers, Out: stdout})
	if err != nil {
		return err
	}
	if rss := peakRSS(); rss > 0 {
		fmt.Fprintf(stdout, "process peak RSS: %.2f GB\n", float64(rss)/1e9)
	}
	if c.jsonOut != "" {
		if err := rep.WriteJSON(c.jsonOut); err != nil {
			return err
		}
	}
	if rep.Failed > 0 {
		return fmt.Errorf("%d of %d queries failed", rep.Failed, len(rep.Results))
	}
	return nil
}

// tpchDemo is the first thing a newcomer runs: no data to bring.
func tpchDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	sf := fs.String("sf", "0.1", "scale factor with embedded answers: 0.01, 0.1 or 1")
	queries := fs.String("queries", "1-22", "queries to run")
	runs := fs.Int("runs", 3, "timed runs per query")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := strconv.ParseFloat(*sf, 64)
	if err != nil {
		return fmt.Errorf("bad --sf %q", *sf)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "peregrine", "tpch-sf"+*sf)
	marker := filepath.Join(dir, ".complete")
	if _, err := os.Stat(marker); err != nil {
		fmt.Fprintf(stdout, "generating TPC-H SF %s into %s ...\n", *sf, dir)
		start := time.Now()
		if err := tpchgen.Generate(ctx, tpchgen.Options{SF: f, OutDir: dir}); err != nil {
			return err
		}
		if err := os.WriteFile(marker, nil, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "generated in %.1fs\n", time.Since(start).Seconds())
	}
	return runQueries(ctx, runConfig{data: dir, queries: *queries, runs: *runs, sf: *sf}, stdout)
}
