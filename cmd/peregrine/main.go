// Command peregrine is the Peregrine SQL shell: an interactive REPL, a
// one-shot query runner, and TPC-H data generation and benchmark runs.
//
//	peregrine [flags] [DIR]        open DIR (each NAME.parquet / folder is a table)
//	peregrine -c "SQL" [DIR]       run statements and exit
//	peregrine -f script.sql [DIR]  run a script
//	peregrine tpch [gen|run|demo]  TPC-H data and benchmarks
//	peregrine inspect PATH         layout report and advice for a dataset
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/cmd/internal/resultfmt"
	"github.com/peregrinedb/peregrine/sql"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// shell holds one invocation's state.
type shell struct {
	db     *peregrine.DB
	out    io.Writer
	errOut io.Writer
	format string
	timer  bool
	bail   bool
	failed bool
}

func usage(fs *flag.FlagSet) func() {
	return func() {
		fmt.Fprintf(fs.Output(), `Usage: peregrine [flags] [DIR]
       peregrine tpch gen|run|demo [flags]
       peregrine inspect PATH

Opens DIR as a database: each NAME.parquet file and each folder of Parquet
files is a table NAME. Files can also be queried by path:
  SELECT * FROM 'data/*.parquet';  SELECT * FROM read_parquet('x.parquet');

Flags:
`)
		fs.PrintDefaults()
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	if len(args) > 0 && args[0] == "tpch" {
		return runTPCH(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "inspect" {
		return runInspect(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("peregrine", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = usage(fs)
	var (
		command = fs.String("c", "", "run the SQL statements and exit")
		file    = fs.String("f", "", "run the SQL script `FILE` and exit")
		format  = fs.String("format", "table", "output format: table, csv or json")
		threads = fs.Int("threads", 0, "worker threads (default: all cores)")
		memory  = fs.String("memory-limit", "", "query memory budget, e.g. 2GB (default: 80% of RAM); operators spill beyond it")
		tempDir = fs.String("temp-directory", "", "folder for spill files (default: under the OS temp dir)")
		bail    = fs.Bool("bail", false, "stop at the first error")
		profile = fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (for go tool pprof)")
	)
	dir := ""
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 1
		}
		if fs.NArg() == 0 {
			break
		}
		if dir != "" {
			fmt.Fprintf(stderr, "Error: more than one database directory given (%q and %q)\n", dir, fs.Arg(0))
			return 1
		}
		dir, args = fs.Arg(0), fs.Args()[1:]
	}
	switch *format {
	case "table", "csv", "json":
	default:
		fmt.Fprintf(stderr, "Error: unknown format %q (use table, csv or json)\n", *format)
		return 1
	}
	if *profile != "" {
		stop, err := startProfile(*profile)
		if err != nil {
			fmt.Fprintf(stderr, "Error: %v\n", err)
			return 1
		}
		defer stop()
	}
	db, err := peregrine.Open(dir)
	if err != nil {
		fmt.Fprintf(stderr, "Error: %v\n", err)
		return 1
	}
	defer db.Close()
	if *threads > 0 {
		if err := db.SetThreads(*threads); err != nil {
			fmt.Fprintf(stderr, "Error: %v\n", err)
			return 1
		}
	}
	if *memory != "" {
		n, err := peregrine.ParseBytes(*memory)
		if err != nil {
			fmt.Fprintf(stderr, "Error: --memory-limit: %v\n", err)
			return 1
		}
		db.SetMemoryLimit(n)
	}
	if err := db.SetTempDir(*tempDir); err != nil {
		fmt.Fprintf(stderr, "Error: %v\n", err)
		return 1
	}
	sh := &shell{db: db, out: stdout, errOut: stderr, format: *format, bail: *bail}
	switch {
	case *command != "":
		sh.script(*command)
	case *file != "":
		b, err := os.ReadFile(*file)
		if err != nil {
			fmt.Fprintf(stderr, "Error: %v\n", err)
			return 1
		}
		sh.script(string(b))
	case isTerminal(stdin):
		sh.repl(dir)
	default:
		b, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "Error: reading standard input: %v\n", err)
			return 1
		}
		sh.script(string(b))
	}
	if sh.failed {
		return 1
	}
	return 0
}

func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// script runs every statement of text; with bail it stops at the first error.
func (sh *shell) script(text string) {
	stmts, err := sql.SplitStatements(text)
	if err != nil {
		sh.report(fmt.Errorf("Parser Error: %v", err))
		return
	}
	for _, s := range stmts {
		if !sh.statement(s) && sh.bail {
			return
		}
	}
}

// statement runs one statement and prints its result; Ctrl-C cancels it.
func (sh *shell) statement(text string) (ok bool) {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	defer func() {
		// A bug must never show users a Go stack trace.
		if r := recover(); r != nil {
			if os.Getenv("PEREGRINE_DEBUG") != "" {
				debug.PrintStack()
			}
			sh.report(fmt.Errorf("internal error: %v", r))
			ok = false
		}
	}()
	start := time.Now()
	rows, err := sh.db.Query(ctx, text)
	if err == nil {
		err = resultfmt.Print(ctx, sh.out, sh.format, rows)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			err = errors.New("Interrupted")
		}
		sh.report(err)
		return false
	}
	if sh.timer {
		fmt.Fprintf(sh.out, "Run Time (s): real %.3f\n", time.Since(start).Seconds())
	}
	return true
}

func (sh *shell) report(err error) {
	sh.failed = true
	msg := strings.TrimSpace(err.Error())
	msg = strings.ReplaceAll(msg, "\n", " ")
	fmt.Fprintf(sh.errOut, "Error: %s\n", msg)
}
