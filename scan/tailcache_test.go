package scan

import (
	"context"
	"reflect"
	"testing"
)

// TestRemoteSmallFileFromFooterRead: a remote file that the footer's tail
// read covers whole (nation) is then read without another request, with
// the rows a local read gives; a large one still reads its row groups.
func TestRemoteSmallFileFromFooterRead(t *testing.T) {
	rb, data := remoteFile(t, "nation.parquet")
	f, err := NewFileContext(context.Background(), rb, int64(len(data)), "nation.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if n := rb.reads.Load(); n != 1 {
		t.Fatalf("%d reads for the footer", n)
	}
	cols := []int{0, 1, 2, 3}
	got, err := readAll(t, f, cols, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if n := rb.reads.Load(); n != 1 {
		t.Errorf("%d reads in all: the footer read held the whole file", n)
	}
	local, err := Open("../testdata/tpch-sf0.01-duckdb/nation.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	want, err := readAll(t, local, cols, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || len(got[0]) != 25 || !reflect.DeepEqual(got, want) {
		t.Errorf("remote rows differ from local ones")
	}

	rb, data = remoteFile(t, "orders.parquet")
	f, err = NewFileContext(context.Background(), rb, int64(len(data)), "orders.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readAll(t, f, []int{0}, 1024); err != nil {
		t.Fatal(err)
	}
	if n := rb.reads.Load(); n < 2 {
		t.Errorf("%d reads for orders: its data is not in the footer read", n)
	}
}
