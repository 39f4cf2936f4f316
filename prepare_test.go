package peregrine

import (
	"context"
	"sync"
	"testing"
)

// TestPreparedBindsOnce checks that a prepared statement used from many
// goroutines with values of the same types is bound once.
func TestPreparedBindsOnce(t *testing.T) {
	db, err := Open("testdata/tpch-sf0.01-duckdb")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	st, err := db.Prepare(ctx, "SELECT count(*) FROM orders WHERE o_custkey = ?")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				rows, err := st.Query(ctx, g*5+i+1)
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := drain(ctx, rows); err != nil {
					t.Error(err)
				}
			}
		}(g)
	}
	wg.Wait()
	if n := len(st.bound); n != 1 {
		t.Errorf("bound %d times, want once", n)
	}
	rows, err := st.Query(ctx, "7") // a string: another binding
	if err != nil {
		t.Fatal(err)
	}
	drain(ctx, rows)
	if n := len(st.bound); n != 2 {
		t.Errorf("%d bindings after a string argument, want 2", n)
	}
}
