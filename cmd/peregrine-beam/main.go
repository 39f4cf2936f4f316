package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/metrics"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/cmd/internal/resultfmt"
	"github.com/peregrinedb/peregrine/planner"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	runner, format, out, sql, resultDir string
	explain, quiet, verbose, bench      bool
	queries                             string
	runs                                int
	threads                             int
	memory                              string
	opts                                planner.DistOptions
}

// flags parses the command line: this program's flags and Beam's (the
// runners read theirs, e.g. --endpoint, --environment_type, --project,
// from Go's global flags), in any order around the one data argument.
func flags(args []string, stderr io.Writer) (*config, string, error) {
	fs := flag.NewFlagSet("peregrine-beam", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	fs.StringVar(&c.runner, "runner", "prism", "Beam runner: prism (local), flink, spark or dataflow")
	fs.StringVar(&c.format, "format", "table", "output format: table, csv or json")
	fs.StringVar(&c.out, "out", "", "write the result as Parquet files into the folder `URL` (local, gs:// or s3://) instead of printing it")
	fs.StringVar(&c.sql, "c", "", "the SQL query to run")
	fs.StringVar(&c.resultDir, "result-dir", "", "folder `URL` the workers write the result to (default: a local temporary folder; a cluster needs gs:// or s3://)")
	fs.BoolVar(&c.explain, "explain", false, "print the distributed plan (EXPLAIN (DISTRIBUTED)) and exit")
	fs.BoolVar(&c.bench, "tpch", false, "benchmark: run the TPC-H queries (--queries) on DIR both in this process and as Beam jobs, --runs times each, and report times and exchange costs")
	fs.StringVar(&c.queries, "queries", "1-22", "TPC-H queries for --tpch, e.g. 1,3-5")
	fs.IntVar(&c.runs, "runs", 3, "timed runs per query and engine for --tpch")
	fs.BoolVar(&c.quiet, "quiet", false, "no stage list and progress on stderr")
	fs.BoolVar(&c.verbose, "verbose", false, "show Beam's and the runner's own log")
	fs.IntVar(&c.threads, "threads", 0, "executor threads per task (default: all cores)")
	fs.StringVar(&c.memory, "memory-limit", "", "memory budget of each worker process, e.g. 4GB (default: 80% of RAM)")
	fs.Int64Var(&c.opts.SplitRows, "split-rows", 0, "rows a scan split aims for (default 1M)")
	fs.IntVar(&c.opts.MinSplits, "min-splits", 0, "a scan of that many row groups gets at least that many splits (default 8)")
	fs.IntVar(&c.opts.Workers, "workers", 0, "parallelism the plan assumes: the least number of hash partitions (default 8)")
	fs.IntVar(&c.opts.MaxPartitions, "max-partitions", 0, "most hash partitions of an exchange (default 64)")
	fs.Int64Var(&c.opts.PartitionBytes, "partition-bytes", 0, "data a hash partition aims for (default 64 MiB)")
	fs.Int64Var(&c.opts.BroadcastBytes, "broadcast-limit", 0, "largest estimated join build side, in bytes, that is broadcast (default 64 MiB; -1: shuffle every join that can be)")
	flag.CommandLine.VisitAll(func(f *flag.Flag) {
		if fs.Lookup(f.Name) == nil {
			fs.Var(f.Value, f.Name, f.Usage)
		}
	})
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: peregrine-beam [flags] DIR_OR_URL -c \"SQL\"\n\nRuns the query as an Apache Beam pipeline.\nFlags (Beam's own, e.g. --endpoint, --environment_type, --project, --region, --temp_location, also apply):\n")
		fs.VisitAll(func(f *flag.Flag) {
			if strings.Contains(f.Usage, "`") || !strings.Contains(f.Name, "_") {
				fmt.Fprintf(stderr, "  --%s\n    \t%s\n", f.Name, f.Usage)
			}
		})
	}
	data := ""
	for {
		if err := fs.Parse(args); err != nil {
			return nil, "", err
		}
		if fs.NArg() == 0 {
			break
		}
		if data != "" {
			return nil, "", fmt.Errorf("more than one data folder given (%q and %q)", data, fs.Arg(0))
		}
		data, args = fs.Arg(0), fs.Args()[1:]
	}
	return c, data, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	c, data, err := flags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "Error: %v\n", err)
		return 1
	}
	// A runner starts this binary as its worker with Beam's flags: Init
	// then runs the worker and does not return.
	beam.Init()
	if c.bench {
		return c.benchTPCH(context.Background(), data, stdout, stderr)
	}
	if err := c.query(context.Background(), data, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "Error: %v\n", err)
		return 1
	}
	return 0
}

func (c *config) query(ctx context.Context, data string, stdout, stderr io.Writer) error {
	switch c.format {
	case "table", "csv", "json":
	default:
		return fmt.Errorf("unknown format %q (use table, csv or json)", c.format)
	}
	if data == "" || c.sql == "" {
		return errors.New(`usage: peregrine-beam [flags] DIR_OR_URL -c "SQL" (see --help)`)
	}
	// Beam's Dataflow runner reports the job's progress in its own log.
	quietLogs(c.verbose || c.runner == "dataflow" && !c.quiet)
	db, limit, err := c.open(data)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := db.PlanDistributed(c.sql, c.opts)
	if err != nil {
		return err
	}
	if c.explain {
		_, err := io.WriteString(stdout, d.Explain())
		return err
	}
	_, result, err := c.execute(ctx, d, data, limit, newProgress(d, stderr, c.quiet))
	if result != "" {
		defer removeAll(ctx, result)
	}
	if err != nil || c.out != "" {
		return err
	}
	r, err := openResult(ctx, result, planner.Types(d.Plan.Root().Root))
	if err != nil {
		return err
	}
	defer r.Close()
	return resultfmt.Print(ctx, stdout, c.format, d.ResultRows(r.Next))
}

