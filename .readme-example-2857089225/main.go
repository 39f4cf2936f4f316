package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"

	"github.com/peregrinedb/peregrine" // also registers the database/sql driver "peregrine"
)

func main() {
	ctx := context.Background()
	dir := "testdata/tpch-sf0.01-duckdb" // each NAME.parquet (or folder of them) is table NAME; "" for none

	// The engine's API: results as Arrow record batches, streamed.
	db, err := peregrine.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	rr, err := db.QueryArrow(ctx, "SELECT o_orderpriority, count(*) AS n FROM orders GROUP BY 1 ORDER BY 1")
	if err != nil {
		log.Fatal(err)
	}
	defer rr.Release()
	for rr.Next() {
		rec := rr.RecordBatch() // valid until the next call; cancel ctx to stop
		fmt.Println(rec.NumRows(), "rows:", rec.Column(0), rec.Column(1))
	}
	if err := rr.Err(); err != nil {
		log.Fatal(err)
	}

	// database/sql: DECIMAL scans into float64, string, int64 (when integral)
	// or peregrine.Decimal; DATE and TIMESTAMP into time.Time.
	sqldb, err := sql.Open("peregrine", dir+"?threads=4")
	if err != nil {
		log.Fatal(err)
	}
	defer sqldb.Close()
	var total int64 // sum(l_quantity) is DECIMAL(38,2), integral here
	if err := sqldb.QueryRowContext(ctx, "SELECT sum(l_quantity) FROM lineitem").Scan(&total); err != nil {
		log.Fatal(err)
	}
	fmt.Println("total quantity:", total)
}
