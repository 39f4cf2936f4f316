package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"time"

	"github.com/peregrinedb/peregrine"
)

func main() {
	ctx := context.Background()
	dir := "testdata/tpch-sf0.01-duckdb"
	db, err := peregrine.Open(dir, peregrine.WithExternalAccess(false), peregrine.WithMaxQueryTime(10*time.Second),
		peregrine.WithMaxResultRows(100_000), peregrine.WithLockConfiguration())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	_, err = db.Query(ctx, "SELECT * FROM read_parquet('/etc/passwd')")
	fmt.Println(err) // Permission Error: Cannot access file "/etc/passwd" - file system operations are disabled by configuration (then DuckDB's LINE 1 context)

	// The same through database/sql (options in any order; the lock is applied last).
	sqldb, err := sql.Open("peregrine", dir+"?enable_external_access=false&lock_configuration=true&max_query_time=10s")
	if err != nil {
		log.Fatal(err)
	}
	defer sqldb.Close()
	var n int64
	if err := sqldb.QueryRowContext(ctx, "SELECT count(*) FROM nation").Scan(&n); err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "nations")
}
