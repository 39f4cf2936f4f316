package peregrine_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"strings"

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

// Parameters through the native API: ? takes the arguments in order, $1
// and $2 by position. Values go into the plan as typed constants, never
// into the SQL text.
func ExampleDB_Query_parameters() {
	db, err := peregrine.Open("testdata/tpch-sf0.01-duckdb")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rows, err := db.Query(ctx, "SELECT count(*) FROM lineitem WHERE l_quantity < ? AND l_shipmode = ?", 24, "AIR")
	if err != nil {
		log.Fatal(err)
	}
	b, err := rows.Next(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rows.Columns()[0].Type, b.Vecs[0].I64[0])
	rows.Close()

	// The same numbered parameter may appear more than once.
	rows, err = db.Query(ctx, "SELECT n_name FROM nation WHERE n_regionkey = $1 AND n_nationkey > $2 ORDER BY n_name", 2, 8)
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
	// BIGINT 3872
	// CHINA
	// INDONESIA
	// JAPAN
	// VIETNAM
}

// A prepared statement is parsed once and bound once per set of argument
// types; run it with new values each time.
func ExampleDB_Prepare() {
	db, err := peregrine.Open("testdata/tpch-sf0.01-duckdb")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	st, err := db.Prepare(ctx, "SELECT count(*) FROM lineitem WHERE l_returnflag = $1")
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	for _, flag := range []string{"R", "A"} {
		rows, err := st.Query(ctx, flag)
		if err != nil {
			log.Fatal(err)
		}
		b, err := rows.Next(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(flag, b.Vecs[0].I64[0])
		rows.Close()
	}
	// Output:
	// R 14902
	// A 14876
}

// Parameters through database/sql: ? and $1 placeholders, and a prepared
// statement run with several values.
func Example_parametersDatabaseSQL() {
	db, err := sql.Open("peregrine", "testdata/tpch-sf0.01-duckdb")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM orders WHERE o_orderdate >= ? AND o_orderstatus = ?",
		"1995-01-01", "F").Scan(&n); err != nil {
		log.Fatal(err)
	}
	fmt.Println(n)

	st, err := db.Prepare("SELECT c_name, c_acctbal FROM customer WHERE c_mktsegment = $1 ORDER BY c_acctbal DESC LIMIT $2")
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	for _, seg := range []string{"BUILDING", "MACHINERY"} {
		rows, err := st.Query(seg, 1)
		if err != nil {
			log.Fatal(err)
		}
		for rows.Next() {
			var name string
			var bal float64
			if err := rows.Scan(&name, &bal); err != nil {
				log.Fatal(err)
			}
			fmt.Println(seg, name, bal)
		}
		if err := rows.Err(); err != nil {
			log.Fatal(err)
		}
		rows.Close()
	}
	// Output:
	// 438
	// BUILDING Customer#000000200 9967.6
	// MACHINERY Customer#000000140 9963.15
}

// PREPARE and EXECUTE in SQL (DuckDB's statements): the prepared query
// lives in the database under its name until DEALLOCATE.
func Example_prepareExecute() {
	db, err := peregrine.Open("testdata/tpch-sf0.01-duckdb")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	err = db.Exec(ctx, "PREPARE top AS SELECT c_name, c_acctbal FROM customer WHERE c_mktsegment = $1 ORDER BY c_acctbal DESC LIMIT $2")
	if err != nil {
		log.Fatal(err)
	}
	rr, err := db.QueryArrow(ctx, "EXECUTE top('BUILDING', 2)")
	if err != nil {
		log.Fatal(err)
	}
	defer rr.Release()
	for rr.Next() {
		rec := rr.RecordBatch()
		fmt.Println(rec.Schema().Field(1).Type, rec.Column(0), rec.Column(1))
	}
	if err := rr.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// decimal(15, 2) ["Customer#000000200" "Customer#000000381"] [9967.6 9931.71]
}

// An application running its users' SQL confines it: with external access
// off, only the database's own tables (and any allowed directories) are
// readable; the lock keeps the SQL from turning access back on, and a
// result longer than the limit fails. The errors are DuckDB's.
func ExampleWithExternalAccess() {
	db, err := peregrine.Open("testdata/tpch-sf0.01-duckdb",
		peregrine.WithExternalAccess(false),
		peregrine.WithLockConfiguration(),
		peregrine.WithMaxResultRows(1000))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	firstLine := func(err error) string { return strings.SplitN(err.Error(), "\n", 2)[0] }

	rows, err := db.Query(ctx, "SELECT count(*) FROM nation")
	if err != nil {
		log.Fatal(err)
	}
	b, err := rows.Next(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("own table:", b.Vecs[0].I64[0])
	rows.Close()

	fmt.Println(firstLine(db.Exec(ctx, "SELECT * FROM read_parquet('/etc/passwd')")))
	fmt.Println(firstLine(db.Exec(ctx, "COPY (SELECT 1) TO '/tmp/out.parquet'")))
	fmt.Println(firstLine(db.Exec(ctx, "SET enable_external_access = true")))
	fmt.Println(firstLine(db.Exec(ctx, "SELECT * FROM lineitem")))
	// Output:
	// own table: 25
	// Permission Error: Cannot access file "/etc/passwd" - file system operations are disabled by configuration
	// Permission Error: Cannot access file "/tmp/out.parquet" - file system operations are disabled by configuration
	// Invalid Input Error: Cannot change configuration option "enable_external_access" - the configuration has been locked
	// Invalid Input Error: the result has more than max_result_rows = 1000 rows (add a LIMIT, or raise the setting)
}
