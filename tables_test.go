package peregrine_test

import (
	"context"
	dbsql "database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/peregrinedb/peregrine"
	"github.com/peregrinedb/peregrine/exec/coldata"
)

// TestTablesDatabaseSQL drives the in-memory tables through database/sql:
// parameters in INSERT ... VALUES, RowsAffected as DuckDB counts it, and a
// prepared statement reused across inserts.
func TestTablesDatabaseSQL(t *testing.T) {
	db, err := dbsql.Open("peregrine", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	mustExec := func(q string, args ...any) int64 {
		t.Helper()
		res, err := db.Exec(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	mustExec("CREATE TABLE p (id INTEGER PRIMARY KEY, name VARCHAR, score DOUBLE)")
	if n := mustExec("INSERT INTO p VALUES (?, ?, ?)", 1, "one", 1.5); n != 1 {
		t.Fatalf("RowsAffected = %d, want 1", n)
	}
	if n := mustExec("INSERT INTO p VALUES (?, ?, ?), (?, ?, ?)", 2, "two", 2.5, "3", nil, 3); n != 2 {
		t.Fatalf("RowsAffected = %d, want 2", n)
	}
	st, err := db.Prepare("INSERT INTO p (id, name) VALUES ($1, $2)")
	if err != nil {
		t.Fatal(err)
	}
	for i := 10; i < 20; i++ {
		if _, err := st.Exec(i, fmt.Sprint("n", i)); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	if _, err := db.Exec("INSERT INTO p VALUES (?, ?, ?)", 1, "dup", 0); err == nil ||
		err.Error() != `Constraint Error: Duplicate key "id: 1" violates primary key constraint.` {
		t.Fatalf("duplicate key: %v", err)
	}
	if n := mustExec("UPDATE p SET score = score * 2 WHERE id <= ?", 3); n != 3 {
		t.Fatalf("UPDATE RowsAffected = %d, want 3", n)
	}
	if n := mustExec("DELETE FROM p WHERE id >= ?", 15); n != 5 {
		t.Fatalf("DELETE RowsAffected = %d, want 5", n)
	}
	var count int
	var sum float64
	if err := db.QueryRow("SELECT count(*), sum(score) FROM p").Scan(&count, &sum); err != nil {
		t.Fatal(err)
	}
	if count != 8 || sum != 14 {
		t.Fatalf("count, sum = %d, %g; want 8, 14", count, sum)
	}
	var name dbsql.NullString
	if err := db.QueryRow("SELECT name FROM p WHERE id = ?", 3).Scan(&name); err != nil || name.Valid {
		t.Fatalf("name of 3 = %v, %v; want NULL", name, err)
	}
}

// TestTablesAtomicInsert checks that a multi-row INSERT failing on a later
// row, or on a later batch of a large SELECT, leaves the table unchanged.
func TestTablesAtomicInsert(t *testing.T) {
	ctx := context.Background()
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run(t, db, "CREATE TABLE a (x INTEGER NOT NULL CHECK (x < 5000), y VARCHAR UNIQUE)")
	run(t, db, "INSERT INTO a VALUES (1, 'a'), (2, 'b')")
	for _, q := range []string{
		"INSERT INTO a VALUES (3, 'c'), (NULL, 'd')",
		"INSERT INTO a VALUES (3, 'c'), (4, 'a')",
		"INSERT INTO a VALUES (3, 'c'), (4, 'c')",
		"INSERT INTO a SELECT i + 10, 'v' || i FROM " + numbers(4),
		"INSERT INTO a VALUES (3, 'c'), ('x', 'd')",
	} {
		if err := db.Exec(ctx, q); err == nil {
			t.Fatalf("%s: no error", q)
		}
		if got := queryString(t, db, "SELECT count(*), min(y), max(y) FROM a"); got != "2 a b" {
			t.Fatalf("after failing %s: %s", q, got)
		}
	}
}

// TestTablesReadersSeeWholeWrites runs readers while a writer inserts
// batches of 1000 rows: every count a reader sees is a whole number of
// batches.
func TestTablesReadersSeeWholeWrites(t *testing.T) {
	ctx := context.Background()
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run(t, db, "CREATE TABLE w (i BIGINT)")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 4)
	for r := 0; r < 2; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				rows, err := db.Query(ctx, "SELECT count(*), count(DISTINCT i) FROM w")
				if err != nil {
					errs <- err
					return
				}
				b, err := rows.Next(ctx)
				if err != nil {
					rows.Close()
					errs <- err
					return
				}
				n, d := b.Vecs[0].I64[0], b.Vecs[1].I64[0]
				rows.Close()
				if n%1000 != 0 || d != n {
					errs <- fmt.Errorf("reader saw %d rows, %d distinct", n, d)
					return
				}
			}
		}()
	}
	for k := 0; k < 20; k++ {
		run(t, db, fmt.Sprintf("INSERT INTO w SELECT i + %d FROM %s", k*1000, numbers(3)))
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := queryString(t, db, "SELECT count(*) FROM w"); got != "20000" {
		t.Fatalf("count = %s", got)
	}
}

// TestTablesPreparedSeesChanges: a prepared query sees rows inserted after
// it was prepared, and binds again after the table's columns change.
func TestTablesPreparedSeesChanges(t *testing.T) {
	ctx := context.Background()
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run(t, db, "CREATE TABLE c (a INTEGER)")
	st, err := db.Prepare(ctx, "SELECT count(*) FROM c WHERE a > ?")
	if err != nil {
		t.Fatal(err)
	}
	count := func() int64 {
		rows, err := st.Query(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		b, err := rows.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return b.Vecs[0].I64[0]
	}
	if n := count(); n != 0 {
		t.Fatalf("count = %d", n)
	}
	run(t, db, "INSERT INTO c VALUES (1), (2)")
	if n := count(); n != 2 {
		t.Fatalf("count after insert = %d", n)
	}
	run(t, db, "ALTER TABLE c ADD COLUMN b INTEGER DEFAULT 3")
	run(t, db, "INSERT INTO c VALUES (5, 6)")
	if n := count(); n != 3 {
		t.Fatalf("count after alter = %d", n)
	}
}

func run(t *testing.T, db *peregrine.DB, q string) {
	t.Helper()
	if err := db.Exec(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// queryString runs q and prints its rows' values separated by spaces.
func queryString(t *testing.T, db *peregrine.DB, q string) string {
	t.Helper()
	return strings.Join(queryValues(t, db, q), " ")
}

// queryValues runs q and formats every value of its result, row by row,
// with the result column's type (its kind included: TIME, FLOAT, BLOB…).
func queryValues(t *testing.T, db *peregrine.DB, q string) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.Query(ctx, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for {
		b, err := rows.Next(ctx)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if b == nil {
			return out
		}
		for k := 0; k < b.Len(); k++ {
			for i, d := range b.Row(k) {
				out = append(out, coldata.Format(rows.Columns()[i].Type, d))
			}
		}
	}
}

// numbers is a FROM item with column i holding 0 .. 10^digits-1.
func numbers(digits int) string {
	const ten = "(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))"
	sel, from := "0", ""
	for d := 0; d < digits; d++ {
		sel = fmt.Sprintf("(%s) * 10 + d%d.x", sel, d)
		if d > 0 {
			from += ", "
		}
		from += fmt.Sprintf("%s d%d(x)", ten, d)
	}
	return "(SELECT " + sel + " AS i FROM " + from + ")"
}

// TestTablesMemoryLimit: a table's rows are charged to the database's
// memory limit; an INSERT past it fails and leaves the table as it was,
// and DROP TABLE gives the memory back.
func TestTablesMemoryLimit(t *testing.T) {
	ctx := context.Background()
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run(t, db, "SET memory_limit = '4MB'")
	run(t, db, "CREATE TABLE m (i BIGINT, s VARCHAR)")
	run(t, db, "INSERT INTO m SELECT i, 'x' || i FROM "+numbers(3))
	err = db.Exec(ctx, "INSERT INTO m SELECT i, repeat('y', 100) || i FROM "+numbers(5))
	if err == nil {
		t.Fatal("an INSERT of 10 MB under a 4 MB limit succeeded")
	}
	t.Log(err)
	if got := queryString(t, db, "SELECT count(*) FROM m"); got != "1000" {
		t.Fatalf("count after the failed INSERT = %s", got)
	}
	run(t, db, "DROP TABLE m")
	run(t, db, "CREATE TABLE m2 AS SELECT i, repeat('z', 100) AS s FROM "+numbers(4))
	if got := queryString(t, db, "SELECT count(*) FROM m2"); got != "10000" {
		t.Fatalf("count = %s", got)
	}
}

// TestRegisterArrow: a registered Arrow table is scanned many times and
// by concurrent queries, names clash like tables, Unregister removes it,
// and a one-pass reader cannot be written.
func TestRegisterArrow(t *testing.T) {
	ctx := context.Background()
	db, err := peregrine.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	bld := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer bld.Release()
	var recs []arrow.RecordBatch
	for r := 0; r < 5; r++ {
		for i := 0; i < 3000; i++ {
			bld.Field(0).(*array.Int64Builder).Append(int64(r*3000 + i))
			if i%10 == 0 {
				bld.Field(1).AppendNull()
			} else {
				bld.Field(1).(*array.StringBuilder).Append("x")
			}
		}
		recs = append(recs, bld.NewRecordBatch())
	}
	tbl := array.NewTableFromRecords(schema, recs)
	defer tbl.Release()
	if err := db.RegisterArrowTable("arr", tbl); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				if got := queryString(t, db, "SELECT count(*), count(s), sum(k) FROM arr"); got != "15000 13500 112492500" {
					t.Errorf("got %s", got)
				}
			}
		}()
	}
	wg.Wait()
	if err := db.RegisterArrowTable("ARR", tbl); err == nil {
		t.Fatal("registered a second table named arr")
	}
	if err := db.Unregister("arr"); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(ctx, "SELECT * FROM arr"); err == nil {
		t.Fatal("arr still there after Unregister")
	}
	rr, err := array.NewRecordReader(schema, recs)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	if err := db.RegisterArrowReader("once", rr); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(ctx, "INSERT INTO once VALUES (1, 'a')"); err == nil {
		t.Fatal("inserted into a stream")
	}
	if got := queryString(t, db, "SELECT count(*) FROM once WHERE s IS NULL"); got != "1500" {
		t.Fatalf("got %s", got)
	}
}
