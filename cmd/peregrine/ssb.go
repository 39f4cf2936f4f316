package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/bench/ssb"
	"github.com/peregrinedb/peregrine/bench/tpch"
)

const ssbUsage = `Usage:
  peregrine ssb gen --tpch DIR --out DIR [--threads N]   derive the Star Schema Benchmark tables from TPC-H's
  peregrine ssb run --data DIR [--queries q1.1,x01,...] [--runs N] [--answers DIR] [--json FILE] [--threads N]
                  [--dir DIR]   (every NAME.sql of DIR instead of the SSB queries: any workload over --data)
`

func runSSB(args []string, stdout, stderr io.Writer) int {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	fs := flag.NewFlagSet("peregrine ssb "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, ssbUsage) }
	threads := fs.Int("threads", 0, "worker threads (default: all cores)")
	memLimit := fs.String("memory-limit", "", "memory limit, e.g. 4GB (default: 80% of RAM); operators spill beyond it")
	var err error
	switch sub {
	case "gen":
		src := fs.String("tpch", "", "directory with the TPC-H tables as Parquet")
		out := fs.String("out", "", "output directory")
		if err = fs.Parse(args); err != nil {
			break
		}
		if *src == "" || *out == "" {
			err = fmt.Errorf("--tpch DIR and --out DIR are required")
			break
		}
		err = ssbGen(ctx, *src, *out, *threads, *memLimit, stderr)
	case "run":
		data := fs.String("data", "", "directory with the SSB tables (peregrine ssb gen)")
		queries := fs.String("queries", "", "comma-separated query names (default: all)")
		runs := fs.Int("runs", 3, "timed runs per query")
		answers := fs.String("answers", "", "check results against NAME.csv answer files in this directory")
		dir := fs.String("dir", "", "run every NAME.sql of this folder instead of the SSB queries")
		jsonOut := fs.String("json", "", "also write the report as JSON to this file")
		if err = fs.Parse(args); err != nil {
			break
		}
		if *data == "" {
			err = fmt.Errorf("--data DIR is required")
			break
		}
		err = ssbRun(ctx, ssbConfig{memLimit: *memLimit, dir: *dir, data: *data, queries: *queries, runs: *runs, answers: *answers, jsonOut: *jsonOut, threads: *threads}, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, ssbUsage)
		return 0
	default:
		fmt.Fprintf(stderr, "Error: unknown ssb command %q\n%s", sub, ssbUsage)
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

func ssbGen(ctx context.Context, src, out string, threads int, memLimit string, stderr io.Writer) error {
	db, err := openSSBDB(src, threads, memLimit)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, format, args...) }
	if err := ssb.Derive(ctx, db, out, ssb.DeriveOptions{Log: logf}); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "derived SSB from %s into %s (%.1fs)\n", src, out, time.Since(start).Seconds())
	return nil
}

type ssbConfig struct {
	dir, data, queries, answers, jsonOut string
	runs, threads                        int
	memLimit                             string
}

func ssbRun(ctx context.Context, c ssbConfig, stdout io.Writer) error {
	db, err := openSSBDB(c.data, c.threads, c.memLimit)
	if err != nil {
		return err
	}
	defer db.Close()
	var names []string
	if c.queries != "" {
		names = strings.Split(c.queries, ",")
	}
	fmt.Fprintf(stdout, "SSB on %s, %d threads, %d runs per query\n", c.data, db.Threads(), c.runs)
	rep, err := ssb.Run(ctx, db, ssb.RunOptions{Dir: c.dir, Names: names, Runs: c.runs, AnswersDir: c.answers, Out: stdout})
	if err != nil {
		return err
	}
	if rss := peakRSS(); rss > 0 {
		fmt.Fprintf(stdout, "process peak RSS: %.2f GB\n", float64(rss)/1e9)
	}
	if c.jsonOut != "" {
		if err := tpch.WriteJSON(c.jsonOut, rep); err != nil {
			return err
		}
	}
	if rep.Failed > 0 {
		return fmt.Errorf("%d of %d queries failed", rep.Failed, len(rep.Results))
	}
	return nil
}

// openSSBDB opens dir with the given threads and memory limit (0 and "":
// the defaults).
func openSSBDB(dir string, threads int, memLimit string) (*peregrine.DB, error) {
	db, err := peregrine.Open(dir)
	if err != nil {
		return nil, err
	}
	if threads > 0 {
		if err := db.SetThreads(threads); err != nil {
			db.Close()
			return nil, err
		}
	}
	if memLimit != "" {
		n, err := peregrine.ParseBytes(memLimit)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("--memory-limit: %w", err)
		}
		db.SetMemoryLimit(n)
	}
	return db, nil
}
