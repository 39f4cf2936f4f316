package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"

	"github.com/peregrinedb/peregrine/storage"
)

// runInspect prints the layout report of a dataset: files, sizes, row
// groups, codecs and encodings, partition skew, and suggestions with the
// numbers behind them and the statement that carries each out. A folder
// holding several tables (a database folder) gets one report per table.
func runInspect(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("peregrine inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	htmlOut := fs.String("html", "", "also write a self-contained HTML report to `FILE`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: peregrine inspect [--html FILE] PATH   (a Parquet file, folder, glob, hive-partitioned dataset, or a folder of tables)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 1
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 1
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	reports, err := inspectPath(ctx, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "Error: %v\n", err)
		return 1
	}
	for i, rep := range reports {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprint(stdout, rep.Text())
	}
	if *htmlOut != "" {
		if err := writeHTMLReport(*htmlOut, reports); err != nil {
			fmt.Fprintf(stderr, "Error: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "\nHTML report written to %s\n", *htmlOut)
	}
	return 0
}

// inspectPath inspects path, table by table when it is a folder of tables
// (NAME.parquet files or NAME folders side by side, none a hive
// partition): advice for one table never mixes in another's files.
func inspectPath(ctx context.Context, path string) ([]*storage.Report, error) {
	cat, err := storage.Open("")
	if err != nil {
		return nil, err
	}
	defer cat.Close()
	if tables := tablesIn(ctx, path); len(tables) > 1 {
		var out []*storage.Report
		for _, t := range tables {
			rep, err := storage.Inspect(ctx, cat, t)
			if err != nil {
				return nil, err
			}
			out = append(out, rep)
		}
		return out, nil
	}
	rep, err := storage.Inspect(ctx, cat, path)
	if err != nil {
		return nil, err
	}
	return []*storage.Report{rep}, nil
}

// tablesIn lists the table paths of a database folder, local or on an
// object store (nil when path is not one).
func tablesIn(ctx context.Context, path string) []string {
	db, err := storage.Open(path) // fails unless path is a folder or prefix
	if err != nil {
		return nil
	}
	defer db.Close()
	tables, err := db.Query(ctx).TablePaths()
	if err != nil {
		return nil
	}
	var out []string
	for n, p := range tables {
		if strings.Contains(n, "=") {
			return nil // a hive-partitioned dataset: one table
		}
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
