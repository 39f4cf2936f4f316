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
	"strconv"
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
	answers := flag.String("answers", "", "write each query's result as qNN.csv (the reference answers' format) into this folder, then exit")
	script := flag.Bool("sql", false, "run the SQL script given with -c (or on standard input) and print each statement's columns with their types, rows, or DuckDB's error, then exit")
	command := flag.String("c", "", "the script for -sql")
	slt := flag.Bool("complete", false, "fill in the expected results of the sqllogictest files given as arguments from DuckDB, then exit")
	parseErrors := flag.Bool("errors", false, "fill in DuckDB's error texts in the bad-input files given as arguments (testdata/parser/errors.txt), then exit")
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
		if *data == "" {
			break
		}
		q := fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet('%s')", t, filepath.Join(*data, t+".parquet"))
		if _, err := db.Exec(q); err != nil {
			panic(err)
		}
	}
	if *script {
		text, err := scriptFrom(*command)
		if err != nil {
			panic(err)
		}
		runScript(db, text, os.Stdout)
		return
	}
	if *parseErrors {
		for _, f := range flag.Args() {
			if err := completeErrors(db, f); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		return
	}
	if *slt {
		for _, f := range flag.Args() {
			if err := complete(db, f); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		return
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
	if *answers != "" {
		if err := writeAnswers(db, *queries, *answers); err != nil {
			panic(err)
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

// writeAnswers stores each query's rows as '|'-separated text with a header,
// NULL as empty, like the reference answers.
func writeAnswers(db *sql.DB, queries, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for q := 1; q <= 22; q++ {
		b, err := os.ReadFile(filepath.Join(queries, fmt.Sprintf("q%02d.sql", q)))
		if err != nil {
			return err
		}
		rows, err := db.Query(strings.TrimSpace(string(b)))
		if err != nil {
			return fmt.Errorf("Q%02d: %w", q, err)
		}
		cols, _ := rows.Columns()
		var sb strings.Builder
		sb.WriteString(strings.Join(cols, "|") + "\n")
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			parts := make([]string, len(cols))
			for i, v := range vals {
				parts[i] = format(v)
			}
			sb.WriteString(strings.Join(parts, "|") + "\n")
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("q%02d.csv", q)), []byte(sb.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func format(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.Format("2006-01-02")
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case interface{ Float64() float64 }:
		return strconv.FormatFloat(x.Float64(), 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