func (c *config) open(data string) (*peregrine.DB, int64, error) {
	var limit int64
	if c.memory != "" {
		n, err := peregrine.ParseBytes(c.memory)
		if err != nil {
			return nil, 0, err
		}
		limit = n
	}
	db, err := openDB(data, c.threads, limit)
	return db, limit, err
}

// execute runs a planned query as a Beam job. The result is left in the
// returned folder (the caller removes it), or committed to --out.
func (c *config) execute(ctx context.Context, d *peregrine.Distributed, data string, limit int64, p *progress) (*jobResult, string, error) {
	q := query{Data: data, SQL: c.sql, Opts: c.opts, Fingerprint: d.Fingerprint, Threads: c.threads, MemoryLimit: limit,
		Result: c.resultDir, Out: c.out != ""}
	for _, col := range d.Columns {
		q.Names = append(q.Names, col.Name)
	}
	switch {
	case c.out != "":
		// Staged beside the final files, so that moving them is a rename.
		q.Result = join(c.out, ".peregrine-staging-"+randomID())
	case q.Result == "":
		dir, err := os.MkdirTemp("", "peregrine-beam-result-")
		if err != nil {
			return nil, "", err
		}
		q.Result = dir
	default:
		q.Result = join(q.Result, "peregrine-"+randomID())
	}
	if !strings.Contains(q.Result, "://") {
		if err := os.MkdirAll(q.Result, 0o755); err != nil {
			return nil, "", err
		}
	}
	p.stages()
	res, err := runJob(ctx, c.runner, buildPipeline(d, q), p.update, p.status)
	if err != nil {
		return nil, q.Result, err
	}
	p.summary(res)
	if c.out != "" {
		files, err := commitParquet(ctx, q.Result, c.out)
		if err != nil {
			return res, q.Result, err
		}
		p.status(fmt.Sprintf("wrote %d Parquet files to %s", len(files), c.out))
	}
	return res, q.Result, nil
}

// quietLogs keeps Beam's and prism's informational logging off stderr.
func quietLogs(verbose bool) {
	if verbose {
		return
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError + 4})))
	beamlog.SetLogger(errorsOnly{})
}

// errorsOnly is a Beam logger that drops everything below errors (a failed
// task's error reaches the user through the job's messages anyway).
type errorsOnly struct{}

func (errorsOnly) Log(ctx context.Context, sev beamlog.Severity, _ int, msg string) {
	if sev >= beamlog.SevFatal {
		fmt.Fprintln(os.Stderr, msg)
	}
}

// progress reports the query's stages on stderr: the fragments before the
// job starts, then each fragment's tasks done and rows moved as the
// runner's metrics change, then a summary with the exchange's costs.
type progress struct {
	d     *peregrine.Distributed
	w     io.Writer
	quiet bool
	t0    time.Time
	last  map[int]int64
}

func newProgress(d *peregrine.Distributed, w io.Writer, quiet bool) *progress {
	return &progress{d: d, w: w, quiet: quiet, t0: time.Now(), last: map[int]int64{}}
}

func (p *progress) status(s string) {
	if !p.quiet {
		fmt.Fprintf(p.w, "[%s] %s\n", since(p.t0), s)
	}
}

func (p *progress) stages() {
	if p.quiet {
		return
	}
	fmt.Fprintf(p.w, "plan %s: %d stages\n", p.d.Fingerprint, len(p.d.Plan.Fragments))
	for _, f := range p.d.Plan.Fragments {
		fmt.Fprintf(p.w, "  %s\n", planner.FragmentHeader(f))
	}
}

func (p *progress) update(m metrics.Results) {
	if p.quiet {
		return
	}
	counts := fragmentCounters(m)
	for _, id := range sortedIDs(counts) {
		c := counts[id]
		if c["tasks"] == p.last[id] || id < 1 || id > len(p.d.Plan.Fragments) {
			continue
		}
		p.last[id] = c["tasks"]
		f := p.d.Plan.Fragments[id-1]
		p.status(fmt.Sprintf("stage %d: %d/%d tasks done, %d rows in, %d rows out", id, c["tasks"], f.Tasks(), c["rows_in"], c["rows_out"]))
	}
}

func (p *progress) summary(res *jobResult) {
	if p.quiet {
		return
	}
	counts := fragmentCounters(res.metrics)
	var enc, dec, task, bytes int64
	for _, id := range sortedIDs(counts) {
		c := counts[id]
		enc, dec, task, bytes = enc+c["encode_us"], dec+c["decode_us"], task+c["task_us"], bytes+c["bytes_out"]
		spill := ""
		if c["spilled_bytes"] > 0 {
			spill = ", " + mib(c["spilled_bytes"]) + " spilled"
		}
		fmt.Fprintf(p.w, "  stage %d: %d tasks, %d rows in, %d rows out, %d batches (%s) out, task time %s%s\n", id, c["tasks"],
			c["rows_in"], c["rows_out"], c["batches_out"], mib(c["bytes_out"]), time.Duration(c["task_us"])*time.Microsecond, spill)
	}
	p.status(fmt.Sprintf("job done in %s: tasks ran %s (Arrow IPC encoding %s, decoding %s), %s crossed exchanges",
		res.elapsed.Round(time.Millisecond), time.Duration(task)*time.Microsecond, time.Duration(enc)*time.Microsecond,
		time.Duration(dec)*time.Microsecond, mib(bytes)))
}

// mib formats a byte count for progress lines.
func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
