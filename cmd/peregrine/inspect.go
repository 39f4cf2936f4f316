package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/peregrinedb/peregrine/storage"
)

// runInspect prints the layout report of a dataset: files, sizes, row
// groups, codecs and encodings, partition skew, and suggestions with the
// numbers behind them.
func runInspect(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("peregrine inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: peregrine inspect PATH   (a Parquet file, folder, glob or hive-partitioned dataset)")
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
	cat, err := storage.Open("")
	if err != nil {
		fmt.Fprintf(stderr, "Error: %v\n", err)
		return 1
	}
	defer cat.Close()
	rep, err := storage.Inspect(ctx, cat, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "Error: %v\n", err)
		return 1
	}
	fmt.Fprint(stdout, rep.Text())
	return 0
}
