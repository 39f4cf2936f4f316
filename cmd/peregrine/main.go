// Command peregrine is the Peregrine SQL shell (files: doc.go): an interactive REPL, a
// one-shot query runner, and TPC-H data generation and benchmark runs.
//
//	peregrine [flags] [DIR]        open DIR (each NAME.parquet / folder is a table)
//	peregrine -c "SQL" [DIR]       run statements or dot commands and exit (repeatable)
//	peregrine -f script.sql [DIR]  run a script
//	peregrine tpch [gen|run|demo]  TPC-H data and benchmarks
//	peregrine inspect PATH         layout report and advice for a dataset
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"

	"golang.org/x/term"

	"github.com/peregrinedb/peregrine"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// version is the module version the binary was built from.
func version() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
	}
	return "peregrine " + v
}

func usage(fs *flag.FlagSet) func() {
	return func() {
		fmt.Fprintf(fs.Output(), `Usage: peregrine [flags] [DIR]
       peregrine tpch gen|run|demo [flags]
       peregrine ssb gen|run [flags]
       peregrine inspect [--html FILE] PATH

Opens DIR as a database: each NAME.parquet file and each folder of Parquet
files is a table NAME. Files can also be queried by path:
  SELECT * FROM 'data/*.parquet';  SELECT * FROM read_parquet('x.parquet');
~/.peregrinerc (or the -init file) is run first. Type .help in the shell.

Flags (one dash or two):
`)
		fs.PrintDefaults()
	}
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, "; ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	if len(args) > 0 && args[0] == "tpch" {
		return runTPCH(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "ssb" {
		return runSSB(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "inspect" {
		return runInspect(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("peregrine", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = usage(fs)
	var commands multiFlag
	fs.Var(&commands, "c", "run `COMMAND` (SQL or a dot command) and exit; may be repeated")
	var (
		file     = fs.String("f", "", "run the SQL script `FILE` and exit")
		initFile = fs.String("init", "", "run `FILE` at start instead of ~/.peregrinerc")
		format   = fs.String("format", "", "output mode (as .mode): duckbox, box, table, markdown, latex, line, list, csv, tabs, json, jsonlines, html, insert")
		threads  = fs.Int("threads", 0, "worker threads (default: all cores)")
		memory   = fs.String("memory-limit", "", "query memory budget, e.g. 2GB (default: 80% of RAM); operators spill beyond it")
		tempDir  = fs.String("temp-directory", "", "folder for spill files (default: under the OS temp dir)")
		bail     = fs.Bool("bail", false, "stop at the first error")
		echo     = fs.Bool("echo", false, "print each command before running it")
		header   = fs.Bool("header", false, "turn headers on")
		noHeader = fs.Bool("noheader", false, "turn headers off")
		nullVal  = fs.String("nullvalue", "", "text for NULL values")
		sep      = fs.String("separator", "", "column separator for list and csv modes")
		showVer  = fs.Bool("version", false, "print the version and exit")
		profile  = fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (for go tool pprof)")
	)
	modeFlags := map[string]*bool{}
	for _, m := range modes {
		modeFlags[m] = fs.Bool(m, false, "set output mode to "+m)
	}
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
	if *showVer {
		fmt.Fprintln(stdout, version())
		return 0
	}
	out := newOutput()
	out.width = func() int { return terminalWidth(stdout) }
	if *format != "" {
		m := *format
		if m == "table" {
			// --format table predates .mode: it meant the duckbox.
			m = "duckbox"
		}
		if err := out.setMode(m, ""); err != nil {
			fmt.Fprintf(stderr, "Error: unknown format %q: %v\n", *format, err)
			return 1
		}
	}
	for _, m := range modes {
		if *modeFlags[m] {
			out.setMode(m, "")
		}
	}
	if *header {
		out.headers = true
	}
	if *noHeader {
		out.headers = false
	}
	if *nullVal != "" {
		out.nullValue = *nullVal
	}
	if *sep != "" {
		out.colSep = unescape(*sep)
	}
	if *profile != "" {
		stop, err := startProfile(*profile)
		if err != nil {
			fmt.Fprintf(stderr, "Error: %v\n", err)
			return 1
		}
		defer stop()
	}
	db, err := openDB(dir, *threads, *memory, *tempDir)
	if err != nil {
		fmt.Fprintf(stderr, "Error: %v\n", err)
		return 1
	}
	sh := &shell{db: db, dir: dir, stdout: stdout, out: stdout, errOut: stderr, output: out, bail: *bail, echo: *echo,
		threads: *threads, memory: *memory, tempDir: *tempDir, exitCode: -1}
	sh.progress = defaultProgress(stdout)
	defer func() { sh.db.Close(); sh.closeOutput() }()
	sh.runRC(*initFile)
	interactive := len(commands) == 0 && *file == "" && isTerminal(stdin) && isTerminal(stdout)
	switch {
	case len(commands) > 0:
		for _, c := range commands {
			if sh.stop() {
				break
			}
			sh.script(c)
		}
	case *file != "":
		b, err := os.ReadFile(*file)
		if err != nil {
			fmt.Fprintf(stderr, "Error: %v\n", err)
			return 1
		}
		sh.script(string(b))
	case interactive:
		sh.repl()
	default:
		b, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "Error: reading standard input: %v\n", err)
			return 1
		}
		sh.script(string(b))
	}
	if sh.exitCode >= 0 {
		return sh.exitCode
	}
	if sh.failed {
		return 1
	}
	return 0
}

// openDB opens dir with the command line's settings.
func openDB(dir string, threads int, memory, tempDir string) (*peregrine.DB, error) {
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
	if memory != "" {
		n, err := peregrine.ParseBytes(memory)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("--memory-limit: %v", err)
		}
		db.SetMemoryLimit(n)
	}
	if err := db.SetTempDir(tempDir); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// runRC runs the start-up file: path, or ~/.peregrinerc when path is "".
func (sh *shell) runRC(path string) {
	if path == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return
		}
		path = filepath.Join(home, ".peregrinerc")
		if _, err := os.Stat(path); err != nil {
			return
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		sh.report(err)
		return
	}
	sh.script(string(b))
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

func isTerminal(x any) bool {
	f, ok := x.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalWidth is w's width in columns, or COLUMNS, or 0 when unknown.
func terminalWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	var n int
	if _, err := fmt.Sscanf(os.Getenv("COLUMNS"), "%d", &n); err == nil && n > 0 {
		return n
	}
	return 0
}
