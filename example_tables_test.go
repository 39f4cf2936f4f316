package peregrine_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// printRows prints every row of a query, values separated by spaces.
func printRows(db *peregrine.DB, q string) {
	ctx := context.Background()
	rows, err := db.Query(ctx, q)
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
			return
		}
		for k := 0; k < b.Len(); k++ {
			i := k
			if b.Sel != nil {
				i = int(b.Sel[k])
			}
			line := ""
			for c, v := range b.Vecs {
				if c > 0 {
					line += " "
				}
				line += coldata.Format(v.Type, v.Get(i))
			}
			fmt.Println(line)
		}
	}
}

// Tables created in an in-memory database live in memory, charged to the
// database's memory limit; views are bound each time they are queried.
func ExampleOpen_inMemory() {
	db, err := peregrine.Open("")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Exec(ctx, `
		CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, price DECIMAL(8,2) CHECK (price > 0));
		INSERT INTO items VALUES (1, 'apple', 0.5), (2, 'pear', 0.75);
		CREATE VIEW dear AS SELECT name FROM items WHERE price > 0.6;
		UPDATE items SET price = price * 2 WHERE id = 1`); err != nil {
		log.Fatal(err)
	}
	err = db.Exec(ctx, "INSERT INTO items VALUES (3, 'plum', 1), (1, 'fig', 2)")
	fmt.Println(err)
	printRows(db, "SELECT name FROM dear ORDER BY name")
	// Output:
	// Constraint Error: Duplicate key "id: 1" violates primary key constraint.
	// apple
	// pear
}

// INSERT with parameters through database/sql, and its RowsAffected.
func Example_insertParameters() {
	db, err := sql.Open("peregrine", "")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database
	if _, err := db.Exec("CREATE TABLE kv (k VARCHAR, v BIGINT)"); err != nil {
		log.Fatal(err)
	}
	res, err := db.Exec("INSERT INTO kv VALUES (?, ?), (?, ?)", "a", 1, "b", 2)
	if err != nil {
		log.Fatal(err)
	}
	n, _ := res.RowsAffected()
	var sum int64
	if err := db.QueryRow("SELECT sum(v) FROM kv").Scan(&sum); err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, sum)
	// Output: 2 3
}

// An Arrow table registered from Go is queried in place, as often as
// needed, and joins with the database's other tables.
func ExampleDB_RegisterArrowTable() {
	db, err := peregrine.Open("testdata/tpch-sf0.01-duckdb")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "region", Type: arrow.PrimitiveTypes.Int32},
		{Name: "label", Type: arrow.BinaryTypes.String},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.Int32Builder).AppendValues([]int32{0, 2}, nil)
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"south", "east"}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()
	tbl := array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
	defer tbl.Release()
	if err := db.RegisterArrowTable("labels", tbl); err != nil {
		log.Fatal(err)
	}
	printRows(db, "SELECT label, count(*) FROM nation JOIN labels ON n_regionkey = region GROUP BY label ORDER BY label")
	if err := db.Unregister("labels"); err != nil {
		log.Fatal(err)
	}
	// Output:
	// east 5
	// south 5
}

// A RecordReader is a one-pass table: the first query that scans it pulls
// its records; later ones fail.
func ExampleDB_RegisterArrowReader() {
	db, err := peregrine.Open("")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	var recs []arrow.RecordBatch
	for i := int64(0); i < 3; i++ {
		b.Field(0).(*array.Int64Builder).AppendValues([]int64{i, i * 10}, nil)
		recs = append(recs, b.NewRecordBatch())
	}
	rr, err := array.NewRecordReader(schema, recs)
	if err != nil {
		log.Fatal(err)
	}
	defer rr.Release()
	if err := db.RegisterArrowReader("stream", rr); err != nil {
		log.Fatal(err)
	}
	printRows(db, "SELECT count(*), sum(x) FROM stream")
	_, err = db.Query(context.Background(), "SELECT count(*) FROM stream")
	fmt.Println(err)
	// Output:
	// 6 33
	// Invalid Input Error: table stream is a one-pass stream that was already read
}

// The Appender loads rows from Go: Flush (or Close) adds them as one
// statement, checked against the table's constraints.
func ExampleDB_NewAppender() {
	db, err := peregrine.Open("")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.Exec(ctx, "CREATE TABLE events (id BIGINT, kind VARCHAR, score DOUBLE)"); err != nil {
		log.Fatal(err)
	}
	app, err := db.NewAppender(ctx, "events")
	if err != nil {
		log.Fatal(err)
	}
	for i := 0; i < 10000; i++ {
		if err := app.AppendRow(i, []string{"click", "view"}[i%2], float64(i)/2); err != nil {
			log.Fatal(err)
		}
	}
	if err := app.Close(); err != nil {
		log.Fatal(err)
	}
	printRows(db, "SELECT kind, count(*), sum(score) FROM events GROUP BY kind ORDER BY kind")
	// Output:
	// click 5000 12497500.0
	// view 5000 12500000.0
}
