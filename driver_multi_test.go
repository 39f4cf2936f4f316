package peregrine_test

import (
	"context"
	"database/sql"
	"testing"
)

// TestQueryScript: a database/sql Query holding several statements runs
// them in turn and returns the last one's rows, as DuckDB's driver does.
func TestQueryScript(t *testing.T) {
	db, err := sql.Open("peregrine", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n, s int64
	err = conn.QueryRowContext(context.Background(),
		"CREATE TABLE q(x INTEGER); INSERT INTO q VALUES (1); INSERT INTO q VALUES (2), (length('a;b')); SELECT count(*), sum(x) FROM q").Scan(&n, &s)
	if err != nil || n != 3 || s != 6 {
		t.Fatalf("got %d %d, %v; want 3 6", n, s, err)
	}
	if _, err := conn.QueryContext(context.Background(), "INSERT INTO nope VALUES (1); SELECT 1"); err == nil {
		t.Fatal("a failing statement before the last must fail the query")
	}
}
