// Command tpchgen writes TPC-H tables as Parquet files:
//
//	go run ./bench/cmd/tpchgen -sf 1 -out /tmp/tpch-sf1
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/peregrinedb/peregrine/bench/tpchgen"
)

func main() {
	sf := flag.Float64("sf", 0.01, "scale factor (below 1: any dbgen fraction; from 1 on: whole numbers)")
	out := flag.String("out", "", "output directory (required)")
	codec := flag.String("compression", "snappy", "snappy, zstd, gzip, lz4_raw or none")
	rowGroup := flag.Int("rowgroup", tpchgen.DefaultRowGroupSize, "rows per row group")
	tables := flag.String("tables", "", "comma-separated tables (default: all 8)")
	flag.Parse()
	if *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	opts := tpchgen.Options{SF: *sf, OutDir: *out, Compression: *codec, RowGroupSize: *rowGroup}
	if *tables != "" {
		opts.Tables = strings.Split(*tables, ",")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	if err := tpchgen.Generate(ctx, opts); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "SF %v written to %s in %v\n", *sf, *out, time.Since(start).Round(time.Millisecond))
}
