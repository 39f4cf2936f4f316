// Command duckbench times TPC-H queries in DuckDB over the same Parquet files
// Peregrine reads, for side-by-side comparisons.
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

func main() {
	data := flag.String("data", "", "folder with TPC-H parquet files")
	queries := flag.String("queries", "", "folder with q01.sql..q22.sql")
	runs := flag.Int("runs", 3, "runs per query")
	threads := flag.Int("threads", 2, "threads")
	write := flag.String("write", "", "rewrite the tables into this folder with DuckDB's Parquet defaults, then exit")
	flag.Parse()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		panic(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(fmt.Sprintf("SET threads=%d", *threads)); err != nil {
		panic(err)
	}
	for _, t := range []string{"customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"} {
		q := fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet('%s')", t, filepath.Join(*data, t+".parquet"))
		if _, err := db.Exec(q); err != nil {
			panic(err)
		}
	}
	if *write != "" {
		os.MkdirAll(*write, 0o755)
		for _, t := range []string{"customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"} {
			if _, err := db.Exec(fmt.Sprintf("COPY (SELECT * FROM %s) TO '%s' (FORMAT parquet)", t, filepath.Join(*write, t+".parquet"))); err != nil {
				panic(err)
			}
		}
		return
	}
	for q := 1; q <= 22; q++ {
		b, err := os.ReadFile(filepath.Join(*queries, fmt.Sprintf("q%02d.sql", q)))
		if err != nil {
			panic(err)
		}
		text := strings.TrimSpace(string(b))
		var ts []float64
		for r := 0; r < *runs; r++ {
			start := time.Now()
			rows, err := db.Query(text)
			if err != nil {
				fmt.Printf("Q%02d error %v\n", q, err)
				break
			}
			for rows.Next() {
			}
			rows.Close()
			ts = append(ts, float64(time.Since(start).Microseconds())/1000)
		}
		sort.Float64s(ts)
		if len(ts) > 0 {
			fmt.Printf("Q%02d %9.1f ms (min %9.1f ms)\n", q, ts[len(ts)/2], ts[0])
		}
	}
}
