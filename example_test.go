package peregrine_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"

	"github.com/peregrinedb/peregrine"
)

// Open a folder of Parquet files (each NAME.parquet is a table) and run a
// query, reading the result a batch at a time.
func ExampleOpen() {
	db, err := peregrine.Open("testdata/tpch-sf0.01-duckdb")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rows, err := db.Query(ctx, "SELECT r_name FROM region ORDER BY r_regionkey LIMIT 3")
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for {
		b, err := rows.Next(ctx)
		if err != nil {
			log.Fatal(err)
		}
		if b == nil {
			break
		}
		for k := 0; k < b.Len(); k++ {
			i := k
			if b.Sel != nil {
				i = int(b.Sel[k])
			}
			fmt.Println(b.Vecs[0].Str[i])
		}
	}
	// Output:
	// AFRICA
	// AMERICA
	// ASIA
}

// QueryArrow streams the result as Arrow record batches.
func ExampleDB_QueryArrow() {
	db, err := peregrine.Open("testdata/tpch-sf0.01-duckdb")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	rr, err := db.QueryArrow(context.Background(), "SELECT n_regionkey, count(*) AS n FROM nation GROUP BY 1 ORDER BY 1")
	if err != nil {
		log.Fatal(err)
	}
	defer rr.Release()
	for rr.Next() {
		rec := rr.RecordBatch()
		fmt.Println(rec.Schema().Field(1).Name, rec.NumRows(), rec.Column(1))
	}
	if err := rr.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// n 5 [5 5 5 5 5]
}

// The database/sql driver "peregrine": the DSN is a folder (options after
// "?"). DECIMAL values scan into float64, string, int64 when integral, or
// peregrine.Decimal.
func Example_databaseSQL() {
	db, err := sql.Open("peregrine", "testdata/tpch-sf0.01-duckdb?threads=2")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	var total int64
	var avg float64
	var exact peregrine.Decimal
	err = db.QueryRow("SELECT sum(l_quantity), avg(l_discount), sum(l_extendedprice) FROM lineitem WHERE l_orderkey < 10").
		Scan(&total, &avg, &exact)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d %.4f %s\n", total, avg, exact)
	// Output:
	// 691 0.0640 927018.94
}

// WithProgress follows a running query, for a progress bar.
func ExampleWithProgress() {
	db, err := peregrine.Open("testdata/tpch-sf0.01-duckdb")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx, progress := peregrine.WithProgress(context.Background())
	if err := db.Exec(ctx, "SELECT sum(l_quantity) FROM lineitem"); err != nil {
		log.Fatal(err)
	}
	done, total := progress.Rows()
	fmt.Println(done == total, total)
	// Output:
	// true 60175
}
