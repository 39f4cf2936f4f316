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
	data := flag.String("data", "", "folder of Parquet files: each NAME.parquet becomes a view NAME")
	queries := flag.String("queries", "", "folder of queries: every NAME.sql in it, in name order (TPC-H: q01.sql..q22.sql)")
	runs := flag.Int("runs", 3, "runs per query")
	threads := flag.Int("threads", 2, "threads")
	write := flag.String("write", "", "rewrite the tables into this folder with DuckDB's Parquet defaults, then exit")
	answers := flag.String("answers", "", "write each query's result as NAME.csv (the reference answers' format) into this folder, then exit")
	script := flag.Bool("sql", false, "run the SQL script given with -c (or on standard input) and print each statement's columns with their types, rows, or DuckDB's error, then exit")
	command := flag.String("c", "", "the script for -sql")
	slt := flag.Bool("complete", false, "fill in the expected results of the sqllogictest files given as arguments from DuckDB, then exit")
	parseErrors := flag.Bool("errors", false, "fill in DuckDB's error texts in the bad-input files given as arguments (testdata/parser/errors.txt), then exit")
	dbgen := flag.Float64("dbgen", 0, "generate TPC-H at this scale factor with DuckDB's CALL dbgen (needs the tpch extension: build with -modfile=duckdb2.mod), e.g. with -write DIR")
	flag.Parse()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		panic(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(fmt.Sprintf("SET threads=%d", *threads)); err != nil {
		panic(err)
	}
	if *dbgen > 0 {
		if _, err := db.Exec(fmt.Sprintf("CALL dbgen(sf=%s)", strconv.FormatFloat(*dbgen, 'g', -1, 64))); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	tables, err := tableFiles(*data)
	if err != nil {
		panic(err)
	}
	views := tables
	if *dbgen > 0 && len(tables) == 0 {
		// -write copies the tables dbgen made.
		tables = []string{"customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"}
	}
	for _, t := range views {
		q := fmt.Sprintf("CREATE VIEW %q AS SELECT * FROM read_parquet('%s')", t, filepath.Join(*data, t+".parquet"))
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
			// Each file on a fresh database, as TestSQLLogic runs them.
			fdb, err := openViews(*data, *threads, views)
			if err == nil {
				err = complete(fdb, f)
				fdb.Close()
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		return
	}
	if *write != "" {
		os.MkdirAll(*write, 0o755)
		for _, t := range tables {
			if _, err := db.Exec(fmt.Sprintf("COPY (SELECT * FROM %q) TO '%s' (FORMAT parquet)", t, filepath.Join(*write, t+".parquet"))); err != nil {
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
	files, err := queryFiles(*queries)
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(*queries, f+".sql"))
		if err != nil {
			panic(err)
		}
		text := strings.TrimSpace(string(b))
		var ts []float64
		for r := 0; r < *runs; r++ {
			start := time.Now()
			rows, err := db.Query(text)
			if err != nil {
				fmt.Printf("%s error %v\n", label(f), err)
				break
			}
			for rows.Next() {
			}
			rows.Close()
			ts = append(ts, float64(time.Since(start).Microseconds())/1000)
		}
		sort.Float64s(ts)
		if len(ts) > 0 {
			fmt.Printf("%s %9.1f ms (min %9.1f ms)\n", label(f), ts[len(ts)/2], ts[0])
		}
	}
}

// label prints TPC-H's qNN as QNN (the format earlier notes quote) and
// other queries by their file name.
func label(name string) string {
	if len(name) == 3 && name[0] == 'q' && name[1] >= '0' && name[1] <= '9' {
		return "Q" + name[1:]
	}
	return name
}

// tableFiles lists the NAME of every NAME.parquet in dir ("" for none).
func tableFiles(dir string) ([]string, error) {
	if dir == "" {
		return nil, nil
	}
	return namesWithSuffix(dir, ".parquet")
}

// queryFiles lists the NAME of every NAME.sql in dir, sorted.
func queryFiles(dir string) ([]string, error) { return namesWithSuffix(dir, ".sql") }

func namesWithSuffix(dir, suffix string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), suffix); ok && !e.IsDir() {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}

// writeAnswers stores each query's rows as '|'-separated text with a header,
// NULL as empty, like the reference answers.
func writeAnswers(db *sql.DB, queries, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files, err := queryFiles(queries)
	if err != nil {
		return err
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(queries, f+".sql"))
		if err != nil {
			return err
		}
		rows, err := db.Query(strings.TrimSpace(string(b)))
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
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
		if err := os.WriteFile(filepath.Join(dir, f+".csv"), []byte(sb.String()), 0o644); err != nil {
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

// openViews opens an in-memory DuckDB with a view of each of tables' files
// in data.
func openViews(data string, threads int, tables []string) (*sql.DB, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(fmt.Sprintf("SET threads=%d", threads)); err != nil {
		db.Close()
		return nil, err
	}
	for _, t := range tables {
		q := fmt.Sprintf("CREATE VIEW %q AS SELECT * FROM read_parquet('%s')", t, filepath.Join(data, t+".parquet"))
		if _, err := db.Exec(q); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}
